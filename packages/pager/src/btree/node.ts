/*
 * btree/node.ts: one B-tree page as a node: its header, cell pointer array, cells,
 * freeblocks and fragments (fileformat2 §1.5 "B-tree Pages"), SQLite's MemPage routines
 * (btreeInitPage, btreeParseCell, cellSize, allocateSpace, freeSpace, defragmentPage,
 * insertCell, dropCell) in our own code.
 *
 *  page header (offset 100 on page 1, else 0):
 *    0 type: 2 index interior, 5 table interior, 10 index leaf, 13 table leaf
 *    1 first freeblock (u16, 0 = none)   3 cell count (u16)
 *    5 start of cell content area (u16, 0 = 65536)   7 fragmented free bytes (u8)
 *    8 right-most child (u32, interior pages only)
 *  then the cell pointer array (u16 per cell, in key order); cells grow down from the end.
 *
 *  cells:  table leaf      varint nPayload, varint rowid, payload[nLocal], [u32 overflow]
 *          table interior  u32 left child, varint rowid
 *          index leaf      varint nPayload, payload[nLocal], [u32 overflow]
 *          index interior  u32 left child, varint nPayload, payload[nLocal], [u32 overflow]
 *
 *  spill rule (U usable size, P payload size): X = U-35 for table leaves, else
 *  ((U-12)*64/255)-23; M = ((U-12)*32/255)-23; K = M+((P-M) % (U-4)). P <= X: all local;
 *  else nLocal = K if K <= X, else M; the rest goes to an overflow chain. A cell takes at
 *  least 4 bytes on the page.
 *
 * Invariants:
 *  1. After initNode, page.nCell/nFree/cellOff/... describe the page bytes, and every node
 *     routine here keeps them in step with the bytes it changes.
 *  2. nFree = (content start - end of the pointer array) + freeblock bytes + fragment
 *     bytes; freeblocks form an ascending chain of non-adjacent blocks >= 4 bytes inside
 *     the content area; fragments (<4 free bytes inside the content area) never exceed 60.
 *  3. Every cell pointer and every cell extent read from the page is checked to lie inside
 *     the page's usable area before it is used; violations are corrupt().
 *  4. Cells that do not fit are kept in ovflIdx/ovflCell at their logical indices (only
 *     between an insert and the balance that follows it); logical index i counts both.
 *  5. No routine here allocates except: ovfl cells (a copy of the cell) and the page-size
 *     scratch buffer handed in for defragmentation.
 */
import { corrupt } from "../corrupt.js";
import { get2, get4, put2, put4 } from "../db-header.js";
import type { Page } from "../page-cache.js";
import { getVarint, lastVarintLen, varintLastHi, varintLastLo } from "@strata/common";

export const PTF_INDEX_INTERIOR = 2;
export const PTF_TABLE_INTERIOR = 5;
export const PTF_INDEX_LEAF = 10;
export const PTF_TABLE_LEAF = 13;

/** Parsed cell (SQLite's CellInfo); one instance is reused by each cursor/operation. */
export class CellInfo {
  /** intkey trees: the rowid, exact when rowidSafe. */
  rowid = 0;
  rowidSafe = true;
  /** Exact 64-bit rowid words when !rowidSafe (hi signed, lo unsigned). */
  rowidHi = 0;
  rowidLo = 0;
  nPayload = 0;
  /** Offset of the first payload byte inside the page. */
  payloadOff = 0;
  nLocal = 0;
  /** Bytes the cell occupies on the page (>= 4). */
  nSize = 0;
  /** First overflow page, 0 if the payload is all local. */
  ovflPgno = 0;
  /** Offset of the cell inside the page. */
  cellOff = 0;
}

/** Local payload bytes for a payload of nPayload bytes (the spill rule above). */
export function localSize(nPayload: number, maxLocal: number, minLocal: number, usable: number): number {
  if (nPayload <= maxLocal) return nPayload;
  const k = minLocal + ((nPayload - minLocal) % (usable - 4));
  return k <= maxLocal ? k : minLocal;
}

export function maxLocalFor(intKeyLeaf: boolean, usable: number): number {
  return intKeyLeaf ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
}
export function minLocalFor(usable: number): number {
  return Math.floor(((usable - 12) * 32) / 255) - 23;
}

