/*
 * codegen/expr.ts: expressions to VDBE code (SQLite's expr.c: sqlite3ExprCodeTarget,
 * sqlite3ExprIfTrue/IfFalse, sqlite3ExprAffinity, sqlite3BinaryCompareCollSeq) with name
 * resolution against the tables in scope (resolve.c, reduced to one FROM list).
 *
 * Semantics (https://sqlite.org/datatype3.html §4.2 "Type Conversions Prior To
 * Comparison", §7 collations; https://sqlite.org/lang_expr.html):
 *  - comparison affinity: numeric if either operand has INTEGER/REAL/NUMERIC affinity and
 *    both have one; else the one that has one; only columns and CASTs carry affinity.
 *  - collation: an explicit COLLATE on the left, then on the right, then the left
 *    column's, then the right column's, else BINARY.
 *  - NULL logic: comparisons give NULL; AND/OR are three-valued; IN gives NULL when not
 *    found and the list holds a NULL.
 *
 * Invariants:
 *  1. codeExpr(p, e, scope, target) leaves the value of `e` in register `target` and
 *     never writes any other register that was allocated before the call.
 *  2. ifTrue/ifFalse jump to `dest` when the condition is true/false; a NULL jumps when
 *     `jumpIfNull` (WHERE passes true to ifFalse: a NULL condition drops the row).
 */
import { tableColumn } from "./column-default.js";
import { BINARY, SqliteError, type Collation } from "@strata/common";
import { FUNC_INLINE, FUNC_NEEDCOLL } from "../func/api.js";
import type { BinaryExpr, ColumnRef, Expr } from "../parser/ast.js";
import { affinityOfType, lower, type Table } from "../schema/schema.js";
import {
  AFF_BLOB, AFF_INTEGER, AFF_NONE, AFF_NUMERIC, AFF_TEXT, JUMPIFNULL, NULLEQ, Op,
} from "../vdbe/opcodes.js";
import { WINDOW_BUILTINS } from "../vdbe/ops-window.js";
import { NUM, parseReal } from "../value/text-to-number.js";
import type { Parse, SrcItem } from "./context.js";
import { codeInlineFunction } from "./inline-func.js";
import {
  codeExists, codeInSubquery, codeScalarSubquery, codeVectorCompare, describeSelect, isVectorCompare,
} from "./subquery.js";

import { codeRaise } from "./trigger.js";
import { dbOfTable, findDb } from "./dbs.js";

export type Scope = readonly SrcItem[];

export interface ResolvedColumn {
  readonly item: SrcItem;
  /** Column number, or -1 for the rowid. */
  readonly col: number;
  /**
   * A USING column of a FULL JOIN read unqualified: the value is the first non-NULL of
   * this column and these (SQLite builds a coalesce()); null otherwise.
   */
  readonly also?: readonly ResolvedColumn[] | null;
}

// JT_LEFT / JT_RIGHT of codegen/from.ts (repeated here to keep expr.ts free of from.ts).
const JT_LEFT = 0x08;
const JT_RIGHT = 0x10;

/** How a column reference is written, for messages: `[schema.][table.]column`. */
export function columnRefName(e: ColumnRef): string {
  return (e.schema !== null ? e.schema + "." : "") + (e.table !== null ? e.table + "." : "") + e.column;
}

/**
 * Resolves a column reference (resolve.c lookupName): the query's own tables first, then
 * those of the enclosing queries, innermost first (p.outer; a hit there makes the
 * subqueries in between correlated). An unqualified name found in two tables is
 * ambiguous unless the later table joined with USING (or NATURAL) on it: then an INNER or
 * LEFT join keeps the left-most table's column, a RIGHT join the right-most, a FULL join
 * their coalesce.
 */
export function resolveColumn(p: Parse, e: ColumnRef, scope: Scope): ResolvedColumn {
  const pre = p.resolvedRefs.get(e);
  if (pre !== undefined) return pre;
  const r = resolveIn(p, e, scope);
  if (r !== null) return r;
  for (let k = p.outer.length - 1; k >= 0; k--) {
    const o = resolveIn(p, e, p.outer[k].scope);
    if (o !== null) {
      for (let j = k; j < p.outer.length; j++) p.outer[j].correlated = true;
      return o;
    }
  }
  if (p.trig !== null && e.table !== null) {
    const t = resolveIn(p, e, p.trig.items); // new.x / old.x in a trigger program
    if (t !== null) return t;
  }
  throw p.errorAt(e, `no such column: ${columnRefName(e)}`);
}

