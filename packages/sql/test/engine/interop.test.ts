/*
 * Files: a database Strata writes passes sqlite3's integrity_check and reads back the
 * same rows through better-sqlite3; a file sqlite3 wrote is queried correctly; a schema
 * change by one connection is seen by another (SQLITE_SCHEMA → re-prepare).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDirectFile, openWal, runStrata } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "strata-engine-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("file interop", () => {
  it("Strata-written file passes integrity_check and reads back in SQLite", () => {
    const path = join(dir, "w.db");
    const c = openDirectFile(path);
    c.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REAL, d BLOB); CREATE INDEX tc ON t(c)");
    c.exec("BEGIN");
    for (let i = 0; i < 500; i++) c.exec(`INSERT INTO t(b, c, d) VALUES('row ${i} ${"x".repeat(i % 50)}', ${i / 3}, x'${(i % 256).toString(16).padStart(2, "0")}')`);
    c.exec("COMMIT");
    c.exec("DELETE FROM t WHERE a % 7 = 0; UPDATE t SET c = c * 2 WHERE a % 5 = 0");
    const mine = runStrata(c, "SELECT a, b, c, hex(d) FROM t ORDER BY a");
    c.close();
    expect(execFileSync("sqlite3", [path, "PRAGMA integrity_check"]).toString().trim()).toBe("ok");
    const db = new Database(path, { readonly: true });
    const rows = db.prepare("SELECT a, b, c, hex(d) FROM t ORDER BY a").raw(true).all() as unknown[][];
    expect(rows.length).toBe(500 - Math.floor(500 / 7));
    expect((mine as { rows: [string, unknown][][] }).rows.map((r) => r.map((x) => x[1]))).toEqual(rows);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 't'").pluck().get()).toBe(
      "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REAL, d BLOB)");
    db.close();
  });

  it("queries a file sqlite3 wrote", () => {
    const path = join(dir, "r.db");
    const db = new Database(path);
    db.exec("CREATE TABLE p(k INTEGER PRIMARY KEY, name TEXT NOT NULL, score NUMERIC, UNIQUE(name)); CREATE INDEX ps ON p(score)");
    const ins = db.prepare("INSERT INTO p(name, score) VALUES(?, ?)");
    for (let i = 0; i < 300; i++) ins.run(`n${i}`, i % 10);
    db.close();
    const c = openDirectFile(path);
    expect(runStrata(c, "SELECT count(*), sum(score) FROM p WHERE score = 3")).toEqual({ names: ["count(*)", "sum(score)"], rows: [[["integer", 30], ["integer", 90]]] });
    expect(runStrata(c, "SELECT k FROM p WHERE name = 'n42'")).toEqual({ names: ["k"], rows: [[["integer", 43]]] });
    expect(runStrata(c, "INSERT INTO p(name) VALUES('n1')")).toEqual({ error: "SQLITE_CONSTRAINT_UNIQUE", message: "UNIQUE constraint failed: p.name" });
    c.close();
  });

  it("a schema change by one WAL connection is seen by another", () => {
    const path = join(dir, "s.db");
    const a = openWal(path);
    const b = openWal(path);
    a.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)");
    const st = b.prepare("SELECT * FROM t").statement!;
    expect(st.step()).toBe(100);
    st.reset();
    a.exec("DROP TABLE t; CREATE TABLE t(x, y); INSERT INTO t VALUES(2, 3)");
    expect(st.step()).toBe(100);
    expect(st.columnCount).toBe(2);
    expect([st.columnValue(0), st.columnValue(1)]).toEqual([2, 3]);
    st.finalize();
    a.close();
    b.close();
    expect(execFileSync("sqlite3", [path, "PRAGMA integrity_check; SELECT * FROM t"]).toString().trim()).toBe("ok\n2|3");
  });
});
