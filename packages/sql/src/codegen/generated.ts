/*
 * codegen/generated.ts: generated columns (https://sqlite.org/gencol.html; SQLite's
 * build.c sqlite3TableColumnToStorage, insert.c sqlite3ComputeGeneratedColumns,
 * expr.c sqlite3ExprCodeGeneratedColumn).
 *
 * A STORED column's value is in the record like an ordinary column's; a VIRTUAL column
 * is not stored at all: the record holds the non-virtual columns in table order (SQLite's
 * "storage" numbering), and reading a VIRTUAL column evaluates its expression over the
 * row. Writers keep the row in registers in TABLE order (regData + i) and compute every
 * generated column there after the ordinary ones; recordRegs() gathers the non-virtual
 * registers for MakeRecord.
 *
 * Invariants:
 *  1. storageIndex(t, i) of a non-virtual column = the number of non-virtual columns
 *     before it; the record of a table has exactly that many fields when written.
 *  2. Generated values are computed in dependency order (a column is computed after the
 *     generated columns its expression reads), after the ordinary columns got their
 *     affinity, and get the column's affinity (sqlite3ExprCodeGeneratedColumn's OP_Affinity).
 *  3. A generated column cannot be written: INSERT and UPDATE naming one fail with
 *     `cannot INSERT into generated column "x"` / `cannot UPDATE generated column "x"`.
 */
import type { Expr } from "../parser/ast.js";
import { FUNC_DETERMINISTIC } from "../func/api.js";
import { lower, type Column, type Table } from "../schema/schema.js";
import { AFF_NONE, AFF_REAL, AFF_TEXT, Op } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import { codeExpr, walkExpr } from "./expr.js";

export function isVirtual(c: Column): boolean {
  return c.generated != null && !c.generated.stored;
}

export function hasGenerated(t: Table): boolean {
  return t.columns.some((c) => c.generated != null);
}

const storageCache = new WeakMap<Table, number[] | null>();

/** Column number → record field (invariant 1); null when the table has no VIRTUAL column. */
function storageMap(t: Table): number[] | null {
  let m = storageCache.get(t);
  if (m === undefined) {
    m = null;
    if (t.columns.some(isVirtual)) {
      m = [];
      let n = 0;
      for (const c of t.columns) m.push(isVirtual(c) ? -1 : n++);
    }
    storageCache.set(t, m);
  }
  return m;
}

export function storageIndex(t: Table, col: number): number {
  const m = storageMap(t);
  return m === null ? col : m[col];
}

/** The number of fields a record of `t` has. */
export function storedCount(t: Table): number {
  const m = storageMap(t);
  return m === null ? t.columns.length : t.columns.filter((c) => !isVirtual(c)).length;
}

/** The columns a generated expression reads (by table column number). */
function dependencies(t: Table, e: Expr): number[] {
  const out: number[] = [];
  walkExpr(e, (x) => {
    if (x.kind === "column" && (x.table === null || lower(x.table) === lower(t.name))) {
      const k = lower(x.column);
      const i = t.columns.findIndex((c) => lower(c.name) === k);
      if (i >= 0) out.push(i);
    }
    return true;
  });
  return out;
}

const orderCache = new WeakMap<Table, number[]>();

/** Generated columns in an order where each comes after those it reads (invariant 2). */
export function generatedOrder(t: Table): number[] {
  let order = orderCache.get(t);
  if (order !== undefined) return order;
  order = [];
  const state = new Map<number, number>();
  const visit = (i: number): void => {
    const s = state.get(i);
    if (s === 2) return;
    if (s === 1) return; // a loop is rejected when the table is created
    state.set(i, 1);
    for (const d of dependencies(t, t.columns[i].generated!.expr)) if (t.columns[d].generated != null) visit(d);
    state.set(i, 2);
    order!.push(i);
  };
  t.columns.forEach((c, i) => { if (c.generated != null) visit(i); });
  orderCache.set(t, order);
  return order;
}

/** A generated column's loop, if any: the name of a column that reaches itself. */
export function generatedLoop(t: Table): string | null {
  for (let i = 0; i < t.columns.length; i++) {
    if (t.columns[i].generated == null) continue;
    const seen = new Set<number>();
    const stack = [i];
    while (stack.length > 0) {
      const j = stack.pop()!;
      const g = t.columns[j].generated;
      if (g == null) continue;
      for (const d of dependencies(t, g.expr)) {
        if (d === i) return t.columns[i].name;
        if (!seen.has(d)) { seen.add(d); stack.push(d); }
      }
    }
  }
  return null;
}

