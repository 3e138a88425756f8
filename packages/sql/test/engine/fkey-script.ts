/*
 * Test support for foreign keys, UPDATE ... FROM and trigger scripts: a script runs one
 * statement at a time on Strata and on SQLite 3.53 (better-sqlite3, whose build turns
 * foreign_keys on by default, as Strata's engine does); each statement's outcome (rows with
 * storage classes, or the error's code and message), then changes() / total_changes() and
 * the autocommit state must agree, and at the end every table's rows.
 */
import { expect } from "vitest";
import { Pair } from "./diff-helper.js";

/** Splits a script on `;` at the end of a line (trigger bodies keep their inner `;`). */
export function statements(script: string): string[] {
  return script.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s.length > 0);
}

export function tablesOf(pair: Pair): string[] {
  const [r] = pair.both("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  return "rows" in r ? r.rows.map((x) => String(x[0][1])) : [];
}

/** Runs `script` on both engines, comparing as described above. */
export function runScript(script: string): void {
  const pair = new Pair();
  try {
    for (const s of statements(script)) {
      const [a, b] = pair.both(s);
      expect(a, s).toEqual(b);
      const [c, d] = pair.both("SELECT changes(), total_changes()");
      expect(c, `changes after ${s}`).toEqual(d);
      expect(pair.conn.autocommit, `autocommit after ${s}`).toBe(pair.db.inTransaction === false);
    }
    for (const t of tablesOf(pair)) {
      const q = `SELECT * FROM "${t}" ORDER BY rowid`;
      const [a, b] = pair.both(q);
      expect(a, q).toEqual(b);
    }
  } finally {
    pair.close();
  }
}
