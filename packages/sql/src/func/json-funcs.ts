/*
 * The JSON SQL functions (https://sqlite.org/json1.html, json.c): json, json_array,
 * json_array_length, json_error_position, json_extract, -> and ->>, json_insert,
 * json_object, json_patch, json_pretty, json_quote, json_remove, json_replace, json_set,
 * json_type, json_valid, and the aggregates json_group_array / json_group_object (also as
 * window functions). Documents are parsed by json-node.ts; paths and edits are in
 * json-path.ts. json_each / json_tree (table-valued) and the jsonb_* functions are not
 * here yet.
 *
 * Invariants:
 *  1. Text results that are JSON carry SUBTYPE_JSON, so a JSON argument built by another
 *     JSON function is embedded as JSON, and plain TEXT as a JSON string (§3.3 "VALUE
 *     arguments"); ->> and json_extract's scalar results carry none.
 *  2. A document argument is JSON text (JSON5 accepted) or a JSONB blob; anything else
 *     fails with "malformed JSON". A BLOB as a VALUE that is not JSONB fails with "JSON
 *     cannot hold BLOB values".
 *  3. SQL REAL values become JSON as "%!0.15g" (infinities as ±9.0e+999); JSON numbers
 *     become SQL values as SQLite reads them: integers beyond int64 become REAL, -0 is 0.
 */
import { SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT } from "@strata/common";
import { SUBTYPE_JSON, type AggregateState, type FuncArgs, type FuncContext, type ScalarFn } from "./api.js";
import {
  ERR, J_ARRAY, J_FALSE, J_INT, J_NULL, J_REAL, J_STRING, J_TRUE, JNode, NULL_NODE,
  arrayNode, decodeJsonb, escapeString, objectNode, parseJson, renderJson, renderPretty, unescapeString,
} from "./json-node.js";
import { ED_INSERT, ED_REMOVE, ED_REPLACE, ED_SET, Edit, NOT_FOUND, PATH_ERROR, lookup, mergePatch, walk } from "./json-path.js";
import { ET_GENERIC, FloatSpec, formatFloat } from "../value/real-to-text.js";
import { textToReal } from "../value/text-to-number.js";

const MALFORMED = "malformed JSON";

const G15 = new FloatSpec(); // "%!0.15g"
G15.xtype = ET_GENERIC;
G15.precision = 15;
G15.altForm2 = true;
G15.zeroPad = true;

/** SQL quoting of a path for "bad JSON path: %Q". */
function badPath(ctx: FuncContext, path: string): void {
  ctx.resultError(`bad JSON path: '${path.replaceAll("'", "''")}'`);
}

/** The document in argument i (invariant 2); undefined after an error, null for SQL NULL. */
function docArg(ctx: FuncContext, args: FuncArgs, i: number): JNode | null | undefined {
  const t = args.type(i);
  if (t === SQLITE_NULL) return null;
  let n: JNode | null;
  if (t === SQLITE_BLOB) n = decodeJsonb(args.blob(i)!);
  else n = parseJson(args.text(i)!);
  if (n === null) {
    ctx.resultError(MALFORMED);
    return undefined;
  }
  return n;
}

/** A VALUE argument as JSON (invariant 1); null after an error. */
function valueArg(ctx: FuncContext, args: FuncArgs, i: number): JNode | null {
  switch (args.type(i)) {
    case SQLITE_NULL: return NULL_NODE;
    case SQLITE_INTEGER: {
      const v = args.int(i);
      return new JNode(J_INT, v === v ? String(v) : args.bigint(i).toString(), null, null);
    }
    case SQLITE_FLOAT:
      return new JNode(J_REAL, formatFloat(args.real(i), G15), null, null);
    case SQLITE_BLOB: {
      const n = decodeJsonb(args.blob(i)!);
      if (n === null) ctx.resultError("JSON cannot hold BLOB values");
      return n;
    }
    default: {
      const s = args.text(i)!;
      if (args.subtype(i) === SUBTYPE_JSON) {
        const n = parseJson(s);
        if (n === null) ctx.resultError(MALFORMED);
        return n;
      }
      return new JNode(J_STRING, escapeString(s), null, null);
    }
  }
}

function resultJson(ctx: FuncContext, n: JNode): void {
  ctx.resultText(renderJson(n));
  ctx.resultSubtype(SUBTYPE_JSON);
}

/** A JSON node as an SQL value (invariant 3); arrays and objects as JSON text, with the
 *  JSON subtype unless `plain` (->> gives none). */
function resultSql(ctx: FuncContext, n: JNode, plain = false): void {
  switch (n.k) {
    case J_NULL: return ctx.resultNull();
    case J_TRUE: return ctx.resultInt(1);
    case J_FALSE: return ctx.resultInt(0);
    case J_INT: {
      const b = BigInt(n.raw);
      if (b >= -9223372036854775808n && b <= 9223372036854775807n) return ctx.resultBigInt(b);
      return ctx.resultReal(textToReal(n.raw));
    }
    case J_REAL: return ctx.resultReal(textToReal(n.raw));
    case J_STRING: return ctx.resultText(unescapeString(n.raw));
    default:
      if (plain) return ctx.resultText(renderJson(n));
      return resultJson(ctx, n);
  }
}

