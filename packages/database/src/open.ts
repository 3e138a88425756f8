/*
 * open.ts: chooses the storage behind a connection, as sqlite3_open_v2 does from its
 * filename and flags (https://sqlite.org/c3ref/open.html):
 *   - ":memory:" (or "", SQLite's private temporary database, kept in memory here): a
 *     DirectFileStore over a fresh in-memory file of its own, so two in-memory
 *     databases never share anything; its page cache is unbounded (SQLite's in-memory
 *     pages can never be evicted either), so a page is read from the file image once;
 *   - anything else: a file database through @strata/txn's WalPageStore on the
 *     platform's Vfs, with the process lock (platform.ts).
 *
 * Options, as better-sqlite3 takes them:
 *   readonly       SQLITE_OPEN_READONLY: the file must exist; every write fails with
 *                  SQLITE_READONLY "attempt to write a readonly database".
 *   fileMustExist  no SQLITE_OPEN_CREATE: a missing file is SQLITE_CANTOPEN
 *                  "unable to open database file".
 *   timeout        the busy timeout in ms (default 5000, better-sqlite3's): how long the
 *                  open keeps retrying a process lock held by another process.
 *
 * VACUUM INTO's new file (ConnectionOptions.openDatabaseFile): a plain rollback-mode
 * database file through a DirectFileStore on the platform's Vfs (as SQLite writes it),
 * created if missing; without a platform (no file system) VACUUM INTO cannot open files.
 *
 * Invariants:
 *  1. A readonly store never reaches the WAL store's beginWrite (ReadonlyStore rejects it
 *     first), and a readonly open never creates the database file.
 *  2. A failed open leaves nothing open (the WAL store releases its lock itself).
 */
import { Connection, DirectFileStore, SqliteError, type PageStore } from "@strata/sql";
import { WalPageStore } from "@strata/txn";
import type { VfsFile } from "@strata/vfs";
import type { Platform } from "./platform.js";

export interface OpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  timeout?: number;
}

export interface Opened {
  readonly conn: Connection;
  readonly memory: boolean;
}

/** In-memory file: fixed 64 KiB chunks (the whole database for `:memory:`). Growing never
 *  copies what is there, and an aligned page (page sizes are powers of two up to 64 KiB)
 *  lies inside one chunk, so a page read or write is one copy. */
const CHUNK = 65536;
class MemoryFile implements VfsFile {
  readonly path = ":memory:";
  readonly readonly = false;
  private chunks: Uint8Array[] = [];
  private len = 0;
  read(out: Uint8Array, offset: number): number {
    const n = Math.max(0, Math.min(out.length, this.len - offset));
    let done = 0;
    while (done < n) {
      const at = offset + done;
      const c = this.chunks[Math.floor(at / CHUNK)];
      const o = at % CHUNK;
      const take = Math.min(n - done, CHUNK - o);
      out.set(take === CHUNK ? c : c.subarray(o, o + take), done);
      done += take;
    }
    if (n < out.length) out.fill(0, n);
    return n;
  }
  write(data: Uint8Array, offset: number): void {
    const end = offset + data.length;
    while (this.chunks.length * CHUNK < end) this.chunks.push(new Uint8Array(CHUNK));
    let done = 0;
    while (done < data.length) {
      const at = offset + done;
      const o = at % CHUNK;
      const take = Math.min(data.length - done, CHUNK - o);
      this.chunks[Math.floor(at / CHUNK)].set(take === data.length ? data : data.subarray(done, done + take), o);
      done += take;
    }
    if (end > this.len) this.len = end;
  }
  truncate(size: number): void {
    if (size < this.len) {
      const keep = Math.ceil(size / CHUNK);
      this.chunks.length = keep;
      if (keep > 0) this.chunks[keep - 1].fill(0, size - (keep - 1) * CHUNK);
    } else {
      while (this.chunks.length * CHUNK < size) this.chunks.push(new Uint8Array(CHUNK));
    }
    this.len = size;
  }
  sync(): void {}
  size(): number {
    return this.len;
  }
  close(): void {
    this.chunks = [];
    this.len = 0;
  }
}

/** A read-only view of a store: the pager sees readonly=true and every write is refused. */
class ReadonlyStore implements PageStore {
  readonly readonly = true;
  constructor(private readonly inner: PageStore) {}
  setPageSize(pageSize: number): void {
    this.inner.setPageSize(pageSize);
  }
  beginRead(): boolean {
    return this.inner.beginRead();
  }
  endRead(): void {
    this.inner.endRead();
  }
  readHeader(out: Uint8Array): number {
    return this.inner.readHeader(out);
  }
  pageCount(): number {
    return this.inner.pageCount();
  }
  readPage(pgno: number, out: Uint8Array): void {
    this.inner.readPage(pgno, out);
  }
  beginWrite(): void {
    throw new SqliteError("SQLITE_READONLY", "attempt to write a readonly database");
  }
  commit(): void {
    throw new SqliteError("SQLITE_READONLY", "attempt to write a readonly database");
  }
  endWrite(): void {}
  close(): void {
    this.inner.close();
  }
}

/** Cache capacity of an in-memory database: no eviction (see the header). */
const MEMORY_CACHE_PAGES = Number.MAX_SAFE_INTEGER;

export function isMemoryPath(path: string): boolean {
  return path === ":memory:" || path === "";
}

/**
 * The hook the engine opens other database files through (see the header): VACUUM INTO's
 * new file as a plain DirectFileStore; an ATTACHed file as the main file is opened, a WAL
 * store under the process lock (created if missing, as SQLite's ATTACH creates it).
 */
function fileOpener(platform: Platform | null, timeout = 5000): ((path: string, purpose?: "vacuum" | "attach") => PageStore) | undefined {
  if (platform === null) return undefined;
  return (path, purpose) => {
    if (purpose !== "attach") return new DirectFileStore(platform.vfs.open(path, { create: true }));
    return WalPageStore.open(platform.vfs, path, { processLock: platform.processLock, busyTimeout: timeout });
  };
}

/** Opens the connection for `path` (see the header for the rules). */
export function openConnection(path: string, options: OpenOptions, platform: Platform | null): Opened {
  if (isMemoryPath(path)) {
    return { conn: Connection.open(new DirectFileStore(new MemoryFile(), { sync: "off", exclusive: true }), { filename: "", cacheSize: MEMORY_CACHE_PAGES, busyTimeout: options.timeout ?? 5000, openDatabaseFile: fileOpener(platform, options.timeout ?? 5000), resolvePath: platform?.resolvePath }), memory: true };
  }
  if (platform === null) throw new SqliteError("SQLITE_CANTOPEN", "unable to open database file");
  const vfs = platform.vfs;
  if ((options.readonly || options.fileMustExist) && !vfs.exists(path)) {
    throw new SqliteError("SQLITE_CANTOPEN", "unable to open database file");
  }
  const wal = WalPageStore.open(vfs, path, {
    processLock: platform.processLock,
    busyTimeout: options.timeout ?? 5000,
  });
  let store: PageStore = wal;
  if (options.readonly) {
    // A readonly connection leaves the WAL as it found it (SQLite's readonly connections
    // do not checkpoint on close).
    wal.keepWal = true;
    store = new ReadonlyStore(wal);
  }
  try {
    const filename = platform.resolvePath?.(path) ?? path;
    return { conn: Connection.open(store, { filename, busyTimeout: options.timeout ?? 5000, openDatabaseFile: fileOpener(platform, options.timeout ?? 5000), resolvePath: platform.resolvePath }), memory: false };
  } catch (e) {
    store.close();
    throw e;
  }
}
