/*
 * codegen/group-by.ts: aggregate queries (SQLite's select.c aggregate half:
 * sqlite3Select's GROUP BY / simple-aggregate code, updateAccumulator, finalizeAggFunctions,
 * resetAccumulator; resolve.c's GROUP BY / HAVING rules). https://sqlite.org/lang_select.html
 * §"Generation of the set of result rows" and https://sqlite.org/lang_aggfunc.html.
 *
 * Shape of a GROUP BY program (the sorter plan):
 *   scan:    for each row that passes WHERE: record [group keys..., referenced columns...]
 *            into sorter G (a referenced column that is a GROUP BY term is read from its key)
 *   sort G;  for each sorted record: load the keys; when they differ from the previous
 *            record's (Ne with the key's collation, NULLs equal) output the finished
 *            group (Gosub) and reset the accumulators (Gosub); then accumulate the row
 *   end:     output the last group if there was any row (no row in, no group out)
 * A query with aggregates and no GROUP BY accumulates directly inside the scan loop and
 * always outputs one row.
 *
 * Values seen by expressions (SQLite's AggInfo columns):
 *   - an aggregate call reads its accumulator register after AggFinal (p.aggRegs);
 *   - a column outside every aggregate ("bare" column) reads a register loaded from the
 *     FIRST row of the group (regAcc flag), except when the query has min()/max(): then
 *     from the row where the last-coded min()/max() last took a new value (CollSeq P1 /
 *     the VM's hit register), SQLite's documented min/max special case;
 *   - aggregate arguments, FILTER and ORDER BY terms are evaluated per input row: in the
 *     sorter plan from the sorted record's columns (p.bareRegs points them at the input
 *     registers while accumulating), in the direct plan from the table cursor.
 *
 * Invariants:
 *  1. Each aggregate call owns one accumulator register; AggFinal leaves its result
 *     there; a group's first AggStep creates fresh state (AggFinal dropped the old one).
 *  2. DISTINCT aggregates: an ephemeral index per call, reopened for every group; a row
 *     whose arguments are already in it is not stepped. FILTER false/NULL: not stepped.
 *  3. Aggregates with ORDER BY: rows (order keys + arguments) go into a per-call sorter,
 *     reopened per group; at the end of the group the sorter is sorted and stepped in
 *     order, then finalized.
 *  4. Result rows go through one emitter: HAVING, then DISTINCT, then the ORDER BY sorter
 *     or OFFSET/LIMIT and ResultRow.
 */
import type { SelectDest } from "./select.js";
import { SORT_DESC, makeKeyInfo, type Collation, type KeyInfo } from "@strata/common";
import { FUNC_MINMAX, FUNC_NEEDCOLL, type AggregateFuncDef } from "../func/api.js";
import type { ColumnRef, Expr, FunctionCall, OrderingTerm, SelectCore } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { insertRowFields } from "./sorter-fields.js";
import { codeColumn, codeExpr, exprCollation, ifFalse, resolveColumn, walkExpr, type Scope } from "./expr.js";

/** A result column as select.ts expands it. */
export interface AggOutCol { readonly expr: Expr; readonly name: string }

/** The ORDER BY of the statement, resolved by select.ts. */
export interface SortSpec {
  readonly keys: readonly Expr[];
  readonly colls: readonly (Collation | null)[];
  readonly flags: readonly number[];
}

/** Everything compileAggregateSelect needs from select.ts. */
export interface AggQuery {
  readonly core: SelectCore;
  readonly scope: Scope;
  readonly cols: readonly AggOutCol[];
  readonly sort: SortSpec;
  readonly distinct: boolean;
  readonly limit: number;
  readonly offset: number;
  readonly end: number;
  /** Codes the FROM/WHERE loop around `body` (rows reaching body passed WHERE). */
  readonly loop: (body: () => void) => void;
  /** Where rows go (select.ts SelectDest; a subquery's or compound part's); ResultRow when absent. */
  readonly dest?: SelectDest;
}

