// The one test command (`pnpm test`, what .ci/run and the README run): builds every
// package, type-checks the whole workspace (strict), then runs every vitest suite
// (the layering check is one of them). Ends with a line of its own,
// `N passed, N failed`: vitest's test totals, plus one failure for each of the build
// and type-check steps that failed.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const extra = process.argv.slice(2);

function step(title, cmd, args) {
  console.log(`\n== ${title}: ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  const ok = r.status === 0;
  console.log(`== ${title}: ${ok ? "ok" : "FAILED"}`);
  return ok;
}

let stepFailures = 0;
if (!step("build", bin("turbo"), ["run", "build", "--output-logs=errors-only"])) stepFailures++;
if (!step("typecheck", bin("tsc"), ["-p", "tsconfig.json"])) stepFailures++;

const results = join(root, ".vitest-results.json");
rmSync(results, { force: true });
const vitestOk = step("vitest", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${results}`, ...extra]);

let passed = 0;
let failed = stepFailures;
if (existsSync(results)) {
  const json = JSON.parse(readFileSync(results, "utf8"));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  // A suite that failed to load has no tests in the totals; count it as a failure.
  for (const suite of json.testResults ?? []) {
    if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed++;
  }
  // Tests that never finished (their worker died, e.g. out of memory: vitest leaves them
  // pending and reports an unhandled error) are failures too; the suite skips none on purpose.
  failed += json.numPendingTests ?? 0;
  // Anything else that made vitest fail (an unhandled error) counts once.
  if (!vitestOk && failed === stepFailures) failed++;
} else {
  failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
