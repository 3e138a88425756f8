/*
 * The order an UPDATE visits its rows is observable (a UNIQUE conflict half way, OR
 * IGNORE / OR FAIL): SQLite runs it one-pass in the WHERE loop's order when it can
 * (update.c, WHERE_ONEPASS_MULTIROW) and in key order otherwise. Each case against
 * SQLite 3.53: the outcome and the table after it. (Cases from the trigger and WITHOUT
 * ROWID properties' random seeds: trigger.prop 55, without-rowid.prop 5, 8, 13.)
 */
import { describe, it } from "vitest";
import { withPair } from "./diff-helper.js";

const CASES: [string, string, string[]][] = [
  ["a PRIMARY KEY index scan (not the rowid order) decides which UNIQUE value is free first",
    "CREATE TABLE t(a INT PRIMARY KEY, b UNIQUE); INSERT INTO t VALUES (0, 0), (-1, -1)", ["UPDATE t SET b = b + -1 WHERE a < 1"]],
  ["OR IGNORE keeps the row the index order reaches first",
    "CREATE TABLE t(a, b UNIQUE, c); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (3, 1, 0), (1, 2, 0), (2, 3, 0)", ["UPDATE OR IGNORE t SET b = 2 WHERE a > 0"]],
  ["OR FAIL stops after the rows the index order reached",
    "CREATE TABLE t(a, b UNIQUE, c); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (3, 1, 0), (1, 2, 0), (2, 3, 0)", ["UPDATE OR FAIL t SET b = 9 WHERE a > 0"]],
  ["an index the UPDATE rewrites is not a one-pass scan: rowid order",
    "CREATE TABLE t(a, b UNIQUE); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (3, 1), (1, 2), (2, 3)", ["UPDATE OR FAIL t SET a = a + 1, b = 7 WHERE a > 0"]],
  ["a trigger turns one-pass off: rowid order",
    "CREATE TABLE t(a, b UNIQUE); CREATE INDEX ta ON t(a); CREATE TABLE log(x); INSERT INTO t VALUES (3, 1), (1, 2), (2, 3)",
    ["CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES (new.rowid); END", "UPDATE OR IGNORE t SET b = 5 WHERE a > 0", "SELECT * FROM log"]],
  ["WITHOUT ROWID: a secondary index scan",
    "CREATE TABLE w(a, b, c, PRIMARY KEY(a)) WITHOUT ROWID; CREATE UNIQUE INDEX wc ON w(c); CREATE INDEX wb ON w(b); INSERT INTO w VALUES (1, 3, 10), (2, 1, 20), (3, 2, 30)",
    ["UPDATE OR IGNORE w SET c = 5 WHERE b > 0"]],
  ["WITHOUT ROWID: a covering index that is narrower than the table",
    "CREATE TABLE w(a INT, b INT, c COLLATE RTRIM, d INT UNIQUE, PRIMARY KEY(a DESC, b, c)) WITHOUT ROWID; CREATE INDEX wi ON w(c); INSERT INTO w VALUES (-3, -3, 1, NULL), ('x', -3, 'x', NULL)",
    ["UPDATE OR FAIL w SET d = '1' WHERE b < 2.5"]],
];

describe("UPDATE visits rows in SQLite's order", () => {
  for (const [name, setup, stmts] of CASES) {
    it(name, () => withPair((pair) => {
      pair.exec(setup);
      for (const s of stmts) pair.expectSame(s);
      const table = /CREATE TABLE (\w+)/.exec(setup)![1];
      pair.expectSame(`SELECT * FROM ${table} ORDER BY 1, 2`);
    }));
  }
});
