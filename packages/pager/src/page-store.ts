/*
 * page-store.ts: THE SEAM between the pager and whatever keeps page images durable, as
 * SQLite's pager.c sits over wal.c. The pager reads page images through a PageStore "as of
 * a read snapshot" and hands it a transaction's dirty pages at commit. Today's
 * implementation, DirectFileStore, reads and writes the database file itself; the WAL in
 * @strata/txn (which may import the pager, never the reverse) implements the same
 * interface with SQLite's WAL format (walformat.html) behind it.
 *
 * The protocol the pager follows (a state machine per connection):
 *
 *        beginRead()                 beginWrite()
 *   NONE ───────────▶ READ ─────────────────────▶ WRITE
 *    ▲                 │ ▲                          │ commit(...) (0 or 1 times), then
 *    └──── endRead() ──┘ └───────── endWrite() ─────┘ endWrite()  (also the abandon path)
 *
 *  - beginRead() fixes a snapshot: until endRead(), readHeader/readPage/pageCount return the
 *    database as of that instant even if another connection commits meanwhile (WAL: choose
 *    a read mark, remember mxFrame). It returns true when the database may have changed
 *    since this store's previous snapshot: the pager then drops every cached page.
 *  - beginWrite() is called inside a read transaction. It takes the writer lock and must
 *    fail with SQLITE_BUSY (WAL: SQLITE_BUSY_SNAPSHOT) if the read snapshot is no longer the
 *    newest, because the pager's cached pages would be stale.
 *  - commit(pgnos, images, nPage) makes all pages of one transaction visible atomically, and
 *    durable per the store's sync policy: pgnos ascending, images[i] is exactly pageSize
 *    bytes (the store must copy or write them before returning: the pager reuses them),
 *    nPage the database size in pages after the commit (the file may shrink). The pager
 *    never writes a page before commit: dirty pages stay pinned in its cache, so a store
 *    needs no undo for an abandoned transaction (WAL: append frames, the last one a commit
 *    frame carrying nPage; then publish the new mxFrame).
 *  - After commit the writer's snapshot includes its own commit.
 *
 * Invariants:
 *  1. readPage never throws for pgno in 1..pageCount(); a page beyond the end of the file
 *     reads as zeros. The pager itself rejects pgno > its database size as corruption.
 *  2. Images passed to commit are never retained by reference.
 *  3. DirectFileStore gives NO crash safety: commit writes pages in place, so a crash in the
 *     middle of commit can leave a torn database. Crash safety arrives with the WAL store.
 */
import { SqliteError } from "@strata/common";
import type { SyncMode, VfsFile } from "@strata/vfs";

export interface PageStore {
  /** True when the underlying file was opened read-only: beginWrite will fail. */
  readonly readonly: boolean;
  /**
   * Capability: true when the store is a WAL (SQLite's journal_mode=WAL; absent = false).
   * Readers of a WAL notice commits through the WAL index, not through page 1, so the
   * pager then rewrites page 1 at commit only when the transaction changed it or the
   * database size (SQLite stamps the change counter only when page 1 is among the frames,
   * pagerWalFrames; fileformat2 §1.3.8), and keeps bytes 18/19 (file format read/write
   * version) at 2, as a WAL database's page 1 says (§1.3.3).
   */
  readonly walMode?: boolean;
  /** Tells the store the page size (from the header, or chosen when creating the database). */
  setPageSize(pageSize: number): void;
  /** Starts a read snapshot; true when cached pages may be stale (see the protocol above). */
  beginRead(): boolean;
  endRead(): void;
  /** Copies the first bytes of page 1 (the 100-byte header) as of the snapshot into out;
   *  returns how many bytes exist (0 for an empty database). Works before setPageSize. */
  readHeader(out: Uint8Array): number;
  /** Database size in pages as of the snapshot, as the store knows it (file size / page size
   *  for a plain file; the last commit frame's size for a WAL). */
  pageCount(): number;
  /** Reads page `pgno` (1-based) as of the snapshot into out (out.length === pageSize). */
  readPage(pgno: number, out: Uint8Array): void;
  beginWrite(): void;
  /** Atomically publishes a transaction's pages; see the protocol above. */
  commit(pgnos: readonly number[], images: readonly Uint8Array[], nPage: number): void;
  endWrite(): void;
  close(): void;
}

