/*
 * Property: random nested queries (IN / NOT IN / EXISTS / scalar subqueries, correlated
 * or not, row-value IN, compound operators, CTEs, subqueries in FROM) over random tables
 * holding NULLs, duplicates and mixed storage classes give exactly SQLite 3.53's rows
 * (values, storage classes and order) or its error.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata } from "./support.js";
import { propParams } from "../prop-params.js";

const value = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 4 }).map(String) },
  { weight: 1, arbitrary: fc.constant("NULL") },
  { weight: 1, arbitrary: fc.constantFrom("'1'", "'a'", "'A'", "2.0", "'b'") },
);
const rows = fc.array(fc.tuple(value, value), { minLength: 0, maxLength: 7 });

const cmp = fc.constantFrom("=", "<>", "<", ">=", "IS", "IS NOT");
const tcol = fc.constantFrom("a", "b", "t.a", "t.b");
const ucol = fc.constantFrom("x", "y");
const lit = fc.constantFrom("1", "2", "NULL", "'a'", "0");

/** A WHERE condition inside a subquery over u, possibly correlated with t. */
const innerCond = fc.oneof(
  fc.tuple(ucol, cmp, lit).map(([c, o, l]) => `${c} ${o} ${l}`),
  fc.tuple(ucol, cmp, tcol).map(([c, o, l]) => `${c} ${o} ${l}`),
  fc.constant("1"),
  fc.tuple(ucol).map(([c]) => `${c} IS NOT NULL`),
);
const agg = fc.constantFrom("count(*)", "max(x)", "min(y)", "sum(x)", "count(y)");
const setOp = fc.constantFrom("UNION", "UNION ALL", "INTERSECT", "EXCEPT");

const sub = fc.tuple(ucol, innerCond).map(([c, w]) => `SELECT ${c} FROM u WHERE ${w}`);

const outerCond: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(tcol, fc.boolean(), sub).map(([c, n, s]) => `${c} ${n ? "NOT " : ""}IN (${s})`),
  fc.tuple(fc.boolean(), innerCond).map(([n, w]) => `${n ? "NOT " : ""}EXISTS (SELECT 1 FROM u WHERE ${w})`),
  fc.tuple(tcol, cmp, agg, innerCond).map(([c, o, g, w]) => `${c} ${o} (SELECT ${g} FROM u WHERE ${w})`),
  fc.tuple(fc.boolean(), innerCond).map(([n, w]) => `(a, b) ${n ? "NOT " : ""}IN (SELECT x, y FROM u WHERE ${w})`),
  fc.tuple(cmp, lit, lit).map(([o, l1, l2]) => `(a, b) ${o === "IS" || o === "IS NOT" ? "=" : o} (${l1}, ${l2})`),
);

const query: fc.Arbitrary<string> = fc.oneof(
  outerCond.map((w) => `SELECT a, b FROM t WHERE ${w}`),
  fc.tuple(tcol, sub).map(([c, s]) => `SELECT a, ${c} IN (${s}), ${c} NOT IN (${s}) FROM t`),
  fc.tuple(agg, innerCond).map(([g, w]) => `SELECT a, (SELECT ${g} FROM u WHERE ${w}) FROM t`),
  fc.tuple(ucol, setOp, innerCond, fc.boolean()).map(([c, op, w, ord]) =>
    `SELECT a FROM t ${op} SELECT ${c} FROM u WHERE ${w}${ord ? " ORDER BY 1 DESC LIMIT 4" : ""}`),
  fc.tuple(setOp, setOp).map(([o1, o2]) => `SELECT b FROM t ${o1} SELECT y FROM u ${o2} SELECT x FROM u`),
  fc.tuple(outerCond, innerCond).map(([w, w2]) =>
    `WITH c(p, q) AS (SELECT x, y FROM u WHERE ${w2.replace(/t\.|\ba\b|\bb\b/g, "x")}) SELECT * FROM t WHERE ${w} AND a IN (SELECT p FROM c)`),
  fc.tuple(outerCond).map(([w]) => `SELECT * FROM (SELECT a, b FROM t WHERE ${w}) WHERE a IS NOT NULL`),
  fc.integer({ min: 0, max: 6 }).map((n) =>
    `WITH RECURSIVE r(k) AS (SELECT x FROM u WHERE x IS NOT NULL UNION SELECT k + 1 FROM r WHERE k < ${n}) SELECT k FROM r`),
);

function setup(rowsT: string[][], rowsU: string[][]): string[] {
  const s = ["CREATE TABLE t(a INTEGER, b TEXT)", "CREATE TABLE u(x, y TEXT COLLATE NOCASE)"];
  for (const r of rowsT) s.push(`INSERT INTO t VALUES(${r[0]}, ${r[1]})`);
  for (const r of rowsU) s.push(`INSERT INTO u VALUES(${r[0]}, ${r[1]})`);
  return s;
}

describe("nested queries: random queries agree with SQLite 3.53", () => {
  it("property", () => {
    fc.assert(
      fc.property(rows, rows, fc.array(query, { minLength: 1, maxLength: 6 }), (rt, ru, qs) => {
        const db = new Database(":memory:");
        const conn = openMemory();
        try {
          for (const sql of [...setup(rt, ru), ...qs]) {
            const want = runOracle(db, sql);
            const got = runStrata(conn, sql);
            expect({ sql, got }).toEqual({ sql, got: want });
          }
        } finally {
          db.close();
          conn.close();
        }
      }),
      propParams(150, 0x5b0),
    );
  });
});
