/*
 * EXPLAIN QUERY PLAN equals SQLite 3.53's for queries where our planner picks SQLite's
 * plan (the detail text and the tree shape; ids are opcode addresses in SQLite, so they
 * are compared through the parent links, not by value). Queries where the plans differ
 * (automatic indexes, OR-to-IN, ...) are not in this table; join.test.ts checks their rows.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata } from "./support.js";

const SETUP = [
  "CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c)",
  "CREATE TABLE t2(x, y, z)",
  "CREATE INDEX t2y ON t2(y)",
  "CREATE INDEX t2xy ON t2(x, y)",
  "CREATE TABLE t3(p, q)",
  "CREATE TABLE t4(k TEXT, v INT, w)",
  "CREATE UNIQUE INDEX t4kv ON t4(k, v)",
];

export const EQP_QUERIES = [
  "SELECT * FROM t1",
  "SELECT * FROM t1 WHERE a = 5",
  "SELECT * FROM t1 WHERE a > 1 AND a < 10",
  "SELECT * FROM t1 WHERE a >= 3",
  "SELECT * FROM t1 ORDER BY a DESC",
  "SELECT * FROM t1 ORDER BY b",
  "SELECT * FROM t2 WHERE y = 1",
  "SELECT * FROM t2 WHERE x = 1 AND y > 2",
  "SELECT * FROM t2 WHERE x IN (1, 2) AND y > 3",
  "SELECT * FROM t2 WHERE y BETWEEN 1 AND 2",
  "SELECT * FROM t2 WHERE y IS NULL",
  "SELECT * FROM t2 WHERE y < 5",
  "SELECT y FROM t2 WHERE y > 5 ORDER BY y",
  "SELECT * FROM t2 WHERE x = 1 ORDER BY y DESC",
  "SELECT y FROM t2",
  "SELECT x, y FROM t2 WHERE x = 3",
  "SELECT * FROM t4 WHERE k = 'a' AND v = 1",
  "SELECT w FROM t4 WHERE k = 'a'",
  "SELECT * FROM t1 a, t2 b WHERE a.b = b.y",
  "SELECT * FROM t1 JOIN t2 ON t1.b = t2.y",
  "SELECT * FROM t2 JOIN t1 ON t1.a = t2.z",
  "SELECT * FROM t1 LEFT JOIN t2 ON t1.b = t2.y",
  "SELECT * FROM t1 LEFT JOIN t2 ON t1.b = t2.y WHERE t2.x = 1",
  "SELECT * FROM t1 RIGHT JOIN t2 ON t1.b = t2.y",
  "SELECT * FROM t1 FULL JOIN t3 ON t1.b = t3.p",
  "SELECT * FROM t1, t3",
  "SELECT * FROM t1 CROSS JOIN t2 WHERE t2.y = t1.b",
  "SELECT * FROM t3, t1 WHERE t1.a = t3.q",
  "SELECT * FROM t1, t2, t3 WHERE t2.y = t1.b AND t1.a = t3.q",
  "SELECT count(*) FROM t1 JOIN t2 ON t2.x = t1.a AND t2.y = t1.b",
  "SELECT t1.c FROM t1 JOIN t2 ON t2.x = t1.a ORDER BY t1.a",
];

type Line = { id: number; parent: number; detail: string };

/** The plan as [depth-first detail, parent's position] pairs. */
function shape(lines: Line[]): [string, number][] {
  return lines.map((l) => [l.detail, lines.findIndex((x) => x.id === l.parent)]);
}

describe("EXPLAIN QUERY PLAN vs SQLite 3.53", () => {
  const conn = openMemory();
  const db = new Database(":memory:");
  for (const s of SETUP) {
    runStrata(conn, s);
    runOracle(db, s);
  }
  for (const q of EQP_QUERIES) {
    it(q, () => {
      const ours = runStrata(conn, "EXPLAIN QUERY PLAN " + q);
      if ("error" in ours) throw new Error(ours.message);
      const mine = ours.rows.map((r) => ({ id: r[0][1] as number, parent: r[1][1] as number, detail: r[3][1] as string }));
      const theirs = db.prepare("EXPLAIN QUERY PLAN " + q).all() as Line[];
      expect(shape(mine)).toEqual(shape(theirs));
      expect(ours.names).toEqual(["id", "parent", "notused", "detail"]);
    });
  }
});
