/*
 * codegen/window.ts: SELECTs with window functions (SQLite's window.c code generation and
 * sqlite3WindowRewrite, done differently; https://sqlite.org/windowfunctions.html).
 *
 * Window definitions: OVER name, OVER (base ...), WINDOW name AS (...) are merged into one
 * definition per call (a base window lends its PARTITION BY and ORDER BY; overriding them
 * or inheriting a frame is SQLite's error). Calls whose merged definitions are the same
 * text share one stage.
 *
 * Plan: one stage per distinct definition, chained through sorters.
 *   stage 0 input: the FROM/WHERE loop writes [P0 keys, O0 keys, leaves, arguments] to
 *   sorter S0; leaves are the table columns the rest of the query reads, arguments are
 *   every window call's arguments and FILTER value (all stages), computed once here.
 *   stage k: WindowOpen/WindowNext over Sk (ops-window.ts) yields each row with this
 *   stage's function values; the row goes on as [P(k+1), O(k+1), leaves, arguments,
 *   earlier results, these results] into S(k+1), or, at the last stage, to the result
 *   emitter (group-by.ts RowEmitter: DISTINCT, ORDER BY, LIMIT/OFFSET).
 * Without an ORDER BY, rows come out in the last stage's sort order.
 *
 * Invariants:
 *  1. Record layout of stage k: [nP, nO keys | L leaves | A argument columns | results of
 *     stages 0..k-1]; a function's arguments are consecutive (its plan's argCol).
 *  2. Expressions outside window calls read leaves through p.bareRegs, window calls read
 *     their value through p.aggRegs; nothing reads the table cursor after stage 0's input.
 *  3. Frame offsets are evaluated once, before the first stage, and checked by WindowOpen.
 */
import { SORT_DESC, makeKeyInfo, type Collation } from "@strata/common";
import type { AggregateFuncDef } from "../func/api.js";
import type { ColumnRef, Expr, Frame, FrameBound, FunctionCall, NamedWindow, OrderingTerm, WindowDef } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import {
  B_CURRENT, B_FOLLOWING, B_PRECEDING, B_UNBOUNDED_FOLLOWING, B_UNBOUNDED_PRECEDING, EX_CURRENT, EX_GROUP, EX_NONE,
  EX_NO_OTHERS, EX_TIES, UNITS_GROUPS, UNITS_RANGE, UNITS_ROWS, WIN_AGG, WINDOW_BUILTINS, type WindowPlan, type WinFuncPlan,
} from "../vdbe/ops-window.js";
import type { Parse } from "./context.js";
import { codeColumn, codeExpr, exprCollation, resolveColumn, walkExpr, type Scope } from "./expr.js";
import { RowEmitter, type AggQuery } from "./group-by.js";

interface Spec {
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderingTerm[];
  readonly frame: Frame | null;
}

interface Stage {
  readonly spec: Spec;
  readonly calls: FunctionCall[];
}

/** The window calls in `exprs` (not descending into them). */
export function findWindowCalls(exprs: readonly (Expr | null)[]): FunctionCall[] {
  const out: FunctionCall[] = [];
  for (const e of exprs) {
    if (e === null) continue;
    walkExpr(e, (x) => {
      if (x.kind === "function" && x.over !== null) {
        if (!out.includes(x)) out.push(x);
        return false;
      }
      return true;
    });
  }
  return out;
}

function namedWindow(p: Parse, name: string, named: readonly NamedWindow[]): WindowDef {
  const w = named.find((x) => lower(x.name) === lower(name));
  if (w === undefined) throw p.error(`no such window: ${name}`);
  return w.window;
}

/** Merges a call's OVER with the named windows it refers to. */
function resolveSpec(p: Parse, def: WindowDef, named: readonly NamedWindow[]): Spec {
  if (def.base === null) return { partitionBy: def.partitionBy ?? [], orderBy: def.orderBy ?? [], frame: def.frame };
  const base = resolveSpec(p, namedWindow(p, def.base, named), named);
  if (def.partitionBy !== null) throw p.error(`cannot override PARTITION clause of window: ${def.base}`);
  if (def.orderBy !== null && base.orderBy.length > 0) throw p.error(`cannot override ORDER BY clause of window: ${def.base}`);
  if (base.frame !== null) throw p.error(`cannot override frame specification of window: ${def.base}`);
  return { partitionBy: base.partitionBy, orderBy: def.orderBy ?? base.orderBy, frame: def.frame };
}

