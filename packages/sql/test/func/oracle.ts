// Shared helpers for the function-library tests: run a call through SQLite 3.53
// (better-sqlite3, safe integers) and through Strata's registry + adapter, and compare
// values AND storage classes.
import Database from "better-sqlite3";
import { Real, SqliteError, type SqlValue } from "@strata/common";
import { callScalar, runAggregate } from "../../src/func/adapter.js";
import { createRegistry } from "../../src/func/registry.js";
import { realToText } from "../../src/value/real-to-text.js";
import type { FuncConnection } from "../../src/func/api.js";

export const db = new Database(":memory:");
db.defaultSafeIntegers(true);
export const registry = createRegistry();

/** An SQL literal that SQLite reads back as exactly `v` (with its storage class). */
export function sqlLiteral(v: SqlValue): string {
  if (v === null) return "NULL";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return "'" + v.replaceAll("'", "''") + "'";
  if (v instanceof Uint8Array) return "X'" + Buffer.from(v).toString("hex") + "'";
  const x = v instanceof Real ? v.value : v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  if (x === Infinity) return "1e999";
  if (x === -Infinity) return "-1e999";
  if (Object.is(x, -0)) return "(-0.0)";
  return `(${realToText(x)})`; // SQLite's own rendering reads back as the same REAL
}

export interface Outcome {
  type: string;
  value: unknown;
}

export function norm(v: SqlValue): Outcome {
  if (v === null) return { type: "null", value: null };
  switch (typeof v) {
    case "number":
      return Number.isSafeInteger(v) ? { type: "integer", value: BigInt(v) } : { type: "real", value: v };
    case "bigint":
      return { type: "integer", value: v };
    case "string":
      return { type: "text", value: v };
    default:
      if (v instanceof Real) return { type: "real", value: v.value };
      return { type: "blob", value: Buffer.from(v as Uint8Array).toString("hex") };
  }
}

/** SQLite's outcome of `SELECT expr`: its value and typeof(), or the error message. */
export function sqlite(expr: string, from = ""): Outcome | { error: string } {
  try {
    const row = db.prepare(`SELECT ${expr}, typeof(${expr}) ${from}`).raw().get() as unknown[];
    let value = row[0];
    if (value instanceof Uint8Array) value = Buffer.from(value).toString("hex");
    return { type: row[1] as string, value };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Strata's outcome of calling `name` with boxed arguments. */
export function strata(name: string, args: SqlValue[], conn?: FuncConnection): Outcome | { error: string } {
  try {
    const def = registry.resolve(name, args.length);
    if (def.kind !== "scalar") throw new Error(`${name} is an aggregate`);
    return norm(callScalar(def, args, { conn }));
  } catch (e) {
    if (e instanceof SqliteError) return { error: e.message };
    throw e;
  }
}

/** Strata's outcome of an aggregate over rows. */
export function strataAgg(name: string, rows: SqlValue[][], inverse?: SqlValue[][]): Outcome | { error: string } {
  try {
    const def = registry.resolve(name, rows.length > 0 ? rows[0].length : 1);
    if (def.kind !== "aggregate") throw new Error(`${name} is a scalar`);
    return norm(runAggregate(def, rows, { inverse }));
  } catch (e) {
    if (e instanceof SqliteError) return { error: e.message };
    throw e;
  }
}

/** The SQL text of a call with literal arguments. */
export function callSql(name: string, args: SqlValue[]): string {
  return `${name}(${args.map(sqlLiteral).join(", ")})`;
}

/** Normalises an outcome for toEqual (NaN-safe, -0 kept distinct). */
export function key(o: Outcome | { error: string }): string {
  if ("error" in o) return `error:${o.error}`;
  const v = o.value;
  if (typeof v === "number") return `${o.type}:${Object.is(v, -0) ? "-0" : String(v)}`;
  return `${o.type}:${typeof v === "bigint" ? v.toString() : JSON.stringify(v)}`;
}
