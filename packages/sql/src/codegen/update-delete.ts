/*
 * codegen/update-delete.ts: UPDATE and DELETE over one table (SQLite's update.c,
 * delete.c; https://sqlite.org/lang_update.html, lang_delete.html).
 *
 * Both run in two passes: the WHERE loop (where.ts) collects the rowids of the matching
 * rows into a RowSet, then a second loop visits each rowid (NotExists), so changing
 * rows, keys or indexes never disturbs the scan that found them (SQLite's non-one-pass
 * strategy; the one-pass optimisation is left for the planner's owner).
 *
 * Invariants:
 *  1. UPDATE evaluates every SET expression against the old row, applies column
 *     affinity, checks constraints (a row's own entries are not conflicts), deletes the
 *     old index entries, inserts the new ones, then writes the row (moving it when the
 *     rowid changed).
 *  2. DELETE removes the index entries of the row, then the row; changes() counts rows.
 */
import type { DeleteStmt, Expr, UpdateStmt } from "../parser/ast.js";
import { lower, type Table } from "../schema/schema.js";
import { Op, OPFLAG_NCHANGE } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import { constraintChecks } from "./conflict.js";
import { affinityString, deleteIndexEntries, insertIndexEntries, openWriteCursors } from "./dml-common.js";
import { codeColumn, codeExpr, resolveColumn, walkExpr } from "./expr.js";
import { Returning } from "./returning.js";
import { finishProgram } from "./select.js";
import { whereBegin, whereEnd } from "./where.js";

function mentions(p: Parse, t: Table, e: Expr, cols: ReadonlySet<number>): boolean {
  let hit = false;
  walkExpr(e, (x) => {
    if (x.kind === "column" && cols.has(resolveColumn(p, x, [{ table: t, cursor: 0, alias: null }]).col)) hit = true;
    return true;
  });
  return hit;
}

function target(p: Parse, name: string, schema: string | null): Table {
  const t = p.host.schema.table(name);
  if (t === null) throw p.error(`no such table: ${schema ? schema + "." : ""}${name}`);
  return t;
}

/** Pass one: rowids of the rows matching WHERE into a RowSet register. */
function collectRowids(p: Parse, item: SrcItem, stmt: UpdateStmt | DeleteStmt): number {
  const b = p.b;
  const set = b.allocReg();
  const w = whereBegin(p, item, stmt.where, true);
  const r = b.allocReg();
  b.add(Op.Rowid, item.cursor, r);
  b.add(Op.RowSetAdd, set, r);
  if (stmt.limit !== null) throw p.error("UPDATE/DELETE ... LIMIT is not supported yet");
  whereEnd(p, w);
  return set;
}

