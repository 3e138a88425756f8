/*
 * connection.ts: one connection's transactions over the shared WAL of its database
 * (wal-shared.ts): BEGIN DEFERRED / IMMEDIATE / EXCLUSIVE, COMMIT, ROLLBACK, nested
 * savepoints (SAVEPOINT, RELEASE, ROLLBACK TO; lang_savepoint.html), the dirty pages of
 * the open write transaction, checkpoints and the automatic checkpoint, synchronous.
 * This is the page-level transaction manager the SQL layer (or the pager, through
 * page-store.ts) drives: it reads page images as of its snapshot and hands a
 * transaction's dirty pages to the WAL at commit.
 *
 * Invariants:
 *  1. In state READ or WRITE the connection holds exactly one snapshot (read mark) and
 *     every page it reads is that snapshot's page, or its own dirty copy in WRITE.
 *  2. Only state WRITE holds the WRITER lock and may have dirty pages; commit() and
 *     rollback() both end in NONE with no snapshot, no lock and no dirty page, whether
 *     they succeed or throw.
 *  3. Each savepoint keeps, for every page first written after it was opened, the image
 *     the page had just before (null: the page was not dirty then), and the db size;
 *     ROLLBACK TO puts those back, so the dirty set equals what it was at SAVEPOINT.
 *  4. Pages beyond the transaction's db size are not written to the WAL; a commit that
 *     only shrinks the database writes page 1 (as pagerWalFrames() does).
 *  5. EXCLUSIVE behaves as IMMEDIATE: in WAL mode without shared memory there is no
 *     stronger lock to take (readers never block in WAL mode).
 *
 * States (SQLite's pager states, reduced to what WAL needs):
 *
 *                 begin("deferred")          first read          first write
 *        NONE ─────────────────────▶ PENDING ──────────▶ READ ────────────────▶ WRITE
 *         ▲  ─── begin("immediate"|"exclusive"): snapshot + WRITER lock ───────▶  │
 *         │            SQLITE_BUSY (another writer) / SQLITE_BUSY_SNAPSHOT         │
 *         │            (a commit since our snapshot) leave the state as it was     │
 *         └──────────────── commit() / rollback() / RELEASE of the outermost ──────┘
 *
 * Busy: the WRITER lock and the read marks are shared only between connections of one
 * process, all on one JavaScript thread. A connection that finds the lock held cannot
 * wait for it (the holder cannot run while we block), so SQLITE_BUSY is returned at
 * once; the busy timeout applies to the process lock, which another process may drop.
 */
import { SqliteError } from "@strata/common";
import type { Vfs } from "@strata/vfs";
import {
  type CheckpointMode,
  type CheckpointResult,
  type SharedOptions,
  type Synchronous,
  type Snapshot,
  type WalShared,
  acquireShared,
  releaseShared,
} from "./wal-shared.js";
import { isValidPageSize } from "./wal-format.js";

export type TransactionMode = "deferred" | "immediate" | "exclusive";

export interface ConnectionOptions extends SharedOptions {
  /** PRAGMA synchronous (default "full", SQLite's default). */
  synchronous?: Synchronous;
  /** PRAGMA wal_autocheckpoint: checkpoint (PASSIVE) after a commit leaves this many frames; 0 = never (default 1000). */
  autoCheckpoint?: number;
  /**
   * Keep the WAL when the last connection closes (default false: checkpoint and delete
   * it, as SQLite does). Tests use true to leave a WAL for sqlite3 to find.
   */
  keepWal?: boolean;
}

const NONE = 0;
const PENDING = 1;
const READ = 2;
const WRITE = 3;

class Savepoint {
  readonly name: string;
  readonly nPage: number;
  readonly undo: Map<number, Uint8Array | null>;
  constructor(name: string, nPage: number) {
    this.name = name;
    this.nPage = nPage;
    this.undo = new Map();
  }
}

export class Connection {
  private shared: WalShared | null;
  synchronous: Synchronous;
  autoCheckpoint: number;
  keepWal: boolean;
  private state: number;
  private snap: Snapshot | null;
  private readonly dirty: Map<number, Uint8Array>;
  private nPage: number;
  private readonly savepoints: Savepoint[];
  /** True when the transaction was opened by a SAVEPOINT (RELEASE of it commits). */
  private beganBySavepoint: boolean;
  /** The error an automatic checkpoint hit (the commit itself had succeeded), or null. */
  lastAutoCheckpointError: unknown;

  private constructor(shared: WalShared, options: ConnectionOptions) {
    this.shared = shared;
    this.synchronous = options.synchronous ?? "full";
    this.autoCheckpoint = options.autoCheckpoint ?? 1000;
    this.keepWal = options.keepWal ?? false;
    this.state = NONE;
    this.snap = null;
    this.dirty = new Map();
    this.nPage = 0;
    this.savepoints = [];
    this.beganBySavepoint = false;
    this.lastAutoCheckpointError = null;
  }

