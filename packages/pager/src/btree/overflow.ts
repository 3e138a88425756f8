/*
 * btree/overflow.ts: building cells (SQLite's fillInCell) and overflow chains
 * (fileformat2 §1.5, "Cell Payload Overflow Pages"): each overflow page is a u32 next-page
 * number (0 on the last page) followed by usableSize-4 payload bytes.
 *
 * Invariants:
 *  1. A chain written for a payload of P bytes with L local bytes has exactly
 *     ceil((P-L)/(U-4)) pages; walking or freeing one checks every pgno against the database
 *     size and stops after that many pages, so a corrupt (cyclic, long) chain cannot hang.
 *  2. A chain never visits a page twice: a cycle is corruption even when it is shorter than
 *     the expected length (checked as the chain is walked: a scan for short chains, a set
 *     for long ones), and the last page's next pointer must be 0.
 *  3. Auto-vacuum: the first overflow page's ptrmap entry is OVERFLOW1 with the page that
 *     holds the cell, each later page OVERFLOW2 with its predecessor.
 */
import { corrupt } from "../corrupt.js";
import { get4, put4 } from "../db-header.js";
import type { Pager } from "../pager.js";
import { PTRMAP_OVERFLOW1, PTRMAP_OVERFLOW2, ptrmapPut } from "../ptrmap.js";
import { putVarint } from "@strata/common";
import { copyWords, localSize } from "./node.js";

/** Number of overflow pages for a payload of nPayload bytes with nLocal local. */
export function overflowPageCount(nPayload: number, nLocal: number, usable: number): number {
  return nPayload <= nLocal ? 0 : Math.ceil((nPayload - nLocal) / (usable - 4));
}

/** Rowid to write into a table-leaf cell: a safe number, or (big) the exact bigint; hi/lo are its words. */
export const cellKey = { big: false, num: 0, hi: 0, lo: 0, bigint: 0n };

/**
 * Writes a leaf-format cell into out[outOff..]: table leaf when intKey (rowid from
 * `cellKey`), else index leaf. Spilled payload goes to freshly allocated overflow pages
 * owned (ptrmap) by page `owner`. Returns the cell size.
 */
// fillInCell's DataView over its last output array (the B-tree's cell buffer).
let lastOut: Uint8Array | null = null;
let lastOutView: DataView = new DataView(new ArrayBuffer(0));

function viewOfOut(out: Uint8Array): DataView {
  if (out !== lastOut) {
    lastOut = out;
    lastOutView = new DataView(out.buffer, out.byteOffset, out.byteLength);
  }
  return lastOutView;
}

export function fillInCell(
  pager: Pager,
  out: Uint8Array,
  outOff: number,
  intKey: boolean,
  payload: Uint8Array,
  pOff: number,
  nPayload: number,
  maxLocal: number,
  minLocal: number,
  owner: number,
): number {
  const usable = pager.usableSize;
  let p = outOff + putVarint(out, outOff, nPayload);
  if (intKey) {
    p += putVarint(out, p, cellKey.big ? cellKey.bigint : cellKey.num);
  }
  const nLocal = localSize(nPayload, maxLocal, minLocal, usable);
  // No subarray view (an allocation) for the common whole-payload case; short payloads
  // four bytes a step through DataViews (views kept for the last arrays seen).
  if (pOff === 0 && nLocal === payload.length) out.set(payload, p);
  else if (nLocal <= 128) copyWords(payload, pOff, out, viewOfOut(out), p, nLocal);
  else out.set(payload.subarray(pOff, pOff + nLocal), p);
  p += nLocal;
  if (nLocal < nPayload) {
    let done = nLocal;
    let prevData: Uint8Array = out;
    let prevPtr = p;
    let prevPgno = 0;
    p += 4;
    while (done < nPayload) {
      const pg = pager.allocatePage();
      put4(prevData, prevPtr, pg.pgno);
      ptrmapPut(pager, pg.pgno, prevPgno === 0 ? PTRMAP_OVERFLOW1 : PTRMAP_OVERFLOW2, prevPgno === 0 ? owner : prevPgno);
      const n = Math.min(nPayload - done, usable - 4);
      pg.data.set(payload.subarray(pOff + done, pOff + done + n), 4);
      done += n;
      prevData = pg.data;
      prevPtr = 0;
      prevPgno = pg.pgno;
    }
  }
  const size = p - outOff;
  if (size < 4) {
    for (let i = size; i < 4; i++) out[outOff + i] = 0;
    return 4;
  }
  return size;
}