/** Applies a generated column's affinity to its value (invariant 2). */
function generatedAffinity(p: Parse, c: Column, reg: number): void {
  if (c.affinity >= AFF_TEXT) p.b.add(Op.Affinity, reg, 1, 0, String.fromCharCode(c.affinity));
}

/** Computes every generated column of the row in registers regRowid (rowid), regRowid+1+i (column i). */
export function computeGenerated(p: Parse, t: Table, regRowid: number): void {
  // The ordinary columns get their affinity first (sqlite3ComputeGeneratedColumns), so a
  // REAL column's 1 is read as 1.0 by the expressions.
  const affs = t.columns.map((c) => String.fromCharCode(c.generated != null ? AFF_NONE : c.affinity)).join("");
  p.b.add(Op.Affinity, regRowid + 1, t.columns.length, 0, affs);
  // SQLite's OP_Affinity makes a REAL column's integer a REAL (MEM_IntReal) in the register.
  t.columns.forEach((c, i) => { if (c.generated == null && c.affinity === AFF_REAL) p.b.add(Op.RealAffinity, regRowid + 1 + i); });
  const item: SrcItem = { table: t, cursor: -1, alias: null, regs: regRowid };
  for (const i of generatedOrder(t)) {
    const c = t.columns[i];
    codeExpr(p, c.generated!.expr, [item], regRowid + 1 + i);
    generatedAffinity(p, c, regRowid + 1 + i);
  }
}

/**
 * UPDATE's new row before the BEFORE triggers (update.c): generated columns are NULL in
 * NEW while BEFORE UPDATE triggers run and computed after them; without such triggers
 * they are computed at once.
 */
export function generatedForUpdate(p: Parse, t: Table, regRowid: number, beforeTriggers: boolean): void {
  if (!beforeTriggers) {
    computeGenerated(p, t, regRowid);
    return;
  }
  t.columns.forEach((c, i) => { if (c.generated != null) p.b.add(Op.Null, 0, regRowid + 1 + i); });
}

/** Codes a VIRTUAL column of the row under `item`'s cursor. */
export function codeVirtualColumn(p: Parse, item: SrcItem, col: number, target: number): void {
  const c = item.table.columns[col];
  codeExpr(p, c.generated!.expr, [{ table: item.table, cursor: item.cursor, alias: null }], target);
  generatedAffinity(p, c, target);
}

/** The registers MakeRecord takes for the row in regData (table order): [first, count]. */
export function recordRegs(p: Parse, t: Table, regData: number): [number, number] {
  if (storageMap(t) === null) return [regData, t.columns.length];
  const n = storedCount(t);
  const first = p.b.allocReg(n);
  let k = 0;
  t.columns.forEach((c, i) => {
    if (!isVirtual(c)) p.b.add(Op.SCopy, regData + i, first + k++);
  });
  return [first, n];
}

/**
 * CREATE TABLE's checks of generated columns (build.c sqlite3EndTable resolving each
 * generated expression against the table): names must be the table's columns, no
 * subqueries, no loops.
 */
export function validateGenerated(p: Parse, t: Table): void {
  for (const c of t.columns) {
    const g = c.generated;
    if (g == null) continue;
    walkExpr(g.expr, (x) => {
      if (x.kind === "subquery" || x.kind === "exists" || (x.kind === "in" && x.rhs.kind === "select")) {
        throw p.error("subqueries prohibited in generated columns");
      }
      if (x.kind === "function" && x.over === null) {
        const f = p.func(x.name, x.args === "*" ? 0 : x.args.length);
        if (f.kind !== "scalar") throw p.error(`misuse of aggregate function ${x.name}()`);
        if ((f.flags & FUNC_DETERMINISTIC) === 0) throw p.error("non-deterministic functions prohibited in generated columns");
      }
      if (x.kind === "column") {
        const k = lower(x.column);
        const qualifiedOk = x.table === null || lower(x.table) === lower(t.name);
        const known = t.columns.some((col) => lower(col.name) === k) || k === "rowid" || k === "oid" || k === "_rowid_";
        if (!qualifiedOk || !known) {
          if (x.table === null && x.quoting === "none" && (k === "true" || k === "false")) return true;
          throw p.error(`no such column: ${x.table !== null ? x.table + "." : ""}${x.column}`);
        }
      }
      return true;
    });
  }
  const loop = generatedLoop(t);
  if (loop !== null) throw p.error(`generated column loop on "${loop}"`);
}
