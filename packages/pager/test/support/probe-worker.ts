// Worker-thread entry for the probe (bundled by isolate.ts with esbuild): receives
// { id, bytes, plan }, answers { id, report }.
import { parentPort } from "node:worker_threads";
import { probe, type ProbePlan } from "./probe.js";

parentPort!.on("message", (m: { id: number; bytes: Uint8Array; plan: ProbePlan }) => {
  const report = probe(m.bytes, m.plan);
  parentPort!.postMessage({ id: m.id, report });
});
