/*
 * btree/balance.ts: keeping a B-tree valid and well filled after an insert or delete
 * (SQLite's balance(), balance_deeper, balance_quick and balance_nonroot, re-designed).
 *
 * balance(cur) walks the cursor's stack bottom-up. At each level the page is left alone
 * when it has no overflow cells and is at least a third full; otherwise:
 *  - the root with overflow cells: balanceDeeper moves its content into a new child, the
 *    root becomes an interior page with only a right child, and the child is balanced next;
 *  - a table leaf that overflowed by one cell appended at its end, being the right-most
 *    child of a parent other than page 1: balanceQuick puts the new cell alone on a new
 *    right sibling (sequential inserts leave full pages behind); an index leaf in the same
 *    position (with at least two cells) does the same, its last entry moving up as the
 *    divider (balanceQuickIndex: sorted CREATE INDEX fills leave full leaves behind);
 *  - otherwise balanceNonroot takes the page and up to two siblings (3 in all, fewer when
 *    the parent has fewer children), gathers all their cells plus the dividers between
 *    them, and redistributes them over as few pages as fit (packed left to right, then
 *    evened out from the right so no page is left nearly empty), reusing the old page
 *    numbers (sorted ascending), allocating or freeing pages as needed, and rewrites the
 *    parent's dividers, which may overflow the parent: the loop then balances the parent.
 *    When the parent is the root, ends up with no cells and the content fits in it, the
 *    content moves into the root and the child is freed (the tree gets shallower).
 *
 * Invariants:
 *  1. After balance() returns, no page on the path has overflow cells, every non-root page
 *     has at least one cell, and keys stay in order across dividers.
 *  2. Table trees: a divider's rowid is the largest rowid in its left subtree (leaf data is
 *     never moved up); index trees: the divider is a real entry moved up from (or down
 *     into) the children.
 *  3. Auto-vacuum: every page written here gets its ptrmap entry (BTREE → parent) and every
 *     child and overflow chain it now owns is re-pointed (walkNodePtrmap).
 *  4. The caller's cursor stack is only trusted from the balanced level up; callers
 *     re-seek afterwards.
 */
import { corrupt } from "../corrupt.js";
import { get2, get4, put4 } from "../db-header.js";
import type { Page } from "../page-cache.js";
import { PTRMAP_BTREE, PTRMAP_OVERFLOW1, ptrmapPut } from "../ptrmap.js";
import { varintLen } from "@strata/common";
import type { Btree } from "./btree.js";
import type { BtCursor } from "./cursor.js";
import {
  assemblePage,
  CellInfo,
  cellPtr,
  cellRef,
  cellSizeAt,
  dropCell,
  initNode,
  insertCell,
  logicalCellRef,
  logicalCount,
  parseCellAt,
  PTF_INDEX_INTERIOR,
  PTF_INDEX_LEAF,
  PTF_TABLE_INTERIOR,
  PTF_TABLE_LEAF,
  removeLogicalCell,
  rightChild,
  setRightChild,
} from "./node.js";

const walkInfo = new CellInfo();

/** Auto-vacuum: points the ptrmap entries of every child and overflow chain of `page` at it. */
export function walkNodePtrmap(bt: Btree, page: Page): void {
  const pager = bt.pager;
  if (!pager.autoVacuum) return;
  const usable = pager.usableSize;
  const d = page.data;
  for (let i = 0; i < page.nCell; i++) {
    const pc = get2(d, page.cellOff + 2 * i);
    parseCellAt(d, pc, page.leaf, page.intKey, page.maxLocal, page.minLocal, usable, walkInfo);
    if (!page.leaf) ptrmapPut(pager, get4(d, pc), PTRMAP_BTREE, page.pgno);
    if (walkInfo.ovflPgno !== 0) ptrmapPut(pager, walkInfo.ovflPgno, PTRMAP_OVERFLOW1, page.pgno);
  }
  if (!page.leaf) ptrmapPut(pager, rightChild(page), PTRMAP_BTREE, page.pgno);
}