  /**
   * Opens a connection to the database at `path` on `vfs`, creating it if missing. The
   * first connection of the process runs recovery: a hot rollback journal is rolled
   * back, and the wal-index is rebuilt from the WAL.
   */
  static open(vfs: Vfs, path: string, options: ConnectionOptions = {}): Connection {
    return new Connection(acquireShared(vfs, path, options), options);
  }

  private get db(): WalShared {
    if (this.shared === null) throw new SqliteError("SQLITE_MISUSE", "connection is closed");
    return this.shared;
  }

  get pageSize(): number {
    return this.db.pageSize;
  }

  /** "wal", or "rollback" for a rollback-journal file that has not been written yet. */
  get journalMode(): "wal" | "rollback" {
    return this.db.mode;
  }

  get inTransaction(): boolean {
    return this.state !== NONE;
  }

  get isWriteTransaction(): boolean {
    return this.state === WRITE;
  }

  /** The shared WAL state, for diagnostics and tests (mxFrame, nBackfill, ...). */
  get walState(): { mxFrame: number; nBackfill: number; nPage: number; recoveredFrames: number; hotJournalPages: number } {
    const d = this.db;
    return { mxFrame: d.mxFrame, nBackfill: d.nBackfill, nPage: d.nPage, recoveredFrames: d.recoveredFrames, hotJournalPages: d.hotJournalPages };
  }

  /** The snapshot's mxFrame (the read mark), or -1 outside a read transaction. */
  get readMark(): number {
    return this.snap === null ? -1 : this.snap.mxFrame;
  }

  begin(mode: TransactionMode = "deferred"): void {
    const db = this.db;
    if (this.state !== NONE) throw new SqliteError("SQLITE_ERROR", "cannot start a transaction within a transaction");
    if (mode === "deferred") {
      this.state = PENDING;
      return;
    }
    const snap = db.beginRead();
    try {
      db.beginWrite(this, snap);
    } catch (e) {
      db.endRead(snap);
      throw e;
    }
    this.snap = snap;
    this.nPage = snap.nPage;
    this.state = WRITE;
  }

  private ensureRead(): void {
    if (this.state === PENDING) {
      const snap = this.db.beginRead();
      this.snap = snap;
      this.nPage = snap.nPage;
      this.state = READ;
    } else if (this.state === NONE) {
      throw new SqliteError("SQLITE_MISUSE", "no transaction is active");
    }
  }

  private ensureWrite(): void {
    this.ensureRead();
    if (this.state === READ) {
      this.db.beginWrite(this, this.snap!);
      this.state = WRITE;
    }
  }

  /** The database size in pages as this transaction sees it. */
  pageCount(): number {
    this.ensureRead();
    return this.nPage;
  }

  /** Copies page `pgno` (1-based) into `out` (pageSize bytes). Allocates nothing. */
  readPage(pgno: number, out: Uint8Array): void {
    this.ensureRead();
    if (this.state === WRITE) {
      const img = this.dirty.get(pgno);
      if (img !== undefined) {
        out.set(img);
        return;
      }
      if (pgno > this.nPage) {
        out.fill(0);
        return;
      }
    }
    this.db.readPage(this.snap!, pgno, out);
  }

  /** Makes `data` page `pgno` of this transaction (starting the write transaction if needed). */
  writePage(pgno: number, data: Uint8Array): void {
    if (!Number.isInteger(pgno) || pgno < 1) throw new SqliteError("SQLITE_MISUSE", `bad page number ${pgno}`);
    const db = this.db;
    if (data.length !== db.pageSize) {
      // The first page written to an empty database chooses its page size.
      if (this.nPageEmpty() && this.dirty.size === 0 && isValidPageSize(data.length)) db.pageSize = data.length;
      else throw new SqliteError("SQLITE_MISUSE", `page image of ${data.length} bytes in a database of ${db.pageSize}-byte pages`);
    }
    this.ensureWrite();
    const prior = this.dirty.get(pgno);
    const top = this.savepoints.length > 0 ? this.savepoints[this.savepoints.length - 1] : null;
    if (top !== null && !top.undo.has(pgno)) {
      top.undo.set(pgno, prior ?? null);
      this.dirty.set(pgno, data.slice());
    } else if (prior !== undefined && prior.length === data.length) {
      prior.set(data);
    } else {
      this.dirty.set(pgno, data.slice());
    }
    if (pgno > this.nPage) this.nPage = pgno;
  }

  private nPageEmpty(): boolean {
    const db = this.db;
    return db.mxFrame === 0 && db.dbFilePages === 0;
  }

