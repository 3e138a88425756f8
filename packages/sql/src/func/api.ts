/*
 * The calling interface between the VDBE and SQL functions, modelled on SQLite's
 * sqlite3_value / sqlite3_context (https://sqlite.org/c3ref/value_blob.html,
 * https://sqlite.org/c3ref/result_blob.html, https://sqlite.org/appfunc.html).
 *
 * A scalar function is called as `fn(ctx, argc, args)`:
 *   - `args` is an accessor the VM backs with its registers (no boxed array per call).
 *     `args.type(i)` gives the storage class (SQLITE_INTEGER/FLOAT/TEXT/BLOB/NULL from
 *     @strata/common) and the typed getters convert as sqlite3_value_* do: int/bigint
 *     (sqlite3_value_int64), real (sqlite3_value_double), text (sqlite3_value_text, as a
 *     JS string), blob (sqlite3_value_blob: a view, UTF-8 bytes for text), bytes
 *     (sqlite3_value_bytes, in UTF-8), numericType (sqlite3_value_numeric_type).
 *   - the result goes through `ctx.result*()`; the last call wins. A function that sets
 *     nothing returns NULL. `ctx.resultError()` makes the statement fail with a
 *     SqliteError (SQLITE_ERROR unless a code is given) carrying that message.
 *   - `ctx.stmtTime()` is the statement's time for 'now' (fixed for one run).
 *   - `ctx.collation` is the collating sequence of the call (SQLite's
 *     sqlite3GetFuncCollSeq); only functions flagged FUNC_NEEDCOLL read it (min, max,
 *     nullif). `ctx.conn` is the connection state some functions read.
 *
 * An aggregate is a factory of per-group state objects: `create()` once per group, then
 * `step(ctx, argc, args)` per row, `finalize(ctx)` once at the end. Window use adds
 * `value(ctx)` (current result without ending the group) and, when the definition has
 * FUNC_WINDOW_INVERSE, `inverse(ctx, argc, args)` (remove a row that left the frame).
 *
 * 64-bit integers (design.md: a number while safe, a bigint only past 2^53):
 *   args.int(i) returns the int64 value as a number when it is a safe integer and NaN
 *   otherwise; then args.bigint(i) has the exact value. ctx.resultInt(n) takes a safe
 *   integer; ctx.resultBigInt(b) any int64.
 *
 * Invariants:
 *  1. Getters never throw for any storage class; conversions follow SQLite (NULL reads as
 *     0 / 0.0 / null text / null blob).
 *  2. A function does not keep `args` or a blob view beyond the call (the VM reuses its
 *     registers); aggregates that keep values copy them (args.value(i)).
 *  3. Errors are reported through ctx.resultError, never by throwing.
 */
import type { Collation, ResultCodeName, SqlValue, StorageClass } from "@strata/common";

/** The arguments of one call (SQLite's sqlite3_value array), backed by VM registers. */
export interface FuncArgs {
  /** Storage class of argument i: SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL. */
  type(i: number): StorageClass;
  /** sqlite3_value_int64 as a number; NaN when the value is not a safe integer (use bigint). */
  int(i: number): number;
  /** sqlite3_value_int64 as a bigint. */
  bigint(i: number): bigint;
  /** sqlite3_value_double. */
  real(i: number): number;
  /** sqlite3_value_text: NULL -> null; numbers rendered as SQLite renders them; blobs decoded as UTF-8. */
  text(i: number): string | null;
  /** sqlite3_value_blob: a view of the bytes (UTF-8 for text and numbers); null for NULL. */
  blob(i: number): Uint8Array | null;
  /** sqlite3_value_bytes: length in bytes of the blob or of the UTF-8 text form. */
  bytes(i: number): number;
  /** sqlite3_value_numeric_type: TEXT that looks like a number reports INTEGER or FLOAT. */
  numericType(i: number): StorageClass;
  /** A boxed copy of argument i (cold paths only; see @strata/common SqlValue). */
  value(i: number): SqlValue;
  /** sqlite3_value_subtype: the subtype of a TEXT argument (SUBTYPE_JSON from the JSON functions), else 0. */
  subtype(i: number): number;
  /** A TEXT argument's UTF-8 bytes when the value already holds them (text read from a
   *  record): the buffer, whose first utf8Length(i) bytes are the text, valid until the
   *  function returns and never to be written; null when argument i is not TEXT or is
   *  held only as a string (then use text()). Saves decoding for byte-level functions. */
  utf8(i: number): Uint8Array | null;
  /** The byte length of the text utf8(i) returned. */
  utf8Length(i: number): number;
  /** A DataView over the buffer utf8(i) returned (same offsets): word-at-a-time scans
   *  and copies. */
  utf8View(i: number): DataView;
  /** For aggregates that keep one argument value (min, max): copies argument i into a
   *  holder without boxing it, reusing `into` (a holder keep() returned before) when given.
   *  The holder is opaque: compare with compareKept, return with FuncContext.resultKept. */
  keep(i: number, into: KeptValue | null): KeptValue;
  /** Argument i compared with a kept value, as SQLite compares values (NULL < numbers <
   *  TEXT under `coll` < BLOB): < 0, 0, > 0. */
  compareKept(i: number, kept: KeptValue, coll: Collation): number;
}

/** A value kept by an aggregate through FuncArgs.keep (opaque). */
export type KeptValue = object;