interface AggCall {
  readonly call: FunctionCall;
  readonly def: AggregateFuncDef;
  readonly args: readonly Expr[];
  readonly acc: number;
  /** Ephemeral index for DISTINCT, or -1. */
  readonly distinctCur: number;
  readonly distinctKi: KeyInfo | null;
  /** Sorter for ORDER BY inside the call, or -1. */
  readonly sorterCur: number;
  readonly sorterKi: KeyInfo | null;
  readonly coll: Collation | null;
}

const ORD = ["th", "st", "nd", "rd"];
/** 1st, 2nd, 3rd, 4th, ... 11th, 21st (SQLite's sqlite3ErrorMsg "%r"). */
export function ordinal(n: number): string {
  const v = n % 100;
  return n + (ORD[(v - 20) % 10] || ORD[v] || ORD[0]);
}

/** Whether `e` is a call of an aggregate function (not a window function). */
export function isAggregateCall(p: Parse, e: Expr): e is FunctionCall {
  if (e.kind !== "function" || e.over !== null) return false;
  const d = p.host.functions.lookup(e.name, e.args === "*" ? 0 : e.args.length);
  return d !== null && d.kind === "aggregate";
}

/** The outermost aggregate calls in `exprs` (not descending into them or into windows). */
export function findAggregates(p: Parse, exprs: readonly (Expr | null)[]): FunctionCall[] {
  const out: FunctionCall[] = [];
  for (const e of exprs) {
    if (e === null) continue;
    walkExpr(e, (x) => {
      if (x.kind === "function" && x.over !== null) {
        // Arguments of a window function may hold aggregates of this query.
        return true;
      }
      if (isAggregateCall(p, x)) {
        if (!out.includes(x)) out.push(x);
        return false;
      }
      return true;
    });
  }
  return out;
}

/** Throws "misuse of aggregate: f()" when `e` holds an aggregate call (WHERE, non-aggregate ORDER BY). */
export function checkNoAggregate(p: Parse, e: Expr | null): void {
  if (e === null) return;
  const a = findAggregates(p, [e]);
  if (a.length > 0) throw p.errorAt(a[0], `misuse of aggregate: ${a[0].name}()`);
}

/**
 * Rewrites unqualified column names that name no column in scope but match a result
 * column alias into that column's expression (resolve.c lookupName with NC_UEList).
 * Returns `e` itself when nothing changes.
 */
export function substituteAliases(p: Parse, e: Expr, cols: readonly { expr: Expr; alias: string | null }[], scope: Scope): Expr {
  const map = (x: Expr): Expr => {
    switch (x.kind) {
      case "column": {
        if (x.table !== null) return x;
        const n = lower(x.column);
        const hit = cols.find((c) => c.alias !== null && lower(c.alias) === n);
        if (hit === undefined) return x;
        if (scope.length > 0) {
          try { resolveColumn(p, x, scope); return x; } catch { /* not a column: the alias */ }
        }
        return hit.expr;
      }
      case "literal": case "parameter": case "exists": case "subquery": case "raise": return x;
      case "unary": { const o = map(x.operand); return o === x.operand ? x : { ...x, operand: o }; }
      case "binary": {
        const l = map(x.left); const r = map(x.right);
        return l === x.left && r === x.right ? x : { ...x, left: l, right: r };
      }
      case "like": {
        const l = map(x.left); const r = map(x.right); const es = x.escape === null ? null : map(x.escape);
        return l === x.left && r === x.right && es === x.escape ? x : { ...x, left: l, right: r, escape: es };
      }
      case "between": {
        const a = map(x.expr); const lo = map(x.low); const hi = map(x.high);
        return a === x.expr && lo === x.low && hi === x.high ? x : { ...x, expr: a, low: lo, high: hi };
      }
      case "in": {
        const a = map(x.expr);
        if (x.rhs.kind !== "list") return a === x.expr ? x : { ...x, expr: a };
        const items = x.rhs.items.map(map);
        const same = a === x.expr && items.every((it, i) => it === (x.rhs as { items: readonly Expr[] }).items[i]);
        return same ? x : { ...x, expr: a, rhs: { ...x.rhs, items } };
      }
      case "postfixNull": case "collate": case "cast": {
        const a = map(x.expr); return a === x.expr ? x : { ...x, expr: a } as Expr;
      }
      case "case": {
        const op = x.operand === null ? null : map(x.operand);
        const whens = x.whens.map((w) => ({ when: map(w.when), then: map(w.then) }));
        const el = x.else === null ? null : map(x.else);
        const same = op === x.operand && el === x.else && whens.every((w, i) => w.when === x.whens[i].when && w.then === x.whens[i].then);
        return same ? x : { ...x, operand: op, whens, else: el };
      }
      case "function": {
        if (x.args === "*") return x;
        const args = x.args.map(map);
        const f = x.filter === null ? null : map(x.filter);
        const same = f === x.filter && args.every((a, i) => a === (x.args as readonly Expr[])[i]);
        return same ? x : { ...x, args, filter: f };
      }
      case "vector": {
        const items = x.items.map(map);
        return items.every((it, i) => it === x.items[i]) ? x : { ...x, items };
      }
      default: { const never: never = x; return never; }
    }
  };
  return map(e);
}