function inDb(p: Parse, item: SrcItem, schema: string): boolean {
  const i = findDb(p, schema);
  return i >= 0 && dbOfTable(p, item.table) === i;
}

function resolveIn(p: Parse, e: ColumnRef, scope: Scope): ResolvedColumn | null {
  const name = lower(e.column);
  let found: ResolvedColumn | null = null;
  let also: ResolvedColumn[] | null = null;
  let rowid: ResolvedColumn | null = null;
  let rowidCount = 0;
  for (const item of scope) {
    if (e.table === null && item.qualifiedOnly === true) continue;
    if (e.table !== null) {
      const tn = lower(e.table);
      if (tn !== lower(item.alias ?? item.table.name)) continue;
      // `schema.table.column`: the item must be that database's table (not an alias).
      if (e.schema !== null && (item.ephemeral === true || item.regs !== undefined || !inDb(p, item, e.schema))) continue;
    }
    const cols = item.table.columns;
    let hit = false;
    for (let i = 0; i < cols.length; i++) {
      if (lower(cols[i].name) !== name) continue;
      hit = true;
      const r: ResolvedColumn = { item, col: i === item.table.iPKey ? -1 : i };
      if (found === null) { found = r; break; }
      const jt = item.jointype ?? 0;
      if (e.table !== null || item.using == null || !item.using.includes(name)) {
        throw p.errorAt(e, `ambiguous column name: ${columnRefName(e)}`);
      }
      if ((jt & JT_RIGHT) === 0) break;
      if ((jt & JT_LEFT) === 0) { found = r; also = null; break; }
      (also ??= []).push(r);
      break;
    }
    if (!hit && item.ephemeral !== true && !item.table.withoutRowid && (name === "rowid" || name === "oid" || name === "_rowid_")) {
      rowidCount++;
      if (rowid === null) rowid = { item, col: -1 };
    }
  }
  if (found !== null) return also === null ? found : { item: found.item, col: found.col, also };
  if (rowid !== null && rowidCount > 1) throw p.errorAt(e, `ambiguous column name: ${columnRefName(e)}`);
  return rowid;
}

/** sqlite3ExprAffinity: the affinity an expression carries into comparisons. */
export function exprAffinity(p: Parse, e: Expr, scope: Scope): number {
  switch (e.kind) {
    case "column": {
      const r = resolveColumn(p, e, scope);
      if (r.also || r.item.typeless === true) return AFF_NONE;
      // NEW.x / OLD.x in a trigger carry no affinity (SQLite's TK_TRIGGER is not TK_COLUMN),
      // except the rowid and an INTEGER PRIMARY KEY column (folded to the rowid): INTEGER.
      if (r.item.regs !== undefined && p.trig !== null && p.trig.items.includes(r.item)) {
        return r.col < 0 || r.col === r.item.table.iPKey ? AFF_INTEGER : AFF_NONE;
      }
      return r.col < 0 ? AFF_INTEGER : r.item.table.columns[r.col].affinity;
    }
    case "cast": return castAffinity(p, e.type);
    case "collate": return exprAffinity(p, e.expr, scope);
    case "subquery": return describeSelect(p, e.select, scope)[0]?.affinity ?? AFF_NONE;
    default: return AFF_NONE;
  }
}

export function castAffinity(p: Parse, t: { start: number; end: number; name: string } | null): number {
  if (t === null) return AFF_BLOB;
  return affinityOfType(t.name);
}

/** sqlite3CompareAffinity of two expressions. */
export function compareAffinity(a1: number, a2: number): number {
  if (a1 > AFF_NONE && a2 > AFF_NONE) {
    return a1 >= AFF_NUMERIC || a2 >= AFF_NUMERIC ? AFF_NUMERIC : AFF_BLOB;
  }
  return (a1 <= AFF_NONE ? a2 : a1) | AFF_NONE;
}

/** An explicit COLLATE on `e` (through unary/collate wrappers), or null. */
function explicitCollation(p: Parse, e: Expr): Collation | null {
  if (e.kind === "collate") return p.collation(e.collation);
  return null;
}

/** The collation an expression carries: explicit, else its column's; null for none. */
export function exprCollation(p: Parse, e: Expr, scope: Scope): Collation | null {
  switch (e.kind) {
    case "collate": return p.collation(e.collation);
    case "column": {
      const r = resolveColumn(p, e, scope);
      if (r.col < 0) return null;
      // A column always carries a collation, BINARY by default (sqlite3ExprCollSeq), so
      // a left column's default wins over a right column's declared one.
      const c = r.item.table.columns[r.col].collation;
      return c === null ? BINARY : p.collation(c);
    }
    default: return null;
  }
}

