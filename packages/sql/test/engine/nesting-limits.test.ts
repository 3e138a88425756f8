/*
 * SQLite's nesting limits (parser.ts invariant 5), compared with SQLite 3.53: the
 * expression height limit (1000, with SQLite's way of counting each node, and its
 * resolve-time sum over nested subqueries), the parser stack ("Recursion limit") for
 * the nestings where our model matches SQLite's boundary, and trigger recursion. Input
 * nested past the JS stack gets a SqliteError, never a RangeError.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const chain = (h: number): string => Array(h).fill("1").join("+");
const nest = (open: string, inner: string, close: string, n: number): string => open.repeat(n) + inner + close.repeat(n);

/** [name, statement for a size, the largest size SQLite accepts]. */
const BOUNDARIES: [string, (n: number) => string, number][] = [
  ["a chain of + (height)", (h) => `SELECT ${chain(h)}`, 1000],
  ["AND terms", (n) => "SELECT 1 WHERE " + Array(n).fill("1=1").join(" AND "), 999],
  ["x IN (one constant): SQLite's x == +c", (h) => `SELECT 1 IN (${chain(h)})`, 998],
  ["NOT IN (one constant)", (h) => `SELECT 1 NOT IN (${chain(h)})`, 997],
  ["IN (list)", (h) => `SELECT 1 IN (${chain(h)}, 2)`, 999],
  ["NOT BETWEEN", (h) => `SELECT ${chain(h)} NOT BETWEEN 1 AND 2`, 998],
  ["BETWEEN's bounds do not count", (h) => `SELECT 1 BETWEEN 0 AND ${chain(h)}`, 1000],
  ["NOT LIKE", (h) => `SELECT ${chain(h)} NOT LIKE 'a'`, 998],
  ["COLLATE keeps a leaf's height", (h) => `SELECT ((${chain(h)}) COLLATE nocase) + 1`, 1000],
  ["a vector keeps a leaf's height", (h) => `SELECT ((1, ${chain(h)}) = (1, 2)) + 1`, 1000],
  ["CASE", (h) => `SELECT CASE WHEN 1 THEN 2 ELSE ${chain(h)} END`, 999],
  ["function arguments", (h) => `SELECT max(1, ${chain(h)})`, 999],
  ["NOT prefixes", (n) => "SELECT " + "NOT ".repeat(n) + "1", 999],
  ["a subquery's WHERE", (h) => `SELECT (SELECT 1 WHERE ${chain(h)})`, 499],
  ["FROM subquery in a subquery", (h) => `SELECT (SELECT 1 FROM (SELECT ${chain(h)}))`, 998],
  ["IN (SELECT) in IN (SELECT)", (h) => `SELECT 1 IN (SELECT 1 IN (SELECT ${chain(h)}))`, 332],
  ["nested scalar subqueries (resolve-time sum)", (n) => "SELECT " + nest("(SELECT ", "1", ")", n), 43],
  ["nested EXISTS", (n) => "SELECT " + nest("EXISTS (SELECT ", "1", ")", n), 43],
  ["nested IN (SELECT)", (n) => "SELECT 1 IN " + nest("(SELECT 1 IN ", "(1)", ")", n), 41],
  ["nested function calls (parser stack)", (n) => "SELECT " + nest("abs(", "1", ")", n), 831],
  ["nested second arguments (parser stack)", (n) => "SELECT " + nest("max(2,", "1", ")", n), 498],
  ["nested CASE WHEN (parser stack)", (n) => "SELECT " + nest("CASE WHEN 1 THEN ", "1", " END", n), 498],
  ["nested FROM subqueries (parser stack)", (n) => "SELECT * FROM " + nest("(SELECT * FROM ", "(SELECT 1)", ")", n), 414],
  ["nested CAST", (n) => "SELECT " + nest("CAST(", "1", " AS INT)", n), 999],
];

describe("nesting limits vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec("CREATE TABLE t(a)");
  afterAll(() => pair.close());
  for (const [name, mk, max] of BOUNDARIES) {
    it(`${name}: ${max} accepted, ${max + 1} refused with SQLite's message`, () => {
      const [okMine, okTheirs] = pair.both(mk(max));
      expect(okTheirs).not.toHaveProperty("error");
      expect(okMine).toEqual(okTheirs);
      const [badMine, badTheirs] = pair.both(mk(max + 1));
      expect(badTheirs).toHaveProperty("error");
      expect(badMine).toEqual(badTheirs);
    });
  }

  it("nesting far past every limit is a SqliteError (Recursion limit), as in SQLite", () => {
    for (const sql of [
      "SELECT " + nest("(", "1", ")", 10_000),
      "SELECT " + "NOT ".repeat(10_000) + "1",
      "SELECT " + "- ".repeat(10_000) + "1",
      "SELECT " + nest("(SELECT ", "1", ")", 5000),
    ]) {
      const [mine, theirs] = pair.both(sql);
      expect(mine).toEqual(theirs);
      expect(theirs).toHaveProperty("error");
    }
  });

  it("a long chain of + is refused by height, not by the JS stack", () => {
    const [mine, theirs] = pair.both(`SELECT ${chain(20_000)}`);
    expect(mine).toEqual(theirs);
  });

  it("runaway trigger recursion fails with SQLite's message and leaves the table as it was", () => {
    pair.exec("PRAGMA recursive_triggers = ON; CREATE TABLE r(a)");
    pair.both("CREATE TRIGGER rr AFTER INSERT ON r BEGIN INSERT INTO r VALUES (new.a + 1); END");
    const [mine, theirs] = pair.both("INSERT INTO r VALUES (1)");
    expect(theirs).toHaveProperty("error");
    expect(mine).toEqual(theirs);
    expect(pair.both("SELECT count(*) FROM r")[0]).toEqual(pair.both("SELECT count(*) FROM r")[1]);
  });
});
