/*
 * ORDER BY that starts with the outer loop's rowid (unique) and goes on with an inner
 * table's columns, against SQLite 3.53: the outer scan delivers the first term, but the
 * rows of the inner loop come out per outer row in the inner loop's own order, so the
 * later terms still need the sorter (they were dropped: `ORDER BY k.rowid, t.rowid DESC`
 * came out with t ascending). Terms on the outer table's own columns after its rowid
 * need nothing more.
 */
import { describe, it } from "vitest";
import { withPair } from "./diff-helper.js";

describe("ORDER BY outer rowid, then inner columns", () => {
  it("joins ordered by the outer rowid and inner terms", () => withPair((pair) => {
    pair.exec("CREATE TABLE k(v INTEGER, w)");
    pair.exec("CREATE TABLE t(a, b INTEGER PRIMARY KEY)");
    pair.exec("CREATE INDEX t_a ON t(a)");
    pair.exec("INSERT INTO k VALUES (3, 'x'), (1, 'y'), (2, 'z')");
    pair.exec("INSERT INTO t VALUES ('p', 1), ('q', 5), ('r', 3), ('p', 4)");
    for (const q of [
      "SELECT k.rowid, t.rowid FROM k CROSS JOIN t ORDER BY 1, 2 DESC",
      "SELECT k.rowid, t.rowid FROM k CROSS JOIN t ORDER BY k.rowid DESC, t.rowid",
      "SELECT k.rowid, t.a, t.b FROM k CROSS JOIN t ORDER BY k.rowid, t.a DESC, t.b",
      "SELECT k.rowid, t.b FROM k CROSS JOIN t WHERE t.b <= k.v ORDER BY k.rowid, t.b DESC",
      "SELECT k.rowid, t.b FROM k CROSS JOIN t WHERE t.b >= k.v ORDER BY k.rowid DESC, t.b DESC",
      "SELECT k.rowid, k.w, t.b FROM k CROSS JOIN t ORDER BY k.rowid, k.w, t.b DESC",
      "SELECT k.rowid, t.b FROM k CROSS JOIN t ORDER BY k.rowid, t.b DESC LIMIT 5",
      "SELECT k.rowid, t.a FROM k CROSS JOIN t ON t.a > k.w ORDER BY k.rowid, t.a COLLATE NOCASE DESC, t.b",
    ]) pair.expectSame(q);
  }));
});