function interiorType(t: number): number {
  return t === PTF_TABLE_LEAF ? PTF_TABLE_INTERIOR : t === PTF_INDEX_LEAF ? PTF_INDEX_INTERIOR : t;
}

/** Balances the tree along `cur`'s stack (see the header). */
export function balance(bt: Btree, cur: BtCursor): void {
  const usable = bt.pager.usableSize;
  const nMin = Math.floor((usable * 2) / 3);
  for (;;) {
    const d = cur.depth;
    const page = cur.pages[d]!;
    if (d === 0) {
      if (page.ovflIdx.length === 0) break;
      const child = balanceDeeper(bt, page);
      cur.idx[0] = 0;
      cur.pages[1] = child;
      child.refs++;
      cur.idx[1] = 0;
      cur.depth = 1;
      continue;
    }
    if (page.ovflIdx.length === 0 && page.nFree <= nMin) break;
    const parent = cur.pages[d - 1]!;
    const pIdx = cur.idx[d - 1];
    if (
      page.leaf &&
      page.intKey &&
      page.ovflIdx.length === 1 &&
      page.ovflIdx[0] === page.nCell &&
      page.nCell > 0 &&
      parent.pgno !== 1 &&
      pIdx === logicalCount(parent)
    ) {
      balanceQuick(bt, parent, page);
    } else if (
      page.leaf &&
      !page.intKey &&
      page.ovflIdx.length === 1 &&
      page.ovflIdx[0] === page.nCell &&
      page.nCell > 1 &&
      parent.pgno !== 1 &&
      pIdx === logicalCount(parent)
    ) {
      balanceQuickIndex(bt, parent, page);
    } else {
      balanceNonroot(bt, parent, pIdx, d - 1 === 0);
    }
    page.refs--;
    cur.pages[d] = null;
    cur.depth = d - 1;
  }
}

/** The root overflowed: its content moves to a new child; returns the child. */
function balanceDeeper(bt: Btree, root: Page): Page {
  const pager = bt.pager;
  const usable = pager.usableSize;
  const child = pager.allocatePage();
  pager.write(root);
  const bufs = bt.balBufs;
  const offs = bt.balOffs;
  const szs = bt.balSzs;
  const d = root.data;
  for (let i = 0; i < root.nCell; i++) {
    const pc = get2(d, root.cellOff + 2 * i);
    bufs[i] = d;
    offs[i] = pc;
    szs[i] = cellSizeAt(d, pc, root.leaf, root.intKey, root.maxLocal, root.minLocal, usable);
  }
  const ovflIdx = root.ovflIdx;
  const ovflCell = root.ovflCell;
  root.ovflIdx = [];
  root.ovflCell = [];
  assemblePage(child, root.pageType, usable, bufs, offs, szs, 0, root.nCell, root.leaf ? 0 : rightChild(root));
  child.ovflIdx = ovflIdx;
  child.ovflCell = ovflCell;
  assemblePage(root, interiorType(root.pageType), usable, bufs, offs, szs, 0, 0, child.pgno);
  ptrmapPut(pager, child.pgno, PTRMAP_BTREE, root.pgno);
  walkNodePtrmap(bt, child);
  return child;
}

/** The quick balances' first half: the leaf's one overflow cell goes alone onto a new
 *  page of `pageType` whose ptrmap parent is `parent`; returns that page. */
function overflowCellToNewPage(bt: Btree, parent: Page, page: Page, pageType: number): Page {
  const pager = bt.pager;
  const newPage = pager.allocatePage();
  const cell = page.ovflCell[0];
  page.ovflIdx.length = 0;
  page.ovflCell.length = 0;
  const bufs = bt.balBufs;
  const offs = bt.balOffs;
  const szs = bt.balSzs;
  bufs[0] = cell;
  offs[0] = 0;
  szs[0] = cell.length;
  assemblePage(newPage, pageType, pager.usableSize, bufs, offs, szs, 0, 1, 0);
  ptrmapPut(pager, newPage.pgno, PTRMAP_BTREE, parent.pgno);
  walkNodePtrmap(bt, newPage);
  return newPage;
}