/** Sets the decoded type fields of `page` for page type byte `t`. */
export function setNodeType(page: Page, t: number, usable: number): void {
  switch (t) {
    case PTF_TABLE_LEAF:
      page.leaf = true;
      page.intKey = true;
      break;
    case PTF_TABLE_INTERIOR:
      page.leaf = false;
      page.intKey = true;
      break;
    case PTF_INDEX_LEAF:
      page.leaf = true;
      page.intKey = false;
      break;
    case PTF_INDEX_INTERIOR:
      page.leaf = false;
      page.intKey = false;
      break;
    default:
      throw corrupt(page.pgno, `bad b-tree page type ${t}`);
  }
  page.pageType = t;
  page.cellOff = page.hdrOff + (page.leaf ? 8 : 12);
  page.maxLocal = maxLocalFor(page.intKey && page.leaf, usable);
  page.minLocal = minLocalFor(usable);
}

export function contentStart(page: Page): number {
  const v = get2(page.data, page.hdrOff + 5);
  return v === 0 ? 65536 : v;
}

/** Decodes the node header and checks it (invariants 1-3); cheap when already decoded. */
export function initNode(page: Page, usable: number): void {
  if (page.nodeInit) return;
  const d = page.data;
  const hdr = page.hdrOff;
  setNodeType(page, d[hdr], usable);
  const nCell = get2(d, hdr + 3);
  if (nCell > Math.floor((usable - 8) / 6)) throw corrupt(page.pgno, "too many cells");
  page.nCell = nCell;
  const iCellFirst = page.cellOff + 2 * nCell;
  const top = contentStart(page);
  if (top > usable) throw corrupt(page.pgno, "content area starts past the page");
  if (top < iCellFirst) throw corrupt(page.pgno, "cell content area overlaps the cell pointers");
  let nFree = d[hdr + 7] + top;
  let pc = get2(d, hdr + 1);
  if (pc !== 0) {
    if (pc < top) throw corrupt(page.pgno, "freeblock before the cell content area");
    for (;;) {
      if (pc > usable - 4) throw corrupt(page.pgno, "freeblock past the end of the page");
      const next = get2(d, pc);
      const size = get2(d, pc + 2);
      nFree += size;
      if (next === 0) {
        if (pc + size > usable) throw corrupt(page.pgno, "freeblock extends past the page");
        break;
      }
      if (next <= pc + size + 3) throw corrupt(page.pgno, "freeblocks out of order or overlapping");
      pc = next;
    }
  }
  if (nFree > usable || nFree < iCellFirst) throw corrupt(page.pgno, "free space count out of range");
  page.nFree = nFree - iCellFirst;
  page.nodeInit = true;
}

export function rightChild(page: Page): number {
  return get4(page.data, page.hdrOff + 8);
}
export function setRightChild(page: Page, pgno: number): void {
  put4(page.data, page.hdrOff + 8, pgno);
}

/** Offset of real cell i, checked to lie after the pointer array (invariant 3). */
export function cellPtr(page: Page, i: number, usable: number): number {
  const pc = get2(page.data, page.cellOff + 2 * i);
  if (pc < page.cellOff + 2 * page.nCell || pc > usable - 4) throw corrupt(page.pgno, "cell pointer out of range");
  return pc;
}

/** Parses real cell i of `page` into `info`, checking its extent. */
export function parseCell(page: Page, i: number, info: CellInfo, usable: number): void {
  const pc = cellPtr(page, i, usable);
  parseCellAt(page.data, pc, page.leaf, page.intKey, page.maxLocal, page.minLocal, usable, info);
  if (pc + info.nSize > usable) throw corrupt(page.pgno, "cell extends past the page");
}

/**
 * Stores a rowid just read by @strata/common's getVarint: a safe integer as a number, any
 * other int64 (getVarint gives NaN, or -2^53) as its hi/lo words.
 */
function setRowid(info: CellInfo, v: number): void {
  if (v >= Number.MIN_SAFE_INTEGER) {
    info.rowid = v;
    info.rowidSafe = true;
  } else {
    info.rowid = v === v ? v : 0;
    info.rowidSafe = false;
    info.rowidHi = varintLastHi();
    info.rowidLo = varintLastLo();
  }
}

