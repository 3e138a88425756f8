/*
 * Differential helper for the aggregate / window tests: one schema + data script run on
 * Strata and on SQLite 3.53 (better-sqlite3), then queries compared exactly (values with
 * storage classes, column names, errors by code and message).
 */
import Database from "better-sqlite3";
import { expect } from "vitest";
import type { Connection } from "../../src/engine/connection.js";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";

export class Pair {
  readonly conn: Connection = openMemory();
  readonly db = new Database(":memory:");
  exec(sql: string): void {
    for (const s of sql.split(";").map((x) => x.trim()).filter((x) => x.length > 0)) {
      const a = runStrata(this.conn, s);
      const b = runOracle(this.db, s);
      if ("error" in a || "error" in b) throw new Error(`setup ${s}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  both(sql: string, unordered = false, params: unknown[] = []): [Outcome, Outcome] {
    const a = runStrata(this.conn, sql, params);
    const b = runOracle(this.db, sql, params);
    if (unordered) { sortRows(a); sortRows(b); }
    return [a, b];
  }
  /** Runs `sql` on both and expects the same outcome (`what` names it in a failure). */
  expectSame(sql: string, what: string = sql): void {
    const [mine, theirs] = this.both(sql);
    expect(mine, what).toEqual(theirs);
  }
  close(): void {
    this.conn.close();
    this.db.close();
  }
}

/** A fresh Pair for `fn`, closed afterwards. */
export function withPair(fn: (pair: Pair) => void): void {
  const pair = new Pair();
  try {
    fn(pair);
  } finally {
    pair.close();
  }
}

function sortRows(o: Outcome): void {
  if ("rows" in o) o.rows.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : JSON.stringify(x) > JSON.stringify(y) ? 1 : 0));
}
