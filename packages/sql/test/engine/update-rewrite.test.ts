/*
 * UPDATE and DELETE that rewrite rows in place over a multi-page table: rows that grow
 * into and shrink out of overflow pages (the table write replaces the cell the cursor is
 * on, then balance moves cells between pages), indexed columns the WHERE loop does not
 * use, DELETE with WHERE on an index (UPDATE without index work runs in one pass through
 * the WHERE loop's cursor, so these also check where a write leaves it). Each against
 * SQLite 3.53: the outcome, the table after it and integrity_check.
 */
import { describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP =
  "CREATE TABLE t(a INTEGER PRIMARY KEY, b INT, c TEXT, d INT, e TEXT NOT NULL DEFAULT ''); CREATE INDEX tb ON t(b); CREATE INDEX tc ON t(c); " +
  "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 600) " +
  "INSERT INTO t(a, b, c, d) SELECT i, (i * 37) % 101, printf('%.*c', 20 + (i * 13) % 700, 'x') || i, i FROM s";

const CASES: [string, string[]][] = [
  ["a whole-table UPDATE of an unindexed column", ["UPDATE t SET d = b * 4"]],
  ["rows grow into overflow pages", ["UPDATE t SET c = c || printf('%.*c', 5000, 'y') WHERE a % 3 = 0"]],
  ["rows shrink out of overflow pages", ["UPDATE t SET c = printf('%.*c', 5000, 'y') || a WHERE a % 2 = 0", "UPDATE t SET c = 'z' || a WHERE a % 4 = 0"]],
  ["an indexed column the loop (on b) does not use", ["UPDATE t SET c = upper(c) || 'q' WHERE b BETWEEN 10 AND 60"]],
  ["the loop's own index column", ["UPDATE t SET b = b + 1 WHERE b BETWEEN 10 AND 60"]],
  ["by rowid, one row at a time", ["UPDATE t SET c = printf('%.*c', 3000, 'w') WHERE a = 17", "UPDATE t SET d = NULL WHERE a = 18", "UPDATE t SET a = 10000 WHERE a = 19"]],
  // Unindexed columns: written through the WHERE loop's own cursor (one pass).
  ["a whole-table scan grows rows into overflow pages", ["UPDATE t SET e = printf('%.*c', 1000 + (a * 97) % 5000, 'e') || a"]],
  ["a whole-table scan grows then shrinks rows", ["UPDATE t SET e = printf('%.*c', 4000, 'e') WHERE a % 3 <> 1", "UPDATE t SET e = a WHERE a % 2 = 0", "UPDATE t SET e = printf('%.*c', a * 3, 'f')"]],
  ["an index loop (b) grows rows", ["UPDATE t SET e = printf('%.*c', 3000, 'g') || a, d = -d WHERE b BETWEEN 5 AND 80"]],
  ["a rowid range grows rows", ["UPDATE t SET e = printf('%.*c', 2500, 'h') WHERE a BETWEEN 50 AND 450"]],
  ["OR FAIL on NOT NULL half way through an index loop", ["UPDATE t SET e = printf('%.*c', 2000, 'i') WHERE a < 300", "UPDATE OR FAIL t SET e = CASE WHEN b = 50 THEN NULL ELSE e || 'j' END WHERE b > 20"]],
  ["OR IGNORE on NOT NULL over a table scan", ["UPDATE OR IGNORE t SET e = CASE WHEN a % 7 = 0 THEN NULL ELSE printf('%.*c', 1500, 'k') END, d = d + 1"]],
  ["a failing NOT NULL aborts the whole scan", ["UPDATE t SET e = CASE WHEN a = 400 THEN NULL ELSE printf('%.*c', 1500, 'k') END"]],
  ["DELETE over a table scan of overflow rows", ["UPDATE t SET e = printf('%.*c', 1000 + (a * 97) % 5000, 'e')", "DELETE FROM t WHERE length(e) % 3 <> 0", "DELETE FROM t WHERE a % 5 = 1"]],
  ["DELETE of every other entry of an index loop with duplicate keys", ["DELETE FROM t WHERE b > 10 AND a % 2 = 0", "DELETE FROM t WHERE b BETWEEN 0 AND 50 AND a % 3 = 1"]],
  ["DELETE by IN list, by OR over two indexes, by rowid", ["DELETE FROM t WHERE b IN (3, 4, 99, 50)", "DELETE FROM t WHERE b = 7 OR c < 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'", "DELETE FROM t WHERE a = 599", "DELETE FROM t WHERE rowid > 590"]],
  ["DELETE of all rows through an index loop", ["DELETE FROM t WHERE b >= 0"]],
  ["DELETE with WHERE on an index", ["DELETE FROM t WHERE b BETWEEN 20 AND 70"]],
  ["DELETE by rowid range and by an indexed text", ["DELETE FROM t WHERE a BETWEEN 100 AND 300", "DELETE FROM t WHERE c > 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"]],
];

describe("UPDATE / DELETE rewriting rows of a multi-page table", () => {
  for (const [name, stmts] of CASES) {
    it(name, () => {
      const pair = new Pair();
      try {
        pair.exec(SETUP);
        for (const s of stmts) {
          const [mine, theirs] = pair.both(s);
          expect(mine, s).toEqual(theirs);
        }
        for (const q of ["SELECT * FROM t ORDER BY a", "SELECT b, a FROM t INDEXED BY tb ORDER BY b, a", "PRAGMA integrity_check"]) {
          const [mine, theirs] = pair.both(q);
          expect(mine, q).toEqual(theirs);
        }
      } finally {
        pair.close();
      }
    });
  }
});

/*
 * The one-pass UPDATE in the WHERE loop reads unchanged columns straight into the new row
 * and applies the table's affinities in MakeRecord: values of every storage class into
 * columns of every affinity, columns added by ALTER TABLE (absent from old records: NULL
 * or their DEFAULT), integers kept in a REAL column, the INTEGER PRIMARY KEY, literals
 * in SET and WHERE; then the same through a CHECK table and a STRICT table, which keep
 * the separate Affinity before their checks.
 */
describe("one-pass UPDATE: unchanged columns and affinities", () => {
  const TABLES = [
    "CREATE TABLE u(id INTEGER PRIMARY KEY, i INTEGER, r REAL, n NUMERIC, x TEXT, b BLOB, y)",
    "CREATE TABLE u(id INTEGER PRIMARY KEY, i INTEGER, r REAL, n NUMERIC, x TEXT, b BLOB, y, CHECK (i IS NULL OR i < 1000000))",
    "CREATE TABLE u(id INTEGER PRIMARY KEY, i INTEGER, r REAL, n INT, x TEXT, b BLOB, y ANY) STRICT",
  ];
  for (const table of TABLES) {
    it(table, () => {
      const pair = new Pair();
      try {
        pair.exec(table);
        pair.exec("INSERT INTO u VALUES (1, 1, 1.5, '2', 'a', x'01', 3), (2, 2, 2, 3.0, 'bb', x'02', 'z'), (3, NULL, NULL, NULL, NULL, NULL, NULL)");
        pair.exec("ALTER TABLE u ADD COLUMN d1 ANY");
        pair.exec("ALTER TABLE u ADD COLUMN d2 INTEGER DEFAULT 7");
        for (const s of [
          "UPDATE u SET y = 5",
          "UPDATE u SET i = '42', r = 3, n = '1e3', x = 12 WHERE id >= 2",
          "UPDATE u SET i = i * 2, r = r + 1, d1 = 'w' WHERE i > 1",
          "UPDATE u SET x = i || '!', d2 = d2 + 1 WHERE id <> 2",
          "UPDATE u SET r = 10 WHERE r IS NULL OR r < 5.5",
          "UPDATE u SET n = 'abc', b = 'text' WHERE id = 1",
        ]) {
          const [mine, theirs] = pair.both(s);
          expect(mine, s).toEqual(theirs);
          for (const q of ["SELECT id, i, typeof(i), r, typeof(r), n, typeof(n), x, typeof(x), b, typeof(b), y, typeof(y), d1, d2, typeof(d2) FROM u ORDER BY id", "PRAGMA integrity_check"]) {
            const [a, b] = pair.both(q);
            expect(a, `${s}: ${q}`).toEqual(b);
          }
        }
      } finally {
        pair.close();
      }
    });
  }
});

/*
 * A one-pass UPDATE of a table with a foreign key on itself keeps the old row in registers:
 * the self-reference is checked for the old and the new row even when its columns do not
 * change, which counts only while deferred violations are outstanding (then the missing
 * parent arrives and COMMIT must succeed, as in SQLite).
 */
describe("one-pass UPDATE of a self-referencing table", () => {
  for (const deferred of ["", " DEFERRABLE INITIALLY DEFERRED"]) {
    it(`parent REFERENCES t(id)${deferred}`, () => {
      const pair = new Pair();
      try {
        pair.exec("PRAGMA foreign_keys = ON");
        pair.exec(`CREATE TABLE t(id INTEGER PRIMARY KEY, parent REFERENCES t(id)${deferred}, x REAL)`);
        pair.exec("INSERT INTO t VALUES (1, NULL, 0), (2, 1, 0), (3, 2, 0)");
        for (const s of [
          "BEGIN", "INSERT INTO t VALUES (4, 99, 0)", "UPDATE t SET x = x + 1", "UPDATE t SET x = '7' WHERE id > 2",
          "INSERT INTO t VALUES (99, NULL, 0)", "COMMIT", "SELECT * FROM t ORDER BY id", "ROLLBACK",
          "UPDATE t SET x = 2", "SELECT id, parent, x, typeof(x) FROM t ORDER BY id", "PRAGMA foreign_key_list(t)",
        ]) {
          const [mine, theirs] = pair.both(s);
          expect(mine, s).toEqual(theirs);
        }
      } finally {
        pair.close();
      }
    });
  }
});
