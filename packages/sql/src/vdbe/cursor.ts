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
 *     (no per-run allocation of cursors, readers or their buffers).
 */
import {
  compareRecordRanges, RecordReader, type KeyInfo, type TextEncoding,
} from "@strata/common";
import type { IndexCursor, TableCursor } from "@strata/pager";
import type { RecordTree } from "./record-tree.js";

export const CURSOR_TABLE = 0;
export const CURSOR_INDEX = 1;
export const CURSOR_SORTER = 2;
export const CURSOR_EPHEMERAL = 3;
export const CURSOR_PSEUDO = 4;

/** A sorter's records (unsorted until sort()), or rows kept in insertion order (PRAGMA
 *  results). Ephemeral indexes are RecordTrees (record-tree.ts). */
export class RecordSet {
  recs: Uint8Array[] = [];
  pos = -1;
  constructor(readonly keyInfo: KeyInfo) {}
  sort(): void {
    const ki = this.keyInfo;
    this.recs.sort((a, b) => compareRecordRanges(a, 0, a.length, b, 0, b.length, ki, 0));
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
  /** Number of columns (tables) or key fields (indexes). */
  nField: number;
  /** Closed B-tree cursors kept for reopening on the same root (invariant 5). */
  spareTable: TableCursor | null;
  spareIndex: IndexCursor | null;
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
    this.nField = 0;
    this.spareTable = null;
    this.spareIndex = null;
    this.spareKeyInfo = null;
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
    this.nField = 0;
  }

  moved(): void {
    this.seq++;
    this.nullRow = false;
  }

  /** Points the reader at the current B-tree row (invariant 2). */
  loadBtree(): void {
    const c = (this.table ?? this.index)!;
    const info = c.cellInfo();
    const size = info.nPayload;
    if (info.nLocal === size) {
      const off = info.payloadOff;
      this.reader.reset(c.pageData(), off, off + size);
    } else {
      if (this.ovfl.length < size) this.ovfl = new Uint8Array(Math.max(size, this.ovfl.length * 2));
      c.readPayload(0, size, this.ovfl, 0);
      this.reader.reset(this.ovfl, 0, size);
    }
    this.parsedSeq = this.seq;
  }

  /** The current record's bytes for index/ephemeral cursors as [buf, start, end] via the reader. */
  loadKey(): void {
    if (this.kind === CURSOR_INDEX) this.loadBtree();
    else if (this.tree !== null) {
      const r = this.tree.current();
      this.reader.reset(r, 0, r.length);
      this.parsedSeq = this.seq;
    } else {
      const r = this.set!.recs[this.set!.pos];
      this.reader.reset(r, 0, r.length);
      this.parsedSeq = this.seq;
    }
  }

  close(): void {
    if (this.table !== null) { this.table.close(); this.spareTable = this.table; }
    if (this.index !== null) { this.index.close(); this.spareIndex = this.index; this.spareKeyInfo = this.keyInfo; }
    this.table = null;
    this.index = null;
    this.set = null;
    this.tree = null;
  }
}
