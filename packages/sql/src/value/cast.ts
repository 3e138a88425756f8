/*
 * Conversions between storage classes on boxed values (SqlValue from @strata/common):
 * the value of each class as INTEGER / REAL / TEXT / BLOB (sqlite3_value_int64, _double,
 * _text, _blob), CAST (https://sqlite.org/lang_expr.html#castexpr; vdbemem.c
 * sqlite3VdbeMemCast) and column affinity (https://sqlite.org/datatype3.html §3;
 * vdbe.c applyAffinity). The VM uses the same rules on its registers; these are the
 * reference versions and the ones tests and cold paths call.
 *
 * SqlValue recap: a safe-integer number is INTEGER, any other number is REAL, Real(x) is a
 * REAL even when whole, a bigint is an INTEGER beyond 2^53, string TEXT, Uint8Array BLOB.
 *
 * Invariants:
 *  1. Every function here is total: no input throws.
 *  2. A REAL result that is a whole safe number is returned as Real (never a bare number,
 *     which would read as INTEGER); an INTEGER result is a number when safe, else bigint.
 */
import {
  Real, SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT,
  decodeUtf8, encodeUtf8, type SqlValue, type StorageClass,
} from "@strata/common";
import { intToText, realToText } from "./real-to-text.js";
import {
  NUM, NUMERIC_INT, NUMERIC_REAL, integerAffinity, numericAffinity, realToInt, textToInt, textToNumeric, textToReal,
} from "./text-to-number.js";

/** Column affinities, with SQLite's letters (SQLITE_AFF_*). */
export const AFF_BLOB = 0x41;
export const AFF_TEXT = 0x42;
export const AFF_NUMERIC = 0x43;
export const AFF_INTEGER = 0x44;
export const AFF_REAL = 0x45;

/** The storage class of a boxed value (NaN counts as NULL, as SQLite never holds one). */
export function storageClass(v: SqlValue): StorageClass {
  if (v === null) return SQLITE_NULL;
  switch (typeof v) {
    case "number":
      if (Number.isSafeInteger(v)) return SQLITE_INTEGER;
      return v !== v ? SQLITE_NULL : SQLITE_FLOAT;
    case "bigint":
      return SQLITE_INTEGER;
    case "string":
      return SQLITE_TEXT;
    default:
      if (v instanceof Real) return v.value !== v.value ? SQLITE_NULL : SQLITE_FLOAT;
      return SQLITE_BLOB;
  }
}

/** Boxes a REAL result (a whole safe number becomes a Real so it keeps its class). NaN -> NULL. */
export function realValue(x: number): SqlValue {
  if (x !== x) return null;
  return Number.isSafeInteger(x) ? new Real(x) : x;
}

/** Boxes an INTEGER held as a number (NaN: take NUM.big) . */
export function intValue(n: number): SqlValue {
  return n === n ? n : NUM.big;
}

/** The REAL payload of a value of class FLOAT. */
function realOf(v: number | Real): number {
  return typeof v === "number" ? v : v.value;
}

/** sqlite3_value_text on a boxed value; null for NULL. */
export function valueToText(v: SqlValue): string | null {
  switch (storageClass(v)) {
    case SQLITE_NULL: return null;
    case SQLITE_INTEGER: return intToText(v as number | bigint);
    case SQLITE_FLOAT: return realToText(realOf(v as number | Real));
    case SQLITE_TEXT: return v as string;
    default: {
      const b = v as Uint8Array;
      return decodeUtf8(b, 0, b.length);
    }
  }
}

/** sqlite3_value_double on a boxed value. */
export function valueToReal(v: SqlValue): number {
  switch (storageClass(v)) {
    case SQLITE_NULL: return 0;
    case SQLITE_INTEGER: return typeof v === "bigint" ? Number(v) : (v as number);
    case SQLITE_FLOAT: return realOf(v as number | Real);
    default: return textToReal(valueToText(v) as string);
  }
}

/** sqlite3_value_int64 on a boxed value: a number, or NaN with NUM.big holding it. */
export function valueToInt(v: SqlValue): number {
  switch (storageClass(v)) {
    case SQLITE_NULL: return 0;
    case SQLITE_INTEGER:
      if (typeof v === "bigint") {
        NUM.big = v;
        return NaN;
      }
      return v as number;
    case SQLITE_FLOAT: return realToInt(realOf(v as number | Real));
    default: return textToInt(valueToText(v) as string);
  }
}

/** sqlite3_value_int64 as a bigint. */
export function valueToBigInt(v: SqlValue): bigint {
  const n = valueToInt(v);
  return n === n ? BigInt(n) : NUM.big;
}

/** CAST(v AS INTEGER). */
export function castToInteger(v: SqlValue): SqlValue {
  if (storageClass(v) === SQLITE_NULL) return null;
  return intValue(valueToInt(v));
}

/** CAST(v AS REAL). */
export function castToReal(v: SqlValue): SqlValue {
  if (storageClass(v) === SQLITE_NULL) return null;
  return realValue(valueToReal(v));
}

/** CAST(v AS TEXT). */
export function castToText(v: SqlValue): SqlValue {
  return valueToText(v);
}

/** CAST(v AS BLOB). */
export function castToBlob(v: SqlValue): SqlValue {
  const c = storageClass(v);
  if (c === SQLITE_NULL) return null;
  if (c === SQLITE_BLOB) return v;
  return encodeUtf8(valueToText(v) as string);
}

/** CAST(v AS NUMERIC) (sqlite3VdbeMemNumerify): numbers unchanged, text/blob always numeric. */
export function castToNumeric(v: SqlValue): SqlValue {
  const c = storageClass(v);
  if (c === SQLITE_NULL || c === SQLITE_INTEGER || c === SQLITE_FLOAT) return v;
  const kind = textToNumeric(valueToText(v) as string);
  return kind === NUMERIC_INT ? intValue(NUM.int) : realValue(NUM.real);
}

/** Applies a column affinity (AFF_*) to a value being stored or compared. */
export function applyAffinity(v: SqlValue, affinity: number): SqlValue {
  const c = storageClass(v);
  if (affinity === AFF_TEXT) {
    return c === SQLITE_INTEGER || c === SQLITE_FLOAT ? valueToText(v) : v;
  }
  if (affinity < AFF_NUMERIC || c === SQLITE_NULL || c === SQLITE_BLOB) return v;
  let cls: number;
  if (c === SQLITE_TEXT) {
    cls = numericAffinity(v as string, true);
    if (cls !== NUMERIC_INT && cls !== NUMERIC_REAL) return v;
  } else if (c === SQLITE_FLOAT) {
    cls = affinity === AFF_REAL ? NUMERIC_REAL : integerAffinity(realOf(v as number | Real));
    if (cls === NUMERIC_REAL) NUM.real = realOf(v as number | Real);
  } else {
    cls = NUMERIC_INT;
    if (typeof v === "bigint") {
      NUM.int = NaN;
      NUM.big = v;
    } else NUM.int = v as number;
  }
  if (affinity === AFF_REAL) {
    if (cls === NUMERIC_INT) return realValue(NUM.int === NUM.int ? NUM.int : Number(NUM.big));
    return realValue(NUM.real);
  }
  return cls === NUMERIC_INT ? intValue(NUM.int) : realValue(NUM.real);
}
