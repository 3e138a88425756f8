/*
 * ATTACH / DETACH of in-memory databases (lang_attach.html, lang_detach.html) vs SQLite
 * 3.53 (better-sqlite3): schema-qualified DDL, DML and SELECT, name resolution order
 * (temp, main, then attached in order), errors and their messages (already in use, no
 * such database, cannot detach main/temp, locked inside a transaction, the limit of 10),
 * transactions and savepoints across main and attached databases, PRAGMA aux.xxx,
 * PRAGMA database_list, VACUUM aux. Every outcome (rows with storage classes, or error
 * code and message) must match, statement by statement.
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

describe("ATTACH ':memory:' vs SQLite 3.53", () => {
  script("attach, qualify, detach", [
    "ATTACH ':memory:' AS aux",
    "ATTACH ':memory:' AS aux",
    "ATTACH ':memory:' AS AUX",
    "ATTACH ':memory:' AS main",
    "ATTACH ':memory:' AS temp",
    "PRAGMA database_list",
    "CREATE TABLE aux.t(a INTEGER PRIMARY KEY, b TEXT UNIQUE)",
    "CREATE INDEX aux.tb ON t(b, a)",
    "CREATE INDEX aux.tz ON nosuch(b)",
    "INSERT INTO aux.t VALUES (1, 'one'), (2, 'two')",
    "INSERT INTO t(b) VALUES ('three')",
    "INSERT INTO t VALUES (1, 'dup')",
    "SELECT * FROM t ORDER BY a",
    "SELECT * FROM aux.t WHERE b = 'two'",
    "SELECT aux.t.b FROM aux.t WHERE a > 1",
    "SELECT * FROM main.t",
    "SELECT type, name, tbl_name, sql FROM aux.sqlite_master",
    "SELECT type, name FROM aux.sqlite_schema",
    "CREATE TABLE t(z)",
    "INSERT INTO t VALUES ('main')",
    "SELECT * FROM t",
    "SELECT * FROM aux.t ORDER BY a",
    "UPDATE aux.t SET b = upper(b) WHERE a = 2",
    "DELETE FROM aux.t WHERE a = 1",
    "SELECT * FROM aux.t ORDER BY a",
    "CREATE VIEW aux.v AS SELECT b FROM t",
    "SELECT * FROM aux.v",
    "CREATE VIEW aux.v2 AS SELECT * FROM main.t",
    "CREATE TRIGGER aux.tr AFTER INSERT ON t BEGIN DELETE FROM t WHERE a = new.a - 100; END",
    "INSERT INTO aux.t VALUES (102, 'x')",
    "SELECT * FROM aux.t ORDER BY a",
    "PRAGMA aux.table_info(t)",
    "PRAGMA aux.index_list(t)",
    "PRAGMA aux.user_version = 7",
    "PRAGMA aux.user_version",
    "PRAGMA user_version",
    "DROP INDEX aux.tb",
    "DROP VIEW aux.v",
    "DROP TRIGGER aux.tr",
    "DROP TABLE aux.t",
    "SELECT * FROM aux.t",
    "SELECT * FROM t",
    "VACUUM aux",
    "VACUUM nosuch",
    "DETACH aux",
    "DETACH aux",
    "DETACH main",
    "DETACH temp",
    "SELECT * FROM aux.t",
    "PRAGMA database_list",
  ]);
  script("names as strings, NULL, limit", [
    "ATTACH ':memory:' AS 'a b'",
    "ATTACH '' AS NULL",
    "PRAGMA database_list",
    "CREATE TABLE \"a b\".q(x)",
    "INSERT INTO \"a b\".q VALUES (1)",
    "SELECT * FROM \"a b\".q",
    "DETACH 'a b'",
    "DETACH NULL",
    "ATTACH ':memory:' AS a1", "ATTACH ':memory:' AS a2", "ATTACH ':memory:' AS a3", "ATTACH ':memory:' AS a4",
    "ATTACH ':memory:' AS a5", "ATTACH ':memory:' AS a6", "ATTACH ':memory:' AS a7", "ATTACH ':memory:' AS a8",
    "ATTACH ':memory:' AS a9", "ATTACH ':memory:' AS a10", "ATTACH ':memory:' AS a11",
    "ATTACH ':memory:' AS a1",
    "PRAGMA database_list",
    "DETACH a5",
    "PRAGMA database_list",
    "CREATE TABLE a9.t(x)",
    "INSERT INTO a9.t VALUES (9)",
    "SELECT * FROM a9.t",
    "SELECT * FROM t",
  ]);
  script("search order and shadowing", [
    "ATTACH ':memory:' AS aux",
    "ATTACH ':memory:' AS aux2",
    "CREATE TABLE aux2.t(a)",
    "INSERT INTO t VALUES ('aux2')",
    "CREATE TABLE aux.t(a)",
    "INSERT INTO t VALUES ('aux')",
    "SELECT * FROM aux.t",
    "SELECT * FROM aux2.t",
    "CREATE TABLE t(a)",
    "INSERT INTO t VALUES ('main')",
    "CREATE TEMP TABLE t(a)",
    "INSERT INTO t VALUES ('temp')",
    "SELECT (SELECT group_concat(a) FROM main.t), (SELECT group_concat(a) FROM temp.t), (SELECT group_concat(a) FROM aux.t), (SELECT group_concat(a) FROM aux2.t)",
    "SELECT * FROM main.t JOIN aux.t",
  ]);
  script("transactions across databases", [
    "ATTACH ':memory:' AS aux",
    "CREATE TABLE aux.t(a UNIQUE)",
    "CREATE TABLE m(a)",
    "BEGIN",
    "INSERT INTO aux.t VALUES (1)",
    "INSERT INTO m VALUES (1)",
    "DETACH aux",
    "ROLLBACK",
    "SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM aux.t)",
    "BEGIN",
    "INSERT INTO m VALUES (2)",
    "SAVEPOINT s",
    "INSERT INTO aux.t VALUES (2)",
    "ROLLBACK TO s",
    "INSERT INTO aux.t VALUES (3)",
    "INSERT INTO aux.t VALUES (4), (3)",
    "COMMIT",
    "SELECT * FROM aux.t",
    "SELECT * FROM m",
    "BEGIN",
    "ATTACH ':memory:' AS aux2",
    "CREATE TABLE aux2.z(x)",
    "INSERT INTO aux2.z SELECT a FROM aux.t",
    "COMMIT",
    "SELECT * FROM aux2.z",
    "DETACH aux2",
  ]);
});