/** Parses the cell at buf[pc] of a page of the given kind (no extent check). */
export function parseCellAt(
  d: Uint8Array,
  pc: number,
  leaf: boolean,
  intKey: boolean,
  maxLocal: number,
  minLocal: number,
  usable: number,
  info: CellInfo,
): void {
  info.cellOff = pc;
  if (intKey && !leaf) {
    const rowid = getVarint(d, pc + 4);
    const len = lastVarintLen();
    setRowid(info, rowid);
    info.nPayload = 0;
    info.nLocal = 0;
    info.payloadOff = pc + 4 + len;
    info.nSize = 4 + len;
    info.ovflPgno = 0;
    return;
  }
  let p = leaf ? pc : pc + 4;
  const nPayload = getVarint(d, p);
  // NaN (beyond 2^53) fails both tests.
  if (!(nPayload >= 0 && nPayload <= 0x7fffffff)) throw corrupt(0, "payload size too large");
  p += lastVarintLen();
  if (intKey) {
    const rowid = getVarint(d, p);
    p += lastVarintLen();
    setRowid(info, rowid);
  } else {
    info.rowid = 0;
    info.rowidSafe = true;
  }
  info.nPayload = nPayload;
  info.payloadOff = p;
  const nLocal = localSize(nPayload, maxLocal, minLocal, usable);
  info.nLocal = nLocal;
  let size = p - pc + nLocal;
  if (nLocal < nPayload) {
    info.ovflPgno = get4(d, p + nLocal);
    size += 4;
  } else {
    info.ovflPgno = 0;
  }
  info.nSize = size < 4 ? 4 : size;
}

/** Size of the cell at buf[pc] of a page of the given kind. */
export function cellSizeAt(d: Uint8Array, pc: number, leaf: boolean, intKey: boolean, maxLocal: number, minLocal: number, usable: number): number {
  let p = pc;
  if (!leaf) {
    p += 4;
    if (intKey) {
      for (let i = 0; i < 9; i++) if ((d[p + i] & 0x80) === 0) return 5 + i;
      return 13;
    }
  }
  let nPayload = 0;
  let i = 0;
  for (; i < 8; i++) {
    const b = d[p + i] | 0;
    nPayload = nPayload * 128 + (b & 0x7f);
    if (b < 0x80) break;
  }
  p += i + 1;
  if (intKey) {
    let j = 0;
    while (j < 8 && ((d[p + j] | 0) & 0x80) !== 0) j++;
    p += j + 1;
  }
  const nLocal = localSize(nPayload, maxLocal, minLocal, usable);
  let size = p - pc + nLocal;
  if (nLocal < nPayload) size += 4;
  return size < 4 ? 4 : size;
}

export function cellSize(page: Page, pc: number, usable: number): number {
  return cellSizeAt(page.data, pc, page.leaf, page.intKey, page.maxLocal, page.minLocal, usable);
}

// ------------------------------------------------------------------ space management

/** First-fit search of the freeblock chain for nByte bytes; 0 when nothing fits. */
function findSlot(page: Page, nByte: number, usable: number): number {
  const d = page.data;
  const hdr = page.hdrOff;
  let iAddr = hdr + 1;
  let pc = get2(d, iAddr);
  const maxPC = usable - nByte;
  while (pc <= maxPC) {
    const size = get2(d, pc + 2);
    const x = size - nByte;
    if (x >= 0) {
      if (x < 4) {
        if (d[hdr + 7] > 57) return 0;
        d[iAddr] = d[pc];
        d[iAddr + 1] = d[pc + 1];
        d[hdr + 7] += x;
        return pc;
      }
      if (x + pc > maxPC) throw corrupt(page.pgno, "freeblock extends past the page");
      put2(d, pc + 2, x);
      return pc + x;
    }
    iAddr = pc;
    pc = get2(d, pc);
    if (pc <= iAddr) {
      if (pc !== 0) throw corrupt(page.pgno, "freeblock chain not ascending");
      return 0;
    }
  }
  if (pc > maxPC + nByte - 4) throw corrupt(page.pgno, "freeblock past the end of the page");
  return 0;
}

