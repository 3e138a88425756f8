/*
 * The function registry: name + argument count -> definition (SQLite's FuncDef hash,
 * callback.c sqlite3FindFunction, and the builtin table of func.c
 * sqlite3RegisterBuiltinFunctions). The planner resolves each call here.
 *
 * Matching (sqlite3FindFunction's matchQuality, simplified to UTF-8): names are
 * case-insensitive (ASCII); a definition with the exact argument count beats a variadic
 * one; a variadic definition accepts argc >= minArgs. A name that exists with no
 * acceptable count gives "wrong number of arguments to function NAME()" (NAME as written
 * in the SQL); an unknown name gives "no such function: NAME".
 *
 * Invariants:
 *  1. BUILTINS lists every built-in function exactly once per (name, nArg); a
 *     registry made by createRegistry() holds them all and user functions override a
 *     built-in of the same (name, nArg).
 *  2. lookup() allocates nothing (one lower-case of the name, cached per spelling).
 */
import { SqliteError } from "@strata/common";
import {
  FUNC_CASE, FUNC_COUNT, FUNC_DETERMINISTIC, FUNC_INLINE, FUNC_LENGTH, FUNC_LIKE, FUNC_MINMAX, FUNC_NEEDCOLL,
  FUNC_SLOCHNG, FUNC_TYPEOF, FUNC_UNLIKELY, FUNC_VOLATILE, FUNC_WINDOW_INVERSE,
  type AggregateFuncDef, type AggregateState, type FuncDef, type ScalarFn, type ScalarFuncDef,
} from "./api.js";
import * as T from "./scalar-text.js";
import * as M from "./scalar-math.js";
import { printfFunc } from "./printf.js";
import * as A from "./aggregates.js";
import * as MF from "./math-funcs.js";
import * as DF from "./date-funcs.js";
import * as J from "./json-funcs.js";

/** A scalar definition; nArg -1 = variadic with at least minArgs. */
export function scalar(name: string, nArg: number, flags: number, fn: ScalarFn, minArgs = 0): ScalarFuncDef {
  return { kind: "scalar", name: name.toLowerCase(), nArg, minArgs: nArg >= 0 ? nArg : minArgs, flags, fn };
}

/** An aggregate definition. */
export function aggregate(name: string, nArg: number, flags: number, create: () => AggregateState): AggregateFuncDef {
  return { kind: "aggregate", name: name.toLowerCase(), nArg, minArgs: nArg >= 0 ? nArg : 0, flags, create };
}

const D = FUNC_DETERMINISTIC;

