/*
 * btree/btree.ts: the B-tree layer over one Pager (SQLite's Btree/BtShared): creating,
 * clearing and dropping trees, opening cursors, and the scratch buffers every write
 * operation reuses (fileformat2 §1.5; sqlite_schema is the table tree rooted at page 1).
 *
 * Two kinds of tree: table trees (intkey: keyed by a 64-bit signed rowid, data only in
 * leaves) and index trees (keyed by record bytes compared by the caller's KeyComparator;
 * entries in interior pages too). The B-tree never interprets record bytes itself.
 *
 * Invariants:
 *  1. Before any cursor changes a tree, every other cursor on that tree saves its position
 *     (key copied, pages released) and restores it by seeking on next use
 *     (SQLite's saveAllCursors / restoreCursorPosition).
 *  2. After a rollback, or when the pager drops its cache for a new snapshot, every cursor
 *     is reset to "not positioned" and must be re-positioned by the caller.
 *  3. clearTable/dropTable free every page of the tree (overflow chains included), visiting
 *     each page at most once and at most 20 levels deep, so a corrupt (cyclic) tree ends in
 *     SQLITE_CORRUPT, not a hang.
 *  4. Auto-vacuum files: a new root is placed at largest-root + 1 (skipping ptrmap pages and
 *     the lock-byte page), moving the page that lived there (relocate.ts), and gets a
 *     ROOTPAGE ptrmap entry; the header's largest root page names it. Dropping a tree moves
 *     the last root into the freed slot and reports it (SQLite's iMoved).
 *  5. Vacuum (SQLite's incrVacuumStep / autoVacuumCommit): repeatedly, the last page of the
 *     file is taken off the freelist if free, else relocated into a free page below it, and
 *     the file shrinks by one; trailing ptrmap and lock-byte pages go too. In full
 *     auto-vacuum files this runs at every commit that changed pages, so freelist_count is 0
 *     after commit; incremental files run it on incrementalVacuum(n).
 */
import { SqliteError } from "@strata/common";
import { corrupt } from "../corrupt.js";
import { get2, get4 } from "../db-header.js";
import type { Page } from "../page-cache.js";
import type { Pager } from "../pager.js";
import { freelistRemove } from "../freelist.js";
import { isPtrmapPage, PTRMAP_FREEPAGE, PTRMAP_ROOTPAGE, ptrmapGet, ptrmapPut } from "../ptrmap.js";
import { relocatePage } from "./relocate.js";
import { walkNodePtrmap } from "./balance.js";
import { BtCursor, IndexCursor, TableCursor, type KeyComparator } from "./cursor.js";
import { CellInfo, initNode, parseCellAt, PTF_INDEX_LEAF, PTF_TABLE_LEAF, zeroNode } from "./node.js";
import { overflowPageCount, freeOverflowChain } from "./overflow.js";

export const BTREE_MAX_DEPTH = 20;

export class Btree {
  readonly pager: Pager;
  /** Bumped by every change to any tree: cursors' cached overflow chains die with it. */
  generation = 0;
  /** Open cursors (invariant 1). */
  readonly cursors: BtCursor[] = [];
  // Scratch reused by write operations (sized for the page size).
  scratchPageSize = 0;
  cellBuf = new Uint8Array(0);
  scratch = new Uint8Array(0);
  divBuf = new Uint8Array(0);
  balOld: Uint8Array[] = [];
  balDiv: Uint8Array[] = [];
  balDivSz: number[] = [0, 0];
  /** A balance's cells in key order: the buffer, offset and size of each (balance.ts).
   *  Sized by ensureScratch for every cell three sibling pages, their dividers and
   *  overflow cells can hold (a cell takes at least 6 bytes of a page with its pointer). */
  balBufs: Uint8Array[] = [];
  balOffs = new Int32Array(0);
  balSzs = new Int32Array(0);
  balCnt: number[] = [];
  balSzNew: number[] = [];
  balOldPgno: number[] = [];
  balOldPages: Page[] = [];
  balNewPgno: number[] = [];
  private readonly info = new CellInfo();

  constructor(pager: Pager) {
    this.pager = pager;
    pager.onReset(() => {
      this.generation++;
      for (const c of this.cursors) c.reset();
    });
    // Full auto-vacuum (invariant 5): the file never keeps free pages past a commit.
    pager.onBeforeCommit(() => {
      if (pager.autoVacuum && pager.getMeta("incrementalVacuum") === 0) this.vacuumPages(Infinity);
    });
  }

  /**
   * PRAGMA incremental_vacuum(n) (invariant 5): moves up to `n` pages (all when n <= 0) off
   * the end of an auto-vacuum file; returns how many pages were released. No-op otherwise.
   */
  incrementalVacuum(n = 0): number {
    if (!this.pager.inWrite) throw new SqliteError("SQLITE_MISUSE", "incrementalVacuum outside a write transaction");
    if (!this.pager.autoVacuum) return 0;
    return this.vacuumPages(n <= 0 ? Infinity : n);
  }