export interface DirectFileStoreOptions {
  /** How commit syncs the file: "off" skips sync (tests, temp databases). Default "normal". */
  sync?: SyncMode | "off";
  /** Nothing but this store writes the file (a private in-memory database): beginRead
   *  trusts the header it last read or committed instead of reading it again. */
  exclusive?: boolean;
}

/**
 * A PageStore straight over the database file: reads are file reads, commit writes each
 * page in place, truncates if the database shrank, then syncs. No snapshot isolation
 * between connections and no crash safety (invariant 3); one connection per file.
 */
export class DirectFileStore implements PageStore {
  readonly readonly: boolean;
  readonly walMode: boolean = false;
  private pageSize = 0;
  private readonly syncMode: SyncMode | "off";
  private readonly exclusive: boolean;
  private lastCounter = -1;
  /** The file's first 100 bytes as of the last beginRead()/commit(), which both read them;
   *  readHeader() inside a read hands out this copy instead of reading the file again. */
  private readonly hdr = new Uint8Array(100);
  private hdrLen = 0;
  private inRead = false;

  constructor(private readonly file: VfsFile, options: DirectFileStoreOptions = {}) {
    this.readonly = file.readonly;
    this.syncMode = options.sync ?? "normal";
    this.exclusive = options.exclusive === true;
  }

  setPageSize(pageSize: number): void {
    this.pageSize = pageSize;
  }

  beginRead(): boolean {
    if (this.exclusive && this.lastCounter >= 0) {
      // Only this store's commit changes the file, and it re-reads the header.
      this.inRead = true;
      return false;
    }
    // Another writer on the same file (another Pager) bumps the change counter.
    const n = this.file.read(this.hdr, 0);
    this.hdrLen = n;
    this.inRead = true;
    const counter = n >= 28 ? ((this.hdr[24] << 24) | (this.hdr[25] << 16) | (this.hdr[26] << 8) | this.hdr[27]) >>> 0 : 0;
    const changed = counter !== this.lastCounter;
    this.lastCounter = counter;
    return changed;
  }

  endRead(): void {
    this.inRead = false;
  }

  readHeader(out: Uint8Array): number {
    if (!this.inRead || out.length !== this.hdr.length) return this.file.read(out, 0);
    out.set(this.hdr);
    return this.hdrLen;
  }

  pageCount(): number {
    if (this.pageSize === 0) return 0;
    return Math.floor(this.file.size() / this.pageSize);
  }

  readPage(pgno: number, out: Uint8Array): void {
    this.file.read(out, (pgno - 1) * this.pageSize);
  }

  beginWrite(): void {
    if (this.readonly) throw new SqliteError("SQLITE_READONLY", "attempt to write a readonly database");
  }

  commit(pgnos: readonly number[], images: readonly Uint8Array[], nPage: number): void {
    for (let i = 0; i < pgnos.length; i++) {
      if (pgnos[i] <= nPage) this.file.write(images[i], (pgnos[i] - 1) * this.pageSize);
    }
    if (this.file.size() > nPage * this.pageSize) this.file.truncate(nPage * this.pageSize);
    if (this.syncMode !== "off") this.file.sync(this.syncMode);
    this.hdrLen = this.file.read(this.hdr, 0);
    this.lastCounter = ((this.hdr[24] << 24) | (this.hdr[25] << 16) | (this.hdr[26] << 8) | this.hdr[27]) >>> 0;
  }

  endWrite(): void {}

  close(): void {
    this.file.close();
  }
}
