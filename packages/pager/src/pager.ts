/*
 * pager.ts: pages in and out of a PageStore, through a bounded PageCache, inside read and
 * write transactions; page allocation (freelist first, then the end of the file), freeing,
 * commit and rollback; creating and opening databases (fileformat2 §1.2 "Pages", §1.3 the
 * header, §1.5 the freelist, §1.6 ptrmap pages). It knows nothing about B-tree contents
 * beyond page 1's empty sqlite_schema leaf written at creation.
 *
 * Transaction states (one Pager = one connection):
 *
 *     beginRead()          beginWrite()
 *   NONE ─────▶ READ ────────────────▶ WRITE ── commit() / rollback() ──▶ NONE
 *    ▲           │ endRead()
 *    └───────────┘          (beginWrite() from NONE passes through READ)
 *
 * Invariants:
 *  1. getPage(pgno) requires a transaction and 1 <= pgno <= pageCount; anything else read
 *     from disk that names a page is corruption (`corrupt()`), an API misuse otherwise.
 *  2. Pages are only modified after write(page) inside a WRITE transaction; write() pins the
 *     page (dirty pages are never evicted) until commit or rollback. Nothing reaches the
 *     store before commit, so rollback only forgets dirty pages.
 *  3. allocatePage never returns page 1, the lock-byte page (the page holding byte offset
 *     1073741824) or, in auto-vacuum files, a ptrmap page; when extending the file lands on
 *     a ptrmap page that page is initialised (zeroed) and skipped.
 *  4. commit writes page 1's change counter (+1), database size, version-valid-for (= the
 *     new change counter) and SQLITE_VERSION_NUMBER 3053000 (SQLite's
 *     pager_write_changecounter); the schema cookie changes only through
 *     setMeta("schemaCookie") / bumpSchemaCookie(). Over a WAL store (PageStore.walMode)
 *     it does so only when page 1 is dirty anyway or the database size changed (SQLite's
 *     B-tree dirties page 1 whenever the size changes), so the in-header size stays right
 *     and a commit that touches one leaf writes one frame; page 1 then also says file
 *     format 2 in bytes 18/19, from creation on, as the WAL frames do.
 *  5. The database size (pageCount) is the in-header size when valid (db-header.ts
 *     invariant 2), else the store's; an in-header size larger than the store's is
 *     corruption.
 *  6. Savepoints (statement journals, SQL SAVEPOINT / ROLLBACK TO; SQLite's
 *     PagerSavepoint + sub-journal, kept in memory). Inside a write transaction
 *     openSavepoint() pushes a level (1-based) remembering the journal length and the
 *     database size. The first write() of a page under the newest level appends ONE
 *     record (pgno, pre-image) to the journal, and only if the page existed when that level
 *     opened (pgno <= its database size; pages beyond need only truncation):
 *       - a clean page's record has no image: the store still holds it (invariant 2), so
 *         restoring it means dropping it from the cache;
 *       - a dirty page's record holds a copy of its bytes (buffers come from a small pool).
 *     "Already journaled under the newest level" is one compare: Page.spRec (the sequence
 *     number of the page's newest record) >= the level's start sequence. Sequence numbers
 *     only grow and a level's start is above every number handed out before it, so a
 *     stale spRec (from an earlier level or transaction) never looks current. Records of a released level stay
 *     and serve the enclosing level (its start is earlier), as SQLite's sub-journal does.
 *     rollbackToSavepoint(k) plays records from the newest down to level k's start (so each
 *     page ends with its oldest image since k opened), drops pages beyond k's database
 *     size, truncates the journal, pops deeper levels, keeps k open (empty), clears the
 *     decoded node state of every page it touched and fires onReset (cursors re-seek; the
 *     B-tree's overflow-chain cache dies with its generation). The freelist and every header
 *     field live in page 1 and the ptrmap pages, so they come back with those pages.
 *     With no savepoint open, write() pays one compare on an already-dirty page (the
 *     newest level's start sequence is then -1, below every spRec).
 *     commit() and rollback() end every level.
 */
