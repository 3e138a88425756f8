/*
 * Property: the terms an index seek enforces are not evaluated again (where.ts
 * consumedTerms), and an OR of equalities on one column drives an IN lookup; neither may
 * change a result. Random tables (random column affinities and collations, random
 * one- and two-column indexes, ASC or DESC), random data (integers, reals, numeric and
 * non-numeric text, NULLs, mixed case), and random queries: =, IS, IN, OR-of-=, one- and
 * two-sided ranges, BETWEEN, joins on columns of any affinity, ORDER BY an indexed column
 * (both directions, so reverse scans and their NULL handling are exercised). Rows must
 * equal SQLite 3.53's: as multisets, and in order when the ORDER BY is total.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";

const TYPES = ["INTEGER", "TEXT", "REAL", "", "NUMERIC", "TEXT COLLATE NOCASE"];
const VALUES = ["NULL", "1", "2", "3", "'2'", "'x'", "'X'", "2.5", "'1'", "0", "-1", "'abc'", "'ABC'", "2.0"];

const tableArb = fc.record({
  types: fc.array(fc.constantFrom(...TYPES), { minLength: 3, maxLength: 3 }),
  indexes: fc.array(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 2 }),
    { maxLength: 3 },
  ),
  rows: fc.array(fc.array(fc.constantFrom(...VALUES), { minLength: 3, maxLength: 3 }), { maxLength: 12 }),
});

const COLS = ["a", "b", "c"];

const termArb = (n: number): fc.Arbitrary<string> => {
  const col = fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constantFrom(...COLS)).map(([t, c]) => `t${t}.${c}`);
  const val = fc.constantFrom(...VALUES.filter((v) => v !== "NULL"), "NULL");
  const operand = fc.oneof({ weight: 3, arbitrary: val }, { weight: 1, arbitrary: col });
  return fc.oneof(
    fc.tuple(col, fc.constantFrom("=", "==", "IS", "<", "<=", ">", ">="), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(operand, fc.constantFrom("=", "<", ">="), col).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(col, val, val).map(([a, l, h]) => `${a} BETWEEN ${l} AND ${h}`),
    fc.tuple(col, fc.array(operand, { minLength: 1, maxLength: 3 })).map(([a, l]) => `${a} IN (${l.join(", ")})`),
    fc.tuple(col, fc.array(fc.tuple(fc.boolean(), operand), { minLength: 2, maxLength: 3 })).map(([a, l]) =>
      "(" + l.map(([flip, v]) => (flip ? `${v} = ${a}` : `${a} = ${v}`)).join(" OR ") + ")"),
    fc.tuple(col, fc.array(operand, { minLength: 1, maxLength: 2 }), operand).map(([a, l, v]) => `(${a} IN (${l.join(", ")}) OR ${a} = ${v})`),
    col.map((a) => `${a} IS NULL`),
  );
};

const queryArb = (n: number): fc.Arbitrary<{ sql: string; ordered: boolean }> =>
  fc.record({
    n: fc.integer({ min: 1, max: n }),
    join: fc.constantFrom(",", " JOIN ", " LEFT JOIN "),
    where: fc.array(termArb(n), { minLength: 1, maxLength: 3 }),
    order: fc.option(fc.tuple(fc.constantFrom(...COLS), fc.constantFrom("", " DESC")), { nil: null }),
    limit: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  }).map(({ n: k, join, where, order, limit }) => {
    // Only the tables in the FROM clause may appear in the WHERE clause.
    const terms = where.filter((t) => [...t.matchAll(/t(\d)\./g)].every((m) => Number(m[1]) < k));
    let from = "t0";
    for (let i = 1; i < k; i++) from += join === "," ? `, t${i}` : `${join}t${i} ON t${i}.a = t${i - 1}.b`;
    const w = terms.length > 0 ? ` WHERE ${terms.join(" AND ")}` : "";
    if (order !== null && k === 1) {
      // A total order: the column, then the rowid.
      const ob = ` ORDER BY t0.${order[0]}${order[1]}, t0.rowid${order[1]}`;
      return { sql: `SELECT t0.rowid AS r, * FROM ${from}${w}${ob}${limit !== null ? ` LIMIT ${limit}` : ""}`, ordered: true };
    }
    return { sql: `SELECT * FROM ${from}${w}`, ordered: false };
  });

function sortRows(o: Outcome): Outcome {
  if ("error" in o) return o;
  return { names: o.names, rows: [...o.rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)) };
}

describe("index seeks vs SQLite 3.53 (terms the seek enforces are not re-checked)", () => {
  it("agree on rows", () => {
    fc.assert(
      fc.property(
        fc.array(tableArb, { minLength: 1, maxLength: 3 }).chain((tables) =>
          fc.tuple(fc.constant(tables), fc.array(queryArb(tables.length), { minLength: 1, maxLength: 6 }))),
        ([tables, queries]) => {
          const conn = openMemory();
          const db = new Database(":memory:");
          try {
            const run = (sql: string): void => {
              const a = runStrata(conn, sql);
              const b = runOracle(db, sql);
              expect({ sql, ...a }).toEqual({ sql, ...b });
            };
            tables.forEach((t, i) => {
              run(`CREATE TABLE t${i}(${COLS.map((c, k) => `${c} ${t.types[k]}`).join(", ")})`);
              t.indexes.forEach((ix, k) => {
                const seen = new Set<number>();
                const parts = ix.filter(([c]) => !seen.has(c) && seen.add(c) !== null)
                  .map(([c, desc, nocase]) => `${COLS[c]}${nocase ? " COLLATE NOCASE" : ""}${desc ? " DESC" : ""}`);
                run(`CREATE INDEX t${i}_${k} ON t${i}(${parts.join(", ")})`);
              });
              for (const r of t.rows) run(`INSERT INTO t${i} VALUES(${r.join(", ")})`);
            });
            for (const q of queries) {
              const a = runStrata(conn, q.sql);
              const b = runOracle(db, q.sql);
              if (q.ordered) expect({ q: q.sql, ...a }).toEqual({ q: q.sql, ...b });
              else expect({ q: q.sql, ...sortRows(a) }).toEqual({ q: q.sql, ...sortRows(b) });
            }
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: Number(process.env.WHERE_SEEK_RUNS ?? 300), seed: process.env.WHERE_SEEK_SEED ? Number(process.env.WHERE_SEEK_SEED) : 0x1d5eec },
    );
  });
});