/** sqlite3BinaryCompareCollSeq. */
export function binaryCollation(p: Parse, l: Expr, r: Expr, scope: Scope): Collation | null {
  return explicitCollation(p, l) ?? explicitCollation(p, r) ?? exprCollation(p, l, scope) ?? exprCollation(p, r, scope);
}

const CMP_OP: Record<string, number> = {
  "=": Op.Eq, "==": Op.Eq, "!=": Op.Ne, "<>": Op.Ne, "<": Op.Lt, "<=": Op.Le, ">": Op.Gt, ">=": Op.Ge,
  IS: Op.Eq, "IS NOT DISTINCT FROM": Op.Eq, "IS NOT": Op.Ne, "IS DISTINCT FROM": Op.Ne,
};
const INVERT: Record<number, number> = {
  [Op.Eq]: Op.Ne, [Op.Ne]: Op.Eq, [Op.Lt]: Op.Ge, [Op.Ge]: Op.Lt, [Op.Gt]: Op.Le, [Op.Le]: Op.Gt,
};
const ARITH_OP: Record<string, number> = {
  "+": Op.Add, "-": Op.Subtract, "*": Op.Multiply, "/": Op.Divide, "%": Op.Remainder, "||": Op.Concat,
  "&": Op.BitAnd, "|": Op.BitOr, "<<": Op.ShiftLeft, ">>": Op.ShiftRight,
};

function isComparison(e: Expr): e is BinaryExpr {
  return e.kind === "binary" && CMP_OP[e.op] !== undefined;
}

/** Codes a literal integer's text (decimal or hex, `_` separators), possibly negated. */
function codeIntegerLiteral(p: Parse, text: string, neg: boolean, target: number): void {
  const t = text.replace(/_/g, "");
  let v: bigint;
  if (t.length > 2 && (t[1] === "x" || t[1] === "X")) {
    const digits = t.slice(2).replace(/^0+/, "");
    if (digits.length > 16) throw p.error(`hex literal too big: ${neg ? "-" : ""}${text}`);
    v = BigInt.asIntN(64, BigInt("0x" + (digits || "0")));
    if (neg) v = BigInt.asIntN(64, -v);
  } else {
    v = BigInt(t);
    if (neg) v = -v;
    if (v > 9223372036854775807n || v < -9223372036854775808n) {
      parseReal((neg ? "-" : "") + t);
      p.b.add(Op.Real, 0, target, 0, NUM.real);
      return;
    }
  }
  const n = Number(v);
  if (Number.isSafeInteger(n) && n >= -2147483648 && n <= 2147483647) p.b.add(Op.Integer, n, target);
  else p.b.add(Op.Int64, 0, target, 0, Number.isSafeInteger(n) ? n : v);
}

