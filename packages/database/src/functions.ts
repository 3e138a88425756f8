/*
 * functions.ts: JavaScript user functions (db.function, db.aggregate) as engine
 * functions (sqlite3_create_function_v2 / sqlite3_create_window_function), with
 * better-sqlite3's calling conventions (https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#functionname-options-function---this):
 *   - arguments arrive as JavaScript values (INTEGER as number, or bigint with
 *     safeIntegers: the function's own option, else the database's default at call
 *     time; BLOB as Buffer);
 *   - the return value becomes the SQL result: null/undefined NULL, number (INTEGER when a
 *     safe integer, else REAL), bigint INTEGER, string TEXT, Uint8Array BLOB, boolean 1/0;
 *     anything else fails with TypeError "User-defined function NAME() returned an invalid
 *     value";
 *   - an aggregate's step(acc, ...args) returns the new accumulator (undefined keeps
 *     it); start is the initial accumulator (a function is called once per group);
 *     result(acc) maps the final accumulator (absent: the accumulator itself); inverse
 *     makes it usable as a window function with sliding frames.
 *
 * A JavaScript exception cannot cross the VM (func/api.ts invariant 3), so the wrapper
 * parks it in the connection's ErrorSlot and fails the call with ctx.resultError; the
 * driver rethrows the parked original when the statement fails (invariant 1).
 *
 * Invariants:
 *  1. After a statement step throws, ErrorSlot.take() returns the JS exception raised by
 *     a user function during that step, if any, and clears it.
 *  2. Argument values are copied out of the VM registers before the user code runs.
 */
import {
  FUNC_DETERMINISTIC, FUNC_WINDOW_INVERSE, SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_TEXT,
  type AggregateState, type Connection, type FuncArgs, type FuncContext,
} from "@strata/sql";
import { toBlob } from "./values.js";

export class ErrorSlot {
  private error: unknown = undefined;
  private has = false;
  park(e: unknown): void {
    this.error = e;
    this.has = true;
  }
  /** The parked exception (and clears it), or `fallback` when none. */
  take(fallback: unknown): unknown {
    if (!this.has) return fallback;
    const e = this.error;
    this.error = undefined;
    this.has = false;
    return e;
  }
}

export interface FunctionOptions {
  safeIntegers?: boolean;
  deterministic?: boolean;
  directOnly?: boolean;
  varargs?: boolean;
}

// User callbacks take whatever the caller declares (better-sqlite3's typings use any too).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type UserFn = (...args: any[]) => unknown;

export interface AggregateOptions extends FunctionOptions {
  start?: unknown;
  step: UserFn;
  inverse?: UserFn | null;
  result?: UserFn | null;
}

function argJs(args: FuncArgs, i: number, safeIntegers: boolean): unknown {
  switch (args.type(i)) {
    case SQLITE_INTEGER: {
      if (safeIntegers) return args.bigint(i);
      const n = args.int(i);
      return Number.isNaN(n) ? Number(args.bigint(i)) : n;
    }
    case SQLITE_FLOAT: return args.real(i);
    case SQLITE_TEXT: return args.text(i);
    case SQLITE_BLOB: return toBlob(args.blob(i)!.slice());
    default: return null;
  }
}

function argList(args: FuncArgs, argc: number, safeIntegers: boolean, first: unknown, withFirst: boolean): unknown[] {
  const out: unknown[] = withFirst ? [first] : [];
  for (let i = 0; i < argc; i++) out.push(argJs(args, i, safeIntegers));
  return out;
}

function setResult(ctx: FuncContext, name: string, v: unknown): void {
  switch (typeof v) {
    case "number":
      if (Number.isNaN(v)) ctx.resultNull();
      else if (Number.isSafeInteger(v)) ctx.resultInt(v + 0);
      else ctx.resultReal(v);
      return;
    case "bigint":
      if (v > 9223372036854775807n || v < -9223372036854775808n) throw new RangeError("The bound string, buffer, or bigint is too big");
      ctx.resultBigInt(v);
      return;
    case "string": ctx.resultText(v); return;
    case "boolean": ctx.resultInt(v ? 1 : 0); return;
    case "undefined": ctx.resultNull(); return;
    case "object":
      if (v === null) { ctx.resultNull(); return; }
      if (v instanceof Uint8Array) { ctx.resultBlob(v.slice()); return; }
  }
  throw new TypeError(`User-defined function ${name}() returned an invalid value`);
}

function fail(ctx: FuncContext, slot: ErrorSlot, e: unknown): void {
  slot.park(e);
  ctx.resultError(e instanceof Error ? e.message : String(e));
}

function argCount(n: number): number {
  // better-sqlite3's limit (SQLite's SQLITE_MAX_FUNCTION_ARG is larger).
  if (n > 100) throw new RangeError("User-defined functions cannot have more than 100 arguments");
  return n;
}

export function registerFunction(
  conn: Connection, slot: ErrorSlot, name: string, opts: FunctionOptions, safeDefault: () => boolean, fn: (...args: unknown[]) => unknown,
): void {
  const own = opts.safeIntegers;
  const nArg = opts.varargs ? -1 : argCount(fn.length);
  const flags = opts.deterministic ? FUNC_DETERMINISTIC : 0;
  conn.createFunction(name, nArg, (ctx, argc, args) => {
    try {
      setResult(ctx, name, fn(...argList(args, argc, own ?? safeDefault(), null, false)));
    } catch (e) {
      fail(ctx, slot, e);
    }
  }, flags);
}

export function registerAggregate(conn: Connection, slot: ErrorSlot, name: string, opts: AggregateOptions, safeDefault: () => boolean): void {
  const own = opts.safeIntegers;
  const { start, step, inverse, result } = opts;
  const len = Math.max(step.length, inverse ? inverse.length : 0);
  const nArg = opts.varargs ? -1 : argCount(len > 0 ? len - 1 : 0);
  let flags = opts.deterministic ? FUNC_DETERMINISTIC : 0;
  if (inverse) flags |= FUNC_WINDOW_INVERSE;
  conn.createAggregate(name, nArg, (): AggregateState => {
    let acc: unknown = null;
    let started = false;
    let failed = false;
    const safe = own ?? safeDefault();
    const init = (): void => {
      if (started) return;
      started = true;
      acc = typeof start === "function" ? (start as () => unknown)() : start === undefined ? null : start;
    };
    const finish = (ctx: FuncContext): void => {
      if (failed) return;
      try {
        init();
        setResult(ctx, name, result ? result(acc) : acc);
      } catch (e) {
        fail(ctx, slot, e);
      }
    };
    return {
      step(ctx, argc, args) {
        if (failed) return;
        try {
          init();
          const r = step(...argList(args, argc, safe, acc, true));
          if (r !== undefined) acc = r;
        } catch (e) {
          failed = true;
          fail(ctx, slot, e);
        }
      },
      inverse(ctx, argc, args) {
        if (failed || !inverse) return;
        try {
          init();
          const r = inverse(...argList(args, argc, safe, acc, true));
          if (r !== undefined) acc = r;
        } catch (e) {
          failed = true;
          fail(ctx, slot, e);
        }
      },
      value: finish,
      finalize: finish,
    };
  }, flags);
}
