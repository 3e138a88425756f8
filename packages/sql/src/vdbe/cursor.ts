/*
 * vdbe/cursor.ts: VDBE cursors (SQLite's VdbeCursor): a table or index B-tree cursor of
 * the pager, an in-memory sorter, an ephemeral index (a sorted set of records), or a
 * pseudo-cursor over one record held in a register; each with one reused RecordReader.
 *
 * Invariants:
 *  1. `seq` changes on every move; the record header is parsed at most once per row
 *     (`parsedSeq === seq` means the reader is on the current row) and only as far as the
 *     highest column asked for (RecordReader is lazy).
 *  2. The reader points into the B-tree page when the whole payload is local (no copy),
 *     else into `ovfl`, a buffer reused across rows.
 *  3. A DeferredSeek leaves `deferredFrom` set; the first Column/Rowid on the table cursor
 *     seeks it to the index entry's rowid (SQLite's deferred moveto).
 *  4. Sorter and ephemeral records are owned by the cursor: the record registers they come
 *     from are never written in place (mem.ts), so they are kept, not copied.
 *  5. A VdbeCursor object and its reader outlive one run of the statement: the VM keeps
 *     the closed cursor of each slot and reinit()s it on the next open, and a closed
 *     B-tree cursor is kept (`spareTable`/`spareIndex`) to be reopened on the same root
 *     (no per-run allocation of cursors, readers or their buffers). A sorter's arena is
 *     kept the same way (`spareSet`) when it is at most SPARE_SET_BYTES.
 */
import { compareRecordRanges, RecordReader, type KeyInfo, type TextEncoding } from "@strata/common";
import { sortRecords } from "./sorter-sort.js";

import type { IndexCursor, TableCursor } from "@strata/pager";
import type { RecordTree } from "./record-tree.js";

export const CURSOR_TABLE = 0;
export const CURSOR_INDEX = 1;
export const CURSOR_SORTER = 2;
export const CURSOR_EPHEMERAL = 3;
export const CURSOR_PSEUDO = 4;

const NO_RECORDS = new Int32Array(0);

/** The largest sorter arena a closed cursor keeps for its next run (invariant 5). */
const SPARE_SET_BYTES = 32 << 20;

/**
 * A sorter's records (in insertion order until sort(), then in key order), or rows kept in
 * insertion order (PRAGMA results). Ephemeral indexes are RecordTrees (record-tree.ts).
 * The records' bytes are copied into one growing arena, not kept as an array each: no
 * allocation per record (SQLite's sorter also fills one memory buffer). Sorting permutes
 * record numbers (a stable sort, so equal keys keep their insertion order); `pos` walks
 * positions 0..count-1.
 *
 * Top-N (setLimit(n), ORDER BY ... LIMIT: SQLite keeps such a sorter at LIMIT+OFFSET rows
 * too): the set keeps only the n records that come first in key order, ties going to the
 * earliest inserted, which are exactly the first n of the stable sort of everything
 * pushed. The kept record numbers form a max-heap by (key, record number); a record that
 * does not sort before the heap's top is not stored; when it does, it replaces the top.
 * The bytes of replaced records are dropped by compact() (kept records move to the front
 * of the arena in insertion order, so record numbers keep their order).
 */
