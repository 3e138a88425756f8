/*
 * codegen/where.ts: the planner for one table (SQLite's where.c, reduced): picks how to
 * visit the rows of a table that may satisfy a WHERE clause, emits the loop's head
 * (whereBegin) and its tail (whereEnd). Joins, OR-optimisation, costs and multi-column
 * ranges are for the next planner; its shape (a WhereInfo per FROM item, loops nested by
 * whereBegin order) is the extension point.
 *
 * Plans, in order of preference:
 *   1. rowid = expr            SeekRowid (at most one row)
 *   2. col = expr on an index  SeekGE key; loop: IdxGT key → break; DeferredSeek
 *      whose first column is `col` (unique indexes first), when the comparison's
 *      affinity and collation are the index's (sqlite3IndexAffinityOk)
 *   3. rowid >/>=/</<= expr     SeekGT/SeekGE; loop: Rowid; Gt/Ge end → break
 *   4. full scan               Rewind / Next
 *
 * Invariants:
 *  1. Every WHERE term is still tested inside the loop (plans only narrow the rows
 *     visited), so a plan can never change a result, only its cost.
 *  2. `expr` of a plan never references the table being scanned (it is computed once,
 *     before the loop).
 */
import type { BinaryExpr, Expr } from "../parser/ast.js";
import type { Index } from "../schema/schema.js";
import { AFF_BLOB, AFF_NONE, AFF_NUMERIC, AFF_TEXT, JUMPIFNULL, Op } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import {
  binaryCollation, codeExpr, compareAffinity, exprAffinity, exprCollation, exprToReg, ifFalse, resolveColumn, walkExpr,
  type Scope,
} from "./expr.js";

export interface WhereInfo {
  readonly item: SrcItem;
  /** Jump here to go to the next row. */
  readonly cont: number;
  /** Jump here to leave the loop. */
  readonly brk: number;
  readonly kind: "rowidEq" | "index" | "rowidRange" | "scan";
  readonly idxCursor: number;
  readonly top: number;
  readonly index: Index | null;
  /** Plan description (EXPLAIN QUERY PLAN-like). */
  readonly detail: string;
}

function andTerms(e: Expr | null, out: Expr[]): Expr[] {
  if (e === null) return out;
  if (e.kind === "binary" && e.op === "AND") {
    andTerms(e.left, out);
    andTerms(e.right, out);
  } else out.push(e);
  return out;
}

function refsTable(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === "column" || x.kind === "exists" || x.kind === "subquery") found = true;
    return !found;
  });
  return found;
}

interface Term { col: number; op: string; value: Expr; cmp: BinaryExpr }

