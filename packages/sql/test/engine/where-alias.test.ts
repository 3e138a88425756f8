/*
 * Result-column aliases in WHERE (resolve.c lookupName with NC_UEList) vs SQLite 3.53:
 * an unqualified name that is no column of the FROM tables but is a result alias means
 * that result expression; a real column of the same name wins; the first of duplicate
 * aliases wins; an aliased aggregate or window function is an error. Rows, storage
 * classes, column names and errors compared exactly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES(1, 'x', 1.5), (2, 'y', NULL), (3, NULL, 2.5), (NULL, 'z', 0.5), (5, 'x', -1);
CREATE INDEX tb ON t(b);
CREATE TABLE u(k INTEGER PRIMARY KEY, v);
INSERT INTO u VALUES(1, 'one'), (2, 'two'), (3, 'three')
`;

const QUERIES: string[] = [
  "SELECT a + 1 AS x FROM t WHERE x > 2",
  "SELECT a + 10 AS b FROM t WHERE b > 2",
  "SELECT a + 10 AS b FROM t WHERE b = 'x'",
  "SELECT a AS x, b AS x FROM t WHERE x > 2",
  "SELECT 5 AS x WHERE x > 2",
  "SELECT 5 AS x WHERE x > 7",
  "SELECT (SELECT 1) AS x FROM t WHERE x = 1",
  "SELECT a AS x FROM t WHERE x IN (1, 3)",
  "SELECT abs(a) AS x FROM t WHERE x BETWEEN 2 AND 3 ORDER BY x DESC",
  "SELECT b || '!' AS s, typeof(c) FROM t WHERE s LIKE 'x%'",
  "SELECT coalesce(c, 0) AS z FROM t WHERE z IS NOT NULL AND z < 2 ORDER BY z",
  "SELECT k * 2 AS d, v FROM u WHERE d = 4",
  "SELECT k AS key, v FROM u WHERE key = 2",
  "SELECT v AS k FROM u WHERE k = 1",
  "SELECT a AS x FROM t WHERE t.x > 1",
  "SELECT a AS x FROM t WHERE NOT x",
  "SELECT a AS x FROM t WHERE x IS NULL",
  "SELECT a AS x FROM t WHERE CASE WHEN x > 2 THEN 1 ELSE 0 END",
  "SELECT a AS x, x + 1 AS y FROM t",
  "SELECT count(*) AS n FROM t WHERE n > 1",
  "SELECT sum(a) AS s FROM t WHERE s > 1 GROUP BY b",
  "SELECT row_number() OVER () AS n FROM t WHERE n > 1",
  "SELECT a % 2 AS odd, count(*) FROM t WHERE odd = 1 GROUP BY odd",
  "SELECT DISTINCT b AS q FROM t WHERE q IS NOT NULL ORDER BY q",
  "SELECT a AS x, rank() OVER (ORDER BY a) FROM t WHERE x > 1",
  "SELECT a AS x FROM t WHERE x > 1 LIMIT 1 OFFSET 1",
  "SELECT x FROM (SELECT a + 100 AS x FROM t WHERE x > 101)",
  "SELECT a AS x FROM t WHERE a IN (SELECT k FROM u WHERE k = 2)",
  "SELECT a AS nosuch2 FROM t WHERE nosuch > 1",
  "SELECT a + 1 AS x FROM t UNION ALL SELECT k AS x FROM u WHERE x > 2",
];

describe("result aliases in WHERE vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec(SETUP);
  afterAll(() => pair.close());
  for (const q of QUERIES) {
    it(q, () => {
      // Row order without ORDER BY is unspecified (SQLite may scan an index).
      const [mine, theirs] = pair.both(q, !q.includes("ORDER BY"));
      expect(mine).toEqual(theirs);
    });
  }
});