export class RecordSet {
  keyInfo: KeyInfo;
  /** The record bytes; record r is buf[starts[r]..ends[r]). Grows by doubling. */
  buf: Uint8Array;
  private used: number;
  private starts: Int32Array;
  private ends: Int32Array;
  /** Record numbers by position once sorted; null while in insertion order. */
  private order: Int32Array | null;
  count: number;
  pos: number;
  /** Top-N: how many records are kept (-1: all); the heap of kept record numbers. */
  private keep: number;
  private heap: Int32Array;
  private nHeap: number;
  constructor(keyInfo: KeyInfo) {
    this.keyInfo = keyInfo;
    this.buf = new Uint8Array(1024);
    this.used = 0;
    this.starts = new Int32Array(64);
    this.ends = new Int32Array(64);
    this.order = null;
    this.count = 0;
    this.pos = -1;
    this.keep = -1;
    this.heap = NO_RECORDS;
    this.nHeap = 0;
  }
  /** Empties the set for another run, keeping its grown buffers (VdbeCursor invariant 5). */
  reset(keyInfo: KeyInfo): void {
    this.keyInfo = keyInfo;
    this.used = 0;
    this.order = null;
    this.count = 0;
    this.pos = -1;
    this.keep = -1;
    this.nHeap = 0;
  }
  /** Top-N from now on (see the class comment): keep the first n records in key order;
   *  n < 0 keeps every record. Call on an empty set. */
  setLimit(n: number): void {
    this.keep = n;
    this.nHeap = 0;
    if (n > this.heap.length) this.heap = new Int32Array(n);
  }
  /** Bytes held by the arena (a closed cursor keeps a set only up to SPARE_SET_BYTES). */
  get capacity(): number {
    return this.buf.length;
  }
  /** Whether the set keeps only its first records in key order (setLimit). */
  get topN(): boolean {
    return this.keep >= 0;
  }
  /** Room for a record of len bytes after the last one (not in top-N mode): returns its
   *  offset in `buf` for the caller to write, then commitReserved(len) adds it. */
  reserve(len: number): number {
    const n = this.count;
    if (n === this.starts.length) {
      const s = new Int32Array(n * 2);
      s.set(this.starts);
      this.starts = s;
      const e = new Int32Array(n * 2);
      e.set(this.ends);
      this.ends = e;
    }
    const at = this.used;
    if (at + len > this.buf.length) {
      const b = new Uint8Array(Math.max(this.buf.length * 2, at + len));
      b.set(this.buf.subarray(0, at));
      this.buf = b;
    }
    return at;
  }
  /** Adds the record of len bytes written at reserve()'s offset. */
  commitReserved(len: number): void {
    const n = this.count;
    const at = this.used;
    this.starts[n] = at;
    this.ends[n] = at + len;
    this.used = at + len;
    this.count = n + 1;
    this.order = null;
  }
  /** Adds a copy of rec[0..len) (in top-N mode only if it is among the first `keep`). */
  push(rec: Uint8Array, len: number = rec.length): void {
    if (this.keep >= 0) this.pushTop(rec, len);
    else this.append(rec, len);
  }
  private append(rec: Uint8Array, len: number): void {
    const at = this.reserve(len);
    const buf = this.buf;
    if (len === rec.length) buf.set(rec, at);
    else for (let k = 0; k < len; k++) buf[at + k] = rec[k];
    this.commitReserved(len);
  }
  sort(): void {
    if (this.keep >= 0) this.compact(false);
    this.order = sortRecords(this.buf, this.starts, this.ends, this.count, this.keyInfo);
  }

  /** Top-N push: stored when the set is not full or it sorts before the largest kept. */
  private pushTop(rec: Uint8Array, len: number): void {
    const keep = this.keep;
    if (keep === 0) return;
    const heap = this.heap;
    if (this.nHeap === keep) {
      const top = heap[0];
      // Not before the largest kept record (a tie: the kept one came first): not kept.
      if (compareRecordRanges(rec, 0, len, this.buf, this.starts[top], this.ends[top], this.keyInfo, 0) >= 0) return;
      if (this.count >= 2 * keep + 64) this.compact(true);
      this.append(rec, len);
      heap[0] = this.count - 1;
      this.siftDown(0);
      return;
    }
    this.append(rec, len);
    const r = this.count - 1;
    let i = this.nHeap++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.after(r, heap[up])) break;
      heap[i] = heap[up];
      i = up;
    }
    heap[i] = r;
  }

  /** Whether record a comes after record b: by key, then by record number. */
  private after(a: number, b: number): boolean {
    const c = compareRecordRanges(this.buf, this.starts[a], this.ends[a], this.buf, this.starts[b], this.ends[b], this.keyInfo, 0);
    return c > 0 || (c === 0 && a > b);
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = this.nHeap;
    const r = heap[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.after(heap[c + 1], heap[c])) c++;
      if (!this.after(heap[c], r)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = r;
  }

  /** Top-N: keeps only the heap's records, moved to the front of the arena in insertion
   *  order and renumbered 0..nHeap-1; the heap is rebuilt when `reheap`. */
  private compact(reheap: boolean): void {
    const n = this.nHeap;
    const live = this.heap.slice(0, n).sort();
    const buf = this.buf;
    const starts = this.starts;
    const ends = this.ends;
    let at = 0;
    // live[k] >= k: entries k' > k still to be read are never overwritten here.
    for (let k = 0; k < n; k++) {
      const r = live[k];
      const s = starts[r];
      const e = ends[r];
      buf.copyWithin(at, s, e);
      starts[k] = at;
      at += e - s;
      ends[k] = at;
    }
    this.used = at;
    this.count = n;
    this.order = null;
    if (reheap) {
      const heap = this.heap;
      for (let k = 0; k < n; k++) heap[k] = k;
      for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
    } else {
      this.keep = -1;
      this.nHeap = 0;
    }
  }
  /** Where the record at position k starts / ends in `buf`. */
  startAt(k: number): number {
    return this.starts[this.order === null ? k : this.order[k]];
  }
  endAt(k: number): number {
    return this.ends[this.order === null ? k : this.order[k]];
  }
  /** The record at position k as a view of `buf` (valid while nothing is pushed). */
  recordAt(k: number): Uint8Array {
    return this.buf.subarray(this.startAt(k), this.endAt(k));
  }
}

