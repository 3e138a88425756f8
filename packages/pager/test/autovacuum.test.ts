// Auto-vacuum root placement: a tree created after data exists gets root page
// largest-root + 1, the page living there moves (ptrmap fixed); SQLite's own auto-vacuum
// then works on the file (it relocates pages at commit and would fail on a misplaced root).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { addSchemaRow, cmp2, openMem, problems, rec } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "strata-av-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("auto-vacuum roots", () => {
  for (const pageSize of [512, 4096]) {
    it(`page ${pageSize}: later roots are relocated to the front; sqlite3 vacuums the file`, () => {
      const { vfs, path, pager, bt } = openMem({ pageSize, autoVacuum: "full" });
      pager.beginWrite();
      const t1 = bt.createTree("table");
      const c1 = bt.tableCursor(t1, true);
      for (let i = 1; i <= 300; i++) c1.insert(i, rec([i, new Uint8Array(i % 7 === 0 ? pageSize + 10 : 100)]));
      const ix = bt.createTree("index");
      const t2 = bt.createTree("table");
      const ci = bt.indexCursor(ix, cmp2, true);
      const c2 = bt.tableCursor(t2, true);
      for (let i = 1; i <= 300; i++) ci.insert(rec([i, i]));
      for (let i = 1; i <= 200; i++) c2.insert(i, rec([i, "x".repeat(i % 50)]));
      // The first cursor still works after the relocations.
      expect(c1.seek(150)).toBe(0);
      expect(c1.count()).toBe(300);
      addSchemaRow(bt, 1, "table", "t1", "t1", t1, "CREATE TABLE t1(a,b)");
      addSchemaRow(bt, 2, "index", "i1", "t1", ix, "CREATE INDEX i1 ON t1(a)");
      addSchemaRow(bt, 3, "table", "t2", "t2", t2, "CREATE TABLE t2(a,b)");
      pager.bumpSchemaCookie();
      pager.commit();
      expect([t1, ix, t2]).toEqual([3, 4, 5]);
      expect(pager.getMeta("largestRootPage")).toBe(5);
      expect(problems(pager, [
        { root: 1, intKey: true }, { root: t1, intKey: true }, { root: ix, intKey: false, cmp: cmp2 }, { root: t2, intKey: true },
      ])).toEqual([]);
      const file = join(dir, `av-${pageSize}.db`);
      writeFileSync(file, vfs.readFile(path));
      const sh = (sql: string) => execFileSync("/usr/bin/sqlite3", [file, sql], { encoding: "utf8" }).trim();
      expect(sh("PRAGMA integrity_check")).toBe("ok");
      // SQLite's auto-vacuum moves pages at this commit.
      sh("DELETE FROM t1 WHERE a % 2 = 0; DELETE FROM t2 WHERE a < 150;");
      expect(sh("PRAGMA integrity_check")).toBe("ok");
      expect(sh("SELECT count(*) FROM t1")).toBe("150");
      expect(sh("SELECT count(*) FROM t2")).toBe("51");
      expect(sh("PRAGMA freelist_count")).toBe("0");
    });
  }

  it("dropping a tree moves the last root into its slot (iMoved); sqlite3 agrees", () => {
    const { vfs, path, pager, bt } = openMem({ pageSize: 1024, autoVacuum: "full" });
    pager.beginWrite();
    const roots = [bt.createTree("table"), bt.createTree("table"), bt.createTree("table")];
    roots.forEach((r, j) => {
      const c = bt.tableCursor(r, true);
      for (let i = 1; i <= 100; i++) c.insert(i, rec([i, "v".repeat((i * (j + 1)) % 300)]));
      c.close();
      addSchemaRow(bt, j + 1, "table", `t${j}`, `t${j}`, r, `CREATE TABLE t${j}(a,b)`);
    });
    pager.commit();
    pager.beginWrite();
    const moved = bt.dropTree(roots[0]);
    expect(moved).toBe(roots[2]);
    expect(pager.getMeta("largestRootPage")).toBe(roots[1]);
    // The schema follows: t0 gone, t2 now rooted where t0 was.
    const s = bt.tableCursor(1, true);
    expect(s.seek(1)).toBe(0);
    s.delete();
    s.insert(3, rec(["table", "t2", "t2", roots[0], "CREATE TABLE t2(a,b)"]));
    s.close();
    pager.bumpSchemaCookie();
    pager.commit();
    expect(problems(pager, [{ root: 1, intKey: true }, { root: roots[0], intKey: true }, { root: roots[1], intKey: true }])).toEqual([]);
    const file = join(dir, "drop.db");
    writeFileSync(file, vfs.readFile(path));
    const sh = (sql: string) => execFileSync("/usr/bin/sqlite3", [file, sql], { encoding: "utf8" }).trim();
    expect(sh("PRAGMA integrity_check")).toBe("ok");
    expect(sh("SELECT count(*), sum(length(b)) FROM t2")).toBe(sh("SELECT 100, sum((a*3)%300) FROM t1 WHERE 0 = 1 OR 1"));
    sh("DELETE FROM t1 WHERE a > 10");
    expect(sh("PRAGMA integrity_check")).toBe("ok");
    expect(sh("PRAGMA freelist_count")).toBe("0");
  });
});

