/*
 * values.ts: result values from the engine to JavaScript, as better-sqlite3 returns
 * them: INTEGER -> number (lossy past 2^53, as better-sqlite3 without safeIntegers) or
 * bigint with safeIntegers; REAL -> number; TEXT -> string; NULL -> null; BLOB -> a
 * Buffer where one exists (Node: better-sqlite3 and @tursodatabase/database both return
 * Buffer), else a Uint8Array (a browser build).
 *
 * Invariants:
 *  1. Values are read only while the statement sits on a row (engine statement.ts
 *     invariant 3); every blob returned is a fresh copy the caller owns.
 */
import { SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_TEXT, type PreparedStatement } from "@strata/sql";

interface BufferCtor {
  from(buf: ArrayBuffer, byteOffset: number, length: number): Uint8Array;
}
const NodeBuffer: BufferCtor | null = (globalThis as { Buffer?: BufferCtor }).Buffer ?? null;

/** A blob as the platform's byte type (Buffer on Node), sharing `b`'s memory. */
export function toBlob(b: Uint8Array): Uint8Array {
  return NodeBuffer === null ? b : NodeBuffer.from(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
}

/** Column i of the current row. */
export function columnJs(s: PreparedStatement, i: number, safeIntegers: boolean): unknown {
  switch (s.columnType(i)) {
    case SQLITE_INTEGER: {
      if (safeIntegers) return s.columnBigInt(i);
      const v = s.columnValue(i);
      return typeof v === "bigint" ? Number(v) : v;
    }
    case SQLITE_FLOAT: return s.columnDouble(i);
    case SQLITE_TEXT: return s.columnText(i);
    case SQLITE_BLOB: return toBlob(s.columnBlob(i)!);
    default: return null;
  }
}

/** An int64 from the engine (number or bigint) in the caller's chosen form. */
export function intJs(v: number | bigint, safeIntegers: boolean): number | bigint {
  if (safeIntegers) return typeof v === "bigint" ? v : BigInt(v);
  return typeof v === "bigint" ? Number(v) : v;
}