/** Connection state that some functions read. */
export interface FuncConnection {
  /** sqlite3_last_insert_rowid. */
  lastInsertRowid(): number | bigint;
  /** sqlite3_changes64. */
  changes(): number | bigint;
  /** sqlite3_total_changes64. */
  totalChanges(): number | bigint;
  /** Fills `out` with random bytes (sqlite3_randomness). */
  randomBytes(out: Uint8Array): void;
}

/** Where a function puts its result (SQLite's sqlite3_context). */
export interface FuncContext {
  resultNull(): void;
  /** A safe integer. */
  resultInt(n: number): void;
  /** Any int64. */
  resultBigInt(b: bigint): void;
  resultReal(x: number): void;
  resultText(s: string): void;
  /** TEXT given as its UTF-8 bytes buf[start..end) (copied; no JS string is made); `view`
   *  is a DataView over buf with the same offsets. */
  resultUtf8(buf: Uint8Array, view: DataView, start: number, end: number): void;
  resultBlob(b: Uint8Array): void;
  /** sqlite3_result_value: argument i of `args`, with its storage class. */
  resultArg(args: FuncArgs, i: number): void;
  /** The result is a value kept with FuncArgs.keep, with its storage class. */
  resultKept(kept: KeptValue): void;
  /** sqlite3_result_subtype: marks the TEXT result just set (SUBTYPE_JSON). */
  resultSubtype(t: number): void;
  /** sqlite3_result_error (+ _code): fails the statement; code defaults to SQLITE_ERROR. */
  resultError(message: string, code?: ResultCodeName): void;
  /** The collation of the call (BINARY unless the arguments carry another). */
  readonly collation: Collation;
  /** The connection the statement runs on. */
  readonly conn: FuncConnection;
  /**
   * sqlite3StmtCurrentTime: the current time as julian-day milliseconds (iJD), read once
   * per run of the statement and the same for every later call in that run ('now').
   */
  stmtTime(): number;
}

/** The subtype JSON functions give their text results ('J', json.c JSON_SUBTYPE). */
export const SUBTYPE_JSON = 74;

/** SQLITE_MAX_LENGTH: the longest string or blob a function may produce. */
export const MAX_LENGTH = 1_000_000_000;

/** sqlite3_result_error_toobig. */
export function resultTooBig(ctx: FuncContext): void {
  ctx.resultError("string or blob too big", "SQLITE_TOOBIG");
}

/** The current time as julian-day milliseconds (sqlite3OsCurrentTimeInt64). */
export function currentTimeJD(): number {
  return Date.now() + 210866760000000;
}

/** A scalar function body. */
export type ScalarFn = (ctx: FuncContext, argc: number, args: FuncArgs) => void;

/** One group's state of an aggregate. */
export interface AggregateState {
  step(ctx: FuncContext, argc: number, args: FuncArgs): void;
  /** Removes a row from a window frame (only when the definition has FUNC_WINDOW_INVERSE). */
  inverse(ctx: FuncContext, argc: number, args: FuncArgs): void;
  /** The current result, the group continuing (window functions). */
  value(ctx: FuncContext): void;
  /** The final result; the state is not used again. */
  finalize(ctx: FuncContext): void;
}

// Flags (SQLite's SQLITE_FUNC_* / SQLITE_DETERMINISTIC ideas).
/** Same arguments give the same result (may be used in indexes, CHECK, constant folding). */
export const FUNC_DETERMINISTIC = 0x0001;
/** Reads ctx.collation: the planner passes the collation of the arguments. */
export const FUNC_NEEDCOLL = 0x0002;
/** Constant within one statement but not across statements (sqlite_version, changes...). */
export const FUNC_SLOCHNG = 0x0004;
/** The code generator evaluates it inline (coalesce, ifnull, iif, likely...); the body here is the eager fallback. */
export const FUNC_INLINE = 0x0008;
/** An aggregate with inverse(): usable over sliding window frames. */
export const FUNC_WINDOW_INVERSE = 0x0010;
/** min()/max() aggregate (eligible for the min/max index optimization). */
export const FUNC_MINMAX = 0x0020;
/** count(*) (eligible for the count optimization). */
export const FUNC_COUNT = 0x0040;
/** LIKE / GLOB (eligible for the LIKE optimization); FUNC_CASE when case-sensitive. */
export const FUNC_LIKE = 0x0080;
export const FUNC_CASE = 0x0100;
/** length(), octet_length(), typeof(): the VM need not load large values (OPFLAG_LENGTHARG/TYPEOFARG). */
export const FUNC_LENGTH = 0x0200;
export const FUNC_TYPEOF = 0x0400;
/** likely/unlikely/likelihood: planner hints. */
export const FUNC_UNLIKELY = 0x0800;
/** Result depends on the connection or randomness (random, last_insert_rowid...). */
export const FUNC_VOLATILE = 0x1000;

export interface ScalarFuncDef {
  readonly kind: "scalar";
  /** Lower-case name. */
  readonly name: string;
  /** Exact argument count, or -1 for variadic (then at least minArgs). */
  readonly nArg: number;
  readonly minArgs: number;
  readonly flags: number;
  readonly fn: ScalarFn;
}

export interface AggregateFuncDef {
  readonly kind: "aggregate";
  readonly name: string;
  readonly nArg: number;
  readonly minArgs: number;
  readonly flags: number;
  /** A fresh state for one group. */
  create(): AggregateState;
}

export type FuncDef = ScalarFuncDef | AggregateFuncDef;
