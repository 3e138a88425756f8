/*
 * codegen/update-delete.ts: UPDATE and DELETE over one table (SQLite's update.c,
 * delete.c; https://sqlite.org/lang_update.html, lang_delete.html).
 *
 * In general both run in two passes: the WHERE loop (where.ts) collects the rowids of
 * the matching rows into a RowSet, then a second loop visits each rowid (NotExists), so
 * changing rows, keys or indexes never disturbs the scan that found them (SQLite's
 * non-one-pass strategy). Invariant 8 is the one-pass case.
 *
 * Invariants:
 *  1. UPDATE evaluates every SET expression against the old row, applies column
 *     affinity, checks constraints (a row's own entries are not conflicts), deletes the
 *     old index entries, inserts the new ones, then writes the row (moving it when the
 *     rowid changed).
 *  2. DELETE removes the index entries of the row, then the row; changes() counts rows.
 *  3. ORDER BY / LIMIT / OFFSET choose the rows in pass one (ORDER BY needs LIMIT; an
 *     integer ORDER BY term can only be 1, the rowid); the chosen rows are then visited in
 *     rowid order.
 *  4. Row values in SET: "N columns assigned M values" when the counts differ.
 *  5. UPDATE ... FROM (lang_update.html#update_from): pass one runs the join of the target
 *     with the FROM items under WHERE and stores, per joined row, the target's rowid, a
 *     descending sequence number and the SET values in an ephemeral index; pass two visits
 *     it in rowid order and updates each target row once, from the last joined row that
 *     matched it (SQLite keeps one of them; its choice is arbitrary, ours is its choice for
 *     the loop order the planner picks). The target's name or alias may not appear in FROM.
 *  6. A WITHOUT ROWID table's rows are collected by their PK values (an ephemeral index)
 *     and found again by them (without-rowid.ts); UPDATE deletes the old record and
 *     writes the new one, touching every index when the PK may change.
 *  7. Pass two visits the rows in SQLite's order, which conflicts and OR IGNORE / OR FAIL
 *     make observable: where SQLite would run the UPDATE one-pass over several rows
 *     (onePassMultiRow) and its WHERE loop walks a secondary index the UPDATE does not
 *     rewrite, in that loop's order (collectInScanOrder: keys behind a sequence number),
 *     when a row can fail a constraint (orderObservable); otherwise in key order (rowid
 *     ascending, or PK order), as SQLite's second pass does or as nobody can tell apart.
 *  8. One pass, in the WHERE loop itself, through its table cursor (rowid tables only):
 *     an UPDATE that touches no index, under onePassMultiRow's conditions, with no
 *     subquery in SET, RETURNING, ORDER BY/LIMIT or generated column. The row is
 *     rewritten in place and keeps its rowid, and the table cursor stays on it (pager
 *     btree/cursor.ts invariant 4), so the loop's next step finds the next row in the
 *     loop's order (SQLite's ONEPASS_MULTI order). DELETE always takes two passes (one
 *     pass through the loop's cursors measured slower: every write saves the loop's
 *     index cursor, which the next step restores with a descent).
 */
import { computeGenerated, generatedForUpdate, hasGenerated, recordRegs } from "./generated.js";
import { BINARY, SORT_DESC, makeKeyInfo } from "@strata/common";
import type { DeleteStmt, Expr, SelectStmt, UpdateStmt } from "../parser/ast.js";
import { lower, type Table } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC, OPFLAG_NCHANGE } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import { constraintChecks } from "./conflict.js";
import { affinityString, deleteIndexEntries, insertIndexEntries, openWriteCursors } from "./dml-common.js";
import { codeColumn, codeExpr, exprCollation, resolveColumn, walkExpr } from "./expr.js";
import { Returning } from "./returning.js";
import { indexTouches } from "./index-expr.js";
import { insertRow, seekPk } from "./without-rowid.js";
import { codeLimit, finishProgram } from "./select.js";
import { buildFrom } from "./from.js";
import { whereBeginPlan, whereEndPlan, wherePlan } from "./where.js";
import { codeSubqueryRow, describeSelect, fromItem } from "./subquery.js";

/** A SET value: an expression, or field `i` of a row-value subquery coded once per row. */
type SetValue = Expr | { readonly sub: { first: number }; readonly i: number };
import { compileViewUpdateDelete, fireTriggers, isViewTarget, reloadRow, rowTriggers } from "./trigger.js";
import { whereBegin, whereEnd } from "./where.js";
import { fkActions, fkCheck, fkParentKeys, fkRequired } from "./fkey.js";
import { dbOfTable, locateTable } from "./dbs.js";

