/*
 * Files written with the DML features (statement rollbacks, SAVEPOINT / ROLLBACK TO,
 * AUTOINCREMENT and sqlite_sequence) pass sqlite3's integrity_check and read back the same
 * in SQLite; files SQLite wrote with them are continued by Strata.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDirectFile, runStrata } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "strata-dml-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = (o: unknown): unknown[][] => (o as { rows: [string, unknown][][] }).rows.map((r) => r.map((x) => x[1]));
/** nums(value): 1..1024. */
const NUMS = "CREATE TABLE nums(value INTEGER PRIMARY KEY); INSERT INTO nums VALUES(1);" +
  " INSERT INTO nums SELECT value + (SELECT count(*) FROM nums) FROM nums;".repeat(10);
const integrity = (path: string): string => execFileSync("sqlite3", [path, "PRAGMA integrity_check"]).toString().trim();

describe("DML files vs sqlite3", () => {
  it("savepoints, statement rollbacks and AUTOINCREMENT leave a valid file", () => {
    const path = join(dir, "sp.db");
    const c = openDirectFile(path);
    c.exec(NUMS);
    c.exec("CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE, c)");
    c.exec("CREATE INDEX tc ON t(c)");
    c.exec("BEGIN");
    c.exec("INSERT INTO t(b, c) SELECT value, zeroblob(500 + value % 700) FROM nums WHERE value <= 400");
    c.exec("SAVEPOINT a");
    c.exec("DELETE FROM t WHERE a % 3 = 0");
    c.exec("INSERT INTO t(b, c) SELECT value + 1000, randomblob(3000) FROM nums WHERE value <= 100");
    c.exec("SAVEPOINT b");
    c.exec("UPDATE t SET c = zeroblob(5000) WHERE a % 5 = 0");
    c.exec("ROLLBACK TO a");
    c.exec("UPDATE t SET c = 'x' || a WHERE a % 7 = 0");
    expect(() => c.exec("INSERT INTO t(b, c) SELECT value + 2000, zeroblob(4000) FROM nums WHERE value <= 50 UNION ALL SELECT 1, 2")).toThrow(
      "UNIQUE constraint failed: t.b");
    c.exec("CREATE TABLE u(x INTEGER PRIMARY KEY AUTOINCREMENT, y)");
    c.exec("INSERT INTO u(y) VALUES(1), (2)");
    c.exec("RELEASE a");
    c.exec("COMMIT");
    const mine = rowsOf(runStrata(c, "SELECT a, b, length(c) FROM t ORDER BY a"));
    const seq = rowsOf(runStrata(c, "SELECT * FROM sqlite_sequence ORDER BY name"));
    c.close();
    expect(integrity(path)).toBe("ok");
    const db = new Database(path);
    expect(db.prepare("SELECT a, b, length(c) FROM t ORDER BY a").raw(true).all()).toEqual(mine);
    expect(db.prepare("SELECT * FROM sqlite_sequence ORDER BY name").raw(true).all()).toEqual(seq);
    expect(seq).toEqual([["t", 400], ["u", 2]]);
    // SQLite continues the counter Strata wrote.
    db.prepare("INSERT INTO t(b) VALUES('sqlite')").run();
    expect(db.prepare("SELECT max(a) FROM t").pluck().get()).toBe(401);
    db.close();
    const c2 = openDirectFile(path);
    c2.exec("INSERT INTO t(b) VALUES('strata')");
    expect(rowsOf(runStrata(c2, "SELECT a FROM t WHERE b = 'strata'"))).toEqual([[402]]);
    expect(rowsOf(runStrata(c2, "SELECT seq FROM sqlite_sequence WHERE name = 't'"))).toEqual([[402]]);
    c2.close();
    expect(integrity(path)).toBe("ok");
  });
});