import { SqliteError } from "@strata/common";
import type { VfsFile } from "@strata/vfs";
import { corrupt } from "./corrupt.js";
import {
  get4,
  HDR,
  HEADER_SIZE,
  headerDbSize,
  newDbHeader,
  parseDbHeader,
  pendingBytePage,
  put2,
  put4,
  SQLITE_VERSION_NUMBER,
  writeDbHeader,
  type DbHeader,
} from "./db-header.js";
import { freelistAllocate, freelistFree } from "./freelist.js";
import { Page, PageCache } from "./page-cache.js";
import { DirectFileStore, type DirectFileStoreOptions, type PageStore } from "./page-store.js";
import { isPtrmapPage } from "./ptrmap.js";

export type AutoVacuum = "none" | "full" | "incremental";

export interface CreateOptions {
  /** 512..65536, a power of two (default 4096). */
  pageSize?: number;
  /** Bytes reserved at the end of each page for the cipher layer (default 0). */
  reservedBytes?: number;
  autoVacuum?: AutoVacuum;
  /** 1 UTF-8 (default), 2 UTF-16le, 3 UTF-16be. */
  textEncoding?: 1 | 2 | 3;
}

export interface PagerOptions extends CreateOptions {
  /** Cache capacity in pages (default 2000). */
  cacheSize?: number;
  /** Create the database (page 1) if the store is empty (default true unless read-only). */
  create?: boolean;
}

/** Header u32 fields that callers may read (and, where writable, set) by name. */
export type MetaField =
  | "schemaCookie"
  | "schemaFormat"
  | "defaultCacheSize"
  | "largestRootPage"
  | "textEncoding"
  | "userVersion"
  | "incrementalVacuum"
  | "applicationId"
  | "changeCounter"
  | "freelistCount";

const WRITABLE_META = new Set<MetaField>([
  "schemaCookie",
  "schemaFormat",
  "defaultCacheSize",
  "textEncoding",
  "userVersion",
  "incrementalVacuum",
  "applicationId",
]);

const enum TxState {
  None = 0,
  Read = 1,
  Write = 2,
}

function misuse(msg: string): SqliteError {
  return new SqliteError("SQLITE_MISUSE", msg);
}

export class Pager {
  readonly store: PageStore;
  readonly readonly: boolean;
  private cache: PageCache;
  private state: TxState = TxState.None;
  pageSize = 4096;
  usableSize = 4096;
  reservedBytes = 0;
  /** True for auto-vacuum files (full or incremental): ptrmap pages are maintained. */
  autoVacuum = false;
  incrementalVacuum = false;
  lockBytePage = pendingBytePage(4096);
  private nPage = 0;
  private nPageAtWrite = 0;
  private dirtyHead: Page | null = null;
  private readonly hdrBuf = new Uint8Array(HEADER_SIZE);
  /** The header bytes last parsed and what they parsed to: a read transaction whose header
   *  is byte-for-byte the same skips parsing it again (one per statement otherwise). */
  private readonly lastHdrBuf = new Uint8Array(HEADER_SIZE);
  private readonly hdrWords = new Int32Array(this.hdrBuf.buffer, 0, HEADER_SIZE >> 2);
  private readonly lastHdrWords = new Int32Array(this.lastHdrBuf.buffer, 0, HEADER_SIZE >> 2);
  private lastHdr: DbHeader | null = null;
  /** lastHdr, nPage and the page geometry are the store's as of the last full beginRead,
   *  and nothing was committed since: a beginRead whose store reports no change keeps them
   *  (the store's contract: no change means the cache, page 1 included, is still right). */
  private hdrCurrent = false;
  private readonly resetListeners: (() => void)[] = [];
  private readonly commitListeners: (() => void)[] = [];
  private readonly cacheCapacity: number;
  /** The store is a WAL (invariant 4). */
  private readonly walMode: boolean;
  // Savepoints (invariant 6): per level (index = level - 1) the journal length, the start
  // sequence number and the database size when it opened; the journal as parallel arrays.
  private readonly spIdx: number[] = [];
  private readonly spSeq: number[] = [];
  private readonly spNPage: number[] = [];
  /** Newest level's start sequence and database size (-1 / 0 when none is open). */
  private spTopSeq = -1;
  private spTopNPage = 0;
  private jSeq = 0;
  private jLen = 0;
  private readonly jPgno: number[] = [];
  private readonly jImage: (Uint8Array | null)[] = [];
  private readonly imgPool: Uint8Array[] = [];

