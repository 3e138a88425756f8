/*
 * wal-shared.ts: everything one process knows about one database file, shared by every
 * connection of the process to it: the open database and WAL files, the wal-index, the
 * committed WAL state (mxFrame, nPage, running checksum, salts), nBackfill, the read
 * marks of live snapshots and the WRITER lock. This is SQLite's wal.c plus the parts of
 * its -shm, kept in memory because one process owns the file (design.md, "One process
 * owns a file"; wal.html §"Use of WAL Without Shared-Memory").
 * Formats: walformat.html, fileformat2.html §4; the ordering of writes and fsyncs
 * follows sqlite3WalFrames() and walCheckpoint() in SQLite's src/wal.c.
 *
 * Invariants:
 *  1. Frames 1..mxFrame of the WAL file are valid (salts, checksums) and frame mxFrame is
 *     a commit frame; `cksum` is the running checksum after frame mxFrame (the header
 *     checksum when mxFrame = 0). Frames past mxFrame are garbage to everyone.
 *  2. A snapshot (read mark) is (mxFrame, nPage, gen). A page read through it is the
 *     newest frame <= snapshot.mxFrame holding the page, else the database file's page.
 *  3. nBackfill <= min(mxFrame, every live snapshot's mxFrame): a checkpoint never
 *     writes into the database file a frame newer than what a live reader may read from
 *     the database file (mxSafeFrame in walCheckpoint()).
 *  4. The database file is synced (unless synchronous=OFF) before nBackfill reaches
 *     mxFrame, and the WAL restarts (frames written again from frame 1, salt-1 + 1,
 *     salt-2 random, checkpoint sequence + 1) only when nBackfill == mxFrame. At the
 *     restart every live snapshot is moved to (mxFrame 0, the new gen): its pages are
 *     all in the database file already, and the old frame numbers mean nothing now.
 *  5. At most one connection holds the WRITER lock (`writer`). Commits append after
 *     mxFrame and publish the new mxFrame only after every frame is written (and, for
 *     synchronous=FULL, synced); a failure before that leaves mxFrame and the index as
 *     they were.
 *  6. fsync points: OFF none. NORMAL: the WAL after writing a new WAL header, the WAL
 *     before a checkpoint copies frames, the database after a checkpoint that reaches
 *     mxFrame. FULL: those, plus the WAL at every commit. (SQLite assumes powersafe
 *     overwrite on unix and so does not pad the last frame to a sector; nor do we.)
 *  7. (gen, mxFrame) names one version of the database, so the head of page 1 cached
 *     for (p1Gen, p1Mx) is exact for every snapshot with that pair: a commit moves the
 *     key to its new mxFrame (copying the head from its page-1 frame, if any) when the
 *     cache was current, a restart to (gen + 1, 0).
 *
 * Lock / transaction states of one database in this process:
 *
 *            beginRead()                 beginWrite()
 *   (no mark) ─────────▶ READER (mark M) ─────────────▶ WRITER (mark M, writer lock)
 *        ▲                   │  endRead()     │ M stale (another commit): SQLITE_BUSY_SNAPSHOT
 *        └───────────────────┘                │ writer lock held by another: SQLITE_BUSY
 *        ▲                                    │
 *        └──── endWrite() + endRead() ◀───────┘ commit(): frames appended, mxFrame published
 */
import { corrupt, SqliteError } from "@strata/common";
import type { Vfs, VfsFile } from "@strata/vfs";
import {
  WAL_FRAME_HDRSIZE,
  WAL_HDRSIZE,
  WalHeader,
  checkFrame,
  decodeWalHeader,
  encodeFrame,
  encodeWalHeader,
  frameCommitSize,
  isValidPageSize,
  walFrameOffset,
} from "./wal-format.js";
import { WalIndex } from "./wal-index.js";
import { rollbackHotJournal, setFileFormatVersion } from "./journal.js";

export type Synchronous = "off" | "normal" | "full";

/** Bytes of page 1 kept by readPage1Head (the 100-byte database header). */
const P1_CACHED = 100;
export type CheckpointMode = "passive" | "full" | "restart" | "truncate";