function mentions(p: Parse, t: Table, e: Expr, cols: ReadonlySet<number>): boolean {
  let hit = false;
  walkExpr(e, (x) => {
    if (x.kind === "column" && cols.has(resolveColumn(p, x, [{ table: t, cursor: 0, alias: null }]).col)) hit = true;
    return true;
  });
  return hit;
}

function target(p: Parse, name: string, schema: string | null): Table | null {
  if (isViewTarget(p, name, schema)) return null;
  const t = locateTable(p, name, schema)?.table ?? null;
  if (t === null) throw p.error(`no such table: ${schema ? schema + "." : ""}${name}`);
  return t;
}

function ordinal(n: number): string {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return n + (s[(v - 20) % 10] ?? s[v] ?? s[0]);
}

/**
 * Whether SQLite would run this UPDATE one-pass over several rows (update.c asks
 * sqlite3WhereBegin for WHERE_ONEPASS_MULTIROW): no trigger, no foreign key work, the
 * key (rowid / INTEGER PRIMARY KEY / WITHOUT ROWID PRIMARY KEY) unchanged, no REPLACE
 * (OR REPLACE, or REPLACE on a UNIQUE index whose key changes), no subquery in WHERE.
 * One-pass visits the rows in the order the WHERE loop finds them, which a failing
 * constraint or OR IGNORE / OR FAIL makes observable (invariant 7).
 */
function onePassMultiRow(
  p: Parse, t: Table, stmt: UpdateStmt, hasTriggers: boolean, chngKey: boolean, changed: ReadonlySet<number>, touched: ReadonlySet<number>,
): boolean {
  if (hasTriggers || chngKey || fkRequired(p, t, changed, changed.has(-1))) return false;
  if (stmt.or === "REPLACE") return false;
  if (stmt.or === null && t.indexes.some((ix, k) => touched.has(k) && ix.onError === "REPLACE" && indexTouches(p, t, ix, changed))) return false;
  return stmt.where === null || !hasSubquery(stmt.where, false);
}

/**
 * Whether `e` holds a subquery (EXISTS, a scalar subquery, IN (SELECT ...) or IN table);
 * `anyIn`: count every IN, lists too (the SET values' conservative test: a subquery there
 * would see the rows changed so far in the visiting order, so such UPDATEs keep two passes).
 */
function hasSubquery(e: Expr, anyIn: boolean): boolean {
  let sub = false;
  walkExpr(e, (x) => {
    if (x.kind === "subquery" || x.kind === "exists" || (x.kind === "in" && (anyIn || x.rhs.kind !== "list"))) sub = true;
    return !sub;
  });
  return sub;
}

/**
 * Whether the order rows are changed in can show: a row can fail a constraint (UNIQUE on
 * a rewritten index, NOT NULL on a changed column, CHECK, STRICT types), so which rows
 * were changed before it, or whether a conflict was only transient, depends on the order.
 * Otherwise key order is as good as SQLite's and cheaper (a RowSet, no ephemeral index).
 */
function orderObservable(t: Table, changed: ReadonlySet<number>, touched: ReadonlySet<number>): boolean {
  if (t.checks.length > 0 || t.strict === true) return true;
  if (t.indexes.some((ix, k) => ix.unique && touched.has(k))) return true;
  return t.columns.some((c, i) => c.notNull && changed.has(i));
}

/**
 * Pass one in the WHERE loop's own order, for a one-pass UPDATE whose loop walks a
 * secondary index the UPDATE does not rewrite (update.c turns one-pass off when it
 * does): the keys go into an ephemeral index keyed by a sequence number first, so pass
 * two visits the rows as SQLite's single pass does. Null when the loop is not such a
 * scan (then key order is the loop's order, or SQLite replays in key order too).
 */
