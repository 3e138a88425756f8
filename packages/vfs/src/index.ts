/*
 * @strata/vfs: the synchronous file interface (vfs.ts) and its platform-neutral
 * backends: memory, and a fault-injecting wrapper for crash tests. Imports only
 * @strata/common, and nothing from node:* — the node:fs backend and the process lock
 * live behind the "@strata/vfs/node" entry (node-vfs.ts), so this entry bundles for
 * browsers.
 */
export type { Vfs, VfsFile, OpenOptions, DeleteOptions, FileKind, SyncMode } from "./vfs.js";
export { MemoryVfs } from "./memory-vfs.js";
export {
  FaultyVfs,
  SimulatedCrashError,
  isSimulatedCrash,
  crashSweep,
  type CutKind,
  type CutPoint,
  type Fault,
  type FaultRule,
  type FaultyVfsOptions,
  type CrashModel,
  type CrashPolicy,
  type CrashOutcome,
  type DurableImage,
  type CrashSweepOptions,
  type CrashSweepResult,
} from "./faulty-vfs.js";