  /** SQLite's incrVacuumStep loop: the last page is dropped if free, else moved into a free
   *  page below it (relocate.ts fixes its parent and ptrmap entries); then the file shrinks. */
  private vacuumPages(limit: number): number {
    const pager = this.pager;
    if (pager.getMeta("freelistCount") === 0) return 0;
    this.ensureScratch();
    this.generation++;
    for (const c of this.cursors) c.savePosition();
    const usable = pager.usableSize;
    const skippable = (pgno: number) => pgno === pager.lockBytePage || isPtrmapPage(usable, pager.pageSize, pgno);
    let freed = 0;
    while (freed < limit && pager.getMeta("freelistCount") > 0) {
      const last = pager.pageCount;
      if (last <= 2) throw corrupt(1, "free pages but nothing to vacuum");
      if (!skippable(last)) {
        const e = ptrmapGet(pager, last);
        if (e.type === PTRMAP_FREEPAGE) {
          if (!freelistRemove(pager, last)) throw corrupt(last, "ptrmap says free, freelist disagrees");
        } else if (e.type === PTRMAP_ROOTPAGE) {
          throw corrupt(last, "root page after free pages in an auto-vacuum file");
        } else {
          const type = e.type;
          const parent = e.parent;
          const to = pager.allocatePage().pgno;
          if (to >= last) throw corrupt(to, "free page beyond the page being vacuumed");
          relocatePage(this, last, to, type, parent);
        }
        freed++;
      }
      pager.truncateTo(last - 1);
    }
    // A ptrmap page (or the lock-byte page) with nothing after it goes too.
    while (pager.pageCount > 2 && skippable(pager.pageCount)) pager.truncateTo(pager.pageCount - 1);
    // Saving the cursors' positions above read their keys (caching overflow chains) before
    // the pages moved: those chains die here.
    this.generation++;
    return freed;
  }

  /** Makes sure the scratch buffers match the page size (called by every write). */
  ensureScratch(): void {
    const ps = this.pager.pageSize;
    if (this.scratchPageSize === ps) return;
    this.scratchPageSize = ps;
    this.cellBuf = new Uint8Array(ps + 32);
    this.scratch = new Uint8Array(ps);
    this.divBuf = new Uint8Array(ps + 32);
    this.balOld = [new Uint8Array(ps), new Uint8Array(ps), new Uint8Array(ps)];
    this.balDiv = [new Uint8Array(ps + 32), new Uint8Array(ps + 32)];
    const maxCells = 3 * (Math.ceil(ps / 6) + 4) + 8;
    this.balOffs = new Int32Array(maxCells);
    this.balSzs = new Int32Array(maxCells);
  }

  /** Opens a cursor on the table (intkey) tree rooted at `root`. */
  tableCursor(root: number, writable = false): TableCursor {
    const c = new TableCursor(this, root, writable);
    this.cursors.push(c);
    return c;
  }

  /** Opens a cursor on the index tree rooted at `root`, ordered by `cmp`. */
  indexCursor(root: number, cmp: KeyComparator, writable = false): IndexCursor {
    const c = new IndexCursor(this, root, cmp, writable);
    this.cursors.push(c);
    return c;
  }

  /**
   * Reopens a cursor this Btree made and that was closed since: on the same root, kind and
   * mode, not positioned (saves allocating a cursor per statement run). False when `c`
   * belongs to another Btree or is open.
   */
  reopenCursor(c: BtCursor): boolean {
    if (c.bt !== this || !c.reopen()) return false;
    this.cursors.push(c);
    return true;
  }

  /** Internal: called by BtCursor.close(). */
  removeCursor(c: BtCursor): void {
    // Order does not matter (invariant 1): swap with the last, no splice (it allocates).
    const cs = this.cursors;
    const i = cs.lastIndexOf(c);
    if (i < 0) return;
    cs[i] = cs[cs.length - 1];
    cs.pop();
  }

  /** Invariant 1. */
  saveOtherCursors(self: BtCursor): void {
    for (const c of this.cursors) if (c !== self && c.root === self.root) c.savePosition();
  }