function collectInScanOrder(p: Parse, item: SrcItem, stmt: UpdateStmt | DeleteStmt, touched: ReadonlySet<number>): number | null {
  const b = p.b;
  const t = item.table;
  const plan = wherePlan(p, [item], stmt.where, { write: true });
  const path = plan.paths[0];
  if (path.kind !== "index" || path.index === null || path.index === t.pkIndex) return null;
  const k = t.indexes.indexOf(path.index);
  if (k < 0 || touched.has(k)) return null;
  const pk = t.pkIndex;
  const nKey = t.withoutRowid ? pk!.columns.length : 1;
  const eph = b.allocCursor();
  b.add(Op.OpenEphemeral, eph, nKey + 1, 0, makeKeyInfo(nKey + 1, { encoding: p.host.encoding }));
  const seq = b.allocReg();
  const one = b.allocReg();
  b.add(Op.Integer, 0, seq);
  b.add(Op.Integer, 1, one);
  const w = whereBeginPlan(p, plan);
  const regs = b.allocReg(nKey + 1);
  b.add(Op.Add, one, seq, seq);
  b.add(Op.SCopy, seq, regs);
  if (t.withoutRowid) pk!.columns.forEach((c, j) => codeColumn(p, item, c, regs + 1 + j));
  else b.add(Op.Rowid, item.cursor, regs + 1);
  const rec = b.allocReg();
  b.add(Op.MakeRecord, regs, nKey + 1, rec);
  b.add(Op.IdxInsert, eph, rec);
  whereEndPlan(p, w);
  return eph;
}

/**
 * Pass one: rowids of the rows matching WHERE into a RowSet register. With ORDER BY /
 * LIMIT / OFFSET (SQLITE_ENABLE_UPDATE_DELETE_LIMIT; SQLite rewrites the statement to
 * `rowid IN (SELECT rowid ... ORDER BY ... LIMIT ...)`), the chosen rowids go through an
 * ephemeral index on the ORDER BY keys + rowid, then through one on the rowid, so the
 * second pass visits them in rowid order as SQLite's IN lookup does (invariant 3).
 */
function collectRowids(p: Parse, item: SrcItem, stmt: UpdateStmt | DeleteStmt, onePass: ReadonlySet<number> | null): Collected {
  if (onePass !== null) {
    const eph = collectInScanOrder(p, item, stmt, onePass);
    if (eph !== null) return { set: eph, fifo: true };
  }
  return { set: collectRowidSet(p, item, stmt), fifo: false };
}

/** Where pass one left the keys: a RowSet register, an ephemeral index (WITHOUT ROWID, by
 *  PK) or, `fifo`, an ephemeral index in scan order (collectInScanOrder). */
interface Collected {
  readonly set: number;
  readonly fifo: boolean;
}

function collectRowidSet(p: Parse, item: SrcItem, stmt: UpdateStmt | DeleteStmt): number {
  const b = p.b;
  const set = b.allocReg();
  if (stmt.orderBy === null && stmt.limit === null) {
    const w = whereBegin(p, item, stmt.where, true);
    const r = b.allocReg();
    b.add(Op.Rowid, item.cursor, r);
    b.add(Op.RowSetAdd, set, r);
    whereEnd(p, w);
    return set;
  }
  if (stmt.limit === null) throw p.error(`ORDER BY without LIMIT on ${stmt.kind === "update" ? "UPDATE" : "DELETE"}`);
  const scope = [item];
  const terms = (stmt.orderBy ?? []).map((t, i) => {
    if (t.expr.kind === "literal" && t.expr.type === "integer") {
      if (t.expr.value !== "1") throw p.error(`${ordinal(i + 1)} ORDER BY term out of range - should be between 1 and 1`);
      return { ...t, expr: null };
    }
    return t;
  });
  const done = b.newLabel();
  const rowids = b.allocCursor();
  b.add(Op.OpenEphemeral, rowids, 1, 0, makeKeyInfo(1, { encoding: p.host.encoding }));
  const [lim, off] = codeLimit(p, stmt.limit, done);
  const r = b.allocReg();
  const rec = b.allocReg();
  /** Keeps the row whose rowid is in r (OFFSET, then LIMIT). */
  const keep = (): void => {
    const skip = b.newLabel();
    if (off) b.add(Op.IfPos, off, skip, 1);
    b.add(Op.MakeRecord, r, 1, rec);
    b.add(Op.IdxInsert, rowids, rec);
    if (lim) b.add(Op.DecrJumpZero, lim, done);
    b.resolve(skip);
  };
  const nKey = terms.length;
  if (nKey === 0) {
    const w = whereBegin(p, item, stmt.where, true);
    b.add(Op.Rowid, item.cursor, r);
    keep();
    whereEnd(p, w);
  } else {
    const ord = b.allocCursor();
    b.add(Op.OpenEphemeral, ord, nKey + 1, 0, makeKeyInfo(nKey + 1, {
      collations: [...terms.map((t) => (t.expr === null ? BINARY : exprCollation(p, t.expr, scope))), BINARY],
      sortFlags: [...terms.map((t) => (t.direction === "DESC" ? SORT_DESC : 0) | (t.nulls !== null && (t.nulls === "LAST") !== (t.direction === "DESC") ? 2 : 0)), 0],
      encoding: p.host.encoding,
    }));
    const w = whereBegin(p, item, stmt.where, true);
    const k = b.allocReg(nKey + 1);
    terms.forEach((t, i) => {
      if (t.expr === null) b.add(Op.Rowid, item.cursor, k + i);
      else codeExpr(p, t.expr, scope, k + i);
    });
    b.add(Op.Rowid, item.cursor, k + nKey);
    const krec = b.allocReg();
    b.add(Op.MakeRecord, k, nKey + 1, krec);
    b.add(Op.IdxInsert, ord, krec);
    whereEnd(p, w);
    b.add(Op.Rewind, ord, done);
    const top = b.addr;
    b.add(Op.Column, ord, nKey, r);
    keep();
    b.add(Op.Next, ord, top);
  }
  b.resolve(done);
  const fin = b.newLabel();
  b.add(Op.Rewind, rowids, fin);
  const top = b.addr;
  b.add(Op.Column, rowids, 0, r);
  b.add(Op.RowSetAdd, set, r);
  b.add(Op.Next, rowids, top);
  b.resolve(fin);
  return set;
}

