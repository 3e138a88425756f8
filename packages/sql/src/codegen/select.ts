/*
 * codegen/select.ts: SELECT over zero or one table (SQLite's select.c sqlite3Select,
 * reduced; https://sqlite.org/lang_select.html): result columns and their names,
 * WHERE through where.ts, DISTINCT through an ephemeral index, ORDER BY through a sorter
 * holding records, LIMIT/OFFSET, VALUES; aggregate queries go to group-by.ts.
 *
 * Column names (sqlite3_column_name, SQLite's default short names): the AS alias; else
 * the column's declared name for a plain column reference; else the expression's text
 * as written.
 *
 * Invariants:
 *  1. Result rows are registers [first, first+n) of one ResultRow; with ORDER BY the
 *     sorter record is [sort keys..., result columns...] and rows come back out of a
 *     pseudo-cursor over the sorted record.
 *  2. LIMIT counts down in a register (DecrJumpZero); OFFSET is skipped with IfPos
 *     before the row is output; a negative LIMIT means no limit.
 *  3. Aggregate queries (GROUP BY, HAVING, aggregate calls) are compiled by
 *     group-by.ts; this file hands it the resolved result columns, ORDER BY and a
 *     callback that codes the FROM/WHERE loop.
 *  4. Every row leaves through a SelectDest (SQLite's SelectDest/SRT_*): the top-level
 *     statement's dest is ResultRow; a subquery's (subquery.ts), a compound part's
 *     (compound.ts) or a materialization's dest stores the row instead. codeSelect()
 *     codes one whole SELECT (WITH, compound, or one core) ending at its own label, so it
 *     can be nested anywhere in a program.
 */
import { SORT_DESC, makeKeyInfo, type Collation } from "@strata/common";
import type { Expr, LimitClause, OrderingTerm, ResultColumn, SelectCore, SelectStmt, ValuesClause } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import { MAX_COLUMN } from "../parser/parser.js";
import { dbMasks, schemaAt } from "./dbs.js";
import type { Parse, SrcItem } from "./context.js";
import { codeConstPool, codeExpr, exprCollation, exprToReg, ifFalse, resolveColumn, walkExpr, type Scope } from "./expr.js";
import { checkNoAggregate, compileAggregateSelect, findAggregates, ordinal, whereWithAliases } from "./group-by.js";
import { buildFrom, expandStar } from "./from.js";
import { insertRowFields } from "./sorter-fields.js";
import { whereBeginPlan, whereEndPlan, wherePlan } from "./where.js";
import { codeCompound } from "./compound.js";
import { withCtes } from "./cte.js";
import { fromItem } from "./subquery.js";
import { compileWindowSelect, findWindowCalls } from "./window.js";
import { compileWindowAggregateSelect } from "./window-agg.js";

export interface OutCol {
  expr: Expr;
  name: string;
  decltype: string | null;
  /** The name sqlite3ColumnsFromExprList gives a FROM subquery's or CTE's column, which
   *  it reads before names are resolved: the alias, else a column reference's last
   *  identifier as written (COLLATE skipped: `B`, `oid`), else the expression's text.
   *  Absent: the same as `name` (a `*` expansion). */
  written?: string;
}

/** Where a SELECT's rows go (invariant 4): `emit` codes the use of one row in regs [first, first+n). */
export interface SelectDest {
  readonly output: boolean;
  emit(p: Parse, first: number, n: number): void;
}

/** The statement's own result rows. */
export const OUTPUT_DEST: SelectDest = {
  output: true,
  emit(p, first, n) { p.b.add(Op.ResultRow, first, n); },
};

/** Names and declared types of a SELECT's result columns (the first core's). */
export interface SelectShape { readonly names: string[]; readonly decltypes: (string | null)[] }

/** The FROM clause's items (from.ts; subquery.ts fromItem resolves tables, views, CTEs, subqueries). */
export function selectSources(p: Parse, core: SelectCore): SrcItem[] {
  return buildFrom(p, core.from, fromItem);
}