  private constructor(store: PageStore, cacheSize: number) {
    this.store = store;
    this.readonly = store.readonly;
    this.cacheCapacity = cacheSize;
    this.walMode = store.walMode === true;
    this.cache = new PageCache(4096, cacheSize);
  }

  /** Opens (and, if empty and allowed, creates) the database kept by `store`. */
  static open(store: PageStore, options: PagerOptions = {}): Pager {
    const pager = new Pager(store, options.cacheSize ?? 2000);
    pager.beginRead();
    const empty = pager.nPage === 0;
    pager.endRead();
    if (empty && !store.readonly && options.create !== false) {
      pager.beginWrite();
      pager.initNewDatabase(options);
      pager.commit();
    }
    return pager;
  }

  /** Opens a database file directly (DirectFileStore: no crash safety until the WAL). */
  static openFile(file: VfsFile, options: PagerOptions & DirectFileStoreOptions = {}): Pager {
    return Pager.open(new DirectFileStore(file, options), options);
  }

  get pageCount(): number {
    return this.nPage;
  }
  get inRead(): boolean {
    return this.state !== TxState.None;
  }
  get inWrite(): boolean {
    return this.state === TxState.Write;
  }

  /** Called after rollback or when cached pages were dropped: cursors must forget pages. */
  onReset(fn: () => void): void {
    this.resetListeners.push(fn);
  }

  /** Called at the start of commit() of a transaction that changed pages, before page 1 is
   *  stamped (the B-tree's full auto-vacuum); an exception leaves the transaction open. */
  onBeforeCommit(fn: () => void): void {
    this.commitListeners.push(fn);
  }

  // ---------------------------------------------------------------- transactions

  beginRead(): void {
    if (this.state !== TxState.None) return;
    const changed = this.store.beginRead();
    if (!changed && this.hdrCurrent) {
      this.state = TxState.Read;
      return;
    }
    this.hdrCurrent = false;
    const n = this.store.readHeader(this.hdrBuf);
    if (changed) this.dropCache();
    if (n === 0) {
      this.nPage = 0;
      this.state = TxState.Read;
      return;
    }
    let h = this.lastHdr;
    if (h === null || n < HEADER_SIZE || !sameWords(this.hdrWords, this.lastHdrWords)) {
      try {
        if (n < HEADER_SIZE) throw new SqliteError("SQLITE_NOTADB", "file is not a database");
        h = parseDbHeader(this.hdrBuf);
      } catch (e) {
        this.lastHdr = null;
        this.store.endRead();
        throw e;
      }
      this.lastHdr = h;
      this.lastHdrBuf.set(this.hdrBuf);
    }
    if (h.pageSize !== this.pageSize || this.cache.pageSize !== h.pageSize) this.setPageSize(h.pageSize);
    this.store.setPageSize(h.pageSize);
    this.reservedBytes = h.reservedBytes;
    this.usableSize = h.pageSize - h.reservedBytes;
    this.autoVacuum = h.largestRootPage !== 0;
    this.incrementalVacuum = h.incrementalVacuum !== 0;
    const storeCount = this.store.pageCount();
    const hdrCount = headerDbSize(h);
    if (hdrCount > storeCount) {
      this.store.endRead();
      throw corrupt(1, `in-header database size ${hdrCount} exceeds the file's ${storeCount} pages`);
    }
    this.nPage = hdrCount !== 0 ? hdrCount : storeCount;
    this.state = TxState.Read;
    this.hdrCurrent = true;
  }

  endRead(): void {
    if (this.state === TxState.Write) throw misuse("endRead inside a write transaction");
    if (this.state === TxState.None) return;
    this.store.endRead();
    this.state = TxState.None;
  }

  beginWrite(): void {
    if (this.state === TxState.Write) return;
    if (this.readonly) throw new SqliteError("SQLITE_READONLY", "attempt to write a readonly database");
    const wasNone = this.state === TxState.None;
    this.beginRead();
    try {
      this.store.beginWrite();
    } catch (e) {
      if (wasNone) this.endRead();
      throw e;
    }
    this.nPageAtWrite = this.nPage;
    this.state = TxState.Write;
  }