const FLIP: Record<string, string> = { "=": "=", "==": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

function usableTerms(p: Parse, where: Expr | null, scope: Scope): Term[] {
  const out: Term[] = [];
  for (const t of andTerms(where, [])) {
    if (t.kind !== "binary" || FLIP[t.op] === undefined) continue;
    let op: string = t.op === "==" ? "=" : t.op;
    let colSide = t.left;
    let value = t.right;
    if (colSide.kind !== "column") {
      colSide = t.right;
      value = t.left;
      op = FLIP[op];
    }
    if (colSide.kind !== "column" || refsTable(value)) continue;
    let col: number;
    try {
      col = resolveColumn(p, colSide, scope).col;
    } catch {
      continue;
    }
    out.push({ col, op, value, cmp: t });
  }
  return out;
}

/** sqlite3IndexAffinityOk. */
function affinityOk(p: Parse, t: Term, colAff: number, scope: Scope): boolean {
  const aff = compareAffinity(exprAffinity(p, t.cmp.left, scope), exprAffinity(p, t.cmp.right, scope)) & 0x47;
  if (aff <= AFF_BLOB || aff === AFF_NONE) return true;
  if (aff === AFF_TEXT) return colAff === AFF_TEXT;
  return colAff >= AFF_NUMERIC;
}

/** Opens the loop over `item`'s rows that may satisfy `where`; codes the WHERE test. */
export function whereBegin(p: Parse, item: SrcItem, where: Expr | null, write: boolean): WhereInfo {
  const b = p.b;
  const scope: Scope = [item];
  const cont = b.newLabel();
  const brk = b.newLabel();
  const t = item.table;
  if (item.ephemeral !== true) {
    b.add(write ? Op.OpenWrite : Op.OpenRead, item.cursor, t.root, 0, t.columns.length);
    b.comment(t.name);
  }
  const terms = usableTerms(p, where, scope);
  let info: WhereInfo;
  const eq = terms.find((x) => x.col === -1 && x.op === "=");
  let idxTerm: { term: Term; index: Index } | null = null;
  if (eq === undefined) {
    const cands = [...t.indexes].sort((a, b2) => Number(b2.unique) - Number(a.unique));
    for (const ix of cands) {
      if (ix.where !== null) continue;
      const c0 = ix.columns[0];
      const term = terms.find((x) => x.op === "=" && x.col === c0 && c0 >= 0);
      if (term === undefined) continue;
      const coll = binaryCollation(p, term.cmp.left, term.cmp.right, scope);
      const collName = (coll ?? { name: "BINARY" }).name.toUpperCase();
      if (collName !== ix.collations[0].name.toUpperCase()) continue;
      if (!affinityOk(p, term, t.columns[c0].affinity, scope)) continue;
      idxTerm = { term, index: ix };
      break;
    }
  }
  const range = terms.filter((x) => x.col === -1 && x.op !== "=");
  if (eq !== undefined) {
    const r = exprToReg(p, eq.value, scope);
    const top = b.add(Op.SeekRowid, item.cursor, brk, r);
    info = { item, cont: brk, brk, kind: "rowidEq", idxCursor: -1, top, index: null, detail: `SEARCH ${t.name} USING INTEGER PRIMARY KEY (rowid=?)` };
  } else if (idxTerm !== null) {
    const ix = idxTerm.index;
    const ic = b.allocCursor();
    b.add(Op.OpenRead, ic, ix.root, 0, ix.keyInfo);
    b.comment(ix.name);
    const r = exprToReg(p, idxTerm.term.value, scope);
    b.add(Op.IsNull, r, brk);
    b.add(Op.Affinity, r, 1, 0, String.fromCharCode(t.columns[ix.columns[0]].affinity));
    b.add(Op.SeekGE, ic, brk, r, 1);
    const top = b.add(Op.IdxGT, ic, brk, r, 1);
    b.add(Op.DeferredSeek, ic, 0, item.cursor);
    info = { item, cont, brk, kind: "index", idxCursor: ic, top, index: ix, detail: `SEARCH ${t.name} USING INDEX ${ix.name} (${t.columns[ix.columns[0]].name}=?)` };
  } else if (range.length > 0) {
    const lo = range.find((x) => x.op === ">" || x.op === ">=");
    const hi = range.find((x) => x.op === "<" || x.op === "<=");
    let top: number;
    if (lo !== undefined) {
      const r = exprToReg(p, lo.value, scope);
      b.add(lo.op === ">" ? Op.SeekGT : Op.SeekGE, item.cursor, brk, r, 0);
      top = b.addr;
    } else {
      b.add(Op.Rewind, item.cursor, brk);
      top = b.addr;
    }
    if (hi !== undefined) {
      const r = b.allocReg();
      codeExpr(p, hi.value, scope, r);
      const rid = b.allocReg();
      b.add(Op.Rowid, item.cursor, rid);
      // Leave when rowid > end (or >= end for <); a NULL bound also ends the loop.
      b.add(hi.op === "<" ? Op.Ge : Op.Gt, r, brk, rid, null, AFF_NUMERIC | JUMPIFNULL);
    }
    info = { item, cont, brk, kind: "rowidRange", idxCursor: -1, top, index: null, detail: `SEARCH ${t.name} USING INTEGER PRIMARY KEY (rowid${lo ? (lo.op === ">" ? ">?" : ">=?") : ""}${hi ? (hi.op === "<" ? "<?" : "<=?") : ""})` };
  } else {
    b.add(Op.Rewind, item.cursor, brk);
    const top = b.addr;
    info = { item, cont, brk, kind: "scan", idxCursor: -1, top, index: null, detail: `SCAN ${t.name}` };
  }
  if (where !== null) ifFalse(p, where, scope, info.cont, true);
  void exprCollation;
  return info;
}

/** Closes the loop opened by whereBegin. */
export function whereEnd(p: Parse, w: WhereInfo): void {
  const b = p.b;
  if (w.kind !== "rowidEq") {
    b.resolve(w.cont);
    b.add(Op.Next, w.kind === "index" ? w.idxCursor : w.item.cursor, w.top);
  }
  b.resolve(w.brk);
}
