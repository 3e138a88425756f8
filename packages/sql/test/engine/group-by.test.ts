/*
 * GROUP BY / HAVING / aggregates, differential against SQLite 3.53: every query's rows
 * (values and storage classes), column names and errors must agree exactly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE t(a INTEGER, b TEXT, c REAL, d, e TEXT COLLATE NOCASE);
INSERT INTO t VALUES(1, 'x', 1.5, 10, 'A');
INSERT INTO t VALUES(1, 'y', 2.5, NULL, 'a');
INSERT INTO t VALUES(2, 'x', NULL, 'txt', 'b');
INSERT INTO t VALUES(2, NULL, 4.0, x'0102', 'B');
INSERT INTO t VALUES(NULL, 'z', 5.5, 3.25, NULL);
INSERT INTO t VALUES(3, 'x', -1.0, 7, 'c');
INSERT INTO t VALUES(1, 'x', 0.5, 10, 'A');
INSERT INTO t VALUES(NULL, NULL, NULL, NULL, NULL);
CREATE TABLE empty(a, b);
CREATE TABLE n(i INTEGER PRIMARY KEY, g, v);
INSERT INTO n VALUES(1, 1, 5),(2, 1, 3),(3, 2, 3),(4, 2, 9),(5, 2, 9),(6, 3, NULL),(7, 3, 1)
`;

const QUERIES: string[] = [
  // basic grouping
  "SELECT a, count(*) FROM t GROUP BY a",
  "SELECT a, count(*), count(b), sum(c), total(c), avg(c), min(b), max(b) FROM t GROUP BY a",
  "SELECT b, group_concat(a) FROM t GROUP BY b",
  "SELECT a, b, count(*) FROM t GROUP BY a, b",
  "SELECT a, b, count(*) FROM t GROUP BY b, a",
  "SELECT count(*) FROM t GROUP BY a",
  "SELECT a+1, count(*) FROM t GROUP BY a+1",
  "SELECT a % 2 AS odd, sum(c) FROM t GROUP BY odd",
  "SELECT a FROM t GROUP BY 1",
  "SELECT a, b FROM t GROUP BY 2, 1",
  "SELECT typeof(d), count(*) FROM t GROUP BY typeof(d)",
  "SELECT d, count(*) FROM t GROUP BY d",
  "SELECT e, count(*) FROM t GROUP BY e",
  "SELECT e, count(*) FROM t GROUP BY e COLLATE BINARY",
  "SELECT b, count(*) FROM t GROUP BY b COLLATE NOCASE",
  "SELECT upper(b), count(*) FROM t GROUP BY upper(b)",
  "SELECT count(*) FROM t GROUP BY 'const'",
  "SELECT * FROM t GROUP BY a",
  "SELECT b, c FROM t GROUP BY a",
  // empty input
  "SELECT count(*), sum(a), max(b), group_concat(a) FROM empty",
  "SELECT a, count(*) FROM empty GROUP BY a",
  "SELECT count(*) FROM t WHERE 0",
  "SELECT count(*), a FROM t WHERE 0",
  "SELECT count(*) FROM t WHERE 0 GROUP BY a",
  "SELECT a, count(*) FROM t WHERE c > 1 GROUP BY a",
  // HAVING
  "SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1",
  "SELECT a, count(*) AS n FROM t GROUP BY a HAVING n > 1",
  "SELECT a FROM t GROUP BY a HAVING max(c) > 2",
  "SELECT a FROM t GROUP BY a HAVING a > 1",
  "SELECT a, sum(c) FROM t GROUP BY a HAVING sum(c) IS NULL",
  "SELECT count(*) FROM t HAVING count(*) > 3",
  "SELECT count(*) FROM t HAVING count(*) > 30",
  "SELECT a FROM t GROUP BY a HAVING b = 'x'",
  // ORDER BY with aggregates
  "SELECT a, count(*) FROM t GROUP BY a ORDER BY count(*) DESC, a",
  "SELECT a, count(*) AS n FROM t GROUP BY a ORDER BY n, a DESC",
  "SELECT a, sum(c) FROM t GROUP BY a ORDER BY 2",
  "SELECT a FROM t GROUP BY a ORDER BY max(c)",
  "SELECT a FROM t GROUP BY a ORDER BY a DESC LIMIT 2",
  "SELECT a FROM t GROUP BY a ORDER BY a LIMIT 2 OFFSET 1",
  "SELECT a FROM t GROUP BY a LIMIT 2 OFFSET 1",
  "SELECT a FROM t GROUP BY a LIMIT 0",
  "SELECT count(*) FROM t LIMIT 1 OFFSET 1",
  "SELECT sum(a) FROM t ORDER BY b",
  // DISTINCT
  "SELECT DISTINCT count(*) FROM t GROUP BY a",
  "SELECT DISTINCT b FROM t GROUP BY a, b",
  "SELECT count(DISTINCT a), count(DISTINCT b), sum(DISTINCT a), group_concat(DISTINCT b) FROM t",
  "SELECT a, count(DISTINCT b), count(DISTINCT e) FROM t GROUP BY a",
  "SELECT count(DISTINCT e) FROM t",
  "SELECT count(DISTINCT e COLLATE BINARY) FROM t",
  "SELECT min(DISTINCT c), max(DISTINCT c) FROM t",
  // FILTER
  "SELECT count(*) FILTER (WHERE a > 1), sum(c) FILTER (WHERE b = 'x') FROM t",
  "SELECT a, count(*) FILTER (WHERE c > 1) FROM t GROUP BY a",
  "SELECT a, count(DISTINCT b) FILTER (WHERE c IS NOT NULL) FROM t GROUP BY a",
  "SELECT group_concat(b) FILTER (WHERE 0) FROM t",
  // ORDER BY inside aggregates
  "SELECT group_concat(b ORDER BY c) FROM t",
  "SELECT group_concat(b ORDER BY c DESC NULLS LAST) FROM t",
  "SELECT a, group_concat(b, '|' ORDER BY b DESC) FROM t GROUP BY a",
  "SELECT group_concat(DISTINCT b ORDER BY b DESC) FROM t",
  "SELECT string_agg(b, ';' ORDER BY a, c) FROM t",
  "SELECT group_concat(b ORDER BY c) FILTER (WHERE a = 1) FROM t",
  // nested in expressions
  "SELECT a, count(*) * 2 + sum(a), coalesce(max(d), 'none') FROM t GROUP BY a",
  "SELECT a, CASE WHEN count(*) > 1 THEN 'many' ELSE 'one' END FROM t GROUP BY a",
  "SELECT max(c) - min(c), abs(sum(c)) FROM t",
  "SELECT count(*) + 1 FROM empty",
  "SELECT a, a * count(*) FROM t GROUP BY a",
  "SELECT 1 FROM t GROUP BY a",
  // bare columns: first row, or the min/max row
  "SELECT b, count(*) FROM t",
  "SELECT b, max(c) FROM t",
  "SELECT b, min(c) FROM t",
  "SELECT b, min(c), max(c) FROM t",
  "SELECT b, max(c), min(c) FROM t",
  "SELECT b, max(c), count(*) FROM t",
  "SELECT i, max(v) FROM n GROUP BY g",
  "SELECT i, min(v) FROM n GROUP BY g",
  "SELECT i, v, g FROM n GROUP BY g",
  "SELECT i, max(v) FROM n",
  "SELECT i, min(v) FROM n",
  "SELECT g, i, count(*) FROM n GROUP BY g HAVING i > 1",
  // rowid and integer primary key
  "SELECT g, max(rowid), min(i) FROM n GROUP BY g",
  "SELECT g, sum(v) FROM n WHERE i > 2 GROUP BY g",
  "SELECT g, sum(v) FROM n WHERE i = 4 GROUP BY g",
  // no FROM
  "SELECT count(*)",
  "SELECT sum(1), max(2)",
  "SELECT count(*) WHERE 0",
  "SELECT count(*) GROUP BY 1",
  // errors
  "SELECT count(*) FROM t WHERE count(*) > 1",
  "SELECT a FROM t WHERE sum(a) > 1 GROUP BY a",
  "SELECT a FROM t GROUP BY count(*)",
  "SELECT count(*) AS x FROM t GROUP BY x",
  "SELECT count(*) FROM t GROUP BY 1",
  "SELECT sum(count(*)) FROM t",
  "SELECT a FROM t HAVING a > 1",
  "SELECT a FROM t GROUP BY 3",
  "SELECT a FROM t GROUP BY 0",
  "SELECT a FROM t GROUP BY -1",
  "SELECT a FROM t GROUP BY a, 2",
  "SELECT a FROM t ORDER BY count(*)",
  "SELECT a FROM t GROUP BY a ORDER BY 2",
  "SELECT count(a, b) FROM t",
  "SELECT sum(*) FROM t",
  "SELECT group_concat(DISTINCT a, ',') FROM t",
  "SELECT count(*) FILTER (WHERE count(*) > 1) FROM t",
  "SELECT group_concat(a ORDER BY count(*)) FROM t",
  "SELECT abs(a) FILTER (WHERE 1) FROM t",
  "SELECT abs(a ORDER BY b) FROM t",
  "SELECT a FROM t GROUP BY nosuch",
  "SELECT a FROM t GROUP BY a HAVING nosuch > 1",
  "SELECT a FROM t LIMIT count(*)",
];

describe("GROUP BY and aggregates vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec(SETUP);
  afterAll(() => pair.close());
  for (const q of QUERIES) {
    it(q, () => {
      const [mine, theirs] = pair.both(q);
      expect(mine).toEqual(theirs);
    });
  }
});