/** Appending to the right-most table leaf: the new cell goes alone onto a new page. */
function balanceQuick(bt: Btree, parent: Page, page: Page): void {
  const pager = bt.pager;
  const usable = pager.usableSize;
  const newPage = overflowCellToNewPage(bt, parent, page, PTF_TABLE_LEAF);
  // Divider: (page, largest rowid on page).
  const d = page.data;
  const pc = get2(d, page.cellOff + 2 * (page.nCell - 1));
  const kOff = pc + varintLen(d, pc);
  const kLen = varintLen(d, kOff);
  const div = bt.divBuf;
  put4(div, 0, page.pgno);
  for (let i = 0; i < kLen; i++) div[4 + i] = d[kOff + i];
  pager.write(parent);
  insertCell(parent, logicalCount(parent), div, 0, 4 + kLen, usable, bt.scratch);
  setRightChild(parent, newPage.pgno);
}

/**
 * Appending to the right-most index leaf (sorted inserts: CREATE INDEX): the new cell goes
 * alone onto a new right sibling and the leaf's last entry moves up into the parent as the
 * divider between the two (index dividers are real entries, invariant 2), so the old leaf
 * stays full.
 */
function balanceQuickIndex(bt: Btree, parent: Page, page: Page): void {
  const pager = bt.pager;
  const usable = pager.usableSize;
  const newPage = overflowCellToNewPage(bt, parent, page, PTF_INDEX_LEAF);
  // Divider: (page, the leaf's last entry), the same payload bytes behind a child pointer.
  const li = page.nCell - 1;
  const d = page.data;
  const pc = cellPtr(page, li, usable);
  parseCellAt(d, pc, true, false, page.maxLocal, page.minLocal, usable, walkInfo);
  const sz = walkInfo.nSize;
  if (pc + sz > usable) throw corrupt(page.pgno, "cell extends past the page");
  const div = bt.divBuf;
  put4(div, 0, page.pgno);
  div.set(d.subarray(pc, pc + sz), 4);
  const ovfl = walkInfo.ovflPgno;
  dropCell(page, li, sz, usable);
  pager.write(parent);
  insertCell(parent, logicalCount(parent), div, 0, 4 + sz, usable, bt.scratch);
  setRightChild(parent, newPage.pgno);
  if (ovfl !== 0) ptrmapPut(pager, ovfl, PTRMAP_OVERFLOW1, parent.pgno);
}

/** Child pgno at logical index i of an interior page (right child when i == count). */
function childAt(parent: Page, i: number, usable: number): number {
  if (i === logicalCount(parent)) return rightChild(parent);
  logicalCellRef(parent, i, usable);
  return get4(cellRef.buf, cellRef.off);
}

