/*
 * Joins, differential against SQLite 3.53 (better-sqlite3): comma/CROSS/INNER/NATURAL/
 * USING/LEFT/RIGHT/FULL joins, self-joins, name resolution errors, index lookups inside
 * joins. Rows compare as multisets unless the query has an ORDER BY.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";

const SETUP = [
  "CREATE TABLE a(x, p)",
  "CREATE TABLE b(x, q)",
  "CREATE TABLE c(x INTEGER PRIMARY KEY, r TEXT)",
  "CREATE TABLE d(k INT, v TEXT COLLATE NOCASE, w REAL)",
  "CREATE INDEX d_k ON d(k)",
  "CREATE INDEX d_vw ON d(v, w)",
  "CREATE TABLE e(m, n, o)",
  "CREATE UNIQUE INDEX e_mn ON e(m, n)",
  "INSERT INTO a VALUES(1,'a1'),(3,'a3'),(NULL,'an'),(3,'a3b'),('2','a2t')",
  "INSERT INTO b VALUES(2,'b2'),(3,'b3'),(NULL,'bn'),(5,'b5'),(2.0,'b2r')",
  "INSERT INTO c VALUES(1,'c1'),(2,'c2'),(4,'c4'),(5,NULL)",
  "INSERT INTO d VALUES(1,'x',1.5),(2,'X',2),(2,'y',NULL),(NULL,'z',3),('3','Y',4),(5,NULL,5)",
  "INSERT INTO e VALUES(1,1,'e11'),(1,2,'e12'),(2,1,'e21'),(3,NULL,'e3n'),(NULL,1,'en1'),('1',3,'et')",
];

const QUERIES = [
  "SELECT * FROM a, b",
  "SELECT * FROM a CROSS JOIN b",
  "SELECT * FROM a JOIN b ON a.x = b.x",
  "SELECT * FROM a INNER JOIN b ON a.x = b.x AND b.q > 'b2'",
  "SELECT * FROM a JOIN b USING(x)",
  "SELECT x, p, q FROM a JOIN b USING(x)",
  "SELECT * FROM a NATURAL JOIN b",
  "SELECT * FROM a LEFT JOIN b ON a.x = b.x",
  "SELECT * FROM a LEFT OUTER JOIN b USING(x)",
  "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.x IS NULL",
  "SELECT * FROM a LEFT JOIN b ON a.x = b.x AND b.q = 'b3'",
  "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.q = 'b3'",
  "SELECT * FROM a LEFT JOIN b ON b.q = 'zz'",
  "SELECT * FROM a LEFT JOIN b ON a.p = 'a3'",
  "SELECT * FROM a RIGHT JOIN b ON a.x = b.x",
  "SELECT * FROM a RIGHT JOIN b USING(x)",
  "SELECT * FROM a FULL JOIN b ON a.x = b.x",
  "SELECT * FROM a FULL OUTER JOIN b USING(x)",
  "SELECT x FROM a FULL JOIN b USING(x)",
  "SELECT a.*, b.* FROM a FULL JOIN b USING(x)",
  "SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.x IS NULL OR b.x IS NULL",
  "SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE b.q <> 'b3'",
  "SELECT * FROM a LEFT JOIN b USING(x) FULL JOIN c USING(x)",
  "SELECT * FROM a RIGHT JOIN b ON a.x = b.x JOIN c ON c.x = b.x",
  "SELECT * FROM a JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = a.x",
  "SELECT * FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN c ON c.x = b.x",
  "SELECT * FROM a LEFT JOIN c ON c.x = a.x",
  "SELECT * FROM a JOIN c ON c.x = a.x",
  "SELECT * FROM a JOIN c ON c.x > a.x AND c.x < 5",
  "SELECT * FROM c JOIN d ON d.k = c.x",
  "SELECT * FROM c LEFT JOIN d ON d.k = c.x",
  "SELECT * FROM a JOIN d ON d.v = a.p",
  "SELECT * FROM d JOIN e ON e.m = d.k AND e.n = 1",
  "SELECT * FROM d JOIN e ON e.m = d.k WHERE e.n IN (1, 3)",
  "SELECT * FROM d, e WHERE e.m IN (1, 2, 1) AND e.n = d.k",
  "SELECT * FROM d WHERE v = 'x'",
  "SELECT * FROM d WHERE v = 'y' AND w > 1",
  "SELECT * FROM d WHERE v BETWEEN 'x' AND 'y'",
  "SELECT * FROM d WHERE k IN (2, '3', NULL)",
  "SELECT * FROM d WHERE k IS NULL",
  "SELECT * FROM e WHERE m = 1 AND n >= 2",
  "SELECT * FROM e WHERE m = 1 AND n < 2",
  "SELECT * FROM e WHERE m = '1'",
  "SELECT * FROM e WHERE m > 0 AND m <= 2",
  "SELECT * FROM c WHERE x IN (5, 1, 9)",
  "SELECT * FROM c WHERE x >= 2 AND x < 5",
  "SELECT x1.x, x2.x FROM c AS x1, c AS x2 WHERE x1.x < x2.x",
  "SELECT * FROM c x1 JOIN c x2 ON x1.x = x2.x + 1",
  "SELECT t.x, u.x FROM a t LEFT JOIN a u ON t.x = u.x",
  "SELECT * FROM a, b, c WHERE a.x = b.x AND b.x = c.x",
  "SELECT * FROM a, b, c, d WHERE a.x = b.x AND c.x = d.k",
  "SELECT count(*) FROM a, b, c",
  "SELECT count(*), max(a.p) FROM a JOIN b ON a.x = b.x",
  "SELECT DISTINCT a.x FROM a, b",
  "SELECT a.p, b.q FROM a JOIN b ON a.x = b.x ORDER BY a.p, b.q",
  "SELECT a.p, b.q FROM a LEFT JOIN b ON a.x = b.x ORDER BY 1, 2 LIMIT 3",
  "SELECT a.p, b.q FROM a, b ORDER BY b.q DESC, a.p LIMIT 4 OFFSET 2",
  "SELECT k, v FROM d ORDER BY k",
  "SELECT k FROM d ORDER BY k DESC",
  "SELECT v, w FROM d ORDER BY v, w",
  "SELECT v, w FROM d ORDER BY v DESC, w DESC",
  "SELECT v FROM d WHERE v > 'x' ORDER BY v",
  "SELECT m, n FROM e WHERE m = 1 ORDER BY n DESC",
  "SELECT * FROM c ORDER BY x DESC",
  "SELECT * FROM c WHERE x > 1 ORDER BY x DESC",
  "SELECT * FROM c WHERE x < 5 ORDER BY x DESC",
  "SELECT rowid, * FROM e WHERE m >= 1 ORDER BY m DESC, n DESC",
  // name resolution
  "SELECT x FROM a, b",
  "SELECT z.x FROM a",
  "SELECT a.zz FROM a, b",
  "SELECT * FROM a, a",
  "SELECT a.x FROM a, a",
  "SELECT rowid FROM a, b",
  "SELECT * FROM a JOIN b USING(p)",
  "SELECT * FROM a NATURAL JOIN b ON 1",
  "SELECT * FROM a JOIN b USING(x) WHERE x = 3",
  "SELECT \"x\" FROM a JOIN b ON 1",
  "SELECT * FROM a JOIN nope ON 1",
];

function sortRows(o: Outcome): Outcome {
  if ("error" in o) return o;
  return { names: o.names, rows: [...o.rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)) };
}

describe("joins vs SQLite 3.53", () => {
  const conn = openMemory();
  const db = new Database(":memory:");
  for (const s of SETUP) {
    runStrata(conn, s);
    runOracle(db, s);
  }
  for (const q of QUERIES) {
    it(q, () => {
      const ours = runStrata(conn, q);
      const theirs = runOracle(db, q);
      if (/ORDER BY/i.test(q)) expect(ours).toEqual(theirs);
      else expect(sortRows(ours)).toEqual(sortRows(theirs));
    });
  }
});