export interface CheckpointResult {
  /** Frames in the WAL after the checkpoint (SQLite's pnLog). */
  walFrames: number;
  /** Frames of those already copied into the database (SQLite's pnCkpt). */
  backfilled: number;
}

/** Releases the process lock; returned by a ProcessLockHook. */
export interface HeldLock {
  release(): void;
}

/** Takes the process lock of a database path or throws SQLITE_BUSY naming the holder. */
export type ProcessLockHook = (dbPath: string) => HeldLock;

export interface SharedOptions {
  /** Page size of a new database (default 4096). An existing file's own page size wins. */
  pageSize?: number;
  /** Source of random 32-bit values for salts and journal nonces (default crypto). */
  randomU32?: () => number;
  /** The process lock (e.g. acquireProcessLock from "@strata/vfs/node"); none by default. */
  processLock?: ProcessLockHook | null;
  /** How long to keep retrying a process lock held by another process, in ms (default 0). */
  busyTimeout?: number;
}

/** A read snapshot: SQLite's read mark (see invariant 2). Owned by one connection. */
export class Snapshot {
  mxFrame: number;
  nPage: number;
  gen: number;
  constructor(mxFrame: number, nPage: number, gen: number) {
    this.mxFrame = mxFrame;
    this.nPage = nPage;
    this.gen = gen;
  }
}

