/*
 * wal-index.ts: the in-memory wal-index, SQLite's -shm without the shared memory
 * (walformat.html §2 "The WAL-Index Format", wal.html §"Use of WAL Without Shared-Memory").
 * One WalIndex exists per database per process and is shared by every connection of
 * that process (see wal-shared.ts); it is never written to disk, and is rebuilt from
 * the WAL file by recovery (wal-recovery.ts) when the database is first opened.
 *
 * Owns: the map "frame -> pgno", and the inverse "pgno -> newest frame holding it"
 * with a chain "frame -> previous frame of the same page", so that a reader whose
 * snapshot ends at mxFrame finds the newest frame <= mxFrame for a page.
 *
 *   latest (hash, pgno -> frame)      prev (frame -> older frame of same pgno)
 *      pgno 7 ──▶ frame 9 ──prev──▶ frame 4 ──prev──▶ frame 1 ──prev──▶ 0 (none)
 *   find(7, mxFrame=5) walks 9 (too new) -> 4: answer 4.
 *
 * Invariants:
 *  1. frames 1..nFrame are indexed; pgnoOf[f] is frame f's page; prev[f] < f.
 *  2. latest(pgno) is the largest indexed frame holding pgno, or 0.
 *  3. find(pgno, mx) returns the largest frame f <= mx holding pgno, or 0. It allocates
 *     nothing and touches only Int32Arrays.
 *  4. truncate(n) restores exactly the state after the n-th append (used to drop the
 *     frames of a commit that failed half-way, and by a WAL restart with n = 0).
 *  5. The hash is open-addressed on pgno, load factor <= 1/2, keys never deleted
 *     (a page whose frames are all truncated keeps its key with value 0).
 */

const EMPTY = 0; // pgno 0 never occurs, so it marks an empty hash slot

export class WalIndex {
  /** Number of frames indexed (committed or not: the owner keeps mxFrame). */
  nFrame: number;
  private pgnoOf: Int32Array;
  private prev: Int32Array;
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private nKeys: number;

  constructor() {
    this.nFrame = 0;
    this.pgnoOf = new Int32Array(1024);
    this.prev = new Int32Array(1024);
    this.keys = new Int32Array(1024);
    this.vals = new Int32Array(1024);
    this.mask = 1023;
    this.nKeys = 0;
  }

  /** The slot of `pgno` in the hash, or of the empty slot where it would go. */
  private slot(pgno: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = Math.imul(pgno, 383) & mask;
    for (;;) {
      const k = keys[i];
      if (k === pgno || k === EMPTY) return i;
      i = (i + 1) & mask;
    }
  }

  /** The newest indexed frame holding `pgno`, or 0 (invariant 2). */
  latest(pgno: number): number {
    const i = this.slot(pgno);
    return this.keys[i] === EMPTY ? 0 : this.vals[i];
  }

  /** The newest frame <= mxFrame holding `pgno`, or 0 (invariant 3). */
  find(pgno: number, mxFrame: number): number {
    if (mxFrame === 0) return 0;
    const keys = this.keys;
    const mask = this.mask;
    let i = Math.imul(pgno, 383) & mask;
    let f = 0;
    for (;;) {
      const k = keys[i];
      if (k === pgno) {
        f = this.vals[i];
        break;
      }
      if (k === EMPTY) return 0;
      i = (i + 1) & mask;
    }
    const prev = this.prev;
    while (f > mxFrame) f = prev[f];
    return f;
  }

  /** The page held by frame `f` (1 <= f <= nFrame). */
  pgnoOfFrame(f: number): number {
    return this.pgnoOf[f];
  }

  /** Indexes frame nFrame+1 as holding `pgno`; returns its frame number. */
  append(pgno: number): number {
    const f = this.nFrame + 1;
    if (f >= this.pgnoOf.length) {
      const n = this.pgnoOf.length * 2;
      const a = new Int32Array(n);
      a.set(this.pgnoOf);
      this.pgnoOf = a;
      const b = new Int32Array(n);
      b.set(this.prev);
      this.prev = b;
    }
    let i = this.slot(pgno);
    if (this.keys[i] === EMPTY) {
      if ((this.nKeys + 1) * 2 > this.keys.length) {
        this.rehash(this.keys.length * 2);
        i = this.slot(pgno);
      }
      this.keys[i] = pgno;
      this.vals[i] = 0;
      this.nKeys++;
    }
    this.pgnoOf[f] = pgno;
    this.prev[f] = this.vals[i];
    this.vals[i] = f;
    this.nFrame = f;
    return f;
  }

  /** Forgets frames n+1..nFrame (invariant 4). */
  truncate(n: number): void {
    if (n === 0) {
      this.keys.fill(0);
      this.vals.fill(0);
      this.nKeys = 0;
      this.nFrame = 0;
      return;
    }
    for (let f = this.nFrame; f > n; f--) {
      const i = this.slot(this.pgnoOf[f]);
      this.vals[i] = this.prev[f];
    }
    this.nFrame = Math.min(this.nFrame, n);
  }

  private rehash(size: number): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.keys = new Int32Array(size);
    this.vals = new Int32Array(size);
    this.mask = size - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j];
      if (k === EMPTY) continue;
      const i = this.slot(k);
      this.keys[i] = k;
      this.vals[i] = oldVals[j];
    }
  }

  /**
   * Calls visit(pgno, frame) once per page that has a frame in (from, to], with the
   * newest such frame, in ascending pgno order: the order a checkpoint backfills in
   * (SQLite's WalIterator). Cold path; allocates.
   */
  pagesIn(from: number, to: number, visit: (pgno: number, frame: number) => void): void {
    const newest = new Map<number, number>();
    for (let f = from + 1; f <= to; f++) newest.set(this.pgnoOf[f], f);
    const pgnos = [...newest.keys()].sort((a, b) => a - b);
    for (const p of pgnos) visit(p, newest.get(p)!);
  }
}