export function jsonFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const d = docArg(ctx, args, 0);
  if (d === undefined) return;
  if (d === null) return ctx.resultNull();
  resultJson(ctx, d);
}

export function jsonArrayFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  const items: JNode[] = [];
  for (let i = 0; i < argc; i++) {
    const v = valueArg(ctx, args, i);
    if (v === null) return;
    items.push(v);
  }
  resultJson(ctx, arrayNode(items));
}

export function jsonObjectFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if ((argc & 1) !== 0) return ctx.resultError("json_object() requires an even number of arguments");
  const keys: string[] = [];
  const vals: JNode[] = [];
  for (let i = 0; i < argc; i += 2) {
    if (args.type(i) !== SQLITE_TEXT) return ctx.resultError("json_object() labels must be TEXT");
    const v = valueArg(ctx, args, i + 1);
    if (v === null) return;
    keys.push(escapeString(args.text(i)!));
    vals.push(v);
  }
  resultJson(ctx, objectNode(keys, vals));
}

/** Finds path argument i in `d`; undefined after an error or for a NULL path. */
function pathArg(ctx: FuncContext, args: FuncArgs, i: number, d: JNode): JNode | number | undefined {
  const path = args.text(i);
  if (path === null) return undefined;
  const r = lookup(d, path);
  if (r === PATH_ERROR) {
    badPath(ctx, path);
    return undefined;
  }
  return r;
}

export function jsonExtractFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (argc < 2) return ctx.resultNull();
  const d = docArg(ctx, args, 0);
  if (d === undefined) return;
  if (d === null) return ctx.resultNull();
  if (argc === 2) {
    const r = pathArg(ctx, args, 1, d);
    if (r === undefined || typeof r === "number") return;
    return resultSql(ctx, r);
  }
  const out: JNode[] = [];
  for (let i = 1; i < argc; i++) {
    const r = pathArg(ctx, args, i, d);
    if (r === undefined) {
      if (args.type(i) === SQLITE_NULL) return ctx.resultNull();
      return;
    }
    out.push(typeof r === "number" ? NULL_NODE : r);
  }
  resultJson(ctx, arrayNode(out));
}

function isAlnum(s: string): boolean {
  return /^[A-Za-z0-9_]*$/.test(s) && s.length > 0 && !/^[0-9]/.test(s);
}

/** -> (asJson) and ->> : abbreviated paths NUMBER, LABEL, [NUMBER] allowed. */
function arrow(asJson: boolean): ScalarFn {
  return (ctx, _argc, args) => {
    const d = docArg(ctx, args, 0);
    if (d === undefined) return;
    if (d === null || args.type(1) === SQLITE_NULL) return ctx.resultNull();
    const given = args.text(1)!;
    let path = given;
    if (path.length === 0) return badPath(ctx, given);
    if (path[0] !== "$") {
      if (args.type(1) === SQLITE_INTEGER) path = path[0] === "-" ? `$[#${path}]` : `$[${path}]`;
      else if (isAlnum(path)) path = "$." + path;
      else if (path[0] === "[" && path.length >= 3 && path[path.length - 1] === "]") path = "$" + path;
      else path = `$."${path}"`;
    }
    const r = lookup(d, path);
    if (r === PATH_ERROR) return badPath(ctx, given);
    if (typeof r === "number") return ctx.resultNull();
    if (asJson) resultJson(ctx, r);
    else resultSql(ctx, r, true);
  };
}
export const arrowFunc = arrow(true);
export const arrow2Func = arrow(false);

const TYPE_NAMES = ["null", "true", "false", "integer", "real", "text", "array", "object"];

/** The node json_type / json_array_length look at: the document, or the one its optional
 *  path (argument 1) names; undefined when the result is already set (NULL, an error, or
 *  a path that names nothing). */
function docOrPathNode(ctx: FuncContext, argc: number, args: FuncArgs): JNode | undefined {
  const d = docArg(ctx, args, 0);
  if (d === undefined) return undefined;
  if (d === null) {
    ctx.resultNull();
    return undefined;
  }
  if (argc !== 2) return d;
  const r = pathArg(ctx, args, 1, d);
  if (r === undefined || typeof r === "number") return undefined;
  return r;
}

export function jsonTypeFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  const n = docOrPathNode(ctx, argc, args);
  if (n !== undefined) ctx.resultText(TYPE_NAMES[n.k]);
}

export function jsonArrayLengthFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  const n = docOrPathNode(ctx, argc, args);
  if (n !== undefined) ctx.resultInt(n.k === J_ARRAY ? n.a!.length : 0);
}