/**
 * Pass one for a WITHOUT ROWID table (invariant 5): the PK values of the matching rows
 * into an ephemeral index ordered as the PK (SQLite's ephemeral PK table, visited in PK
 * order: which row a REPLACE keeps depends on it); returns its cursor.
 */
function collectPks(p: Parse, item: SrcItem, stmt: UpdateStmt | DeleteStmt, onePass: ReadonlySet<number> | null): Collected {
  if (onePass !== null && stmt.orderBy === null && stmt.limit === null) {
    const eph = collectInScanOrder(p, item, stmt, onePass);
    if (eph !== null) return { set: eph, fifo: true };
  }
  return { set: collectPkSet(p, item, stmt), fifo: false };
}

function collectPkSet(p: Parse, item: SrcItem, stmt: UpdateStmt | DeleteStmt): number {
  const b = p.b;
  const pk = item.table.pkIndex!;
  if (stmt.orderBy !== null || stmt.limit !== null) {
    throw p.error(`${stmt.kind === "update" ? "UPDATE" : "DELETE"} ... ORDER BY/LIMIT of a WITHOUT ROWID table is not supported yet`);
  }
  const n = pk.columns.length;
  const eph = b.allocCursor();
  b.add(Op.OpenEphemeral, eph, n, 0, makeKeyInfo(n, { collations: pk.collations, sortFlags: pk.desc.map((d) => (d ? SORT_DESC : 0)), encoding: p.host.encoding }));
  const w = whereBegin(p, item, stmt.where, true);
  const regs = b.allocReg(n);
  pk.columns.forEach((c, j) => codeColumn(p, item, c, regs + j));
  const rec = b.allocReg();
  b.add(Op.MakeRecord, regs, n, rec);
  b.add(Op.IdxInsert, eph, rec);
  whereEnd(p, w);
  return eph;
}

/**
 * The head of pass two: the next row to visit, by rowid (RowSet) or, WITHOUT ROWID, by
 * the PK values read from the ephemeral index into `key` (missing rows go to `next`).
 */
function visitHead(p: Parse, item: SrcItem, keys: Collected, regRowid: number, key: number, next: number, done: number): number {
  const b = p.b;
  const t = item.table;
  const set = keys.set;
  if (!t.withoutRowid && !keys.fifo) {
    const top = b.addr;
    b.add(Op.RowSetRead, set, done, regRowid);
    b.add(Op.NotExists, item.cursor, next, regRowid);
    return top;
  }
  b.add(Op.Rewind, set, done);
  const top = b.addr;
  const first = keys.fifo ? 1 : 0; // after the sequence number
  if (!t.withoutRowid) {
    b.add(Op.Column, set, first, regRowid);
    b.add(Op.NotExists, item.cursor, next, regRowid);
    return top;
  }
  for (let j = 0; j < t.pkIndex!.columns.length; j++) b.add(Op.Column, set, first + j, key + j);
  b.add(Op.Null, 0, regRowid);
  seekPk(p, t, item.cursor, key, next);
  return top;
}

