/*
 * Conflict resolution (https://sqlite.org/lang_conflict.html) and INSERT ... SELECT,
 * differential against SQLite 3.53: after every statement the outcome, changes(),
 * last_insert_rowid(), the autocommit flag and every table's contents must agree.
 */
import { describe, it } from "vitest";
import { Pair } from "./dml-support.js";

const SCRIPTS: Record<string, string[]> = {
  "OR REPLACE deletes the conflicting rows and their index entries": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c UNIQUE, d)",
    "INSERT INTO t VALUES(1, 1, 1, 'x'), (2, 2, 2, 'y'), (3, 3, 3, 'z')",
    "INSERT OR REPLACE INTO t VALUES(4, 1, 2, 'w')",
    "SELECT a, b, c, d FROM t ORDER BY a",
    "SELECT b FROM t WHERE b = 1",
    "SELECT c FROM t WHERE c = 2",
    "REPLACE INTO t VALUES(3, 9, 9, 'v')",
    "REPLACE INTO t(b, c) VALUES(9, 4)",
    "INSERT OR REPLACE INTO t VALUES(5, 5, 5, 'a'), (6, 5, 6, 'b'), (7, 7, 6, 'c')",
    "UPDATE OR REPLACE t SET b = 7 WHERE a = 5",
    "UPDATE OR REPLACE t SET a = 7 WHERE a = 4",
    "SELECT count(*) FROM t",
  ],
  "ON CONFLICT clauses on column and table constraints": [
    "CREATE TABLE u(a UNIQUE ON CONFLICT REPLACE, b UNIQUE, c UNIQUE ON CONFLICT IGNORE, d NOT NULL ON CONFLICT IGNORE, e NOT NULL ON CONFLICT REPLACE DEFAULT 'dflt')",
    "INSERT INTO u VALUES(1, 1, 1, 1, 1)",
    "INSERT INTO u VALUES(1, 1, 1, 1, 1)",
    "INSERT INTO u VALUES(1, 2, 1, 1, 1)",
    "INSERT INTO u VALUES(1, 2, 2, 1, 1)",
    "INSERT INTO u VALUES(3, 3, 3, NULL, 1)",
    "INSERT INTO u VALUES(4, 4, 4, 4, NULL)",
    "INSERT OR ABORT INTO u VALUES(4, 5, 5, 5, 5)",
    "INSERT OR FAIL INTO u VALUES(6, 6, 6, NULL, 6)",
    "UPDATE u SET e = NULL WHERE a = 4",
    "UPDATE u SET d = NULL WHERE a = 4",
    "CREATE TABLE k(id INTEGER PRIMARY KEY ON CONFLICT REPLACE, v UNIQUE)",
    "INSERT INTO k VALUES(1, 'a'), (2, 'b')",
    "INSERT INTO k VALUES(1, 'c')",
    "INSERT INTO k VALUES(3, 'b')",
    "INSERT OR IGNORE INTO k VALUES(3, 'z')",
    "CREATE TABLE k2(id INTEGER PRIMARY KEY ON CONFLICT IGNORE, v UNIQUE ON CONFLICT REPLACE)",
    "INSERT INTO k2 VALUES(1, 'a'), (2, 'b')",
    "INSERT INTO k2 VALUES(1, 'b')",
    "INSERT INTO k2 VALUES(3, 'b')",
    "CREATE TABLE pk(x, y, PRIMARY KEY(x, y) ON CONFLICT REPLACE, z)",
    "INSERT INTO pk VALUES(1, 2, 'a'), (1, 2, 'b'), (1, 3, 'c')",
    "CREATE TABLE cc(a UNIQUE ON CONFLICT IGNORE, b UNIQUE ON CONFLICT ROLLBACK)",
  ],
  "FAIL keeps earlier rows, ABORT undoes the statement, ROLLBACK ends the transaction": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE NOT NULL)",
    "INSERT INTO t VALUES(1, 1)",
    "INSERT OR FAIL INTO t VALUES(2, 2), (3, 3), (4, 1), (5, 5)",
    "INSERT OR ABORT INTO t VALUES(6, 6), (7, 1)",
    "INSERT INTO t VALUES(8, 8), (9, NULL)",
    "UPDATE OR FAIL t SET b = b + 1",
    "BEGIN",
    "INSERT INTO t VALUES(10, 10)",
    "INSERT OR FAIL INTO t VALUES(11, 11), (12, 1)",
    "INSERT OR ROLLBACK INTO t VALUES(13, 13), (14, 1)",
    "INSERT INTO t VALUES(15, 15)",
    "BEGIN",
    "INSERT OR ROLLBACK INTO t VALUES(16, NULL)",
    "UPDATE OR IGNORE t SET b = 1 WHERE a > 1",
  ],
  "CHECK constraints": [
    "CREATE TABLE c(a INTEGER CHECK(a > 0), b TEXT, CONSTRAINT small CHECK(length(b) < 4), CHECK( a <> 100 ))",
    "INSERT INTO c VALUES(1, 'x')",
    "INSERT INTO c VALUES(0, 'x')",
    "INSERT INTO c VALUES(2, 'long')",
    "INSERT INTO c VALUES(100, 'x')",
    "INSERT INTO c VALUES(NULL, NULL)",
    "INSERT OR IGNORE INTO c VALUES(-1, 'a'), (5, 'b')",
    "INSERT OR REPLACE INTO c VALUES(-1, 'a')",
    "UPDATE c SET a = -a",
    "UPDATE OR IGNORE c SET a = a - 1",
    "UPDATE c SET b = 'toolong' WHERE a = 5",
  ],
  "INSERT ... SELECT": [
    "CREATE TABLE s(x, y)",
    "INSERT INTO s VALUES(1, 'a'), (2, 'b'), (3, 'c')",
    "CREATE TABLE d(id INTEGER PRIMARY KEY, v TEXT, w DEFAULT 42)",
    "INSERT INTO d(v) SELECT y FROM s",
    "INSERT INTO d SELECT x + 10, y, x * 2 FROM s WHERE x > 1",
    "INSERT INTO d(v, id) SELECT y || y, x + 100 FROM s ORDER BY x DESC",
    "INSERT INTO d SELECT * FROM d",
    "INSERT INTO d(v) SELECT v FROM d WHERE id < 3",
    "INSERT INTO d SELECT 1, 2",
    "INSERT INTO d SELECT 1, 2, 3, 4",
    "INSERT INTO d(v) SELECT 1, 2",
    "INSERT OR IGNORE INTO d SELECT id - 1, 'dup', 0 FROM d",
    "INSERT OR REPLACE INTO d SELECT id, 'rep', 0 FROM d WHERE id > 100",
    "INSERT INTO d(v) SELECT count(*) FROM s",
    "INSERT INTO d(v) SELECT x FROM s LIMIT 2 OFFSET 1",
    "INSERT INTO d(v) VALUES(1), (2) ",
    "INSERT INTO d(v) SELECT DISTINCT y FROM s",
    "INSERT INTO d DEFAULT VALUES",
    "INSERT INTO s SELECT * FROM s",
    "INSERT INTO d SELECT 5, 'x', 1 FROM s",
  ],
  "partial unique index": [
    "CREATE TABLE p(a, b)",
    "CREATE UNIQUE INDEX pu ON p(a) WHERE b > 0",
    "INSERT INTO p VALUES(1, 1), (1, 0), (1, -1)",
    "INSERT INTO p VALUES(1, 5)",
    "INSERT OR REPLACE INTO p VALUES(1, 6)",
    "UPDATE p SET b = 1 WHERE b = 0",
    "UPDATE p SET b = 0 WHERE b = 6",
    "UPDATE p SET b = 2 WHERE b = -1",
    "SELECT a, b FROM p WHERE a = 1 AND b > 0",
    "DELETE FROM p WHERE b = 2",
  ],
  "REPLACE deletes the victim's entry in the index that found it without a seek": [
    "CREATE TABLE r(a INTEGER PRIMARY KEY, b UNIQUE, c TEXT COLLATE NOCASE UNIQUE, d, e)",
    "CREATE INDEX rd ON r(d DESC, e)",
    "CREATE UNIQUE INDEX re ON r(e) WHERE e > 10",
    "CREATE UNIQUE INDEX rx ON r(abs(d), b)",
    "INSERT INTO r VALUES(1, 1, 'One', 1, 1), (2, 2, 'two', -2, 12), (3, 3, 'THREE', 3, 13), (4, 4, 'four', 4, 4)",
    "REPLACE INTO r VALUES(5, 1, 'two', 5, 13)",
    "SELECT * FROM r ORDER BY a",
    "REPLACE INTO r(b, c, d, e) VALUES(4, 'ONE', 2, 12)",
    "REPLACE INTO r(b, c, d, e) VALUES(9, 'nine', -2, 12), (10, 'Nine', 9, 4), (11, 'x', 11, 11)",
    "REPLACE INTO r(b, c, d, e) SELECT b + 100, c, d, e + 1 FROM r",
    "UPDATE OR REPLACE r SET c = 'x', e = 14 WHERE b = 110",
    "UPDATE OR REPLACE r SET b = b - 100 WHERE b > 100",
    "SELECT * FROM r ORDER BY a",
    "SELECT b, c FROM r WHERE c = 'NINE'",
    "SELECT d, e FROM r ORDER BY d DESC, e",
    "SELECT e FROM r WHERE e > 10 ORDER BY e",
    "PRAGMA integrity_check",
    "CREATE TABLE z1(a INTEGER, b INTEGER, c TEXT)",
    "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 600) INSERT INTO z1 SELECT i * 7919 % 1009, i, 'text ' || i || printf('%.*c', i % 40, 'x') FROM s",
    "CREATE TABLE z2(a INTEGER UNIQUE, b INTEGER, c TEXT)",
    "CREATE UNIQUE INDEX t2b ON z2(b)",
    "CREATE INDEX t2c ON z2(c DESC)",
    "INSERT INTO z2 SELECT * FROM z1",
    "REPLACE INTO z2(a, b, c) SELECT a, b, c FROM z1",
    "REPLACE INTO z2(a, b, c) SELECT b, a, c || 'y' FROM z1 WHERE b % 3 = 0",
    "SELECT count(*), sum(a), sum(b), sum(length(c)) FROM z2",
    "PRAGMA integrity_check",
  ],
};