/** Packs all cells at the end of the page (no freeblocks, no fragments). */
export function defragmentPage(page: Page, usable: number, scratch: Uint8Array): void {
  const d = page.data;
  const hdr = page.hdrOff;
  const nCell = page.nCell;
  const iCellFirst = page.cellOff + 2 * nCell;
  const top = contentStart(page);
  scratch.set(d.subarray(top < usable ? top : usable, usable), top < usable ? top : usable);
  let cbrk = usable;
  for (let i = 0; i < nCell; i++) {
    const ptr = page.cellOff + 2 * i;
    const pc = get2(d, ptr);
    if (pc < iCellFirst || pc < top || pc > usable - 4) throw corrupt(page.pgno, "cell pointer out of range");
    const size = cellSizeAt(scratch, pc, page.leaf, page.intKey, page.maxLocal, page.minLocal, usable);
    if (pc + size > usable) throw corrupt(page.pgno, "cell extends past the page");
    cbrk -= size;
    if (cbrk < iCellFirst) throw corrupt(page.pgno, "cells overlap");
    d.set(scratch.subarray(pc, pc + size), cbrk);
    put2(d, ptr, cbrk);
  }
  if (cbrk - iCellFirst !== page.nFree) throw corrupt(page.pgno, "free space accounting is wrong");
  put2(d, hdr + 1, 0);
  put2(d, hdr + 5, cbrk === 65536 ? 0 : cbrk);
  d[hdr + 7] = 0;
  d.fill(0, iCellFirst, cbrk);
}

/** Carves nByte bytes for a new cell out of the page (the caller checked nFree >= nByte+2). */
function allocateSpace(page: Page, nByte: number, usable: number, scratch: Uint8Array): number {
  const d = page.data;
  const hdr = page.hdrOff;
  const gap = page.cellOff + 2 * page.nCell;
  let top = contentStart(page);
  if (gap > top) throw corrupt(page.pgno, "cell pointers overlap the content area");
  if ((d[hdr + 1] | d[hdr + 2]) !== 0 && gap + 2 <= top) {
    const pc = findSlot(page, nByte, usable);
    if (pc !== 0) {
      if (pc < gap + 2) throw corrupt(page.pgno, "freeblock overlaps the pointer array");
      return pc;
    }
  }
  if (gap + 2 + nByte > top) {
    defragmentPage(page, usable, scratch);
    top = contentStart(page);
    if (gap + 2 + nByte > top) throw corrupt(page.pgno, "no room after defragmentation");
  }
  top -= nByte;
  put2(d, hdr + 5, top);
  return top;
}

/** Returns [iStart, iStart+iSize) to the free space: a freeblock, merged with neighbours
 *  (absorbing fragments between them), or a larger content area when it borders it. */
export function freeSpace(page: Page, iStart: number, iSize: number, usable: number): void {
  const d = page.data;
  const hdr = page.hdrOff;
  let iPtr = hdr + 1;
  let iFreeBlk = get2(d, iPtr);
  if (iFreeBlk !== 0) {
    while (iFreeBlk !== 0 && iFreeBlk < iStart) {
      if (iFreeBlk <= iPtr && iPtr !== hdr + 1) throw corrupt(page.pgno, "freeblock chain not ascending");
      iPtr = iFreeBlk;
      iFreeBlk = get2(d, iFreeBlk);
    }
    if (iFreeBlk !== 0 && iFreeBlk <= iPtr && iPtr !== hdr + 1) throw corrupt(page.pgno, "freeblock chain not ascending");
    if (iFreeBlk > usable - 4) throw corrupt(page.pgno, "freeblock past the end of the page");
  }
  let iEnd = iStart + iSize;
  if (iEnd > usable) throw corrupt(page.pgno, "freed cell extends past the page");
  let nFrag = 0;
  if (iFreeBlk !== 0 && iEnd + 3 >= iFreeBlk) {
    nFrag = iFreeBlk - iEnd;
    if (iEnd > iFreeBlk) throw corrupt(page.pgno, "freed cell overlaps a freeblock");
    iEnd = iFreeBlk + get2(d, iFreeBlk + 2);
    if (iEnd > usable) throw corrupt(page.pgno, "freeblock extends past the page");
    iSize = iEnd - iStart;
    iFreeBlk = get2(d, iFreeBlk);
  }
  if (iPtr > hdr + 1) {
    const iPtrEnd = iPtr + get2(d, iPtr + 2);
    if (iPtrEnd + 3 >= iStart) {
      if (iPtrEnd > iStart) throw corrupt(page.pgno, "freed cell overlaps a freeblock");
      nFrag += iStart - iPtrEnd;
      iSize = iEnd - iPtr;
      iStart = iPtr;
    }
  }
  if (nFrag > d[hdr + 7]) throw corrupt(page.pgno, "fragment count too small");
  d[hdr + 7] -= nFrag;
  const top = contentStart(page);
  if (iStart <= top) {
    if (iStart < top) throw corrupt(page.pgno, "freed cell before the content area");
    if (iPtr !== hdr + 1) throw corrupt(page.pgno, "freeblock before the content area");
    put2(d, hdr + 1, iFreeBlk);
    put2(d, hdr + 5, iEnd === 65536 ? 0 : iEnd);
  } else {
    put2(d, iPtr, iStart);
    put2(d, iStart, iFreeBlk);
    put2(d, iStart + 2, iSize);
  }
}