  /** Publishes the write transaction through the store (invariant 4), then ends it. */
  commit(): void {
    if (this.state !== TxState.Write) throw misuse("commit without a write transaction");
    if (this.dirtyHead !== null) for (const fn of this.commitListeners) fn();
    this.endSavepoints();
    if (this.dirtyHead !== null) {
      const page1 = this.getPage(1);
      if (!this.walMode || page1.dirty || this.nPage !== this.nPageAtWrite) {
        this.write(page1);
        const h = page1.data;
        const counter = (get4(h, HDR.changeCounter) + 1) >>> 0;
        put4(h, HDR.changeCounter, counter);
        put4(h, HDR.databaseSize, this.nPage);
        put4(h, HDR.versionValidFor, counter);
        put4(h, HDR.sqliteVersion, SQLITE_VERSION_NUMBER);
        if (this.walMode) h[HDR.writeVersion] = h[HDR.readVersion] = 2;
      }
      const pages: Page[] = [];
      for (let p: Page | null = this.dirtyHead; p !== null; p = p.dirtyNext) pages.push(p);
      if (pages.length > 16) pages.sort((a, b) => a.pgno - b.pgno);
      else {
        // Insertion sort: most commits write a few pages (the comparator sort costs more).
        for (let i = 1; i < pages.length; i++) {
          const p = pages[i];
          let j = i - 1;
          for (; j >= 0 && pages[j].pgno > p.pgno; j--) pages[j + 1] = pages[j];
          pages[j + 1] = p;
        }
      }
      const pgnos: number[] = [];
      const images: Uint8Array[] = [];
      for (const p of pages) {
        if (p.ovflCell.length !== 0) throw corrupt(p.pgno, "internal: overflow cell left at commit");
        if (p.pgno > this.nPage) continue;
        pgnos.push(p.pgno);
        images.push(p.data);
      }
      try {
        this.hdrCurrent = false; // the header changed: the next read parses it again
        this.store.commit(pgnos, images, this.nPage);
      } catch (e) {
        this.rollback();
        throw e;
      }
      for (const p of pages) {
        p.dirtyNext = null;
        this.cache.markClean(p);
      }
      this.dirtyHead = null;
      this.cache.truncate(this.nPage);
      if (this.walMode && !page1.dirty && page1.inCache && page1.data[HDR.writeVersion] !== 2) {
        // The store turned a rollback-mode file into a WAL one in this commit (page 1 now
        // says format 2 there): the clean cached copy follows the store's image.
        page1.data[HDR.writeVersion] = page1.data[HDR.readVersion] = 2;
      }
    }
    this.store.endWrite();
    this.store.endRead();
    this.state = TxState.None;
  }

  /** Forgets every change of the write transaction (invariant 2), then ends it. */
  rollback(): void {
    if (this.state !== TxState.Write) throw misuse("rollback without a write transaction");
    for (let p: Page | null = this.dirtyHead; p !== null; ) {
      const next = p.dirtyNext;
      p.dirtyNext = null;
      this.cache.remove(p);
      p.dirty = false;
      p.nodeInit = false;
      p.ovflIdx.length = 0;
      p.ovflCell.length = 0;
      p = next;
    }
    this.dirtyHead = null;
    this.nPage = this.nPageAtWrite;
    this.endSavepoints();
    for (const fn of this.resetListeners) fn();
    this.store.endWrite();
    this.store.endRead();
    this.state = TxState.None;
  }

  close(): void {
    if (this.state === TxState.Write) this.rollback();
    this.endRead();
    this.cache.clear();
    this.store.close();
  }

  // ---------------------------------------------------------------- pages

  /** The page `pgno` as of the transaction's snapshot (invariant 1). */
  getPage(pgno: number): Page {
    if (pgno < 1 || pgno > this.nPage || pgno !== Math.floor(pgno)) {
      if (this.state === TxState.None) throw misuse("no transaction is open");
      throw corrupt(pgno, `page ${pgno} is beyond the database size ${this.nPage}`);
    }
    const hit = this.cache.get(pgno);
    if (hit !== null) return hit;
    if (this.state === TxState.None) throw misuse("no transaction is open");
    const p = this.cache.add(pgno);
    this.store.readPage(pgno, p.data);
    return p;
  }

