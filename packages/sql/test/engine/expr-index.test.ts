/*
 * Indexes on expressions (https://sqlite.org/expridx.html), differential against SQLite
 * 3.53: creation errors, filling, maintenance on INSERT/UPDATE/DELETE/REPLACE, UNIQUE
 * expression indexes, planner use (EXPLAIN QUERY PLAN text) and the PRAGMAs.
 */
import { describe, it } from "vitest";
import { runBoth } from "./diff-harness.js";

const SCRIPTS: Record<string, string[]> = {
  create: [
    "CREATE TABLE t(a INTEGER, b TEXT, c)",
    "INSERT INTO t VALUES(1,'Abc',3),(2,'abd',4),(3,'XY',NULL),(4,NULL,1.5)",
    "CREATE INDEX i ON t(lower(b), a+1)",
    "PRAGMA index_info(i)",
    "PRAGMA index_xinfo(i)",
    "PRAGMA index_list(t)",
    "CREATE INDEX j ON t(random())",
    "CREATE INDEX j ON t(b+(SELECT 1))",
    "CREATE INDEX j ON t(?)",
    "CREATE INDEX j ON t(x+1)",
    "CREATE INDEX j ON t(abs(a) COLLATE NOCASE DESC, c)",
    "PRAGMA index_xinfo(j)",
    "CREATE INDEX k ON t(a, b||c)",
    "PRAGMA integrity_check",
    "SELECT sql FROM sqlite_schema ORDER BY name",
  ],
  maintain: [
    "CREATE TABLE t(a INTEGER, b TEXT, c)",
    "CREATE INDEX i ON t(lower(b), a+1)",
    "CREATE INDEX i2 ON t(c*2) WHERE c > 1",
    "INSERT INTO t VALUES(1,'Abc',3),(2,'abd',4),(3,'XY',NULL),(4,NULL,1.5)",
    "UPDATE t SET b = 'QQ' WHERE a = 1",
    "UPDATE t SET a = a + 10 WHERE a >= 3",
    "UPDATE t SET c = 10",
    "DELETE FROM t WHERE a = 2",
    "PRAGMA integrity_check",
    "SELECT * FROM t WHERE lower(b) = 'qq'",
    "SELECT * FROM t WHERE lower(b) > 'a' ORDER BY lower(b)",
    "SELECT * FROM t WHERE lower(b) = 'qq' AND a+1 = 2",
    "SELECT * FROM t WHERE lower(b) = 'xy' AND a+1 > 3",
    "SELECT * FROM t ORDER BY lower(b), a+1",
    "SELECT * FROM t ORDER BY lower(b) DESC",
    "SELECT * FROM t WHERE c*2 = 20 AND c > 1",
    "REPLACE INTO t(rowid, a, b, c) VALUES(1, 7, 'n', 0)",
    "PRAGMA integrity_check",
    "SELECT rowid, * FROM t ORDER BY rowid",
  ],
  unique: [
    "CREATE TABLE t(a, b)",
    "CREATE UNIQUE INDEX u ON t(a+b)",
    "INSERT INTO t VALUES(1,2)",
    "INSERT INTO t VALUES(2,1)",
    "INSERT OR IGNORE INTO t VALUES(2,1),(5,5)",
    "INSERT OR REPLACE INTO t VALUES(3,0)",
    "SELECT * FROM t ORDER BY a",
    "UPDATE t SET b = 7 WHERE a = 3",
    "UPDATE t SET b = 1 WHERE a = 3",
    "UPDATE OR REPLACE t SET b = 7 WHERE a = 3",
    "SELECT * FROM t ORDER BY a",
    "INSERT INTO t VALUES(NULL, 1), (NULL, 1)",
    "INSERT INTO t VALUES(10, 0) ON CONFLICT DO NOTHING",
    "INSERT INTO t VALUES(10, 0) ON CONFLICT(a+b) DO UPDATE SET a = 100",
    "SELECT * FROM t ORDER BY a",
    "CREATE TABLE e(x, y)",
    "INSERT INTO e VALUES(1, 2), (2, 1)",
    "CREATE UNIQUE INDEX eu ON e(x*y)",
    "CREATE UNIQUE INDEX eu ON e(x+y, x)",
    "PRAGMA integrity_check",
  ],
  plan: [
    "CREATE TABLE t(a INTEGER, b TEXT, c)",
    "CREATE INDEX i ON t(lower(b), a+1)",
    "CREATE INDEX k ON t(a, b||c)",
    "EXPLAIN QUERY PLAN SELECT * FROM t WHERE lower(b) = 'x'",
    "EXPLAIN QUERY PLAN SELECT * FROM t WHERE lower(b) = 'x' AND a+1 > 3",
    "EXPLAIN QUERY PLAN SELECT * FROM t WHERE LOWER(t.b) = 'x'",
    "EXPLAIN QUERY PLAN SELECT * FROM t WHERE upper(b) = 'x'",
    "EXPLAIN QUERY PLAN SELECT * FROM t ORDER BY lower(b)",
    "EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1 AND b||c = 'x'",
    "EXPLAIN QUERY PLAN SELECT * FROM t WHERE 'x' = lower(b)",
  ],
};

describe("indexes on expressions, against SQLite 3.53", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) it(name, () => runBoth(script));
});