/**
 * The WHERE clause with result-column aliases substituted (resolve.c: WHERE resolves with
 * NC_UEList, a real column of the same name winning); an alias of an aggregate is then
 * "misuse of aggregate: f()", of a window function "misuse of aliased window function x".
 */
export function whereWithAliases(p: Parse, core: SelectCore, scope: Scope): Expr | null {
  const w = core.where;
  if (w === null) return null;
  const rcs: { expr: Expr; alias: string | null }[] = [];
  for (const rc of core.columns) if (rc.kind === "resultExpr") rcs.push({ expr: rc.expr, alias: rc.alias });
  if (!rcs.some((c) => c.alias !== null)) return w;
  const out = substituteAliases(p, w, rcs, scope);
  if (out !== w) {
    walkExpr(w, (x) => {
      if (x.kind !== "column" || x.table !== null) return true;
      const n = lower(x.column);
      const hit = rcs.find((c) => c.alias !== null && lower(c.alias) === n);
      if (hit === undefined) return true;
      let real = false;
      if (scope.length > 0) { try { resolveColumn(p, x, scope); real = true; } catch { real = false; } }
      if (real) return true;
      walkExpr(hit.expr, (y) => {
        if (y.kind === "function" && y.over !== null) throw p.error(`misuse of aliased window function ${hit.alias}`);
        return true;
      });
      return true;
    });
  }
  return out;
}

/** Resolves the GROUP BY terms: ordinals, aliases; aggregates are errors. */
function resolveGroupBy(p: Parse, q: AggQuery): Expr[] {
  const core = q.core;
  const terms = core.groupBy ?? [];
  const rcs = core.columns.map((rc) => rc.kind === "resultExpr" ? { expr: rc.expr, alias: rc.alias } : { expr: rc as never as Expr, alias: null });
  const out: Expr[] = [];
  terms.forEach((t, i) => {
    let e = t;
    let k: number | null = null;
    if (e.kind === "literal" && e.type === "integer") k = Number(e.value);
    else if (e.kind === "unary" && e.op === "-" && e.operand.kind === "literal" && e.operand.type === "integer") k = -Number(e.operand.value);
    else if (e.kind === "unary" && e.op === "+" && e.operand.kind === "literal" && e.operand.type === "integer") k = Number(e.operand.value);
    if (k !== null) {
      if (!(k >= 1 && k <= q.cols.length)) throw p.error(`${ordinal(i + 1)} GROUP BY term out of range - should be between 1 and ${q.cols.length}`);
      e = q.cols[k - 1].expr;
    } else e = substituteAliases(p, e, rcs, q.scope);
    if (findAggregates(p, [e]).length > 0) throw p.error("aggregate functions are not allowed in the GROUP BY clause");
    out.push(e);
  });
  return out;
}

/** Pushes the table-column references in `e` (not the true/false names). */
function pushRef(p: Parse, x: ColumnRef, scope: Scope, out: ColumnRef[]): void {
  if (scope.length === 0) return;
  try { resolveColumn(p, x, scope); } catch { return; }
  out.push(x);
}

