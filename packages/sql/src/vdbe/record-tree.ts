/*
 * vdbe/record-tree.ts: the ephemeral index of a VDBE cursor (SQLite's OpenEphemeral
 * B-tree, which SQLite keeps in a private in-memory database): an ordered set of records
 * under a KeyInfo, for DISTINCT, IN (...) lists, UNION/EXCEPT/INTERSECT, recursive CTE
 * queues and the like, with seeks, ordered walks, inserts and deletes interleaved.
 *
 * Layout: a sorted list of blocks (a B+tree of height two). Each block is a sorted array
 * of at most BLOCK_MAX records; `blocks` is in key order, every record of blocks[i] sorting
 * before every record of blocks[i+1]. A seek binary-searches the blocks by their last
 * record, then the block: O(log n). An insert splices into one block, O(BLOCK_MAX), and a
 * full block splits in two. A position is (block, index).
 *
 * Invariants:
 *  1. No block is empty (an emptied block is removed), and no block holds more than
 *     BLOCK_MAX records.
 *  2. Records are distinct under the full-record comparison: insert() replaces an equal
 *     record (as inserting an equal key into a B-tree index overwrites it).
 *  3. After deleteCurrent() the position is on the record that followed the deleted one,
 *     and the next next() steps past it (SQLite's skipNext after BtreeDelete), so
 *     "Rewind; ...; Delete" loops and "Next"-driven deletes both see every record once.
 *  4. Records are owned by the tree; callers hand over arrays nobody mutates (a register's
 *     blob is never written in place: vdbe/mem.ts).
 */
import { compareRecordRanges, type KeyInfo } from "@strata/common";

const BLOCK_MAX = 256;

export class RecordTree {
  readonly keyInfo: KeyInfo;
  private blocks: Uint8Array[][];
  private n: number;
  private bi: number;
  private i: number;
  /** Invariant 3: 1 when the next next() must not move (the cursor already sits on it). */
  private skipNext: number;

  constructor(keyInfo: KeyInfo) {
    this.keyInfo = keyInfo;
    this.blocks = [];
    this.n = 0;
    this.bi = -1;
    this.i = -1;
    this.skipNext = 0;
  }

  get size(): number {
    return this.n;
  }

  /** Whether the position is on a record. */
  valid(): boolean {
    return this.bi >= 0 && this.bi < this.blocks.length && this.i >= 0 && this.i < this.blocks[this.bi].length;
  }

  current(): Uint8Array {
    return this.blocks[this.bi][this.i];
  }

  rewind(): boolean {
    this.skipNext = 0;
    this.bi = 0;
    this.i = 0;
    return this.n > 0;
  }

  last(): boolean {
    this.skipNext = 0;
    this.bi = this.blocks.length - 1;
    this.i = this.bi >= 0 ? this.blocks[this.bi].length - 1 : -1;
    return this.n > 0;
  }

  next(): boolean {
    if (this.skipNext !== 0) {
      this.skipNext = 0;
      return this.valid();
    }
    if (this.bi < 0 || this.bi >= this.blocks.length) return false;
    if (++this.i < this.blocks[this.bi].length) return true;
    this.bi++;
    this.i = 0;
    return this.bi < this.blocks.length;
  }

  prev(): boolean {
    this.skipNext = 0;
    if (this.bi < 0 || this.bi >= this.blocks.length) return false;
    if (--this.i >= 0) return true;
    if (--this.bi < 0) return false;
    this.i = this.blocks[this.bi].length - 1;
    return true;
  }

  /** Positions on the first record >= key (`defaultRc` as in compareRecordRanges: +1
   *  makes a prefix-equal record sort after the key, -1 before); returns whether there is
   *  one. With `ge` false, positions on the record before that instead (the last < key). */
  seek(key: Uint8Array, keyLen: number, defaultRc: number, ge: boolean): boolean {
    this.skipNext = 0;
    this.lowerBound(key, keyLen, defaultRc);
    if (ge) return this.valid();
    return this.bi === this.blocks.length ? this.last() : this.prev();
  }

  /** Positions on the first record >= key (prefix-equal records count as equal) and
   *  returns whether its first fields equal the key's. */
  find(key: Uint8Array, keyLen: number): boolean {
    this.skipNext = 0;
    this.lowerBound(key, keyLen, 1);
    if (!this.valid()) return false;
    const r = this.current();
    return compareRecordRanges(r, 0, r.length, key, 0, keyLen, this.keyInfo, 0) === 0;
  }

  /** Adds `rec` (invariant 2: an equal record is replaced); the position is on it. */
  insert(rec: Uint8Array): void {
    this.skipNext = 0;
    const blocks = this.blocks;
    if (blocks.length === 0) {
      blocks.push([rec]);
      this.n = 1;
      this.bi = 0;
      this.i = 0;
      return;
    }
    this.lowerBound(rec, rec.length, 0);
    let bi = this.bi;
    let i = this.i;
    if (bi === blocks.length) {
      // After every record: append to the last block.
      bi = blocks.length - 1;
      i = blocks[bi].length;
    } else {
      const r = blocks[bi][i];
      if (compareRecordRanges(r, 0, r.length, rec, 0, rec.length, this.keyInfo, 0) === 0) {
        blocks[bi][i] = rec;
        return;
      }
    }
    const block = blocks[bi];
    if (i === block.length) block.push(rec);
    else block.splice(i, 0, rec);
    this.n++;
    if (block.length > BLOCK_MAX) {
      const half = block.length >>> 1;
      const right = block.splice(half);
      blocks.splice(bi + 1, 0, right);
      if (i >= half) {
        bi++;
        i -= half;
      }
    }
    this.bi = bi;
    this.i = i;
  }

  /** Removes the record at the position (invariant 3). */
  deleteCurrent(): void {
    if (!this.valid()) return;
    const block = this.blocks[this.bi];
    if (this.i === 0) block.shift();
    else block.splice(this.i, 1);
    this.n--;
    if (block.length === 0) {
      this.blocks.splice(this.bi, 1);
      this.i = 0;
    } else if (this.i === block.length) {
      this.bi++;
      this.i = 0;
    }
    this.skipNext = 1;
  }

  /** Drops every record (OP_Clear / reopening). */
  clear(): void {
    this.blocks = [];
    this.n = 0;
    this.bi = -1;
    this.i = -1;
    this.skipNext = 0;
  }

  // Position := the first record r with compare(r, key, defaultRc) >= 0, or the end
  // (bi = blocks.length).
  private lowerBound(key: Uint8Array, keyLen: number, defaultRc: number): void {
    const blocks = this.blocks;
    const ki = this.keyInfo;
    // The first block whose last record is >= key.
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = blocks[mid];
      const r = b[b.length - 1];
      if (compareRecordRanges(r, 0, r.length, key, 0, keyLen, ki, defaultRc) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.bi = lo;
    if (lo === blocks.length) {
      this.i = 0;
      return;
    }
    const b = blocks[lo];
    let l = 0;
    let h = b.length - 1; // the last record is known to be >= key
    while (l < h) {
      const mid = (l + h) >>> 1;
      const r = b[mid];
      if (compareRecordRanges(r, 0, r.length, key, 0, keyLen, ki, defaultRc) < 0) l = mid + 1;
      else h = mid;
    }
    this.i = l;
  }
}
