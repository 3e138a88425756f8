/*
 * Built-in numeric and miscellaneous scalar functions (https://sqlite.org/lang_corefunc.html;
 * func.c): abs, round, sign, random, randomblob, zeroblob, typeof, coalesce, ifnull, iif/if,
 * nullif, min/max (scalar), likely, unlikely, likelihood, last_insert_rowid, changes,
 * total_changes, sqlite_version, sqlite_source_id.
 *
 * Invariants:
 *  1. abs(-9223372036854775808) reports "integer overflow" (SQLite's message).
 *  2. round() follows func.c roundFunc: |x| > 2^52 unchanged, n = 0 via
 *     (double)(int64)(x ± 0.5), otherwise SQLite's own "%!.*f" then text -> REAL.
 *  3. coalesce/ifnull/iif here evaluate every argument (the code generator inlines them
 *     lazily, as SQLite does, so side effects and errors of unused branches never occur
 *     in SQL; these bodies serve the adapter and user plumbing).
 */
import {
  SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, compareValues,
} from "@strata/common";
import type { FuncArgs, FuncContext } from "./api.js";
import { ET_FLOAT, FloatSpec, formatFloat } from "../value/real-to-text.js";
import { textToReal } from "../value/text-to-number.js";

const I64_MIN = -9223372036854775808n;
const I64_MAX = 9223372036854775807n;

export function absFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  switch (args.type(0)) {
    case SQLITE_INTEGER: {
      const n = args.int(0);
      if (n === n) return ctx.resultInt(n < 0 ? -n : n);
      const b = args.bigint(0);
      if (b === I64_MIN) return ctx.resultError("integer overflow");
      return ctx.resultBigInt(b < 0n ? -b : b);
    }
    case SQLITE_NULL:
      return ctx.resultNull();
    default: {
      const r = args.real(0);
      return ctx.resultReal(r < 0 ? -r : r);
    }
  }
}

const ROUND_SPEC = new FloatSpec();
ROUND_SPEC.xtype = ET_FLOAT;
ROUND_SPEC.altForm2 = true;

/** SQLite's round(x, n) on a double, n in [0, 30]. */
export function roundReal(r: number, n: number): number {
  if (r < -4503599627370496 || r > 4503599627370496) return r;
  if (n === 0) {
    const t = r + (r < 0 ? -0.5 : 0.5);
    return Math.trunc(t) + 0; // + 0 turns -0 into 0, as the int64 round trip does
  }
  ROUND_SPEC.precision = n;
  return textToReal(formatFloat(r, ROUND_SPEC));
}

export function roundFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  let n = 0;
  if (argc === 2) {
    if (args.type(1) === SQLITE_NULL) return ctx.resultNull();
    n = args.int(1);
    if (n !== n) n = args.bigint(1) < 0n ? 0 : 30;
    if (n > 30) n = 30;
    if (n < 0) n = 0;
  }
  if (args.type(0) === SQLITE_NULL) return ctx.resultNull();
  ctx.resultReal(roundReal(args.real(0), n));
}

export function signFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const t = args.type(0);
  if (t === SQLITE_NULL) return ctx.resultNull();
  if (t === SQLITE_INTEGER) {
    const n = args.int(0);
    if (n === n) return ctx.resultInt(n > 0 ? 1 : n < 0 ? -1 : 0);
    return ctx.resultInt(args.bigint(0) > 0n ? 1 : -1);
  }
  if (t !== SQLITE_FLOAT && args.numericType(0) !== SQLITE_INTEGER && args.numericType(0) !== SQLITE_FLOAT) {
    return ctx.resultNull();
  }
  const x = args.real(0);
  ctx.resultInt(x < 0 ? -1 : x > 0 ? 1 : 0);
}

const RANDOM_SCRATCH = new Uint8Array(8);
const RANDOM_VIEW = new DataView(RANDOM_SCRATCH.buffer);

export function randomFunc(ctx: FuncContext): void {
  ctx.conn.randomBytes(RANDOM_SCRATCH);
  let r = RANDOM_VIEW.getBigInt64(0, true);
  if (r < 0n) r = -(r & I64_MAX); // never -2^63, so abs() of it works
  ctx.resultBigInt(r);
}