/** Removes real cell i (of size sz) from the page. */
export function dropCell(page: Page, i: number, sz: number, usable: number): void {
  const d = page.data;
  const hdr = page.hdrOff;
  const ptr = page.cellOff + 2 * i;
  const pc = get2(d, ptr);
  if (pc < page.cellOff + 2 * page.nCell || pc + sz > usable) throw corrupt(page.pgno, "cell out of range");
  freeSpace(page, pc, sz, usable);
  page.nCell--;
  if (page.nCell === 0) {
    d[hdr + 1] = 0;
    d[hdr + 2] = 0;
    d[hdr + 7] = 0;
    put2(d, hdr + 3, 0);
    put2(d, hdr + 5, usable === 65536 ? 0 : usable);
    page.nFree = usable - page.cellOff;
    return;
  }
  d.copyWithin(ptr, ptr + 2, page.cellOff + 2 * (page.nCell + 1));
  put2(d, hdr + 3, page.nCell);
  page.nFree += sz + 2;
}

// ------------------------------------------------------------------ logical cells (with ovfl)

/** Number of cells including overflow cells (invariant 4). */
export function logicalCount(page: Page): number {
  return page.nCell + page.ovflIdx.length;
}

/** Result of logicalCellRef (reused): where logical cell i's bytes are. */
export const cellRef: { buf: Uint8Array; off: number } = { buf: new Uint8Array(0), off: 0 };

/** Locates logical cell i (a real cell or an overflow cell). */
export function logicalCellRef(page: Page, i: number, usable: number): void {
  const oi = page.ovflIdx;
  let before = 0;
  for (let j = 0; j < oi.length; j++) {
    if (oi[j] === i) {
      cellRef.buf = page.ovflCell[j];
      cellRef.off = 0;
      return;
    }
    if (oi[j] < i) before++;
  }
  cellRef.buf = page.data;
  cellRef.off = cellPtr(page, i - before, usable);
}

/** Inserts a cell at logical index i: into the page when it fits and the page has no
 *  overflow cells, else as an overflow cell (a copy). */
// copyWords' DataView over its last source array (nearly always the B-tree's cell buffer).
let lastSrc: Uint8Array | null = null;
let lastSrcView: DataView = new DataView(new ArrayBuffer(0));

/**
 * Copies from[fOff..fOff+n) to to[tOff..) four bytes a step; `toView` is a DataView over
 * `to` with the same offsets (a page's own, or the caller's). No subarray is made, as
 * set() would need.
 */
export function copyWords(from: Uint8Array, fOff: number, to: Uint8Array, toView: DataView, tOff: number, n: number): void {
  if (from !== lastSrc) {
    lastSrc = from;
    lastSrcView = new DataView(from.buffer, from.byteOffset, from.byteLength);
  }
  const fv = lastSrcView;
  let i = 0;
  for (; i + 4 <= n; i += 4) toView.setUint32(tOff + i, fv.getUint32(fOff + i));
  for (; i < n; i++) to[tOff + i] = from[fOff + i];
}