export function expandColumns(p: Parse, cols: readonly ResultColumn[], scope: Scope): OutCol[] {
  const out: OutCol[] = [];
  for (const rc of cols) {
    if (rc.kind === "resultStar") {
      out.push(...expandStar(p, rc, scope));
      continue;
    }
    const e = rc.expr;
    let name: string;
    let decl: string | null = null;
    if (rc.alias !== null) name = rc.alias;
    else if (e.kind === "column" && scope.length > 0) {
      const r = resolveColumn(p, e, scope);
      const t = r.item.table;
      // The rowid under any of its names (rowid, oid, _rowid_, qualified) is "rowid"
      // (select.c generateColumnNames), or the INTEGER PRIMARY KEY's name.
      name = r.col >= 0 ? t.columns[r.col].name : t.iPKey >= 0 ? t.columns[t.iPKey].name : "rowid";
    } else name = p.text(e);
    if (e.kind === "column" && scope.length > 0) {
      const r = resolveColumn(p, e, scope);
      decl = r.col >= 0 ? r.item.table.columns[r.col].decltype : r.item.table.iPKey >= 0 ? r.item.table.columns[r.item.table.iPKey].decltype : "INTEGER";
      if (r.col < 0 && r.item.table.iPKey < 0) decl = null;
    }
    out.push({ expr: e, name, decltype: decl, written: rc.alias ?? writtenName(p, e) });
  }
  if (out.length > MAX_COLUMN) throw p.error("too many columns in result set");
  return out;
}

/** OutCol.written for an un-aliased result expression. */
function writtenName(p: Parse, e: Expr): string {
  let x = e;
  while (x.kind === "collate") x = x.expr;
  return x.kind === "column" ? x.column : p.text(e);
}

/** Codes a LIMIT/OFFSET pair; returns [limitReg, offsetReg] (0 when absent). */
export function codeLimit(p: Parse, limit: LimitClause | null, end: number): [number, number] {
  if (limit === null) return [0, 0];
  const b = p.b;
  const lim = exprToReg(p, limit.count, []);
  b.add(Op.MustBeInt, lim, 0);
  b.add(Op.IfNot, lim, end);
  let off = 0;
  if (limit.offset !== null) {
    off = exprToReg(p, limit.offset, []);
    b.add(Op.MustBeInt, off, 0);
  }
  return [lim, off];
}

export function compileSelect(p: Parse, stmt: SelectStmt): void {
  const b = p.b;
  const init = b.add(Op.Init, 0, 0);
  p.constPool = { shared: new Map(), inits: [] };
  const shape = codeSelect(p, stmt, OUTPUT_DEST);
  p.columnNames.push(...shape.names);
  p.decltypes.push(...shape.decltypes);
  finishProgram(p, init, b.newLabel(), false, p.usesDb);
}

/** Codes a whole SELECT (WITH, compound or one core) sending rows to `dest` (invariant 4). */
export function codeSelect(p: Parse, stmt: SelectStmt, dest: SelectDest): SelectShape {
  if (stmt.with !== null) return withCtes(p, stmt.with, () => codeSelectBody(p, stmt, dest));
  return codeSelectBody(p, stmt, dest);
}

function codeSelectBody(p: Parse, stmt: SelectStmt, dest: SelectDest): SelectShape {
  if (stmt.compounds.length > 0) return codeCompound(p, stmt, dest);
  return codeCore(p, stmt.first, stmt.orderBy, stmt.limit, dest);
}

/** VALUES rows to `dest`. */
function codeValues(p: Parse, core: ValuesClause, limit: LimitClause | null, dest: SelectDest): SelectShape {
  const b = p.b;
  const end = b.newLabel();
  const n = core.rows[0].length;
  if (n > MAX_COLUMN) throw p.error("too many columns in result set");
  const shape: SelectShape = { names: [], decltypes: [] };
  for (let i = 0; i < n; i++) { shape.names.push(`column${i + 1}`); shape.decltypes.push(null); }
  const [lim, off] = codeLimit(p, limit, end);
  for (const row of core.rows) {
    if (row.length !== n) throw p.error("all VALUES must have the same number of terms");
    const first = b.allocReg(n);
    const skip = b.newLabel();
    row.forEach((e, i) => codeExpr(p, e, [], first + i));
    if (off) b.add(Op.IfPos, off, skip, 1);
    dest.emit(p, first, n);
    if (lim) b.add(Op.DecrJumpZero, lim, end);
    b.resolve(skip);
  }
  b.resolve(end);
  return shape;
}

