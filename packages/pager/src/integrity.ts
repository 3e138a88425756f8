/*
 * integrity.ts: our own integrity checker (SQLite's integrity_check over btree.c's
 * checkTreePage, checkList and checkPtrmap), for tests and later `PRAGMA integrity_check`.
 * The caller says which trees exist (roots from sqlite_schema, which the pager cannot
 * parse) and, for index trees, how keys are ordered.
 *
 * What it checks (fileformat2 §1.5, §1.6):
 *  1. Every page 2..nPage is used exactly once: by a tree (tree pages and overflow chains),
 *     the freelist (trunks and leaves), a ptrmap page, or it is the lock-byte page.
 *  2. Each tree page: the right kind for its tree, non-root pages have >= 1 cell, every
 *     leaf at the same depth, cell extents inside the content area and not overlapping the
 *     pointer array, each other or freeblocks; the freeblock chain ascending, blocks >= 4
 *     bytes, inside the page; the fragment count equal to the unaccounted bytes (<= 60).
 *  3. Keys strictly ascending within a page and bounded by the parent's dividers (table:
 *     lower < rowid <= divider; index: lower < key < divider).
 *  4. Overflow chains exactly as long as the spill rule says, ending in 0.
 *  5. Header: freelist count, database size, largest root page (auto-vacuum).
 *  6. Auto-vacuum: every ptrmap entry (ROOTPAGE, BTREE parent, OVERFLOW1 owner, OVERFLOW2
 *     predecessor, FREEPAGE).
 * It runs inside the caller's read transaction, returns problems as strings (empty = ok),
 * never throws for corruption, and is bounded on any input (depth, chain lengths).
 */
import { corrupt } from "./corrupt.js";
import { get2, get4, HDR } from "./db-header.js";
import type { Pager } from "./pager.js";
import {
  isPtrmapPage,
  ptrmapGet,
  PTRMAP_BTREE,
  PTRMAP_FREEPAGE,
  PTRMAP_OVERFLOW1,
  PTRMAP_OVERFLOW2,
  PTRMAP_ROOTPAGE,
} from "./ptrmap.js";
import type { KeyComparator } from "./btree/cursor.js";
import { CellInfo, contentStart, initNode, parseCellAt } from "./btree/node.js";
import { overflowPageCount } from "./btree/overflow.js";
import { Page } from "./page-cache.js";

export interface TreeSpec {
  root: number;
  intKey: boolean;
  /** Index trees: key order; without it index key order is not checked. */
  cmp?: KeyComparator;
}

export interface IntegrityReport {
  problems: string[];
  /** Pages in the checked trees (interior + leaf, overflow excluded). */
  treePages: number;
  overflowPages: number;
  freelistPages: number;
  /** Mean fraction of the usable area of non-root tree pages that holds cells and pointers. */
  fill: number;
  /** Entries per tree, in the order of `trees` (table: leaf cells; index: every cell),
   *  counted on the pages read (a tree that cannot be read whole counts what was read). */
  entries: number[];
}

// Rowid bounds: a rowid is a number when it is a safe integer, else a bigint; JS compares
// the two kinds exactly, and every rowid lies strictly between these.
const ROWID_BELOW = -Infinity;
const ROWID_ABOVE = Infinity;
type Rowid = number | bigint;

