/*
 * bind.ts: JavaScript arguments to statement parameters, with better-sqlite3's rules
 * (its Binder), so code written for better-sqlite3 binds the same way here:
 *   - each argument that is an array binds its elements to the next anonymous
 *     parameters; a plain object (prototype Object.prototype or null) binds the named
 *     parameters (`:a`, `@a`, `$a`, and `?NNN` as "NNN") by their name without the
 *     prefix; any other value binds to the next anonymous parameter;
 *   - an anonymous parameter is one whose sqlite3_bind_parameter_name is NULL (a bare
 *     `?`, or a number ?NNN skipped over);
 *   - the total bound must equal the parameter count, else RangeError "Too few / Too
 *     many parameter values were provided" (TypeError "Missing named parameters" when no
 *     object was given and the statement has named ones); a name missing from the object
 *     is RangeError `Missing named parameter "a"`; a second object is TypeError "You
 *     cannot specify named parameters in two different objects".
 *
 * Values: null/undefined -> NULL; number -> INTEGER when it is a safe integer, else REAL
 * (NaN -> NULL, as sqlite3_bind_double does); bigint -> INTEGER (RangeError "The bound
 * string, buffer, or bigint is too big" outside int64); string -> TEXT; Uint8Array
 * (Buffer) -> BLOB; boolean -> INTEGER 1/0.
 * COMPAT (better-sqlite3): it binds every number with sqlite3_bind_double (so
 * typeof(?) of 1 is 'real') and rejects booleans with a TypeError; we bind whole numbers as
 * INTEGER and booleans as 1/0, as @tursodatabase/database does.
 *
 * Invariants:
 *  1. bindAll binds every parameter of the statement or throws; a throw may leave some
 *     parameters bound (the next call binds them all again).
 *  2. No value object is kept: blobs are copied by the engine's bind.
 */
import type { PreparedStatement } from "@strata/sql";

const BIND_TYPE_ERROR = "SQLite3 can only bind numbers, strings, bigints, buffers, and null";
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** The names of a statement's named parameters (without prefix) and their numbers. */
export interface BindMap {
  readonly names: readonly string[];
  readonly indexes: readonly number[];
}

export function bindMapOf(s: PreparedStatement): BindMap {
  const names: string[] = [];
  const indexes: number[] = [];
  for (let i = 1; i <= s.paramCount; i++) {
    const n = s.paramName(i);
    if (n !== null) {
      names.push(n.slice(1));
      indexes.push(i);
    }
  }
  return { names, indexes };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Binds one JS value to parameter i (1-based). */
export function bindValue(s: PreparedStatement, i: number, v: unknown): void {
  if (i > s.paramCount) throw new RangeError("Too many parameter values were provided");
  switch (typeof v) {
    case "number":
      if (Number.isSafeInteger(v)) s.bind(i, v + 0); // v + 0: -0 binds as 0
      else s.bindReal(i, v); // NaN binds NULL (Mem.setReal)
      return;
    case "string":
      s.bind(i, v);
      return;
    case "bigint":
      if (v > INT64_MAX || v < INT64_MIN) throw new RangeError("The bound string, buffer, or bigint is too big");
      s.bind(i, v);
      return;
    case "boolean":
      s.bind(i, v ? 1 : 0);
      return;
    case "undefined":
      s.bind(i, null);
      return;
    case "object":
      if (v === null) {
        s.bind(i, null);
        return;
      }
      if (v instanceof Uint8Array) {
        s.bind(i, v);
        return;
      }
      if (ArrayBuffer.isView(v)) {
        s.bind(i, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        return;
      }
      throw new TypeError(BIND_TYPE_ERROR);
    default:
      throw new TypeError(BIND_TYPE_ERROR);
  }
}

/** Binds `args` to every parameter of `s` (the rules in the header). */
export function bindAll(s: PreparedStatement, map: BindMap, args: readonly unknown[]): void {
  const paramCount = s.paramCount;
  if (map.names.length === 0 && args.length === paramCount) {
    // The common shape: only `?` parameters, one plain value each (no closure, no scan).
    let k = 0;
    for (; k < args.length; k++) {
      const arg = args[k];
      if (typeof arg === "object" && arg !== null && !(arg instanceof Uint8Array)) break;
      bindValue(s, k + 1, arg);
    }
    if (k === args.length) return;
  }
  let anon = 0;
  const nextAnon = (): number => {
    while (++anon <= paramCount && s.paramName(anon) !== null) { /* skip named */ }
    return anon;
  };
  let count = 0;
  let boundObject = false;
  for (let a = 0; a < args.length; a++) {
    const arg = args[a];
    if (Array.isArray(arg)) {
      for (let k = 0; k < arg.length; k++) bindValue(s, nextAnon(), arg[k]);
      count += arg.length;
      continue;
    }
    if (typeof arg === "object" && arg !== null && !ArrayBuffer.isView(arg)) {
      if (isPlainObject(arg)) {
        if (boundObject) throw new TypeError("You cannot specify named parameters in two different objects");
        boundObject = true;
        for (let k = 0; k < map.names.length; k++) {
          const name = map.names[k];
          if (!Object.prototype.hasOwnProperty.call(arg, name)) throw new RangeError(`Missing named parameter "${name}"`);
          bindValue(s, map.indexes[k], arg[name]);
        }
        count += map.names.length;
        continue;
      }
      if (map.names.length > 0) throw new TypeError("Named parameters can only be passed within plain objects");
    }
    bindValue(s, nextAnon(), arg);
    count++;
  }
  if (count !== paramCount) {
    if (count < paramCount) {
      if (!boundObject && map.names.length > 0) throw new TypeError("Missing named parameters");
      throw new RangeError("Too few parameter values were provided");
    }
    throw new RangeError("Too many parameter values were provided");
  }
}