describe("conflict resolution and INSERT ... SELECT vs SQLite 3.53", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(name, () => {
      const pair = new Pair();
      pair.script(script);
      pair.close();
    });
  }
});

const UPSERT: Record<string, string[]> = {
  "DO NOTHING, DO UPDATE, excluded, WHERE, several clauses": [
    "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER, n INTEGER DEFAULT 0)",
    "INSERT INTO kv VALUES('a', 1, 0)",
    "INSERT INTO kv VALUES('a', 2, 0) ON CONFLICT(k) DO NOTHING",
    "INSERT INTO kv VALUES('a', 2, 0) ON CONFLICT DO NOTHING",
    "INSERT INTO kv(k, v) VALUES('a', 5), ('b', 6) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v, n = n + 1",
    "INSERT INTO kv(k, v) VALUES('a', 1) ON CONFLICT(k) DO UPDATE SET v = excluded.v WHERE excluded.v > kv.v",
    "INSERT INTO kv(k, v) VALUES('a', 100) ON CONFLICT(k) DO UPDATE SET v = excluded.v WHERE excluded.v > kv.v",
    "INSERT INTO kv(k, v) VALUES('c', 1) ON CONFLICT(v) DO NOTHING",
    "INSERT INTO kv(k, v) VALUES('a', 1) ON CONFLICT(k) DO UPDATE SET k = 'b'",
    "INSERT INTO kv(k, v) VALUES('a', 1) ON CONFLICT(k) DO UPDATE SET nope = 1",
    "CREATE TABLE u(id INTEGER PRIMARY KEY, a UNIQUE, b UNIQUE, c)",
    "INSERT INTO u VALUES(1, 1, 1, 'x'), (2, 2, 2, 'y')",
    "INSERT INTO u VALUES(3, 1, 2, 'z') ON CONFLICT(a) DO UPDATE SET c = 'by a' ON CONFLICT(b) DO UPDATE SET c = 'by b'",
    "INSERT INTO u VALUES(3, 5, 2, 'z') ON CONFLICT(a) DO UPDATE SET c = 'by a' ON CONFLICT(b) DO UPDATE SET c = 'by b'",
    "INSERT INTO u VALUES(1, 7, 7, 'z') ON CONFLICT(id) DO UPDATE SET c = excluded.c || c",
    "INSERT INTO u VALUES(9, 1, 9, 'q') ON CONFLICT(b) DO NOTHING",
    "INSERT INTO u VALUES(9, 9, 9, 'q') ON CONFLICT(a) DO UPDATE SET c = 1 ON CONFLICT DO NOTHING",
    "INSERT INTO u VALUES(1, 1, 1, 'q') ON CONFLICT(a) DO UPDATE SET b = 2",
    "INSERT INTO u SELECT id + 100, a, b, 'sel' FROM u WHERE true ON CONFLICT(a) DO UPDATE SET c = excluded.c",
    "INSERT INTO u(a, b) VALUES(2, 50) ON CONFLICT(a) DO UPDATE SET id = 77",
  ],
};

