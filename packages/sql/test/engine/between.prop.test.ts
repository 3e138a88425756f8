/*
 * fast-check differential property: [NOT] BETWEEN in WHERE (coded as jumps, x evaluated
 * once) and as a value, over NULLs, mixed storage classes, column affinities and a NOCASE
 * column, under AND / OR / NOT, compared with SQLite 3.53.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const value = fc.constantFrom("NULL", "1", "2", "3", "-1", "2.5", "'2'", "'a'", "'B'", "'b'", "x'01'");
const row = fc.tuple(value, value, value, value);
const operand = fc.constantFrom("a", "b", "c", "n", "1", "2", "'2'", "'a'", "NULL", "2.5", "a + 1", "(SELECT max(a) FROM t)");
const between = fc.tuple(operand, fc.boolean(), operand, operand).map(([x, not, lo, hi]) => `${x} ${not ? "NOT " : ""}BETWEEN ${lo} AND ${hi}`);
const cond = fc.oneof(
  between,
  fc.tuple(between, between).map(([x, y]) => `${x} OR ${y}`),
  fc.tuple(between, operand).map(([x, y]) => `${x} AND ${y} IS NOT NULL`),
  between.map((x) => `NOT (${x})`),
);

describe("BETWEEN vs SQLite 3.53", () => {
  it("agree in WHERE and as a value", () => {
    fc.assert(fc.property(fc.array(row, { minLength: 0, maxLength: 10 }), fc.array(cond, { minLength: 1, maxLength: 4 }), (rows, conds) => {
      const pair = new Pair();
      try {
        pair.exec("CREATE TABLE t(a INTEGER, b TEXT COLLATE NOCASE, c REAL, n)");
        for (const [w, x, y, z] of rows) pair.exec(`INSERT INTO t VALUES(${w}, ${x}, ${y}, ${z})`);
        for (const c of conds) {
          for (const q of [`SELECT rowid FROM t WHERE ${c}`, `SELECT rowid, ${c} FROM t`, `SELECT count(*) FROM t WHERE ${c}`,
            `SELECT rowid, CASE WHEN ${c} THEN 1 ELSE 0 END FROM t`]) {
            const [mine, theirs] = pair.both(q);
            expect({ q, r: mine }).toEqual({ q, r: theirs });
          }
        }
      } finally {
        pair.close();
      }
    }), { numRuns: 300 });
  });
});
