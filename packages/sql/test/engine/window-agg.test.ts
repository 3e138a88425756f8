/*
 * Window functions in aggregate queries (codegen/window-agg.ts) vs SQLite 3.53: the
 * window pass runs over the grouped rows. Rows, storage classes, column names and errors
 * compared exactly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE t(a INTEGER, b INTEGER, c TEXT, d REAL, e TEXT COLLATE NOCASE);
INSERT INTO t VALUES(1, 10, 'x', 1.5, 'A'), (1, 20, 'y', 2.5, 'a'), (2, 5, 'x', NULL, 'b');
INSERT INTO t VALUES(2, 7, NULL, 4.0, 'B'), (3, 30, 'z', -1.0, 'c'), (NULL, 1, 'x', 0.5, NULL);
INSERT INTO t VALUES(4, 12, 'y', 3.0, 'C'), (4, NULL, 'z', 2.0, 'c');
CREATE TABLE empty(a, b)
`;

const QUERIES: string[] = [
  "SELECT a, sum(b), rank() OVER (ORDER BY sum(b)) FROM t GROUP BY a",
  "SELECT a, sum(b), rank() OVER (ORDER BY sum(b) DESC) FROM t GROUP BY a ORDER BY a",
  "SELECT a, count(*), row_number() OVER (ORDER BY a DESC) AS rn FROM t GROUP BY a ORDER BY rn",
  "SELECT a, sum(b), sum(sum(b)) OVER (ORDER BY a) FROM t GROUP BY a",
  "SELECT a, sum(sum(b)) OVER () AS total, sum(b) * 100 / sum(sum(b)) OVER () FROM t GROUP BY a ORDER BY a",
  "SELECT c, count(*), dense_rank() OVER (ORDER BY count(*)) FROM t GROUP BY c ORDER BY c",
  "SELECT a % 2 AS odd, a, max(d), rank() OVER (PARTITION BY a % 2 ORDER BY max(d)) FROM t WHERE a IS NOT NULL GROUP BY a ORDER BY a",
  "SELECT a, lag(sum(b)) OVER (ORDER BY a), lead(a, 1, -1) OVER (ORDER BY a) FROM t GROUP BY a",
  "SELECT a, avg(d), first_value(a) OVER w, last_value(avg(d)) OVER w FROM t GROUP BY a WINDOW w AS (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)",
  "SELECT count(*), rank() OVER () FROM t",
  "SELECT sum(b), row_number() OVER (ORDER BY sum(b)) FROM empty",
  "SELECT a, sum(b) FROM t GROUP BY a HAVING sum(b) > 10 ORDER BY rank() OVER (ORDER BY sum(b))",
  "SELECT a, sum(b), rank() OVER (ORDER BY sum(b)) FROM t GROUP BY a HAVING count(*) > 1",
  "SELECT DISTINCT count(*), rank() OVER (ORDER BY count(*)) FROM t GROUP BY a",
  "SELECT a, sum(b), rank() OVER (ORDER BY sum(b)) FROM t GROUP BY a ORDER BY a LIMIT 2 OFFSET 1",
  "SELECT e, count(*), row_number() OVER (ORDER BY e) FROM t GROUP BY e",
  "SELECT a, group_concat(c), ntile(2) OVER (ORDER BY a) FROM t GROUP BY a",
  "SELECT a, b, count(*) OVER (PARTITION BY a) FROM t GROUP BY a, b ORDER BY a, b",
  "SELECT typeof(sum(d)), typeof(sum(sum(d)) OVER ()) FROM t GROUP BY a",
  "SELECT a, sum(b), percent_rank() OVER (ORDER BY sum(b)), cume_dist() OVER (ORDER BY sum(b)) FROM t GROUP BY a",
  "SELECT a, max(b) - min(b) AS spread, avg(max(b) - min(b)) OVER (ORDER BY a ROWS 1 PRECEDING) FROM t GROUP BY a",
  "SELECT a AS g, sum(b), rank() OVER (ORDER BY g) FROM t GROUP BY g",
  "SELECT a, sum(b) FILTER (WHERE b > 5), rank() OVER (ORDER BY sum(b) FILTER (WHERE b > 5)) FROM t GROUP BY a",
  "SELECT a, rank() OVER (ORDER BY sum(b)) FROM t GROUP BY a",
  "SELECT a, b, rank() OVER (ORDER BY sum(b)) FROM t GROUP BY a",
  "SELECT a, sum(rank() OVER ()) FROM t GROUP BY a",
  "SELECT a, rank() OVER (ORDER BY nosuch) FROM t GROUP BY a",
];

describe("window functions in aggregate queries vs SQLite 3.53", () => {
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