/** Column references of `e` outside the aggregate calls `aggs` (bare columns). */
function bareColumnRefs(p: Parse, e: Expr, scope: Scope, aggs: readonly FunctionCall[], out: ColumnRef[]): void {
  walkExpr(e, (x) => {
    if (x.kind === "function" && aggs.includes(x)) return false;
    if (x.kind === "column") pushRef(p, x, scope, out);
    return true;
  });
}

/** Column references inside an aggregate call: arguments, FILTER, ORDER BY. */
function callColumnRefs(p: Parse, call: FunctionCall, scope: Scope, out: ColumnRef[]): void {
  const parts: Expr[] = call.args === "*" ? [] : [...call.args];
  if (call.filter !== null) parts.push(call.filter);
  if (call.orderBy !== null) for (const o of call.orderBy) parts.push(o.expr);
  for (const e of parts) walkExpr(e, (x) => {
    if (x.kind === "column") pushRef(p, x, scope, out);
    return true;
  });
}

/** Identity of a resolved column: "cursor:col". */
function colKey(p: Parse, x: ColumnRef, scope: Scope): string {
  const r = resolveColumn(p, x, scope);
  return `${r.item.cursor}:${r.col}`;
}

/** Compiles an aggregate SELECT (GROUP BY and/or aggregate functions). */
export function compileAggregateSelect(p: Parse, q: AggQuery): void {
  const b = p.b;
  const scope = q.scope;
  const core = q.core;
  const groupBy = core.groupBy === null ? null : resolveGroupBy(p, q);
  const rcs = core.columns.map((rc) => rc.kind === "resultExpr" ? { expr: rc.expr, alias: rc.alias } : { expr: rc as never as Expr, alias: null });
  const having = core.having === null ? null : substituteAliases(p, core.having, rcs, scope);
  const calls = findAggregates(p, [...q.cols.map((c) => c.expr), having, ...q.sort.keys]);

  // Accumulators and per-call cursors.
  const aggs: AggCall[] = calls.map((call) => {
    const args = call.args === "*" ? [] : call.args;
    const def = p.func(call.name, args.length, call) as AggregateFuncDef;
    if (call.quantifier === "DISTINCT" && args.length !== 1) throw p.error("DISTINCT aggregates must have exactly one argument");
    for (const a of args) {
      const inner = findAggregates(p, [a]);
      if (inner.length > 0) throw p.errorAt(inner[0], `misuse of aggregate function ${inner[0].name}()`);
    }
    if (call.filter !== null) checkNested(p, call.filter);
    if (call.orderBy !== null) for (const o of call.orderBy) checkNested(p, o.expr);
    const coll = (def.flags & FUNC_NEEDCOLL) !== 0 && args.length > 0 ? exprCollation(p, args[0], scope) : null;
    let distinctCur = -1;
    let distinctKi: KeyInfo | null = null;
    if (call.quantifier === "DISTINCT") {
      distinctCur = b.allocCursor();
      distinctKi = makeKeyInfo(args.length, { collations: args.map((a) => exprCollation(p, a, scope)), encoding: p.host.encoding });
    }
    let sorterCur = -1;
    let sorterKi: KeyInfo | null = null;
    if (call.orderBy !== null && call.orderBy.length > 0) {
      sorterCur = b.allocCursor();
      sorterKi = orderKeyInfo(p, call.orderBy, scope);
    }
    return { call, def, args, acc: b.allocReg(), distinctCur, distinctKi, sorterCur, sorterKi, coll };
  });
  const hasMinMax = aggs.some((a) => (a.def.flags & FUNC_MINMAX) !== 0 && a.args.length === 1);
  const regHit = hasMinMax ? b.allocReg() : 0;
  const regAcc = b.allocReg();

  // Bare columns: every table column read outside aggregate calls, one register each.
  const bareRefs: ColumnRef[] = [];
  for (const c of q.cols) bareColumnRefs(p, c.expr, scope, calls, bareRefs);
  if (having !== null) bareColumnRefs(p, having, scope, calls, bareRefs);
  for (const k of q.sort.keys) bareColumnRefs(p, k, scope, calls, bareRefs);
  const bareKeys: string[] = [];
  const bareByKey = new Map<string, ColumnRef>();
  for (const x of bareRefs) {
    const k = colKey(p, x, scope);
    if (!bareByKey.has(k)) { bareByKey.set(k, x); bareKeys.push(k); }
  }
  const bareBase = bareKeys.length > 0 ? b.allocReg(bareKeys.length) : 0;
  const bareReg = (x: ColumnRef): number => bareBase + bareKeys.indexOf(colKey(p, x, scope));
  if (bareKeys.length > 0) b.add(Op.Null, 0, bareBase, bareBase + bareKeys.length - 1);

  const emitter = new RowEmitter(p, q);
  if (groupBy === null) {
    resetAccumulators(p, aggs, regAcc);
    q.loop(() => {
      accumulate(p, aggs, scope, regHit);
      loadBare(p, bareKeys, regHit, regAcc, (k, dest) => {
        const x = bareByKey.get(k)!;
        const r = resolveColumn(p, x, scope);
        codeColumn(p, r.item, r.col, dest);
      }, bareBase);
    });
    finalize(p, aggs);
    for (const x of bareRefs) p.bareRegs.set(x, bareReg(x));
    emitter.emit(having, q.end);
    emitter.finish();
    return;
  }

  // The sorter plan. Inputs: every column read inside aggregate calls or bare.
  const inRefs: ColumnRef[] = [];
  for (const a of aggs) callColumnRefs(p, a.call, scope, inRefs);
  const inKeys = [...bareKeys];
  const inByKey = new Map(bareByKey);
  for (const x of inRefs) {
    const k = colKey(p, x, scope);
    if (!inByKey.has(k)) { inByKey.set(k, x); inKeys.push(k); }
  }
  const nG = groupBy.length;
  const nIn = inKeys.length;
  // An input column that is also a GROUP BY term is not stored twice: it is read from the
  // key (SQLite's AggInfo sorter columns). inKeyTerm[i]: that term, or -1 (stored).
  const termKeys = groupBy.map((e) => {
    if (e.kind !== "column" || scope.length === 0) return null;
    try { return colKey(p, e, scope); } catch { return null; }
  });
  const inKeyTerm = inKeys.map((k) => termKeys.indexOf(k));
  const stored = inKeys.filter((_, i) => inKeyTerm[i] < 0);
  const nStored = stored.length;
  const gColls = groupBy.map((e) => exprCollation(p, e, scope));
  const gKi = makeKeyInfo(nG, { collations: gColls, encoding: p.host.encoding });
  const gs = b.allocCursor();
  b.add(Op.SorterOpen, gs, nG + nStored, 0, gKi);
  const base = b.allocReg(nG + nStored);
  q.loop(() => {
    const start = b.addr;
    groupBy.forEach((e, i) => codeExpr(p, e, scope, base + i));
    stored.forEach((k, j) => {
      const r = resolveColumn(p, inByKey.get(k)!, scope);
      codeColumn(p, r.item, r.col, base + nG + j);
    });
    // Plain columns of one table: copied from its record (base.. are not read again).
    if (insertRowFields(p, start, base, nG + nStored, gs)) return;
    const rec = b.allocReg();
    b.add(Op.MakeRecord, base, nG + nStored, rec, null, OPFLAG_EPHEMREC);
    b.add(Op.SorterInsert, gs, rec);
  });

  const useFlag = b.allocReg();
  const prev = b.allocReg(nG);
  const cur = b.allocReg(nG);
  const inBase = nStored > 0 ? b.allocReg(nStored) : 0;
  const retOut = b.allocReg();
  const retReset = b.allocReg();
  const outSub = b.newLabel();
  const resetSub = b.newLabel();
  const afterLoop = b.newLabel();
  const finish = b.newLabel();
  b.add(Op.Integer, 0, useFlag);
  b.add(Op.Null, 0, prev, prev + nG - 1);
  b.add(Op.Gosub, retReset, resetSub);
  const pseudo = b.allocCursor();
  const recReg = b.allocReg();
  b.add(Op.OpenPseudo, pseudo, recReg, nG + nStored);
  // The register holding input column k while accumulating: its GROUP BY key register, or
  // the register its stored column is read into.
  const inReg = (k: string): number => {
    const i = inKeys.indexOf(k);
    return inKeyTerm[i] >= 0 ? cur + inKeyTerm[i] : inBase + stored.indexOf(k);
  };
  b.add(Op.SorterSort, gs, afterLoop);
  const top = b.addr;
  b.add(Op.SorterData, gs, recReg, pseudo);
  for (let i = 0; i < nG; i++) b.add(Op.Column, pseudo, i, cur + i);
  const same = b.newLabel();
  const diff = b.newLabel();
  b.add(Op.IfNot, useFlag, same);
  for (let i = 0; i < nG; i++) b.add(Op.Ne, cur + i, diff, prev + i, gColls[i], 0x80);
  b.add(Op.Goto, 0, same);
  b.resolve(diff);
  b.add(Op.Gosub, retOut, outSub);
  b.add(Op.Gosub, retReset, resetSub);
  b.resolve(same);
  b.add(Op.Copy, cur, prev, nG - 1);
  b.add(Op.Integer, 1, useFlag);
  for (let j = 0; j < nStored; j++) b.add(Op.Column, pseudo, nG + j, inBase + j);
  // While accumulating, columns read the input registers.
  for (const x of inRefs) p.bareRegs.set(x, inReg(colKey(p, x, scope)));
  accumulate(p, aggs, scope, regHit);
  for (const x of inRefs) p.bareRegs.delete(x);
  loadBare(p, bareKeys, regHit, regAcc, (k, dest) => b.add(Op.SCopy, inReg(k), dest), bareBase);
  b.add(Op.SorterNext, gs, top);
  b.resolve(afterLoop);
  b.add(Op.IfNot, useFlag, finish);
  b.add(Op.Gosub, retOut, outSub);
  b.add(Op.Goto, 0, finish);

  // Output subroutine: finalize, HAVING, emit.
  b.resolve(outSub);
  const ret = b.newLabel();
  finalize(p, aggs);
  for (const x of bareRefs) p.bareRegs.set(x, bareReg(x));
  emitter.emit(having, ret);
  b.resolve(ret);
  b.add(Op.Return, retOut);

  // Reset subroutine.
  b.resolve(resetSub);
  resetAccumulators(p, aggs, regAcc);
  b.add(Op.Return, retReset);

  b.resolve(finish);
  emitter.finish();
}