export function jsonValidFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  let flags = 1;
  if (argc === 2) {
    flags = args.int(1);
    if (!(flags >= 1 && flags <= 15)) return ctx.resultError("FLAGS parameter to json_valid() must be between 1 and 15");
  }
  const t = args.type(0);
  if (t === SQLITE_NULL) return ctx.resultNull();
  if (t === SQLITE_BLOB) {
    return ctx.resultInt((flags & 0x0c) !== 0 && decodeJsonb(args.blob(0)!) !== null ? 1 : 0);
  }
  if ((flags & 0x03) === 0) return ctx.resultInt(0);
  const n = parseJson(args.text(0)!);
  if (n === null) return ctx.resultInt(0);
  ctx.resultInt(!ERR.json5 || (flags & 0x02) !== 0 ? 1 : 0);
}

export function jsonErrorPositionFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const t = args.type(0);
  if (t === SQLITE_NULL) return ctx.resultNull();
  if (t === SQLITE_BLOB) return ctx.resultInt(decodeJsonb(args.blob(0)!) !== null ? 0 : 1);
  const s = args.text(0)!;
  if (parseJson(s) !== null) return ctx.resultInt(0);
  let chars = 0;
  for (let i = 0; i < ERR.pos && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) chars++; // count code points, not UTF-16 units
  }
  ctx.resultInt(chars + 1);
}

export function jsonQuoteFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const v = valueArg(ctx, args, 0);
  if (v === null) return;
  resultJson(ctx, v);
}

export function jsonPrettyFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  const d = docArg(ctx, args, 0);
  if (d === undefined) return;
  if (d === null) return ctx.resultNull();
  let indent = "    ";
  if (argc === 2 && args.type(1) !== SQLITE_NULL) indent = args.text(1)!;
  ctx.resultText(renderPretty(d, indent, 0));
  ctx.resultSubtype(SUBTYPE_JSON);
}

export function jsonPatchFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const t = docArg(ctx, args, 0);
  if (t === undefined) return;
  const p = docArg(ctx, args, 1);
  if (p === undefined) return;
  if (t === null || p === null) return ctx.resultNull();
  resultJson(ctx, mergePatch(t, p));
}

const ED = new Edit();

/** json_set / json_insert / json_replace (op) and json_remove. */
function editor(name: string, op: number): ScalarFn {
  return (ctx, argc, args) => {
    if (op !== ED_REMOVE && (argc & 1) === 0) return ctx.resultError(`${name}() needs an odd number of arguments`);
    const d = docArg(ctx, args, 0);
    if (d === undefined) return;
    if (d === null) return ctx.resultNull();
    let root: JNode | null = d;
    const step = op === ED_REMOVE ? 1 : 2;
    for (let i = 1; i < argc; i += step) {
      const path = args.text(i);
      if (path === null) {
        if (op === ED_REMOVE) return ctx.resultNull();
        continue; // json_set and friends skip a pair whose path is NULL
      }
      if (path[0] !== "$") return badPath(ctx, path);
      let value: JNode | null = null;
      if (op !== ED_REMOVE) {
        value = valueArg(ctx, args, i + 1);
        if (value === null) return;
      }
      if (root === null) continue;
      if (path.length === 1) {
        if (op === ED_SET || op === ED_REPLACE) root = value;
        else if (op === ED_REMOVE) root = null;
        continue;
      }
      ED.op = op;
      ED.value = value;
      const r = walk(root, path, 1, ED);
      ED.value = null;
      if (r === PATH_ERROR) return badPath(ctx, path);
    }
    if (root === null) return ctx.resultNull();
    resultJson(ctx, root);
  };
}
export const jsonSetFunc = editor("json_set", ED_SET);
export const jsonInsertFunc = editor("json_insert", ED_INSERT);
export const jsonReplaceFunc = editor("json_replace", ED_REPLACE);
export const jsonRemoveFunc = editor("json_remove", ED_REMOVE);

// ------------------------------------------------------------------ aggregates

/** json_group_array(X): the values in order; inverse() drops the oldest (window frames). */
class GroupArray implements AggregateState {
  items: JNode[] = [];
  first = 0;
  step(ctx: FuncContext, _argc: number, args: FuncArgs): void {
    const v = valueArg(ctx, args, 0);
    if (v !== null) this.items.push(v);
  }
  inverse(): void {
    this.first++;
  }
  value(ctx: FuncContext): void {
    resultJson(ctx, arrayNode(this.items.slice(this.first)));
  }
  finalize(ctx: FuncContext): void {
    this.value(ctx);
  }
}

/** json_group_object(NAME, VALUE): members in order; NULL names are skipped. */
class GroupObject implements AggregateState {
  keys: string[] = [];
  vals: JNode[] = [];
  first = 0;
  step(ctx: FuncContext, _argc: number, args: FuncArgs): void {
    if (args.type(0) === SQLITE_NULL) return;
    const v = valueArg(ctx, args, 1);
    if (v === null) return;
    this.keys.push(escapeString(args.text(0)!));
    this.vals.push(v);
  }
  inverse(): void {
    this.first++;
  }
  value(ctx: FuncContext): void {
    resultJson(ctx, objectNode(this.keys.slice(this.first), this.vals.slice(this.first)));
  }
  finalize(ctx: FuncContext): void {
    this.value(ctx);
  }
}

export function createGroupArray(): AggregateState {
  return new GroupArray();
}
export function createGroupObject(): AggregateState {
  return new GroupObject();
}

