/*
 * freelist.ts: the freelist of unused pages (fileformat2 §1.5 "The Freelist"). Header
 * offset 32 holds the first trunk page, offset 36 the total number of freelist pages
 * (trunks + leaves). A trunk page is: u32 next trunk (0 = last), u32 L = number of leaf
 * pointers, then L u32 leaf page numbers. Leaf pages carry no content.
 *
 * Invariants:
 *  1. Writers never fill the last 6 slots of a trunk: a trunk takes at most
 *     usableSize/4 - 8 leaves (old SQLite versions misread fuller trunks).
 *  2. Readers accept up to usableSize/4 - 2 leaves; more is corruption.
 *  3. Every page number taken from the freelist is checked to be in 2..nPage and not the
 *     lock-byte page before use.
 *  4. In auto-vacuum files a freed page gets a FREEPAGE ptrmap entry; the caller of
 *     freelistAllocate gives the page its new entry.
 */
import { corrupt } from "./corrupt.js";
import { get4, HDR, put4 } from "./db-header.js";
import type { Pager } from "./pager.js";
import { PTRMAP_FREEPAGE, ptrmapPut } from "./ptrmap.js";

/** Takes one page off the freelist; returns its pgno, or 0 when the freelist is empty. */
export function freelistAllocate(pager: Pager): number {
  const page1 = pager.getPage(1);
  const h = page1.data;
  const count = get4(h, HDR.freelistCount);
  if (count === 0) return 0;
  const trunkPgno = get4(h, HDR.firstFreelistTrunk);
  if (trunkPgno < 2 || trunkPgno > pager.pageCount) throw corrupt(1, "freelist trunk out of range");
  const trunk = pager.getPage(trunkPgno);
  const t = trunk.data;
  const k = get4(t, 4);
  if (k > pager.usableSize / 4 - 2) throw corrupt(trunkPgno, "freelist trunk leaf count too large");
  if (k === 0) {
    pager.write(page1);
    put4(h, HDR.firstFreelistTrunk, get4(t, 0));
    put4(h, HDR.freelistCount, count - 1);
    return trunkPgno;
  }
  const leaf = get4(t, 8 + (k - 1) * 4);
  if (leaf < 2 || leaf > pager.pageCount || leaf === pager.lockBytePage) throw corrupt(trunkPgno, "freelist leaf out of range");
  pager.write(page1);
  pager.write(trunk);
  put4(t, 4, k - 1);
  put4(h, HDR.freelistCount, count - 1);
  return leaf;
}

/** Puts page `pgno` on the freelist. */
export function freelistFree(pager: Pager, pgno: number): void {
  if (pgno < 2 || pgno > pager.pageCount) throw corrupt(pgno, "freeing a page out of range");
  const page1 = pager.getPage(1);
  const h = page1.data;
  pager.write(page1);
  const count = get4(h, HDR.freelistCount);
  const trunkPgno = get4(h, HDR.firstFreelistTrunk);
  put4(h, HDR.freelistCount, count + 1);
  ptrmapPut(pager, pgno, PTRMAP_FREEPAGE, 0);
  pager.forgetNode(pgno);
  if (trunkPgno !== 0) {
    if (trunkPgno > pager.pageCount) throw corrupt(1, "freelist trunk out of range");
    const trunk = pager.getPage(trunkPgno);
    const t = trunk.data;
    const k = get4(t, 4);
    if (k > pager.usableSize / 4 - 2) throw corrupt(trunkPgno, "freelist trunk leaf count too large");
    if (k < pager.usableSize / 4 - 8) {
      pager.write(trunk);
      put4(t, 8 + k * 4, pgno);
      put4(t, 4, k + 1);
      return;
    }
  }
  // The freed page becomes the new first trunk.
  const page = pager.getZeroedPage(pgno);
  put4(page.data, 0, trunkPgno);
  put4(page.data, 4, 0);
  put4(h, HDR.firstFreelistTrunk, pgno);
}

/**
 * Takes the specific page `pgno` off the freelist (auto-vacuum root placement). Returns
 * false when it is not on the freelist. Trunks are walked at most nPage times.
 */
export function freelistRemove(pager: Pager, pgno: number): boolean {
  const page1 = pager.getPage(1);
  const h = page1.data;
  let prevTrunk = 0;
  let trunkPgno = get4(h, HDR.firstFreelistTrunk);
  for (let guard = 0; trunkPgno !== 0 && guard <= pager.pageCount; guard++) {
    if (trunkPgno < 2 || trunkPgno > pager.pageCount) throw corrupt(1, "freelist trunk out of range");
    const trunk = pager.getPage(trunkPgno);
    const t = trunk.data;
    const k = get4(t, 4);
    if (k > pager.usableSize / 4 - 2) throw corrupt(trunkPgno, "freelist trunk leaf count too large");
    if (trunkPgno === pgno) {
      // Unlink the trunk; its last leaf (if any) becomes a trunk holding the other leaves.
      const next = get4(t, 0);
      let replacement = next;
      if (k > 0) {
        const leaf = get4(t, 8 + (k - 1) * 4);
        if (leaf < 2 || leaf > pager.pageCount) throw corrupt(trunkPgno, "freelist leaf out of range");
        const lp = pager.getZeroedPage(leaf);
        lp.data.set(t.subarray(0, 8 + (k - 1) * 4));
        put4(lp.data, 4, k - 1);
        replacement = leaf;
      }
      if (prevTrunk === 0) {
        pager.write(page1);
        put4(h, HDR.firstFreelistTrunk, replacement);
      } else {
        const pt = pager.getPage(prevTrunk);
        pager.write(pt);
        put4(pt.data, 0, replacement);
      }
      pager.write(page1);
      put4(h, HDR.freelistCount, get4(h, HDR.freelistCount) - 1);
      return true;
    }
    for (let i = 0; i < k; i++) {
      if (get4(t, 8 + 4 * i) === pgno) {
        pager.write(trunk);
        put4(t, 8 + 4 * i, get4(t, 8 + (k - 1) * 4));
        put4(t, 4, k - 1);
        pager.write(page1);
        put4(h, HDR.freelistCount, get4(h, HDR.freelistCount) - 1);
        return true;
      }
    }
    prevTrunk = trunkPgno;
    trunkPgno = get4(t, 0);
  }
  return false;
}
