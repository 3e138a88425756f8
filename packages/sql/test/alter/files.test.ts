/*
 * Files altered by Strata (ALTER TABLE, CREATE TABLE AS) open in the sqlite3 shell and in
 * better-sqlite3: integrity_check is ok, and the schema and rows equal what SQLite itself
 * produces for the same statements.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDirectFile } from "../engine/support.js";

const dir = mkdtempSync(join(tmpdir(), "strata-alter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = [
  "PRAGMA foreign_keys = OFF",
  "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT UNIQUE, c REAL, d BLOB, e)",
  "CREATE INDEX tc ON t(c)",
  "CREATE VIEW tv AS SELECT a, b FROM t WHERE c > 1",
  "CREATE TRIGGER tt AFTER INSERT ON t BEGIN UPDATE t SET e = new.b WHERE a = new.a; END",
  ...Array.from({ length: 300 }, (_, i) => `INSERT INTO t(b, c, d) VALUES('row ${i} ${"x".repeat(i % 40)}', ${i / 3}, x'${(i % 256).toString(16).padStart(2, "0")}')`),
  "ALTER TABLE t ADD COLUMN f INT DEFAULT 42",
  "ALTER TABLE t ADD g TEXT DEFAULT 'gg'",
  "ALTER TABLE t RENAME COLUMN b TO bee",
  "ALTER TABLE t DROP COLUMN d",
  "ALTER TABLE t RENAME TO t2",
  "CREATE TABLE t3 AS SELECT a, bee, f * 2 AS f2, g FROM t2 WHERE a % 3 = 0",
  "ALTER TABLE t3 DROP COLUMN g",
  "INSERT INTO t2(bee, c) VALUES('late', 9.5)",
];

const ROWS = ["SELECT * FROM t2 ORDER BY a", "SELECT * FROM t3 ORDER BY rowid", "SELECT * FROM tv ORDER BY a", "SELECT * FROM sqlite_sequence",
  "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid"];

describe("altered files interoperate with SQLite", () => {
  it("a Strata-altered file passes sqlite3's integrity_check and matches SQLite's own result", () => {
    const mine = join(dir, "strata.db");
    const c = openDirectFile(mine);
    for (const s of SCRIPT) c.exec(s);
    c.close();
    const ref = new Database(join(dir, "ref.db"));
    for (const s of SCRIPT) ref.exec(s);
    expect(execFileSync("sqlite3", [mine, "PRAGMA integrity_check"]).toString().trim()).toBe("ok");
    const db = new Database(mine, { readonly: true });
    expect(db.prepare("PRAGMA integrity_check").pluck().all()).toEqual(["ok"]);
    for (const q of ROWS) expect({ q, rows: db.prepare(q).raw(true).all() }).toEqual({ q, rows: ref.prepare(q).raw(true).all() });
    db.close();
    ref.close();
  });
});