  /** Creates an empty tree; returns its root page number. */
  createTree(kind: "table" | "index"): number {
    const pager = this.pager;
    if (!pager.inWrite) throw new SqliteError("SQLITE_MISUSE", "createTree outside a write transaction");
    this.ensureScratch();
    this.generation++;
    if (!pager.autoVacuum) {
      const page = pager.allocatePage();
      zeroNode(page, kind === "table" ? PTF_TABLE_LEAF : PTF_INDEX_LEAF, pager.usableSize);
      return page.pgno;
    }
    // Auto-vacuum: roots live at the front of the file (largest root + 1), whatever lived
    // there moves out (SQLite's btreeCreateTable + relocatePage).
    for (const c of this.cursors) c.savePosition();
    let target = pager.getMeta("largestRootPage") + 1;
    while (isPtrmapPage(pager.usableSize, pager.pageSize, target) || target === pager.lockBytePage) target++;
    let page: Page;
    if (target > pager.pageCount) {
      page = pager.extendFile();
      while (page.pgno < target) {
        pager.freePage(page.pgno);
        page = pager.extendFile();
      }
      if (page.pgno !== target) throw corrupt(target, "internal: root placement");
    } else {
      const e = ptrmapGet(pager, target);
      if (e.type === PTRMAP_FREEPAGE) {
        if (!freelistRemove(pager, target)) throw corrupt(target, "ptrmap says free, freelist disagrees");
      } else if (e.type === PTRMAP_ROOTPAGE) {
        throw corrupt(target, "root page beyond the largest root page");
      } else {
        const type = e.type;
        const parent = e.parent;
        const moved = pager.allocatePage();
        relocatePage(this, target, moved.pgno, type, parent);
        this.generation++; // chains cached while saving positions above point at moved pages
      }
      page = pager.getZeroedPage(target);
    }
    zeroNode(page, kind === "table" ? PTF_TABLE_LEAF : PTF_INDEX_LEAF, pager.usableSize);
    ptrmapPut(pager, target, PTRMAP_ROOTPAGE, 0);
    pager.setLargestRootPage(target);
    return target;
  }

  /** Deletes every entry of the tree, freeing all pages but the root (invariant 3). */
  clearTree(root: number): number {
    const pager = this.pager;
    let entries = 0;
    if (!pager.inWrite) throw new SqliteError("SQLITE_MISUSE", "clearTree outside a write transaction");
    this.ensureScratch();
    this.generation++;
    for (const c of this.cursors) if (c.root === root) c.reset();
    const usable = pager.usableSize;
    const rootPage = pager.getPage(root);
    initNode(rootPage, usable);
    const intKey = rootPage.intKey;
    const seen = new Set<number>();
    const stack: number[] = [root];
    const depth: number[] = [0];
    const info = this.info;
    while (stack.length > 0) {
      const pgno = stack.pop()!;
      const dpt = depth.pop()!;
      if (dpt >= BTREE_MAX_DEPTH) throw corrupt(pgno, "tree too deep");
      if (seen.has(pgno)) throw corrupt(pgno, "page used twice in a tree");
      seen.add(pgno);
      const page = pager.getPage(pgno);
      initNode(page, usable);
      if (page.intKey !== intKey) throw corrupt(pgno, "page of the wrong kind in a tree");
      if (page.leaf || !intKey) entries += page.nCell;
      const d = page.data;
      for (let i = 0; i < page.nCell; i++) {
        const pc = get2(d, page.cellOff + 2 * i);
        if (pc < page.cellOff + 2 * page.nCell || pc > usable - 4) throw corrupt(pgno, "cell pointer out of range");
        parseCellAt(d, pc, page.leaf, page.intKey, page.maxLocal, page.minLocal, usable, info);
        if (pc + info.nSize > usable) throw corrupt(pgno, "cell extends past the page");
        if (!page.leaf) {
          stack.push(get4(d, pc));
          depth.push(dpt + 1);
        }
        if (info.ovflPgno !== 0) freeOverflowChain(pager, info.ovflPgno, overflowPageCount(info.nPayload, info.nLocal, usable));
      }
      if (!page.leaf) {
        stack.push(get4(d, page.hdrOff + 8));
        depth.push(dpt + 1);
      }
      if (pgno === root) {
        pager.write(page);
        zeroNode(page, intKey ? PTF_TABLE_LEAF : PTF_INDEX_LEAF, usable);
      } else {
        pager.freePage(pgno);
      }
    }
    return entries;
  }

  /**
   * Frees every page of the tree, root included (page 1 is only cleared). Returns 0, or in
   * auto-vacuum files the page number of the root that moved into the freed root's slot
   * (the last root, as SQLite's btreeDropTable does): the caller must update sqlite_schema.
   */
  dropTree(root: number): number {
    const pager = this.pager;
    this.clearTree(root);
    if (root === 1) return 0;
    if (!pager.autoVacuum) {
      pager.freePage(root);
      return 0;
    }
    const maxRoot = pager.getMeta("largestRootPage");
    if (root > maxRoot) throw corrupt(root, "root beyond the largest root page");
    let moved = 0;
    if (root === maxRoot) {
      pager.freePage(root);
    } else {
      // The last root moves into the freed slot; its children now point at `root`.
      for (const c of this.cursors) if (c.root === maxRoot || c.root === root) c.reset();
      const src = pager.getPage(maxRoot);
      initNode(src, pager.usableSize);
      const dst = pager.getPage(root);
      pager.write(dst);
      dst.data.set(src.data);
      dst.nodeInit = false;
      initNode(dst, pager.usableSize);
      walkNodePtrmap(this, dst);
      ptrmapPut(pager, root, PTRMAP_ROOTPAGE, 0);
      pager.freePage(maxRoot);
      moved = maxRoot;
    }
    let newMax = maxRoot - 1;
    while (newMax > 1 && (newMax === pager.lockBytePage || isPtrmapPage(pager.usableSize, pager.pageSize, newMax))) newMax--;
    pager.setLargestRootPage(newMax);
    return moved;
  }
}
