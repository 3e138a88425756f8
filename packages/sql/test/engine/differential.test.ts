/*
 * Differential tests: the same scripts on Strata and on SQLite 3.53 (better-sqlite3);
 * every statement's rows (values with storage classes) and errors (code + message) must
 * agree exactly.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";

const SCRIPTS: Record<string, string[]> = {
  basics: [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d UNIQUE, e NOT NULL DEFAULT 7, f BLOB, g NUMERIC, h)",
    "INSERT INTO t VALUES(1,'x',2,3,4,x'00ff',5,6)",
    "INSERT INTO t(b,c,d) VALUES('y','3.5','10'),(12,'12',NULL),('1e3',' 4 ', 'z')",
    "INSERT INTO t(b,g,h) VALUES(1.0, '1.0', '1.0'), ('abc', 'abc', 2.5), (NULL, '0x10', x'01')",
    "SELECT * FROM t",
    "SELECT rowid, a, typeof(b), typeof(c), typeof(g), typeof(h) FROM t",
    "SELECT a, b FROM t WHERE a = 2",
    "SELECT a, b FROM t WHERE a > 2 AND a <= 4",
    "SELECT a, b FROM t WHERE rowid < 3",
    "SELECT a FROM t WHERE d = 3",
    "SELECT a FROM t WHERE d = '3'",
    "SELECT a FROM t WHERE b = 12",
    "SELECT a FROM t WHERE b = '12'",
    "SELECT a FROM t WHERE c > 3",
    "SELECT a FROM t WHERE g = 1",
    "SELECT a, e FROM t ORDER BY e DESC, a",
    "SELECT b FROM t ORDER BY b",
    "SELECT b FROM t ORDER BY 1 DESC",
    "SELECT a AS x FROM t ORDER BY x DESC LIMIT 2",
    "SELECT a FROM t ORDER BY a LIMIT 2 OFFSET 1",
    "SELECT a FROM t ORDER BY a LIMIT -1 OFFSET 3",
    "SELECT a FROM t ORDER BY a LIMIT 1, 2",
    "SELECT DISTINCT e FROM t",
    "SELECT DISTINCT e, e+1 FROM t ORDER BY 1",
    "SELECT count(*), count(d), sum(a), total(a), min(b), max(b), avg(a) FROM t",
    "SELECT count(*) FROM t WHERE a > 100",
    "SELECT max(a) + 1 FROM t",
    "INSERT INTO t(a,e) VALUES(1, 1)",
    "INSERT INTO t(d,e) VALUES(3, 1)",
    "INSERT INTO t(e) VALUES(NULL)",
    "INSERT INTO t(a) VALUES('abc')",
    "INSERT INTO t(zz) VALUES(1)",
    "INSERT INTO t VALUES(1)",
    "INSERT INTO nope VALUES(1)",
    "SELECT nope FROM t",
    "SELECT * FROM nope",
    "SELECT count(*) FROM t",
    "INSERT OR IGNORE INTO t(a, d) VALUES(1, 99), (100, 3), (101, 101)",
    "SELECT a, d FROM t WHERE a >= 100",
    "UPDATE t SET e = e + 10 WHERE a < 3",
    "SELECT a, e FROM t",
    "UPDATE t SET d = 3 WHERE a = 2",
    "UPDATE t SET a = a + 1000 WHERE a = 101",
    "SELECT a, d FROM t WHERE d = 101",
    "UPDATE t SET b = upper(b)",
    "SELECT b FROM t",
    "DELETE FROM t WHERE a > 4",
    "SELECT a FROM t",
    "DELETE FROM t",
    "SELECT count(*) FROM t",
    "DROP TABLE t",
    "SELECT * FROM t",
    "DROP TABLE t",
    "DROP TABLE IF EXISTS t",
  ],
  indexes: [
    "CREATE TABLE u(x, y TEXT COLLATE NOCASE, z INTEGER)",
    "CREATE INDEX ux ON u(x)",
    "CREATE UNIQUE INDEX uy ON u(y)",
    "INSERT INTO u VALUES(1,'a',10),(2,'B',20),('2','c',30),(2.0,'D',40),(NULL,NULL,50)",
    "INSERT INTO u VALUES(9,'A',1)",
    "SELECT x, y, z FROM u WHERE x = 2",
    "SELECT x, y, z FROM u WHERE x = '2'",
    "SELECT z FROM u WHERE y = 'b'",
    "SELECT z FROM u WHERE y = 'B' COLLATE BINARY",
    "SELECT z FROM u WHERE x IS NULL",
    "UPDATE u SET x = x * 10 WHERE z >= 30",
    "SELECT x, z FROM u WHERE x = 20",
    "SELECT x, z FROM u ORDER BY x, z",
    "DELETE FROM u WHERE y = 'a'",
    "SELECT z FROM u WHERE x = 1",
    "CREATE INDEX ux ON u(z)",
    "CREATE INDEX IF NOT EXISTS ux ON u(z)",
    "CREATE UNIQUE INDEX bad ON u(x)",
    "DROP INDEX ux",
    "SELECT x, z FROM u WHERE x = 20",
    "DROP INDEX ux",
    "CREATE TABLE v(a PRIMARY KEY, b UNIQUE, c, UNIQUE(b, c))",
    "INSERT INTO v VALUES(1, 2, 3), (2, 3, 4)",
    "INSERT INTO v VALUES(1, 5, 6)",
    "INSERT INTO v VALUES(7, 3, 6)",
    "DROP INDEX sqlite_autoindex_v_1",
    "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
    "CREATE TABLE v(q)",
    "CREATE TABLE sqlite_x(q)",
  ],
  transactions: [
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE)",
    "BEGIN",
    "INSERT INTO t VALUES(1, 1)",
    "INSERT INTO t VALUES(2, 1)",
    "SELECT * FROM t",
    "ROLLBACK",
    "SELECT * FROM t",
    "BEGIN IMMEDIATE",
    "INSERT INTO t VALUES(3, 3)",
    "BEGIN",
    "COMMIT",
    "SELECT * FROM t",
    "COMMIT",
    "ROLLBACK",
    "END",
    "INSERT INTO t VALUES(4, 4), (5, 4)",
    "SELECT * FROM t",
    "BEGIN; ",
    "CREATE TABLE w(x)",
    "INSERT INTO w VALUES(1)",
    "ROLLBACK",
    "SELECT * FROM w",
    "SAVEPOINT a",
    "INSERT INTO t VALUES(9, 9)",
    "RELEASE a",
    "SELECT * FROM t",
    "RELEASE b",
  ],
  expressions: [
    "SELECT 1, 1.0, 'a', x'41', NULL, -1, - 1.5, +'3'",
    "SELECT 9223372036854775807, -9223372036854775808, 9223372036854775808, 0x7fffffffffffffff, 0xffffffffffffffff",
    "SELECT 9223372036854775807 + 1, -9223372036854775808 - 1, 9223372036854775807 * 2, 4611686018427387904 * 2, 3037000500 * 3037000500",
    "SELECT 7 / 2, -7 / 2, 7 % 3, -7 % 3, 7 % -3, 7.5 % 2, 1 / 0, 1 % 0, 1.0 / 0, -9223372036854775808 / -1, -9223372036854775808 % -1",
    "SELECT '3' + 4, '3.5' * 2, 'abc' + 1, '12abc' + 1, ' 5 ' - 1, x'33' + 1, '1e2' + 0, '0x10' + 0",
    "SELECT 1 < 2, 1 = 1.0, '1' = 1, 'a' < 'b', 'a' < 'B', NULL = NULL, NULL IS NULL, 1 IS NOT NULL, 1 IS 1, NULL IS NOT 1",
    "SELECT 1 AND 0, 1 AND NULL, 0 AND NULL, 1 OR NULL, 0 OR NULL, NOT NULL, NOT 0, NOT 'abc', NOT '1'",
    "SELECT 5 & 3, 5 | 3, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, -8 >> 100, 5 << -1, ~5, ~NULL",
    "SELECT 'a' || 'b', 1 || 2, 1.5 || 'x', NULL || 'a', x'41' || 'b'",
    "SELECT 2 IN (1, 2, 3), 4 IN (1, 2), 4 IN (1, NULL), NULL IN (1), 2 NOT IN (1, NULL), 1 IN (1, NULL)",
    "SELECT 2 BETWEEN 1 AND 3, 5 BETWEEN 1 AND 3, NULL BETWEEN 1 AND 2, 2 NOT BETWEEN 3 AND 1",
    "SELECT CASE 1 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END, CASE WHEN NULL THEN 1 WHEN 0 THEN 2 END, CASE NULL WHEN NULL THEN 1 ELSE 2 END",
    "SELECT CAST('12abc' AS INTEGER), CAST('3.9' AS INTEGER), CAST(3.9 AS INTEGER), CAST(' 1e3 ' AS REAL), CAST(12 AS TEXT), CAST(1.5 AS TEXT), CAST('abc' AS NUMERIC), CAST('4.0' AS NUMERIC), CAST(x'3132' AS INTEGER), CAST(12 AS BLOB), CAST(NULL AS TEXT)",
    "SELECT 'abc' LIKE 'A%', 'abc' LIKE 'b%', 'abc' GLOB 'a*', 'abc' GLOB 'A*', 'a_c' LIKE 'a\\_c' ESCAPE '\\', 'abc' NOT LIKE '%c'",
    "SELECT 'a' = 'A' COLLATE NOCASE, 'a ' = 'a' COLLATE RTRIM, 'b' COLLATE NOCASE < 'A'",
    "SELECT abs(-5), length('héllo'), upper('abc'), substr('hello', 2, 3), coalesce(NULL, 2), ifnull(NULL, 'x'), nullif(1, 1), typeof(1.0), round(2.5), hex('a')",
    "SELECT 0.1 + 0.2, 1e308 * 10, -1e308 * 10, 1.0 * 3, 100000000000000000000, 1e-5, 123456789012345678",
    "SELECT ?, ?, ? + ?, ? IS NULL",
    "SELECT nosuchfunc(1)",
    "SELECT abs(1, 2)",
    "SELECT count(*) + 1",
    "SELECT 1 FROM nope",
    "SELECT true, false, TRUE + 1",
  ],
};

/** Without ORDER BY the row order is SQLite's plan's business: compare as multisets. */
function unordered(sql: string, o: Outcome): Outcome {
  if ("error" in o || /ORDER BY/i.test(sql)) return o;
  return { names: o.names, rows: [...o.rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
}

describe("differential scripts against SQLite 3.53", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(name, () => {
      const db = new Database(":memory:");
      const conn = openMemory();
      const params = [1, 2, "x", 4.5, null];
      for (const sql of script) {
        const p = sql.includes("?") ? params : [];
        // better-sqlite3 binds every JS number as a REAL; a bigint binds an INTEGER.
        const op = p.map((v) => (typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v));
        const want = unordered(sql, runOracle(db, sql, op));
        const got = unordered(sql, runStrata(conn, sql, p));
        expect({ sql, got }).toEqual({ sql, got: want });
      }
      db.close();
      conn.close();
    });
  }
});
