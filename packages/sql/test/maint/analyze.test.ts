// ANALYZE (codegen/analyze.ts): sqlite_stat1 compared with SQLite 3.53 (better-sqlite3)
// on the same data: the schema row, then the stat rows (sorted: SQLite visits tables in
// its hash order) after each form of the statement, over several index shapes,
// duplicates, NULLs, collations, partial indexes and empty tables; plus a fast-check
// property over random data.
// COMPAT: no sqlite_stat4 (see SCHEMA below).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Pair } from "../engine/diff-helper.js";

const STAT = "SELECT tbl, idx, stat, typeof(stat) FROM sqlite_stat1 ORDER BY tbl, idx";
// better-sqlite3 is built with SQLITE_ENABLE_STAT4 and also creates sqlite_stat4; Strata
// follows the default build (no STAT4; docs/compat.md), as the sqlite3 shell does.
const SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name <> 'sqlite_stat4' ORDER BY rowid";

function same(pair: Pair, sql: string): void {
  const [a, b] = pair.both(sql);
  expect(a, sql).toEqual(b);
}

describe("ANALYZE", () => {
  it("writes the sqlite_stat1 rows SQLite writes, for every form", () => {
    const pair = new Pair();
    pair.exec(`CREATE TABLE t1(a INTEGER, b TEXT, c REAL, d);
      CREATE INDEX t1a ON t1(a); CREATE INDEX t1bc ON t1(b, c); CREATE UNIQUE INDEX t1d ON t1(d);
      CREATE INDEX t1ba ON t1(b COLLATE NOCASE, a DESC);
      CREATE TABLE t2(x, y); CREATE TABLE t3(p PRIMARY KEY, q UNIQUE); CREATE TABLE empty(e); CREATE INDEX ee ON empty(e);
      CREATE TABLE t4(u, v); CREATE INDEX t4p ON t4(u) WHERE u > 5; CREATE VIEW v1 AS SELECT * FROM t1`);
    same(pair, "SELECT * FROM sqlite_stat1");
    same(pair, "ANALYZE");
    same(pair, SCHEMA);
    same(pair, STAT);
    const vals: string[] = [];
    for (let i = 0; i < 60; i++) {
      const a = i % 7 === 0 ? "NULL" : String(i % 5);
      const bb = i % 3 === 0 ? "NULL" : `'${["x", "X", "y", "z"][i % 4]}'`;
      vals.push(`(${a}, ${bb}, ${(i % 4) / 2}, ${i % 11 === 0 ? "NULL" : i})`);
    }
    pair.exec(`INSERT INTO t1 VALUES ${vals.join(",")}`);
    pair.exec("INSERT INTO t2 VALUES (1,2),(3,4),(5,6)");
    pair.exec("INSERT INTO t3 VALUES (1,1),(2,2),(3,NULL),(4,NULL)");
    pair.exec("INSERT INTO t4 VALUES (1,1),(6,2),(7,3),(7,4)");
    for (const s of ["ANALYZE", STAT, "DELETE FROM t2", "INSERT INTO t1 SELECT a, b, c, NULL FROM t1", "ANALYZE t2", STAT,
      "ANALYZE main.t1bc", STAT, "ANALYZE t1", STAT, "ANALYZE main", STAT, "ANALYZE v1", "ANALYZE nosuch", "ANALYZE main.nosuch",
      "ANALYZE aux.t1", "ANALYZE sqlite_schema", "ANALYZE sqlite_stat1", STAT, SCHEMA, "ANALYZE main.main", "ANALYZE t4p", STAT]) {
      same(pair, s);
    }
    pair.close();
  });

  it("ANALYZE of a single table or index creates sqlite_stat1 too", () => {
    for (const first of ["ANALYZE t", "ANALYZE ti", "ANALYZE v"]) {
      const pair = new Pair();
      pair.exec("CREATE TABLE t(a, b); CREATE INDEX ti ON t(a, b); CREATE VIEW v AS SELECT 1; INSERT INTO t VALUES (1,1),(1,2),(2,2),(2,2)");
      same(pair, first);
      same(pair, SCHEMA);
      same(pair, STAT);
      pair.close();
    }
  });

  it("matches SQLite on random data (fast-check)", () => {
    const val = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 4 }), fc.constantFrom("a", "A", "b", "b "), fc.constantFrom(0.5, 1.0));
    fc.assert(fc.property(fc.array(fc.tuple(val, val, val), { maxLength: 80 }), (rows) => {
      const pair = new Pair();
      try {
        pair.exec(`CREATE TABLE t(a, b, c); CREATE INDEX i1 ON t(a); CREATE INDEX i2 ON t(a, b, c);
          CREATE INDEX i3 ON t(c COLLATE NOCASE, b COLLATE RTRIM); CREATE INDEX i4 ON t(b) WHERE a > 1`);
        if (rows.length > 0) {
          const lit = (v: unknown): string => (v === null ? "NULL" : typeof v === "string" ? `'${v}'` : String(v));
          pair.exec(`INSERT INTO t VALUES ${rows.map((r) => `(${r.map(lit).join(",")})`).join(",")}`);
        }
        same(pair, "ANALYZE");
        same(pair, STAT);
      } finally {
        pair.close();
      }
    }), { numRuns: 100, seed: 20240601 });
  });
});
