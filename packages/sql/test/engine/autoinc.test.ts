/*
 * AUTOINCREMENT and sqlite_sequence (https://sqlite.org/autoinc.html), last_insert_rowid
 * edge cases, differential against SQLite 3.53 with the full state compared after every
 * statement (sqlite_sequence included).
 */
import { describe, it } from "vitest";
import { Pair } from "./dml-support.js";

const MAX = "9223372036854775807";

const SCRIPTS: Record<string, string[]> = {
  "sqlite_sequence is created with the first AUTOINCREMENT table and kept": [
    "CREATE TABLE plain(a INTEGER PRIMARY KEY, b)",
    "SELECT name, rootpage, sql FROM sqlite_schema",
    "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE)",
    "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema",
    "CREATE TABLE u(x INTEGER, y, PRIMARY KEY(x AUTOINCREMENT))",
    "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema",
    "INSERT INTO t(b) VALUES('a'), ('b')",
    "INSERT INTO u(y) VALUES(1)",
    "DROP TABLE t",
    "DROP TABLE u",
    "SELECT type, name FROM sqlite_schema",
    "DROP TABLE sqlite_sequence",
    "CREATE TABLE sqlite_sequence(x)",
    "CREATE TABLE v(a INTEGER PRIMARY KEY AUTOINCREMENT)",
    "SELECT type, name FROM sqlite_schema",
    "CREATE TABLE bad(a TEXT PRIMARY KEY AUTOINCREMENT)",
    "CREATE TABLE bad(a INT PRIMARY KEY AUTOINCREMENT)",
  ],
  "the counter: never reused, raised by explicit rowids, ignored rows count": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE)",
    "INSERT INTO t(b) VALUES(1), (2), (3)",
    "DELETE FROM t WHERE a = 3",
    "INSERT INTO t(b) VALUES(4)",
    "DELETE FROM t",
    "INSERT INTO t(b) VALUES(5)",
    "INSERT INTO t VALUES(100, 6)",
    "INSERT INTO t VALUES(50, 7)",
    "INSERT INTO t(b) VALUES(8)",
    "INSERT OR IGNORE INTO t VALUES(200, 8)",
    "INSERT OR IGNORE INTO t(b) VALUES(8)",
    "INSERT INTO t(b) VALUES(9)",
    "INSERT INTO t VALUES(-5, 10)",
    "INSERT OR REPLACE INTO t(b) VALUES(9)",
    "INSERT INTO t(b) VALUES(11) ON CONFLICT(b) DO NOTHING",
    "INSERT INTO t(b) VALUES(11) ON CONFLICT(b) DO UPDATE SET b = 12",
    "INSERT INTO t(b) SELECT b + 100 FROM t",
    "INSERT INTO t(b) SELECT 1 WHERE 0",
    "UPDATE t SET a = 1000 WHERE b = 12",
    "INSERT INTO t(b) VALUES(13)",
    "INSERT INTO t(b) VALUES(1), (14)",
    "INSERT INTO t(b) VALUES(15)",
  ],
  "sqlite_sequence edited by hand": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b)",
    "CREATE TABLE u(a INTEGER PRIMARY KEY AUTOINCREMENT, b)",
    "INSERT INTO u(b) SELECT 1 WHERE 0",
    "INSERT INTO t(b) VALUES(1)",
    "UPDATE sqlite_sequence SET seq = 10 WHERE name = 't'",
    "INSERT INTO t(b) VALUES(2)",
    "UPDATE sqlite_sequence SET seq = 'abc'",
    "INSERT INTO t(b) VALUES(3)",
    "UPDATE sqlite_sequence SET seq = 30.9",
    "INSERT INTO t(b) VALUES(4)",
    "UPDATE sqlite_sequence SET seq = NULL",
    "INSERT INTO t(b) VALUES(5)",
    "UPDATE sqlite_sequence SET seq = '40'",
    "INSERT INTO t(b) VALUES(6)",
    "UPDATE sqlite_sequence SET seq = -100",
    "INSERT INTO t(b) VALUES(7)",
    "DELETE FROM sqlite_sequence",
    "INSERT INTO t(b) VALUES(8)",
    "INSERT INTO sqlite_sequence VALUES('t', 500)",
    "INSERT INTO t(b) VALUES(9)",
    "UPDATE sqlite_sequence SET name = 'T'",
    "INSERT INTO t(b) VALUES(10)",
    "DROP TABLE t",
    "SELECT * FROM sqlite_sequence",
  ],
  "the largest rowid: database or disk is full": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE)",
    `INSERT INTO t VALUES(${MAX}, 1)`,
    "INSERT INTO t(b) VALUES(2)",
    `DELETE FROM t`,
    "INSERT INTO t(b) VALUES(3)",
    "UPDATE sqlite_sequence SET seq = 9223372036854775806",
    "INSERT INTO t(b) VALUES(4)",
    "INSERT INTO t(b) VALUES(5)",
    "SELECT typeof(a), a FROM t",
    "DELETE FROM t",
    "UPDATE sqlite_sequence SET seq = 9223372036854775805",
    "BEGIN",
    "INSERT INTO t(b) VALUES(6)",
    "INSERT INTO t(b) VALUES(7)",
    "INSERT INTO t(b) VALUES(8)",
    "SELECT * FROM t",
    "UPDATE sqlite_sequence SET seq = 9223372036854775805",
    "BEGIN",
    "INSERT INTO t(b) VALUES(10)",
    "INSERT INTO t(b) VALUES(11), (12), (13)",
    "INSERT INTO t(b) SELECT 20 UNION ALL SELECT 21",
    "COMMIT",
  ],
  "last_insert_rowid edge cases": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE)",
    "CREATE TABLE n(x)",
    "INSERT INTO t(b) VALUES(1)",
    "INSERT OR IGNORE INTO t(b) VALUES(1)",
    "INSERT INTO t(b) VALUES(1)",
    "INSERT INTO n VALUES(1), (2)",
    "UPDATE t SET b = 5",
    "DELETE FROM t",
    "INSERT INTO t(b) VALUES(2) ON CONFLICT DO NOTHING",
    "INSERT INTO t(b) VALUES(2) ON CONFLICT(b) DO UPDATE SET b = 3",
    "INSERT OR REPLACE INTO t(a, b) VALUES(7, 3)",
    "BEGIN",
    "INSERT INTO n VALUES(3)",
    "ROLLBACK",
    "INSERT INTO n SELECT x FROM n WHERE 0",
  ],
  "savepoints roll sqlite_sequence back": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b)",
    "BEGIN",
    "INSERT INTO t(b) VALUES(1)",
    "SAVEPOINT s",
    "INSERT INTO t(b) VALUES(2), (3)",
    "ROLLBACK TO s",
    "INSERT INTO t(b) VALUES(4)",
    "COMMIT",
  ],
};

describe("AUTOINCREMENT vs SQLite 3.53", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(name, () => {
      const pair = new Pair();
      try {
        pair.script(script);
      } finally {
        pair.close();
      }
    });
  }
});