  /** Makes `page` writable in this transaction (pins it until commit/rollback). */
  write(page: Page): void {
    if (page.dirty) {
      // Invariant 6: spTopSeq is -1 (below every spRec) when no savepoint is open.
      if (page.spRec < this.spTopSeq) this.journal(page);
      return;
    }
    if (this.state !== TxState.Write) {
      throw new SqliteError("SQLITE_READONLY", "attempt to write a readonly database");
    }
    if (!page.inCache) {
      if (this.cache.peek(page.pgno) !== null) throw corrupt(page.pgno, "internal: write to an evicted page copy");
      this.cache.readd(page);
    }
    if (this.spIdx.length !== 0) this.journal(page);
    this.cache.markDirty(page);
    page.dirtyNext = this.dirtyHead;
    this.dirtyHead = page;
  }

  /**
   * VACUUM (SQLite's sqlite3BtreeCopyFile): inside a write transaction, makes the database
   * exactly `nPage` pages, page k's image filled by `fill(k, out)` (page 1 included). The
   * next commit() publishes them as one transaction and shrinks the file (or, over a WAL,
   * writes every page as frames of one commit whose commit frame carries the new size).
   * Cursors are reset as after a rollback to a savepoint.
   */
  replaceImage(nPage: number, fill: (pgno: number, out: Uint8Array) => void): void {
    if (this.state !== TxState.Write) throw misuse("replaceImage without a write transaction");
    if (nPage < 1) throw misuse("replaceImage needs page 1");
    this.nPage = nPage;
    for (let pgno = 1; pgno <= nPage; pgno++) fill(pgno, this.getZeroedPage(pgno).data);
    for (const fn of this.resetListeners) fn();
  }

  /** The page `pgno` (<= pageCount) with all-zero content, writable, node state cleared. */
  getZeroedPage(pgno: number): Page {
    let p = this.cache.get(pgno);
    if (p === null) p = this.cache.add(pgno);
    this.write(p);
    p.data.fill(0);
    p.nodeInit = false;
    p.ovflIdx.length = 0;
    p.ovflCell.length = 0;
    return p;
  }

  /** Clears the decoded B-tree state of a cached page whose bytes are being repurposed. */
  forgetNode(pgno: number): void {
    const p = this.cache.peek(pgno);
    if (p !== null) {
      p.nodeInit = false;
      p.ovflIdx.length = 0;
      p.ovflCell.length = 0;
    }
  }

  /** Allocates a page (invariant 3): the freelist first, else the end of the file. The page
   *  comes back zeroed and writable; in auto-vacuum files the caller sets its ptrmap entry. */
  allocatePage(): Page {
    if (this.state !== TxState.Write) throw misuse("allocatePage outside a write transaction");
    const pgno = freelistAllocate(this);
    if (pgno === 0) return this.extendFile();
    return this.getZeroedPage(pgno);
  }

  /** Allocates the next page at the end of the file, never from the freelist (invariant 3). */
  extendFile(): Page {
    if (this.state !== TxState.Write) throw misuse("extendFile outside a write transaction");
    let pgno = this.nPage + 1;
    if (pgno === this.lockBytePage) pgno++;
    if (this.autoVacuum && isPtrmapPage(this.usableSize, this.pageSize, pgno)) {
      this.nPage = pgno;
      this.getZeroedPage(pgno);
      pgno++;
      if (pgno === this.lockBytePage) pgno++;
    }
    this.nPage = pgno;
    return this.getZeroedPage(pgno);
  }

  /** Internal (auto-vacuum): shrinks the database to `n` pages; pages beyond are dropped at
   *  commit. The caller has moved everything live out of them. */
  truncateTo(n: number): void {
    if (this.state !== TxState.Write) throw misuse("truncateTo outside a write transaction");
    if (n < 1 || n > this.nPage || n !== Math.floor(n)) throw misuse(`truncateTo(${n}) with ${this.nPage} pages`);
    this.nPage = n;
  }

