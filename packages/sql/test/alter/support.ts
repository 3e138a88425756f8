/*
 * Support for the ALTER TABLE / CREATE TABLE AS / generated column tests: a Pair
 * (dml-support.ts) that also compares the whole sqlite_schema (type, name, tbl_name, sql)
 * and PRAGMA integrity_check after every statement.
 */
import { expect } from "vitest";
import { Pair } from "../engine/dml-support.js";
import { runOracle, runStrata } from "../engine/support.js";

const SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid";

export class SchemaPair extends Pair {
  /** Runs one statement on both; compares its outcome, all rows, sqlite_schema and integrity_check. */
  check(sql: string): void {
    this.step(sql);
    const want = runOracle(this.db, SCHEMA);
    const got = runStrata(this.conn, SCHEMA);
    expect({ sql, schema: got }).toEqual({ sql, schema: want });
    const ic = runStrata(this.conn, "PRAGMA integrity_check");
    expect({ sql, ic }).toEqual({ sql, ic: { names: ["integrity_check"], rows: [[["string", "ok"]]] } });
  }
  run(stmts: readonly string[]): void {
    for (const s of stmts) this.check(s);
  }
}

/** Runs each named script in a fresh SchemaPair. */
export function scripts(cases: Record<string, readonly string[]>, it: (name: string, fn: () => void) => void): void {
  for (const [name, stmts] of Object.entries(cases)) {
    it(name, () => {
      const pair = new SchemaPair();
      try {
        pair.run(stmts);
      } finally {
        pair.close();
      }
    });
  }
}
