/*
 * engine/mem-store.ts: a private in-memory PageStore (pager's page-store.ts protocol) for
 * the databases a connection keeps in memory by itself: the TEMP database
 * (https://sqlite.org/lang_createtable.html "temp" schema; SQLite keeps it in a memory
 * file when temp_store=MEMORY, and in a private temporary file otherwise) and
 * `ATTACH ':memory:' AS name`. This package may not import @strata/vfs, so it keeps page
 * images itself instead of using a memory VfsFile.
 *
 * Invariants:
 *  1. Only the one pager that owns the store uses it: beginRead never reports a change
 *     after the first snapshot (nobody else can commit).
 *  2. commit copies every image (page-store.ts invariant 2) and drops pages past nPage.
 *  3. Nothing survives close().
 */
import type { PageStore } from "@strata/pager";

export class MemPageStore implements PageStore {
  readonly readonly = false;
  readonly walMode = false;
  private pageSize = 0;
  private pages: (Uint8Array | null)[] = [];
  private first = true;

  setPageSize(pageSize: number): void {
    this.pageSize = pageSize;
  }

  beginRead(): boolean {
    const changed = this.first;
    this.first = false;
    return changed;
  }

  endRead(): void {}

  readHeader(out: Uint8Array): number {
    const p1 = this.pages[0] ?? null;
    if (p1 === null) {
      out.fill(0);
      return 0;
    }
    const n = Math.min(out.length, p1.length);
    out.set(p1.subarray(0, n));
    if (n < out.length) out.fill(0, n);
    return n;
  }

  pageCount(): number {
    return this.pages.length;
  }

  readPage(pgno: number, out: Uint8Array): void {
    const p = this.pages[pgno - 1] ?? null;
    if (p === null) out.fill(0);
    else out.set(p.subarray(0, out.length));
  }

  beginWrite(): void {}

  commit(pgnos: readonly number[], images: readonly Uint8Array[], nPage: number): void {
    void this.pageSize;
    for (let i = 0; i < pgnos.length; i++) {
      const pg = pgnos[i];
      if (pg > nPage) continue;
      while (this.pages.length < pg) this.pages.push(null);
      this.pages[pg - 1] = images[i].slice();
    }
    if (this.pages.length > nPage) this.pages.length = nPage;
    while (this.pages.length < nPage) this.pages.push(null);
  }

  endWrite(): void {}

  close(): void {
    this.pages = [];
  }
}
