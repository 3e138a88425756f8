/*
 * PRAGMA integrity_check / quick_check on damaged databases: files built by the sqlite3
 * shell and then corrupted (an index definition that disagrees with its entries, a NOT
 * NULL or CHECK constraint the rows break, a UNIQUE index over duplicates, an index whose
 * entries are gone, pages no tree uses, a damaged B-tree page); Strata's report compared
 * with SQLite 3.53's (better-sqlite3) on the same bytes.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDirectFile, runStrata } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "strata-integrity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const BASE = "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c); CREATE INDEX i1 ON t(b); CREATE UNIQUE INDEX i2 ON t(c);" +
  "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x<20) INSERT INTO t SELECT x, 'v'||x, x*10 FROM n;";
const BIG = "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c); CREATE INDEX i1 ON t(b);" +
  "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x<2000) INSERT INTO t SELECT x, 'v'||x, x*10 FROM n;";

/** Builds a file with the sqlite3 shell, optionally patches bytes, and returns both engines' answers. */
function check(script: string, patch: ((b: Buffer) => void) | null, pragmas: string[]): void {
  const path = join(dir, `c${n++}.db`);
  execFileSync("sqlite3", [path], { input: script });
  if (patch !== null) {
    const b = readFileSync(path);
    patch(b);
    writeFileSync(path, b);
  }
  const copy = `${path}-strata`;
  copyFileSync(path, copy);
  const db = new Database(path);
  const c = openDirectFile(copy);
  try {
    for (const q of pragmas) {
      let want: unknown;
      try {
        want = db.prepare(q).raw(true).all().map((r) => (r as unknown[])[0]);
      } catch (e) {
        want = { error: (e as { code: string }).code, message: (e as Error).message };
      }
      const got = runStrata(c, q);
      expect({ q, got: "rows" in got ? got.rows.map((r) => r[0][1]) : got }).toEqual({ q, got: want });
    }
  } finally {
    c.close();
    db.close();
  }
}

describe("integrity_check finds what SQLite finds", () => {
  it("an index whose definition disagrees with its entries: row N missing from index", () => {
    check(BASE + "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql='CREATE INDEX i1 ON t(c)' WHERE name='i1';", null,
      ["PRAGMA integrity_check", "PRAGMA quick_check", "PRAGMA integrity_check(3)"]);
  });
  it("NULL in a NOT NULL column", () => {
    check(BASE + "INSERT INTO t VALUES(99,'z',NULL); PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql='CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c NOT NULL)' WHERE name='t';", null,
      ["PRAGMA integrity_check", "PRAGMA quick_check"]);
  });
  it("duplicates under a UNIQUE index", () => {
    check(BASE + "UPDATE t SET b='dup' WHERE a<4; PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql='CREATE UNIQUE INDEX i1 ON t(b)' WHERE name='i1';", null,
      ["PRAGMA integrity_check", "PRAGMA quick_check"]);
  });
  it("rows breaking a CHECK constraint", () => {
    check(BASE + "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql='CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c CHECK(c < 50))' WHERE name='t';", null,
      ["PRAGMA integrity_check", "PRAGMA quick_check", "PRAGMA integrity_check(t)"]);
  });
  it("an index whose entries are gone: page never used, wrong # of entries", () => {
    check(BASE + "CREATE TABLE e(x); PRAGMA writable_schema=ON; UPDATE sqlite_schema SET rootpage=(SELECT rootpage FROM sqlite_schema WHERE name='e') WHERE name='i2'; DELETE FROM sqlite_schema WHERE name='e';", null,
      ["PRAGMA integrity_check"]);
    // quick_check: SQLite's lines, plus ours naming the table page under index i2.
    const path = join(dir, `c${n - 1}.db-strata`);
    const c = openDirectFile(path);
    const got = runStrata(c, "PRAGMA quick_check") as { rows: [string, unknown][][] };
    c.close();
    expect(got.rows.map((r) => r[0][1])).toEqual([
      "*** in database main ***\ntree 5 page 5: wrong page kind 13\nPage 4: never used", "wrong # of entries in index i2"]);
  });
  it("pages no tree uses", () => {
    check(BIG + "CREATE TABLE e(x); CREATE TABLE f(x); PRAGMA writable_schema=ON; DELETE FROM sqlite_schema WHERE name IN ('e','f');", null,
      ["PRAGMA integrity_check", "PRAGMA quick_check"]);
  });
  it("a damaged B-tree page: wrong fragment count, and the rows it hides", () => {
    // Page 7 is a leaf of t; claiming one cell hides the others (SQLite: fragmentation).
    check(BIG, (b) => { b[4096 * 6 + 3] = 0; b[4096 * 6 + 4] = 1; }, ["PRAGMA quick_check"]);
    const path = join(dir, `c${n++}.db`);
    execFileSync("sqlite3", [path], { input: BIG });
    const b = readFileSync(path);
    b[4096 * 6 + 3] = 0;
    b[4096 * 6 + 4] = 1;
    writeFileSync(path, b);
    const c = openDirectFile(path);
    const got = runStrata(c, "PRAGMA integrity_check") as { rows: [string, unknown][][] };
    c.close();
    const lines = got.rows.map((r) => r[0][1] as string);
    expect(lines[0]).toBe("*** in database main ***\nFragmentation of 3011 bytes reported as 0 on page 7");
    expect(lines[1]).toBe("wrong # of entries in index i1");
    expect(lines.length).toBe(100);
    expect(lines.slice(2).every((l) => /^row \d+ missing from index i1$/.test(l))).toBe(true);
  });
});
