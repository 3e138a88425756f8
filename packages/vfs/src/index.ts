/*
 * @strata/vfs: the synchronous file interface (vfs.ts) and its backends: node:fs,
 * memory, and a fault-injecting wrapper for crash tests. Imports only @strata/common.
 */
export type { Vfs, VfsFile, OpenOptions, FileKind, SyncMode } from "./vfs.js";
