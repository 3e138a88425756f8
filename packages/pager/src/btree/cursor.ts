/*
 * btree/cursor.ts: cursors over table and index B-trees (SQLite's BtCursor): seek, first,
 * last, next, prev, reading keys and payloads (across overflow pages), insert and delete
 * (fileformat2 §1.5).
 *
 * A cursor keeps its path as a stack of (page, cell index) in preallocated arrays
 * (depth <= 20): pages[0] is the root. On a leaf, idx is the cell the cursor is on; on an
 * interior page below the top, idx is the child the path went into (idx == nCell: the
 * right child). Index trees have entries in interior cells: the cursor may stop on an
 * interior page, pointing at cell idx.
 *
 * Seek results follow SQLite's sqlite3BtreeTableMoveto / IndexMoveto: 0 the cursor is on
 * an equal key; < 0 it is on the largest key smaller than the search key; > 0 on the
 * smallest key larger; an empty tree leaves the cursor at eof and returns -1. For index
 * seeks the caller's `defaultRc` is the result of comparing a tree key whose fields all
 * equal the (possibly shorter) search key: -1/+1 give SeekGE/SeekGT-style positioning on
 * key prefixes (SQLite's UnpackedRecord.default_rc).
 *
 * Rowids: `number` while safe; every 64-bit rowid works through the *Big methods, which
 * allocate a bigint only when the value is not a safe integer (the internal compare works on
 * hi/lo 32-bit words).
 *
 * Invariants:
 *  1. A step (next/prev) and a seek allocate nothing: cells are parsed into the reused
 *     CellInfo; index keys that spill to overflow pages are assembled into a reused buffer.
 *  2. Pages on the stack hold a reference (page.refs), so the cache cannot evict them.
 *  3. Every child pointer is checked (in range, not page 1 or an ancestor by depth bound,
 *     same tree kind, at least one cell) before the cursor descends: corrupt() otherwise.
 *  4. After insert the cursor is on the new entry; after delete it is on the entry after
 *     the deleted one, and next() returns that entry (SQLite's skipNext), prev() the one
 *     before.
 */
import { compareRecordRanges, compareRecordToParsed, getVarint, ParsedKey, SqliteError, varintLastHi, varintLastLo, varintLen, type KeyInfo } from "@strata/common";
import { corrupt } from "../corrupt.js";
import { get4, put4 } from "../db-header.js";
import type { Page } from "../page-cache.js";
import type { Pager } from "../pager.js";
import { PTRMAP_OVERFLOW1, ptrmapPut } from "../ptrmap.js";
import { balance } from "./balance.js";
import type { Btree } from "./btree.js";
import { CellInfo, cellPtr, dropCell, initNode, insertCell, parseCell, rightChild } from "./node.js";
import { cellKey, fillInCell, freeOverflowChain, overflowPageCount, readOverflow } from "./overflow.js";

const MAX_DEPTH = 20;

/**
 * Orders index keys (SQLite's KeyInfo + sqlite3VdbeRecordCompare), supplied by the layer
 * above; build one from @strata/common's record comparison with the index's number of key
 * columns, collations and DESC flags.
 */
export interface KeyComparator {
  /** <0, 0, >0 as the tree's record a[aOff..aOff+aLen) sorts before, equal to (on every
   *  field the search key has), or after the search key b[bOff..bOff+bLen). */
  compare(a: Uint8Array, aOff: number, aLen: number, b: Uint8Array, bOff: number, bLen: number): number;
  /** Optional pair for seeks, which compare one search key with many tree records:
   *  setKey holds b[bOff..bOff+bLen) (prepared once, e.g. its header walked), then
   *  compareToKey(a, aView, aOff, aLen) equals compare(a, aOff, aLen, b, bOff, bLen) while
   *  b's bytes are unchanged; aView is a DataView over a's bytes (same offsets) or null. */
  setKey?(b: Uint8Array, bOff: number, bLen: number): void;
  compareToKey?(a: Uint8Array, aView: DataView | null, aOff: number, aLen: number): number;
}

const enum CursorState {
  Valid = 0,
  Invalid = 1,
  RequireSeek = 2,
}

function misuse(msg: string): SqliteError {
  return new SqliteError("SQLITE_MISUSE", msg);
}

export class BtCursor {
  readonly bt: Btree;
  readonly pager: Pager;
  readonly root: number;
  readonly intKey: boolean;
  readonly writable: boolean;
  /** Internal (balance.ts): the path. */
  readonly pages: (Page | null)[];
  readonly idx: Int32Array;
  depth: number;
  protected state: number;
  protected skipNext: number;
  protected readonly info: CellInfo;
  protected infoValid: boolean;
  /** Reused buffer for index keys that spill to overflow pages, and saved keys. */
  protected keyBuf: Uint8Array;
  protected savedKey: Uint8Array;
  protected savedKeyLen: number;
  protected savedBig: boolean;
  protected savedNum: number;
  protected savedHi: number;
  protected savedLo: number;
  /** Overflow page numbers of the current cell (chain[0] = how many are known). */
  protected chain: Int32Array;
  protected chainCell: number;
  protected chainGen: number;
  private closed: boolean;