/** Every built-in function. */
export const BUILTINS: readonly FuncDef[] = [
  // text
  scalar("length", 1, D | FUNC_LENGTH, T.lengthFunc),
  scalar("octet_length", 1, D | FUNC_LENGTH, T.octetLengthFunc),
  scalar("lower", 1, D, T.lowerFunc),
  scalar("upper", 1, D, T.upperFunc),
  scalar("ltrim", 1, D, T.ltrimFunc),
  scalar("ltrim", 2, D, T.ltrimFunc),
  scalar("rtrim", 1, D, T.rtrimFunc),
  scalar("rtrim", 2, D, T.rtrimFunc),
  scalar("trim", 1, D, T.trimFunc),
  scalar("trim", 2, D, T.trimFunc),
  scalar("substr", 2, D, T.substrFunc),
  scalar("substr", 3, D, T.substrFunc),
  scalar("substring", 2, D, T.substrFunc),
  scalar("substring", 3, D, T.substrFunc),
  scalar("replace", 3, D, T.replaceFunc),
  scalar("instr", 2, D, T.instrFunc),
  scalar("hex", 1, D, T.hexFunc),
  scalar("unhex", 1, D, T.unhexFunc),
  scalar("unhex", 2, D, T.unhexFunc),
  scalar("char", -1, D, T.charFunc, 0),
  scalar("unicode", 1, D, T.unicodeFunc),
  scalar("quote", 1, D, T.quoteFunc),
  scalar("unistr", 1, D, T.unistrFunc),
  scalar("unistr_quote", 1, D, T.unistrQuoteFunc),
  scalar("soundex", 1, D, T.soundexFunc),
  scalar("concat", -1, D, T.concatFunc, 1),
  scalar("concat_ws", -1, D, T.concatWsFunc, 2),
  scalar("like", 2, D | FUNC_LIKE, T.likeFunc),
  scalar("like", 3, D | FUNC_LIKE, T.likeFunc),
  scalar("glob", 2, D | FUNC_LIKE | FUNC_CASE, T.globFunc),
  scalar("printf", -1, D, printfFunc, 0),
  scalar("format", -1, D, printfFunc, 0),
  // numbers and the rest
  scalar("abs", 1, D, M.absFunc),
  scalar("round", 1, D, M.roundFunc),
  scalar("round", 2, D, M.roundFunc),
  scalar("sign", 1, D, M.signFunc),
  scalar("random", 0, FUNC_VOLATILE, M.randomFunc),
  scalar("randomblob", 1, FUNC_VOLATILE, M.randomBlobFunc),
  scalar("zeroblob", 1, D, M.zeroblobFunc),
  scalar("typeof", 1, D | FUNC_TYPEOF, M.typeofFunc),
  scalar("coalesce", -1, D | FUNC_INLINE, M.coalesceFunc, 2),
  scalar("ifnull", 2, D | FUNC_INLINE, M.coalesceFunc),
  scalar("iif", -1, D | FUNC_INLINE, M.iifFunc, 2),
  scalar("if", -1, D | FUNC_INLINE, M.iifFunc, 2),
  scalar("nullif", 2, D | FUNC_NEEDCOLL, M.nullifFunc),
  scalar("min", -1, D | FUNC_NEEDCOLL, M.minFunc, 1),
  scalar("max", -1, D | FUNC_NEEDCOLL, M.maxFunc, 1),
  scalar("likely", 1, D | FUNC_INLINE | FUNC_UNLIKELY, M.likelyFunc),
  scalar("unlikely", 1, D | FUNC_INLINE | FUNC_UNLIKELY, M.likelyFunc),
  scalar("likelihood", 2, D | FUNC_INLINE | FUNC_UNLIKELY, M.likelihoodFunc),
  scalar("last_insert_rowid", 0, FUNC_VOLATILE, M.lastInsertRowidFunc),
  scalar("changes", 0, FUNC_VOLATILE, M.changesFunc),
  scalar("total_changes", 0, FUNC_VOLATILE, M.totalChangesFunc),
  scalar("sqlite_version", 0, FUNC_SLOCHNG, M.sqliteVersionFunc),
  scalar("sqlite_source_id", 0, FUNC_SLOCHNG, M.sqliteSourceIdFunc),
  // date and time (lang_datefunc.html): deterministic unless 'now', 'localtime', 'utc', 'subsec'
  scalar("date", -1, D | FUNC_SLOCHNG, DF.dateFunc, 0),
  scalar("time", -1, D | FUNC_SLOCHNG, DF.timeFunc, 0),
  scalar("datetime", -1, D | FUNC_SLOCHNG, DF.datetimeFunc, 0),
  scalar("julianday", -1, D | FUNC_SLOCHNG, DF.juliandayFunc, 0),
  scalar("unixepoch", -1, D | FUNC_SLOCHNG, DF.unixepochFunc, 0),
  scalar("strftime", -1, D | FUNC_SLOCHNG, DF.strftimeFunc, 0),
  scalar("timediff", 2, D | FUNC_SLOCHNG, DF.timediffFunc),
  scalar("current_time", 0, FUNC_SLOCHNG, DF.timeFunc),
  scalar("current_timestamp", 0, FUNC_SLOCHNG, DF.datetimeFunc),
  scalar("current_date", 0, FUNC_SLOCHNG, DF.dateFunc),
  // JSON (json1.html)
  scalar("json", 1, D, J.jsonFunc),
  scalar("json_array", -1, D, J.jsonArrayFunc, 0),
  scalar("json_array_length", 1, D, J.jsonArrayLengthFunc),
  scalar("json_array_length", 2, D, J.jsonArrayLengthFunc),
  scalar("json_error_position", 1, D, J.jsonErrorPositionFunc),
  scalar("json_extract", -1, D, J.jsonExtractFunc, 2),
  scalar("->", 2, D, J.arrowFunc),
  scalar("->>", 2, D, J.arrow2Func),
  scalar("json_insert", -1, D, J.jsonInsertFunc, 1),
  scalar("json_object", -1, D, J.jsonObjectFunc, 0),
  scalar("json_patch", 2, D, J.jsonPatchFunc),
  scalar("json_pretty", 1, D, J.jsonPrettyFunc),
  scalar("json_pretty", 2, D, J.jsonPrettyFunc),
  scalar("json_quote", 1, D, J.jsonQuoteFunc),
  scalar("json_remove", -1, D, J.jsonRemoveFunc, 1),
  scalar("json_replace", -1, D, J.jsonReplaceFunc, 1),
  scalar("json_set", -1, D, J.jsonSetFunc, 1),
  scalar("json_type", 1, D, J.jsonTypeFunc),
  scalar("json_type", 2, D, J.jsonTypeFunc),
  scalar("json_valid", 1, D, J.jsonValidFunc),
  scalar("json_valid", 2, D, J.jsonValidFunc),
  // math (lang_mathfunc.html)
  scalar("acos", 1, D, MF.math1(Math.acos)),
  scalar("acosh", 1, D, MF.math1(Math.acosh)),
  scalar("asin", 1, D, MF.math1(Math.asin)),
  scalar("asinh", 1, D, MF.math1(Math.asinh)),
  scalar("atan", 1, D, MF.math1(Math.atan)),
  scalar("atan2", 2, D, MF.math2(Math.atan2)),
  scalar("atanh", 1, D, MF.math1(Math.atanh)),
  scalar("ceil", 1, D, MF.ceilFunc),
  scalar("ceiling", 1, D, MF.ceilFunc),
  scalar("cos", 1, D, MF.math1(Math.cos)),
  scalar("cosh", 1, D, MF.math1(Math.cosh)),
  scalar("degrees", 1, D, MF.degreesFunc),
  scalar("exp", 1, D, MF.math1(Math.exp)),
  scalar("floor", 1, D, MF.floorFunc),
  scalar("ln", 1, D, MF.lnFunc),
  scalar("log", 1, D, MF.logFunc),
  scalar("log", 2, D, MF.logFunc),
  scalar("log10", 1, D, MF.log10Func),
  scalar("log2", 1, D, MF.log2Func),
  scalar("mod", 2, D, MF.math2(MF.cFmod)),
  scalar("pi", 0, D, MF.piFunc),
  scalar("pow", 2, D, MF.math2(MF.cPow)),
  scalar("power", 2, D, MF.math2(MF.cPow)),
  scalar("radians", 1, D, MF.radiansFunc),
  scalar("sin", 1, D, MF.math1(Math.sin)),
  scalar("sinh", 1, D, MF.math1(Math.sinh)),
  scalar("sqrt", 1, D, MF.math1(Math.sqrt)),
  scalar("tan", 1, D, MF.math1(Math.tan)),
  scalar("tanh", 1, D, MF.math1(Math.tanh)),
  scalar("trunc", 1, D, MF.truncFunc),
  // aggregates
  aggregate("sum", 1, FUNC_WINDOW_INVERSE, A.createSum),
  aggregate("total", 1, FUNC_WINDOW_INVERSE, A.createTotal),
  aggregate("avg", 1, FUNC_WINDOW_INVERSE, A.createAvg),
  aggregate("count", 0, FUNC_WINDOW_INVERSE | FUNC_COUNT, A.createCount),
  aggregate("count", 1, FUNC_WINDOW_INVERSE, A.createCount),
  aggregate("min", 1, FUNC_NEEDCOLL | FUNC_MINMAX, A.createMin),
  aggregate("max", 1, FUNC_NEEDCOLL | FUNC_MINMAX, A.createMax),
  aggregate("group_concat", 1, FUNC_WINDOW_INVERSE, A.createGroupConcat),
  aggregate("group_concat", 2, FUNC_WINDOW_INVERSE, A.createGroupConcat),
  aggregate("string_agg", 2, FUNC_WINDOW_INVERSE, A.createGroupConcat),
  aggregate("json_group_array", 1, FUNC_WINDOW_INVERSE, J.createGroupArray),
  aggregate("json_group_object", 2, FUNC_WINDOW_INVERSE, J.createGroupObject),
];

function lowerAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      let out = s.slice(0, i);
      for (let k = i; k < s.length; k++) {
        const d = s.charCodeAt(k);
        out += d >= 0x41 && d <= 0x5a ? String.fromCharCode(d + 0x20) : s[k];
      }
      return out;
    }
  }
  return s;
}

/** Functions by name, then by argument count. */
export class FunctionRegistry {
  private readonly byName = new Map<string, FuncDef[]>();

  /** Adds or replaces the definition with the same (name, nArg, kind of count). */
  register(def: FuncDef): void {
    const key = lowerAscii(def.name);
    let list = this.byName.get(key);
    if (list === undefined) {
      list = [];
      this.byName.set(key, list);
    }
    const k = list.findIndex((d) => d.nArg === def.nArg);
    if (k >= 0) list[k] = def;
    else list.push(def);
  }

  /** Removes the definition of (name, nArg); true if there was one. */
  unregister(name: string, nArg: number): boolean {
    const list = this.byName.get(lowerAscii(name));
    if (list === undefined) return false;
    const k = list.findIndex((d) => d.nArg === nArg);
    if (k < 0) return false;
    list.splice(k, 1);
    return true;
  }

  /** Every definition, in registration order of their names (PRAGMA function_list). */
  all(): FuncDef[] {
    const out: FuncDef[] = [];
    for (const list of this.byName.values()) out.push(...list);
    return out;
  }

  /** True when some function has this name (with any argument count). */
  has(name: string): boolean {
    const list = this.byName.get(lowerAscii(name));
    return list !== undefined && list.length > 0;
  }

  /** The best definition for `argc` arguments, or null. */
  lookup(name: string, argc: number): FuncDef | null {
    const list = this.byName.get(lowerAscii(name));
    if (list === undefined) return null;
    let variadic: FuncDef | null = null;
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      if (d.nArg === argc) return d;
      if (d.nArg < 0 && argc >= d.minArgs && variadic === null) variadic = d;
    }
    return variadic;
  }

  /**
   * lookup(), or SQLite's error: "wrong number of arguments to function NAME()" when
   * the name exists, "no such function: NAME" when it does not (NAME as written).
   */
  resolve(name: string, argc: number): FuncDef {
    const d = this.lookup(name, argc);
    if (d !== null) return d;
    if (this.has(name)) throw new SqliteError("SQLITE_ERROR", `wrong number of arguments to function ${name}()`);
    throw new SqliteError("SQLITE_ERROR", `no such function: ${name}`);
  }
}

/** A registry holding every built-in function. */
export function createRegistry(): FunctionRegistry {
  const r = new FunctionRegistry();
  for (const d of BUILTINS) r.register(d);
  return r;
}