function checkNested(p: Parse, e: Expr): void {
  const a = findAggregates(p, [e]);
  if (a.length > 0) throw p.errorAt(a[0], `misuse of aggregate function ${a[0].name}()`);
}

function orderKeyInfo(p: Parse, terms: readonly OrderingTerm[], scope: Scope): KeyInfo {
  return makeKeyInfo(terms.length, {
    collations: terms.map((t) => exprCollation(p, t.expr, scope)),
    sortFlags: terms.map((t) => (t.direction === "DESC" ? SORT_DESC : 0) | (t.nulls !== null && (t.nulls === "LAST") !== (t.direction === "DESC") ? 2 : 0)),
    encoding: p.host.encoding,
  });
}

/** Start of a group: accumulators empty, DISTINCT sets and ORDER BY sorters fresh. */
function resetAccumulators(p: Parse, aggs: readonly AggCall[], regAcc: number): void {
  const b = p.b;
  b.add(Op.Integer, 0, regAcc);
  for (const a of aggs) {
    b.add(Op.Null, 0, a.acc);
    if (a.distinctCur >= 0) b.add(Op.OpenEphemeral, a.distinctCur, a.args.length, 0, a.distinctKi);
    if (a.sorterCur >= 0) b.add(Op.SorterOpen, a.sorterCur, a.call.orderBy!.length + a.args.length, 0, a.sorterKi);
  }
}