function defaultRandomU32(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0];
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class WalShared {
  readonly vfs: Vfs;
  readonly path: string;
  readonly walPath: string;
  readonly journalPath: string;
  readonly dbFile: VfsFile;
  walFile: VfsFile | null;
  pageSize: number;
  /** "wal" once bytes 18/19 are 2 (or the file is new); "rollback" for a 1/1 file until its first write. */
  mode: "wal" | "rollback";
  readonly index: WalIndex;
  /** The header of the current WAL generation; null before the first header is written or found. */
  hdr: WalHeader | null;
  /** True when `hdr` is what the WAL file holds at offset 0 for this generation. */
  hdrWritten: boolean;
  mxFrame: number;
  /** Database size in pages as of mxFrame (the file's size when mxFrame = 0). */
  nPage: number;
  readonly cksum: Uint32Array;
  nBackfill: number;
  /** Database file size in pages, as we last wrote or measured it. */
  dbFilePages: number;
  /** Bumped at every WAL restart; part of every snapshot. */
  gen: number;
  /** Live read marks. */
  readonly readers: Set<Snapshot>;
  /** The connection holding the WRITER lock, or null. */
  writer: object | null;
  refs: number;
  /** Bumped by every commit: a store whose snapshot saw another value must drop its cache. */
  changeCount: number;
  readonly randomU32: () => number;
  private lock: HeldLock | null;
  private frameBuf: Uint8Array;
  /** The first bytes of page 1 as of snapshot (p1Gen, p1Mx) (invariant 7); p1Mx -1: none. */
  private readonly p1Hdr: Uint8Array;
  private p1Gen: number;
  private p1Mx: number;
  private readonly hdrBuf: Uint8Array;
  private readonly frameHdr: Uint8Array;
  /** Frames recovered from the WAL at open (for tests and diagnostics). */
  recoveredFrames: number;
  /** Rollback-journal pages restored at open, or -1 if there was no hot journal. */
  hotJournalPages: number;

  constructor(vfs: Vfs, path: string, options: SharedOptions) {
    this.vfs = vfs;
    this.path = path;
    this.walPath = `${path}-wal`;
    this.journalPath = `${path}-journal`;
    this.randomU32 = options.randomU32 ?? defaultRandomU32;
    this.lock = options.processLock ? takeLock(options.processLock, path, options.busyTimeout ?? 0) : null;
    this.index = new WalIndex();
    this.hdr = null;
    this.hdrWritten = false;
    this.mxFrame = 0;
    this.nPage = 0;
    this.cksum = new Uint32Array(2);
    this.nBackfill = 0;
    this.gen = 0;
    this.p1Hdr = new Uint8Array(P1_CACHED);
    this.p1Gen = 0;
    this.p1Mx = -1;
    this.readers = new Set();
    this.writer = null;
    this.refs = 0;
    this.changeCount = 0;
    this.walFile = null;
    this.frameBuf = new Uint8Array(0);
    this.hdrBuf = new Uint8Array(WAL_HDRSIZE);
    this.frameHdr = new Uint8Array(WAL_FRAME_HDRSIZE);
    this.recoveredFrames = 0;
    this.hotJournalPages = -1;
    let db: VfsFile | null = null;
    try {
      db = vfs.open(path, { create: true, kind: "main-db" });
      this.dbFile = db;
      const hot = rollbackHotJournal(vfs, db, this.journalPath);
      if (hot !== null) this.hotJournalPages = hot.pagesRestored;
      const dbSize = db.size();
      let version = 2;
      this.pageSize = options.pageSize ?? 4096;
      const head = new Uint8Array(100);
      if (dbSize > 0) db.read(head, 0);
      // COMPAT: a file whose first 100 bytes are all zero is what a crash during the
      // very first write of a new database leaves (its only sector lost); we open it as
      // an empty database, where SQLite reports SQLITE_NOTADB.
      const zeroHeader = dbSize > 0 && head.every((b) => b === 0);
      if (dbSize >= 100 && !zeroHeader) {
        const ps = head[16] * 256 + head[17];
        const pageSize = ps === 1 ? 65536 : ps;
        if (!isValidPageSize(pageSize)) throw new SqliteError("SQLITE_NOTADB", "file is not a database");
        this.pageSize = pageSize;
        version = head[18];
        if (head[18] > 2 || head[19] > 2) throw new SqliteError("SQLITE_NOTADB", "file is not a database");
      } else if (dbSize > 0 && !zeroHeader) {
        throw new SqliteError("SQLITE_NOTADB", "file is not a database");
      }
      this.dbFilePages = zeroHeader ? 0 : Math.floor(dbSize / this.pageSize);
      this.mode = version === 1 ? "rollback" : "wal";
      this.recover();
      if (this.mxFrame > 0) this.mode = "wal"; // a WAL with frames wins, as pagerOpenWalIfPresent()
      this.nPage = this.mxFrame > 0 ? this.nPage : this.dbFilePages;
    } catch (e) {
      (this.walFile as VfsFile | null)?.close();
      db?.close();
      this.lock?.release();
      throw e;
    }
  }

  /**
   * Recovery (walIndexRecover()): rebuilds the wal-index from the WAL file, keeping the
   * frames up to the last valid commit frame; an uncommitted or invalid tail is ignored.
   */
  private recover(): void {
    if (!this.vfs.exists(this.walPath)) return;
    const wal = this.vfs.open(this.walPath, { create: true, kind: "wal" });
    this.walFile = wal;
    const size = wal.size();
    if (size < WAL_HDRSIZE) return;
    wal.read(this.hdrBuf, 0);
    const h = decodeWalHeader(this.hdrBuf);
    if (typeof h === "string") {
      if (h === "version") throw new SqliteError("SQLITE_CANTOPEN", "unable to open database file (unknown WAL format version)");
      return; // no usable header: the WAL is empty
    }
    if (this.dbFilePages > 0 && h.pageSize !== this.pageSize) throw corrupt(`WAL page size ${h.pageSize}, database ${this.pageSize}`);
    this.pageSize = h.pageSize;
    this.hdr = h;
    this.hdrWritten = true;
    const ps = h.pageSize;
    const szFrame = ps + WAL_FRAME_HDRSIZE;
    const s = this.cksum;
    s[0] = h.cksum1;
    s[1] = h.cksum2;
    const run = new Uint32Array(2);
    run[0] = s[0];
    run[1] = s[1];
    const batch = Math.max(1, Math.floor((1 << 20) / szFrame));
    const buf = new Uint8Array(batch * szFrame);
    let iFrame = 0;
    let off = WAL_HDRSIZE;
    scan: while (off + szFrame <= size) {
      const n = Math.min(batch, Math.floor((size - off) / szFrame));
      const chunk = buf.subarray(0, n * szFrame);
      wal.read(chunk, off);
      for (let k = 0; k < n; k++) {
        const frame = chunk.subarray(k * szFrame, (k + 1) * szFrame);
        const pgno = checkFrame(h, frame, ps, run);
        if (pgno === 0) break scan;
        iFrame++;
        this.index.append(pgno);
        const commit = frameCommitSize(frame);
        if (commit !== 0) {
          this.mxFrame = iFrame;
          this.nPage = commit;
          s[0] = run[0];
          s[1] = run[1];
        }
      }
      off += n * szFrame;
    }
    this.index.truncate(this.mxFrame);
    this.recoveredFrames = this.mxFrame;
  }

  // ---- snapshots (read marks) ----

  beginRead(): Snapshot {
    const snap = new Snapshot(this.mxFrame, this.nPage, this.gen);
    this.readers.add(snap);
    return snap;
  }

  endRead(snap: Snapshot): void {
    this.readers.delete(snap);
  }

  /** True when no commit happened since `snap` was taken (a writer may start from it). */
  isCurrent(snap: Snapshot): boolean {
    return snap.gen === this.gen && snap.mxFrame === this.mxFrame;
  }

  /** Copies page `pgno` as of `snap` into `out` (pageSize bytes). Allocates nothing. */
  readPage(snap: Snapshot, pgno: number, out: Uint8Array): void {
    const f = snap.mxFrame === 0 ? 0 : this.index.find(pgno, snap.mxFrame);
    if (f !== 0) {
      this.walFile!.read(out, walFrameOffset(f, this.pageSize) + WAL_FRAME_HDRSIZE);
    } else if (pgno <= this.dbFilePages) {
      this.dbFile.read(out, (pgno - 1) * this.pageSize);
    } else {
      out.fill(0);
    }
  }

  /**
   * Copies the first out.length bytes of page 1 as of `snap` (the database header every
   * transaction starts by reading) from the cache when it holds that version, else from
   * the file (then cached). Invariant 7.
   */
  readPage1Head(snap: Snapshot, out: Uint8Array, scratch: Uint8Array): void {
    const n = out.length;
    if (n <= P1_CACHED && snap.gen === this.p1Gen && snap.mxFrame === this.p1Mx) {
      for (let i = 0; i < n; i++) out[i] = this.p1Hdr[i];
      return;
    }
    this.readPage(snap, 1, scratch);
    out.set(scratch.subarray(0, n));
    this.p1Hdr.set(scratch.subarray(0, P1_CACHED));
    this.p1Gen = snap.gen;
    this.p1Mx = snap.mxFrame;
  }

  // ---- the WRITER lock ----

  /** Takes the WRITER lock for `owner`, or throws SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT. */
  beginWrite(owner: object, snap: Snapshot): void {
    if (this.writer !== null && this.writer !== owner) {
      throw new SqliteError("SQLITE_BUSY", "database is locked");
    }
    if (!this.isCurrent(snap)) throw new SqliteError("SQLITE_BUSY_SNAPSHOT", "database is locked");
    this.writer = owner;
  }

  endWrite(owner: object): void {
    if (this.writer === owner) this.writer = null;
  }

  // ---- commit ----

  /**
   * Appends one transaction: `pgnos` (ascending) with their images, the last frame a
   * commit frame carrying `nPage`. Publishes the new mxFrame (invariant 5).
   */
  commit(pgnos: readonly number[], images: readonly Uint8Array[], nPage: number, sync: Synchronous): void {
    if (pgnos.length === 0) return;
    const ps = this.pageSize;
    for (const img of images) {
      if (img.length !== ps) {
        if (this.mxFrame === 0 && this.dbFilePages === 0 && isValidPageSize(img.length)) this.pageSize = img.length;
        else throw new SqliteError("SQLITE_MISUSE", `page image of ${img.length} bytes in a database of ${ps}-byte pages`);
      }
    }
    if (this.mode === "rollback") this.convertToWal(sync);
    if (this.dbFilePages === 0 && this.mxFrame === 0) this.writeBasePage1(pgnos, images, sync);
    if (this.mxFrame > 0 && this.nBackfill === this.mxFrame) this.restart();
    if (this.walFile === null) this.walFile = this.vfs.open(this.walPath, { create: true, kind: "wal" });
    if (!this.hdrWritten) this.writeHeader(sync);
    const pageSize = this.pageSize;
    const szFrame = pageSize + WAL_FRAME_HDRSIZE;
    const need = szFrame * pgnos.length;
    if (this.frameBuf.length < need) this.frameBuf = new Uint8Array(Math.max(need, this.frameBuf.length * 2));
    const buf = this.frameBuf;
    const h = this.hdr!;
    const run = new Uint32Array(2);
    run[0] = this.cksum[0];
    run[1] = this.cksum[1];
    const first = this.mxFrame + 1;
    const last = pgnos.length - 1;
    for (let i = 0; i <= last; i++) {
      const frame = buf.subarray(i * szFrame, (i + 1) * szFrame);
      frame.set(images[i], WAL_FRAME_HDRSIZE);
      if (pgnos[i] === 1 && frame[WAL_FRAME_HDRSIZE + 18] === 1 && frame[WAL_FRAME_HDRSIZE + 19] === 1) {
        // A WAL database says so on page 1 (bytes 18/19 = 2), whatever the image had.
        frame[WAL_FRAME_HDRSIZE + 18] = 2;
        frame[WAL_FRAME_HDRSIZE + 19] = 2;
      }
      encodeFrame(h, pgnos[i], i === last ? nPage : 0, frame, pageSize, run);
    }
    // If either call throws, nothing is published: mxFrame and the index are untouched.
    const wal = this.walFile;
    wal.write(buf.subarray(0, need), walFrameOffset(first, pageSize));
    if (sync === "full") wal.sync("normal");
    for (let i = 0; i <= last; i++) this.index.append(pgnos[i]);
    // Invariant 7: the cached page-1 head follows the commit (from its frame, as patched).
    if (pgnos[0] === 1) {
      this.p1Hdr.set(buf.subarray(WAL_FRAME_HDRSIZE, WAL_FRAME_HDRSIZE + P1_CACHED));
      this.p1Gen = this.gen;
      this.p1Mx = first + last;
    } else if (this.p1Gen === this.gen && this.p1Mx === this.mxFrame) this.p1Mx = first + last;
    this.mxFrame = first + last;
    this.nPage = nPage;
    this.changeCount++;
    this.cksum[0] = run[0];
    this.cksum[1] = run[1];
  }

  /** Writes the WAL header of a new generation (invariant 4's salts) and syncs it. */
  private writeHeader(sync: Synchronous): void {
    const old = this.hdr;
    const h = new WalHeader();
    h.bigEndCksum = false;
    h.pageSize = this.pageSize;
    if (old !== null) {
      h.checkpointSeq = (old.checkpointSeq + 1) >>> 0;
      h.salt1 = (old.salt1 + 1) >>> 0;
      h.salt2 = this.randomU32() >>> 0;
    } else {
      h.checkpointSeq = 0;
      h.salt1 = this.randomU32() >>> 0;
      h.salt2 = this.randomU32() >>> 0;
    }
    encodeWalHeader(h, this.hdrBuf);
    this.walFile!.write(this.hdrBuf, 0);
    if (sync !== "off") this.walFile!.sync("normal");
    this.hdr = h;
    this.hdrWritten = true;
    this.cksum[0] = h.cksum1;
    this.cksum[1] = h.cksum2;
  }

  /** Starts a new WAL generation: every frame is backfilled (invariant 4). */
  private restart(): void {
    // Invariant 7: every frame is in the database file, so page 1 is what it was.
    const p1Current = this.p1Gen === this.gen && this.p1Mx === this.mxFrame;
    if (p1Current) {
      this.p1Gen = this.gen + 1;
      this.p1Mx = 0;
    }
    this.index.truncate(0);
    this.mxFrame = 0;
    this.nBackfill = 0;
    this.gen++;
    this.hdrWritten = false;
    for (const snap of this.readers) {
      snap.mxFrame = 0;
      snap.gen = this.gen;
    }
  }

  /** The first write to a rollback-journal database: bytes 18/19 become 2 (journal-protected). */
  private convertToWal(sync: Synchronous): void {
    this.p1Mx = -1; // page 1 changes in place (invariant 7)
    if (this.dbFilePages > 0) {
      const page1 = new Uint8Array(this.pageSize);
      this.dbFile.read(page1, 0);
      setFileFormatVersion(this.vfs, this.dbFile, this.journalPath, page1, this.dbFilePages, 2, sync !== "off", this.randomU32);
    }
    this.mode = "wal";
  }

  /**
   * The first commit to an empty database file first makes the file an empty WAL-mode
   * database of one page, as SQLite's `PRAGMA journal_mode=WAL` does on a new database:
   * sqlite3 deletes a WAL that sits beside an empty database file (pagerOpenWalIfPresent),
   * so the file must never be empty once frames exist. Page 1 keeps the transaction's
   * header settings (page size, reserved bytes, encoding, schema format, auto-vacuum)
   * over an empty sqlite_schema leaf.
   */
  private writeBasePage1(pgnos: readonly number[], images: readonly Uint8Array[], sync: Synchronous): void {
    this.p1Mx = -1; // page 1 is written in place (invariant 7)
    if (pgnos[0] !== 1) throw new SqliteError("SQLITE_MISUSE", "the first commit to an empty database must write page 1");
    const ps = this.pageSize;
    const src = images[0];
    const base = new Uint8Array(ps);
    base.set(src.subarray(0, 100));
    base[18] = 2;
    base[19] = 2;
    const put = (off: number, v: number) => {
      base[off] = v >>> 24; base[off + 1] = v >>> 16; base[off + 2] = v >>> 8; base[off + 3] = v;
    };
    put(24, 1); // file change counter
    put(28, 1); // database size in pages
    put(32, 0); // freelist trunk
    put(36, 0); // freelist count
    put(40, 0); // schema cookie
    const autoVacuum = (src[52] | src[53] | src[54] | src[55]) !== 0;
    put(52, autoVacuum ? 1 : 0);
    put(92, 1); // version-valid-for
    const usable = ps - src[20];
    base[100] = 13; // table leaf: the empty sqlite_schema
    base[105] = (usable >>> 8) & 0xff;
    base[106] = usable & 0xff;
    this.dbFile.write(base, 0);
    if (sync !== "off") this.dbFile.sync("normal");
    this.dbFilePages = 1;
    this.mode = "wal";
  }

  // ---- checkpoint ----

  /**
   * Copies frames back into the database file (walCheckpoint()). `caller` is the
   * connection asking; FULL, RESTART and TRUNCATE need the WRITER lock, so they fail
   * with SQLITE_BUSY while another connection writes, and with SQLITE_BUSY when a live
   * reader keeps a frame from being backfilled: in one single-threaded process nobody
   * can release either while we wait, so there is no busy wait.
   */
  checkpoint(caller: object, mode: CheckpointMode, sync: Synchronous): CheckpointResult {
    if (mode !== "passive") {
      if (this.writer !== null && this.writer !== caller) throw new SqliteError("SQLITE_BUSY", "database is locked");
      if (this.writer === caller) throw new SqliteError("SQLITE_LOCKED", "database table is locked");
    }
    let mxSafe = this.mxFrame;
    for (const snap of this.readers) if (snap.mxFrame < mxSafe) mxSafe = snap.mxFrame;
    if (this.nBackfill < mxSafe) this.backfill(mxSafe, sync);
    if (mode !== "passive") {
      if (this.nBackfill < this.mxFrame) throw new SqliteError("SQLITE_BUSY", "database is locked");
      if ((mode === "restart" || mode === "truncate") && this.mxFrame > 0) {
        this.restart();
      }
      if (mode === "truncate" && this.walFile !== null && this.walFile.size() > 0) {
        this.walFile.truncate(0);
        this.hdrWritten = false;
      }
    }
    return { walFrames: this.mxFrame, backfilled: this.nBackfill };
  }

  private backfill(mxSafe: number, sync: Synchronous): void {
    const wal = this.walFile!;
    const db = this.dbFile;
    const ps = this.pageSize;
    const mxPage = this.nPage;
    if (sync !== "off") wal.sync("normal");
    const page = new Uint8Array(ps);
    let maxWritten = this.dbFilePages;
    this.index.pagesIn(this.nBackfill, mxSafe, (pgno, frame) => {
      if (pgno > mxPage) return;
      if (wal.read(page, walFrameOffset(frame, ps) + WAL_FRAME_HDRSIZE) !== ps) throw corrupt(`short WAL frame ${frame}`);
      db.write(page, (pgno - 1) * ps);
      if (pgno > maxWritten) maxWritten = pgno;
    });
    this.dbFilePages = maxWritten;
    if (mxSafe === this.mxFrame) {
      db.truncate(mxPage * ps);
      this.dbFilePages = mxPage;
      if (sync !== "off") db.sync("normal");
    }
    this.nBackfill = mxSafe;
  }

  // ---- close ----

  /**
   * Drops one connection's reference. The last one checkpoints (if no one writes and
   * `keepWal` is false), deletes a fully backfilled WAL as sqlite3WalClose() does, closes
   * the files and releases the process lock.
   */
  release(sync: Synchronous, keepWal: boolean): void {
    if (--this.refs > 0) return;
    try {
      if (!keepWal && this.walFile !== null && this.writer === null) {
        this.checkpoint(this, "passive", sync);
        if (this.nBackfill === this.mxFrame) {
          this.walFile.close();
          this.walFile = null;
          this.vfs.delete(this.walPath, { syncDir: sync !== "off" });
        }
      }
    } finally {
      this.walFile?.close();
      this.walFile = null;
      this.dbFile.close();
      this.lock?.release();
      this.lock = null;
    }
  }

  /** Reads the frame header of frame `f` (tests and diagnostics). */
  frameHeader(f: number): Uint8Array {
    this.walFile!.read(this.frameHdr, walFrameOffset(f, this.pageSize));
    return this.frameHdr;
  }
}

