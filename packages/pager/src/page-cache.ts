/*
 * page-cache.ts: the bounded cache of page images (SQLite's pcache.c + pcache1.c, much
 * simplified). A Page is one Uint8Array plus one DataView, made when the page enters the
 * cache, plus the decoded B-tree node state (SQLite's MemPage fields) that btree/node.ts
 * fills in and keeps current.
 *
 * Replacement is LRU over a doubly linked list threaded through the clean pages (no
 * allocation on a hit); dirty pages leave the list while dirty, so eviction never scans them.
 *
 * Invariants:
 *  1. At most one Page object per pgno is in the cache.
 *  2. A dirty page is never evicted (it is pinned until commit or rollback); a page with
 *     refs > 0 (held in an open cursor's stack) is never evicted. When every page is pinned
 *     the cache grows past its capacity rather than fail; it shrinks back as pages unpin.
 *  3. An evicted Page object is never reused for another pgno: code that still holds it
 *     keeps a consistent (clean) image. Writing to such a page is an internal error that
 *     the pager detects (see Pager.write).
 *  4. `nodeInit` is false whenever `data` was changed by anything but btree/node.ts.
 *  5. Page buffers are carved SLAB_PAGES at a time out of one ArrayBuffer (a fresh
 *     Uint8Array per page costs a separate backing store, and V8 answers many of them with
 *     full collections: ~10x slower per page than carving). A slab lives while any of its
 *     pages does; pages are never handed from one Page object to another (invariant 3).
 */

const SLAB_PAGES = 16;

export class Page {
  pgno: number;
  readonly data: Uint8Array;
  readonly view: DataView;
  dirty: boolean;
  /** Number of cursor stacks holding this page (invariant 2). */
  refs: number;
  lruPrev: Page | null;
  lruNext: Page | null;
  /** Next page in the pager's dirty list (singly linked, newest first). */
  dirtyNext: Page | null;
  inCache: boolean;
  /** Index in the pager's savepoint journal of this page's newest pre-image, -1 for none
   *  (pager.ts invariant 6): journaled in the newest savepoint iff spRec >= its start. */
  spRec: number;

  // --- B-tree node state (btree/node.ts) ---
  nodeInit: boolean;
  /** 100 on page 1, else 0. */
  hdrOff: number;
  /** Page type byte: 2 index interior, 5 table interior, 10 index leaf, 13 table leaf. */
  pageType: number;
  leaf: boolean;
  intKey: boolean;
  /** Offset of the cell pointer array. */
  cellOff: number;
  nCell: number;
  /** Free bytes (gap + freeblocks + fragments); -1 until computed. */
  nFree: number;
  maxLocal: number;
  minLocal: number;
  /** Cells that did not fit (during insert/balance only): logical indices ascending. */
  ovflIdx: number[];
  ovflCell: Uint8Array[];

  constructor(pgno: number, data: Uint8Array) {
    this.pgno = pgno;
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.dirty = false;
    this.refs = 0;
    this.lruPrev = null;
    this.lruNext = null;
    this.dirtyNext = null;
    this.inCache = false;
    this.spRec = -1;
    this.nodeInit = false;
    this.hdrOff = pgno === 1 ? 100 : 0;
    this.pageType = 0;
    this.leaf = false;
    this.intKey = false;
    this.cellOff = 0;
    this.nCell = 0;
    this.nFree = -1;
    this.maxLocal = 0;
    this.minLocal = 0;
    this.ovflIdx = [];
    this.ovflCell = [];
  }
}

export class PageCache {
  private readonly map = new Map<number, Page>();
  /** LRU list: head = least recently used. */
  private head: Page | null = null;
  private tail: Page | null = null;
  capacity: number;
  /** Invariant 5: the current slab and how many of its pages are handed out. */
  private slab: ArrayBuffer | null = null;
  private slabUsed = SLAB_PAGES;
  /** No cached page has a pgno above this (truncate's quick exit; may be stale-high). */
  private hiPgno = 0;

