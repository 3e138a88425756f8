/*
 * One sqllogictest engine adapter for every driver with better-sqlite3's shape: the
 * native oracle (better-sqlite3, SQLite 3.53.x) and Strata's own synchronous driver
 * (@strata/database/compat). See ../engine.ts for the contract.
 *
 * Storage classes: with safe integers on, both drivers return an INTEGER as a bigint and a
 * REAL as a number, which is how the adapter tells them apart (a bigint in the safe range
 * goes back to a number, a number becomes a Real, a Buffer a Uint8Array).
 *
 * The database is ":memory:" (the reference harness uses a file with synchronous=OFF;
 * results are the same), and the engine answers to "sqlite" in skipif/onlyif lines (Strata
 * follows SQLite). Both drivers refuse to prepare text holding more than one statement,
 * where sqlite3_prepare_v2 would ignore the tail; no query in the corpus has a tail.
 */
import { Real, type SqlValue } from "@strata/common";
import type { SltEngine, SltRows, SltStatement } from "../engine.js";

/** The part of better-sqlite3's API the adapter uses. */
export interface ShapedStatement {
  readonly reader: boolean;
  columns(): unknown[];
  run(): unknown;
  safeIntegers(on: boolean): ShapedStatement;
  raw(on: boolean): ShapedStatement;
  iterate(): Iterable<unknown>;
}
export interface ShapedDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): ShapedStatement;
  close(): unknown;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** An adapter over a driver; `driver` names it in errors about unexpected values. */
export function betterSqlite3ShapedEngine(driver: string, openMemory: () => ShapedDatabase): SltEngine {
  function cell(v: unknown): SqlValue {
    if (v === null || typeof v === "string") return v;
    if (typeof v === "bigint") return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
    if (typeof v === "number") return new Real(v);
    if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    throw new TypeError(`${driver} returned an unexpected ${typeof v}`);
  }
  let db: ShapedDatabase | null = null;
  const conn = (): ShapedDatabase => {
    if (db === null) throw new Error("engine is not open");
    return db;
  };
  return {
    name: "sqlite",
    open() { db = openMemory(); },
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
