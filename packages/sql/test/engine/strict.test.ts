/*
 * STRICT tables (https://sqlite.org/stricttables.html), differential against SQLite 3.53
 * with the full state compared after every statement.
 */
import { describe, it } from "vitest";
import { Pair } from "./dml-support.js";

const SCRIPTS: Record<string, string[]> = {
  "declared types at CREATE": [
    "CREATE TABLE s2(a FOO) STRICT",
    "CREATE TABLE s3(a) STRICT",
    "CREATE TABLE s4(a VARCHAR(10)) STRICT",
    "CREATE TABLE s5(a int, b Integer, c real, d TEXT, e blob, f Any) strict",
    "SELECT sql FROM sqlite_schema",
    "CREATE TABLE ok(a, b FOO)",
  ],
  "values must match the column types": [
    "CREATE TABLE s(a INT, b INTEGER, c REAL, d TEXT, e BLOB, f ANY) STRICT",
    "INSERT INTO s VALUES(1, 2, 3, 'x', x'00', 1.5)",
    "INSERT INTO s(a) VALUES('1')",
    "INSERT INTO s(a) VALUES('x')",
    "INSERT INTO s(a) VALUES(1.5)",
    "INSERT INTO s(a) VALUES(2.0)",
    "INSERT INTO s(a) VALUES(x'01')",
    "INSERT INTO s(b) VALUES(' 12 ')",
    "INSERT INTO s(b) VALUES('12abc')",
    "INSERT INTO s(b) VALUES(9223372036854775808)",
    "INSERT INTO s(b) VALUES('1e3')",
    "INSERT INTO s(c) VALUES('x')",
    "INSERT INTO s(c) VALUES(1), ('1.5'), (' 2 ')",
    "INSERT INTO s(d) VALUES(1), (2.5)",
    "INSERT INTO s(d) VALUES(x'01')",
    "INSERT INTO s(e) VALUES(1)",
    "INSERT INTO s(e) VALUES('t')",
    "INSERT INTO s(f) VALUES('1'), (1), (x'02'), (2.5)",
    "UPDATE s SET b = 'zz'",
    "UPDATE s SET b = '7' WHERE rowid = 1",
    "SELECT rowid, typeof(a), a, typeof(b), typeof(c), c, typeof(d), d, typeof(f), f FROM s",
    "INSERT OR IGNORE INTO s(a) VALUES('x')",
    "INSERT OR REPLACE INTO s(a) VALUES('x')",
    "INSERT OR FAIL INTO s(a) VALUES(10), ('x')",
    "BEGIN",
    "INSERT INTO s(a) VALUES(11)",
    "INSERT INTO s(a) VALUES(12), ('y')",
    "COMMIT",
  ],
  "NOT NULL first, then types, then CHECK and UNIQUE; INTEGER PRIMARY KEY": [
    "CREATE TABLE z(a INT NOT NULL, b INT CHECK(b > 0) UNIQUE) STRICT",
    "INSERT INTO z VALUES(NULL, 'x')",
    "INSERT INTO z VALUES(1, 'x')",
    "INSERT INTO z VALUES(1, 0)",
    "INSERT INTO z VALUES(1, 1)",
    "INSERT INTO z VALUES(2, 1)",
    "INSERT INTO z VALUES(2, '2') ON CONFLICT DO NOTHING",
    "INSERT INTO z VALUES(3, 2) ON CONFLICT(b) DO UPDATE SET a = 'bad'",
    "CREATE TABLE p(id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT",
    "INSERT INTO p VALUES('a', 'x')",
    "INSERT INTO p VALUES('5', 'x')",
    "INSERT INTO p VALUES(1.5, 'x')",
    "INSERT INTO p VALUES(7, NULL)",
    "INSERT INTO p VALUES(8, 8)",
  ],
};

describe("STRICT tables vs SQLite 3.53", () => {
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
