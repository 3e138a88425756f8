/*
 * How the reference harness turns one result value into the text a script compares:
 * slt_sqlite.c's sqliteQuery, which reads each column with the sqlite3_column_* call
 * that the query's type character asks for. The runner hands this module values with
 * their storage class (@strata/common's SqlValue: null, number = INTEGER, bigint =
 * INTEGER outside the safe range, Real = REAL, string = TEXT, Uint8Array = BLOB) and
 * gets back exactly the string the C harness would print.
 *
 *   NULL (any type char)  "NULL"
 *   'I'  sqlite3_column_int, printed %d: the value as a 64-bit integer (REAL truncated
 *        toward zero and clamped to the int64 range; TEXT/BLOB by their longest integer
 *        prefix, as sqlite3Atoi64, clamped on overflow), then cut to its low 32 bits.
 *   'R'  sqlite3_column_double, printed by sqlite3_snprintf("%.3f"): INTEGER widened,
 *        TEXT/BLOB by their longest numeric prefix (sqlite3AtoF), then SQLite's own %f
 *        rounding (see formatFixed3).
 *   'T'  sqlite3_column_text: INTEGER in decimal, REAL as SQLite 3.53 renders it
 *        (realToText), TEXT as its UTF-8 bytes, BLOB as its bytes; cut at the first NUL
 *        byte (a C string); "" becomes "(empty)"; then every byte < 0x20 or > 0x7e
 *        becomes '@' (so a two-byte UTF-8 character becomes "@@").
 *
 * Invariants:
 *   1. Every string returned is ASCII, so JavaScript's `<` on them is C's strcmp order.
 *   2. The functions are pure and never throw for any SqlValue.
 */
import { Real, type SqlValue } from "@strata/common";

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const utf8 = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** One value as the harness prints it for type character `type` ('T', 'I' or 'R'). */
export function renderValue(value: SqlValue, type: string): string {
  if (value === null) return "NULL";
  switch (type) {
    case "I": return String(toInt32(value));
    case "R": return formatFixed3(toDouble(value));
    default: return printable(toTextBytes(value));
  }
}

/** sqlite3_column_int: the value as int64 (sqlite3VdbeIntValue), cut to 32 bits. */
export function toInt32(value: Exclude<SqlValue, null>): number {
  if (typeof value === "number") return value | 0; // a safe integer: ToInt32 is mod 2^32
  if (typeof value === "bigint") return Number(BigInt.asIntN(32, value));
  if (value instanceof Real) return Number(BigInt.asIntN(32, doubleToInt64(value.value)));
  const text = typeof value === "string" ? value : latin1.decode(value);
  return Number(BigInt.asIntN(32, atoi64(text)));
}

/** SQLite's doubleToInt64: truncation toward zero, clamped to the int64 range. */
function doubleToInt64(r: number): bigint {
  if (Number.isNaN(r)) return 0n;
  if (r <= -9223372036854775808) return INT64_MIN;
  if (r >= 9223372036854775807) return INT64_MAX;
  return BigInt(Math.trunc(r));
}

/** sqlite3Atoi64 as sqlite3_column_int uses it: the longest integer prefix, clamped. */
export function atoi64(text: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)0*(\d*)/.exec(text)!;
  if (m[2] === "") return 0n;
  const neg = m[1] === "-";
  const u = BigInt(m[2]);
  if (neg) return -u < INT64_MIN ? INT64_MIN : -u;
  return u > INT64_MAX ? INT64_MAX : u;
}

/** sqlite3_column_double: the value as a double (sqlite3VdbeRealValue). */
export function toDouble(value: Exclude<SqlValue, null>): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Real) return value.value;
  return atof(typeof value === "string" ? value : latin1.decode(value));
}

/**
 * sqlite3AtoF as sqlite3_column_double uses it: leading whitespace, then the longest
 * prefix of the form [+-]digits[.digits][e[+-]digits]; no prefix gives 0.
 */
export function atof(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  return m === null ? 0 : Number(m[1]);
}

/**
 * The significant decimal digits of a finite x > 0 as SQLite's sqlite3FpDecode gets
 * them: 18 digits (its sqlite3Fp2Convert10 works to 18), here from JavaScript's exact
 * conversion. Returns the digits and the exponent of the first one.
 */
function digits18(x: number): { ds: string; exp: number } {
  const [mantissa, e] = x.toExponential(17).split("e");
  return { ds: mantissa.replace(".", ""), exp: Number(e) };
}

/** Keeps the first k digits of ds, rounding half up on digit k; reports a carry out. */
function roundDigits(ds: string, k: number): { ds: string; carry: number } {
  const d = ds.slice(0, k).split("").map(Number);
  if (k < ds.length && ds.charCodeAt(k) >= 53 /* '5' */) {
    let i = k - 1;
    while (i >= 0 && d[i] === 9) d[i--] = 0;
    if (i >= 0) d[i]++;
    else return { ds: "1" + d.join("").slice(0, Math.max(k - 1, 0)), carry: 1 };
  }
  return { ds: d.join(""), carry: 0 };
}