let seenFor: Int32Array | null = null;
const seen = new Set<number>();

/** Invariant 2: throws if `next` is already among chain[1..k]. */
function checkNoCycle(chain: Int32Array, k: number, next: number): void {
  if (k < 64) {
    for (let i = 1; i <= k; i++) if (chain[i] === next) throw corrupt(next, "cycle in an overflow chain");
    return;
  }
  if (seenFor !== chain || seen.size !== k) {
    seen.clear();
    for (let i = 1; i <= k; i++) seen.add(chain[i]);
    seenFor = chain;
  }
  if (seen.has(next)) throw corrupt(next, "cycle in an overflow chain");
  seen.add(next);
}

/** Frees the overflow chain starting at `first` that should have `nPages` pages. */
export function freeOverflowChain(pager: Pager, first: number, nPages: number): void {
  // Walk (and check) the whole chain before freeing any of it.
  const chain = new Int32Array(nPages + 1);
  let pgno = first;
  for (let i = 0; i < nPages; i++) {
    if (pgno < 2 || pgno > pager.pageCount) throw corrupt(pgno, "overflow page out of range");
    checkNoCycle(chain, i, pgno);
    chain[i + 1] = pgno;
    const next = get4(pager.getPage(pgno).data, 0);
    if (i < nPages - 1 && next === 0) throw corrupt(pgno, "overflow chain too short");
    if (i === nPages - 1 && next !== 0) throw corrupt(pgno, "overflow chain too long");
    pgno = next;
  }
  seenFor = null;
  for (let i = 1; i <= nPages; i++) pager.freePage(chain[i]);
}

/**
 * Copies payload bytes [offset, offset+n) of a cell whose overflow part starts at page
 * `first` (the local part is nLocal bytes, not handled here: offset >= nLocal) into out.
 * `chain` caches the chain's page numbers (chain[0] = count known); reused across calls.
 */
export function readOverflow(
  pager: Pager,
  first: number,
  nLocal: number,
  nPayload: number,
  offset: number,
  n: number,
  out: Uint8Array,
  outOff: number,
  chain: Int32Array,
): void {
  const usable = pager.usableSize;
  const per = usable - 4;
  const nPages = overflowPageCount(nPayload, nLocal, usable);
  let idx = Math.floor((offset - nLocal) / per);
  let within = (offset - nLocal) % per;
  // chain[1..] holds known pgnos; chain[0] their count.
  if (chain[0] === 0) {
    chain[1] = first;
    chain[0] = 1;
    seenFor = null;
  }
  while (chain[0] <= idx) {
    const k = chain[0];
    const prev = chain[k];
    if (prev < 2 || prev > pager.pageCount) throw corrupt(prev, "overflow page out of range");
    const next = get4(pager.getPage(prev).data, 0);
    if (next === 0 || k >= nPages) throw corrupt(prev, "overflow chain too short");
    checkNoCycle(chain, k, next);
    if (k + 1 < chain.length) {
      chain[k + 1] = next;
      chain[0] = k + 1;
    } else {
      throw corrupt(prev, "internal: overflow cache too small");
    }
  }
  while (n > 0) {
    if (idx >= nPages) throw corrupt(first, "read past the overflow chain");
    let pgno: number;
    if (idx < chain[0]) pgno = chain[idx + 1];
    else {
      const prev = chain[idx];
      const next = get4(pager.getPage(prev).data, 0);
      if (next === 0) throw corrupt(prev, "overflow chain too short");
      checkNoCycle(chain, idx, next);
      chain[idx + 1] = next;
      chain[0] = idx + 1;
      pgno = next;
    }
    if (pgno < 2 || pgno > pager.pageCount) throw corrupt(pgno, "overflow page out of range");
    const d = pager.getPage(pgno).data;
    if (idx === nPages - 1 && get4(d, 0) !== 0) throw corrupt(pgno, "overflow chain too long");
    const take = Math.min(n, per - within);
    out.set(d.subarray(4 + within, 4 + within + take), outOff);
    outOff += take;
    n -= take;
    within = 0;
    idx++;
  }
}
