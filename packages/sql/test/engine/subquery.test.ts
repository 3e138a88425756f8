/*
 * Differential tests for nested queries against SQLite 3.53 (better-sqlite3): scalar
 * subqueries, IN / NOT IN (SELECT ...) with NULLs, EXISTS, correlated subqueries, row
 * values, subqueries in FROM, compound SELECTs, VALUES, CTEs (ordinary and recursive)
 * and views. Every statement's rows (values with storage classes, in order) and errors
 * (code + message) must agree exactly.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata } from "./support.js";

export const SETUP = [
  "CREATE TABLE t(a INTEGER, b TEXT, c)",
  "INSERT INTO t VALUES(1,'x',1.5),(2,'y',NULL),(NULL,'z',3),(2,NULL,'2'),(3,'X',x'01'),(3,'x',3)",
  "CREATE TABLE u(x, y TEXT COLLATE NOCASE)",
  "INSERT INTO u VALUES(1,'X'),(2,NULL),(3,'3'),('2','y'),(NULL,'z'),(1,'x')",
  "CREATE TABLE e(k)",
];

export const SCRIPTS: Record<string, string[]> = {
  scalar: [
    "SELECT (SELECT max(a) FROM t)",
    "SELECT (SELECT a FROM t WHERE a > 100)",
    "SELECT (SELECT a FROM t ORDER BY a DESC), (SELECT b FROM t ORDER BY b LIMIT 1 OFFSET 2)",
    "SELECT a, (SELECT count(*) FROM u WHERE x = a) FROM t",
    "SELECT a, (SELECT y FROM u WHERE u.x = t.a ORDER BY y) AS yy FROM t ORDER BY yy, a",
    "SELECT (SELECT 1, 2)",
    "SELECT a FROM t WHERE (SELECT 1, 2) = 1",
    "SELECT a FROM t WHERE a = (SELECT min(x) FROM u)",
    "SELECT (SELECT x FROM u WHERE 0) IS NULL",
    "SELECT typeof((SELECT c FROM t WHERE a = 1)), typeof((SELECT y FROM u LIMIT 1))",
    "SELECT a FROM t ORDER BY (SELECT count(*) FROM u WHERE u.x = t.a), a",
    "SELECT (SELECT (SELECT a + 1))  FROM t",
    "SELECT a, (SELECT (SELECT count(*) FROM u WHERE x = t.a) + 1) FROM t",
    "SELECT (SELECT a) FROM t",
    "SELECT count(*), (SELECT max(x) FROM u) FROM t",
    "SELECT a FROM t WHERE (SELECT y FROM u WHERE x = a) = 'x'",
    "SELECT (SELECT nope FROM u)",
  ],
  in: [
    "SELECT a FROM t WHERE a IN (SELECT x FROM u)",
    "SELECT a, a IN (SELECT x FROM u), a NOT IN (SELECT x FROM u) FROM t",
    "SELECT a, a IN (SELECT x FROM u WHERE x IS NOT NULL), a NOT IN (SELECT x FROM u WHERE x IS NOT NULL) FROM t",
    "SELECT NULL IN (SELECT k FROM e), NULL NOT IN (SELECT k FROM e), 1 IN (SELECT k FROM e)",
    "SELECT NULL IN (SELECT x FROM u), 5 IN (SELECT x FROM u WHERE x IS NOT NULL)",
    "SELECT b, b IN (SELECT y FROM u) FROM t",
    "SELECT y, y IN (SELECT b FROM t) FROM u",
    "SELECT b, b COLLATE NOCASE IN (SELECT b FROM t WHERE a = 1) FROM t",
    "SELECT c, c IN (SELECT x FROM u) FROM t",
    "SELECT x, x IN (SELECT a FROM t) FROM u",
    "SELECT x, x IN (SELECT b FROM t) FROM u",
    "SELECT a IN (SELECT x, y FROM u) FROM t",
    "SELECT (a, b) IN (SELECT x FROM u) FROM t",
    "SELECT a, b, (a, b) IN (SELECT x, y FROM u), (a, b) NOT IN (SELECT x, y FROM u) FROM t",
    "SELECT (1, NULL) IN (SELECT 1, 2), (1, NULL) IN (SELECT 2, 2), (NULL, NULL) IN (SELECT 1, 1 WHERE 0)",
    "SELECT a FROM t WHERE a IN (SELECT x FROM u ORDER BY x LIMIT 2)",
    "SELECT a FROM t WHERE a NOT IN (SELECT x FROM u WHERE x > t.a - 1 AND x IS NOT NULL)",
    "SELECT a FROM t WHERE a IN u",
    "SELECT a FROM t WHERE a IN e",
    "SELECT a FROM t WHERE a IN nosuch",
    "SELECT 1 IN (SELECT 1 UNION SELECT 2), 3 IN (SELECT 1 UNION ALL SELECT NULL)",
    "SELECT NULL IN (), NULL NOT IN (), 1 IN (), a NOT IN () FROM t",
  ],
  exists: [
    "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE x = a)",
    "SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE x = a)",
    "SELECT EXISTS (SELECT * FROM e), NOT EXISTS (SELECT * FROM e), EXISTS (SELECT 1 LIMIT 0)",
    "SELECT EXISTS (SELECT count(*) FROM e WHERE 0)",
    "SELECT a, EXISTS (SELECT 1 FROM u WHERE y = t.b) FROM t",
    "SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.x > t.a)",
  ],
  rowValues: [
    "SELECT (1,2) < (1,3), (1,2) < (1,NULL), (1,2) < (2,NULL), (NULL,1) < (2,1), (1,NULL) < (2,1)",
    "SELECT (1,NULL) = (2,1), (1,NULL) = (1,1), (1,2) = (1,2), (1,2) <> (1,3), (1,NULL) <> (1,1)",
    "SELECT (1,2) IS (1,2), (1,NULL) IS (1,NULL), (1,NULL) IS NOT (1,2)",
    "SELECT (1,2,3) >= (1,2,3), (1,2,3) > (1,2,3), (1,2,3) <= (1,2,2)",
    "SELECT a, b, (a, b) = (2, 'y'), (a, b) > (2, 'x') FROM t",
    "SELECT (SELECT a, b FROM t ORDER BY a DESC) = (3, 'X')",
    "SELECT a FROM t WHERE (a, b) = (SELECT x, y FROM u WHERE x = 1 ORDER BY y DESC)",
    "SELECT a FROM t WHERE (a, c) < (2, 9) ORDER BY a",
    "SELECT (1,2)",
    "SELECT (1,2) = 1",
    "SELECT (1,2) = (1,2,3)",
  ],
  fromSubquery: [
    "SELECT * FROM (SELECT a, b FROM t WHERE a > 1)",
    "SELECT x.a FROM (SELECT a FROM t) AS x WHERE x.a = 2",
    "SELECT * FROM (SELECT 1 a, 2 a)",
    "SELECT a FROM (SELECT a FROM t ORDER BY a DESC LIMIT 3)",
    "SELECT count(*), sum(a) FROM (SELECT DISTINCT a FROM t)",
    "SELECT * FROM (SELECT a FROM t UNION SELECT x FROM u)",
    "SELECT * FROM (VALUES(1,'a'),(2,'b'))",
    "SELECT rowid FROM (SELECT 1)",
    "SELECT y FROM (SELECT y FROM u) WHERE y = 'X'",
    "SELECT z FROM (SELECT a + 1 AS z FROM t) WHERE z = '3'",
    "SELECT a FROM (SELECT a FROM t) WHERE a = '2'",
    "SELECT a, (SELECT count(*) FROM (SELECT x FROM u WHERE x = t.a)) FROM t",
    "SELECT * FROM (SELECT * FROM (SELECT a, b FROM t) WHERE a IS NOT NULL) WHERE b > 'x'",
  ],
  compound: [
    "SELECT a FROM t UNION SELECT x FROM u",
    "SELECT a FROM t UNION ALL SELECT x FROM u",
    "SELECT a FROM t INTERSECT SELECT x FROM u",
    "SELECT a FROM t EXCEPT SELECT x FROM u",
    "SELECT x FROM u EXCEPT SELECT a FROM t",
    "SELECT a, b FROM t UNION SELECT x, y FROM u ORDER BY 2 DESC, 1 LIMIT 4",
    "SELECT b FROM t UNION SELECT y FROM u",
    "SELECT y FROM u UNION SELECT b FROM t",
    "SELECT y FROM u INTERSECT SELECT b FROM t",
    "SELECT a AS k FROM t UNION ALL SELECT x FROM u ORDER BY k LIMIT 3 OFFSET 2",
    "SELECT a FROM t UNION SELECT x FROM u ORDER BY x",
    "SELECT a FROM t UNION SELECT x FROM u ORDER BY nope",
    "SELECT a FROM t UNION ALL SELECT x FROM u ORDER BY 2",
    "SELECT a, b FROM t UNION SELECT x FROM u",
    "SELECT a FROM t INTERSECT SELECT x, y FROM u",
    "SELECT 1 UNION VALUES(2),(3)",
    "VALUES(3),(1) UNION ALL VALUES(2) ORDER BY 1",
    "SELECT a FROM t UNION ALL SELECT x FROM u UNION SELECT 9",
    "SELECT a FROM t UNION SELECT x FROM u UNION ALL SELECT 9",
    "SELECT a FROM t EXCEPT SELECT x FROM u UNION ALL SELECT a FROM t INTERSECT SELECT 2",
    "SELECT a FROM t UNION ALL SELECT x FROM u LIMIT 4",
    "SELECT a FROM t UNION SELECT x FROM u LIMIT 2 OFFSET 1",
    "SELECT b FROM t UNION SELECT y FROM u ORDER BY 1 COLLATE NOCASE DESC",
    "SELECT a + 1 FROM t UNION SELECT x FROM u ORDER BY a + 1",
    "SELECT DISTINCT a FROM t UNION ALL SELECT DISTINCT x FROM u",
  ],
  cte: [
    "WITH c AS (SELECT a FROM t WHERE a > 1) SELECT * FROM c",
    "WITH c(n) AS (SELECT a FROM t) SELECT n FROM c WHERE n IS NOT NULL",
    "WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a",
    "WITH a(x,y) AS (SELECT 1) SELECT * FROM a",
    "WITH a AS (SELECT 1), a AS (SELECT 2) SELECT * FROM a",
    "WITH x AS (SELECT * FROM x) SELECT * FROM x",
    "WITH c AS MATERIALIZED (SELECT x FROM u) SELECT count(*) FROM c",
    "WITH c AS NOT MATERIALIZED (SELECT x FROM u) SELECT * FROM c WHERE x = 1",
    "WITH c AS (SELECT 1 AS v) SELECT (SELECT v FROM c), v FROM c",
    "WITH c AS (SELECT 1 AS v) SELECT * FROM (WITH c AS (SELECT 2 AS v) SELECT v FROM c)",
    "WITH c AS (SELECT 5 AS v) SELECT a FROM t WHERE a < (SELECT v FROM c)",
    "SELECT a FROM t WHERE a IN (WITH w AS (SELECT x FROM u) SELECT x FROM w)",
    "WITH c AS (SELECT a FROM t) SELECT * FROM c UNION SELECT x FROM u",
  ],
  recursive: [
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 10) SELECT x FROM c",
    "WITH c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 5) SELECT * FROM c",
    "WITH RECURSIVE fib(a,b) AS (SELECT 0,1 UNION ALL SELECT b, a+b FROM fib WHERE b < 1000) SELECT a FROM fib",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x % 3 + 1 FROM c) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 5 UNION ALL SELECT x-1 FROM c WHERE x > 0 ORDER BY 1 LIMIT 3 OFFSET 1) SELECT * FROM c",
    "WITH RECURSIVE c(x, d) AS (SELECT 1, 0 UNION ALL SELECT x*2, d+1 FROM c WHERE d < 3 UNION ALL SELECT x*2+1, d+1 FROM c WHERE d < 3) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c, c AS d LIMIT 5) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT (SELECT x+1 FROM c) LIMIT 5) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 1 INTERSECT SELECT x+1 FROM c LIMIT 5) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (SELECT count(*) FROM c UNION ALL SELECT 1) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT count(*) FROM c) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (VALUES(1),(2) UNION ALL SELECT x+10 FROM c WHERE x < 30) SELECT * FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 4) SELECT a, (SELECT count(*) FROM c WHERE x <= t.a) FROM t",
    "WITH RECURSIVE c(s) AS (SELECT 'a' UNION ALL SELECT s || 'b' FROM c WHERE length(s) < 4 ORDER BY s DESC) SELECT * FROM c",
  ],
  views: [
    "CREATE VIEW v AS SELECT a, b FROM t WHERE a IS NOT NULL",
    "SELECT * FROM v",
    "SELECT b FROM v WHERE a = 3",
    "CREATE VIEW v2(p, q) AS SELECT x, y FROM u",
    "SELECT q FROM v2 WHERE p = 1",
    "CREATE VIEW v3 AS SELECT * FROM nosuch",
    "SELECT * FROM v3",
    "CREATE VIEW v4(x,y) AS SELECT 1",
    "SELECT * FROM v4",
    "CREATE VIEW v5 AS SELECT * FROM v5",
    "SELECT * FROM v5",
    "CREATE VIEW v6 AS SELECT * FROM v7",
    "CREATE VIEW v7 AS SELECT * FROM v6",
    "SELECT * FROM v6",
    "CREATE VIEW t AS SELECT 1",
    "CREATE VIEW v AS SELECT 1",
    "CREATE VIEW IF NOT EXISTS v AS SELECT 1",
    "CREATE TABLE v(z)",
    "DROP VIEW t",
    "DROP TABLE v",
    "DROP VIEW nosuch",
    "DROP VIEW IF EXISTS nosuch",
    "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema",
    "WITH v AS (SELECT 42 AS a, 'w' AS b) SELECT * FROM v",
    "CREATE VIEW vc AS WITH w AS (SELECT x FROM u) SELECT x FROM w WHERE x > 1",
    "SELECT * FROM vc",
    "SELECT a FROM t WHERE a IN (SELECT p FROM v2)",
    "DROP VIEW v",
    "SELECT * FROM v",
    "SELECT type, name FROM sqlite_schema",
    // A result column without AS is named by its text in the view's stored SQL.
    "CREATE VIEW ve AS SELECT 1, a+1, 'x', -2, NULL, 1.5, a, a, t.a, b AS \"the b\" FROM t",
    "SELECT * FROM ve",
    "SELECT * FROM (SELECT * FROM ve) WHERE \"a+1\" > 2",
    // The stored text runs to the `;` (or the end): trailing comments are kept.
    "CREATE VIEW vk AS SELECT a FROM t /* c */ -- to the end\n  ",
    "CREATE VIEW vk2 AS SELECT a FROM t -- c\n ;  ",
    "CREATE INDEX tk ON t(a) /* c */ ;",
    "CREATE INDEX tk2 ON t(b) -- c\n",
    "SELECT name, sql FROM sqlite_schema WHERE name IN ('vk', 'vk2', 'tk', 'tk2') ORDER BY name",
    // "already exists" quotes the name as written.
    "CREATE TABLE \"t\"(x)",
    "CREATE TABLE [t](x)",
    "CREATE TABLE main.`u`(x)",
    "CREATE VIEW \"v2\" AS SELECT 1",
    "CREATE VIEW IF NOT EXISTS \"v2\" AS SELECT 1",
    "CREATE TABLE T (x)",
  ],
};