/** Redistributes the cells of the child at parent index iParentIdx and its siblings. */
export function balanceNonroot(bt: Btree, parent: Page, iParentIdx: number, parentIsRoot: boolean): void {
  const pager = bt.pager;
  const usable = pager.usableSize;
  if (parent.leaf) throw corrupt(parent.pgno, "internal: balancing below a leaf");
  const nParent = logicalCount(parent);
  const nOld = Math.min(3, nParent + 1);
  let nxDiv = iParentIdx - 1;
  if (nxDiv < 0) nxDiv = 0;
  if (nxDiv + nOld - 1 > nParent) nxDiv = nParent - nOld + 1;

  // 1. The old siblings, copied, and the dividers between them, copied.
  const oldPgno = bt.balOldPgno;
  const oldPages = bt.balOldPages;
  oldPgno.length = oldPages.length = 0;
  for (let j = 0; j < nOld; j++) {
    const pgno = childAt(parent, nxDiv + j, usable);
    if (pgno === 1 || pgno === parent.pgno || oldPgno.indexOf(pgno) >= 0) throw corrupt(parent.pgno, "bad child pointer");
    const pg = pager.getPage(pgno);
    initNode(pg, usable);
    if (pg.intKey !== parent.intKey || (j > 0 && pg.pageType !== oldPages[0].pageType)) {
      throw corrupt(pgno, "sibling pages of different kinds");
    }
    oldPgno.push(pgno);
    oldPages.push(pg);
    bt.balOld[j].set(pg.data);
  }
  const first = oldPages[0];
  const leaf = first.leaf;
  const intKey = first.intKey;
  const leafData = leaf && intKey;
  const type = first.pageType;
  const maxLocal = first.maxLocal;
  const minLocal = first.minLocal;
  const divSz = bt.balDivSz;
  for (let j = 0; j < nOld - 1; j++) {
    logicalCellRef(parent, nxDiv + j, usable);
    const sz = cellSizeAt(cellRef.buf, cellRef.off, false, parent.intKey, parent.maxLocal, parent.minLocal, usable);
    if (cellRef.off + sz > cellRef.buf.length) throw corrupt(parent.pgno, "divider extends past the page");
    bt.balDiv[j].set(cellRef.buf.subarray(cellRef.off, cellRef.off + sz), 0);
    divSz[j] = sz;
  }

  // 2. Gather every cell, in key order.
  // (The arrays keep their length between balances: entries past n are stale, and
  // never shrinking them saves regrowing their backing stores every time.)
  const bufs = bt.balBufs;
  const offs = bt.balOffs;
  const szs = bt.balSzs;
  let n = 0;
  for (let j = 0; j < nOld; j++) {
    const pg = oldPages[j];
    const img = bt.balOld[j];
    const nl = logicalCount(pg);
    const iCellFirst = pg.cellOff + 2 * pg.nCell;
    let real = 0;
    let o = 0;
    if (n + nl + 1 > offs.length) throw corrupt(pg.pgno, "too many cells to balance");
    for (let li = 0; li < nl; li++) {
      if (o < pg.ovflIdx.length && pg.ovflIdx[o] === li) {
        const c = pg.ovflCell[o++];
        bufs[n] = c;
        offs[n] = 0;
        szs[n++] = c.length;
        continue;
      }
      const pc = get2(img, pg.cellOff + 2 * real++);
      if (pc < iCellFirst || pc > usable - 4) throw corrupt(pg.pgno, "cell pointer out of range");
      const sz = cellSizeAt(img, pc, leaf, intKey, maxLocal, minLocal, usable);
      if (pc + sz > usable) throw corrupt(pg.pgno, "cell extends past the page");
      bufs[n] = img;
      offs[n] = pc;
      szs[n++] = sz;
    }
    if (j < nOld - 1 && !leafData) {
      const div = bt.balDiv[j];
      if (leaf) {
        bufs[n] = div;
        offs[n] = 4;
        szs[n++] = cellSizeAt(div, 4, true, false, maxLocal, minLocal, usable);
      } else {
        put4(div, 0, get4(img, pg.hdrOff + 8));
        bufs[n] = div;
        offs[n] = 0;
        szs[n++] = divSz[j];
      }
    }
  }
  const rightChildLast = leaf ? 0 : get4(bt.balOld[nOld - 1], oldPages[nOld - 1].hdrOff + 8);

  // 3. Distribute: pack greedily, then even out from the right.
  const usableSpace = usable - (leaf ? 8 : 12);
  const cntNew = bt.balCnt;
  const szNew = bt.balSzNew;
  cntNew.length = szNew.length = 0;
  let i = 0;
  for (;;) {
    let s = 0;
    while (i < n && s + szs[i] + 2 <= usableSpace) {
      s += szs[i] + 2;
      i++;
    }
    cntNew.push(i);
    szNew.push(s);
    if (i >= n) break;
    if (!leafData) {
      i++;
      if (i >= n) {
        cntNew.push(n);
        szNew.push(0);
        break;
      }
    }
    if (cntNew.length > n + 2) throw corrupt(parent.pgno, "internal: distribution does not converge");
  }
  const k = cntNew.length;
  const skip = leafData ? 0 : 1;
  for (let p = k - 1; p >= 1; p--) {
    for (;;) {
      const dv = cntNew[p - 1];
      const leftStart = p - 1 === 0 ? 0 : cntNew[p - 2] + skip;
      if (dv - leftStart <= 1) break;
      const newLeft = szNew[p - 1] - (szs[dv - 1] + 2);
      const newRight = szNew[p] + (leafData ? szs[dv - 1] + 2 : szs[dv] + 2);
      if (newRight > usableSpace) break;
      const rightCount = cntNew[p] - dv - skip;
      if (rightCount > 0 && newRight > newLeft) break;
      cntNew[p - 1] = dv - 1;
      szNew[p - 1] = newLeft;
      szNew[p] = newRight;
    }
  }
  for (let p = 0; p < k; p++) {
    const start = p === 0 ? 0 : cntNew[p - 1] + skip;
    if (cntNew[p] - start < 1 && !(k === 1 && parentIsRoot)) throw corrupt(parent.pgno, "internal: empty page after balance");
  }

  // 4. The tree gets shallower: the only child's content moves into the root.
  if (parentIsRoot && k === 1 && nParent === nOld - 1 && szNew[0] <= usable - parent.hdrOff - (leaf ? 8 : 12)) {
    pager.write(parent);
    parent.ovflIdx.length = 0;
    parent.ovflCell.length = 0;
    assemblePage(parent, type, usable, bufs, offs, szs, 0, n, rightChildLast);
    for (let j = 0; j < nOld; j++) pager.freePage(oldPgno[j]);
    walkNodePtrmap(bt, parent);
    return;
  }

  // 5. Page numbers: reuse the old ones, allocate or free the difference, sort ascending.
  const newPgno = bt.balNewPgno;
  newPgno.length = 0;
  for (let p = 0; p < k; p++) newPgno.push(p < nOld ? oldPgno[p] : pager.allocatePage().pgno);
  for (let j = k; j < nOld; j++) pager.freePage(oldPgno[j]);
  for (let p = 1; p < k; p++) {
    // Insertion sort: k is at most 5.
    const v = newPgno[p];
    let q = p - 1;
    for (; q >= 0 && newPgno[q] > v; q--) newPgno[q + 1] = newPgno[q];
    newPgno[q + 1] = v;
  }

  // 6. Write the new siblings.
  for (let p = 0; p < k; p++) {
    const pg = pager.getPage(newPgno[p]);
    pager.write(pg);
    const start = p === 0 ? 0 : cntNew[p - 1] + skip;
    const end = cntNew[p];
    const rc = leaf ? 0 : p < k - 1 ? get4(bufs[end], offs[end]) : rightChildLast;
    assemblePage(pg, type, usable, bufs, offs, szs, start, end, rc);
  }

  // 7. The parent: old dividers out, pointer to the last sibling, new dividers in.
  pager.write(parent);
  for (let j = 0; j < nOld - 1; j++) removeLogicalCell(parent, nxDiv, usable);
  if (nxDiv === logicalCount(parent)) setRightChild(parent, newPgno[k - 1]);
  else {
    logicalCellRef(parent, nxDiv, usable);
    put4(cellRef.buf, cellRef.off, newPgno[k - 1]);
  }
  const div = bt.divBuf;
  for (let p = 0; p < k - 1; p++) {
    const end = cntNew[p];
    let sz: number;
    if (leafData) {
      const b = bufs[end - 1];
      const pc = offs[end - 1];
      const kOff = pc + varintLen(b, pc);
      const kLen = varintLen(b, kOff);
      for (let q = 0; q < kLen; q++) div[4 + q] = b[kOff + q];
      sz = 4 + kLen;
    } else if (leaf) {
      div.set(bufs[end].subarray(offs[end], offs[end] + szs[end]), 4);
      sz = 4 + szs[end];
    } else {
      div.set(bufs[end].subarray(offs[end], offs[end] + szs[end]), 0);
      sz = szs[end];
    }
    put4(div, 0, newPgno[p]);
    insertCell(parent, nxDiv + p, div, 0, sz, usable, bt.scratch);
  }

  // 8. Auto-vacuum bookkeeping.
  if (pager.autoVacuum) {
    for (let p = 0; p < k; p++) {
      ptrmapPut(pager, newPgno[p], PTRMAP_BTREE, parent.pgno);
      walkNodePtrmap(bt, pager.getPage(newPgno[p]));
    }
    walkNodePtrmap(bt, parent);
  }
}