/**
 * sqlite3_snprintf("%.3f", r) as SQLite 3.53 prints it. SQLite does not round the exact
 * binary value (as glibc does): it takes 18 significant decimal digits and rounds them
 * once, half up, at the third decimal or at the 16th significant digit, whichever comes
 * first. So 0.0625 prints "0.063", 1.0005 (really 1.000499…) "1.000", and 1e15+0.25
 * "1000000000000000.000". The sign stays on a negative value that rounds to zero
 * ("-0.000"); -0.0 prints "0.000"; infinities print "Inf" / "-Inf".
 */
export function formatFixed3(r: number): string {
  if (Number.isNaN(r)) return "NaN";
  const sign = r < 0 ? "-" : "";
  const a = Math.abs(r);
  if (a === Infinity) return `${sign}Inf`;
  if (a === 0) return "0.000";
  let { ds, exp } = digits18(a);
  let k = exp + 1 + 3; // digits up to the third decimal
  if (k > 16) k = 16;
  if (k < 0) return `${sign}0.000`;
  if (k === 0) {
    if (ds.charCodeAt(0) < 53) return `${sign}0.000`;
    ds = "1";
    exp += 1;
  } else {
    const r2 = roundDigits(ds, k);
    ds = r2.ds;
    exp += r2.carry;
  }
  // Lay out ds × 10^(exp - len + 1) with exactly three decimals.
  const intDigits = exp + 1;
  const all = intDigits > 0
    ? ds.padEnd(intDigits + 3, "0")
    : "0".repeat(-intDigits) + ds.padEnd(3 + intDigits, "0");
  const cut = Math.max(intDigits, 0);
  const ip = cut === 0 ? "0" : all.slice(0, cut);
  return `${sign}${ip}.${all.slice(cut, cut + 3).padEnd(3, "0")}`;
}

/**
 * sqlite3_column_text of a REAL in SQLite 3.53: printf "%!.17g" (vdbeMemRenderNum with
 * the default 17 digits). The 17 digits are rounded half up from 18; if the first 16
 * end in a run of at least two 0s or 9s and the value rounded before that run reads
 * back as the same double, the shorter form is used (49.47, not 49.469999999999999).
 * The '!' keeps ".0" on whole numbers and puts at least two digits in the exponent;
 * exponent form is used below 1e-4 and from 1e17 up. This is an APPROXIMATION:
 * SQLite's digit generation (sqlite3Fp2Convert10) is inexact in the 17th digit and its
 * shortening test reads digits back with its own parser, so on roughly 1-3% of
 * arbitrary doubles SQLite prints a different 17th digit or keeps 17 digits where this
 * function shortens (e.g. 1e-29 prints "1.0e-29" here; SQLite may print a 17-digit
 * form). Whole numbers below 1e15 and values of up to 6 significant digits agree. The
 * corpus never renders a REAL as 'T' in a way that reaches this difference (the full
 * corpus passes on better-sqlite3).
 */
export function realToText(r: number): string {
  if (Number.isNaN(r)) return "NaN";
  const sign = r < 0 ? "-" : "";
  const a = Math.abs(r);
  if (a === Infinity) return `${sign}Inf`;
  if (a === 0) return "0.0";
  const d18 = digits18(a);
  const d17 = roundDigits(d18.ds, 17);
  let ds = d17.ds;
  let exp = d18.exp + d17.carry;
  const run = /(0{2,}|9{2,})$/.exec(ds.slice(0, 16));
  if (run !== null) {
    const shorter = roundDigits(ds, 16 - run[0].length);
    const e2 = exp + shorter.carry;
    if (Number(`${shorter.ds[0]}.${shorter.ds.slice(1)}e${e2}`) === a) {
      ds = shorter.ds;
      exp = e2;
    }
  }
  ds = ds.replace(/0+$/, "") || "0";
  if (exp < -4 || exp > 16) {
    const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    return `${sign}${ds[0]}.${ds.length > 1 ? ds.slice(1) : "0"}e${e}`;
  }
  if (exp >= 0) return `${sign}${ds.slice(0, exp + 1).padEnd(exp + 1, "0")}.${ds.slice(exp + 1) || "0"}`;
  return `${sign}0.${"0".repeat(-exp - 1)}${ds}`;
}

/** The bytes sqlite3_column_text gives for a non-NULL value (up to the C string's NUL). */
function toTextBytes(value: Exclude<SqlValue, null>): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === "number" || typeof value === "bigint") bytes = utf8.encode(String(value));
  else if (value instanceof Real) bytes = utf8.encode(realToText(value.value));
  else if (typeof value === "string") bytes = utf8.encode(value);
  else bytes = value;
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** "(empty)" for no bytes; else the bytes with each one outside 0x20..0x7e as '@'. */
function printable(bytes: Uint8Array): string {
  if (bytes.length === 0) return "(empty)";
  let out = "";
  for (const b of bytes) out += b < 0x20 || b > 0x7e ? "@" : String.fromCharCode(b);
  return out;
}
