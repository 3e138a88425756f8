/*
 * page-store.ts: the WAL behind the pager's PageStore seam (@strata/pager page-store.ts),
 * as SQLite's pager.c sits over wal.c. A WalPageStore is one connection: its read
 * snapshot is a read mark on the shared WAL state (wal-shared.ts), its commit appends
 * frames, and it runs the automatic checkpoint after a commit.
 *
 * Invariants:
 *  1. Between beginRead() and endRead() the store holds exactly one snapshot; every
 *     readHeader/readPage/pageCount answers as of it.
 *  2. beginRead() returns true exactly when some connection committed since this store's
 *     previous snapshot (SQLite's "the wal-index header changed"): then the pager drops
 *     its cache. Its own commits do not count: after commit() the snapshot is moved to
 *     the new mxFrame (the writer sees its own commit).
 *  3. beginWrite() fails with SQLITE_BUSY while another connection of the process holds
 *     the WRITER lock and with SQLITE_BUSY_SNAPSHOT when the snapshot is not the newest.
 *  4. commit() copies the images into WAL frames before returning (the pager reuses them).
 *
 * State machine (the pager drives it; see @strata/pager page-store.ts):
 *
 *   NONE ──beginRead()──▶ READ ──beginWrite()──▶ WRITE ──commit()?──▶ endWrite() ──▶ READ ──endRead()──▶ NONE
 */
import { SqliteError } from "@strata/common";
import type { PageStore } from "@strata/pager";
import type { Vfs } from "@strata/vfs";
import type { ConnectionOptions } from "./connection.js";
import {
  type CheckpointMode,
  type CheckpointResult,
  type Snapshot,
  type Synchronous,
  type WalShared,
  acquireShared,
  releaseShared,
} from "./wal-shared.js";

export class WalPageStore implements PageStore {
  readonly readonly: boolean;
  /** PageStore capability (@strata/pager page-store.ts): a WAL, so no change-counter frame per commit. */
  readonly walMode = true;
  synchronous: Synchronous;
  autoCheckpoint: number;
  keepWal: boolean;
  private shared: WalShared | null;
  private snap: Snapshot | null;
  private writing: boolean;
  private committed: boolean;
  private lastChange: number;
  private scratch: Uint8Array;
  /** The error an automatic checkpoint hit (the commit itself had succeeded), or null. */
  lastAutoCheckpointError: unknown;

  private constructor(shared: WalShared, options: ConnectionOptions) {
    this.readonly = false;
    this.synchronous = options.synchronous ?? "full";
    this.autoCheckpoint = options.autoCheckpoint ?? 1000;
    this.keepWal = options.keepWal ?? false;
    this.shared = shared;
    this.snap = null;
    this.writing = false;
    this.committed = false;
    this.lastChange = -1;
    this.scratch = new Uint8Array(0);
    this.lastAutoCheckpointError = null;
  }

  /** Opens the database at `path` on `vfs` through the process's shared WAL (recovery on first open). */
  static open(vfs: Vfs, path: string, options: ConnectionOptions = {}): WalPageStore {
    return new WalPageStore(acquireShared(vfs, path, options), options);
  }

  private get db(): WalShared {
    if (this.shared === null) throw new SqliteError("SQLITE_MISUSE", "page store is closed");
    return this.shared;
  }

  private get snapshot(): Snapshot {
    if (this.snap === null) throw new SqliteError("SQLITE_MISUSE", "no read transaction is open");
    return this.snap;
  }

  setPageSize(pageSize: number): void {
    const db = this.db;
    if (pageSize === db.pageSize) return;
    if (db.mxFrame === 0 && db.dbFilePages === 0) db.pageSize = pageSize;
    else throw new SqliteError("SQLITE_MISUSE", `page size ${pageSize} for a database of ${db.pageSize}-byte pages`);
  }

  beginRead(): boolean {
    if (this.snap !== null) throw new SqliteError("SQLITE_MISUSE", "read transaction already open");
    const db = this.db;
    this.snap = db.beginRead();
    const changed = db.changeCount !== this.lastChange;
    this.lastChange = db.changeCount;
    return changed;
  }

  endRead(): void {
    if (this.snap === null) return;
    this.db.endRead(this.snap);
    this.snap = null;
  }

  readHeader(out: Uint8Array): number {
    const snap = this.snapshot;
    if (snap.nPage === 0) return 0;
    const db = this.db;
    if (this.scratch.length !== db.pageSize) this.scratch = new Uint8Array(db.pageSize);
    const n = Math.min(out.length, this.scratch.length);
    db.readPage1Head(snap, n === out.length ? out : out.subarray(0, n), this.scratch);
    return n;
  }

  pageCount(): number {
    return this.snapshot.nPage;
  }

  readPage(pgno: number, out: Uint8Array): void {
    this.db.readPage(this.snapshot, pgno, out);
  }

  beginWrite(): void {
    this.db.beginWrite(this, this.snapshot);
    this.writing = true;
    this.committed = false;
  }

  commit(pgnos: readonly number[], images: readonly Uint8Array[], nPage: number): void {
    if (!this.writing) throw new SqliteError("SQLITE_MISUSE", "commit without a write transaction");
    const db = this.db;
    let ps: readonly number[] = pgnos;
    let imgs: readonly Uint8Array[] = images;
    if (pgnos.length === 0 || pgnos.some((p) => p > nPage)) {
      const keepP: number[] = [];
      const keepI: Uint8Array[] = [];
      for (let i = 0; i < pgnos.length; i++) if (pgnos[i] <= nPage) { keepP.push(pgnos[i]); keepI.push(images[i]); }
      if (keepP.length === 0) {
        if (nPage === this.snapshot.nPage) return;
        const page1 = new Uint8Array(db.pageSize);
        db.readPage(this.snapshot, 1, page1);
        keepP.push(1);
        keepI.push(page1);
      }
      ps = keepP;
      imgs = keepI;
    }
    db.commit(ps, imgs, nPage, this.synchronous);
    // The writer's snapshot now includes its own commit (invariant 2).
    db.endRead(this.snapshot);
    this.snap = db.beginRead();
    this.lastChange = db.changeCount;
    this.committed = true;
  }

  endWrite(): void {
    if (!this.writing) return;
    const db = this.db;
    db.endWrite(this);
    this.writing = false;
    if (this.committed && this.autoCheckpoint > 0 && db.mxFrame >= this.autoCheckpoint) {
      try {
        db.checkpoint(this, "passive", this.synchronous);
      } catch (e) {
        this.lastAutoCheckpointError = e;
      }
    }
    this.committed = false;
  }

  /** PRAGMA wal_checkpoint(mode) for this connection. */
  checkpoint(mode: CheckpointMode = "passive"): CheckpointResult {
    return this.db.checkpoint(this, mode, this.synchronous);
  }

  close(): void {
    if (this.shared === null) return;
    if (this.writing) this.db.endWrite(this);
    this.endRead();
    const shared = this.shared;
    this.shared = null;
    releaseShared(shared, this.synchronous, this.keepWal);
  }
}