  /** Puts page `pgno` on the freelist. */
  freePage(pgno: number): void {
    if (this.state !== TxState.Write) throw misuse("freePage outside a write transaction");
    freelistFree(this, pgno);
  }

  // ---------------------------------------------------------------- savepoints

  /** Number of open savepoint levels (0 when none). */
  get savepointLevel(): number {
    return this.spIdx.length;
  }

  /** Opens a savepoint inside the write transaction; returns its level (1 = outermost). */
  openSavepoint(): number {
    if (this.state !== TxState.Write) throw misuse("openSavepoint outside a write transaction");
    // Every sequence number handed out so far (records, marks) is below jSeq.
    this.spTopSeq = this.jSeq++;
    this.spIdx.push(this.jLen);
    this.spSeq.push(this.spTopSeq);
    this.spNPage.push(this.nPage);
    this.spTopNPage = this.nPage;
    return this.spIdx.length;
  }

  /** Ends savepoint `level` and every deeper one, keeping their changes (SQL RELEASE). */
  releaseSavepoint(level: number): void {
    this.checkLevel(level, "releaseSavepoint");
    if (level === 1) {
      this.endSavepoints();
      return;
    }
    this.spIdx.length = this.spSeq.length = this.spNPage.length = level - 1;
    this.spTopSeq = this.spSeq[level - 2];
    this.spTopNPage = this.spNPage[level - 2];
  }

  /**
   * Puts every page changed since savepoint `level` opened back as it was then, with the
   * database size (and so the freelist and header, which live in pages); ends the deeper
   * levels, keeps `level` open and empty (SQL ROLLBACK TO); cursors are reset (invariant 6).
   */
  rollbackToSavepoint(level: number): void {
    this.checkLevel(level, "rollbackToSavepoint");
    const start = this.spIdx[level - 1];
    const nPage = this.spNPage[level - 1];
    for (let i = this.jLen - 1; i >= start; i--) {
      const p = this.cache.peek(this.jPgno[i]);
      const img = this.jImage[i];
      if (p === null || !p.dirty) throw corrupt(this.jPgno[i], "internal: journaled page is not dirty");
      p.nodeInit = false;
      p.ovflIdx.length = 0;
      p.ovflCell.length = 0;
      p.spRec = -1;
      if (img === null) {
        // Clean when journaled: the store has it; the next getPage reads it again.
        this.cache.remove(p);
        p.dirty = false;
      } else {
        p.data.set(img);
        if (this.imgPool.length < 64) this.imgPool.push(img);
        this.jImage[i] = null;
      }
    }
    this.jLen = start;
    this.nPage = nPage;
    // Rebuild the dirty list without the pages dropped above or beyond the old size.
    let head: Page | null = null;
    for (let p: Page | null = this.dirtyHead; p !== null; ) {
      const next: Page | null = p.dirtyNext;
      p.dirtyNext = null;
      if (p.dirty && p.pgno > nPage) {
        this.cache.remove(p);
        p.dirty = false;
        p.nodeInit = false;
        p.ovflIdx.length = 0;
        p.ovflCell.length = 0;
      }
      if (p.dirty) {
        p.dirtyNext = head;
        head = p;
      }
      p = next;
    }
    this.dirtyHead = head;
    this.cache.truncate(nPage);
    this.spIdx.length = this.spSeq.length = this.spNPage.length = level;
    this.spSeq[level - 1] = this.spTopSeq = this.jSeq++;
    this.spTopNPage = nPage;
    for (const fn of this.resetListeners) fn();
  }

  private checkLevel(level: number, what: string): void {
    if (this.state !== TxState.Write) throw misuse(`${what} outside a write transaction`);
    if (level < 1 || level > this.spIdx.length || level !== Math.floor(level)) {
      throw misuse(`${what}: no savepoint level ${level} (${this.spIdx.length} open)`);
    }
  }

