/*
 * Window functions, differential against SQLite 3.53: built-ins, aggregates over every
 * frame kind, named windows and their errors. Rows are compared in order when the query
 * orders them (every query here has an ORDER BY or a single window whose order decides).
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE t(id INTEGER PRIMARY KEY, g TEXT, x INTEGER, y REAL, s TEXT COLLATE NOCASE);
CREATE TABLE eq(id INTEGER PRIMARY KEY, n, s TEXT COLLATE NOCASE);
INSERT INTO eq VALUES(1, 2, 'a'), (2, 2.0, 'A'), (3, 5, 'b'), (4, 2, 'a'), (5, 7, 'C'), (6, 7.0, 'c'), (7, 9, 'B');
INSERT INTO t VALUES(1, 'a', 1, 1.5, 'p');
INSERT INTO t VALUES(2, 'a', 2, NULL, 'Q');
INSERT INTO t VALUES(3, 'a', 2, 2.5, 'q');
INSERT INTO t VALUES(4, 'b', NULL, 4.0, 'r');
INSERT INTO t VALUES(5, 'b', 5, -1.0, NULL);
INSERT INTO t VALUES(6, 'b', 5, 0.5, 's');
INSERT INTO t VALUES(7, 'c', 7, 7.25, 'T');
INSERT INTO t VALUES(8, NULL, 3, 3.0, 'u');
INSERT INTO t VALUES(9, 'a', 10, 9.5, 'v');
CREATE TABLE m(k, v);
INSERT INTO m VALUES(1, 'one'),(2.5, 'two.5'),('txt', 'text'),(NULL, 'null'),(3, 'three'),(x'01', 'blob'),(2, 'two')
`;

const FRAMES = [
  "",
  "ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING",
  "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
  "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
  "ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING",
  "ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING",
  "ROWS 2 PRECEDING",
  "RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING",
  "RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
  "RANGE BETWEEN 2 PRECEDING AND 0 FOLLOWING",
  "RANGE BETWEEN 1.5 FOLLOWING AND 4 FOLLOWING",
  "GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING",
  "GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING",
  "GROUPS 1 PRECEDING",
  "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW",
  "RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP",
  "ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES",
  "GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE NO OTHERS",
];

const QUERIES: string[] = [
  "SELECT id, row_number() OVER (ORDER BY id) FROM t",
  "SELECT id, x, row_number() OVER (ORDER BY x, id), rank() OVER (ORDER BY x), dense_rank() OVER (ORDER BY x) FROM t ORDER BY id",
  "SELECT id, g, rank() OVER (PARTITION BY g ORDER BY x), percent_rank() OVER (PARTITION BY g ORDER BY x), cume_dist() OVER (PARTITION BY g ORDER BY x) FROM t ORDER BY id",
  "SELECT id, ntile(2) OVER (ORDER BY id), ntile(4) OVER (ORDER BY id), ntile(20) OVER (ORDER BY id) FROM t ORDER BY id",
  "SELECT id, g, ntile(2) OVER (PARTITION BY g ORDER BY id) FROM t ORDER BY id",
  "SELECT id, lag(x) OVER (ORDER BY id), lead(x) OVER (ORDER BY id), lag(x, 2, -1) OVER (ORDER BY id), lead(x, 3, 'none') OVER (ORDER BY id) FROM t ORDER BY id",
  "SELECT id, lag(x, -1) OVER (ORDER BY id), lead(x, 0) OVER (ORDER BY id), lag(x, NULL) OVER (ORDER BY id) FROM t ORDER BY id",
  "SELECT id, first_value(x) OVER w, last_value(x) OVER w, nth_value(x, 2) OVER w FROM t WINDOW w AS (ORDER BY id) ORDER BY id",
  "SELECT id, first_value(x) OVER w, last_value(x) OVER w, nth_value(x, 3) OVER w FROM t WINDOW w AS (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY id",
  "SELECT id, sum(x) OVER (), count(*) OVER (), avg(y) OVER () FROM t ORDER BY id",
  "SELECT id, sum(x) OVER (PARTITION BY g) FROM t ORDER BY id",
  "SELECT id, sum(x) OVER (ORDER BY x), count(x) OVER (ORDER BY x) FROM t ORDER BY id",
  "SELECT id, group_concat(id, '.') OVER (PARTITION BY g ORDER BY id DESC) FROM t ORDER BY id",
  "SELECT id, min(x) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), max(s) OVER (ORDER BY id ROWS 2 PRECEDING) FROM t ORDER BY id",
  "SELECT id, total(y) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t ORDER BY id",
  "SELECT id, count(*) FILTER (WHERE x > 2) OVER (ORDER BY id), sum(x) FILTER (WHERE g = 'a') OVER () FROM t ORDER BY id",
  "SELECT id, x + row_number() OVER (ORDER BY id) * 10, coalesce(lag(s) OVER (ORDER BY id), 'first') FROM t ORDER BY id",
  "SELECT id, row_number() OVER (ORDER BY id DESC) FROM t ORDER BY 2",
  "SELECT id FROM t ORDER BY row_number() OVER (ORDER BY x DESC, id)",
  "SELECT id, row_number() OVER (ORDER BY id) FROM t ORDER BY id LIMIT 3 OFFSET 2",
  "SELECT DISTINCT g, count(*) OVER (PARTITION BY g) FROM t ORDER BY g",
  "SELECT id, rank() OVER (ORDER BY s) FROM t ORDER BY id",
  "SELECT id, rank() OVER (ORDER BY s COLLATE BINARY) FROM t ORDER BY id",
  "SELECT id, count(*) OVER (PARTITION BY s) FROM t ORDER BY id",
  "SELECT id, x, rank() OVER (ORDER BY x DESC NULLS FIRST), rank() OVER (ORDER BY x NULLS LAST) FROM t ORDER BY id",
  "SELECT id, sum(x) OVER w1, sum(x) OVER w2 FROM t WINDOW w1 AS (PARTITION BY g), w2 AS (w1 ORDER BY id) ORDER BY id",
  "SELECT id, sum(x) OVER (w ROWS 1 PRECEDING) FROM t WINDOW w AS (ORDER BY id) ORDER BY id",
  "SELECT id, sum(x) OVER (w ORDER BY id) FROM t WINDOW w AS (PARTITION BY g) ORDER BY id",
  "SELECT row_number() OVER () FROM t WHERE 0",
  "SELECT k, v, group_concat(v) OVER (ORDER BY k RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM m ORDER BY k",
  "SELECT k, v, count(*) OVER (ORDER BY k DESC RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM m ORDER BY k",
  "SELECT k, count(*) OVER (ORDER BY k NULLS LAST RANGE BETWEEN 0.5 PRECEDING AND 1 FOLLOWING) FROM m ORDER BY k NULLS LAST",
  "SELECT k, count(*) OVER (ORDER BY k DESC NULLS FIRST RANGE 1 PRECEDING) FROM m ORDER BY k DESC NULLS FIRST",
  "SELECT id, sum(x) OVER (ORDER BY id ROWS BETWEEN ? PRECEDING AND CURRENT ROW) FROM t ORDER BY id",
  // errors
  "SELECT row_number() FROM t",
  "SELECT id FROM t WHERE sum(x) OVER () > 1",
  "SELECT abs(x) OVER () FROM t",
  "SELECT count(DISTINCT x) OVER () FROM t",
  "SELECT sum(x) OVER w FROM t",
  "SELECT sum(x) OVER (w ORDER BY x) FROM t WINDOW w AS (ORDER BY id)",
  "SELECT sum(x) OVER (w PARTITION BY x) FROM t WINDOW w AS (ORDER BY id)",
  "SELECT sum(x) OVER (w) FROM t WINDOW w AS (ROWS 1 PRECEDING)",
  "SELECT sum(x) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
  "SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t",
  "SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW) FROM t",
  "SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM t",
  "SELECT sum(x) OVER (ORDER BY x GROUPS BETWEEN 1.5 PRECEDING AND CURRENT ROW) FROM t",
  "SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN 'a' PRECEDING AND CURRENT ROW) FROM t",
  "SELECT ntile(0) OVER () FROM t",
  "SELECT ntile(x) OVER (ORDER BY id) FROM t",
  "SELECT nth_value(x, 0) OVER () FROM t",
  "SELECT row_number(1) OVER () FROM t",
  "SELECT lag() OVER () FROM t",
  "SELECT row_number() FILTER (WHERE 1) OVER () FROM t",
  "SELECT sum(row_number() OVER ()) OVER () FROM t",
  // min()/max() over a moving frame: among equal values (2 and 2.0, 'a' and 'A' under
  // NOCASE) the latest row's wins, for min as for max (SQLite's ephemeral index + OP_Last).
  ...["ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING", "ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", "ROWS BETWEEN 2 PRECEDING AND CURRENT ROW", "ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING"]
    .map((f) => `SELECT id, min(n) OVER w, max(n) OVER w, min(s) OVER w, max(s) OVER w FROM eq WINDOW w AS (ORDER BY id ${f}) ORDER BY id`),
];

describe("window functions vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec(SETUP);
  afterAll(() => pair.close());
  for (const q of QUERIES) {
    it(q, () => {
      const [a, b] = pair.both(q, false, q.includes("?") ? [2] : []);
      expect(a).toEqual(b);
    });
  }
  for (const f of FRAMES) {
    for (const fn of ["sum(x)", "count(*)", "group_concat(id)", "min(y)", "max(s)", "first_value(id)", "last_value(id)", "nth_value(id, 2)", "avg(y)", "total(x)"]) {
      const order = f.startsWith("RANGE") && /PRECEDING AND|FOLLOWING AND|\d+ FOLLOWING|\d+ PRECEDING/.test(f) ? "ORDER BY x" : "ORDER BY x, id";
      const q = `SELECT id, ${fn} OVER (PARTITION BY g ${order} ${f}) FROM t ORDER BY id`;
      it(q, () => {
        const [a, b] = pair.both(q);
        expect(a).toEqual(b);
      });
    }
  }
});
