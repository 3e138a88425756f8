/*
 * fast-check parameters for the differential properties: a fixed seed and run count so CI
 * repeats itself, overridable from the environment to hunt with other seeds without
 * editing a test:
 *   PROP_SEED=123 PROP_RUNS=1000 pnpm exec vitest run packages/sql/test/engine/trigger.prop.test.ts
 */
export function propParams(numRuns: number, seed: number): { numRuns: number; seed: number } {
  const s = process.env.PROP_SEED;
  const r = process.env.PROP_RUNS;
  return { numRuns: r ? Number(r) : numRuns, seed: s ? Number(s) : seed };
}
