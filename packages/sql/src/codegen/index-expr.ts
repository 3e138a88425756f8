/*
 * codegen/index-expr.ts: indexes on expressions (https://sqlite.org/expridx.html; SQLite's
 * build.c sqlite3CreateIndex, resolve.c NC_IdxExpr, where.c exprMightBeIndexed /
 * sqlite3ExprCompareSkip): the checks CREATE INDEX makes on an indexed expression, the
 * code that computes an index key column that is an expression, and the structural
 * match a WHERE / ORDER BY term needs to use such a column.
 *
 * Invariants:
 *  1. An indexed expression reads only columns of its own table (else "no such column"),
 *     and contains no subquery, parameter or non-deterministic function (SQLite's messages
 *     "subqueries prohibited in index expressions", "parameters prohibited in index
 *     expressions", "non-deterministic functions prohibited in index expressions").
 *  2. The stored key value is the expression's value as computed (no affinity applied),
 *     as SQLite's sqlite3ExprCodeLoadIndexColumn stores it.
 *  3. A term uses an expression column only when it is the same expression (ignoring
 *     COLLATE, source positions, table qualifiers and the case of names) over the same
 *     table (sqlite3ExprCompareSkip), so the planner never guesses.
 */
import type { Expr } from "../parser/ast.js";
import { FUNC_DETERMINISTIC } from "../func/api.js";
import { lower, type Index, type Table } from "../schema/schema.js";
import type { Parse, SrcItem } from "./context.js";
import { codeExpr, exprAffinity, resolveColumn, walkExpr, withRowRegisters, type Scope } from "./expr.js";
import { AFF_BLOB, AFF_NONE } from "../vdbe/opcodes.js";

/** Invariant 1: the checks of CREATE INDEX (and UNIQUE ... ON expressions) on `e`. */
export function checkIndexExpr(p: Parse, t: Table, e: Expr): void {
  const scope: SrcItem[] = [{ table: t, cursor: -1, alias: null }];
  walkExpr(e, (x) => {
    switch (x.kind) {
      case "exists": case "subquery": throw p.error("subqueries prohibited in index expressions");
      case "in": if (x.rhs.kind !== "list") throw p.error("subqueries prohibited in index expressions"); break;
      case "parameter": throw p.error("parameters prohibited in index expressions");
      case "column": resolveColumn(p, x, scope); break;
      case "function": {
        const def = p.func(x.name, x.args === "*" ? 0 : x.args.length);
        if ((def.flags & FUNC_DETERMINISTIC) === 0) throw p.error("non-deterministic functions prohibited in index expressions");
        break;
      }
      default: break;
    }
    return true;
  });
}

/** The affinity of key column k of `ix` (SQLite's sqlite3IndexAffinityStr). */
export function indexColumnAffinity(p: Parse, t: Table, ix: Index, k: number): number {
  const c = ix.columns[k];
  if (c >= 0) return t.columns[c].affinity;
  if (c === -1) return 0x44; // INTEGER: the rowid
  const aff = exprAffinity(p, ix.exprs![k]!, [{ table: t, cursor: -1, alias: null }]);
  return aff === AFF_NONE || aff === 0 ? AFF_BLOB : aff;
}

/** Codes key column k of `ix`, an expression, over `scope` (the table's row) into `target`. */
export function codeIndexExpr(p: Parse, ix: Index, k: number, scope: Scope, target: number): void {
  codeExpr(p, ix.exprs![k]!, scope, target);
}

function strip(e: Expr): Expr {
  while (e.kind === "collate") e = e.expr;
  return e;
}

/**
 * Invariant 3: whether `e` (resolved in `items`) is the indexed expression `ix` of
 * table item `i`.
 */
export function sameIndexExpr(p: Parse, e: Expr, items: readonly SrcItem[], i: number, ixExpr: Expr): boolean {
  const own: SrcItem[] = [{ table: items[i].table, cursor: -1, alias: null }];
  const eq = (a: unknown, b: unknown): boolean => {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (let k = 0; k < a.length; k++) if (!eq(a[k], b[k])) return false;
      return true;
    }
    let x = a as Expr;
    let y = b as Expr;
    if ("kind" in x && "kind" in y) {
      x = strip(x);
      y = strip(y);
      if (x.kind !== y.kind) return false;
      if (x.kind === "column" && y.kind === "column") {
        try {
          const rx = resolveColumn(p, x, items);
          if (rx.item !== items[i] || rx.also) return false;
          return rx.col === resolveColumn(p, y, own).col;
        } catch {
          return false;
        }
      }
      if (x.kind === "function" && y.kind === "function" && lower(x.name) !== lower(y.name)) return false;
    }
    const isFn = (x as { kind?: string }).kind === "function";
    const rx = x as unknown as Record<string, unknown>;
    const ry = y as unknown as Record<string, unknown>;
    for (const k of Object.keys(rx)) {
      if (k === "start" || k === "end" || (isFn && k === "name")) continue;
      if (!eq(rx[k], ry[k])) return false;
    }
    return true;
  };
  return eq(e, ixExpr);
}

/** Codes `ix`'s key column k for the row whose columns are in registers (rowid at regRowid). */
export function codeIndexExprFromRegs(p: Parse, t: Table, ix: Index, k: number, regRowid: number, regData: number, target: number): void {
  const e = ix.exprs![k]!;
  withRowRegisters(p, t, -1, regRowid, regData, [e], (scope) => codeExpr(p, e, scope, target));
}

/** Whether `e` reads one of `cols` of `t` (UPDATE: may the expression's value change?). */
export function exprReadsColumns(p: Parse, t: Table, e: Expr, cols: ReadonlySet<number>): boolean {
  let hit = false;
  walkExpr(e, (x) => {
    if (x.kind === "column" && cols.has(resolveColumn(p, x, [{ table: t, cursor: -1, alias: null }]).col)) hit = true;
    return true;
  });
  return hit;
}

/** Whether index `ix` of `t` has a key column whose value may change when `cols` change. */
export function indexTouches(p: Parse, t: Table, ix: Index, cols: ReadonlySet<number>): boolean {
  for (let k = 0; k < ix.columns.length; k++) {
    const c = ix.columns[k];
    if (c === -2 ? exprReadsColumns(p, t, ix.exprs![k]!, cols) : cols.has(c)) return true;
  }
  return false;
}