  constructor(bt: Btree, root: number, intKey: boolean, writable: boolean) {
    this.bt = bt;
    this.pager = bt.pager;
    this.root = root;
    this.intKey = intKey;
    this.writable = writable;
    this.pages = new Array<Page | null>(MAX_DEPTH).fill(null);
    this.idx = new Int32Array(MAX_DEPTH);
    this.depth = -1;
    this.state = CursorState.Invalid;
    this.skipNext = 0;
    this.info = new CellInfo();
    this.infoValid = false;
    this.keyBuf = new Uint8Array(256);
    this.savedKey = new Uint8Array(64);
    this.savedKeyLen = 0;
    this.savedBig = false;
    this.savedNum = 0;
    this.savedHi = 0;
    this.savedLo = 0;
    this.chain = new Int32Array(16);
    this.chainCell = -1;
    this.chainGen = -1;
    this.closed = false;
  }

  // ------------------------------------------------------------------ stack

  protected releaseStack(): void {
    for (let d = this.depth; d >= 0; d--) {
      const p = this.pages[d];
      if (p !== null) p.refs--;
      this.pages[d] = null;
    }
    this.depth = -1;
    this.infoValid = false;
  }

  /** Positions on the root page; false (state Invalid) when the tree is empty. */
  protected moveToRoot(): boolean {
    if (this.closed) throw misuse("cursor is closed");
    this.infoValid = false;
    this.skipNext = 0;
    if (this.depth > 0) {
      for (let d = this.depth; d > 0; d--) {
        this.pages[d]!.refs--;
        this.pages[d] = null;
      }
      this.depth = 0;
    }
    if (this.depth < 0) {
      if (this.pager.pageCount === 0) {
        this.state = CursorState.Invalid;
        return false;
      }
      const root = this.pager.getPage(this.root);
      initNode(root, this.pager.usableSize);
      if (root.intKey !== this.intKey) throw corrupt(this.root, "root page of the wrong tree kind");
      root.refs++;
      this.pages[0] = root;
      this.depth = 0;
    } else {
      initNode(this.pages[0]!, this.pager.usableSize);
    }
    this.idx[0] = 0;
    const root = this.pages[0]!;
    if (root.nCell === 0 && root.leaf) {
      this.state = CursorState.Invalid;
      return false;
    }
    this.state = CursorState.Valid;
    return true;
  }

  protected moveToChild(pgno: number): void {
    if (this.depth >= MAX_DEPTH - 1) throw corrupt(pgno, "tree too deep");
    if (pgno < 2) throw corrupt(this.pages[this.depth]!.pgno, "bad child pointer");
    const page = this.pager.getPage(pgno);
    initNode(page, this.pager.usableSize);
    if (page.intKey !== this.intKey || page.nCell < 1) throw corrupt(pgno, "bad child page");
    page.refs++;
    this.depth++;
    this.pages[this.depth] = page;
    this.idx[this.depth] = 0;
    this.infoValid = false;
  }

  protected moveToParent(): void {
    const p = this.pages[this.depth]!;
    p.refs--;
    this.pages[this.depth] = null;
    this.depth--;
    this.infoValid = false;
  }

  protected childPgno(page: Page, i: number): number {
    if (i >= page.nCell) return rightChild(page);
    return get4(page.data, cellPtr(page, i, this.pager.usableSize));
  }

  protected moveToLeftmost(): void {
    for (;;) {
      const page = this.pages[this.depth]!;
      if (page.leaf) return;
      this.moveToChild(this.childPgno(page, this.idx[this.depth]));
    }
  }

  protected moveToRightmost(): void {
    for (;;) {
      const page = this.pages[this.depth]!;
      if (page.leaf) {
        this.idx[this.depth] = page.nCell - 1;
        return;
      }
      this.idx[this.depth] = page.nCell;
      this.moveToChild(rightChild(page));
    }
  }

  // ------------------------------------------------------------------ movement

  /** Moves to the first entry; false when the tree is empty. */
  first(): boolean {
    if (!this.moveToRoot()) return false;
    this.moveToLeftmost();
    return true;
  }

  /** Moves to the last entry; false when the tree is empty. */
  last(): boolean {
    if (!this.moveToRoot()) return false;
    this.moveToRightmost();
    return true;
  }

  /** True when the cursor is not on an entry (past the end, empty tree, never positioned). */
  eof(): boolean {
    if (this.state === CursorState.RequireSeek) this.restore();
    return this.state !== CursorState.Valid;
  }

  /** Moves to the next entry; false at the end. */
  next(): boolean {
    if (this.state !== CursorState.Valid) {
      if (this.state === CursorState.RequireSeek) this.restore();
      if (this.state !== CursorState.Valid) return false;
    }
    if (this.skipNext > 0) {
      this.skipNext = 0;
      return true;
    }
    this.skipNext = 0;
    this.infoValid = false;
    let page = this.pages[this.depth]!;
    const i = ++this.idx[this.depth];
    if (i >= page.nCell) {
      if (!page.leaf) {
        this.moveToChild(rightChild(page));
        this.moveToLeftmost();
        return true;
      }
      do {
        if (this.depth === 0) {
          this.state = CursorState.Invalid;
          return false;
        }
        this.moveToParent();
        page = this.pages[this.depth]!;
      } while (this.idx[this.depth] >= page.nCell);
      if (page.intKey) return this.next();
      return true;
    }
    if (!page.leaf) this.moveToLeftmost();
    return true;
  }

