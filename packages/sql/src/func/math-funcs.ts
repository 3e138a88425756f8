/*
 * The built-in math functions (https://sqlite.org/lang_mathfunc.html; func.c, compiled in
 * with SQLITE_ENABLE_MATH_FUNCTIONS as better-sqlite3 is): acos, acosh, asin, asinh, atan,
 * atan2, atanh, ceil/ceiling, cos, cosh, degrees, exp, floor, ln, log (1 and 2 args),
 * log10, log2, mod, pi, pow/power, radians, sin, sinh, sqrt, tan, tanh, trunc.
 *
 * Invariants:
 *  1. An argument whose sqlite3_value_numeric_type is neither INTEGER nor FLOAT (NULL,
 *     text that does not look like a number, a BLOB) gives NULL.
 *  2. ceil/ceiling/floor/trunc of an INTEGER (or of text that reads as an integer) give
 *     that INTEGER; of a REAL, a REAL.
 *  3. Every other result is a REAL; a NaN result is NULL (sqlite3_result_double).
 *  4. log(B, X) is ln(X)/ln(B), NULL when X <= 0 or ln(B) <= 0 (B <= 1); log(X) is
 *     log10(X); a non-positive X gives NULL.
 *  5. COMPAT: the transcendental functions use JavaScript's Math, which can differ from
 *     the C library's result in the last binary place (docs/compat.md).
 */
import { SQLITE_FLOAT, SQLITE_INTEGER } from "@strata/common";
import type { FuncArgs, FuncContext, ScalarFn } from "./api.js";

function isNumeric(args: FuncArgs, i: number): boolean {
  const t = args.numericType(i);
  return t === SQLITE_INTEGER || t === SQLITE_FLOAT;
}

/** A one-argument function of a double (func.c math1Func). */
export function math1(f: (x: number) => number): ScalarFn {
  return (ctx, _argc, args) => {
    if (!isNumeric(args, 0)) return ctx.resultNull();
    ctx.resultReal(f(args.real(0)));
  };
}

/** A two-argument function of doubles (func.c math2Func). */
export function math2(f: (x: number, y: number) => number): ScalarFn {
  return (ctx, _argc, args) => {
    if (!isNumeric(args, 0) || !isNumeric(args, 1)) return ctx.resultNull();
    ctx.resultReal(f(args.real(0), args.real(1)));
  };
}

/** ceil/floor/trunc: an INTEGER stays itself (invariant 2). */
function integral(f: (x: number) => number): ScalarFn {
  return (ctx, _argc, args) => {
    const t = args.numericType(0);
    if (t === SQLITE_INTEGER) {
      const n = args.int(0);
      if (n === n) return ctx.resultInt(n);
      return ctx.resultBigInt(args.bigint(0));
    }
    if (t === SQLITE_FLOAT) return ctx.resultReal(f(args.real(0)));
    ctx.resultNull();
  };
}

export const ceilFunc = integral(Math.ceil);
export const floorFunc = integral(Math.floor);
export const truncFunc = integral(Math.trunc);

/** C's pow(): pow(1, y) and pow(-1, ±Inf) are 1 (JavaScript gives NaN). */
export function cPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** C's fmod(): JavaScript's % has the same definition. */
export function cFmod(x: number, y: number): number {
  return x % y;
}

export function logFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (!isNumeric(args, 0)) return ctx.resultNull();
  let x = args.real(0);
  if (x <= 0) return ctx.resultNull();
  if (argc === 2) {
    const b = Math.log(x);
    if (b <= 0) return ctx.resultNull();
    x = args.real(1); // func.c checks only the first argument's numeric type
    if (x <= 0) return ctx.resultNull();
    return ctx.resultReal(Math.log(x) / b);
  }
  ctx.resultReal(Math.log10(x));
}

function logWith(f: (x: number) => number): ScalarFn {
  return (ctx, _argc, args) => {
    if (!isNumeric(args, 0)) return ctx.resultNull();
    const x = args.real(0);
    if (x <= 0) return ctx.resultNull();
    ctx.resultReal(f(x));
  };
}

export const lnFunc = logWith(Math.log);
export const log10Func = logWith(Math.log10);
export const log2Func = logWith(Math.log2);

export function piFunc(ctx: FuncContext): void {
  ctx.resultReal(Math.PI);
}

export const degreesFunc = math1((x) => x * (180.0 / Math.PI));
export const radiansFunc = math1((x) => x * (Math.PI / 180.0));