export function insertCell(page: Page, i: number, src: Uint8Array, srcOff: number, sz: number, usable: number, scratch: Uint8Array): void {
  const oi = page.ovflIdx;
  if (oi.length !== 0 || sz + 2 > page.nFree) {
    let j = 0;
    while (j < oi.length && oi[j] < i) j++;
    for (let k = j; k < oi.length; k++) oi[k]++;
    oi.splice(j, 0, i);
    page.ovflCell.splice(j, 0, src.slice(srcOff, srcOff + sz));
    return;
  }
  if (i > page.nCell) throw corrupt(page.pgno, "internal: insert index out of range");
  const d = page.data;
  const off = allocateSpace(page, sz, usable, scratch);
  if (sz <= 12) for (let k = 0; k < sz; k++) d[off + k] = src[srcOff + k];
  else copyWords(src, srcOff, d, page.view, off, sz);
  const ptr = page.cellOff + 2 * i;
  if (i < page.nCell) d.copyWithin(ptr + 2, ptr, page.cellOff + 2 * page.nCell); // not for an append
  put2(d, ptr, off);
  page.nCell++;
  put2(d, page.hdrOff + 3, page.nCell);
  page.nFree -= sz + 2;
}

/** Removes logical cell i (real or overflow); the caller frees nothing else. */
export function removeLogicalCell(page: Page, i: number, usable: number): void {
  const oi = page.ovflIdx;
  let before = 0;
  for (let j = 0; j < oi.length; j++) {
    if (oi[j] === i) {
      oi.splice(j, 1);
      page.ovflCell.splice(j, 1);
      for (let k = j; k < oi.length; k++) oi[k]--;
      return;
    }
    if (oi[j] < i) before++;
  }
  const r = i - before;
  const pc = cellPtr(page, r, usable);
  dropCell(page, r, cellSize(page, pc, usable), usable);
  for (let k = 0; k < oi.length; k++) if (oi[k] > i) oi[k]--;
}

/** Rewrites the page from scratch with the given cells (bufs[i] at offs[i], szs[i] bytes). */
export function assemblePage(
  page: Page,
  type: number,
  usable: number,
  bufs: readonly Uint8Array[],
  offs: ArrayLike<number>,
  szs: ArrayLike<number>,
  from: number,
  to: number,
  rightChildPgno: number,
): void {
  const d = page.data;
  const hdr = page.hdrOff;
  setNodeType(page, type, usable);
  const n = to - from;
  const cellOff = page.cellOff;
  d[hdr] = type;
  put2(d, hdr + 1, 0);
  put2(d, hdr + 3, n);
  d[hdr + 7] = 0;
  if (!page.leaf) put4(d, hdr + 8, rightChildPgno);
  let cbrk = usable;
  // Cells go down from the end in order, so a run of cells lying the same way in one
  // source (each just below the previous one, as on a page this function assembled) is
  // copied at once: one set() per run instead of a subarray per cell.
  let i = from;
  while (i < to) {
    const src = bufs[i];
    const top = offs[i] + szs[i];
    let lo = offs[i];
    cbrk -= szs[i];
    put2(d, cellOff + 2 * (i - from), cbrk);
    let j = i + 1;
    while (j < to && bufs[j] === src && offs[j] + szs[j] === lo) {
      lo = offs[j];
      cbrk -= szs[j];
      put2(d, cellOff + 2 * (j - from), cbrk);
      j++;
    }
    const len = top - lo;
    if (len <= 32) for (let k = 0; k < len; k++) d[cbrk + k] = src[lo + k];
    else d.set(src.subarray(lo, top), cbrk);
    i = j;
  }
  const iCellFirst = cellOff + 2 * n;
  if (cbrk < iCellFirst) throw corrupt(page.pgno, "internal: cells do not fit the page");
  put2(d, hdr + 5, cbrk === 65536 ? 0 : cbrk);
  d.fill(0, iCellFirst, cbrk);
  page.nCell = n;
  page.nFree = cbrk - iCellFirst;
  page.ovflIdx.length = 0;
  page.ovflCell.length = 0;
  page.nodeInit = true;
}

/** Makes the page an empty node of the given type. */
export function zeroNode(page: Page, type: number, usable: number): void {
  assemblePage(page, type, usable, [], [], [], 0, 0, 0);
}
