/*
 * The synchronous file interface every Strata layer above does its I/O through, as
 * SQLite's pager and WAL do through sqlite3_vfs / sqlite3_io_methods ("The OS
 * Interface", vfs.html). It is synchronous by design (../../../shared/design.md,
 * "The core is synchronous"): node:fs `*Sync` calls, OPFS sync access handles, memory.
 *
 * Invariants every backend keeps:
 *  1. read() never reads past the end of the file: it returns how many bytes it read,
 *     and zero-fills the rest of the caller's buffer (SQLite's SQLITE_IOERR_SHORT_READ
 *     contract, minus the error: the caller decides whether a short read is corruption).
 *  2. write() past the end extends the file; any gap reads as zeros.
 *  3. Failures are SqliteErrors with SQLite's I/O codes (SQLITE_IOERR_READ,
 *     SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_IOERR_TRUNCATE, SQLITE_CANTOPEN,
 *     SQLITE_BUSY for a lock held by another process, SQLITE_READONLY for a write to a
 *     file opened read-only).
 *  4. Nothing is durable until sync() returns; a crash may lose, or tear, any write
 *     since the last sync (the fault-injecting wrapper simulates exactly that).
 *     Creating and deleting a file are treated as durable at once (as SQLite's
 *     test6.c does); a backend with directories makes a deletion durable only when
 *     asked (DeleteOptions.syncDir).
 *  5. A closed file is unusable: every method but close() throws SQLITE_MISUSE, and a
 *     second close() does nothing. Deleting a path that is open leaves the open
 *     handles working on the now-nameless file, as POSIX unlink does.
 *  6. Offsets and sizes are non-negative safe integers; anything else is SQLITE_MISUSE.
 */

/** What the file is for; backends may use it (e.g. the fault wrapper names cut points by it). */
export type FileKind = "main-db" | "wal" | "journal" | "temp" | "other";

export interface OpenOptions {
  /** Create the file if it does not exist (default false: a missing file is SQLITE_CANTOPEN). */
  create?: boolean;
  /** Open read-only: every write, truncate and exclusive lock fails with SQLITE_READONLY. */
  readonly?: boolean;
  kind?: FileKind;
}

/** How strongly sync() flushes, as SQLite's SQLITE_SYNC_NORMAL / SQLITE_SYNC_FULL. */
export type SyncMode = "normal" | "full";

export interface VfsFile {
  readonly path: string;
  readonly readonly: boolean;
  /** Reads buf.length bytes at `offset` into buf; returns the count actually read (see invariant 1). */
  read(buf: Uint8Array, offset: number): number;
  /** Writes all of `data` at `offset`. */
  write(data: Uint8Array, offset: number): void;
  /** Sets the file's size, dropping or zero-extending its tail. */
  truncate(size: number): void;
  /** Makes every completed write durable. */
  sync(mode?: SyncMode): void;
  /** The file's current size in bytes. */
  size(): number;
  close(): void;
}

/** Options of Vfs.delete (added member; every argument is optional, old callers are unaffected). */
export interface DeleteOptions {
  /**
   * Also make the removal durable (fsync the directory), as SQLite's xDelete(dirSync=1)
   * does when deleting a rollback journal commits a transaction. Backends without
   * directories ignore it.
   */
  syncDir?: boolean;
}

export interface Vfs {
  readonly name: string;
  open(path: string, options?: OpenOptions): VfsFile;
  /** Removes a file; removing a missing file is not an error. */
  delete(path: string, options?: DeleteOptions): void;
  exists(path: string): boolean;
}