/** One input row: step every aggregate (updateAccumulator). */
function accumulate(p: Parse, aggs: readonly AggCall[], scope: Scope, regHit: number): void {
  const b = p.b;
  for (const a of aggs) {
    const next = b.newLabel();
    const nArg = a.args.length;
    if (a.call.filter !== null) ifFalse(p, a.call.filter, scope, next, true);
    if (a.sorterCur >= 0) {
      const nK = a.call.orderBy!.length;
      const first = b.allocReg(nK + nArg);
      a.args.forEach((x, k) => codeExpr(p, x, scope, first + nK + k));
      if (a.distinctCur >= 0) codeDistinct(p, a, first + nK, next);
      a.call.orderBy!.forEach((t, k) => codeExpr(p, t.expr, scope, first + k));
      const rec = b.allocReg();
      b.add(Op.MakeRecord, first, nK + nArg, rec, null, OPFLAG_EPHEMREC);
      b.add(Op.SorterInsert, a.sorterCur, rec);
      b.resolve(next);
      continue;
    }
    // One argument that is a column already in a register (the sorter plan's inputs):
    // AggStep reads that register (functions never write their arguments), not a copy.
    const only = nArg === 1 && a.args[0].kind === "column" ? p.bareRegs.get(a.args[0]) : undefined;
    if (only !== undefined && a.distinctCur < 0) {
      codeStep(p, a, only, regHit);
      b.resolve(next);
      continue;
    }
    const first = b.allocReg(Math.max(nArg, 1));
    a.args.forEach((x, k) => codeExpr(p, x, scope, first + k));
    if (a.distinctCur >= 0) codeDistinct(p, a, first, next);
    codeStep(p, a, first, regHit);
    b.resolve(next);
  }
}

