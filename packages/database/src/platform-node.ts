/*
 * platform-node.ts: the Node.js platform: NodeVfs over node:fs and the lock-file
 * process lock, both from "@strata/vfs/node", and node:path's resolve as xFullPathname.
 * The only file of this package that imports node-only modules (platform.ts invariant 1),
 * so a browser build swaps this one file.
 */
import { resolve } from "node:path";
import { NodeVfs, acquireProcessLock } from "@strata/vfs/node";
import type { Platform } from "./platform.js";

export const nodePlatform: Platform = {
  vfs: new NodeVfs(),
  processLock: (path: string) => acquireProcessLock(path),
  resolvePath: (path: string) => resolve(path),
};
