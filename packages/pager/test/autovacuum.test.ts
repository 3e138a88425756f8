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