  /** Moves to the previous entry; false at the start. */
  prev(): boolean {
    if (this.state !== CursorState.Valid) {
      if (this.state === CursorState.RequireSeek) this.restore();
      if (this.state !== CursorState.Valid) return false;
    }
    if (this.skipNext < 0) {
      this.skipNext = 0;
      return true;
    }
    this.skipNext = 0;
    this.infoValid = false;
    const page = this.pages[this.depth]!;
    if (!page.leaf) {
      this.moveToChild(this.childPgno(page, this.idx[this.depth]));
      this.moveToRightmost();
      return true;
    }
    while (this.idx[this.depth] === 0) {
      if (this.depth === 0) {
        this.state = CursorState.Invalid;
        return false;
      }
      this.moveToParent();
    }
    this.idx[this.depth]--;
    const p = this.pages[this.depth]!;
    if (p.intKey && !p.leaf) return this.prev();
    return true;
  }

  /** Number of entries in the tree (walks every page; leaves the cursor at eof). */
  count(): number {
    if (!this.moveToRoot()) return 0;
    let page = this.pages[0]!;
    let n = page.leaf || !page.intKey ? page.nCell : 0;
    for (;;) {
      if (!page.leaf) {
        this.moveToChild(this.childPgno(page, this.idx[this.depth]));
        page = this.pages[this.depth]!;
        if (page.leaf || !page.intKey) n += page.nCell;
        continue;
      }
      do {
        if (this.depth === 0) {
          this.state = CursorState.Invalid;
          return n;
        }
        this.moveToParent();
        page = this.pages[this.depth]!;
      } while (this.idx[this.depth] >= page.nCell);
      this.idx[this.depth]++;
    }
  }

  // ------------------------------------------------------------------ reading

  protected requireValid(): void {
    if (this.state !== CursorState.Valid) {
      if (this.state === CursorState.RequireSeek) this.restore();
      if (this.state !== CursorState.Valid) throw misuse("cursor is not on an entry");
    }
  }

  protected cell(): CellInfo {
    this.requireValid();
    if (!this.infoValid) this.parseCurrent();
    return this.info;
  }

  /** Parses the cell under the cursor into `info` (once per position). */
  private parseCurrent(): void {
    const page = this.pages[this.depth]!;
    parseCell(page, this.idx[this.depth], this.info, this.pager.usableSize);
    if (page.intKey && !page.leaf) throw corrupt(page.pgno, "internal: cursor on a table interior cell");
    this.infoValid = true;
    // The overflow chain cached for a cell is dropped when another cell is parsed or the
    // tree changed.
    const id = page.pgno * 65536 + this.info.cellOff;
    if (id !== this.chainCell || this.chainGen !== this.bt.generation) {
      this.chainCell = id;
      this.chainGen = this.bt.generation;
      this.chain[0] = 0;
    }
  }

  /** The current cell's parsed header (payload size, local size, payload offset in the
   *  page), parsed once per position; read-only to callers, valid until the cursor moves. */
  cellInfo(): Readonly<CellInfo> {
    return this.cell();
  }

  /** eof() and cellInfo() in one call (a scan's per-row read): null when the cursor is not
   *  on an entry, else the current cell's header as cellInfo() gives it. */
  cellInfoOrNull(): Readonly<CellInfo> | null {
    if (this.state !== CursorState.Valid) {
      if (this.state === CursorState.RequireSeek) this.restore();
      if (this.state !== CursorState.Valid) return null;
    }
    if (!this.infoValid) this.parseCurrent();
    return this.info;
  }

  /** The page buffer under the cursor (where cellInfo().payloadOff points), valid until
   *  the cursor moves or the tree changes. */
  pageData(): Uint8Array {
    return this.pages[this.depth]!.data;
  }

  /** A DataView over pageData() (the page's own, same offsets). */
  pageView(): DataView {
    return this.pages[this.depth]!.view;
  }

  /** Payload size in bytes (for index trees: the key size). */
  payloadSize(): number {
    return this.cell().nPayload;
  }

  /** Bytes of the payload stored on the B-tree page itself. */
  localPayloadSize(): number {
    return this.cell().nLocal;
  }

  /** Zero-copy access to the local payload: the page buffer (valid until the cursor moves
   *  or the tree changes) and the payload's offset in it (see payloadOffset()). */
  payloadPage(): Uint8Array {
    this.cell();
    return this.pages[this.depth]!.data;
  }

  payloadOffset(): number {
    return this.cell().payloadOff;
  }

  /** Copies payload bytes [offset, offset+n) into out[outOff..], across overflow pages,
   *  reading only the overflow pages that hold the range. */
  readPayload(offset: number, n: number, out: Uint8Array, outOff = 0): void {
    const info = this.cell();
    if (offset < 0 || n < 0 || offset + n > info.nPayload) throw corrupt(this.pages[this.depth]!.pgno, "payload read out of range");
    if (outOff + n > out.length) throw new RangeError("output buffer too small");
    const d = this.pages[this.depth]!.data;
    if (offset < info.nLocal) {
      const take = Math.min(n, info.nLocal - offset);
      const src = info.payloadOff + offset;
      if (take <= 32) for (let i = 0; i < take; i++) out[outOff + i] = d[src + i];
      else out.set(d.subarray(src, src + take), outOff);
      offset += take;
      outOff += take;
      n -= take;
    }
    if (n > 0) {
      const nPages = overflowPageCount(info.nPayload, info.nLocal, this.pager.usableSize);
      if (this.chain.length < nPages + 2) {
        const c = new Int32Array(nPages + 2);
        c.set(this.chain.subarray(0, Math.min(this.chain.length, c.length)));
        this.chain = c;
      }
      readOverflow(this.pager, info.ovflPgno, info.nLocal, info.nPayload, offset, n, out, outOff, this.chain);
    }
  }

