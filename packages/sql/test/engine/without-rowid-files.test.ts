/*
 * WITHOUT ROWID tables and expression indexes on disk: a file Strata writes passes the
 * sqlite3 shell's PRAGMA integrity_check and reads back the same rows there (B-trees
 * deep enough to split, overflowing records, DESC and NOCASE PK columns); a file the
 * sqlite3 shell writes is read and continued by Strata, and stays sound for sqlite3.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDirectFile, runStrata } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "strata-worowid-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shell = (path: string, sql: string): string => execFileSync("sqlite3", [path, sql]).toString().trim();
const rowsText = (o: unknown): string => (o as { rows: [string, unknown][][] }).rows.map((r) => r.map((x) => x[1] === null ? "" : String(x[1])).join("|")).join("\n");
const NUMS = "CREATE TABLE nums(value INTEGER PRIMARY KEY); INSERT INTO nums VALUES(1);" +
  " INSERT INTO nums SELECT value + (SELECT count(*) FROM nums) FROM nums;".repeat(11);

const Q1 = "SELECT k, n, length(pad) FROM w ORDER BY k COLLATE NOCASE DESC, n";
const Q2 = "SELECT k, n FROM w WHERE lower(k) = 'key-77' ORDER BY n";
const Q3 = "SELECT count(*), sum(n) FROM w WHERE n BETWEEN 100 AND 300";

describe("WITHOUT ROWID files vs sqlite3", () => {
  it("a file Strata writes is sound and the same in sqlite3", () => {
    const path = join(dir, "strata.db");
    const c = openDirectFile(path);
    c.exec(NUMS);
    c.exec("CREATE TABLE w(k TEXT COLLATE NOCASE, n INT, pad, PRIMARY KEY(k DESC, n)) WITHOUT ROWID");
    c.exec("CREATE INDEX wn ON w(n)");
    c.exec("CREATE INDEX wl ON w(lower(k), n * 2)");
    c.exec("INSERT INTO w SELECT 'key-' || (value % 500), value, zeroblob(value % 7 * 400) FROM nums");
    c.exec("INSERT OR REPLACE INTO w SELECT 'KEY-' || (value % 500), value, 'replaced' FROM nums WHERE value % 3 = 0");
    c.exec("UPDATE w SET n = n + 5000 WHERE n % 5 = 0");
    c.exec("DELETE FROM w WHERE n % 11 = 0");
    const mine = [Q1, Q2, Q3].map((q) => rowsText(runStrata(c, q)));
    c.close();
    expect(shell(path, "PRAGMA integrity_check")).toBe("ok");
    expect([Q1, Q2, Q3].map((q) => shell(path, q))).toEqual(mine);
  });

  it("a file sqlite3 writes is read and continued by Strata", () => {
    const path = join(dir, "shell.db");
    shell(path, NUMS + " CREATE TABLE v(a, b TEXT, c, PRIMARY KEY(b, a DESC)) WITHOUT ROWID; CREATE UNIQUE INDEX vc ON v(c);" +
      " CREATE INDEX ve ON v(a + length(b));" +
       " INSERT INTO v SELECT value % 97 + value, 'b' || (value % 13), value FROM nums;");
    const c = openDirectFile(path);
    const q = "SELECT a, b, c FROM v WHERE b = 'b7' ORDER BY a DESC";
    expect(rowsText(runStrata(c, q))).toBe(shell(path, q));
    expect(rowsText(runStrata(c, "SELECT count(*) FROM v WHERE a + length(b) = 10"))).toBe(shell(path, "SELECT count(*) FROM v WHERE a + length(b) = 10"));
    expect(rowsText(runStrata(c, "PRAGMA integrity_check"))).toBe("ok");
    c.exec("INSERT INTO v VALUES(1000, 'new', -1)");
    c.exec("UPDATE v SET a = a + 1 WHERE b = 'b3'");
    c.exec("DELETE FROM v WHERE c % 4 = 0");
    expect(() => c.exec("INSERT INTO v VALUES(1, 'x', 5)")).toThrow("UNIQUE constraint failed: v.c");
    const mine = rowsText(runStrata(c, "SELECT * FROM v ORDER BY b, a DESC"));
    c.close();
    expect(shell(path, "PRAGMA integrity_check")).toBe("ok");
    expect(shell(path, "SELECT * FROM v ORDER BY b, a DESC")).toBe(mine);
  });
});