function codeDistinct(p: Parse, a: AggCall, first: number, skip: number): void {
  const b = p.b;
  const n = a.args.length;
  b.add(Op.Found, a.distinctCur, skip, first, n);
  const r = b.allocReg();
  b.add(Op.MakeRecord, first, n, r, null, OPFLAG_EPHEMREC);
  b.add(Op.IdxInsert, a.distinctCur, r);
}

function codeStep(p: Parse, a: AggCall, first: number, regHit: number): void {
  const b = p.b;
  const minmax = (a.def.flags & FUNC_MINMAX) !== 0 && a.args.length === 1;
  if ((a.def.flags & FUNC_NEEDCOLL) !== 0) b.add(Op.CollSeq, minmax ? regHit : 0, 0, 0, a.coll);
  b.add(Op.AggStep, 0, first, a.acc, a.def, a.args.length);
}

/** Bare columns: loaded on the group's first row, or when min()/max() took a new value. */
function loadBare(
  p: Parse, keys: readonly string[], regHit: number, regAcc: number,
  load: (k: string, dest: number) => void, bareBase: number,
): void {
  if (keys.length === 0) return;
  const b = p.b;
  const skip = b.add(Op.If, regHit !== 0 ? regHit : regAcc, 0);
  keys.forEach((k, i) => load(k, bareBase + i));
  if (regHit === 0) b.add(Op.Integer, 1, regAcc);
  b.jumpHere(skip);
}

/** End of a group: step ordered aggregates in order, then AggFinal into the accumulators. */
function finalize(p: Parse, aggs: readonly AggCall[]): void {
  const b = p.b;
  for (const a of aggs) {
    if (a.sorterCur >= 0) {
      const nK = a.call.orderBy!.length;
      const nArg = a.args.length;
      const pseudo = b.allocCursor();
      const rec = b.allocReg();
      const first = b.allocReg(Math.max(nArg, 1));
      const done = b.newLabel();
      b.add(Op.OpenPseudo, pseudo, rec, nK + nArg);
      b.add(Op.SorterSort, a.sorterCur, done);
      const top = b.addr;
      b.add(Op.SorterData, a.sorterCur, rec, pseudo);
      for (let k = 0; k < nArg; k++) b.add(Op.Column, pseudo, nK + k, first + k);
      codeStep(p, a, first, 0);
      b.add(Op.SorterNext, a.sorterCur, top);
      b.resolve(done);
    }
    b.add(Op.AggFinal, a.acc, a.args.length, 0, a.def);
    p.aggRegs.set(a.call, a.acc);
  }
}