  /** The whole payload as a new array (allocates: for callers that keep it). */
  payload(): Uint8Array {
    const n = this.payloadSize();
    const out = new Uint8Array(n);
    this.readPayload(0, n, out, 0);
    return out;
  }

  /** The current payload in a buffer without copying when it is all local, else assembled
   *  into the cursor's reused buffer; sets `bufOff` (internal, for key compares). */
  protected payloadRef(): Uint8Array {
    const info = this.cell();
    if (info.nLocal === info.nPayload) {
      this.bufOff = info.payloadOff;
      return this.pages[this.depth]!.data;
    }
    if (this.keyBuf.length < info.nPayload) this.keyBuf = new Uint8Array(Math.max(info.nPayload, this.keyBuf.length * 2));
    this.readPayload(0, info.nPayload, this.keyBuf, 0);
    this.bufOff = 0;
    return this.keyBuf;
  }
  protected bufOff = 0;

  // ------------------------------------------------------------------ saving position

  /** Internal (invariant 1 of btree.ts): remember the key, release the pages. */
  savePosition(): void {
    if (this.state === CursorState.Valid) {
      const info = this.cell();
      if (this.intKey) {
        this.savedBig = !info.rowidSafe;
        this.savedNum = info.rowid;
        this.savedHi = info.rowidHi;
        this.savedLo = info.rowidLo;
      } else {
        const n = info.nPayload;
        if (this.savedKey.length < n) this.savedKey = new Uint8Array(Math.max(n, this.savedKey.length * 2));
        this.readPayload(0, n, this.savedKey, 0);
        this.savedKeyLen = n;
      }
      this.releaseStack();
      this.state = CursorState.RequireSeek;
    } else if (this.state === CursorState.Invalid) {
      this.releaseStack();
    }
  }

  protected restore(): void {
    this.state = CursorState.Invalid;
    const r = this.seekSaved();
    if (this.state === CursorState.Valid) this.skipNext = r;
  }

  /** Seeks to the saved key; returns the seek result. */
  protected seekSaved(): number {
    throw misuse("abstract");
  }

  /** Internal: forget everything (rollback, new snapshot, tree cleared). */
  reset(): void {
    this.releaseStack();
    this.state = CursorState.Invalid;
    this.skipNext = 0;
    this.chainCell = -1;
  }

  /** Internal (Btree.reopenCursor): a closed cursor becomes open and not positioned. */
  reopen(): boolean {
    if (!this.closed) return false;
    this.closed = false;
    this.depth = -1;
    this.state = CursorState.Invalid;
    this.skipNext = 0;
    this.infoValid = false;
    this.chainCell = -1;
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.releaseStack();
    this.closed = true;
    this.state = CursorState.Invalid;
    this.bt.removeCursor(this);
  }

  // ------------------------------------------------------------------ writing

  protected requireWritable(): void {
    if (!this.writable) throw misuse("cursor is read-only");
    if (!this.pager.inWrite) throw new SqliteError("SQLITE_READONLY", "attempt to write a readonly database");
    this.bt.ensureScratch();
    this.bt.generation++;
  }

  /**
   * Puts the cell in bt.cellBuf[0..sz) at the cursor's position after a seek that returned
   * `r` (0 = replace the entry the cursor is on), then balances.
   * Returns true when the tree was rebalanced (the cursor must re-seek).
   */
  protected placeCell(r: number, sz: number): boolean {
    const usable = this.pager.usableSize;
    const bt = this.bt;
    const page = this.pages[this.depth]!;
    this.pager.write(page);
    let i = this.idx[this.depth];
    const buf = bt.cellBuf;
    if (r === 0 && this.state === CursorState.Valid) {
      const info = this.info;
      parseCell(page, i, info, usable);
      if (info.ovflPgno !== 0) freeOverflowChain(this.pager, info.ovflPgno, overflowPageCount(info.nPayload, info.nLocal, usable));
      if (!page.leaf) put4(buf, 0, get4(page.data, info.cellOff));
      if (info.nSize === sz) {
        page.data.set(buf.subarray(0, sz), info.cellOff);
        this.infoValid = false;
        bt.generation++;
        return false;
      }
      dropCell(page, i, info.nSize, usable);
    } else if (r < 0 && page.nCell > 0) {
      i++;
    }
    this.idx[this.depth] = i;
    insertCell(page, i, buf, 0, sz, usable, bt.scratch);
    this.infoValid = false;
    bt.generation++;
    this.state = CursorState.Valid;
    if (page.ovflIdx.length !== 0) {
      balance(bt, this);
      return true;
    }
    return false;
  }

