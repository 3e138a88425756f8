/*
 * codegen/window-agg.ts: window functions in aggregate queries (SQLite's
 * sqlite3WindowRewrite: the window pass runs over the grouped rows;
 * https://sqlite.org/windowfunctions.html §"Aggregate Window Functions" and lang_select.html).
 *
 * `SELECT a, sum(b), rank() OVER (ORDER BY sum(b)) FROM t GROUP BY a` runs in two passes:
 *   1. the aggregate pass (group-by.ts) computes, per group that passes HAVING, one row of
 *      "slots": every aggregate call and every table column the rest of the query reads
 *      outside aggregates, into an insertion-ordered list;
 *   2. the window pass (window.ts) scans that list as its only table; the result columns,
 *      ORDER BY keys and window definitions are rewritten so that each slot expression
 *      reads its list column.
 *
 * Invariants:
 *  1. Slots are keyed by node (aggregate calls) or by resolved table column (bare columns);
 *     a bare column's slot keeps the column's affinity, collation and declared type, so
 *     comparisons, DISTINCT and ORDER BY behave as on the original column.
 *  2. HAVING, GROUP BY and WHERE belong to the aggregate pass; DISTINCT, ORDER BY,
 *     LIMIT/OFFSET and the destination to the window pass.
 *  3. Subqueries are not rewritten (they keep reading their own scopes).
 */
import type { ColumnRef, Expr, FunctionCall, NamedWindow, OrderingTerm, WindowDef } from "../parser/ast.js";
import { AFF_NONE, Op } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import { resolveColumn, type Scope } from "./expr.js";
import { compileAggregateSelect, isAggregateCall, type AggQuery } from "./group-by.js";
import { listDest, openList, syntheticTable, type ColInfo } from "./subquery.js";
import { compileWindowSelect, findWindowCalls } from "./window.js";

interface Slot { readonly expr: Expr; readonly info: ColInfo }

/** Compiles an aggregate query whose result or ORDER BY holds window calls. */
export function compileWindowAggregateSelect(p: Parse, q: AggQuery): void {
  const b = p.b;
  const scope = q.scope;
  const slots: Slot[] = [];
  const byKey = new Map<string, number>();
  const byNode = new Map<Expr, number>();
  const slotName = (i: number): string => `\u0000w${i}`;
  const refTo = (i: number, x: Expr): ColumnRef => ({
    kind: "column", schema: null, table: null, column: slotName(i), quoting: "double", start: x.start, end: x.end,
  });

  const slotOf = (x: Expr): Expr | null => {
    if (isAggregateCall(p, x)) {
      let i = byNode.get(x);
      if (i === undefined) {
        i = slots.length;
        slots.push({ expr: x, info: { name: slotName(i), decltype: null, affinity: AFF_NONE, collation: null, explicitColl: false } });
        byNode.set(x, i);
      }
      return refTo(i, x);
    }
    if (x.kind === "column" && scope.length > 0) {
      let r;
      try { r = resolveColumn(p, x, scope); } catch { return null; }
      const key = `${r.item.cursor}:${r.col}`;
      let i = byKey.get(key);
      if (i === undefined) {
        i = slots.length;
        const t = r.item.table;
        const c = r.col >= 0 ? t.columns[r.col] : null;
        slots.push({
          expr: x,
          info: {
            name: slotName(i), decltype: c === null ? null : c.decltype, affinity: c === null ? 0x44 : c.affinity,
            collation: c === null || c.collation === null ? null : p.collation(c.collation), explicitColl: false,
          },
        });
        byKey.set(key, i);
      }
      return refTo(i, x);
    }
    return null;
  };

  const map = (x: Expr): Expr => {
    const s = slotOf(x);
    if (s !== null) return s;
    switch (x.kind) {
      case "column": case "literal": case "parameter": case "exists": case "subquery": case "raise": return x;
      case "unary": return { ...x, operand: map(x.operand) };
      case "binary": return { ...x, left: map(x.left), right: map(x.right) };
      case "like": return { ...x, left: map(x.left), right: map(x.right), escape: x.escape === null ? null : map(x.escape) };
      case "between": return { ...x, expr: map(x.expr), low: map(x.low), high: map(x.high) };
      case "in": return x.rhs.kind === "list" ? { ...x, expr: map(x.expr), rhs: { ...x.rhs, items: x.rhs.items.map(map) } } : { ...x, expr: map(x.expr) };
      case "postfixNull": return { ...x, expr: map(x.expr) };
      case "collate": return { ...x, expr: map(x.expr) };
      case "cast": return { ...x, expr: map(x.expr) };
      case "case": return {
        ...x, operand: x.operand === null ? null : map(x.operand),
        whens: x.whens.map((w) => ({ when: map(w.when), then: map(w.then) })), else: x.else === null ? null : map(x.else),
      };
      case "function": return {
        ...x,
        args: x.args === "*" ? "*" : x.args.map(map),
        filter: x.filter === null ? null : map(x.filter),
        orderBy: x.orderBy === null ? null : mapTerms(x.orderBy),
        over: x.over === null || x.over.kind !== "windowDef" ? x.over : mapWindow(x.over),
      };
      case "vector": return { ...x, items: x.items.map(map) };
      default: { const never: never = x; return never; }
    }
  };
  const mapTerms = (ts: readonly OrderingTerm[]): OrderingTerm[] => ts.map((t) => ({ ...t, expr: map(t.expr) }));
  const mapWindow = (w: WindowDef): WindowDef => ({
    ...w, partitionBy: w.partitionBy === null ? null : w.partitionBy.map(map), orderBy: w.orderBy === null ? null : mapTerms(w.orderBy),
  });

  const cols = q.cols.map((c) => ({ expr: map(c.expr), name: c.name }));
  const keys = q.sort.keys.map(map);
  const windows: NamedWindow[] | null = q.core.windows === null ? null : q.core.windows.map((w) => ({ ...w, window: mapWindow(w.window) }));

  // Pass 1: the grouped rows into the list.
  const list = b.allocCursor();
  openList(p, list, Math.max(slots.length, 1));
  const aggEnd = b.newLabel();
  const rows = slots.length > 0 ? slots.map((s) => ({ expr: s.expr, name: s.info.name })) : [{ expr: { kind: "literal", type: "null", value: "", start: 0, end: 0 } as Expr, name: slotName(0) }];
  compileAggregateSelect(p, {
    core: q.core, scope, cols: rows, sort: { keys: [], colls: [], flags: [] }, distinct: false,
    limit: 0, offset: 0, end: aggEnd, loop: q.loop, dest: listDest(list),
  });
  b.resolve(aggEnd);

  // Pass 2: the window pass over the list.
  const infos = slots.length > 0 ? slots.map((s) => s.info) : [{ name: slotName(0), decltype: null, affinity: AFF_NONE, collation: null, explicitColl: false }];
  const item: SrcItem = { table: syntheticTable("", infos), cursor: list, alias: null, ephemeral: true };
  const wScope: Scope = [item];
  const calls: FunctionCall[] = findWindowCalls([...cols.map((c) => c.expr), ...keys]);
  compileWindowSelect(p, {
    core: { ...q.core, windows, where: null, groupBy: null, having: null }, scope: wScope, cols,
    sort: { keys, colls: q.sort.colls, flags: q.sort.flags }, distinct: q.distinct,
    limit: q.limit, offset: q.offset, end: q.end, dest: q.dest,
    loop: (body) => {
      const done = b.newLabel();
      b.add(Op.Rewind, list, done);
      const top = b.addr;
      body();
      b.add(Op.Next, list, top);
      b.resolve(done);
    },
  }, calls);
}