export function randomBlobFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  let n = args.int(0);
  if (n !== n) n = args.bigint(0) < 0n ? 1 : 0x7fffffff;
  if (n < 1) n = 1;
  if (n > 1000000000) return ctx.resultError("string or blob too big", "SQLITE_TOOBIG");
  const out = new Uint8Array(n);
  ctx.conn.randomBytes(out);
  ctx.resultBlob(out);
}

export function zeroblobFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  let n = args.int(0);
  if (n !== n) n = args.bigint(0) < 0n ? 0 : Infinity;
  if (n < 0) n = 0;
  if (n > 1000000000) return ctx.resultError("string or blob too big", "SQLITE_TOOBIG");
  ctx.resultBlob(new Uint8Array(n));
}

const TYPE_NAMES = ["", "integer", "real", "text", "blob", "null"];

export function typeofFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  ctx.resultText(TYPE_NAMES[args.type(0)]);
}

export function coalesceFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  for (let i = 0; i < argc; i++) {
    if (args.type(i) !== SQLITE_NULL) return ctx.resultArg(args, i);
  }
  ctx.resultNull();
}

/** Truth of a value as SQLite tests a condition (sqlite3VdbeBooleanValue, NULL false). */
export function isTrue(args: FuncArgs, i: number): boolean {
  const t = args.type(i);
  if (t === SQLITE_NULL) return false;
  if (t === SQLITE_INTEGER) {
    const n = args.int(i);
    return n === n ? n !== 0 : true;
  }
  return args.real(i) !== 0;
}

/** iif(C1,V1[,C2,V2...][,ELSE]) and its alias if(): the first V whose C is true. */
export function iifFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  let i = 0;
  for (; i + 1 < argc; i += 2) {
    if (isTrue(args, i)) return ctx.resultArg(args, i + 1);
  }
  if (i < argc) return ctx.resultArg(args, i);
  ctx.resultNull();
}

export function nullifFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  if (compareValues(args.value(0), args.value(1), ctx.collation) !== 0) ctx.resultArg(args, 0);
  else ctx.resultNull();
}

function minmax(ctx: FuncContext, argc: number, args: FuncArgs, max: boolean): void {
  if (args.type(0) === SQLITE_NULL) return ctx.resultNull();
  let best = 0;
  let bestV = args.value(0);
  for (let i = 1; i < argc; i++) {
    if (args.type(i) === SQLITE_NULL) return ctx.resultNull();
    const v = args.value(i);
    const c = compareValues(bestV, v, ctx.collation);
    // SQLite's (cmp ^ mask) >= 0: max takes a strictly greater value, min a not-greater one.
    if (max ? c < 0 : c >= 0) {
      best = i;
      bestV = v;
    }
  }
  ctx.resultArg(args, best);
}

export function minFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  minmax(ctx, argc, args, false);
}
export function maxFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  minmax(ctx, argc, args, true);
}

export function likelyFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  ctx.resultArg(args, 0);
}

/** likelihood(X,P): X; P must be a constant between 0.0 and 1.0 (the resolver's check). */
export function likelihoodFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const t = args.type(1);
  const p = args.real(1);
  if (t !== SQLITE_FLOAT || !(p >= 0 && p <= 1)) { // SQLite wants a floating-point literal
    return ctx.resultError("second argument to likelihood() must be a constant between 0.0 and 1.0");
  }
  ctx.resultArg(args, 0);
}

function resultInt64(ctx: FuncContext, v: number | bigint): void {
  if (typeof v === "number") ctx.resultInt(v);
  else ctx.resultBigInt(v);
}

export function lastInsertRowidFunc(ctx: FuncContext): void {
  resultInt64(ctx, ctx.conn.lastInsertRowid());
}
export function changesFunc(ctx: FuncContext): void {
  resultInt64(ctx, ctx.conn.changes());
}
export function totalChangesFunc(ctx: FuncContext): void {
  resultInt64(ctx, ctx.conn.totalChanges());
}

// COMPAT: sqlite_version() reports the SQLite release whose behaviour Strata follows
// (its compatibility level), not a version of Strata itself.
export const SQLITE_VERSION = "3.53.0";
export const SQLITE_SOURCE_ID = "2026-04-09 11:41:38 4525003a53a7fc63ca75c59b22c79608659ca12f0131f52c18637f829977f20b";

export function sqliteVersionFunc(ctx: FuncContext): void {
  ctx.resultText(SQLITE_VERSION);
}
export function sqliteSourceIdFunc(ctx: FuncContext): void {
  ctx.resultText(SQLITE_SOURCE_ID);
}