  /** True when the cursor is on the last entry of the tree: on a leaf's last cell, every
   *  ancestor on its right child (an insert of a larger key goes right after it). */
  protected onLastEntry(): boolean {
    if (this.state !== CursorState.Valid) return false;
    const depth = this.depth;
    const page = this.pages[depth]!;
    if (!page.leaf || this.idx[depth] !== page.nCell - 1) return false;
    for (let d = 0; d < depth; d++) if (this.idx[d] !== this.pages[d]!.nCell) return false;
    return true;
  }

  /** Deletes the entry the cursor is on (invariant 4). */
  delete(): void {
    this.requireWritable();
    this.requireValid();
    const bt = this.bt;
    const pager = this.pager;
    const usable = pager.usableSize;
    bt.saveOtherCursors(this);
    const info = this.cell();
    // Remember the key so the cursor can land on its successor afterwards.
    if (this.intKey) {
      this.savedBig = !info.rowidSafe;
      this.savedNum = info.rowid;
      this.savedHi = info.rowidHi;
      this.savedLo = info.rowidLo;
    } else {
      const n = info.nPayload;
      if (this.savedKey.length < n) this.savedKey = new Uint8Array(Math.max(n, this.savedKey.length * 2));
      this.readPayload(0, n, this.savedKey, 0);
      this.savedKeyLen = n;
    }
    const page = this.pages[this.depth]!;
    const iCell = this.idx[this.depth];
    pager.write(page);
    if (info.ovflPgno !== 0) freeOverflowChain(pager, info.ovflPgno, overflowPageCount(info.nPayload, info.nLocal, usable));
    const cellSz = info.nSize;
    const cellOff = info.cellOff;
    this.infoValid = false;
    if (page.leaf) {
      dropCell(page, iCell, cellSz, usable);
      balance(bt, this);
    } else {
      // Index interior entry: replace it by its predecessor, the last entry of the left
      // subtree's right-most leaf, then balance the leaf and (if needed) the interior page.
      const iCellDepth = this.depth;
      const leftChild = get4(page.data, cellOff);
      this.moveToChild(leftChild);
      this.moveToRightmost();
      const leaf = this.pages[this.depth]!;
      pager.write(leaf);
      const li = leaf.nCell - 1;
      const linfo = this.info;
      parseCell(leaf, li, linfo, usable);
      const buf = bt.cellBuf;
      put4(buf, 0, leftChild);
      buf.set(leaf.data.subarray(linfo.cellOff, linfo.cellOff + linfo.nSize), 4);
      const nsz = linfo.nSize + 4;
      const movedOvfl = linfo.ovflPgno;
      dropCell(page, iCell, cellSz, usable);
      insertCell(page, iCell, buf, 0, nsz, usable, bt.scratch);
      dropCell(leaf, li, linfo.nSize, usable);
      this.infoValid = false;
      if (movedOvfl !== 0) ptrmapPut(pager, movedOvfl, PTRMAP_OVERFLOW1, page.pgno);
      balance(bt, this);
      if (this.depth > iCellDepth) {
        while (this.depth > iCellDepth) this.moveToParent();
        balance(bt, this);
      }
    }
    bt.generation++;
    this.state = CursorState.Invalid;
    const r = this.seekSaved();
    if (this.state === CursorState.Valid) this.skipNext = r === 0 ? 1 : r;
  }
}

/** Compares a cell's rowid (v when safe, else its words hi/lo) with the search key. */
function cmpRowid(v: number, safe: boolean, hi: number, lo: number, tBig: boolean, tNum: number, tHi: number, tLo: number): number {
  if (safe && !tBig) return v < tNum ? -1 : v > tNum ? 1 : 0;
  if (safe) return tHi < 0 ? 1 : -1;
  if (!tBig) return hi < 0 ? -1 : 1;
  if (hi !== tHi) return hi < tHi ? -1 : 1;
  if (lo !== tLo) return lo < tLo ? -1 : 1;
  return 0;
}

/** Splits a bigint rowid into words; returns true when it is not a safe integer. */
const bigWords = { hi: 0, lo: 0 };
function splitBig(b: bigint): boolean {
  if (b < -(1n << 63n) || b >= 1n << 63n) throw new RangeError("rowid out of 64-bit range");
  const u = BigInt.asUintN(64, b);
  bigWords.hi = Number(u >> 32n) | 0;
  bigWords.lo = Number(u & 0xffffffffn);
  return b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER);
}

/** TableCursor.seekInLeaf: the key is not bracketed by the current leaf. */
const NOT_IN_LEAF = 2;

/** A cursor over a table (intkey) B-tree. */
export class TableCursor extends BtCursor {
  constructor(bt: Btree, root: number, writable: boolean) {
    super(bt, root, true, writable);
  }

  /** Seeks to `rowid` (a safe integer); see the header for the result. */
  seek(rowid: number): number {
    if (!Number.isSafeInteger(rowid)) throw new RangeError("rowid must be a safe integer; use seekBig");
    return this.seekInt(false, rowid, 0, 0);
  }

  /** Seeks to any 64-bit rowid. */
  seekBig(rowid: bigint): number {
    if (!splitBig(rowid)) return this.seekInt(false, Number(rowid), 0, 0);
    return this.seekInt(true, 0, bigWords.hi, bigWords.lo);
  }