  /** Sets the database size to `nPage` pages (pages beyond it are dropped at commit). */
  truncate(nPage: number): void {
    this.ensureWrite();
    const top = this.savepoints.length > 0 ? this.savepoints[this.savepoints.length - 1] : null;
    for (const pgno of [...this.dirty.keys()]) {
      if (pgno > nPage) {
        if (top !== null && !top.undo.has(pgno)) top.undo.set(pgno, this.dirty.get(pgno)!);
        this.dirty.delete(pgno);
      }
    }
    this.nPage = nPage;
  }

  commit(): void {
    if (this.state === NONE) throw new SqliteError("SQLITE_ERROR", "cannot commit - no transaction is active");
    const db = this.db;
    if (this.state !== WRITE) {
      this.finish();
      return;
    }
    try {
      const nPage = this.nPage;
      const pgnos = [...this.dirty.keys()].filter((p) => p <= nPage).sort((a, b) => a - b);
      if (pgnos.length > 0 || nPage !== this.snap!.nPage) {
        const images = pgnos.map((p) => this.dirty.get(p)!);
        if (pgnos.length === 0) {
          const page1 = new Uint8Array(db.pageSize);
          db.readPage(this.snap!, 1, page1);
          pgnos.push(1);
          images.push(page1);
        }
        db.commit(pgnos, images, nPage, this.synchronous);
      }
    } finally {
      this.finish();
    }
    if (this.autoCheckpoint > 0 && db.mxFrame >= this.autoCheckpoint) {
      try {
        db.checkpoint(this, "passive", this.synchronous);
      } catch (e) {
        this.lastAutoCheckpointError = e; // the commit is done; SQLite also ignores this
      }
    }
  }

  rollback(): void {
    if (this.state === NONE) throw new SqliteError("SQLITE_ERROR", "cannot rollback - no transaction is active");
    this.finish();
  }

  private finish(): void {
    const db = this.db;
    if (this.state === WRITE) db.endWrite(this);
    if (this.snap !== null) db.endRead(this.snap);
    this.snap = null;
    this.dirty.clear();
    this.savepoints.length = 0;
    this.beganBySavepoint = false;
    this.state = NONE;
    this.nPage = 0;
  }

  // ---- savepoints ----

  /** SAVEPOINT name: outside a transaction it begins a DEFERRED one that RELEASE name commits. */
  savepoint(name: string): void {
    if (this.state === NONE) {
      this.begin("deferred");
      this.beganBySavepoint = true;
    }
    this.savepoints.push(new Savepoint(name, this.state === PENDING ? -1 : this.nPage));
  }

  private findSavepoint(name: string): number {
    const lower = name.toLowerCase();
    for (let i = this.savepoints.length - 1; i >= 0; i--) {
      if (this.savepoints[i].name.toLowerCase() === lower) return i;
    }
    throw new SqliteError("SQLITE_ERROR", `no such savepoint: ${name}`);
  }

  /** RELEASE name: forgets name and every newer savepoint; releasing the outermost of a SAVEPOINT-begun transaction commits. */
  release(name: string): void {
    const i = this.findSavepoint(name);
    if (i === 0 && this.beganBySavepoint) {
      this.commit();
      return;
    }
    if (i > 0) {
      const parent = this.savepoints[i - 1].undo;
      for (let k = i; k < this.savepoints.length; k++) {
        for (const [pgno, img] of this.savepoints[k].undo) if (!parent.has(pgno)) parent.set(pgno, img);
      }
    }
    this.savepoints.length = i;
  }

  /** ROLLBACK TO name: undoes every change since SAVEPOINT name; the savepoint stays. */
  rollbackTo(name: string): void {
    const i = this.findSavepoint(name);
    for (let k = this.savepoints.length - 1; k >= i; k--) {
      for (const [pgno, img] of this.savepoints[k].undo) {
        if (img === null) this.dirty.delete(pgno);
        else this.dirty.set(pgno, img);
      }
    }
    const sp = this.savepoints[i];
    if (sp.nPage >= 0) this.nPage = sp.nPage;
    else if (this.snap !== null) this.nPage = this.snap.nPage;
    this.savepoints.length = i;
    this.savepoints.push(new Savepoint(sp.name, this.state === PENDING ? -1 : this.nPage));
  }

  // ---- checkpoints and close ----

  /** PRAGMA wal_checkpoint(mode). */
  checkpoint(mode: CheckpointMode = "passive"): CheckpointResult {
    return this.db.checkpoint(this, mode, this.synchronous);
  }

  /** Ends any open transaction (rolled back) and drops this connection. */
  close(): void {
    if (this.shared === null) return;
    if (this.state !== NONE) this.finish();
    const shared = this.shared;
    this.shared = null;
    releaseShared(shared, this.synchronous, this.keepWal);
  }
}
