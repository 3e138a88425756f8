/*
 * GROUP BY and ORDER BY sorters whose records are plain columns of one table are built
 * from the row's record bytes (codegen/sorter-fields.ts, SorterInsertIdx) instead of
 * Column + MakeRecord: every case where a value is not the stored bytes must still come
 * out as Column gives it, against SQLite 3.53. A REAL column holding integers as SQLite
 * stores them (a file better-sqlite3 wrote), a column added by ALTER TABLE (missing from
 * old records: NULL, or its DEFAULT), the NULL row of a LEFT JOIN, WITHOUT ROWID storage
 * order, covering indexes, long text and blobs (overflow pages), DESC and LIMIT sorters.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withPair, type Pair } from "./diff-helper.js";
import { openDirectFile, runOracle, runStrata } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "strata-sorter-fields-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERIES = [
  "SELECT a, count(*), sum(c), min(b), max(b), typeof(min(c)) FROM t GROUP BY a ORDER BY a",
  "SELECT c, typeof(c), count(*) FROM t GROUP BY c ORDER BY c DESC",
  "SELECT a, b, c, typeof(c) FROM t ORDER BY c, b, a",
  "SELECT b, c FROM t ORDER BY b DESC LIMIT 7",
  "SELECT a, b FROM t WHERE a > 2 ORDER BY b, a",
  "SELECT d, e, count(*) FROM t GROUP BY d, e ORDER BY d, e",
  "SELECT t.a, u.y, u.z FROM t LEFT JOIN u ON u.x = t.a ORDER BY u.y, t.a, u.z",
  "SELECT u.y, count(*) FROM t LEFT JOIN u ON u.x = t.a GROUP BY u.y ORDER BY 1",
];

function fill(pair: Pair): void {
  pair.exec("CREATE TABLE t(a INTEGER, b TEXT, c REAL)");
  pair.exec("INSERT INTO t VALUES (1, 'one', 1.0), (2, 'two', 2.5), (3, 'three', -7.0), (1, 'uno', 0.0), (4, NULL, NULL)");
  pair.exec("INSERT INTO t SELECT a + 4, b || '-' || substr('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 1, a * 7), c * 2 FROM t");
  pair.exec("INSERT INTO t VALUES (9, hex(zeroblob(3000)), 1e300), (9, x'00ff', 9223372036854775807.0)");
  pair.exec("ALTER TABLE t ADD COLUMN d");
  pair.exec("ALTER TABLE t ADD COLUMN e DEFAULT 'dflt'");
  pair.exec("INSERT INTO t VALUES (5, 'new', 5.0, 'dd', 'ee'), (5, 'newer', 5, NULL, NULL)");
  pair.exec("CREATE TABLE u(x INTEGER, y TEXT, z REAL)");
  pair.exec("INSERT INTO u VALUES (1, 'p', 1), (3, 'q', 3.5), (3, 'r', NULL)");
}

describe("sorter records copied from rows, against SQLite 3.53", () => {
  it("rowid tables: REAL affinity, ALTER TABLE columns, NULL rows, overflow", () => withPair((pair) => {
    fill(pair);
    for (const q of QUERIES) pair.expectSame(q);
    pair.exec("CREATE INDEX tb ON t(b, c)");
    for (const q of ["SELECT b, c FROM t WHERE b > 'o' ORDER BY c, b", "SELECT c, count(*) FROM t WHERE b > 'a' GROUP BY c ORDER BY c"]) pair.expectSame(q);
  }));

  it("WITHOUT ROWID tables in storage order, through the table and a covering index", () => withPair((pair) => {
    pair.exec("CREATE TABLE w(a INT, b TEXT, c REAL, d, PRIMARY KEY(d, b)) WITHOUT ROWID");
    pair.exec("INSERT INTO w VALUES (1, 'x', 1, 'k1'), (2, 'y', 2.5, 'k2'), (1, 'z', 3, 'k0'), (NULL, 'q', NULL, 'k3')");
    pair.exec("CREATE INDEX wa ON w(a, c)");
    for (const q of [
      "SELECT a, b, c, d FROM w ORDER BY c, a",
      "SELECT a, count(*), sum(c) FROM w GROUP BY a ORDER BY a",
      "SELECT a, c, typeof(c) FROM w WHERE a >= 1 ORDER BY c DESC",
      "SELECT c, d FROM w WHERE a >= 0 ORDER BY d, c",
    ]) pair.expectSame(q);
  }));

  it("a file SQLite wrote: integers stored in a REAL column come out REAL", () => {
    const path = join(dir, "reals.db");
    const oracle = new Database(path);
    oracle.exec("CREATE TABLE t(a INTEGER, b TEXT, c REAL); INSERT INTO t VALUES (1, 'a', 2.0), (2, 'b', 3.5), (1, 'c', -4.0), (3, 'd', 0.0)");
    const conn = openDirectFile(path);
    try {
      for (const q of ["SELECT a, c, typeof(c) FROM t ORDER BY c", "SELECT a, sum(c), typeof(max(c)) FROM t GROUP BY a ORDER BY a", "SELECT c, typeof(c) FROM t GROUP BY c ORDER BY c"]) {
        expect(runStrata(conn, q), q).toEqual(runOracle(oracle, q));
      }
    } finally {
      conn.close();
      oracle.close();
    }
  });
});