  /** Appends `page`'s pre-image under the newest level (invariant 6); cold-ish path. */
  private journal(page: Page): void {
    if (page.pgno > this.spTopNPage) {
      // New since the level opened: rollback drops it. Marking it journaled is safe for the
      // enclosing levels too (their sizes are no larger).
      page.spRec = this.spTopSeq;
      return;
    }
    let img: Uint8Array | null = null;
    if (page.dirty) {
      const pooled = this.imgPool.pop();
      img = pooled !== undefined && pooled.length === page.data.length ? pooled : new Uint8Array(page.data.length);
      img.set(page.data);
    }
    const i = this.jLen++;
    if (i === this.jPgno.length) {
      this.jPgno.push(page.pgno);
      this.jImage.push(img);
    } else {
      this.jPgno[i] = page.pgno;
      this.jImage[i] = img;
    }
    page.spRec = this.jSeq++;
  }

  /** Ends every savepoint level (commit, rollback, release of level 1). */
  private endSavepoints(): void {
    if (this.spIdx.length === 0 && this.jLen === 0) return;
    for (let i = 0; i < this.jLen; i++) {
      const img = this.jImage[i];
      if (img !== null && this.imgPool.length < 64) this.imgPool.push(img);
    }
    this.jLen = 0;
    this.jPgno.length = this.jImage.length = 0;
    this.spIdx.length = this.spSeq.length = this.spNPage.length = 0;
    this.spTopSeq = -1;
    this.spTopNPage = 0;
  }

  // ---------------------------------------------------------------- header fields

  getMeta(field: MetaField): number {
    return get4(this.getPage(1).data, HDR[field]);
  }

  setMeta(field: MetaField, value: number): void {
    if (!WRITABLE_META.has(field)) throw misuse(`header field ${field} is maintained by the pager`);
    const p = this.getPage(1);
    this.write(p);
    put4(p.data, HDR[field], value >>> 0);
  }

  /** Increments the schema cookie (offset 40): the caller's choice on a schema change. */
  bumpSchemaCookie(): void {
    this.setMeta("schemaCookie", (this.getMeta("schemaCookie") + 1) >>> 0);
  }

  /** Internal (B-tree): sets the largest root page field of auto-vacuum files. */
  setLargestRootPage(pgno: number): void {
    const p = this.getPage(1);
    this.write(p);
    put4(p.data, HDR.largestRootPage, pgno);
  }

  // ---------------------------------------------------------------- internals

  private setPageSize(pageSize: number): void {
    if (this.dirtyHead !== null) throw misuse("page size change with dirty pages");
    this.pageSize = pageSize;
    this.lockBytePage = pendingBytePage(pageSize);
    this.imgPool.length = 0;
    this.store.setPageSize(pageSize);
    this.dropCache();
    this.cache = new PageCache(pageSize, this.cacheCapacity);
  }

  private dropCache(): void {
    this.hdrCurrent = false;
    this.cache.clear();
    for (const fn of this.resetListeners) fn();
  }

  /** Writes page 1 of a new database (fileformat2 §1.3) with an empty sqlite_schema leaf. */
  private initNewDatabase(o: CreateOptions): void {
    const pageSize = o.pageSize ?? 4096;
    const reserved = o.reservedBytes ?? 0;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
      throw new SqliteError("SQLITE_MISUSE", `invalid page size ${pageSize}`);
    }
    if (reserved < 0 || reserved > 255 || pageSize - reserved < 480) {
      throw new SqliteError("SQLITE_MISUSE", `invalid reserved bytes ${reserved}`);
    }
    this.setPageSize(pageSize);
    this.reservedBytes = reserved;
    this.usableSize = pageSize - reserved;
    const av = o.autoVacuum ?? "none";
    this.autoVacuum = av !== "none";
    this.incrementalVacuum = av === "incremental";
    this.nPage = 1;
    const h = newDbHeader(pageSize, reserved);
    h.databaseSize = 1;
    h.largestRootPage = this.autoVacuum ? 1 : 0;
    h.incrementalVacuum = this.incrementalVacuum ? 1 : 0;
    h.textEncoding = o.textEncoding ?? 1;
    if (this.walMode) h.writeVersion = h.readVersion = 2;
    const p = this.getZeroedPage(1);
    writeDbHeader(p.data, h);
    // Empty table-leaf root of sqlite_schema at offset 100.
    p.data[100] = 13;
    put2(p.data, 105, this.usableSize === 65536 ? 0 : this.usableSize);
  }
}

/** Whether two header buffers hold the same bytes (compared as 32-bit words). */
function sameWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