function takeLock(hook: ProcessLockHook, path: string, timeoutMs: number): HeldLock {
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    try {
      return hook(path);
    } catch (e) {
      if (!(e instanceof SqliteError) || (e.rawCode & 0xff) !== 5 || Date.now() >= deadline) throw e;
      sleepSync(Math.min(wait, Math.max(1, deadline - Date.now())));
      wait = Math.min(wait * 2, 100);
    }
  }
}

// ---- the per-process registry: one WalShared per (Vfs, path) ----

// Every Vfs named "node" is a window on the one real file system, so all of them share
// one scope keyed by absolute path; any other Vfs instance (memory, a fault wrapper) is a
// file system of its own and gets its own scope.
const registry = new WeakMap<object, Map<string, WalShared>>();
const NODE_SCOPE = {};

function scopeOf(vfs: Vfs): object {
  return vfs.name === "node" ? NODE_SCOPE : vfs;
}

function absolute(vfs: Vfs, path: string): string {
  if (vfs.name !== "node" || path.startsWith("/")) return path;
  const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
  return cwd ? `${cwd}/${path}` : path;
}

/** The process's WalShared for `path` on `vfs`, opened (with recovery) on first use. */
export function acquireShared(vfs: Vfs, path: string, options: SharedOptions): WalShared {
  const scope = scopeOf(vfs);
  let byPath = registry.get(scope);
  if (byPath === undefined) {
    byPath = new Map();
    registry.set(scope, byPath);
  }
  const key = absolute(vfs, path);
  let shared = byPath.get(key);
  if (shared === undefined || shared.refs === 0) {
    shared = new WalShared(vfs, key, options);
    byPath.set(key, shared);
  }
  shared.refs++;
  return shared;
}

/** Drops a reference taken by acquireShared(). */
export function releaseShared(shared: WalShared, sync: Synchronous, keepWal: boolean): void {
  try {
    shared.release(sync, keepWal);
  } finally {
    if (shared.refs === 0) {
      const byPath = registry.get(scopeOf(shared.vfs));
      if (byPath?.get(shared.path) === shared) byPath.delete(shared.path);
    }
  }
}