/**
 * Emits result rows of an aggregate (or windowed) query: HAVING, DISTINCT, then the
 * ORDER BY sorter or OFFSET/LIMIT + ResultRow; finish() codes the sorter's output loop.
 */
export class RowEmitter {
  private readonly p: Parse;
  private readonly q: AggQuery;
  private readonly n: number;
  private readonly distinctCur: number;
  private readonly sorter: number;
  constructor(p: Parse, q: AggQuery) {
    this.p = p;
    this.q = q;
    const b = p.b;
    this.n = q.cols.length;
    this.distinctCur = -1;
    if (q.distinct) {
      this.distinctCur = b.allocCursor();
      const ki = makeKeyInfo(this.n, { collations: q.cols.map((c) => exprCollation(p, c.expr, q.scope)), encoding: p.host.encoding });
      b.add(Op.OpenEphemeral, this.distinctCur, this.n, 0, ki);
    }
    this.sorter = -1;
    const nKey = q.sort.keys.length;
    if (nKey > 0) {
      this.sorter = b.allocCursor();
      const ki = makeKeyInfo(nKey, { collations: [...q.sort.colls], sortFlags: [...q.sort.flags], encoding: p.host.encoding });
      b.add(Op.SorterOpen, this.sorter, nKey + this.n, 0, ki);
    }
  }

  /** Codes one candidate row; jumps to `skip` when HAVING / DISTINCT / OFFSET drop it. */
  emit(having: Expr | null, skip: number): void {
    const { p, q, n } = this;
    const b = p.b;
    const nKey = q.sort.keys.length;
    if (having !== null) ifFalse(p, having, q.scope, skip, true);
    const first = b.allocReg(nKey + n);
    const res = first + nKey;
    q.cols.forEach((c, i) => codeExpr(p, c.expr, q.scope, res + i));
    if (this.distinctCur >= 0) {
      b.add(Op.Found, this.distinctCur, skip, res, n);
      const r = b.allocReg();
      b.add(Op.MakeRecord, res, n, r, null, OPFLAG_EPHEMREC);
      b.add(Op.IdxInsert, this.distinctCur, r);
    }
    if (this.sorter >= 0) {
      q.sort.keys.forEach((k, i) => {
        const ci = q.cols.findIndex((c) => c.expr === k);
        if (ci >= 0) b.add(Op.SCopy, res + ci, first + i);
        else codeExpr(p, k, q.scope, first + i);
      });
      const r = b.allocReg();
      b.add(Op.MakeRecord, first, nKey + n, r, null, OPFLAG_EPHEMREC);
      b.add(Op.SorterInsert, this.sorter, r);
      return;
    }
    if (q.offset) b.add(Op.IfPos, q.offset, skip, 1);
    if (q.dest !== undefined) q.dest.emit(p, res, n);
    else b.add(Op.ResultRow, res, n);
    if (q.limit) b.add(Op.DecrJumpZero, q.limit, q.end);
  }

  /** The ORDER BY output loop (nothing without ORDER BY). */
  finish(): void {
    if (this.sorter < 0) return;
    const { p, q, n } = this;
    const b = p.b;
    const nKey = q.sort.keys.length;
    const pseudo = b.allocCursor();
    const rec = b.allocReg();
    const out = b.allocReg(n);
    b.add(Op.OpenPseudo, pseudo, rec, nKey + n);
    b.add(Op.SorterSort, this.sorter, q.end);
    const top = b.addr;
    const next = b.newLabel();
    b.add(Op.SorterData, this.sorter, rec, pseudo);
    if (q.offset) b.add(Op.IfPos, q.offset, next, 1);
    for (let i = 0; i < n; i++) b.add(Op.Column, pseudo, nKey + i, out + i);
    if (q.dest !== undefined) q.dest.emit(p, out, n);
    else b.add(Op.ResultRow, out, n);
    if (q.limit) b.add(Op.DecrJumpZero, q.limit, q.end);
    b.resolve(next);
    b.add(Op.SorterNext, this.sorter, top);
  }
}