  constructor(readonly pageSize: number, capacity: number) {
    this.capacity = Math.max(capacity, 16);
  }

  /** A zeroed page buffer carved from the current slab (invariant 5). */
  private newBuffer(): Uint8Array {
    if (this.slabUsed === SLAB_PAGES) {
      this.slab = new ArrayBuffer(this.pageSize * SLAB_PAGES);
      this.slabUsed = 0;
    }
    return new Uint8Array(this.slab!, this.pageSize * this.slabUsed++, this.pageSize);
  }

  get size(): number {
    return this.map.size;
  }

  /** The cached page, moved to most-recently-used; null on a miss. */
  get(pgno: number): Page | null {
    const p = this.map.get(pgno);
    if (p === undefined) return null;
    if (!p.dirty && p !== this.tail) {
      this.unlink(p);
      this.append(p);
    }
    return p;
  }

  /** Adds a fresh page (the caller fills its data); evicts as needed first. */
  add(pgno: number): Page {
    if (this.map.size >= this.capacity) this.evict(this.map.size - this.capacity + 1);
    const p = new Page(pgno, this.newBuffer());
    p.inCache = true;
    if (pgno > this.hiPgno) this.hiPgno = pgno;
    this.map.set(pgno, p);
    this.append(p);
    return p;
  }

  /** Re-inserts a page object that was evicted while clean (see Pager.write). */
  readd(p: Page): void {
    p.inCache = true;
    if (p.pgno > this.hiPgno) this.hiPgno = p.pgno;
    this.map.set(p.pgno, p);
    this.append(p);
  }

  /** Takes a page out of the LRU list when it becomes dirty. */
  markDirty(p: Page): void {
    if (p.dirty) return;
    this.unlink(p);
    p.dirty = true;
  }

  /** Puts a page back into the LRU list when it becomes clean (after commit). */
  markClean(p: Page): void {
    if (!p.dirty) return;
    p.dirty = false;
    if (p.inCache) this.append(p);
  }

  peek(pgno: number): Page | null {
    return this.map.get(pgno) ?? null;
  }

  remove(p: Page): void {
    if (!p.inCache) return;
    this.map.delete(p.pgno);
    if (!p.dirty) this.unlink(p);
    p.inCache = false;
  }

  /** Drops every page (used when a new snapshot may differ). Dirty pages must not exist. */
  clear(): void {
    for (const p of this.map.values()) {
      p.inCache = false;
      p.lruPrev = p.lruNext = null;
    }
    this.map.clear();
    this.head = this.tail = null;
    this.hiPgno = 0;
  }

  /** Drops pages with pgno > n (database truncated). */
  truncate(n: number): void {
    if (this.hiPgno <= n) return; // nothing beyond n: every commit asks, few shrink
    let hi = 0;
    for (const p of this.map.values()) {
      if (p.pgno > n && !p.dirty) this.remove(p);
      else if (p.pgno > hi) hi = p.pgno;
    }
    this.hiPgno = hi;
  }

  /** Every cached page (for rollback and cursor invalidation); allocates, cold path only. */
  pages(): Page[] {
    return [...this.map.values()];
  }

  private evict(n: number): void {
    let p = this.head;
    while (p !== null && n > 0) {
      const next = p.lruNext;
      if (!p.dirty && p.refs === 0) {
        this.remove(p);
        n--;
      }
      p = next;
    }
  }

  private unlink(p: Page): void {
    if (p.lruPrev) p.lruPrev.lruNext = p.lruNext;
    else this.head = p.lruNext;
    if (p.lruNext) p.lruNext.lruPrev = p.lruPrev;
    else this.tail = p.lruPrev;
    p.lruPrev = p.lruNext = null;
  }

  private append(p: Page): void {
    p.lruPrev = this.tail;
    p.lruNext = null;
    if (this.tail) this.tail.lruNext = p;
    else this.head = p;
    this.tail = p;
  }
}
