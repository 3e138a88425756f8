/*
 * The sqllogictest engine adapter for Strata, through @strata/database/compat (the
 * better-sqlite3-shaped synchronous driver). See ../engine.ts for the contract.
 *
 * Storage classes: with safeIntegers on, the driver returns an INTEGER as a bigint and a
 * REAL as a number (as better-sqlite3 does), so the conversion is the oracle adapter's:
 * a bigint in the safe range becomes a number, a number a Real, a Buffer a Uint8Array.
 *
 * The database is ":memory:" (name "sqlite": skipif/onlyif lines for sqlite apply, as
 * Strata follows SQLite). The driver refuses text with more than one statement in
 * prepare, as better-sqlite3 does; no query in the corpus has a tail.
 */
import Database from "@strata/database/compat";
import { Real, type SqlValue } from "@strata/common";
import type { SltEngine, SltRows, SltStatement } from "../engine.js";

function cell(v: unknown): SqlValue {
  if (v === null || typeof v === "string") return v;
  if (typeof v === "bigint") return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
  if (typeof v === "number") return new Real(v);
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError(`Strata returned an unexpected ${typeof v}`);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function strataEngine(): SltEngine {
  let db: Database | null = null;
  const conn = (): Database => {
    if (db === null) throw new Error("engine is not open");
    return db;
  };
  return {
    name: "sqlite",
    open() { db = new Database(":memory:"); },
    execute(sql) { conn().exec(sql); },
    prepare(sql): SltStatement {
      const stmt = conn().prepare(sql);
      const reader = stmt.reader;
      return {
        columnCount: reader ? stmt.columns().length : 0,
        run(): SltRows {
          const rows: SqlValue[][] = [];
          try {
            if (!reader) stmt.run();
            else for (const row of stmt.safeIntegers(true).raw(true).iterate() as Iterable<unknown[]>) rows.push(row.map(cell));
          } catch (e) {
            return { rows, error: message(e) };
          }
          return { rows, error: null };
        },
      };
    },
    close() { db?.close(); db = null; },
  };
}