/** The foot of pass two (the `next` label is resolved by the caller just before). */
function visitNext(p: Parse, t: Table, keys: Collected, top: number): void {
  if (t.withoutRowid || keys.fifo) p.b.add(Op.Next, keys.set, top);
  else p.b.add(Op.Goto, 0, top);
}

export function compileUpdate(p: Parse, stmt: UpdateStmt): void {
  const b = p.b;
  if (stmt.with !== null) throw p.error("UPDATE with WITH is not supported yet");
  const t = target(p, stmt.table.name, stmt.table.schema);
  if (t === null) return compileViewUpdateDelete(p, stmt);
  const nCol = t.columns.length;
  // Resolve SET targets; `(a, b) = (x, y)` assigns element-wise, `(a, b) = (SELECT ...)`
  // from one row of the subquery (invariant 4). The last assignment of a column wins.
  const setExpr = new Map<number, SetValue>();
  const rowSubs: { select: SelectStmt; n: number; first: number }[] = [];
  const column = (name: string): number => {
    const k = lower(name);
    const i = t.columns.findIndex((c) => lower(c.name) === k);
    if (i >= 0 && t.columns[i].generated != null) throw p.error(`cannot UPDATE generated column "${t.columns[i].name}"`);
    if (i >= 0) return i;
    if ((k === "rowid" || k === "oid" || k === "_rowid_") && !t.withoutRowid) return t.iPKey >= 0 ? t.iPKey : -1;
    throw p.error(`no such column: ${name}`);
  };
  for (const s of stmt.set) {
    if (s.columns.length === 1) {
      setExpr.set(column(s.columns[0]), s.expr);
      continue;
    }
    const n = s.columns.length;
    let got = 1;
    if (s.expr.kind === "vector") got = s.expr.items.length;
    else if (s.expr.kind === "subquery") got = describeSelect(p, s.expr.select, [{ table: t, cursor: 0, alias: stmt.table.alias }]).length;
    if (got !== n) throw p.error(`${n} columns assigned ${got} values`);
    if (s.expr.kind === "vector") {
      const items = s.expr.items;
      s.columns.forEach((c, i) => setExpr.set(column(c), items[i]));
    } else {
      const sub = { select: (s.expr as { select: SelectStmt }).select, n, first: 0 };
      rowSubs.push(sub);
      s.columns.forEach((c, i) => setExpr.set(column(c), { sub, i }));
    }
  }
  p.write = true;
  p.b.multiWrite = true; // several rows may change (SQLite: unless one-pass on a single row)
  const init = b.add(Op.Init, 0, 0);
  p.constPool = { shared: new Map(), inits: [] }; // literals load in the prologue (finishProgram)
  const end = b.newLabel();
  const item: SrcItem = { table: t, cursor: b.allocCursor(), alias: stmt.table.alias };
  const scope = [item];
  const from = stmt.from === null ? null : updateFrom(p, item, stmt, setExpr, rowSubs);
  const wr = t.withoutRowid;
  if (wr && from !== null) throw p.error("UPDATE ... FROM of a WITHOUT ROWID table is not supported yet");
  const trg = rowTriggers(p, t.name, "UPDATE", stmt.set.flatMap((s) => s.columns), dbOfTable(p, t));
  const rowidExpr = t.iPKey >= 0 ? setExpr.get(t.iPKey) : setExpr.get(-1);
  const rowidChanged = rowidExpr !== undefined;
  const changed = new Set<number>(setExpr.keys());
  if (rowidChanged) changed.add(-1);
  t.columns.forEach((c, i) => { if (c.generated != null) changed.add(i); });
  // Only the indexes whose key (or partial-index WHERE) may change are touched; every
  // index of a WITHOUT ROWID table whose PK may change (its entries end with the PK).
  const pkChanged = wr && indexTouches(p, t, t.pkIndex!, changed);
  const touched = new Set<number>();
  t.indexes.forEach((ix, k) => {
    if (rowidChanged || pkChanged || indexTouches(p, t, ix, changed) || (ix.where !== null && mentions(p, t, ix.where, changed))) touched.add(k);
  });
  const multi = from === null && stmt.orderBy === null && stmt.limit === null &&
    onePassMultiRow(p, t, stmt, trg !== null, rowidChanged || pkChanged, changed, touched);
  const oneMulti = multi && orderObservable(t, changed, touched);
  const inLoop = multi && !wr && touched.size === 0 && stmt.returning === null && rowSubs.length === 0 &&
    !hasGenerated(t) && !stmt.set.some((s) => hasSubquery(s.expr, true));
  const keys = from === null && !inLoop ? (wr ? collectPks(p, item, stmt, oneMulti ? touched : null) : collectRowids(p, item, stmt, oneMulti ? touched : null)) : null;
  // One pass in the loop writes no index (touched is empty there): only the table is opened.
  const cur = openWriteCursors(p, t, item.cursor, inLoop ? touched : null);
  // In the loop, nothing reads the old row but its unchanged columns: they are read
  // straight into the new row, and affinity goes with MakeRecord when no CHECK or STRICT
  // type test comes between (SQLite's update.c shape). Not with any foreign key on or to
  // the table: fkCheck reads the old row's registers (a self-reference is checked even
  // when its columns do not change).
  const direct = inLoop && !fkRequired(p, t, null, false);
  const affInRecord = direct && t.checks.length === 0 && t.strict !== true;
  const ret = stmt.returning !== null ? new Returning(p, t, stmt.returning, item.cursor) : null;
  const oldRowid = b.allocReg();
  const oldData = direct ? 0 : b.allocReg(nCol);
  // In the loop with the rowid unchanged, the old rowid's register is the new one's.
  const newRowid = direct && rowidExpr === undefined ? oldRowid : b.allocReg();
  const newData = b.allocReg(nCol);
  const rec = b.allocReg();
  const next = b.newLabel();
  const loopEnd = b.newLabel();
  const oldKey = wr ? b.allocReg(t.pkIndex!.columns.length) : 0;
  let top = 0;
  let loop: ReturnType<typeof whereBegin> | null = null;
  if (inLoop) {
    loop = whereBegin(p, item, stmt.where, true);
    b.add(Op.Rowid, item.cursor, oldRowid);
  } else if (from === null) {
    top = visitHead(p, item, keys!, oldRowid, oldKey, next, loopEnd);
  } else {
    // Invariant 5: the first entry for each rowid is the last joined row.
    const prev = b.allocReg();
    b.add(Op.Null, 0, prev);
    b.add(Op.Rewind, from.cursor, loopEnd);
    top = b.addr;
    b.add(Op.Column, from.cursor, 0, oldRowid);
    b.add(Op.Eq, oldRowid, next, prev, null, 0);
    b.add(Op.Copy, oldRowid, prev);
    b.add(Op.NotExists, item.cursor, next, oldRowid);
  }
  if (!direct) {
    for (let i = 0; i < nCol; i++) {
      if (i === t.iPKey) b.add(Op.Null, 0, oldData + i);
      else codeColumn(p, item, i, oldData + i);
    }
  }
  if (from === null) {
    for (const sub of rowSubs) {
      sub.first = b.allocReg(sub.n);
      codeSubqueryRow(p, sub.select, scope, sub.first, sub.n);
    }
  }
  const codeSet = (e: SetValue, reg: number): void => {
    const slot = from === null ? undefined : from.slots.get(e);
    if (slot !== undefined) b.add(Op.Column, from!.cursor, slot, reg);
    else if ("sub" in e) b.add(Op.SCopy, e.sub.first + e.i, reg);
    else codeExpr(p, e, scope, reg);
  };
  for (let i = 0; i < nCol; i++) {
    const e = setExpr.get(i);
    if (i === t.iPKey) b.add(Op.Null, 0, newData + i);
    else if (e !== undefined) codeSet(e, newData + i);
    else if (direct) codeColumn(p, item, i, newData + i);
    else b.add(Op.SCopy, oldData + i, newData + i);
  }
  if (rowidExpr !== undefined) {
    codeSet(rowidExpr, newRowid);
    b.add(Op.MustBeInt, newRowid, 0); // NULL too: "datatype mismatch" (SQLite's update.c)
  } else if (newRowid !== oldRowid) b.add(Op.SCopy, oldRowid, newRowid);
  if (hasGenerated(t)) generatedForUpdate(p, t, newRowid, trg !== null && trg.before.length > 0);
  if (!affInRecord) b.add(Op.Affinity, newData, nCol, 0, affinityString(t));
  let curData = oldData; // the stored row, whose index entries are replaced
  let mkRecord = -1;
  if (trg !== null && trg.before.length > 0) {
    fireTriggers(p, trg.before, t, oldRowid, newRowid, stmt.or, next);
    curData = b.allocReg(nCol);
    reloadRow(p, item, wr ? oldKey : oldRowid, curData, next, null);
    for (let i = 0; i < nCol; i++) if (!setExpr.has(i) && i !== t.iPKey) b.add(Op.SCopy, curData + i, newData + i);
    if (hasGenerated(t)) computeGenerated(p, t, newRowid);
  }
  constraintChecks(p, {
    t, cur, regRowid: newRowid, regData: newData, override: stmt.or, ignore: next, oldRowid, rowidChanged, changed, upsert: null,
    oldData: wr ? oldData : undefined,
  });
  if (fkRequired(p, t, changed, rowidChanged)) fkParentKeys(p, t);
  const oldRow = { rowid: oldRowid, data: oldData };
  const newRow = { rowid: newRowid, data: newData };
  fkCheck(p, t, oldRow, null, changed, rowidChanged);
  deleteIndexEntries(p, t, cur, oldRowid, curData, touched);
  insertIndexEntries(p, t, cur, newRowid, newData, touched);
  if (wr) {
    // The old row goes (found again by its PK: the checks moved the cursor), the new one is written.
    const gone = b.newLabel();
    seekPk(p, t, item.cursor, oldKey, gone);
    b.add(Op.Delete, item.cursor, 0, 0, t.name, 0);
    b.resolve(gone);
  } else {
    const [recFirst, recN] = recordRegs(p, t, newData);
    mkRecord = b.add(Op.MakeRecord, recFirst, recN, rec, affInRecord ? affinityString(t) : null);
  }
  if (rowidChanged) {
    const same = b.newLabel();
    b.add(Op.Eq, newRowid, same, oldRowid, null, 0);
    b.add(Op.NotExists, item.cursor, same, oldRowid);
    b.add(Op.Delete, item.cursor, 0, 0, t.name, 0);
    b.resolve(same);
  }
  fkCheck(p, t, null, newRow, changed, rowidChanged);
  if (wr) insertRow(p, t, item.cursor, newData, OPFLAG_NCHANGE);
  else {
    // Right after its MakeRecord, the record can live in the VM's shared buffer (the
    // B-tree copies it): no copy per row. With code between (a rowid change, FK checks)
    // another record could be built there first.
    if (mkRecord === b.addr - 1) b.changeP5(mkRecord, OPFLAG_EPHEMREC);
    b.add(Op.Insert, item.cursor, rec, newRowid, t.name, OPFLAG_NCHANGE);
  }
  fkActions(p, t, oldRow, newRow, changed, rowidChanged);
  if (trg !== null) fireTriggers(p, trg.after, t, oldRowid, newRowid, stmt.or, next);
  if (ret !== null) ret.collect(newRowid, newData);
  b.resolve(next);
  if (loop !== null) whereEnd(p, loop);
  else if (from === null) visitNext(p, t, keys!, top);
  else b.add(Op.Next, from.cursor, top);
  b.resolve(loopEnd);
  if (ret !== null) ret.emit(end);
  finishProgram(p, init, end, true);
}

