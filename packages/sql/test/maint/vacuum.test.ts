// VACUUM and VACUUM INTO (engine/vacuum.ts): after random inserts and deletes the rows
// stay, the freelist is empty, the file shrinks and passes sqlite3's integrity_check;
// header fields are kept; VACUUM INTO writes a file sqlite3 opens with the same rows;
// errors compared with SQLite 3.53.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DirectFileStore } from "@strata/pager";
import { Connection } from "../../src/engine/connection.js";
import { Pair } from "../engine/diff-helper.js";
import { nodeVfs, openDirectFile, openWal, runStrata } from "../engine/support.js";

const dir = mkdtempSync(join(tmpdir(), "strata-vacuum-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sqlite3(file: string, sql: string): string {
  return execFileSync("sqlite3", [file, sql], { encoding: "utf8" }).trim();
}

const DUMP = ["SELECT * FROM t ORDER BY id", "SELECT * FROM u ORDER BY rowid", "SELECT name, seq FROM sqlite_sequence",
  "SELECT * FROM v ORDER BY 1", "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
  "SELECT b FROM t WHERE b >= 'k' ORDER BY b"];

function dump(conn: Connection): unknown[] {
  return DUMP.map((q) => runStrata(conn, q));
}

/** Random inserts and deletes leaving free pages behind (seeded, deterministic). */
function fill(conn: Connection, seed: number): void {
  let s = seed;
  const rnd = (n: number): number => { s = (s * 1103515245 + 12345) % 2147483648; return s % n; };
  conn.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER, b TEXT UNIQUE, c BLOB);
    CREATE INDEX ta ON t(a, b DESC); CREATE TABLE u(x, y COLLATE NOCASE PRIMARY KEY);
    CREATE VIEW v AS SELECT a, count(*) FROM t GROUP BY a; CREATE INDEX uy ON u(x) WHERE x > 10`);
  conn.exec("BEGIN");
  for (let i = 0; i < 400; i++) {
    const big = rnd(10) === 0 ? `zeroblob(${3000 + rnd(9000)})` : `x'${(rnd(1 << 20)).toString(16).padStart(6, "0")}'`;
    conn.exec(`INSERT INTO t(a, b, c) VALUES (${rnd(50)}, '${"k".repeat(rnd(3))}${i}-${rnd(1000)}', ${big})`);
    if (i % 3 === 0) conn.exec(`INSERT OR REPLACE INTO u VALUES (${rnd(30)}, 'Y${rnd(200)}')`);
  }
  conn.exec("COMMIT");
  conn.exec(`DELETE FROM t WHERE a % 3 = 0; DELETE FROM u WHERE x < 8; UPDATE t SET c = NULL WHERE a = 7`);
}

describe("VACUUM", () => {
  it("keeps the rows, empties the freelist, shrinks the file, passes sqlite3's integrity_check", () => {
    const file = join(dir, "a.db");
    const conn = openDirectFile(file);
    fill(conn, 7);
    conn.exec("PRAGMA user_version = 42; PRAGMA application_id = 1234567");
    const before = dump(conn);
    const free = runStrata(conn, "PRAGMA freelist_count");
    expect(JSON.stringify(free)).not.toContain('["integer",0]');
    const size = statSync(file).size;
    expect(runStrata(conn, "VACUUM")).toEqual({ rows: [], names: [] });
    expect(dump(conn)).toEqual(before);
    expect(runStrata(conn, "PRAGMA freelist_count")).toEqual({ rows: [[["integer", 0]]], names: ["freelist_count"] });
    expect(statSync(file).size).toBeLessThan(size);
    conn.exec("INSERT INTO t(a, b) VALUES (1, 'after')");
    conn.close();
    expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
    expect(sqlite3(file, "PRAGMA freelist_count; PRAGMA user_version; PRAGMA application_id; SELECT count(*), sum(a), max(id) FROM t; SELECT seq FROM sqlite_sequence"))
      .toBe(execFileSync("sqlite3", [file, "SELECT 0; SELECT 42; SELECT 1234567; SELECT count(*), sum(a), max(id) FROM t; SELECT max(id) FROM t"], { encoding: "utf8" }).trim());
    // sqlite3's own VACUUM of our file agrees on content.
    expect(sqlite3(file, "VACUUM; PRAGMA integrity_check")).toBe("ok");
  });

  it("works over the WAL store: one transaction of all pages, then sqlite3 reads it", () => {
    const file = join(dir, "w.db");
    const conn = openWal(file);
    fill(conn, 11);
    const before = dump(conn);
    conn.exec("VACUUM");
    expect(dump(conn)).toEqual(before);
    expect(runStrata(conn, "PRAGMA freelist_count")).toEqual({ rows: [[["integer", 0]]], names: ["freelist_count"] });
    conn.close();
    const again = openWal(file);
    expect(dump(again)).toEqual(before);
    again.close();
    expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
  });

  it("VACUUM INTO writes a new file sqlite3 opens with the same rows; errors as SQLite's", () => {
    const file = join(dir, "src.db");
    const out = join(dir, "out.db");
    const conn = Connection.open(new DirectFileStore(nodeVfs.open(file) as never), {
      openDatabaseFile: (path) => new DirectFileStore(nodeVfs.open(path) as never),
    });
    fill(conn, 3);
    const before = dump(conn);
    const rows = runStrata(conn, "SELECT count(*) FROM t");
    expect(runStrata(conn, `VACUUM INTO '${out}'`)).toEqual({ rows: [], names: [] });
    expect(runStrata(conn, `VACUUM INTO '${out}'`)).toEqual({ error: "SQLITE_ERROR", message: "output file already exists" });
    expect(runStrata(conn, "VACUUM INTO 5")).toEqual({ error: "SQLITE_ERROR", message: "non-text filename" });
    expect(dump(conn)).toEqual(before);
    conn.close();
    expect(sqlite3(out, "PRAGMA integrity_check")).toBe("ok");
    expect(sqlite3(out, "SELECT count(*) FROM t")).toBe(String((rows as unknown as { rows: [[string, number]][] }).rows[0][0][1]));
    expect(sqlite3(out, "SELECT group_concat(id || ':' || a || ':' || b || ':' || length(c)) FROM t"))
      .toBe(sqlite3(file, "SELECT group_concat(id || ':' || a || ':' || b || ':' || length(c)) FROM t"));
    expect(sqlite3(out, "PRAGMA freelist_count")).toBe("0");
    const reopened = openDirectFile(out);
    expect(dump(reopened)).toEqual(before);
    reopened.close();
  });

  it("refuses inside a transaction and while a statement runs, as SQLite does", () => {
    const pair = new Pair();
    pair.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1),(2)");
    for (const s of ["BEGIN", "VACUUM", "COMMIT", "VACUUM", "VACUUM main", "VACUUM aux", "SAVEPOINT a", "VACUUM", "RELEASE a", "VACUUM", "SELECT * FROM t"]) {
      const [a, b] = pair.both(s);
      expect(a, s).toEqual(b);
    }
    const st = pair.conn.prepare("SELECT x FROM t").statement!;
    expect(st.step()).toBe(100);
    expect(runStrata(pair.conn, "VACUUM")).toEqual({ error: "SQLITE_ERROR", message: "cannot VACUUM - SQL statements in progress" });
    st.finalize();
    pair.close();
  });
});