export class VdbeCursor {
  kind: number;
  table: TableCursor | null;
  index: IndexCursor | null;
  set: RecordSet | null;
  tree: RecordTree | null;
  keyInfo: KeyInfo | null;
  readonly reader: RecordReader;
  seq: number;
  parsedSeq: number;
  nullRow: boolean;
  ovfl: Uint8Array;
  deferredFrom: VdbeCursor | null;
  pseudoReg: number;
  /** A pseudo-cursor fed by SorterData reads its record straight from the sorter's arena:
   *  sorterSrc.buf[srcStart..srcEnd) (null: it reads the record in register pseudoReg). */
  sorterSrc: RecordSet | null;
  srcStart: number;
  srcEnd: number;
  /** Number of columns (tables) or key fields (indexes). */
  nField: number;
  /** Closed B-tree cursors kept for reopening on the same root (invariant 5). */
  spareTable: TableCursor | null;
  spareIndex: IndexCursor | null;
  /** A sorter's RecordSet kept from the last run with its arena (invariant 5). */
  spareSet: RecordSet | null;
  /** The KeyInfo `spareIndex` compares with. */
  spareKeyInfo: KeyInfo | null;

  constructor(kind: number, enc: TextEncoding) {
    this.kind = kind;
    this.table = null;
    this.index = null;
    this.set = null;
    this.tree = null;
    this.keyInfo = null;
    this.reader = new RecordReader(enc);
    this.seq = 0;
    this.parsedSeq = -1;
    this.nullRow = false;
    this.ovfl = new Uint8Array(0);
    this.deferredFrom = null;
    this.pseudoReg = 0;
    this.sorterSrc = null;
    this.srcStart = 0;
    this.srcEnd = 0;
    this.nField = 0;
    this.spareTable = null;
    this.spareIndex = null;
    this.spareKeyInfo = null;
    this.spareSet = null;
  }

  /** Makes a closed cursor new again (invariant 5); the spare B-tree cursors stay. */
  reinit(kind: number, enc: TextEncoding): void {
    this.kind = kind;
    this.table = null;
    this.index = null;
    this.set = null;
    this.tree = null;
    this.keyInfo = null;
    this.reader.encoding = enc;
    this.seq = 0;
    this.parsedSeq = -1;
    this.nullRow = false;
    this.deferredFrom = null;
    this.pseudoReg = 0;
    this.sorterSrc = null;
    this.nField = 0;
  }

  moved(): void {
    this.seq++;
    this.nullRow = false;
  }

  /** Points the reader at the current B-tree row (invariant 2); false (the reader left
   *  as it was) when the B-tree cursor is not on an entry. */
  loadBtree(): boolean {
    const c = (this.table ?? this.index)!;
    const info = c.cellInfoOrNull();
    if (info === null) return false;
    const size = info.nPayload;
    if (info.nLocal === size) {
      const off = info.payloadOff;
      this.reader.reset(c.pageData(), off, off + size, c.pageView());
    } else {
      if (this.ovfl.length < size) this.ovfl = new Uint8Array(Math.max(size, this.ovfl.length * 2));
      c.readPayload(0, size, this.ovfl, 0);
      this.reader.reset(this.ovfl, 0, size);
    }
    this.parsedSeq = this.seq;
    return true;
  }

  /** The current record's bytes for index/ephemeral cursors as [buf, start, end] via the reader. */
  loadKey(): void {
    if (this.kind === CURSOR_INDEX) {
      if (!this.loadBtree()) this.index!.cellInfo(); // not on an entry: cellInfo() throws MISUSE, as before
    }
    else if (this.tree !== null) {
      const r = this.tree.current();
      this.reader.reset(r, 0, r.length);
      this.parsedSeq = this.seq;
    } else {
      const s = this.set!;
      this.reader.reset(s.buf, s.startAt(s.pos), s.endAt(s.pos));
      this.parsedSeq = this.seq;
    }
  }

  close(): void {
    if (this.table !== null) { this.table.close(); this.spareTable = this.table; }
    if (this.index !== null) { this.index.close(); this.spareIndex = this.index; this.spareKeyInfo = this.keyInfo; }
    this.table = null;
    this.index = null;
    if (this.set !== null && this.kind === CURSOR_SORTER && this.set.capacity <= SPARE_SET_BYTES) this.spareSet = this.set;
    this.set = null;
    this.tree = null;
  }

  /** A sorter's RecordSet: the spare one emptied, else a new one (invariant 5). */
  newSorterSet(keyInfo: KeyInfo): RecordSet {
    const s = this.spareSet;
    if (s === null) return new RecordSet(keyInfo);
    this.spareSet = null;
    s.reset(keyInfo);
    return s;
  }
}
