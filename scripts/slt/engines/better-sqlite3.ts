/*
 * The sqllogictest engine adapter for better-sqlite3 (native SQLite, 3.53.x here): the
 * oracle the runner itself is validated against. See ../engine.ts for the contract.
 *
 * Storage classes: better-sqlite3 returns both INTEGER and REAL as a JavaScript number
 * unless safe integers are on; with them, an INTEGER arrives as a bigint and a REAL as a
 * number, which is how this adapter tells them apart (a bigint in the safe range goes
 * back to a number, a number becomes a Real, a Buffer a Uint8Array).
 *
 * The database is ":memory:" (the reference harness uses a file with synchronous=OFF;
 * results are the same). better-sqlite3 refuses to prepare text holding more than one
 * statement, where sqlite3_prepare_v2 would ignore the tail; no query in the corpus has
 * a tail.
 */
import Database from "better-sqlite3";
import { Real, type SqlValue } from "@strata/common";
import type { SltEngine, SltRows, SltStatement } from "../engine.js";

function cell(v: unknown): SqlValue {
  if (v === null || typeof v === "string") return v;
  if (typeof v === "bigint") return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
  if (typeof v === "number") return new Real(v);
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError(`better-sqlite3 returned an unexpected ${typeof v}`);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function betterSqlite3Engine(): SltEngine {
  let db: Database.Database | null = null;
  const conn = (): Database.Database => {
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
