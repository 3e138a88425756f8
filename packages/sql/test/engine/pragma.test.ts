/*
 * PRAGMA statements, differential against SQLite 3.53 (better-sqlite3): the same setup and
 * pragmas on both engines, result column names and rows (values with storage classes)
 * compared exactly; settings read back after being set; unknown pragmas ignored.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";

const SETUP = [
  "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', c REAL UNIQUE, d, e VARCHAR(10) DEFAULT (1+2), f DEFAULT -1)",
  "CREATE INDEX i1 ON t(b DESC, d COLLATE NOCASE)",
  "CREATE UNIQUE INDEX i2 ON t(d) WHERE d > 0",
  "CREATE TABLE u(x, y NOT NULL, PRIMARY KEY(x, y), UNIQUE(y))",
  "CREATE TABLE w(k TEXT PRIMARY KEY, v INT UNIQUE, z UNIQUE)",
  "CREATE TABLE fk(i, j REFERENCES u ON DELETE CASCADE, k, FOREIGN KEY(i, k) REFERENCES u(x, y) ON UPDATE SET NULL, FOREIGN KEY(k) REFERENCES w(k))",
  "INSERT INTO t(a, b, c, d) VALUES(1, 'p', 1.5, 'Q'), (2, 'q', 2.5, NULL), (3, 'r', NULL, 7)",
  "INSERT INTO u VALUES(1, 2), (3, 4)",
];

function both(stmts: string[]): { strata: Outcome[]; oracle: Outcome[] } {
  const c = openMemory();
  const db = new Database(":memory:");
  const strata: Outcome[] = [];
  const oracle: Outcome[] = [];
  for (const s of stmts) {
    strata.push(runStrata(c, s));
    oracle.push(runOracle(db, s));
  }
  c.close();
  db.close();
  return { strata, oracle };
}

function expectSame(stmts: string[], skipSetup = SETUP.length): void {
  const { strata, oracle } = both([...SETUP, ...stmts]);
  for (let i = skipSetup; i < strata.length; i++) {
    expect({ sql: [...SETUP, ...stmts][i], out: strata[i] }).toEqual({ sql: [...SETUP, ...stmts][i], out: oracle[i] });
  }
}

describe("schema query pragmas", () => {
  it("table_info / table_xinfo", () => {
    expectSame([
      "PRAGMA table_info(t)", "PRAGMA table_xinfo(t)", "PRAGMA table_info('u')", "PRAGMA table_info(w)",
      "PRAGMA table_info(fk)", "PRAGMA main.table_info(T)", "PRAGMA table_info = t", "PRAGMA table_info(nosuch)",
      "PRAGMA table_info", "PRAGMA table_info(sqlite_schema)", "PRAGMA table_xinfo(sqlite_master)", "PRAGMA table_info(1)",
    ]);
  });
  it("index_list / index_info / index_xinfo (autoindexes, partial, DESC, collations)", () => {
    expectSame([
      "PRAGMA index_list(t)", "PRAGMA index_list(u)", "PRAGMA index_list(w)", "PRAGMA index_list(fk)", "PRAGMA index_list(nosuch)",
      "PRAGMA index_info(i1)", "PRAGMA index_xinfo(i1)", "PRAGMA index_info(i2)", "PRAGMA index_xinfo(i2)",
      "PRAGMA index_info(sqlite_autoindex_u_1)", "PRAGMA index_xinfo(sqlite_autoindex_u_2)",
      "PRAGMA index_info(sqlite_autoindex_w_1)", "PRAGMA index_xinfo(sqlite_autoindex_t_1)", "PRAGMA index_info(t)", "PRAGMA index_info",
    ]);
  });
  it("foreign_key_list", () => {
    expectSame(["PRAGMA foreign_key_list(fk)", "PRAGMA foreign_key_list(t)", "PRAGMA foreign_key_list(nosuch)"]);
  });
  it("database_list and collation_list", () => {
    expectSame(["PRAGMA database_list", "PRAGMA collation_list"]);
  });
  it("table_list (without SQLite's temp schema row: Strata has no temp database)", () => {
    const { strata, oracle } = both([...SETUP, "CREATE TABLE v(a, b)", "PRAGMA table_list", "PRAGMA table_list(t)", "PRAGMA main.table_list(nosuch)"]);
    const n = SETUP.length + 1;
    const noTemp = (o: Outcome): Outcome => ("rows" in o ? { ...o, rows: o.rows.filter((r) => r[0][1] !== "temp") } : o);
    const sorted = (o: Outcome): Outcome => ("rows" in o ? { ...o, rows: [...o.rows].sort((a, b) => String(a[1][1]).localeCompare(String(b[1][1]))) } : o);
    expect(strata[n]).toEqual(expect.objectContaining({ names: ["schema", "name", "type", "ncol", "wr", "strict"] }));
    expect(sorted(strata[n])).toEqual(sorted(noTemp(oracle[n])));
    expect(strata[n + 1]).toEqual(oracle[n + 1]);
    expect(strata[n + 2]).toEqual(oracle[n + 2]);
  });
  it("pragma_list, function_list, compile_options have SQLite's columns", () => {
    const c = openMemory();
    const pl = runStrata(c, "PRAGMA pragma_list") as { names: string[]; rows: [string, unknown][][] };
    expect(pl.names).toEqual(["name"]);
    const names = pl.rows.map((r) => r[0][1] as string);
    expect(names).toEqual([...names].sort());
    expect(names).toContain("table_info");
    // Every pragma Strata lists is one SQLite knows.
    const db = new Database(":memory:");
    const known = new Set((db.prepare("PRAGMA pragma_list").pluck().all() as string[]));
    for (const n of names) expect(known.has(n), n).toBe(true);
    const fl = runStrata(c, "PRAGMA function_list") as { names: string[]; rows: [string, unknown][][] };
    expect(fl.names).toEqual(db.prepare("PRAGMA function_list").columns().map((x) => x.name));
    const oracleFns = new Set((db.prepare("PRAGMA function_list").raw().all() as unknown[][]).map((r) => `${r[0]}/${r[4]}/${r[2]}`));
    const substr = fl.rows.find((r) => r[0][1] === "substr" && r[4][1] === 3)!;
    expect(substr.map((x) => x[1])).toEqual(["substr", 1, "s", "utf8", 3, 0x200800]);
    let shared = 0;
    for (const r of fl.rows) if (oracleFns.has(`${r[0][1]}/${r[4][1]}/${r[2][1]}`)) shared++;
    expect(shared).toBeGreaterThan(50);
    const co = runStrata(c, "PRAGMA compile_options") as { names: string[]; rows: [string, unknown][][] };
    expect(co.names).toEqual(["compile_options"]);
    expect(co.rows.map((r) => r[0][1])).toContain("THREADSAFE=0");
    db.close();
    c.close();
  });
});

describe("settings", () => {
  it("header fields: user_version, application_id, schema_version", () => {
    expectSame([
      "PRAGMA user_version", "PRAGMA user_version = 3", "PRAGMA user_version", "PRAGMA main.user_version",
      "PRAGMA user_version = -1", "PRAGMA user_version", "PRAGMA user_version = '12abc'", "PRAGMA user_version",
      "PRAGMA user_version(5)", "PRAGMA user_version", "PRAGMA user_version = 3.7", "PRAGMA user_version",
      "PRAGMA user_version = 99999999999", "PRAGMA user_version",
      "PRAGMA application_id", "PRAGMA application_id = 1234", "PRAGMA application_id",
      "PRAGMA schema_version", "PRAGMA schema_version = 50", "PRAGMA schema_version",
    ]);
  });
  it("page and size pragmas", () => {
    expectSame([
      "PRAGMA page_size", "PRAGMA page_count", "PRAGMA freelist_count", "PRAGMA max_page_count",
      "PRAGMA max_page_count = 100", "PRAGMA max_page_count", "PRAGMA max_page_count = 2", "PRAGMA encoding",
      "PRAGMA auto_vacuum", "PRAGMA page_size = 2048", "PRAGMA page_size", "PRAGMA encoding = 'UTF-16'", "PRAGMA encoding",
      "PRAGMA auto_vacuum = 1", "PRAGMA auto_vacuum", "DROP TABLE fk", "DELETE FROM t", "PRAGMA freelist_count", "PRAGMA page_count",
    ]);
  });
  it("connection settings and flags", () => {
    expectSame([
      "PRAGMA cache_size", "PRAGMA cache_size = 100", "PRAGMA cache_size", "PRAGMA cache_size = -500", "PRAGMA cache_size",
      "PRAGMA synchronous", "PRAGMA synchronous = 3", "PRAGMA synchronous", "PRAGMA synchronous = OFF", "PRAGMA synchronous",
      "PRAGMA synchronous = normal", "PRAGMA synchronous", "PRAGMA synchronous = extra", "PRAGMA synchronous",
      "PRAGMA synchronous = bogus", "PRAGMA synchronous", "PRAGMA synchronous = 4", "PRAGMA synchronous",
      "PRAGMA busy_timeout = 100", "PRAGMA busy_timeout", "PRAGMA busy_timeout = -5",
      "PRAGMA foreign_keys", "PRAGMA foreign_keys = 0", "PRAGMA foreign_keys", "PRAGMA foreign_keys = yes", "PRAGMA foreign_keys",
      "PRAGMA foreign_keys = 'off'", "PRAGMA foreign_keys", "PRAGMA foreign_keys = 2", "PRAGMA foreign_keys",
      "PRAGMA recursive_triggers", "PRAGMA recursive_triggers = on", "PRAGMA recursive_triggers",
      "PRAGMA reverse_unordered_selects", "PRAGMA reverse_unordered_selects = true", "PRAGMA reverse_unordered_selects",
      "PRAGMA legacy_alter_table", "PRAGMA legacy_alter_table = 1", "PRAGMA legacy_alter_table",
      "PRAGMA defer_foreign_keys", "PRAGMA defer_foreign_keys = 1", "PRAGMA defer_foreign_keys",
      "PRAGMA case_sensitive_like", "PRAGMA case_sensitive_like = 1",
      "PRAGMA temp_store", "PRAGMA temp_store = memory", "PRAGMA temp_store", "PRAGMA temp_store = file", "PRAGMA temp_store",
      "PRAGMA temp_store = 7", "PRAGMA temp_store",
      "PRAGMA locking_mode", "PRAGMA locking_mode = exclusive", "PRAGMA locking_mode = bogus",
      "PRAGMA wal_autocheckpoint", "PRAGMA wal_autocheckpoint = 10", "PRAGMA wal_autocheckpoint = -3",
      "PRAGMA journal_mode", "PRAGMA journal_mode = delete", "PRAGMA journal_mode = wal", "PRAGMA journal_mode",
      "PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA data_version",
      "PRAGMA optimize", "PRAGMA shrink_memory",
    ]);
  });
  it("query_only is enforced", () => {
    expectSame([
      "PRAGMA query_only", "PRAGMA query_only = 1", "PRAGMA query_only", "INSERT INTO t(b) VALUES('z')", "CREATE TABLE z(x)",
      "PRAGMA user_version = 9", "SELECT count(*) FROM t", "PRAGMA query_only = 0", "INSERT INTO t(b) VALUES('z')", "SELECT count(*) FROM t",
    ]);
  });
  it("unknown pragmas are ignored; unknown schemas are errors", () => {
    expectSame([
      "PRAGMA bogus", "PRAGMA bogus = 1", "PRAGMA bogus(x)", "PRAGMA main.bogus", "PRAGMA nosuch.user_version",
      "PRAGMA nosuch.table_info(t)", "PRAGMA MAIN.user_version", "PRAGMA USER_VERSION",
    ]);
  });
});

describe("integrity_check on healthy databases", () => {
  it("says ok", () => {
    expectSame([
      "PRAGMA integrity_check", "PRAGMA quick_check", "PRAGMA integrity_check(1)", "PRAGMA integrity_check(0)",
      "PRAGMA integrity_check(t)", "PRAGMA quick_check(u)", "PRAGMA main.integrity_check",
    ]);
  });
  it("says ok after many changes (multi-level trees, freelist)", () => {
    const big = [
      "CREATE TABLE big(id INTEGER PRIMARY KEY, s TEXT NOT NULL, n REAL, UNIQUE(s))", "CREATE INDEX bn ON big(n)",
      "INSERT INTO big SELECT x, 'row-' || x || printf('%.*c', x % 200, 'y'), x / 7.0 FROM (WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 3000) SELECT x FROM r)",
      "DELETE FROM big WHERE id % 3 = 0", "UPDATE big SET n = -n WHERE id % 5 = 0", "DROP INDEX bn",
      "PRAGMA integrity_check", "PRAGMA quick_check",
    ];
    expectSame(big);
  });
});
