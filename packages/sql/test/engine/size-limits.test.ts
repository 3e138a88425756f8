/*
 * SQLite's size limits (limits.html), compared with SQLite 3.53: SQLITE_MAX_COLUMN (2000)
 * for tables, indexes, result sets, SET lists and GROUP/ORDER BY terms;
 * SQLITE_MAX_FUNCTION_ARG (1000); JSON nesting (1000); results longer than
 * SQLITE_MAX_LENGTH refused before they are built (a function that would build a
 * billion-character string must not take the process down with it).
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const list = (n: number, item: (i: number) => string): string => Array.from({ length: n }, (_, i) => item(i)).join(",");
const cols = (n: number): string => list(n, (i) => `c${i}`);

/** [name, statement for a size, the largest size SQLite accepts]. */
const BOUNDARIES: [string, (n: number) => string, number][] = [
  ["columns of a table", (n) => `CREATE TABLE t${n}(${cols(n)})`, 2000],
  ["columns of a quoted table name", (n) => `CREATE TABLE "my t${n}"(${cols(n)})`, 2000],
  ["result columns", (n) => `SELECT ${list(n, () => "1")}`, 2000],
  ["result columns from *", (n) => `SELECT * FROM half, (SELECT ${list(n - 1000, (i) => `1 AS x${i}`)})`, 2000],
  ["VALUES columns", (n) => `VALUES (${list(n, () => "1")})`, 2000],
  ["function arguments", (n) => `SELECT max(${list(n, () => "1")})`, 1000],
  ["GROUP BY terms", (n) => `SELECT 1 GROUP BY ${list(n, () => "1")}`, 2000],
  ["ORDER BY terms", (n) => `SELECT 1 ORDER BY ${list(n, () => "1")}`, 2000],
  ["window ORDER BY terms", (n) => `SELECT count(*) OVER (ORDER BY ${list(n, () => "1")})`, 2000],
  ["aggregate ORDER BY terms", (n) => `SELECT group_concat(1 ORDER BY ${list(n, () => "1")})`, 2000],
  ["index columns", (n) => `CREATE INDEX wi${n} ON w(${list(n, (i) => `c${i % 2000}`)})`, 2000],
  ["SET list", (n) => `UPDATE w SET ${list(n, (i) => `c${i % 2000} = 1`)}`, 2000],
  ["nested JSON arrays", (n) => `SELECT json_valid('${"[".repeat(n)}${"]".repeat(n)}')`, 1000],
];

describe("size limits vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec(`CREATE TABLE w(${cols(2000)}); CREATE TABLE half(${cols(1000)})`);
  afterAll(() => pair.close());
  for (const [name, mk, max] of BOUNDARIES) {
    it(`${name}: ${max} accepted, ${max + 1} refused as SQLite refuses it`, () => {
      const [okMine, okTheirs] = pair.both(mk(max));
      expect(okMine).toEqual(okTheirs);
      const [badMine, badTheirs] = pair.both(mk(max + 1));
      expect(badMine).toEqual(badTheirs);
      expect(JSON.stringify(badTheirs)).not.toEqual(JSON.stringify(okTheirs));
    });
  }

  it("ALTER TABLE ADD COLUMN on a table of 2000 columns names SQLite's working copy", () => {
    const [mine, theirs] = pair.both("ALTER TABLE w ADD COLUMN extra");
    expect(theirs).toHaveProperty("error");
    expect(mine).toEqual(theirs);
  });

  it("results past SQLITE_MAX_LENGTH: TOOBIG (replace) or NULL (printf), without building them", () => {
    for (const sql of [
      "SELECT replace(hex(zeroblob(100000)), '0', hex(zeroblob(10000)))",
      "SELECT printf('%2000000000d', 1)",
      "SELECT printf('%-*d|', 1500000000, 7)",
      "SELECT length(zeroblob(1000000001))",
    ]) pair.expectSame(sql);
  });
});