/** One SELECT core (or VALUES) with the statement's ORDER BY and LIMIT, rows to `dest`. */
export function codeCore(
  p: Parse, core: SelectCore | ValuesClause, orderByIn: readonly OrderingTerm[] | null, limit: LimitClause | null,
  dest: SelectDest,
): SelectShape {
  const b = p.b;
  if (core.kind === "values") return codeValues(p, core, limit, dest);
  const end = b.newLabel();
  const items = selectSources(p, core);
  const scope: Scope = items;
  const cols = expandColumns(p, core.columns, scope);
  const shape: SelectShape = { names: cols.map((c) => c.name), decltypes: cols.map((c) => c.decltype) };
  const n = cols.length;
  const orderBy = orderByIn ?? [];
  const where = whereWithAliases(p, core, scope);
  checkNoAggregate(p, where);
  const isAgg = core.groupBy !== null || findAggregates(p, [...cols.map((c) => c.expr), core.having]).length > 0;
  if (core.having !== null && !isAgg) throw p.error("HAVING clause on a non-aggregate query");
  const [lim, off] = codeLimit(p, limit, end);

  // ORDER BY terms: a number names a result column; a bare name may be a result alias.
  const keys: Expr[] = [];
  const keyColls: (Collation | null)[] = [];
  const flags: number[] = [];
  for (const t of orderBy) {
    let e = t.expr;
    let coll: Collation | null = null;
    if (e.kind === "collate") { coll = p.collation(e.collation); e = e.expr; }
    if (e.kind === "literal" && e.type === "integer") {
      const k = Number(e.value);
      if (!(k >= 1 && k <= n)) throw p.error(`${ordinal(orderBy.indexOf(t) + 1)} ORDER BY term out of range - should be between 1 and ${n}`);
      e = cols[k - 1].expr;
    } else if (e.kind === "column" && e.table === null) {
      const alias = core.columns.find((rc) => rc.kind === "resultExpr" && rc.alias !== null && lower(rc.alias) === lower((e as { column: string }).column));
      if (alias !== undefined && alias.kind === "resultExpr") {
        let isCol = false;
        try { if (scope.length) { resolveColumn(p, e, scope); isCol = true; } } catch { isCol = false; }
        if (!isCol) e = alias.expr;
      }
    }
    keys.push(e);
    keyColls.push(coll ?? exprCollation(p, e, scope));
    flags.push((t.direction === "DESC" ? SORT_DESC : 0) | (t.nulls !== null && (t.nulls === "LAST") !== (t.direction === "DESC") ? 2 : 0));
  }

  const winCalls = findWindowCalls([...cols.map((c) => c.expr), ...keys]);
  if (isAgg || winCalls.length > 0) {
    const loop = (body: () => void): void => {
      const uses = [...cols.map((c) => c.expr), ...keys, ...(core.having ? [core.having] : []), ...(core.groupBy ?? [])];
      const w = items.length === 0 ? null : whereBeginPlan(p, wherePlan(p, items, where, { uses }));
      const cont = w === null ? b.newLabel() : w.cont;
      if (w === null && where !== null) ifFalse(p, where, scope, cont, true);
      body();
      if (w !== null) whereEndPlan(p, w);
      else b.resolve(cont);
    };
    const q = {
      core, scope, cols, sort: { keys, colls: keyColls, flags }, distinct: core.distinct === "DISTINCT",
      limit: lim, offset: off, end, loop, dest,
    };
    if (isAgg && winCalls.length > 0) compileWindowAggregateSelect(p, q);
    else if (winCalls.length > 0) compileWindowSelect(p, q, winCalls);
    else compileAggregateSelect(p, q);
    b.resolve(end);
    return shape;
  }
  for (const k of keys) checkNoAggregate(p, k);

  let distinctCur = -1;
  if (core.distinct === "DISTINCT") {
    distinctCur = b.allocCursor();
    const ki = makeKeyInfo(n, { collations: cols.map((c) => exprCollation(p, c.expr, scope)), encoding: p.host.encoding });
    b.add(Op.OpenEphemeral, distinctCur, n, 0, ki);
  }
  // The planner sees the ORDER BY as resolved above (a result column by number or alias).
  const planOrder: OrderingTerm[] = orderBy.map((t, i) => ({ ...t, expr: t.expr.kind === "collate" ? { ...t.expr, expr: keys[i] } : keys[i] }));
  const plan = items.length === 0 ? null : wherePlan(p, items, where, { orderBy: planOrder, uses: [...cols.map((c) => c.expr), ...keys] });
  let sorter = -1;
  const nKey = plan !== null && plan.orderDelivered ? 0 : keys.length;
  // A result column that is also a sort key (the same expression, or the same table
  // column) is not stored in the sorter record twice: it is coded into the key register
  // and read back from the key (SQLite's iOrderByCol). Not with DISTINCT, which needs
  // the result columns in consecutive registers.
  const keyOfCol = cols.map(() => -1);
  if (nKey > 0 && distinctCur < 0) {
    const colKeyOf = (e: Expr): string | null => {
      if (e.kind !== "column" || scope.length === 0) return null;
      try {
        const r = resolveColumn(p, e, scope);
        return `${r.item.cursor}:${r.col}`;
      } catch {
        return null;
      }
    };
    keys.slice(0, nKey).forEach((k, i) => {
      const kk = colKeyOf(k);
      const ci = cols.findIndex((c, j) => keyOfCol[j] < 0 && (c.expr === k || (kk !== null && colKeyOf(c.expr) === kk)));
      if (ci >= 0) keyOfCol[ci] = i;
    });
  }
  const nStored = keyOfCol.filter((k) => k < 0).length;
  if (nKey > 0) {
    sorter = b.allocCursor();
    const ki = makeKeyInfo(nKey, { collations: keyColls, sortFlags: flags, encoding: p.host.encoding });
    // With a LIMIT the sorter keeps only LIMIT + OFFSET records (top-N).
    b.add(Op.SorterOpen, sorter, nKey + nStored, lim, ki, off);
  }
  const w = plan === null ? null : whereBeginPlan(p, plan);
  if (distinctCur >= 0 && w !== null) p.explainPlan("USE TEMP B-TREE FOR DISTINCT");
  if (sorter >= 0 && w !== null) p.explainPlan("USE TEMP B-TREE FOR ORDER BY");
  const cont = w === null ? b.newLabel() : w.cont;
  if (w === null && where !== null) ifFalse(p, where, scope, cont, true);
  const first = b.allocReg(nKey + nStored);
  const res = first + nKey;
  // Result column i's register (before sorting): its key's, or its slot after the keys.
  const colReg: number[] = [];
  let nextStored = 0;
  for (let i = 0; i < n; i++) colReg.push(keyOfCol[i] >= 0 ? first + keyOfCol[i] : res + nextStored++);
  const start = b.addr;
  cols.forEach((c, i) => codeExpr(p, c.expr, scope, colReg[i]));
  if (distinctCur >= 0) {
    b.add(Op.Found, distinctCur, cont, res, n);
    const r = b.allocReg();
    b.add(Op.MakeRecord, res, n, r, null, OPFLAG_EPHEMREC);
    b.add(Op.IdxInsert, distinctCur, r);
  }
  if (sorter >= 0) {
    keys.slice(0, nKey).forEach((k, i) => {
      if (keyOfCol.includes(i)) return;
      const ci = cols.findIndex((c) => c.expr === k);
      if (ci >= 0) b.add(Op.SCopy, colReg[ci], first + i);
      else codeExpr(p, k, scope, first + i);
    });
    // Plain columns of one table: copied from its record (first.. are not read again).
    if (!insertRowFields(p, start, first, nKey + nStored, sorter)) {
      const r = b.allocReg();
      b.add(Op.MakeRecord, first, nKey + nStored, r, null, OPFLAG_EPHEMREC);
      b.add(Op.SorterInsert, sorter, r);
    }
  } else {
    if (off) b.add(Op.IfPos, off, cont, 1);
    dest.emit(p, res, n);
    if (lim) b.add(Op.DecrJumpZero, lim, w === null ? end : w.brk);
  }
  if (w !== null) whereEndPlan(p, w);
  else b.resolve(cont);
  if (sorter >= 0) {
    const pseudo = b.allocCursor();
    const rec = b.allocReg();
    const out = b.allocReg(n);
    b.add(Op.OpenPseudo, pseudo, rec, nKey + nStored);
    const done = end;
    b.add(Op.SorterSort, sorter, done);
    const top = b.addr;
    const next = b.newLabel();
    b.add(Op.SorterData, sorter, rec, pseudo);
    if (off) b.add(Op.IfPos, off, next, 1);
    for (let i = 0; i < n; i++) b.add(Op.Column, pseudo, colReg[i] - first, out + i);
    dest.emit(p, out, n);
    if (lim) b.add(Op.DecrJumpZero, lim, done);
    b.resolve(next);
    b.add(Op.SorterNext, sorter, top);
  }
  b.resolve(end);
  return shape;
}

/** Halt, then the transaction prologue Init jumps to, then back to the body. */
export function finishProgram(p: Parse, init: number, end: number, write: boolean, usesDb = true): void {
  const b = p.b;
  b.resolve(end);
  b.add(Op.Halt);
  b.jumpHere(init);
  if (usesDb) {
    // codegen/dbs.ts invariant 4: one Transaction per database the program touches.
    const m = dbMasks(b.ops, b.a1, b.a2, b.a3);
    let read = m.read | p.subReadMask;
    let wr = m.write | p.subWriteMask;
    if (read === 0) read = 1;
    if (write && wr === 0) wr = 1;
    read |= wr;
    for (let i = 0; read >>> i !== 0; i++) {
      if ((read >>> i & 1) === 0) continue;
      b.add(Op.Transaction, i, (wr >> i & 1) !== 0 ? 1 : 0, schemaAt(p, i).cookie, p.host.dbGeneration, 1);
    }
  }
  codeConstPool(p);
  b.add(Op.Goto, 0, init + 1);
}

export { exprToReg };