export function compileUpdate(p: Parse, stmt: UpdateStmt): void {
  const b = p.b;
  if (stmt.with !== null || stmt.from !== null) throw p.error("UPDATE with WITH/FROM is not supported yet");
  const t = target(p, stmt.table.name, stmt.table.schema);
  const nCol = t.columns.length;
  // Resolve SET targets.
  const setExpr = new Map<number, (typeof stmt.set)[number]["expr"]>();
  for (const s of stmt.set) {
    if (s.columns.length !== 1) throw p.error("row values in SET are not supported yet");
    const k = lower(s.columns[0]);
    let i = t.columns.findIndex((c) => lower(c.name) === k);
    if (i < 0) {
      if (k === "rowid" || k === "oid" || k === "_rowid_") i = t.iPKey >= 0 ? t.iPKey : -1;
      else throw p.error(`no such column: ${s.columns[0]}`);
    }
    setExpr.set(i, s.expr);
  }
  p.write = true;
  p.b.multiWrite = true; // several rows may change (SQLite: unless one-pass on a single row)
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const item: SrcItem = { table: t, cursor: b.allocCursor(), alias: stmt.table.alias };
  const scope = [item];
  const set = collectRowids(p, item, stmt);
  const cur = openWriteCursors(p, t, item.cursor);
  const ret = stmt.returning !== null ? new Returning(p, t, stmt.returning, item.cursor) : null;
  const oldRowid = b.allocReg();
  const oldData = b.allocReg(nCol);
  const newRowid = b.allocReg();
  const newData = b.allocReg(nCol);
  const rec = b.allocReg();
  const top = b.addr;
  const next = b.newLabel();
  const loopEnd = b.newLabel();
  b.add(Op.RowSetRead, set, loopEnd, oldRowid);
  b.add(Op.NotExists, item.cursor, next, oldRowid);
  for (let i = 0; i < nCol; i++) {
    if (i === t.iPKey) b.add(Op.Null, 0, oldData + i);
    else codeColumn(p, item, i, oldData + i);
  }
  for (let i = 0; i < nCol; i++) {
    const e = setExpr.get(i);
    if (i === t.iPKey) b.add(Op.Null, 0, newData + i);
    else if (e !== undefined) codeExpr(p, e, scope, newData + i);
    else b.add(Op.SCopy, oldData + i, newData + i);
  }
  const rowidExpr = setExpr.get(t.iPKey >= 0 ? t.iPKey : -1) ?? (t.iPKey >= 0 ? undefined : setExpr.get(-1));
  const rowidChanged = rowidExpr !== undefined;
  if (rowidExpr !== undefined) {
    codeExpr(p, rowidExpr, scope, newRowid);
    const nn = b.add(Op.NotNull, newRowid, 0);
    b.add(Op.NewRowid, item.cursor, newRowid);
    b.jumpHere(nn);
    b.add(Op.MustBeInt, newRowid, 0);
  } else b.add(Op.SCopy, oldRowid, newRowid);
  b.add(Op.Affinity, newData, nCol, 0, affinityString(t));
  const changed = new Set<number>(setExpr.keys());
  if (rowidChanged) changed.add(-1);
  // Only the indexes whose key (or partial-index WHERE) may change are touched.
  const touched = new Set<number>();
  t.indexes.forEach((ix, k) => {
    if (rowidChanged || ix.columns.some((c) => changed.has(c)) || (ix.where !== null && mentions(p, t, ix.where, changed))) touched.add(k);
  });
  constraintChecks(p, {
    t, cur, regRowid: newRowid, regData: newData, override: stmt.or, ignore: next, oldRowid, rowidChanged, changed, upsert: null,
  });
  deleteIndexEntries(p, t, cur, oldRowid, oldData, touched);
  insertIndexEntries(p, t, cur, newRowid, newData, touched);
  b.add(Op.MakeRecord, newData, nCol, rec);
  if (rowidChanged) {
    const same = b.newLabel();
    b.add(Op.Eq, newRowid, same, oldRowid, null, 0);
    b.add(Op.NotExists, item.cursor, same, oldRowid);
    b.add(Op.Delete, item.cursor, 0, 0, t.name, 0);
    b.resolve(same);
  }
  b.add(Op.Insert, item.cursor, rec, newRowid, t.name, OPFLAG_NCHANGE);
  if (ret !== null) ret.collect(newRowid, newData);
  b.resolve(next);
  b.add(Op.Goto, 0, top);
  b.resolve(loopEnd);
  if (ret !== null) ret.emit(end);
  finishProgram(p, init, end, true);
}

export function compileDelete(p: Parse, stmt: DeleteStmt): void {
  const b = p.b;
  if (stmt.with !== null) throw p.error("DELETE with WITH is not supported yet");
  const t = target(p, stmt.table.name, stmt.table.schema);
  const nCol = t.columns.length;
  p.write = true;
  p.b.multiWrite = true; // several rows may change (SQLite: unless one-pass on a single row)
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const item: SrcItem = { table: t, cursor: b.allocCursor(), alias: stmt.table.alias };
  const set = collectRowids(p, item, stmt);
  const cur = openWriteCursors(p, t, item.cursor);
  const ret = stmt.returning !== null ? new Returning(p, t, stmt.returning, item.cursor) : null;
  const rowid = b.allocReg();
  const data = b.allocReg(nCol);
  const top = b.addr;
  const loopEnd = b.newLabel();
  b.add(Op.RowSetRead, set, ret !== null ? loopEnd : end, rowid);
  b.add(Op.NotExists, item.cursor, top, rowid);
  if (t.indexes.length > 0 || ret !== null) {
    for (let i = 0; i < nCol; i++) {
      if (i === t.iPKey) b.add(Op.Null, 0, data + i);
      else codeColumn(p, item, i, data + i);
    }
    if (ret !== null) ret.collect(rowid, data);
    deleteIndexEntries(p, t, cur, rowid, data);
  }
  b.add(Op.Delete, item.cursor, 0, 0, t.name, OPFLAG_NCHANGE);
  b.add(Op.Goto, 0, top);
  b.resolve(loopEnd);
  if (ret !== null) ret.emit(end);
  finishProgram(p, init, end, true);
}
