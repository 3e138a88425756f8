/*
 * codegen/where-or.ts: an OR of equalities on one column as an IN constraint (SQLite's
 * whereexpr.c exprAnalyzeOrTerm, case 2; https://sqlite.org/optoverview.html#or_optimizations).
 * `x=1 OR 2=x OR x IN (3,4)` constrains x to the list (1, 2, 3, 4), so an index on x can
 * drive an IN lookup instead of a full scan.
 *
 * Invariants:
 *  1. Every disjunct is `col = v`, `v = col` or `col IN (list)` on the same column, and no
 *     value reads that column; anything else and there is no constraint.
 *  2. Each value keeps its comparison as written (for its collation) and whether it came
 *     from an IN list (IN compares with the left side's affinity; `=` with both sides'),
 *     so where.ts can check per value that an index seek finds exactly its rows.
 */
import type { Expr } from "../parser/ast.js";
import { isConstantExpr } from "./expr.js";

/**
 * An OR of equalities (and IN lists) on one column, `x=1 OR 2=x OR x IN (3,4)`, is an IN
 * constraint on that column (whereexpr.c exprAnalyzeOrTerm, case 2: "all OR-connected
 * terms are equalities against the same column").
 */
export function orInCons(
  t: Expr,
  add: (colE: Expr, op: "IN", value: Expr | null, list: readonly Expr[] | null, written: readonly (readonly [Expr, Expr])[], inList: readonly boolean[]) => void,
  colOf: (e: Expr) => { item: number; col: number } | null,
): void {
  const parts: Expr[] = [];
  const flat = (e: Expr): void => {
    if (e.kind === "binary" && e.op === "OR") { flat(e.left); flat(e.right); } else parts.push(e);
  };
  flat(t);
  // The candidate columns: either side of the first disjunct.
  const first = parts[0];
  const cands: Expr[] = [];
  if (first.kind === "binary" && (first.op === "=" || first.op === "==")) cands.push(first.left, first.right);
  else if (first.kind === "in" && !first.not && first.rhs.kind === "list") cands.push(first.expr);
  for (const cand of cands) {
    const cc = colOf(cand);
    if (cc === null) continue;
    const same = (x: Expr): boolean => {
      const o = colOf(x);
      return o !== null && o.item === cc.item && o.col === cc.col;
    };
    const list: Expr[] = [];
    const written: (readonly [Expr, Expr])[] = [];
    const inList: boolean[] = [];
    let ok = true;
    for (const d of parts) {
      if (d.kind === "binary" && (d.op === "=" || d.op === "==") && same(d.left) && !same(d.right)) {
        list.push(d.right);
        written.push([d.left, d.right]);
        inList.push(false);
      } else if (d.kind === "binary" && (d.op === "=" || d.op === "==") && same(d.right) && !same(d.left)) {
        list.push(d.left);
        written.push([d.left, d.right]);
        inList.push(false);
      } else if (d.kind === "in" && !d.not && d.rhs.kind === "list" && d.rhs.items.length > 0 && same(d.expr)) {
        const one = d.rhs.items.length === 1 && isConstantExpr(d.rhs.items[0]);
        for (const v of d.rhs.items) {
          list.push(v);
          written.push(one ? [d.expr, v] : [d.expr, d.expr]);
          inList.push(!one);
        }
      } else {
        ok = false;
        break;
      }
    }
    if (ok) {
      add(cand, "IN", null, list, written, inList);
      return;
    }
  }
}
