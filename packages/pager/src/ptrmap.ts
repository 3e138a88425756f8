/*
 * ptrmap.ts: pointer-map pages of auto-vacuum databases (fileformat2 §1.6 "Pointer Map or
 * Ptrmap Pages"). A ptrmap page holds 5-byte entries (type byte + u32 parent page) for the
 * J = usableSize/5 pages that follow it; the first ptrmap page is page 2, the next at
 * 2 + J + 1, and so on (shifted by one if it would land on the lock-byte page).
 *
 * Entry types: 1 ROOTPAGE (parent 0), 2 FREEPAGE (parent 0), 3 OVERFLOW1 (parent = the
 * b-tree page whose cell owns the chain), 4 OVERFLOW2 (parent = previous overflow page),
 * 5 BTREE (parent = the parent b-tree page).
 *
 * Invariants:
 *  1. In an auto-vacuum file, every page except page 1, ptrmap pages and the lock-byte page
 *     has an entry that is right at every commit; the B-tree and the pager call ptrmapPut on
 *     every allocation, free, overflow page write and child move.
 *  2. ptrmapPut dirties the ptrmap page only when the entry really changes.
 *  3. Offsets into a ptrmap page are checked against the usable size (corruption otherwise).
 */
import { corrupt } from "./corrupt.js";
import { pendingBytePage } from "./db-header.js";
import type { Pager } from "./pager.js";

export const PTRMAP_ROOTPAGE = 1;
export const PTRMAP_FREEPAGE = 2;
export const PTRMAP_OVERFLOW1 = 3;
export const PTRMAP_OVERFLOW2 = 4;
export const PTRMAP_BTREE = 5;

/** The ptrmap page that holds the entry for `pgno` (0 for page 1). */
export function ptrmapPageFor(usableSize: number, pageSize: number, pgno: number): number {
  if (pgno < 2) return 0;
  const perMap = Math.floor(usableSize / 5) + 1;
  let ret = Math.floor((pgno - 2) / perMap) * perMap + 2;
  if (ret === pendingBytePage(pageSize)) ret++;
  return ret;
}

export function isPtrmapPage(usableSize: number, pageSize: number, pgno: number): boolean {
  return pgno >= 2 && ptrmapPageFor(usableSize, pageSize, pgno) === pgno;
}

/** Result of ptrmapGet (reused). */
export const ptrmapEntry = { type: 0, parent: 0 };

function locate(pager: Pager, pgno: number): number {
  const mp = ptrmapPageFor(pager.usableSize, pager.pageSize, pgno);
  if (mp === 0 || mp === pgno) throw corrupt(pgno, "no ptrmap entry for this page");
  const off = 5 * (pgno - mp - 1);
  if (off < 0 || off + 5 > pager.usableSize) throw corrupt(mp, "ptrmap offset out of range");
  return mp;
}

/** Sets the entry for `pgno` (no-op in a non-auto-vacuum file). */
export function ptrmapPut(pager: Pager, pgno: number, type: number, parent: number): void {
  if (!pager.autoVacuum) return;
  const mp = locate(pager, pgno);
  const page = pager.getPage(mp);
  const off = 5 * (pgno - mp - 1);
  const d = page.data;
  if (d[off] === type && ((d[off + 1] << 24) | (d[off + 2] << 16) | (d[off + 3] << 8) | d[off + 4]) >>> 0 === parent) return;
  pager.write(page);
  d[off] = type;
  d[off + 1] = parent >>> 24;
  d[off + 2] = parent >>> 16;
  d[off + 3] = parent >>> 8;
  d[off + 4] = parent;
}

/** Reads the entry for `pgno` into `ptrmapEntry`. */
export function ptrmapGet(pager: Pager, pgno: number): typeof ptrmapEntry {
  const mp = locate(pager, pgno);
  const page = pager.getPage(mp);
  const off = 5 * (pgno - mp - 1);
  const d = page.data;
  ptrmapEntry.type = d[off];
  ptrmapEntry.parent = ((d[off + 1] << 24) | (d[off + 2] << 16) | (d[off + 3] << 8) | d[off + 4]) >>> 0;
  return ptrmapEntry;
}
