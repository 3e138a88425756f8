/*
 * The TEMP database (lang_createtable.html "temp"; lang_naming.html) vs SQLite 3.53
 * (better-sqlite3): CREATE TEMP TABLE/VIEW/TRIGGER/INDEX, `temp.` and `main.` qualified
 * names in SELECT, DML, DDL and PRAGMA, temp shadowing main, sqlite_temp_master,
 * TEMP triggers on main tables, DROP, transactions and savepoints spanning main and
 * temp, PRAGMA database_list. Each script runs statement by statement on both engines;
 * every outcome (rows with storage classes and column names, or error code and message)
 * must match.
 */
import { describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

function script(name: string, stmts: readonly string[]): void {
  it(name, () => {
    const pair = new Pair();
    try {
      for (const s of stmts) {
        const [mine, theirs] = pair.both(s);
        expect({ s, out: mine }).toEqual({ s, out: theirs });
      }
    } finally {
      pair.close();
    }
  });
}

describe("TEMP schema vs SQLite 3.53", () => {
  script("create, shadow, qualify", [
    "PRAGMA database_list",
    "CREATE TEMP TABLE t(a)",
    "PRAGMA database_list",
    "SELECT * FROM sqlite_temp_master",
    "SELECT * FROM temp.sqlite_schema",
    "SELECT * FROM temp.sqlite_master",
    "SELECT * FROM sqlite_temp_schema",
    "SELECT * FROM main.sqlite_temp_master",
    "CREATE TABLE t(b)",
    "INSERT INTO t VALUES(1)",
    "INSERT INTO main.t VALUES(2)",
    "INSERT INTO temp.t VALUES(3)",
    "SELECT * FROM t",
    "SELECT * FROM main.t",
    "SELECT * FROM temp.t",
    "SELECT main.t.b, temp.t.a FROM main.t, temp.t",
    "SELECT t.a FROM t",
    "SELECT * FROM x.t",
    "SELECT name, type FROM sqlite_schema",
    "UPDATE t SET a = a + 10",
    "UPDATE main.t SET b = b * 100",
    "DELETE FROM temp.t WHERE a = 13",
    "SELECT * FROM temp.t",
    "SELECT * FROM main.t",
    "DROP TABLE t",
    "SELECT * FROM t",
    "DROP TABLE t",
    "SELECT * FROM t",
  ]);
  script("qualified create and errors", [
    "CREATE TABLE temp.z(a)",
    "CREATE TEMP TABLE main.q(a)",
    "CREATE TEMP TABLE aux.q(a)",
    "CREATE TABLE aux.q(a)",
    "CREATE TEMP TABLE z(a)",
    "CREATE TEMP TABLE IF NOT EXISTS z(a)",
    "CREATE TABLE z(c)",
    "CREATE TEMP VIEW main.v AS SELECT 1",
    "CREATE TEMP TABLE sqlite_x(a)",
    "SELECT name, tbl_name, type, rootpage, sql FROM sqlite_temp_master",
    "DROP TABLE nosuch",
    "DROP TABLE temp.nosuch",
    "DROP TABLE IF EXISTS temp.nosuch",
    "DROP TABLE temp.z",
    "SELECT * FROM z",
  ]);
  script("temp index, autoincrement, unique", [
    "CREATE TEMP TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE, c)",
    "CREATE INDEX tc ON t(c)",
    "CREATE INDEX temp.tc2 ON t(c, b)",
    "CREATE INDEX main.tc3 ON t(c)",
    "INSERT INTO t(b, c) VALUES ('x', 1), ('y', 2), ('z', 1)",
    "INSERT INTO t(b, c) VALUES ('x', 9)",
    "SELECT * FROM t WHERE c = 1",
    "SELECT * FROM t WHERE b = 'y'",
    "SELECT name, type, tbl_name, sql FROM sqlite_temp_master",
    "SELECT * FROM temp.sqlite_sequence",
    "SELECT * FROM sqlite_sequence",
    "DROP INDEX tc",
    "DROP INDEX temp.tc2",
    "DROP INDEX main.tc2",
    "SELECT name FROM sqlite_temp_master",
    "DROP TABLE t",
    "SELECT name FROM sqlite_temp_master",
  ]);
  script("views", [
    "CREATE TABLE m(a, b)",
    "INSERT INTO m VALUES (1, 'one'), (2, 'two')",
    "CREATE TEMP TABLE tt(x)",
    "INSERT INTO tt VALUES (2)",
    "CREATE TEMP VIEW v AS SELECT a, b FROM m JOIN tt ON a = x",
    "SELECT * FROM v",
    "SELECT * FROM temp.v",
    "SELECT * FROM main.v",
    "CREATE VIEW v2 AS SELECT * FROM temp.tt",
    "CREATE VIEW v3 AS SELECT * FROM main.m",
    "SELECT * FROM v3",
    "CREATE VIEW v AS SELECT 1 AS one",
    "SELECT * FROM v",
    "SELECT * FROM main.v",
    "DROP VIEW v",
    "SELECT * FROM v",
    "DROP VIEW v",
    "DROP VIEW v",
    "SELECT type, name FROM sqlite_temp_master",
  ]);
  script("TEMP triggers on main tables", [
    "CREATE TABLE m(a)",
    "CREATE TEMP TABLE log(x)",
    "CREATE TEMP TRIGGER tr1 AFTER INSERT ON m BEGIN INSERT INTO log VALUES (new.a); END",
    "CREATE TRIGGER tr2 AFTER INSERT ON log BEGIN INSERT INTO log VALUES (-new.x) ; END",
    "CREATE TRIGGER main.tr3 AFTER INSERT ON log BEGIN SELECT 1; END",
    "CREATE TEMP TRIGGER main.tr4 AFTER INSERT ON m BEGIN SELECT 1; END",
    "CREATE TRIGGER temp.tr5 AFTER DELETE ON main.m BEGIN INSERT INTO log VALUES ('del ' || old.a); END",
    "CREATE TRIGGER tr6 BEFORE INSERT ON m BEGIN INSERT INTO log VALUES ('main ' || new.a); END",
    "SELECT type, name, tbl_name, sql FROM sqlite_temp_master",
    "SELECT type, name, tbl_name, sql FROM sqlite_schema",
    "INSERT INTO m VALUES (5)",
    "DELETE FROM m",
    "SELECT * FROM log",
    "DROP TRIGGER tr1",
    "DROP TRIGGER temp.nosuch",
    "DROP TRIGGER nosuch",
    "CREATE TEMP TRIGGER tr1 AFTER INSERT ON main.m BEGIN INSERT INTO log VALUES (new.a * 2); END",
    "CREATE TEMP TABLE m(z)",
    "INSERT INTO m VALUES (7)",
    "INSERT INTO main.m VALUES (8)",
    "SELECT * FROM log",
    "SELECT * FROM main.m",
    "DROP TABLE main.m",
    "SELECT type, name, tbl_name FROM sqlite_temp_master",
  ]);
  script("transactions across main and temp", [
    "CREATE TABLE m(a)",
    "CREATE TEMP TABLE t(a)",
    "BEGIN",
    "INSERT INTO m VALUES (1)",
    "INSERT INTO t VALUES (1)",
    "ROLLBACK",
    "SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM t)",
    "BEGIN",
    "INSERT INTO m VALUES (2)",
    "INSERT INTO t VALUES (2)",
    "SAVEPOINT s1",
    "INSERT INTO t VALUES (3)",
    "INSERT INTO m VALUES (3)",
    "ROLLBACK TO s1",
    "INSERT INTO t VALUES (4)",
    "RELEASE s1",
    "COMMIT",
    "SELECT * FROM m",
    "SELECT * FROM t",
    "SAVEPOINT a",
    "CREATE TEMP TABLE u(x)",
    "INSERT INTO u VALUES (1)",
    "ROLLBACK TO a",
    "SELECT * FROM u",
    "RELEASE a",
    "BEGIN",
    "CREATE TEMP TABLE w(x)",
    "INSERT INTO w VALUES (1)",
    "COMMIT",
    "SELECT * FROM w",
    "CREATE TEMP TABLE k(x UNIQUE)",
    "INSERT INTO k VALUES (1)",
    "BEGIN",
    "INSERT INTO m VALUES (9)",
    "INSERT INTO k VALUES (2), (1)",
    "COMMIT",
    "SELECT * FROM k",
    "SELECT * FROM m",
  ]);
  script("PRAGMA on temp", [
    "CREATE TABLE tt(b)",
    "CREATE TEMP TABLE tt(a INTEGER PRIMARY KEY, c TEXT NOT NULL DEFAULT 'x')",
    "CREATE INDEX ix ON tt(c)",
    "PRAGMA table_info(tt)",
    "PRAGMA main.table_info(tt)",
    "PRAGMA temp.table_info(tt)",
    "PRAGMA x.table_info(tt)",
    "PRAGMA index_list(tt)",
    "PRAGMA temp.index_list(tt)",
    "PRAGMA index_info(ix)",
    "PRAGMA temp.user_version",
    "PRAGMA temp.user_version = 5",
    "PRAGMA temp.user_version",
    "PRAGMA user_version",
    "PRAGMA temp.table_list",
    "PRAGMA table_list",
    "PRAGMA database_list",
    "PRAGMA temp.schema_version",
  ]);
});
