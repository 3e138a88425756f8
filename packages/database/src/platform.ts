/*
 * platform.ts: what the driver needs from its host to open a file database: a Vfs for
 * the file, its WAL and journal, and the process lock (design.md: "one process owns a
 * file"). The node platform (platform-node.ts) is the only file of the package that
 * reaches "@strata/vfs/node"; a browser entry would pass another Platform (an OPFS Vfs,
 * no process lock) and keep everything else. `:memory:` needs no platform at all.
 *
 * Invariants:
 *  1. Nothing in this file imports node:* or "@strata/vfs/node".
 *  2. processLock, when set, throws SqliteError SQLITE_BUSY naming the holder.
 */
import type { ProcessLockHook } from "@strata/txn";
import type { Vfs } from "@strata/vfs";

export interface Platform {
  /** The file system file databases live on. */
  readonly vfs: Vfs;
  /** The process lock taken when a file database is first opened in this process. */
  readonly processLock: ProcessLockHook | null;
  /**
   * The VFS's xFullPathname: the absolute form of a file name, which SQLite reports as a
   * database's file (PRAGMA database_list for the main and ATTACHed files,
   * sqlite3_db_filename). Absent: as given.
   */
  readonly resolvePath?: (path: string) => string;
}