function specKey(p: Parse, s: Spec): string {
  return JSON.stringify([
    s.partitionBy.map((e) => p.text(e)),
    s.orderBy.map((t) => [p.text(t.expr), t.direction ?? "ASC", t.nulls]),
    s.frame === null ? null : p.text(s.frame),
  ]);
}

function boundType(b: FrameBound): number {
  switch (b.type) {
    case "UNBOUNDED PRECEDING": return B_UNBOUNDED_PRECEDING;
    case "PRECEDING": return B_PRECEDING;
    case "CURRENT ROW": return B_CURRENT;
    case "FOLLOWING": return B_FOLLOWING;
    default: return B_UNBOUNDED_FOLLOWING;
  }
}

interface FrameInfo { units: number; startType: number; endType: number; exclude: number; startExpr: Expr | null; endExpr: Expr | null }

function frameInfo(p: Parse, s: Spec): FrameInfo {
  const f = s.frame;
  if (f === null) {
    return s.orderBy.length > 0
      ? { units: UNITS_RANGE, startType: B_UNBOUNDED_PRECEDING, endType: B_CURRENT, exclude: EX_NONE, startExpr: null, endExpr: null }
      : { units: UNITS_ROWS, startType: B_UNBOUNDED_PRECEDING, endType: B_UNBOUNDED_FOLLOWING, exclude: EX_NONE, startExpr: null, endExpr: null };
  }
  const units = f.units === "ROWS" ? UNITS_ROWS : f.units === "RANGE" ? UNITS_RANGE : UNITS_GROUPS;
  const startType = boundType(f.from);
  const endType = f.to === null ? B_CURRENT : boundType(f.to);
  if ((startType === B_FOLLOWING && (endType === B_PRECEDING || endType === B_CURRENT)) ||
    (startType === B_CURRENT && endType === B_PRECEDING)) throw p.error("unsupported frame specification");
  const hasOffset = startType === B_PRECEDING || startType === B_FOLLOWING || endType === B_PRECEDING || endType === B_FOLLOWING;
  if (units === UNITS_RANGE && hasOffset && s.orderBy.length !== 1) throw p.error("RANGE with offset PRECEDING/FOLLOWING requires one ORDER BY expression");
  const exclude = f.exclude === "CURRENT ROW" ? EX_CURRENT : f.exclude === "GROUP" ? EX_GROUP : f.exclude === "TIES" ? EX_TIES : f.exclude === "NO OTHERS" ? EX_NO_OTHERS : EX_NONE;
  return { units, startType, endType, exclude, startExpr: f.from.expr, endExpr: f.to === null ? null : f.to.expr };
}

function sortFlag(t: OrderingTerm): number {
  return (t.direction === "DESC" ? SORT_DESC : 0) | (t.nulls !== null && (t.nulls === "LAST") !== (t.direction === "DESC") ? 2 : 0);
}

