/*
 * WITH in front of INSERT / UPDATE / DELETE, and WITH inside INSERT ... SELECT, vs
 * SQLite 3.53 (https://sqlite.org/lang_with.html): each case runs on a fresh pair of
 * databases, then the statement's own outcome (rows of RETURNING, or the error) and the
 * tables' contents (values, storage classes, names) must agree exactly.
 */
import { describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE t(a INTEGER, b TEXT);
INSERT INTO t VALUES(1, 'one'), (2, 'two'), (3, 'three'), (4, NULL);
CREATE TABLE c(x);
INSERT INTO c VALUES(100)
`;

const CASES: string[] = [
  // INSERT
  "WITH c(x) AS (VALUES(10),(11)) INSERT INTO t SELECT x, 'c' || x FROM c",
  "WITH c AS (SELECT 5 AS x) INSERT INTO t VALUES((SELECT x FROM c), 'five')",
  "INSERT INTO t WITH c(x) AS (SELECT 7) SELECT x, 'seven' FROM c",
  "WITH d(x) AS (SELECT 8) INSERT INTO t WITH e(y) AS (SELECT x + 1 FROM d) SELECT y, 'nine' FROM e",
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) INSERT INTO t SELECT i * 10, typeof(i) FROM n",
  "WITH t(a, b) AS (SELECT 99, 'cte') INSERT INTO t SELECT * FROM t",
  "WITH c(x) AS (SELECT max(a) FROM t) INSERT INTO t(a) SELECT x + 1 FROM c",
  "WITH c(x) AS (SELECT 1) INSERT INTO t DEFAULT VALUES",
  "WITH c(x) AS (SELECT 6) INSERT INTO t SELECT x, 'r' FROM c RETURNING a, b",
  "WITH c(x) AS (SELECT 1) INSERT INTO c SELECT x + 1 FROM c",
  "WITH c AS (SELECT 1), c AS (SELECT 2) INSERT INTO t VALUES(1, 2)",
  "WITH c(x, y) AS (SELECT 1) INSERT INTO t SELECT * FROM c",
  "WITH c(x) AS (SELECT 1) INSERT INTO t SELECT nosuch FROM c",
  "INSERT INTO t WITH c(x) AS (SELECT 1, 2) SELECT * FROM c",
  // UPDATE
  "WITH c(x) AS (SELECT 1 UNION ALL SELECT 3) UPDATE t SET b = upper(b) WHERE a IN (SELECT x FROM c)",
  "WITH c(x) AS (SELECT 42) UPDATE t SET a = (SELECT x FROM c) WHERE b = 'two'",
  "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 2 FROM n WHERE i < 4) UPDATE t SET b = 'even' WHERE a IN n",
  "WITH t(a) AS (SELECT 2) UPDATE t SET b = 'cte-named' WHERE a IN (SELECT a FROM t)",
  "WITH c(x) AS (SELECT 3) UPDATE t SET b = 'x' WHERE a = (SELECT x FROM c) RETURNING *",
  "WITH c(x) AS (SELECT 3) UPDATE t SET b = (SELECT y FROM c)",
  // DELETE
  "WITH c(x) AS (VALUES(1),(4)) DELETE FROM t WHERE a IN (SELECT x FROM c)",
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) DELETE FROM t WHERE a IN n",
  "WITH t(a) AS (SELECT 2) DELETE FROM t WHERE a IN (SELECT a FROM t)",
  "WITH c(x) AS (SELECT 2) DELETE FROM t WHERE EXISTS (SELECT 1 FROM c WHERE x = a) RETURNING a, b",
  "WITH c(x) AS (SELECT 1) DELETE FROM c WHERE x = 100",
  "WITH c(x) AS (SELECT 1) DELETE FROM t WHERE a = (SELECT nosuch FROM c)",
  "WITH c AS (SELECT 1), c AS (SELECT 2) DELETE FROM t",
];

describe("WITH ... INSERT/UPDATE/DELETE vs SQLite 3.53", () => {
  for (const q of CASES) {
    it(q, () => {
      const pair = new Pair();
      try {
        pair.exec(SETUP);
        const [mine, theirs] = pair.both(q);
        expect(mine).toEqual(theirs);
        const [t1, t2] = pair.both("SELECT rowid, a, typeof(a), b, typeof(b) FROM t ORDER BY rowid");
        expect(t1).toEqual(t2);
        const [c1, c2] = pair.both("SELECT rowid, x, typeof(x) FROM c ORDER BY rowid");
        expect(c1).toEqual(c2);
      } finally {
        pair.close();
      }
    });
  }
});