/**
 * UPDATE ... FROM, pass one (invariant 5): the joined rows' target rowid, sequence number
 * and SET values into an ephemeral index; returns its cursor and, per SET value, its field.
 */
function updateFrom(
  p: Parse, item: SrcItem, stmt: UpdateStmt, setExpr: Map<number, SetValue>, rowSubs: { select: SelectStmt; n: number; first: number }[],
): { cursor: number; slots: Map<SetValue, number> } {
  const b = p.b;
  if (stmt.orderBy !== null || stmt.limit !== null) throw p.error("UPDATE ... FROM with ORDER BY or LIMIT is not supported yet");
  const items = buildFrom(p, stmt.from, fromItem);
  // A FROM item named like an unaliased target (SQLite 3.53 accepts aliases on either side).
  const name = stmt.table.name;
  if (stmt.table.alias === null) {
    for (const it of items) {
      if (it.alias === null && lower(it.table.name) === lower(name)) throw p.error(`target object/alias may not appear in FROM clause: ${name}`);
    }
  }
  const scope: SrcItem[] = [item, ...items];
  const values = [...new Set(setExpr.values())];
  const slots = new Map<SetValue, number>();
  values.forEach((v, i) => slots.set(v, 2 + i));
  const nf = 2 + values.length;
  const cursor = b.allocCursor();
  b.add(Op.OpenEphemeral, cursor, nf, 0, makeKeyInfo(nf, { encoding: p.host.encoding }));
  const seq = b.allocReg();
  const minusOne = b.allocReg();
  b.add(Op.Integer, 0, seq);
  b.add(Op.Integer, -1, minusOne);
  const uses = values.filter((v): v is Expr => !("sub" in v));
  const w = whereBeginPlan(p, wherePlan(p, scope, stmt.where, { write: true, uses }));
  const r = b.allocReg(nf);
  b.add(Op.Rowid, item.cursor, r);
  b.add(Op.Add, minusOne, seq, seq);
  b.add(Op.SCopy, seq, r + 1);
  for (const sub of rowSubs) {
    sub.first = b.allocReg(sub.n);
    codeSubqueryRow(p, sub.select, scope, sub.first, sub.n);
  }
  values.forEach((v, i) => {
    if ("sub" in v) b.add(Op.SCopy, v.sub.first + v.i, r + 2 + i);
    else codeExpr(p, v, scope, r + 2 + i);
  });
  const rec = b.allocReg();
  b.add(Op.MakeRecord, r, nf, rec);
  b.add(Op.IdxInsert, cursor, rec);
  whereEndPlan(p, w);
  return { cursor, slots };
}

