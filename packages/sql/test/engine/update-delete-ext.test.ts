/*
 * UPDATE / DELETE ... ORDER BY ... LIMIT ... OFFSET (the SQLite we follow is built with
 * SQLITE_ENABLE_UPDATE_DELETE_LIMIT) and row values in UPDATE SET, differential against
 * SQLite 3.53 with the full state compared after every statement.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { Pair } from "./dml-support.js";

const SCRIPTS: Record<string, string[]> = {
  "DELETE and UPDATE visit their rows in rowid order, whatever order an index finds them in": [
    "CREATE TABLE t1(a INTEGER PRIMARY KEY, b)",
    "CREATE TABLE t2(a INTEGER, b)",
    "CREATE INDEX t2a ON t2(a)",
    "CREATE TRIGGER d BEFORE DELETE ON t2 BEGIN INSERT OR IGNORE INTO t1(a, b) VALUES(0, old.a + 1); END",
    "CREATE TRIGGER u BEFORE UPDATE ON t2 BEGIN INSERT OR IGNORE INTO t1(a, b) VALUES(1, old.a); END",
    "INSERT INTO t2(a, b) VALUES ('7', NULL), (0, 0), (3, 1)",
    "UPDATE t2 SET b = 9 WHERE a >= 0",
    "DELETE FROM t2 WHERE a >= 0",
  ],
  "DELETE without WHERE clears the table at once (truncate optimization), changes() counts the rows": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c)",
    "CREATE INDEX tc ON t(c)",
    "INSERT INTO t SELECT value, value * 2, 'row ' || value FROM (WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 700) SELECT value FROM s)",
    "DELETE FROM t",
    "INSERT INTO t VALUES(NULL, 1, 'x'), (NULL, 2, 'y')",
    "DELETE FROM main.t",
    "DELETE FROM t",
    "CREATE TABLE u(x INTEGER PRIMARY KEY AUTOINCREMENT, y)",
    "INSERT INTO u(y) VALUES(1), (2), (3)",
    "DELETE FROM u",
    "INSERT INTO u(y) VALUES(4)",
    "CREATE TABLE log(n)",
    "CREATE TRIGGER ud AFTER DELETE ON u BEGIN INSERT INTO log VALUES(old.x); END",
    "DELETE FROM u",
    "DELETE FROM t RETURNING *",
  ],
  "DELETE ... ORDER BY ... LIMIT ... OFFSET": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c TEXT COLLATE NOCASE)",
    "INSERT INTO t VALUES(1, 5, 'b'), (2, 3, 'A'), (3, 5, 'a'), (4, NULL, 'C'), (5, 1, 'B'), (6, 3, NULL)",
    "DELETE FROM t ORDER BY b",
    "DELETE FROM t ORDER BY 2 LIMIT 1",
    "DELETE FROM t ORDER BY b LIMIT 2",
    "INSERT INTO t VALUES(5, 1, 'B'), (6, 3, NULL)",
    "DELETE FROM t ORDER BY b DESC, a LIMIT 1 OFFSET 1",
    "DELETE FROM t ORDER BY c LIMIT 1",
    "DELETE FROM t ORDER BY c DESC NULLS FIRST LIMIT 1",
    "DELETE FROM t ORDER BY 1 DESC LIMIT 1",
    "DELETE FROM t WHERE b IS NOT NULL LIMIT 0",
    "DELETE FROM t LIMIT -1 OFFSET 1",
    "DELETE FROM t LIMIT 1 RETURNING *",
    "DELETE FROM t LIMIT 'x'",
  ],
  "UPDATE ... ORDER BY ... LIMIT with conflicts": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c)",
    "INSERT INTO t VALUES(1, 10, 'x'), (2, 20, 'y'), (3, 30, 'z'), (4, 40, 'w')",
    "UPDATE t SET c = 'o' ORDER BY b",
    "UPDATE t SET c = 'first' ORDER BY b DESC LIMIT 2",
    "UPDATE t SET c = c || '!' ORDER BY c LIMIT 2 OFFSET 1",
    "UPDATE OR FAIL t SET b = 20 ORDER BY a DESC LIMIT 3",
    "UPDATE OR IGNORE t SET b = b + 10 ORDER BY b LIMIT 10",
    "UPDATE t SET b = b + 1000 WHERE a > 1 LIMIT 2 RETURNING a, b",
    "CREATE INDEX tc ON t(c)",
    "UPDATE t SET c = 'q' WHERE c > 'a' ORDER BY c LIMIT 1",
  ],
  "row values in SET": [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c, d)",
    "INSERT INTO t VALUES(1, 2, 3, 4), (2, 5, 6, 7)",
    "UPDATE t SET (b, c) = (c, b)",
    "UPDATE t SET (b, c, d) = (1, 2)",
    "UPDATE t SET (b, c) = 5",
    "UPDATE t SET (b, c) = (SELECT 1)",
    "UPDATE t SET (b, c) = (SELECT 1, 2, 3)",
    "UPDATE t SET b = (1, 2)",
    "UPDATE t SET (b, c) = (SELECT max(a), min(a) FROM t)",
    "UPDATE t SET (c, d) = (SELECT x.b * 10, x.a FROM t AS x WHERE x.a = t.a), b = 0",
    "UPDATE t SET (c, d) = (SELECT 1, 2 WHERE 0)",
    "UPDATE t SET (b, b) = (1, 2)",
    "UPDATE t SET (a, b) = (a + 10, 'moved') WHERE a = 1",
    "UPDATE t SET (rowid, d) = (100, 'r') WHERE a = 2",
    "UPDATE t SET (b) = (9)",
    "UPDATE t SET (b, nope) = (1, 2)",
  ],
};

describe("UPDATE/DELETE ORDER BY LIMIT and row-value SET vs SQLite 3.53", () => {
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

  it("random ORDER BY / LIMIT / OFFSET agree", () => {
    const term = fc.constantFrom("a", "b", "c", "b DESC", "c DESC", "b NULLS LAST", "a DESC", "1", "b || c");
    const stmt = fc.tuple(
      fc.constantFrom("DELETE FROM t", "UPDATE t SET c = coalesce(c, 0) + 1", "UPDATE OR IGNORE t SET b = b + 1", "UPDATE t SET (b, c) = (c, b)"),
      fc.option(fc.constantFrom("b > 2", "c IS NULL", "a % 2 = 0"), { nil: null }),
      // A LIMIT without a total ORDER BY picks rows in the planner's scan order (SQLite
      // scans the covering UNIQUE index here), so the order always ends with the rowid.
      fc.array(term, { minLength: 0, maxLength: 2 }),
      fc.integer({ min: -1, max: 5 }),
      fc.option(fc.integer({ min: -1, max: 4 }), { nil: null }),
    ).map(([head, where, order, lim, off]) =>
      `${head}${where !== null ? ` WHERE ${where}` : ""}${` ORDER BY ${[...order, "a"].join(", ")}`} LIMIT ${lim}${off !== null ? ` OFFSET ${off}` : ""}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }), fc.option(fc.integer({ min: 0, max: 6 }), { nil: null })), { minLength: 0, maxLength: 12 }), fc.array(stmt, { minLength: 1, maxLength: 6 }), (rows, stmts) => {
        const pair = new Pair();
        try {
          pair.step("CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c)");
          for (const [b, c] of rows) pair.step(`INSERT OR IGNORE INTO t(b, c) VALUES(${b ?? "NULL"}, ${c ?? "NULL"})`);
          pair.script(stmts);
        } finally {
          pair.close();
        }
      }),
      { numRuns: 50 },
    );
  }, 120_000);
});
