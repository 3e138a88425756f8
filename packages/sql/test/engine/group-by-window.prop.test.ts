/*
 * fast-check differential property: random tables (NULLs, integers, reals, text with
 * case variants, duplicates; a NOCASE column) and random GROUP BY / HAVING / aggregate
 * and window queries, compared with SQLite 3.53. Rows are compared as multisets where
 * the query has no ORDER BY that fixes them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";
import { propParams } from "../prop-params.js";

const value = fc.oneof(
  fc.constant("NULL"),
  fc.integer({ min: -3, max: 5 }).map(String),
  fc.constantFrom("1.5", "-0.5", "2.0", "'a'", "'A'", "'b'", "'10'", "x'00'"),
);
const row = fc.tuple(value, value, value);
const col = fc.constantFrom("a", "b", "c", "n");
const agg = fc.oneof(
  col.map((c) => `count(${c})`), fc.constant("count(*)"), col.map((c) => `sum(${c})`), col.map((c) => `total(${c})`),
  col.map((c) => `min(${c})`), col.map((c) => `max(${c})`), col.map((c) => `group_concat(${c})`),
  col.map((c) => `count(DISTINCT ${c})`), fc.tuple(col, col).map(([x, y]) => `sum(${x}) FILTER (WHERE ${y} > 0)`),
  fc.tuple(col, col).map(([x, y]) => `group_concat(${x}, '|' ORDER BY ${y}, rowid)`),
);
const groupQuery = fc.tuple(fc.array(col, { minLength: 0, maxLength: 2 }), fc.array(agg, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean())
  .map(([g, aggs, having, where]) => {
    const sel = [...g, ...aggs].join(", ");
    return `SELECT ${sel} FROM t${where ? " WHERE a IS NOT NULL OR c > 0" : ""}${g.length ? ` GROUP BY ${g.join(", ")}` : ""}${having ? " HAVING count(*) > 1" : ""}`;
  });
const frame = fc.constantFrom("", "ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING", "ROWS 2 PRECEDING", "GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW",
  "RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING", "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW",
  "RANGE BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE TIES");
const winFn = fc.oneof(
  fc.constantFrom("row_number()", "rank()", "dense_rank()", "percent_rank()", "cume_dist()", "ntile(3)"),
  col.map((c) => `lag(${c})`), col.map((c) => `lead(${c}, 2, 'd')`), col.map((c) => `first_value(${c})`),
  col.map((c) => `last_value(${c})`), col.map((c) => `nth_value(${c}, 2)`), agg.filter((a) => !a.includes("DISTINCT") && !a.includes("ORDER BY")),
);
const winQuery = fc.tuple(winFn, fc.option(col, { nil: null }), col, frame).map(([f, part, ord, fr]) =>
  `SELECT rowid, ${f} OVER (${part ? `PARTITION BY ${part} ` : ""}ORDER BY ${ord}, rowid ${fr}) FROM t`);

describe("random GROUP BY and window queries vs SQLite 3.53", () => {
  it("agree", () => {
    fc.assert(fc.property(fc.array(row, { minLength: 0, maxLength: 14 }), fc.array(fc.oneof(groupQuery, winQuery), { minLength: 1, maxLength: 4 }), (rows, queries) => {
      const pair = new Pair();
      try {
        pair.exec("CREATE TABLE t(a INTEGER, b TEXT COLLATE NOCASE, c REAL, n)");
        for (const [x, y, z] of rows) pair.exec(`INSERT INTO t VALUES(${x}, ${y}, ${z}, ${x})`);
        for (const q of queries) {
          const [mine, theirs] = pair.both(q, true);
          expect({ q, r: mine }).toEqual({ q, r: theirs });
        }
      } finally {
        pair.close();
      }
    }), propParams(300, 0x5ca1ab1e));
  });
});