/** Compiles a non-aggregate SELECT whose result or ORDER BY holds window calls. */
export function compileWindowSelect(p: Parse, q: AggQuery, calls: readonly FunctionCall[]): void {
  const b = p.b;
  const scope = q.scope;
  const named = q.core.windows ?? [];
  // Stages and function checks.
  const stages: Stage[] = [];
  const keys: string[] = [];
  for (const call of calls) {
    const name = lower(call.name);
    const nArg = call.args === "*" ? 0 : call.args.length;
    const bi = WINDOW_BUILTINS[name];
    if (bi !== undefined) {
      if (nArg < bi[1] || nArg > bi[2]) throw p.errorAt(call, `wrong number of arguments to function ${call.name}()`);
      if (call.filter !== null) throw p.error("FILTER clause may only be used with aggregate window functions");
    } else {
      const def = p.func(call.name, nArg, call);
      if (def.kind !== "aggregate") throw p.error(`${call.name}() may not be used as a window function`);
      if (call.quantifier === "DISTINCT") throw p.error("DISTINCT is not supported for window functions");
    }
    const args = call.args === "*" ? [] : call.args;
    for (const a of args) {
      const inner = findWindowCalls([a]);
      if (inner.length > 0) throw p.errorAt(inner[0], `misuse of window function ${inner[0].name}()`);
    }
    const over = call.over!;
    const spec = over.kind === "windowName" ? resolveSpec(p, namedWindow(p, over.name, named), named) : resolveSpec(p, over, named);
    for (const e of [...spec.partitionBy, ...spec.orderBy.map((t) => t.expr)]) {
      const inner = findWindowCalls([e]);
      if (inner.length > 0) throw p.errorAt(inner[0], `misuse of window function ${inner[0].name}()`);
    }
    const k = specKey(p, spec);
    let at = keys.indexOf(k);
    if (at < 0) { at = keys.length; keys.push(k); stages.push({ spec, calls: [] }); }
    stages[at].calls.push(call);
  }
  const frames = stages.map((s) => frameInfo(p, s.spec));

  // Leaves: table columns read outside window calls, and by later stages' keys.
  const leafKeys: string[] = [];
  const leafRef = new Map<ColumnRef, number>();
  const addRefs = (e: Expr, skipWindows: boolean): void => walkExpr(e, (x) => {
    if (skipWindows && x.kind === "function" && x.over !== null) return false;
    if (x.kind === "column" && scope.length > 0) {
      let r;
      try { r = resolveColumn(p, x, scope); } catch { return true; }
      const key = `${r.item.cursor}:${r.col}`;
      let i = leafKeys.indexOf(key);
      if (i < 0) { i = leafKeys.length; leafKeys.push(key); }
      leafRef.set(x, i);
    }
    return true;
  });
  for (const c of q.cols) addRefs(c.expr, true);
  for (const k of q.sort.keys) addRefs(k, true);
  for (const s of stages) for (const e of [...s.spec.partitionBy, ...s.spec.orderBy.map((t) => t.expr)]) addRefs(e, false);
  const leafSrc = leafKeys.map((k) => {
    for (const [ref, i] of leafRef) if (leafKeys[i] === k) return resolveColumn(p, ref, scope);
    throw new Error("unreachable");
  });
  const L = leafKeys.length;

  // Argument block: per call, its arguments then its FILTER value.
  const argOff = new Map<FunctionCall, number>();
  let A = 0;
  for (const s of stages) for (const c of s.calls) {
    argOff.set(c, A);
    A += (c.args === "*" ? 0 : c.args.length) + (c.filter !== null ? 1 : 0);
  }

  // Frame offsets, evaluated once.
  const offRegs = stages.map((s, k) => {
    const fr = frames[k];
    const r = b.allocReg(2);
    if (fr.startExpr !== null) codeExpr(p, fr.startExpr, [], r);
    if (fr.endExpr !== null) codeExpr(p, fr.endExpr, [], r + 1);
    void s;
    return r;
  });

  const nKeyOf = (k: number): number => stages[k].spec.partitionBy.length + stages[k].spec.orderBy.length;
  const resultsBefore = (k: number): number => stages.slice(0, k).reduce((n, s) => n + s.calls.length, 0);
  const widthOf = (k: number): number => nKeyOf(k) + L + A + resultsBefore(k);
  const sorters = stages.map((s, k) => {
    const cur = b.allocCursor();
    const ki = makeKeyInfo(nKeyOf(k), {
      collations: [...s.spec.partitionBy.map((e) => exprCollation(p, e, scope)), ...s.spec.orderBy.map((t) => exprCollation(p, t.expr, scope))],
      sortFlags: [...s.spec.partitionBy.map(() => 0), ...s.spec.orderBy.map(sortFlag)],
      encoding: p.host.encoding,
    });
    b.add(Op.SorterOpen, cur, widthOf(k), 0, ki);
    return cur;
  });
  const emitter = new RowEmitter(p, q);

  /** Codes stage k's keys into base.. (expressions read leaves via bareRegs when k > 0). */
  const codeKeys = (k: number, base: number): void => {
    const s = stages[k].spec;
    s.partitionBy.forEach((e, i) => codeExpr(p, e, scope, base + i));
    s.orderBy.forEach((t, i) => codeExpr(p, t.expr, scope, base + s.partitionBy.length + i));
  };

  // Stage 0 input.
  q.loop(() => {
    const w = widthOf(0);
    const base = b.allocReg(w);
    codeKeys(0, base);
    const lb = base + nKeyOf(0);
    leafSrc.forEach((r, i) => codeColumn(p, r.item, r.col, lb + i));
    for (const s of stages) for (const c of s.calls) {
      const at = lb + L + argOff.get(c)!;
      const args = c.args === "*" ? [] : c.args;
      args.forEach((a, i) => codeExpr(p, a, scope, at + i));
      if (c.filter !== null) codeExpr(p, c.filter, scope, at + args.length);
    }
    const rec = b.allocReg();
    b.add(Op.MakeRecord, base, w, rec, null, OPFLAG_EPHEMREC);
    b.add(Op.SorterInsert, sorters[0], rec);
  });

  const leafRegs = L > 0 ? b.allocReg(L) : 0;
  for (let k = 0; k < stages.length; k++) {
    const s = stages[k];
    const fr = frames[k];
    const nK = nKeyOf(k);
    const width = widthOf(k);
    const nP = s.spec.partitionBy.length;
    const funcs: WinFuncPlan[] = s.calls.map((c) => {
      const name = lower(c.name);
      const bi = WINDOW_BUILTINS[name];
      const nArg = c.args === "*" ? 0 : c.args.length;
      const def = bi === undefined ? p.func(c.name, nArg) as AggregateFuncDef : null;
      const coll: Collation | null = nArg > 0 && c.args !== "*" ? exprCollation(p, c.args[0], scope) : null;
      return {
        kind: bi === undefined ? WIN_AGG : bi[0], def, argCol: nK + L + argOff.get(c)!, nArg,
        filterCol: c.filter !== null ? nK + L + argOff.get(c)! + nArg : -1, coll,
      };
    });
    const plan: WindowPlan = {
      nPart: nP, nOrder: s.spec.orderBy.length, width,
      partColls: s.spec.partitionBy.map((e) => exprCollation(p, e, scope)),
      orderColls: s.spec.orderBy.map((t) => exprCollation(p, t.expr, scope)),
      orderDesc: s.spec.orderBy.length > 0 && s.spec.orderBy[0].direction === "DESC",
      nullsFirst: s.spec.orderBy.length > 0 && (s.spec.orderBy[0].nulls === null ? s.spec.orderBy[0].direction !== "DESC" : s.spec.orderBy[0].nulls === "FIRST"),
      units: fr.units, startType: fr.startType, endType: fr.endType, exclude: fr.exclude, funcs,
    };
    const win = b.allocCursor();
    const pseudo = b.allocCursor();
    const rec = b.allocReg();
    const res = b.allocReg(Math.max(1, funcs.length));
    const done = b.newLabel();
    b.add(Op.OpenPseudo, pseudo, rec, width);
    b.add(Op.SorterSort, sorters[k], done);
    b.add(Op.WindowOpen, win, sorters[k], offRegs[k], plan);
    const top = b.add(Op.WindowNext, win, done, res, pseudo, rec);
    // Leaves for the expressions of this row.
    for (let i = 0; i < L; i++) b.add(Op.Column, pseudo, nK + i, leafRegs + i);
    for (const [ref, i] of leafRef) p.bareRegs.set(ref, leafRegs + i);
    const prevR = resultsBefore(k);
    if (k + 1 < stages.length) {
      const w2 = widthOf(k + 1);
      const nK2 = nKeyOf(k + 1);
      const base = b.allocReg(w2);
      codeKeys(k + 1, base);
      for (let i = 0; i < L + A + prevR; i++) b.add(Op.Column, pseudo, nK + i, base + nK2 + i);
      if (funcs.length > 0) b.add(Op.Copy, res, base + nK2 + L + A + prevR, funcs.length - 1);
      const r2 = b.allocReg();
      b.add(Op.MakeRecord, base, w2, r2, null, OPFLAG_EPHEMREC);
      b.add(Op.SorterInsert, sorters[k + 1], r2);
      b.add(Op.Goto, 0, top);
    } else {
      // Earlier stages' results come from the record; this stage's from res.
      let at = nK + L + A;
      for (let j = 0; j < k; j++) for (const c of stages[j].calls) {
        const r = b.allocReg();
        b.add(Op.Column, pseudo, at++, r);
        p.aggRegs.set(c, r);
      }
      s.calls.forEach((c, i) => p.aggRegs.set(c, res + i));
      const next = b.newLabel();
      emitter.emit(null, next);
      b.resolve(next);
      b.add(Op.Goto, 0, top);
    }
    b.resolve(done);
  }
  emitter.finish();
}