describe("nested queries: differential against SQLite 3.53", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(name, () => {
      const db = new Database(":memory:");
      const conn = openMemory();
      for (const sql of [...SETUP, ...script]) {
        const want = runOracle(db, sql);
        const got = runStrata(conn, sql);
        expect({ sql, got }).toEqual({ sql, got: want });
      }
      db.close();
      conn.close();
    });
  }
});

// design.md "Which SQLite": SQLite 3.53 answers `x NOT IN (SELECT c ...)` wrongly when c
// has a DESC index and holds a NULL (3.54 fixed it). We follow 3.54: the answers must be
// those SQLite 3.53 gives for the same data without the index, and the NULL rules.
describe("NOT IN over a DESC index on a column holding NULL (SQLite 3.54's fix)", () => {
  it("gives NULL, not 1, for a value absent from a set holding NULL", () => {
    const conn = openMemory();
    const plain = new Database(":memory:");
    const queries = [
      "SELECT 2 NOT IN (SELECT c FROM w), 2 IN (SELECT c FROM w), 1 NOT IN (SELECT c FROM w), NULL NOT IN (SELECT c FROM w)",
      "SELECT a, a NOT IN (SELECT c FROM w) FROM t",
      "SELECT a FROM t WHERE a NOT IN (SELECT c FROM w)",
    ];
    for (const sql of ["CREATE TABLE t(a)", "INSERT INTO t VALUES(1),(2),(NULL),(4)", "CREATE TABLE w(c)", "INSERT INTO w VALUES(NULL),(1),(3)"]) {
      runStrata(conn, sql);
      runOracle(plain, sql);
    }
    expect(runStrata(conn, "CREATE INDEX wc ON w(c DESC)")).toEqual({ rows: [], names: [] });
    for (const sql of queries) expect({ sql, got: runStrata(conn, sql) }).toEqual({ sql, got: runOracle(plain, sql) });
    expect(runStrata(conn, queries[0])).toEqual({
      rows: [[["null", null], ["null", null], ["integer", 0], ["null", null]]], names: expect.any(Array),
    });
    expect(runStrata(conn, queries[2])).toEqual({ rows: [], names: ["a"] });
    plain.close();
    conn.close();
  });
});
