// One engine, one workload, one run, in its own process (spawned by bench/driver.ts):
//   node child.mjs ENGINE WORKLOAD SCALE TMPDIR DATADIR
// Prints one line `@@result {json}` with the workload's measurements and the process's
// peak RSS, so engines never share a heap, a JIT profile or a page cache.
import { PEERS, type EngineName } from "./peers/index.js";
import { WORKLOADS, type Measured } from "./workloads/index.js";

export interface ChildResult {
  engine: EngineName;
  workload: string;
  results: Measured[];
  rssMB: number;
}

const [engine, workloadId, scaleText, tmpDir, dataDir] = process.argv.slice(2);
const peer = PEERS[engine as EngineName];
const workload = WORKLOADS.find((w) => w.id === workloadId);
if (!peer || !workload) {
  console.error(`usage: child ENGINE WORKLOAD SCALE TMPDIR DATADIR (engine ${engine}, workload ${workloadId})`);
  process.exit(2);
}
let results: Measured[];
try {
  results = await workload.run({ peer, scale: Number(scaleText), tmpDir, dataDir });
} catch (e) {
  results = [{ id: workload.id, error: String((e as Error)?.message ?? e).split("\n")[0] }];
}
const rssMB = process.resourceUsage().maxRSS / 1024;
const out: ChildResult = { engine: peer.name, workload: workload.id, results, rssMB };
process.stdout.write(`@@result ${JSON.stringify(out)}\n`);