export function checkIntegrity(pager: Pager, trees: readonly TreeSpec[], maxProblems = 100): IntegrityReport {
  const problems: string[] = [];
  const nPage = pager.pageCount;
  const usable = pager.usableSize;
  const used = new Uint8Array(nPage + 1);
  const info = new CellInfo();
  const report: IntegrityReport = { problems, treePages: 0, overflowPages: 0, freelistPages: 0, fill: 0, entries: [] };
  let fillSum = 0;
  let fillN = 0;
  const problem = (msg: string): void => {
    if (problems.length < maxProblems) problems.push(msg);
  };
  const mark = (pgno: number, what: string): boolean => {
    if (pgno < 1 || pgno > nPage) {
      problem(`${what}: page ${pgno} out of range 1..${nPage}`);
      return false;
    }
    if (used[pgno]) {
      problem(`${what}: page ${pgno} used twice`);
      return false;
    }
    used[pgno] = 1;
    return true;
  };
  const ptrmapCheck = (pgno: number, type: number, parent: number): void => {
    if (!pager.autoVacuum) return;
    try {
      const e = ptrmapGet(pager, pgno);
      if (e.type !== type || e.parent !== parent) {
        problem(`ptrmap entry of page ${pgno} is (${e.type},${e.parent}), expected (${type},${parent})`);
      }
    } catch (e) {
      problem(`ptrmap of page ${pgno}: ${(e as Error).message}`);
    }
  };
  const guard = (fn: () => void, what: string): void => {
    try {
      fn();
    } catch (e) {
      const d = (e as { detail?: string }).detail;
      problem(`${what}: ${(e as Error).message}${d ? ` (${d})` : ""}`);
    }
  };

  // Special pages.
  if (nPage >= 1) used[1] = 0;
  if (pager.lockBytePage <= nPage) used[pager.lockBytePage] = 1;
  if (pager.autoVacuum) {
    for (let p = 2; p <= nPage; p++) if (isPtrmapPage(usable, pager.pageSize, p)) used[p] = 1;
  }

  // Freelist.
  guard(() => {
    const h = pager.getPage(1).data;
    const expected = get4(h, HDR.freelistCount);
    let trunk = get4(h, HDR.firstFreelistTrunk);
    let count = 0;
    let guardN = 0;
    while (trunk !== 0 && guardN++ <= nPage) {
      if (!mark(trunk, "freelist trunk")) break;
      count++;
      ptrmapCheck(trunk, PTRMAP_FREEPAGE, 0);
      const t = pager.getPage(trunk).data;
      const k = get4(t, 4);
      if (k > usable / 4 - 2) {
        problem(`freelist trunk ${trunk} claims ${k} leaves`);
        break;
      }
      for (let i = 0; i < k; i++) {
        const leaf = get4(t, 8 + 4 * i);
        if (mark(leaf, "freelist leaf")) {
          count++;
          ptrmapCheck(leaf, PTRMAP_FREEPAGE, 0);
        }
      }
      trunk = get4(t, 0);
    }
    if (count !== expected) problem(`freelist has ${count} pages, header says ${expected}`);
    report.freelistPages = count;
    if (pager.autoVacuum) {
      const largest = get4(h, HDR.largestRootPage);
      for (const t of trees) if (t.root > largest) problem(`root ${t.root} beyond largest root page ${largest}`);
    }
  }, "freelist");

  // Trees.
  const cov = new Uint8Array(usable);
  const checkOverflow = (first: number, nPayload: number, nLocal: number, owner: number): void => {
    const n = overflowPageCount(nPayload, nLocal, usable);
    let pgno = first;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      if (!mark(pgno, `overflow chain of a cell on page ${owner}`)) return;
      report.overflowPages++;
      ptrmapCheck(pgno, i === 0 ? PTRMAP_OVERFLOW1 : PTRMAP_OVERFLOW2, i === 0 ? owner : prev);
      const next = get4(pager.getPage(pgno).data, 0);
      if (i === n - 1 && next !== 0) problem(`overflow chain from page ${first} is too long`);
      if (i < n - 1 && next === 0) {
        problem(`overflow chain from page ${first} is too short`);
        return;
      }
      prev = pgno;
      pgno = next;
    }
  };

  const copyKey = (pg: Page, inf: CellInfo): Uint8Array => {
    const out = new Uint8Array(inf.nPayload);
    out.set(pg.data.subarray(inf.payloadOff, inf.payloadOff + inf.nLocal), 0);
    let got = inf.nLocal;
    let pgno = inf.ovflPgno;
    let guardN = 0;
    while (got < inf.nPayload && guardN++ <= nPage) {
      if (pgno < 2 || pgno > nPage) throw corrupt(pgno, "overflow page out of range");
      const d = pager.getPage(pgno).data;
      const take = Math.min(inf.nPayload - got, usable - 4);
      out.set(d.subarray(4, 4 + take), got);
      got += take;
      pgno = get4(d, 0);
    }
    return out;
  };

  for (const spec of trees) {
    let leafDepth = -1;
    let entries = 0;
    const cmp = spec.cmp;
    const cmpKeys = (a: Uint8Array, b: Uint8Array): number => cmp!.compare(a, 0, a.length, b, 0, b.length);
    // Returns nothing; bounds are bigint (table) or Uint8Array|null (index).
    const visit = (
      pgno: number,
      parent: number,
      depth: number,
      loBig: Rowid,
      hiBig: Rowid,
      loKey: Uint8Array | null,
      hiKey: Uint8Array | null,
    ): void => {
      const what = `tree ${spec.root} page ${pgno}`;
      if (depth > 20) {
        problem(`${what}: tree too deep`);
        return;
      }
      if (!mark(pgno, `tree ${spec.root}`)) return;
      report.treePages++;
      if (pgno !== 1) ptrmapCheck(pgno, pgno === spec.root ? PTRMAP_ROOTPAGE : PTRMAP_BTREE, pgno === spec.root ? 0 : parent);
      const page = pager.getPage(pgno);
      page.nodeInit = page.dirty ? page.nodeInit : false;
      initNode(page, usable);
      if (page.intKey !== spec.intKey) {
        problem(`${what}: wrong page kind ${page.pageType}`);
        return;
      }
      const nCell = page.nCell;
      if (pgno !== spec.root && nCell < 1) problem(`${what}: non-root page with no cells`);
      const d = page.data;
      // Coverage map: header + pointers, cells, freeblocks.
      cov.fill(0);
      const iCellFirst = page.cellOff + 2 * nCell;
      cov.fill(1, 0, iCellFirst);
      const top = contentStart(page);
      let covered = 0;
      let content = 0; // bytes of [top, usable) covered by cells and freeblocks
      const children: number[] = [];
      const keysBig: Rowid[] = [];
      const keysIdx: Uint8Array[] = [];
      for (let i = 0; i < nCell; i++) {
        const pc = get2(d, page.cellOff + 2 * i);
        if (pc < top || pc < iCellFirst || pc > usable - 4) {
          problem(`${what}: cell ${i} pointer ${pc} out of range`);
          continue;
        }
        parseCellAt(d, pc, page.leaf, page.intKey, page.maxLocal, page.minLocal, usable, info);
        if (pc + info.nSize > usable) {
          problem(`${what}: cell ${i} extends past the page`);
          continue;
        }
        // Coverage: the first byte already covered inside the cell's extent is an overlap.
        const hit = cov.indexOf(1, pc);
        if (hit >= 0 && hit < pc + info.nSize) problem(`${what}: cell ${i} overlaps something at offset ${hit}`);
        else {
          cov.fill(1, pc, pc + info.nSize);
          content += info.nSize;
        }
        covered += info.nSize + 2;
        if (page.leaf || !page.intKey) entries++;
        if (!page.leaf) children.push(get4(d, pc));
        if (page.intKey) {
          keysBig.push(info.rowidSafe ? info.rowid : (BigInt(info.rowidHi) << 32n) | BigInt(info.rowidLo));
        } else if (cmp) {
          keysIdx.push(copyKey(page, info));
        }
        if (info.ovflPgno !== 0) checkOverflow(info.ovflPgno, info.nPayload, info.nLocal, pgno);
      }
      // Freeblocks.
      let fb = get2(d, page.hdrOff + 1);
      let prevEnd = 0;
      let guardN = 0;
      let freeBytes = 0;
      while (fb !== 0 && guardN++ < usable) {
        if (fb < top || fb > usable - 4 || fb < prevEnd) {
          problem(`${what}: freeblock at ${fb} out of order or range`);
          break;
        }
        const size = get2(d, fb + 2);
        if (size < 4 || fb + size > usable) {
          problem(`${what}: freeblock at ${fb} has bad size ${size}`);
          break;
        }
        const hit = cov.indexOf(1, fb);
        if (hit >= 0 && hit < fb + size) problem(`${what}: freeblock at ${fb} overlaps a cell`);
        else {
          cov.fill(1, fb, fb + size);
          content += size;
        }
        freeBytes += size;
        prevEnd = fb + size;
        fb = get2(d, fb);
      }
      const frag = usable - top - content;
      if (frag !== d[page.hdrOff + 7]) problem(`${what}: ${frag} fragmented bytes, header says ${d[page.hdrOff + 7]}`);
      if (d[page.hdrOff + 7] > 60) problem(`${what}: fragment count above 60`);
      if (pgno !== spec.root) {
        fillSum += covered / (usable - page.cellOff);
        fillN++;
      }
      // Key order and bounds.
      if (page.intKey) {
        let prev = loBig;
        for (let i = 0; i < keysBig.length; i++) {
          const k = keysBig[i];
          if (k <= prev) problem(`${what}: rowid ${k} out of order`);
          if (k > hiBig) problem(`${what}: rowid ${k} above its parent's divider ${hiBig}`);
          prev = k;
        }
      } else if (cmp) {
        let prev = loKey;
        for (const k of keysIdx) {
          if (prev !== null && cmpKeys(prev, k) >= 0) problem(`${what}: index key out of order`);
          if (hiKey !== null && cmpKeys(k, hiKey) >= 0) problem(`${what}: index key not below its parent's divider`);
          prev = k;
        }
      }
      if (page.leaf) {
        if (leafDepth < 0) leafDepth = depth;
        else if (leafDepth !== depth) problem(`${what}: leaves at different depths`);
        return;
      }
      const right = get4(d, page.hdrOff + 8);
      const pageSnapshot = { keysBig, keysIdx };
      for (let i = 0; i <= children.length; i++) {
        const child = i < children.length ? children[i] : right;
        if (page.intKey) {
          const lo = i === 0 ? loBig : pageSnapshot.keysBig[i - 1];
          const hi = i < children.length ? pageSnapshot.keysBig[i] : hiBig;
          guard(() => visit(child, pgno, depth + 1, lo, hi, null, null), `tree ${spec.root} child ${child}`);
        } else {
          const lo = i === 0 ? loKey : (pageSnapshot.keysIdx[i - 1] ?? null);
          const hi = i < children.length ? (pageSnapshot.keysIdx[i] ?? null) : hiKey;
          guard(() => visit(child, pgno, depth + 1, ROWID_BELOW, ROWID_ABOVE, lo, hi), `tree ${spec.root} child ${child}`);
        }
      }
    };
    guard(() => visit(spec.root, 0, 0, ROWID_BELOW, ROWID_ABOVE, null, null), `tree ${spec.root}`);
    report.entries.push(entries);
  }

  // Every page used.
  for (let p = 2; p <= nPage; p++) if (!used[p]) problem(`page ${p} is never used`);
  report.fill = fillN === 0 ? 1 : fillSum / fillN;
  return report;
}