  private seekInt(tBig: boolean, tNum: number, tHi: number, tLo: number): number {
    if (!tBig && this.state === CursorState.Valid) {
      const r = this.seekInLeaf(tNum);
      if (r !== NOT_IN_LEAF) return r;
    }
    if (!this.moveToRoot()) return -1;
    const usable = this.pager.usableSize;
    for (;;) {
      const page = this.pages[this.depth]!;
      const d = page.data;
      const n = page.nCell;
      let lo = 0;
      let hi = n - 1;
      const leaf = page.leaf;
      const ptrs = page.cellOff;
      const minPc = ptrs + 2 * n;
      const maxPc = usable - 4;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        // cellPtr, inline: the pointer must point past the pointer array, inside the page.
        const pc = (d[ptrs + 2 * mid] << 8) | d[ptrs + 2 * mid + 1];
        if (pc < minPc || pc > maxPc) throw corrupt(page.pgno, "cell pointer out of range");
        const q = leaf ? pc + varintLen(d, pc) : pc + 4;
        if (!tBig) {
          // A rowid of one to three varint bytes (below 2^21), decoded inline.
          const b0 = d[q];
          let r = -1;
          if (b0 < 0x80) r = b0;
          else {
            const b1 = d[q + 1];
            if (b1 < 0x80) r = ((b0 & 0x7f) << 7) | b1;
            else if (d[q + 2] < 0x80) r = ((b0 & 0x7f) << 14) | ((b1 & 0x7f) << 7) | d[q + 2];
          }
          if (r >= 0) {
            if (r < tNum) lo = mid + 1;
            else if (r > tNum || !leaf) hi = mid - 1;
            else {
              this.idx[this.depth] = mid;
              return 0;
            }
            continue;
          }
        }
        const v = getVarint(d, q);
        // Safe integers compare as numbers; anything else (NaN, -2^53) by its words.
        const c = v >= Number.MIN_SAFE_INTEGER ? cmpRowid(v, true, 0, 0, tBig, tNum, tHi, tLo) : cmpRowid(v, false, varintLastHi(), varintLastLo(), tBig, tNum, tHi, tLo);
        if (c < 0) lo = mid + 1;
        else if (c > 0 || !leaf) hi = mid - 1;
        else {
          this.idx[this.depth] = mid;
          return 0;
        }
      }
      if (leaf) {
        if (lo < n) {
          this.idx[this.depth] = lo;
          return 1;
        }
        this.idx[this.depth] = n - 1;
        return -1;
      }
      this.idx[this.depth] = lo;
      this.moveToChild(lo < n ? get4(d, cellPtr(page, lo, usable)) : rightChild(page));
    }
  }

  /**
   * Seek without the descent from the root when the cursor is on a leaf whose first and
   * last rowids bracket `t` (a safe integer): the descent would end on this leaf (the
   * separator keys above it bound its rowids), so the search of this leaf alone gives the
   * same position and result. A Valid cursor's path is current (a change by another cursor
   * saves this one's position first; a rollback resets it). Index lookups of rows in rowid
   * order (DeferredSeek, NotExists) then cost one leaf search each. NOT_IN_LEAF otherwise.
   */
  private seekInLeaf(t: number): number {
    const page = this.pages[this.depth]!;
    const n = page.nCell;
    if (!page.leaf || n === 0) return NOT_IN_LEAF;
    const d = page.data;
    const usable = this.pager.usableSize;
    let pc = cellPtr(page, 0, usable);
    const first = getVarint(d, pc + varintLen(d, pc));
    if (!(first >= Number.MIN_SAFE_INTEGER) || t < first) return NOT_IN_LEAF;
    pc = cellPtr(page, n - 1, usable);
    const last = getVarint(d, pc + varintLen(d, pc));
    if (!(last >= Number.MIN_SAFE_INTEGER) || t > last) return NOT_IN_LEAF;
    this.infoValid = false;
    this.skipNext = 0;
    // Rowids between two safe ones are safe: numbers compare.
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      pc = cellPtr(page, mid, usable);
      const v = getVarint(d, pc + varintLen(d, pc));
      if (v < t) lo = mid + 1;
      else if (v > t) hi = mid - 1;
      else {
        this.idx[this.depth] = mid;
        return 0;
      }
    }
    // first <= t <= last, so 0 < lo < n: the smallest larger rowid is on this leaf.
    this.idx[this.depth] = lo;
    return 1;
  }

  protected override seekSaved(): number {
    return this.seekInt(this.savedBig, this.savedNum, this.savedHi, this.savedLo);
  }

  /** True when the cursor is on the row `num` (safe, !big) and its cell is parsed: the
   *  insert replaces that cell, as a seek would find. */
  private onRowid(big: boolean, num: number): boolean {
    if (big || this.state !== CursorState.Valid || !this.infoValid) return false;
    const info = this.info;
    if (!info.rowidSafe || info.rowid !== num || !this.pages[this.depth]!.leaf) return false;
    this.skipNext = 0;
    return true;
  }

  /** True when the cursor is on the last row of the tree and `num` (safe, !big) sorts
   *  after it: the insert position is right after the cursor's cell. */
  private appendsAfterLast(big: boolean, num: number): boolean {
    if (big || !this.onLastEntry()) return false;
    const info = this.cell();
    if (!info.rowidSafe || num <= info.rowid) return false;
    this.skipNext = 0;
    return true;
  }

  /** The rowid, exact when rowidIsSafe(); NaN otherwise (use rowidBig()). */
  rowid(): number {
    const info = this.cell();
    return info.rowidSafe ? info.rowid : NaN;
  }

  rowidIsSafe(): boolean {
    return this.cell().rowidSafe;
  }

  /** The exact rowid as a bigint (allocates). */
  rowidBig(): bigint {
    const info = this.cell();
    if (info.rowidSafe) return BigInt(info.rowid);
    return (BigInt(info.rowidHi) << 32n) | BigInt(info.rowidLo);
  }

  /** Inserts (or replaces) the row `rowid` with payload[off..off+len). */
  insert(rowid: number, payload: Uint8Array, off = 0, len = payload.length - off): void {
    if (!Number.isSafeInteger(rowid)) throw new RangeError("rowid must be a safe integer; use insertBig");
    cellKey.big = false;
    cellKey.num = rowid;
    this.insertRow(false, rowid, 0, 0, payload, off, len);
  }

  /** Inserts (or replaces) any 64-bit rowid. */
  insertBig(rowid: bigint, payload: Uint8Array, off = 0, len = payload.length - off): void {
    if (!splitBig(rowid)) return this.insert(Number(rowid), payload, off, len);
    cellKey.bigint = rowid;
    this.insertRow(true, 0, bigWords.hi, bigWords.lo, payload, off, len);
  }

  private insertRow(big: boolean, num: number, hi: number, lo: number, payload: Uint8Array, off: number, len: number): void {
    this.requireWritable();
    if (off < 0 || len < 0 || off + len > payload.length) throw new RangeError("payload range out of bounds");
    this.bt.saveOtherCursors(this);
    // Rewriting the row the cursor is on (UPDATE after NotExists) or appending after the
    // last row (NewRowid just positioned the cursor there, or the previous insert was an
    // append): no search (SQLite's BTCF_ValidNKey and BTCF_AtLast shortcuts).
    const r = this.onRowid(big, num) ? 0 : this.appendsAfterLast(big, num) ? -1 : this.seekInt(big, num, hi, lo);
    const leaf = this.pages[this.depth]!;
    cellKey.big = big;
    cellKey.num = num;
    cellKey.hi = hi;
    cellKey.lo = lo;
    const sz = fillInCell(this.pager, this.bt.cellBuf, 0, true, payload, off, len, leaf.maxLocal, leaf.minLocal, leaf.pgno);
    if (this.placeCell(r, sz)) this.seekInt(big, num, hi, lo);
  }
}