describe("UPSERT vs SQLite 3.53", () => {
  for (const [name, script] of Object.entries(UPSERT)) {
    it(name, () => {
      const pair = new Pair();
      pair.script(script);
      pair.close();
    });
  }
});

const RETURNING: Record<string, string[]> = {
  "INSERT / UPDATE / DELETE ... RETURNING": [
    "CREATE TABLE r(id INTEGER PRIMARY KEY, a TEXT, b REAL DEFAULT 1.5, c UNIQUE)",
    "INSERT INTO r(a, c) VALUES('x', 1), ('y', 2) RETURNING *",
    "INSERT INTO r(a, c) VALUES('z', 3) RETURNING id, a || '!' AS bang, b * 2, typeof(b), rowid",
    "INSERT INTO r(a, c) SELECT a || a, c + 10 FROM r RETURNING id, a, length(a)",
    "INSERT INTO r(id, a, c) VALUES(1, 'up', 99) ON CONFLICT(id) DO UPDATE SET a = excluded.a RETURNING id, a, c",
    "INSERT OR IGNORE INTO r(id, a, c) VALUES(1, 'ign', 98), (50, 'new', 97) RETURNING id, a",
    "UPDATE r SET b = b + id WHERE id > 2 RETURNING id, b",
    "UPDATE r SET a = upper(a) RETURNING a",
    "DELETE FROM r WHERE id > 3 RETURNING id, a, c",
    "DELETE FROM r WHERE id = 1000 RETURNING *",
    "INSERT INTO r(c) VALUES(2) RETURNING id",
    "DELETE FROM r RETURNING nope",
  ],
};

describe("RETURNING vs SQLite 3.53", () => {
  for (const [name, script] of Object.entries(RETURNING)) {
    it(name, () => {
      const pair = new Pair();
      for (const s of script) pair.step(s, { ordered: true });
      pair.close();
    });
  }
});
