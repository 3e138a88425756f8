/*
 * A differential script runner shared by the WITHOUT ROWID and expression-index tests:
 * each statement runs on Strata and on SQLite 3.53 (better-sqlite3); rows (values with
 * storage classes) and errors (code + message) must agree exactly. Results of a SELECT
 * without ORDER BY are compared as multisets; EXPLAIN QUERY PLAN is compared by its
 * detail column only (SQLite's ids count internal steps Strata does not have).
 */
import Database from "better-sqlite3";
import { expect } from "vitest";
import type { Connection } from "../../src/engine/connection.js";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";

function normalize(sql: string, o: Outcome): Outcome {
  if ("error" in o) return o;
  if (/^\s*EXPLAIN\s+QUERY\s+PLAN/i.test(sql)) return { names: ["detail"], rows: o.rows.map((r) => [r[3]]) };
  if (/ORDER BY/i.test(sql) || !/^\s*(SELECT|WITH|VALUES|INSERT|UPDATE|DELETE)/i.test(sql)) return o;
  return { names: o.names, rows: [...o.rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
}

/** Runs `script` on both engines, statement by statement, expecting equal outcomes. */
export function runBoth(script: readonly string[], db = new Database(":memory:"), conn: Connection = openMemory()): void {
  for (const sql of script) {
    const want = normalize(sql, runOracle(db, sql));
    const got = normalize(sql, runStrata(conn, sql));
    expect({ sql, got }).toEqual({ sql, got: want });
  }
  db.close();
  conn.close();
}