function codeFloatLiteral(p: Parse, text: string, neg: boolean, target: number): void {
  parseReal(text.replace(/_/g, ""));
  p.b.add(Op.Real, 0, target, 0, neg ? -NUM.real : NUM.real);
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/** Codes column `col` (-1 = rowid) of the item's current row into `target`. */
export function codeColumn(p: Parse, item: SrcItem, col: number, target: number): void {
  if (item.regs !== undefined) {
    p.b.add(Op.SCopy, col < 0 ? item.regs : item.regs + 1 + col, target);
    return;
  }
  if (col < 0) {
    p.b.add(Op.Rowid, item.cursor, target);
    return;
  }
  tableColumn(p, item.table, item.cursor, col, target);
}

/** Codes `e` into a fresh register and returns it. */
export function exprToReg(p: Parse, e: Expr, scope: Scope): number {
  const r = p.b.allocReg();
  codeExpr(p, e, scope, r);
  return r;
}

/** Invariant 1. */
export function codeExpr(p: Parse, e: Expr, scope: Scope, target: number): void {
  const b = p.b;
  const pre = p.exprRegs.get(e);
  if (pre !== undefined) {
    b.add(Op.SCopy, pre, target);
    return;
  }
  switch (e.kind) {
    case "literal":
      switch (e.type) {
        case "integer": codeIntegerLiteral(p, e.value, false, target); return;
        case "float": codeFloatLiteral(p, e.value, false, target); return;
        case "string": b.add(Op.String8, 0, target, 0, e.value); return;
        case "blob": b.add(Op.Blob, 0, target, 0, hexToBytes(e.value)); return;
        case "null": b.add(Op.Null, 0, target); return;
        default: {
          const f = p.func(e.type === "currentTime" ? "time" : e.type === "currentDate" ? "date" : "datetime", 0);
          if (f.kind !== "scalar") throw p.error("internal: date function");
          b.add(Op.Function, 0, target, target, f, 0);
          return;
        }
      }
    case "column": {
      const bare = p.bareRegs.get(e);
      if (bare !== undefined) {
        b.add(Op.SCopy, bare, target);
        return;
      }
      if (scope.length === 0 && p.outer.length === 0 && p.trig === null) {
        if (e.quoting === "none" && e.table === null) {
          const n = lower(e.column);
          if (n === "true" || n === "false") {
            b.add(Op.Integer, n === "true" ? 1 : 0, target);
            return;
          }
        }
        throw p.errorAt(e, `no such column: ${columnRefName(e)}`);
      }
      let r: ResolvedColumn;
      try {
        r = resolveColumn(p, e, scope);
      } catch (err) {
        if (e.quoting === "none" && e.table === null) {
          const n = lower(e.column);
          if (n === "true" || n === "false") {
            b.add(Op.Integer, n === "true" ? 1 : 0, target);
            return;
          }
        }
        throw err;
      }
      codeColumn(p, r.item, r.col, target);
      if (r.also) {
        for (const o of r.also) {
          const j = b.add(Op.NotNull, target, 0);
          codeColumn(p, o.item, o.col, target);
          b.jumpHere(j);
        }
      }
      return;
    }
    case "parameter":
      b.add(Op.Variable, p.paramNumber(e), target);
      b.comment(e.name);
      return;
    case "unary": {
      const o = e.operand;
      if (e.op === "-" && o.kind === "literal" && (o.type === "integer" || o.type === "float")) {
        if (o.type === "integer") codeIntegerLiteral(p, o.value, true, target);
        else codeFloatLiteral(p, o.value, true, target);
        return;
      }
      if (e.op === "+") {
        codeExpr(p, o, scope, target);
        return;
      }
      const r = exprToReg(p, o, scope);
      if (e.op === "-") {
        const z = b.allocReg();
        b.add(Op.Integer, 0, z);
        b.add(Op.Subtract, r, z, target);
      } else if (e.op === "~") b.add(Op.BitNot, r, target);
      else b.add(Op.Not, r, target);
      return;
    }
    case "binary": {
      if (e.op === "AND" || e.op === "OR") {
        const l = exprToReg(p, e.left, scope);
        const r = exprToReg(p, e.right, scope);
        b.add(e.op === "AND" ? Op.And : Op.Or, l, r, target);
        return;
      }
      const cmp = CMP_OP[e.op];
      if (cmp !== undefined && isVectorCompare(p, e, scope)) {
        codeVectorCompare(p, e, scope, target);
        return;
      }
      if (cmp !== undefined) {
        const l = exprToReg(p, e.left, scope);
        const r = exprToReg(p, e.right, scope);
        const nullEq = e.op.startsWith("IS");
        b.add(Op.Integer, 1, target);
        const j = b.add(cmp, r, 0, l, binaryCollation(p, e.left, e.right, scope), cmpP5(p, e, scope) | (nullEq ? NULLEQ : 0));
        if (nullEq) b.add(Op.Integer, 0, target);
        else b.add(Op.ZeroOrNull, l, target, r);
        b.jumpHere(j);
        return;
      }
      if (e.op === "->" || e.op === "->>") {
        // SQLite codes X->Y as a call of the function named "->" (json.c registers it)
        codeCall(p, e.op, [e.left, e.right], scope, target, null);
        return;
      }
      const aop = ARITH_OP[e.op];
      if (aop === undefined) throw p.error(`operator ${e.op} is not supported yet`);
      // Operands are only read (a literal one may be the prologue's register).
      const l = operandReg(p, e.left, scope);
      const r = operandReg(p, e.right, scope);
      b.add(aop, r, l, target);
      return;
    }
    case "like": {
      if (e.op === "REGEXP" || e.op === "MATCH") {
        const name = e.op.toLowerCase();
        codeCall(p, name, e.escape === null ? [e.right, e.left] : [e.right, e.left, e.escape], scope, target, null);
      } else {
        const name = e.op === "LIKE" ? "like" : "glob";
        codeCall(p, name, e.escape === null ? [e.right, e.left] : [e.right, e.left, e.escape], scope, target, null);
      }
      if (e.not) b.add(Op.Not, target, target);
      return;
    }
    case "between": {
      // x BETWEEN a AND b  ==  x >= a AND x <= b, x evaluated once.
      const x = exprToReg(p, e.expr, scope);
      const lo = exprToReg(p, e.low, scope);
      const hi = exprToReg(p, e.high, scope);
      const r1 = b.allocReg();
      const r2 = b.allocReg();
      codeCmpValue(p, Op.Ge, x, lo, e.expr, e.low, scope, r1);
      codeCmpValue(p, Op.Le, x, hi, e.expr, e.high, scope, r2);
      b.add(Op.And, r1, r2, target);
      if (e.not) b.add(Op.Not, target, target);
      return;
    }
    case "in": {
      if (e.rhs.kind !== "list") {
        codeInSubquery(p, e, scope, target);
        return;
      }
      codeInList(p, e.expr, e.rhs.items, scope, target);
      if (e.not) b.add(Op.Not, target, target);
      return;
    }
    case "postfixNull": {
      const r = exprToReg(p, e.expr, scope);
      b.add(Op.Integer, 1, target);
      const j = b.add(e.op === "ISNULL" ? Op.IsNull : Op.NotNull, r, 0);
      b.add(Op.Integer, 0, target);
      b.jumpHere(j);
      return;
    }
    case "collate":
      codeExpr(p, e.expr, scope, target);
      return;
    case "cast":
      codeExpr(p, e.expr, scope, target);
      b.add(Op.Cast, target, castAffinity(p, e.type));
      return;
    case "case": {
      const end = b.newLabel();
      let base = 0;
      if (e.operand !== null) base = exprToReg(p, e.operand, scope);
      for (const w of e.whens) {
        const next = b.newLabel();
        if (e.operand !== null) {
          const v = exprToReg(p, w.when, scope);
          b.add(Op.Ne, v, next, base, binaryCollation(p, e.operand, w.when, scope), cmpAff(p, e.operand, w.when, scope) | JUMPIFNULL);
        } else ifFalse(p, w.when, scope, next, true);
        codeExpr(p, w.then, scope, target);
        b.add(Op.Goto, 0, end);
        b.resolve(next);
      }
      if (e.else !== null) codeExpr(p, e.else, scope, target);
      else b.add(Op.Null, 0, target);
      b.resolve(end);
      return;
    }
    case "function": {
      const agg = p.aggRegs.get(e);
      if (agg !== undefined) {
        b.add(Op.SCopy, agg, target);
        return;
      }
      if (e.over !== null) throw p.errorAt(e, `misuse of window function ${e.name}()`);
      if (e.args === "*") {
        if (lower(e.name) === "count") throw p.errorAt(e, "misuse of aggregate function count()");
        p.func(e.name, 0, e);
        throw p.errorAt(e, `wrong number of arguments to function ${e.name}()`);
      }
      if (WINDOW_BUILTINS[lower(e.name)] !== undefined && p.host.functions.lookup(e.name, e.args.length) === null) {
        throw p.errorAt(e, `misuse of window function ${e.name}()`);
      }
      if (e.filter !== null || e.orderBy !== null) {
        const d = p.func(e.name, e.args.length, e);
        if (d.kind !== "aggregate") throw p.error(`${e.filter !== null ? "FILTER" : "ORDER BY"} may not be used with non-aggregate ${e.name}()`);
      }
      codeCall(p, e.name, e.args, scope, target, e);
      return;
    }
    case "exists":
      codeExists(p, e.select, scope, target);
      return;
    case "subquery":
      codeScalarSubquery(p, e.select, scope, target);
      return;
    case "vector":
      throw p.error("row value misused");
    case "raise":
      if (p.trig === null) throw p.error("RAISE() may only be used within a trigger-program");
      codeRaise(p, e, scope);
      b.add(Op.Null, 0, target);
      return;
    default: {
      const never: never = e;
      throw new SqliteError("SQLITE_INTERNAL", `unhandled expression ${JSON.stringify(never)}`);
    }
  }
}

function codeCall(p: Parse, name: string, args: readonly Expr[], scope: Scope, target: number, call: Expr | null): void {
  const b = p.b;
  const def = p.func(name, args.length, call);
  if (def.kind === "aggregate") {
    throw p.errorAt(call, `misuse of aggregate function ${name}()`);
  }
  if ((def.flags & FUNC_INLINE) !== 0 && codeInlineFunction(p, def.name, args, scope, target, call)) return;
  const first = b.allocReg(Math.max(args.length, 1));
  const pool = p.constPool;
  for (let i = 0; i < args.length; i++) {
    // A literal argument is loaded once, in the prologue (functions only read their
    // arguments, and the registers are this call's own).
    if (pool !== null && literalKey(args[i]) !== null) pool.inits.push([first + i, args[i]]);
    else codeExpr(p, args[i], scope, first + i);
  }
  if ((def.flags & FUNC_NEEDCOLL) !== 0) {
    let coll: Collation | null = null;
    for (const a of args) {
      coll = explicitCollation(p, a);
      if (coll !== null) break;
    }
    if (coll === null) for (const a of args) {
      coll = exprCollation(p, a, scope);
      if (coll !== null) break;
    }
    if (coll !== null) b.add(Op.CollSeq, 0, 0, 0, coll);
  }
  b.add(Op.Function, 0, first, target, def, args.length);
  void call;
}

/** Comparison affinity code for P5 of a comparison between l and r. */
function cmpAff(p: Parse, l: Expr, r: Expr, scope: Scope): number {
  return compareAffinity(exprAffinity(p, l, scope), exprAffinity(p, r, scope)) & 0x47;
}

function cmpP5(p: Parse, e: BinaryExpr, scope: Scope): number {
  return cmpAff(p, e.left, e.right, scope);
}

/** target = (rl op rr) as 1/0/NULL. */
function codeCmpValue(p: Parse, op: number, rl: number, rr: number, l: Expr, r: Expr, scope: Scope, target: number): void {
  const b = p.b;
  b.add(Op.Integer, 1, target);
  const j = b.add(op, rr, 0, rl, binaryCollation(p, l, r, scope), cmpAff(p, l, r, scope));
  b.add(Op.ZeroOrNull, rl, target, rr);
  b.jumpHere(j);
}

/** x IN (list): 1 when found, NULL when x is NULL or not found with a NULL in the list, else 0. */
/** The comparison affinity of `x IN (list)`: x's own (exprINAffinity), BLOB for none. */
export function inListAffinity(p: Parse, x: Expr, scope: Scope): number {
  const a = exprAffinity(p, x, scope) & 0x47;
  return a <= AFF_NONE ? AFF_BLOB : a;
}

/** A constant expression (sqlite3ExprIsConstant, conservatively: no columns, subqueries or function calls). */
export function isConstantExpr(e: Expr): boolean {
  let ok = true;
  walkExpr(e, (x) => {
    if (x.kind === "column" || x.kind === "exists" || x.kind === "subquery" || x.kind === "in" || x.kind === "function") ok = false;
    return ok;
  });
  return ok;
}

function codeInList(p: Parse, x: Expr, items: readonly Expr[], scope: Scope, target: number): void {
  const b = p.b;
  if (items.length === 0) {
    // `x IN ()` is false and `x NOT IN ()` true, even for a NULL x (lang_expr.html).
    b.add(Op.Integer, 0, target);
    return;
  }
  const rx = exprToReg(p, x, scope);
  const found = b.newLabel();
  const end = b.newLabel();
  const sawNull = b.allocReg();
  b.add(Op.Null, 0, target);
  b.add(Op.IsNull, rx, end);
  b.add(Op.Integer, 0, sawNull);
  // `x IN (list)` compares with x's affinity and collation; a list of one constant is
  // `x = c` (parse.y rewrites it), with that comparison's affinity and collation.
  const single = items.length === 1 && isConstantExpr(items[0]);
  for (const it of items) {
    const r = exprToReg(p, it, scope);
    const aff = single ? compareAffinity(exprAffinity(p, x, scope), exprAffinity(p, it, scope)) & 0x47 : inListAffinity(p, x, scope);
    b.add(Op.Eq, r, found, rx, single ? binaryCollation(p, x, it, scope) : exprCollation(p, x, scope), aff);
    const nn = b.add(Op.NotNull, r, 0);
    b.add(Op.Integer, 1, sawNull);
    b.jumpHere(nn);
  }
  b.add(Op.Integer, 0, target);
  b.add(Op.IfNot, sawNull, end);
  b.add(Op.Null, 0, target);
  b.add(Op.Goto, 0, end);
  b.resolve(found);
  b.add(Op.Integer, 1, target);
  b.resolve(end);
}

/** Jumps to dest when `e` is true (NULL: when jumpIfNull). Invariant 2. */
export function ifTrue(p: Parse, e: Expr, scope: Scope, dest: number, jumpIfNull: boolean): void {
  const b = p.b;
  if (e.kind === "between") {
    jumpBetween(p, e, scope, dest, jumpIfNull, ifTrue);
    return;
  }
  if (e.kind === "binary" && e.op === "AND") {
    const skip = b.newLabel();
    ifFalse(p, e.left, scope, skip, !jumpIfNull);
    ifTrue(p, e.right, scope, dest, jumpIfNull);
    b.resolve(skip);
    return;
  }
  if (e.kind === "binary" && e.op === "OR") {
    ifTrue(p, e.left, scope, dest, jumpIfNull);
    ifTrue(p, e.right, scope, dest, jumpIfNull);
    return;
  }
  if (e.kind === "unary" && e.op === "NOT") {
    ifFalse(p, e.operand, scope, dest, jumpIfNull);
    return;
  }
  if (isComparison(e) && !isVectorCompare(p, e, scope)) {
    const l = operandReg(p, e.left, scope);
    const r = operandReg(p, e.right, scope);
    const nullEq = e.op.startsWith("IS");
    b.add(CMP_OP[e.op], r, dest, l, binaryCollation(p, e.left, e.right, scope),
      cmpP5(p, e, scope) | (nullEq ? NULLEQ : jumpIfNull ? JUMPIFNULL : 0));
    return;
  }
  if (e.kind === "postfixNull") {
    const r = exprToReg(p, e.expr, scope);
    b.add(e.op === "ISNULL" ? Op.IsNull : Op.NotNull, r, dest);
    return;
  }
  const r = exprToReg(p, e, scope);
  b.add(Op.If, r, dest, jumpIfNull ? 1 : 0);
}

/** Jumps to dest when `e` is false (NULL: when jumpIfNull). Invariant 2. */
/**
 * x [NOT] BETWEEN lo AND hi as a jump (SQLite's exprCodeBetween): x >= lo AND x <= hi with
 * x coded once (its register stands for it through p.exprRegs), each comparison with its
 * own affinity and collation as in the value form; `jump` is ifTrue or ifFalse.
 */
function jumpBetween(p: Parse, e: Extract<Expr, { kind: "between" }>, scope: Scope, dest: number, jumpIfNull: boolean,
  jump: typeof ifFalse): void {
  const had = p.exprRegs.get(e.expr);
  if (had === undefined) p.exprRegs.set(e.expr, exprToReg(p, e.expr, scope));
  const both: Expr = {
    kind: "binary", op: "AND", start: e.start, end: e.end,
    left: { kind: "binary", op: ">=", left: e.expr, right: e.low, start: e.start, end: e.end },
    right: { kind: "binary", op: "<=", left: e.expr, right: e.high, start: e.start, end: e.end },
  } as Expr;
  jump(p, e.not ? { kind: "unary", op: "NOT", operand: both, start: e.start, end: e.end } as Expr : both, scope, dest, jumpIfNull);
  if (had === undefined) p.exprRegs.delete(e.expr);
}

/** The register of `e`: its precomputed register (p.exprRegs) when it has one, a literal's
 *  register in the prologue (p.constPool), else a new one it is coded into. For operands
 *  that are only read (comparisons, arithmetic). */
function operandReg(p: Parse, e: Expr, scope: Scope): number {
  const pre = p.exprRegs.get(e);
  if (pre !== undefined) return pre;
  const pool = p.constPool;
  if (pool !== null) {
    const key = literalKey(e);
    if (key !== null) {
      let r = pool.shared.get(key);
      if (r === undefined) {
        r = p.b.allocReg();
        pool.shared.set(key, r);
        pool.inits.push([r, e]);
      }
      return r;
    }
  }
  return exprToReg(p, e, scope);
}

/** A key naming a literal's value (its type and text; a signed number's sign), or null
 *  for anything else. Comparisons only read their operands, so one register serves all. */
function literalKey(e: Expr): string | null {
  if (e.kind === "literal") {
    switch (e.type) {
      case "integer": case "float": case "string": case "blob": case "null": return `${e.type}:${e.value}`;
      default: return null;
    }
  }
  if (e.kind === "unary" && (e.op === "-" || e.op === "+") && e.operand.kind === "literal" && (e.operand.type === "integer" || e.operand.type === "float")) {
    return `${e.op}${e.operand.type}:${e.operand.value}`;
  }
  return null;
}

/** Codes the pooled literals of p.constPool into their registers (finishProgram). */
export function codeConstPool(p: Parse): void {
  const pool = p.constPool;
  p.constPool = null;
  if (pool !== null) for (const [reg, e] of pool.inits) codeExpr(p, e, [], reg);
}

export function ifFalse(p: Parse, e: Expr, scope: Scope, dest: number, jumpIfNull: boolean): void {
  const b = p.b;
  if (e.kind === "between") {
    jumpBetween(p, e, scope, dest, jumpIfNull, ifFalse);
    return;
  }
  if (e.kind === "binary" && e.op === "AND") {
    ifFalse(p, e.left, scope, dest, jumpIfNull);
    ifFalse(p, e.right, scope, dest, jumpIfNull);
    return;
  }
  if (e.kind === "binary" && e.op === "OR") {
    const skip = b.newLabel();
    ifTrue(p, e.left, scope, skip, !jumpIfNull);
    ifFalse(p, e.right, scope, dest, jumpIfNull);
    b.resolve(skip);
    return;
  }
  if (e.kind === "unary" && e.op === "NOT") {
    ifTrue(p, e.operand, scope, dest, jumpIfNull);
    return;
  }
  if (isComparison(e) && !isVectorCompare(p, e, scope)) {
    const l = operandReg(p, e.left, scope);
    const r = operandReg(p, e.right, scope);
    const nullEq = e.op.startsWith("IS");
    b.add(INVERT[CMP_OP[e.op]], r, dest, l, binaryCollation(p, e.left, e.right, scope),
      cmpP5(p, e, scope) | (nullEq ? NULLEQ : jumpIfNull ? JUMPIFNULL : 0));
    return;
  }
  if (e.kind === "postfixNull") {
    const r = exprToReg(p, e.expr, scope);
    b.add(e.op === "ISNULL" ? Op.NotNull : Op.IsNull, r, dest);
    return;
  }
  const r = exprToReg(p, e, scope);
  b.add(Op.IfNot, r, dest, jumpIfNull ? 1 : 0);
}

/** Calls `fn` on every sub-expression of `e` (pre-order); stops descending where fn returns false. */
export function walkExpr(e: Expr, fn: (e: Expr) => boolean): void {
  if (!fn(e)) return;
  switch (e.kind) {
    case "literal": case "column": case "parameter": return;
    case "unary": walkExpr(e.operand, fn); return;
    case "binary": walkExpr(e.left, fn); walkExpr(e.right, fn); return;
    case "like": walkExpr(e.left, fn); walkExpr(e.right, fn); if (e.escape) walkExpr(e.escape, fn); return;
    case "between": walkExpr(e.expr, fn); walkExpr(e.low, fn); walkExpr(e.high, fn); return;
    case "in": walkExpr(e.expr, fn); if (e.rhs.kind === "list") for (const x of e.rhs.items) walkExpr(x, fn); return;
    case "postfixNull": case "collate": case "cast": walkExpr(e.expr, fn); return;
    case "case":
      if (e.operand) walkExpr(e.operand, fn);
      for (const w of e.whens) { walkExpr(w.when, fn); walkExpr(w.then, fn); }
      if (e.else) walkExpr(e.else, fn);
      return;
    case "function": if (e.args !== "*") for (const x of e.args) walkExpr(x, fn); if (e.filter) walkExpr(e.filter, fn); return;
    case "vector": for (const x of e.items) walkExpr(x, fn); return;
    case "exists": case "subquery": case "raise": return;
    default: { const never: never = e; void never; }
  }
}

export { AFF_TEXT };

/**
 * Runs `fn` (which codes expressions of `t`: a CHECK, a partial-index WHERE, an index
 * expression, RETURNING) with the table's column references in `exprs` read from the row
 * registers (rowid at regRowid, columns from regData) rather than from a cursor.
 */
export function withRowRegisters<T>(
  p: Parse, t: Table, cursor: number, regRowid: number, regData: number, exprs: readonly Expr[], fn: (scope: SrcItem[]) => T,
): T {
  const item: SrcItem = { table: t, cursor, alias: null };
  const scope = [item];
  const set: Expr[] = [];
  for (const e of exprs) {
    walkExpr(e, (x) => {
      if (x.kind === "column" && !p.exprRegs.has(x)) {
        const r = resolveColumn(p, x, scope);
        p.exprRegs.set(x, r.col < 0 ? regRowid : regData + r.col);
        set.push(x);
      }
      return true;
    });
  }
  try {
    return fn(scope);
  } finally {
    for (const x of set) p.exprRegs.delete(x);
  }
}
