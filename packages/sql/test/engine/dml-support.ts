/*
 * Support for the DML differential tests: run a script statement by statement on Strata
 * and on SQLite 3.53 (better-sqlite3) and, after each statement, compare its outcome
 * (rows or error code + message), changes(), last_insert_rowid() and the full contents
 * of every table (values with storage classes, in rowid order).
 */
import Database from "better-sqlite3";
import { expect } from "vitest";
import type { Connection } from "../../src/engine/connection.js";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").raw(true).all() as string[][]).map((r) => r[0]);
}

function unordered(sql: string, o: Outcome): Outcome {
  if ("error" in o || /ORDER BY/i.test(sql)) return o;
  return { names: o.names, rows: [...o.rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
}

/** Whole-database state: every table's rows (with rowid where the table has one). */
export function stateOf(run: (sql: string) => Outcome, names: string[]): Record<string, Outcome> {
  const out: Record<string, Outcome> = {};
  for (const n of names) out[n] = run(`SELECT * FROM "${n}" ORDER BY rowid`);
  return out;
}

export class Pair {
  readonly db = new Database(":memory:");
  readonly conn: Connection = openMemory();
  /** Runs one statement on both and compares everything (see the file comment). */
  step(sql: string, opts: { ordered?: boolean } = {}): Outcome {
    const want = runOracle(this.db, sql);
    const got = runStrata(this.conn, sql);
    const w = opts.ordered ? want : unordered(sql, want);
    const g = opts.ordered ? got : unordered(sql, got);
    expect({ sql, got: g }).toEqual({ sql, got: w });
    const wc = (this.db.prepare("SELECT changes(), last_insert_rowid(), total_changes()").safeIntegers(true).raw(true).get() as bigint[])
      .map((v) => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : String(v)));
    const gc = (runStrata(this.conn, "SELECT changes(), last_insert_rowid(), total_changes()") as { rows: [string, unknown][][] }).rows[0].map((c) => c[1]);
    expect({ sql, counters: gc }).toEqual({ sql, counters: wc });
    const names = tables(this.db);
    const ws = stateOf((s) => runOracle(this.db, s), names);
    const gs = stateOf((s) => runStrata(this.conn, s), names);
    expect({ sql, state: gs }).toEqual({ sql, state: ws });
    expect({ sql, autocommit: this.conn.autocommit }).toEqual({ sql, autocommit: !this.db.inTransaction });
    return got;
  }
  script(stmts: readonly string[]): void {
    for (const s of stmts) this.step(s);
  }
  close(): void {
    this.db.close();
    this.conn.close();
  }
}
