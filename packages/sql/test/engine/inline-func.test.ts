/*
 * Inline built-ins (codegen/inline-func.ts) vs SQLite 3.53: coalesce/ifnull/iif/if
 * evaluate their arguments lazily (an argument that would fail is skipped when not
 * needed), likely/unlikely/likelihood evaluate only X, likelihood's P is checked at
 * prepare time; rows, storage classes, column names and errors compared exactly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE t(a INTEGER, b TEXT, c REAL, d);
INSERT INTO t VALUES(1, 'x', 1.5, NULL);
INSERT INTO t VALUES(NULL, 'y', NULL, 'd');
INSERT INTO t VALUES(NULL, NULL, 2.5, x'01');
INSERT INTO t VALUES(-9223372036854775808, NULL, NULL, NULL);
CREATE TABLE u(x, y);
INSERT INTO u VALUES(1, 2), (3, 4)
`;

const BAD = "abs(-9223372036854775808)";

const QUERIES: string[] = [
  `SELECT coalesce(1, ${BAD})`,
  `SELECT coalesce(NULL, 2.5, ${BAD})`,
  `SELECT coalesce(NULL, NULL, ${BAD})`,
  `SELECT ifnull(1, ${BAD})`,
  `SELECT ifnull(NULL, ${BAD})`,
  `SELECT iif(1, 2, ${BAD})`,
  `SELECT iif(0, ${BAD}, 'no')`,
  `SELECT iif(0, 2)`,
  `SELECT if(0, 1, 0, 2, 3)`,
  `SELECT if(0, 1, 1, 2, ${BAD})`,
  `SELECT iif(NULL, 1, 2)`,
  `SELECT iif('abc', 1, 2), iif('1x', 1, 2), iif(0.5, 1, 2)`,
  `SELECT likely(${BAD})`,
  `SELECT nullif(1, ${BAD})`,
  "SELECT typeof(coalesce(NULL, NULL))",
  "SELECT coalesce(1)",
  "SELECT ifnull(1)",
  "SELECT ifnull(1, 2, 3)",
  "SELECT iif(1)",
  "SELECT likely(1), unlikely('a'), likelihood(2.5, 0.5), likelihood(x'00', 1.0e0), likelihood(3, 0.0)",
  "SELECT likelihood(1, 1)",
  "SELECT likelihood(1, -0.5)",
  "SELECT LIKELIHOOD(1, 1.5)",
  "SELECT likelihood(1, ?)",
  "SELECT likelihood(1)",
  // over table rows
  "SELECT coalesce(a, b, c, d), typeof(coalesce(a, b, c, d)) FROM t",
  `SELECT coalesce(b, ${BAD}) FROM t WHERE b IS NOT NULL`,
  `SELECT coalesce(b, ${BAD}) FROM t`,
  "SELECT ifnull(a, 'none'), ifnull(c, d) FROM t",
  `SELECT iif(a IS NULL, 'null', iif(a < 0, 'neg', abs(a))) FROM t`,
  `SELECT iif(a > 0, a * 2, b || '!') AS v FROM t`,
  "SELECT a FROM t WHERE coalesce(a, 0) = 0",
  "SELECT a FROM t WHERE likely(a > 0)",
  "SELECT a FROM t WHERE unlikely(b = 'y')",
  "SELECT a FROM t WHERE likelihood(c > 2, 0.25)",
  "SELECT a FROM t WHERE iif(b IS NULL, 1, 0)",
  "SELECT coalesce(a, b) AS k, count(*) FROM t GROUP BY k ORDER BY k",
  "SELECT coalesce(max(a), 0), ifnull(sum(c), -1), iif(count(*) > 2, 'many', 'few') FROM t",
  "SELECT coalesce(NULL, (SELECT max(x) FROM u)), ifnull((SELECT y FROM u WHERE x = 9), 'none')",
  "SELECT x, coalesce((SELECT b FROM t WHERE a = x), 'missing') FROM u",
  "SELECT coalesce(a, b COLLATE NOCASE) = 'X' FROM t",
  "SELECT coalesce(a, b, c, d) FROM t ORDER BY 1",
];

describe("inline built-ins vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec(SETUP);
  afterAll(() => pair.close());
  for (const q of QUERIES) {
    it(q, () => {
      const [mine, theirs] = pair.both(q, false, q.includes("?") ? [0.5] : []);
      expect(mine).toEqual(theirs);
    });
  }
});
