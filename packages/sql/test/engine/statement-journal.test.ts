/*
 * Statement journals (connection.ts invariant 2), as SQLite opens them: a write
 * inside BEGIN that cannot leave a partial change (one row, its constraints checked
 * before it writes) opens none; one that changes several rows and may abort does. Each
 * script runs on Strata and SQLite 3.53, and the tables are compared after every step.
 */
import { describe, expect, it } from "vitest";
import { withPair } from "./diff-helper.js";

const SCRIPTS: [string, string[]][] = [
  ["single-row inserts failing inside BEGIN keep the transaction's other rows", [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE NOT NULL, c CHECK (c > 0))", "CREATE INDEX tc ON t(c)",
    "BEGIN", "INSERT INTO t VALUES (1, 'x', 1)", "INSERT INTO t VALUES (2, 'x', 2)", "INSERT INTO t VALUES (3, NULL, 3)",
    "INSERT INTO t VALUES (4, 'y', 0)", "INSERT INTO t VALUES (1, 'z', 5)", "INSERT INTO t VALUES (5, 'w', 5)", "COMMIT",
  ]],
  ["a multi-row INSERT that aborts half way is undone, the transaction goes on", [
    "CREATE TABLE t(a UNIQUE, b)", "BEGIN", "INSERT INTO t VALUES (1, 1)",
    "INSERT INTO t VALUES (2, 2), (3, 3), (1, 4), (5, 5)", "INSERT INTO t VALUES (6, 6)", "COMMIT",
  ]],
  ["a multi-row UPDATE that aborts is undone; then ROLLBACK", [
    "CREATE TABLE t(a UNIQUE, b)", "INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)", "BEGIN",
    "UPDATE t SET a = a + 1", "UPDATE t SET b = b * 10 WHERE a = 1", "ROLLBACK",
  ]],
  ["OR FAIL keeps the rows before the failure; OR ROLLBACK ends the transaction", [
    "CREATE TABLE t(a UNIQUE, b)", "INSERT INTO t VALUES (3, 0)", "BEGIN",
    "INSERT OR FAIL INTO t VALUES (1, 1), (2, 2), (3, 3), (4, 4)", "INSERT INTO t VALUES (9, 9)",
    "INSERT OR ROLLBACK INTO t VALUES (3, 3)", "INSERT INTO t VALUES (10, 10)",
  ]],
  ["TEMP and an attached database written in the same transaction", [
    "CREATE TABLE t(a UNIQUE)", "CREATE TEMP TABLE tt(a UNIQUE)", "ATTACH ':memory:' AS aux", "CREATE TABLE aux.u(a UNIQUE)",
    "BEGIN", "INSERT INTO t VALUES (1)", "INSERT INTO tt VALUES (1)", "INSERT INTO aux.u VALUES (1)",
    "INSERT INTO tt VALUES (1)", "INSERT INTO aux.u VALUES (1)", "INSERT INTO aux.u SELECT a + 1 FROM t UNION ALL SELECT 1",
    "INSERT INTO t VALUES (2)", "COMMIT",
  ]],
  ["SAVEPOINT / ROLLBACK TO around failing single-row writes", [
    "CREATE TABLE t(a UNIQUE)", "BEGIN", "INSERT INTO t VALUES (1)", "SAVEPOINT s", "INSERT INTO t VALUES (2)",
    "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (3)", "ROLLBACK TO s", "INSERT INTO t VALUES (4)", "RELEASE s", "COMMIT",
  ]],
];

describe("statement journals inside transactions vs SQLite 3.53", () => {
  for (const [name, script] of SCRIPTS) {
    it(name, () => withPair((pair) => {
      for (const sql of script) {
        pair.expectSame(sql);
        for (const table of ["main.t", "temp.tt", "aux.u"]) {
          const [a, b] = pair.both(`SELECT * FROM ${table} ORDER BY 1`);
          if (!("error" in b)) expect(a, `${table} after ${sql}`).toEqual(b);
        }
      }
    }));
  }
});
