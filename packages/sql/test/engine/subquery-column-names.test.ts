/*
 * Result column names against SQLite 3.53 (what better-sqlite3's row objects are keyed
 * by): the rowid under any of its names is "rowid" (or the INTEGER PRIMARY KEY's name);
 * a FROM subquery's or CTE's columns are named before names are resolved
 * (sqlite3ColumnsFromExprList): the identifier as written, so `SELECT * FROM (SELECT B
 * FROM t)` has a column B and `(SELECT oid FROM k)` a column oid; a view's columns are
 * named after resolution.
 */
import { describe, it } from "vitest";
import { withPair } from "./diff-helper.js";

const QUERIES = [
  "SELECT k._rowid_, oid, k.ROWID, ROWID, k.x FROM k",
  "SELECT t.rowid, t._rowid_, T.OID, b FROM t",
  "SELECT * FROM (SELECT rowid FROM t)",
  "SELECT * FROM (SELECT t.rowid, t.b, oid FROM t)",
  "SELECT * FROM (SELECT k.oid FROM k)",
  "SELECT * FROM (SELECT x FROM k)",
  "SELECT * FROM (SELECT k.x FROM k)",
  "WITH c AS (SELECT rowid FROM t) SELECT * FROM c",
  "SELECT * FROM (SELECT rowid FROM t) AS s JOIN k",
  "SELECT s.* FROM (SELECT oid FROM k) s",
  "SELECT * FROM (SELECT B FROM t)",
  "SELECT * FROM (SELECT t.B, T.A FROM t)",
  "SELECT * FROM (SELECT \"b\" FROM t)",
  "SELECT * FROM (SELECT B COLLATE nocase FROM t)",
  "SELECT * FROM (SELECT likely(B) FROM t)",
  "WITH c AS (SELECT B FROM t) SELECT * FROM c",
  "WITH c(Z) AS (SELECT B FROM t) SELECT * FROM c",
  "SELECT * FROM (SELECT * FROM t)",
  "SELECT * FROM (SELECT t.* FROM t)",
  "WITH RECURSIVE r AS (SELECT B FROM t UNION ALL SELECT B+1 FROM r WHERE B < 3) SELECT * FROM r",
  "SELECT * FROM v",
  "SELECT * FROM (SELECT A, a FROM t)",
  "SELECT * FROM (SELECT B FROM t UNION SELECT 5)",
  "SELECT k.oid COLLATE nocase, +k.oid, (k.oid) FROM k",
  "SELECT k.oid FROM k UNION SELECT 1",
];

describe("result column names vs SQLite 3.53", () => {
  it("rowid aliases, subqueries, CTEs and views", () => withPair((pair) => {
    pair.exec("CREATE TABLE t(a, b INTEGER PRIMARY KEY); CREATE TABLE k(x); CREATE VIEW v AS SELECT B, k.oid FROM t, k");
    pair.exec("INSERT INTO t VALUES (1, 2); INSERT INTO k VALUES (3)");
    for (const q of QUERIES) pair.expectSame(q);
  }));
});