export function compileDelete(p: Parse, stmt: DeleteStmt): void {
  const b = p.b;
  if (stmt.with !== null) throw p.error("DELETE with WITH is not supported yet");
  const t = target(p, stmt.table.name, stmt.table.schema);
  if (t === null) return compileViewUpdateDelete(p, stmt);
  const nCol = t.columns.length;
  p.write = true;
  p.b.multiWrite = true; // several rows may change (SQLite: unless one-pass on a single row)
  const init = b.add(Op.Init, 0, 0);
  p.constPool = { shared: new Map(), inits: [] }; // literals load in the prologue (finishProgram)
  const end = b.newLabel();
  const item: SrcItem = { table: t, cursor: b.allocCursor(), alias: stmt.table.alias };
  const trg = rowTriggers(p, t.name, "DELETE", null, dbOfTable(p, t));
  const fk = fkRequired(p, t, null, false);
  if (stmt.where === null && stmt.orderBy === null && stmt.limit === null && stmt.returning === null && trg === null && !fk) {
    // SQLite's truncate optimization (delete.c): no WHERE, no triggers, no RETURNING, no
    // foreign key work: clear the table's B-tree and its indexes' at once; changes() still
    // counts the rows (Clear P3).
    const iDb = dbOfTable(p, t);
    b.add(Op.Clear, t.root, iDb, 1);
    for (const ix of t.indexes) b.add(Op.Clear, ix.root, iDb, 0);
    finishProgram(p, init, end, true);
    return;
  }
  const wr = t.withoutRowid;
  const keys = wr ? collectPks(p, item, stmt, null) : collectRowids(p, item, stmt, null);
  const cur = openWriteCursors(p, t, item.cursor);
  const ret = stmt.returning !== null ? new Returning(p, t, stmt.returning, item.cursor) : null;
  if (fk) fkParentKeys(p, t);
  const rowid = b.allocReg();
  const data = b.allocReg(nCol);
  const loopEnd = b.newLabel();
  const nextRow = b.newLabel();
  const key = wr ? b.allocReg(t.pkIndex!.columns.length) : 0;
  const top = visitHead(p, item, keys, rowid, key, nextRow, ret !== null ? loopEnd : end);
  if (t.indexes.length > 0 || ret !== null || trg !== null || fk) {
    for (let i = 0; i < nCol; i++) {
      if (i === t.iPKey) b.add(Op.Null, 0, data + i);
      else codeColumn(p, item, i, data + i);
    }
    let curData = data;
    if (trg !== null && trg.before.length > 0) {
      fireTriggers(p, trg.before, t, rowid, 0, null, nextRow);
      curData = t.indexes.length > 0 ? b.allocReg(nCol) : data;
      reloadRow(p, item, wr ? key : rowid, curData, nextRow, t.indexes.length > 0 ? null : new Set(t.columns.keys()));
    }
    if (ret !== null) ret.collect(rowid, data);
    if (fk) fkCheck(p, t, { rowid, data }, null, null, false);
    deleteIndexEntries(p, t, cur, rowid, curData);
  }
  b.add(Op.Delete, item.cursor, 0, 0, t.name, OPFLAG_NCHANGE);
  if (fk) fkActions(p, t, { rowid, data }, null, null, false);
  if (trg !== null) fireTriggers(p, trg.after, t, rowid, 0, null, nextRow);
  b.resolve(nextRow);
  visitNext(p, t, keys, top);
  b.resolve(loopEnd);
  if (ret !== null) ret.emit(end);
  finishProgram(p, init, end, true);
}