/** A cursor over an index B-tree (keys are records ordered by a KeyComparator). */
export class IndexCursor extends BtCursor {
  readonly cmp: KeyComparator;

  /** The last move was a seek that found no equal key (insert() tries insertPosition). */
  private probed: boolean;

  constructor(bt: Btree, root: number, cmp: KeyComparator, writable: boolean) {
    super(bt, root, false, writable);
    this.cmp = cmp;
    this.probed = false;
  }

  /**
   * Seeks to key[off..off+len); `defaultRc` is the comparison result for a tree key equal
   * to the search key on all of its fields (0 exact, -1/+1 for prefix positioning).
   */
  seek(key: Uint8Array, defaultRc: number = 0, off = 0, len = key.length - off): number {
    if (!this.moveToRoot()) return -1;
    const usable = this.pager.usableSize;
    const cmp = this.cmp;
    const prepared = cmp.setKey !== undefined;
    if (prepared) cmp.setKey!(key, off, len);
    for (;;) {
      const page = this.pages[this.depth]!;
      const n = page.nCell;
      const d = page.data;
      const hdr = page.leaf ? 0 : 4;
      const maxLocal = page.maxLocal;
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        this.idx[this.depth] = mid;
        this.infoValid = false;
        // A key held whole in the page with a one- or two-byte size (SQLite's
        // sqlite3BtreeIndexMoveto fast cases) is compared in place, without parsing the
        // cell into `info`; cellPtr checks the pointer and the key must end in the page.
        let q = cellPtr(page, mid, usable) + hdr;
        let np = d[q++];
        if (np >= 0x80) {
          const b1 = d[q++];
          np = b1 < 0x80 ? ((np & 0x7f) << 7) | b1 : usable; // a longer size: the general path
        }
        let c: number;
        if (np <= maxLocal && q + np <= usable) {
          c = prepared ? cmp.compareToKey!(d, page.view, q, np) : cmp.compare(d, q, np, key, off, len);
        } else {
          const buf = this.payloadRef();
          c = prepared
            ? cmp.compareToKey!(buf, null, this.bufOff, this.info.nPayload)
            : cmp.compare(buf, this.bufOff, this.info.nPayload, key, off, len);
        }
        if (c === 0) c = defaultRc;
        if (c < 0) lo = mid + 1;
        else if (c > 0) hi = mid - 1;
        else {
          this.idx[this.depth] = mid;
          this.infoValid = false;
          return 0;
        }
      }
      this.infoValid = false;
      if (page.leaf) {
        this.probed = true;
        if (lo < n) {
          this.idx[this.depth] = lo;
          return 1;
        }
        this.idx[this.depth] = n - 1;
        return -1;
      }
      this.idx[this.depth] = lo;
      this.moveToChild(lo < n ? get4(page.data, cellPtr(page, lo, usable)) : rightChild(page));
    }
  }

  protected override seekSaved(): number {
    return this.seek(this.savedKey, 0, 0, this.savedKeyLen);
  }

  /**
   * Where key[off..off+len) goes without a descent, when the cursor is on a leaf entry it
   * sorts right next to: -1 (after the entry: it sorts after it and before the next entry
   * of the leaf, or the entry is the tree's last) or 1 (before it: it sorts before it and
   * after the previous entry of the leaf); 0 when that is not so and a seek must decide.
   * Sorted input (CREATE INDEX) appends after the last entry; an insert right after a
   * probe of the same key (NoConflict's seek of a UNIQUE index) lands where the probe
   * left the cursor (SQLite's OPFLAG_USESEEKRESULT, found here by comparing).
   */
  private insertPosition(key: Uint8Array, off: number, len: number): number {
    if (this.state !== CursorState.Valid) return 0;
    const depth = this.depth;
    const page = this.pages[depth]!;
    if (!page.leaf) return 0;
    const i = this.idx[depth];
    const cmp = this.cmp;
    let buf = this.payloadRef();
    const c = cmp.compare(buf, this.bufOff, this.info.nPayload, key, off, len);
    let r = 0;
    if (c < 0) {
      if (i + 1 < page.nCell) {
        this.idx[depth] = i + 1;
        this.infoValid = false;
        buf = this.payloadRef();
        if (cmp.compare(buf, this.bufOff, this.info.nPayload, key, off, len) > 0) r = -1;
        this.idx[depth] = i;
        this.infoValid = false;
      } else if (this.onLastEntry()) r = -1;
    } else if (c > 0 && i > 0) {
      this.idx[depth] = i - 1;
      this.infoValid = false;
      buf = this.payloadRef();
      if (cmp.compare(buf, this.bufOff, this.info.nPayload, key, off, len) < 0) r = 1;
      this.idx[depth] = i;
      this.infoValid = false;
    }
    if (r !== 0) this.skipNext = 0;
    return r;
  }

  /** Size of the key (record) in bytes. */
  keySize(): number {
    return this.payloadSize();
  }

  /** The key as a new array (allocates). */
  key(): Uint8Array {
    return this.payload();
  }

  /**
   * Inserts key[off..off+len); an equal key (comparator result 0) is replaced. `append`:
   * the caller guarantees the key sorts after every entry (an index filled from sorted
   * keys, SQLite's BTREE_APPEND), so on the last entry it goes next without a comparison.
   */
  insert(key: Uint8Array, off = 0, len = key.length - off, append = false): void {
    this.requireWritable();
    if (off < 0 || len < 0 || off + len > key.length) throw new RangeError("key range out of bounds");
    this.bt.saveOtherCursors(this);
    // Sorted input, or an insert after a probe of its key: no descent (insertPosition).
    // (Tried after a seek that found no equal key, or on the last entry: elsewhere the
    // cursor is rarely next to a random key, and the comparisons would be wasted.)
    const last = this.onLastEntry();
    let r: number;
    if (append && last) {
      r = -1; // right after the last entry, as insertPosition would find by comparing
      this.skipNext = 0;
    } else r = this.probed || last ? this.insertPosition(key, off, len) : 0;
    if (r === 0) r = this.seek(key, 0, off, len);
    this.probed = false;
    const page = this.pages[this.depth]!;
    // Leaf-format cell at cellBuf[4..]; interior replacements get the child pointer in [0..4).
    const buf = this.bt.cellBuf;
    const interior = !page.leaf;
    let sz: number;
    if (interior) {
      sz = 4 + fillInCell(this.pager, buf, 4, false, key, off, len, page.maxLocal, page.minLocal, page.pgno);
    } else {
      sz = fillInCell(this.pager, buf, 0, false, key, off, len, page.maxLocal, page.minLocal, page.pgno);
    }
    if (this.placeCell(r, sz)) {
      const k = this.savedKey.length >= len ? this.savedKey : (this.savedKey = new Uint8Array(len));
      k.set(key.subarray(off, off + len));
      this.savedKeyLen = len;
      this.seek(this.savedKey, 0, 0, len);
    }
  }
}


/** A KeyComparator over @strata/common's record comparison for the given KeyInfo. */
export function recordComparator(keyInfo: KeyInfo): KeyComparator {
  return new RecordComparator(keyInfo);
}

/** A class, not closures made per cursor: the seek's calls then have one target, which V8
 *  inlines (closures made per cursor open made them megamorphic). */
class RecordComparator implements KeyComparator {
  private readonly parsed = new ParsedKey();
  constructor(private readonly keyInfo: KeyInfo) {}
  compare(a: Uint8Array, aOff: number, aLen: number, b: Uint8Array, bOff: number, bLen: number): number {
    return compareRecordRanges(a, aOff, aOff + aLen, b, bOff, bOff + bLen, this.keyInfo, 0);
  }
  setKey(b: Uint8Array, bOff: number, bLen: number): void {
    this.parsed.parse(b, bOff, bOff + bLen, this.keyInfo.nField);
  }
  compareToKey(a: Uint8Array, aView: DataView | null, aOff: number, aLen: number): number {
    return compareRecordToParsed(a, aView, aOff, aOff + aLen, this.parsed, this.keyInfo, 0);
  }
}