describe("vacuum: full auto-vacuum at commit, incremental_vacuum(n)", () => {
  /** Two tables and an index with overflow rows; returns what is needed to delete from them. */
  function fill(autoVacuum: "full" | "incremental", pageSize: number) {
    const db = openMem({ pageSize, autoVacuum });
    const { pager, bt } = db;
    pager.beginWrite();
    const t1 = bt.createTree("table");
    const ix = bt.createTree("index");
    const t2 = bt.createTree("table");
    const c1 = bt.tableCursor(t1, true);
    const ci = bt.indexCursor(ix, cmp2, true);
    const c2 = bt.tableCursor(t2, true);
    for (let i = 1; i <= 400; i++) {
      c1.insert(i, rec([i, new Uint8Array(i % 9 === 0 ? 3 * pageSize : 60 + (i % 40))]));
      ci.insert(rec([i, i]));
      c2.insert(i, rec([i, "y".repeat(i % 90)]));
    }
    addSchemaRow(bt, 1, "table", "t1", "t1", t1, "CREATE TABLE t1(a,b)");
    addSchemaRow(bt, 2, "index", "i1", "t1", ix, "CREATE INDEX i1 ON t1(a)");
    addSchemaRow(bt, 3, "table", "t2", "t2", t2, "CREATE TABLE t2(a,b)");
    pager.commit();
    const trees = [{ root: 1, intKey: true }, { root: t1, intKey: true }, { root: ix, intKey: false, cmp: cmp2 }, { root: t2, intKey: true }];
    /** Deletes rows a % keep != 0 from t1 (and i1) and all but the first few of t2. */
    const purge = (keep: number) => {
      for (let i = 1; i <= 400; i++) {
        if (i % keep === 0) continue;
        if (c1.seek(i) === 0) c1.delete();
        if (ci.seek(rec([i, i])) === 0) ci.delete();
        if (i > 20 && c2.seek(i) === 0) c2.delete();
      }
    };
    const sqlite = (name: string) => {
      const file = join(dir, name);
      writeFileSync(file, db.vfs.readFile(db.path));
      return (sql: string) => execFileSync("/usr/bin/sqlite3", [file, sql], { encoding: "utf8" }).trim();
    };
    return { ...db, c1, c2, trees, purge, sqlite };
  }

  for (const pageSize of [512, 4096]) {
    it(`page ${pageSize}, auto_vacuum=FULL: freelist_count is 0 after the commit, the file shrinks`, () => {
      const { pager, c1, c2, trees, purge, sqlite } = fill("full", pageSize);
      const before = pager.pageCount;
      pager.beginWrite();
      purge(5);
      pager.commit();
      expect(pager.getMeta("freelistCount")).toBe(0);
      expect(pager.pageCount).toBeLessThan(before / 2);
      expect(problems(pager, trees)).toEqual([]);
      pager.beginRead();
      expect(c1.count()).toBe(80);
      expect(c2.count()).toBe(20 + 76); // 1..20 and the multiples of 5 above
      pager.endRead();
      const sh = sqlite(`full-${pageSize}.db`);
      expect(sh("PRAGMA integrity_check")).toBe("ok");
      expect(sh("PRAGMA freelist_count")).toBe("0");
      expect(sh("PRAGMA page_count")).toBe(String(pager.pageCount));
      expect(sh("SELECT count(*), sum(a) FROM t1")).toBe(`80|${(80 * 81 / 2) * 5}`);
    });
  }

  it("auto_vacuum=INCREMENTAL: commit keeps free pages; incrementalVacuum(n) releases n, then all", () => {
    const { pager, bt, trees, purge, sqlite } = fill("incremental", 1024);
    pager.beginWrite();
    purge(4);
    pager.commit();
    const free0 = pager.getMeta("freelistCount");
    const size0 = pager.pageCount;
    expect(free0).toBeGreaterThan(20);
    pager.beginWrite();
    expect(bt.incrementalVacuum(7)).toBe(7);
    pager.commit();
    expect(pager.getMeta("freelistCount")).toBe(free0 - 7);
    expect(pager.pageCount).toBeLessThanOrEqual(size0 - 7);
    expect(problems(pager, trees)).toEqual([]);
    expect(sqlite("incr-part.db")("PRAGMA integrity_check")).toBe("ok");
    pager.beginWrite();
    expect(bt.incrementalVacuum()).toBe(free0 - 7);
    pager.commit();
    expect(pager.getMeta("freelistCount")).toBe(0);
    expect(problems(pager, trees)).toEqual([]);
    const sh = sqlite("incr-all.db");
    expect(sh("PRAGMA integrity_check")).toBe("ok");
    expect(sh("PRAGMA freelist_count")).toBe("0");
    expect(sh("SELECT count(*) FROM t1")).toBe("100");
  });

  it("a savepoint rolled back across a vacuum restores the size and the moved pages", () => {
    const { pager, bt, trees, purge } = fill("incremental", 1024);
    pager.beginWrite();
    purge(3);
    pager.commit();
    const size0 = pager.pageCount;
    const free0 = pager.getMeta("freelistCount");
    pager.beginWrite();
    pager.openSavepoint();
    bt.incrementalVacuum();
    expect(pager.pageCount).toBeLessThan(size0);
    pager.rollbackToSavepoint(1);
    expect(pager.pageCount).toBe(size0);
    expect(pager.getMeta("freelistCount")).toBe(free0);
    expect(problems(pager, trees)).toEqual([]);
    pager.commit();
    expect(problems(pager, trees)).toEqual([]);
  });
});
