/*
 * codegen/upsert.ts: INSERT ... ON CONFLICT (target) [WHERE] DO NOTHING | DO UPDATE SET
 * ... [WHERE ...] (SQLite's upsert.c; https://sqlite.org/lang_upsert.html).
 *
 * prepareUpsert resolves each clause's conflict target to the rowid or a UNIQUE index and
 * returns the hook conflict.ts calls when that constraint finds an existing row: DO
 * NOTHING skips the new row; DO UPDATE updates the existing row in place (as UPDATE
 * would, with ABORT for its own constraint checks) and then skips the new row.
 *
 * Invariants:
 *  1. A target names the columns of the rowid alias or of exactly one UNIQUE index (in
 *     any order, collations matching when given; a partial index needs the target's
 *     WHERE to be the index's WHERE); else "ON CONFLICT clause does not match any PRIMARY
 *     KEY or UNIQUE constraint". Only the last clause may omit the target.
 *  2. In DO UPDATE, unqualified (or table-qualified) names read the existing row,
 *     `excluded.x` reads the row that was to be inserted; the DO UPDATE WHERE false or
 *     NULL leaves the existing row alone and skips the new one.
 *  3. The updated row counts in changes(); last_insert_rowid() is not changed by it.
 *  4. DO UPDATE is an UPDATE with ABORT: it fires the table's UPDATE triggers (BEFORE, then
 *     the row is sought again and its unassigned columns reloaded; AFTER) and does the
 *     foreign key work of an UPDATE (fkey.ts). Row values assign element-wise:
 *     `(a, b) = (x, y)` or `(a, b) = (SELECT ...)` ("N columns assigned M values").
 */
import { computeGenerated, generatedForUpdate, hasGenerated, recordRegs } from "./generated.js";
import { sameIndexExpr } from "./index-expr.js";
import { tableColumn } from "./column-default.js";
import { insertRow, pkKey, seekPk } from "./without-rowid.js";
import type { Expr, InsertStmt } from "../parser/ast.js";
import { lower, type Table } from "../schema/schema.js";
import { Op, OPFLAG_NCHANGE } from "../vdbe/opcodes.js";
import { constraintChecks, type UpsertHook } from "./conflict.js";
import type { Parse, SrcItem } from "./context.js";
import { affinityString, deleteIndexEntries, insertIndexEntries, type WriteCursors } from "./dml-common.js";
import { codeExpr, ifFalse, resolveColumn, walkExpr } from "./expr.js";
import { fkActions, fkCheck, fkParentKeys, fkRequired } from "./fkey.js";
import { codeSubqueryRow, describeSelect } from "./subquery.js";
import { fireTriggers, reloadRow, rowTriggers } from "./trigger.js";
import type { SelectStmt } from "../parser/ast.js";

/** Called after the upsert's UPDATE wrote the row (RETURNING collects it). */
export type AfterUpdate = (regRowid: number, regData: number) => void;

function noMatch(p: Parse): Error {
  return p.error("ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint");
}

function resolveTarget(p: Parse, t: Table, cols: readonly { expr: Expr }[], where: Expr | null): number {
  const want: { col: number; coll: string | null; expr: Expr | null }[] = [];
  const items = [{ table: t, cursor: 0, alias: null }];
  for (const term of cols) {
    let e = term.expr;
    let coll: string | null = null;
    if (e.kind === "collate") { coll = lower(e.collation); e = e.expr; }
    if (e.kind !== "column") {
      // An expression matches an index on that expression (index-expr.ts).
      want.push({ col: -2, coll, expr: e });
      continue;
    }
    const r = resolveColumn(p, e, items);
    want.push({ col: r.col, coll, expr: null });
  }
  if (want.length === 1 && want[0].col < 0 && t.iPKey >= 0) return -1;
  // A WITHOUT ROWID table's PRIMARY KEY index is target -1 (conflict.ts invariant 4).
  for (let k = t.pkIndex != null ? -1 : 0; k < t.indexes.length; k++) {
    const ix = k < 0 ? t.pkIndex! : t.indexes[k];
    if (!ix.unique || ix.columns.length !== want.length) continue;
    if ((ix.where === null) !== (where === null)) continue;
    // A partial index: the target's WHERE must be the index's (texts compared without whitespace).
    if (ix.where !== null && p.text(where!).replace(/\s+/g, "") !== (ix.sql ?? "").slice(ix.where.start, ix.where.end).replace(/\s+/g, "")) continue;
    const ok = want.every((w) => {
      const i = w.expr === null ? ix.columns.indexOf(w.col)
        : ix.columns.findIndex((c, k) => c === -2 && sameIndexExpr(p, w.expr!, items, 0, ix.exprs![k]!));
      return i >= 0 && (w.coll === null || lower(ix.collations[i].name) === w.coll);
    });
    if (ok) return k;
  }
  throw noMatch(p);
}

export function prepareUpsert(
  p: Parse, stmt: InsertStmt, t: Table, cur: WriteCursors, regRowid: number, regData: number, skip: number,
  after: AfterUpdate | null,
): UpsertHook | null {
  if (stmt.upsert.length === 0) return null;
  const targets: (number | null)[] = stmt.upsert.map((u, i) => {
    if (u.target === null) {
      if (i !== stmt.upsert.length - 1) throw p.error("ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint");
      return null;
    }
    return resolveTarget(p, t, u.target.columns, u.target.where);
  });
  const b = p.b;
  const nCol = t.columns.length;
  return {
    targets,
    code(k: number, regConflict: number): void {
      const u = stmt.upsert[k];
      if (u.set === null) {
        b.add(Op.Goto, 0, skip);
        return;
      }
      // DO UPDATE: load the existing row.
      const oldRowid = b.allocReg();
      const oldData = b.allocReg(nCol);
      const newRowid = b.allocReg();
      const newData = b.allocReg(nCol);
      if (t.withoutRowid) {
        // WITHOUT ROWID: regConflict holds the existing row's PK values.
        b.add(Op.Null, 0, oldRowid);
        seekPk(p, t, cur.table, regConflict, skip);
      } else {
        b.add(Op.SCopy, regConflict, oldRowid);
        b.add(Op.NotExists, cur.table, skip, oldRowid);
      }
      for (let i = 0; i < nCol; i++) {
        if (i === t.iPKey) b.add(Op.Null, 0, oldData + i);
        else tableColumn(p, t, cur.table, i, oldData + i);
      }
      const target: SrcItem = { table: t, cursor: cur.table, alias: stmt.alias };
      const excluded: SrcItem = { table: t, cursor: cur.table, alias: "excluded", qualifiedOnly: true, typeless: true };
      const scope = [target, excluded];
      const exprs: Expr[] = u.set.map((s) => s.expr);
      if (u.where !== null) exprs.push(u.where);
      const mapped: Expr[] = [];
      for (const e of exprs) {
        walkExpr(e, (x) => {
          if (x.kind === "column" && !p.exprRegs.has(x)) {
            const r = resolveColumn(p, x, scope);
            const ex = r.item === excluded;
            p.exprRegs.set(x, r.col < 0 ? (ex ? regRowid : oldRowid) : (ex ? regData : oldData) + r.col);
            mapped.push(x);
          }
          return true;
        });
      }
      const setExpr = new Map<number, SetValue>();
      const column = (name: string): number => {
        const key = lower(name);
        const i = t.columns.findIndex((c) => lower(c.name) === key);
        if (i >= 0 && t.columns[i].generated != null) throw p.error(`cannot UPDATE generated column "${t.columns[i].name}"`);
        if (i >= 0) return i;
        if (key === "rowid" || key === "oid" || key === "_rowid_") return t.iPKey >= 0 ? t.iPKey : -1;
        throw p.error(`no such column: ${name}`);
      };
      const codeSet = (e: SetValue, reg: number): void => {
        if ("sub" in e) b.add(Op.SCopy, e.sub.first + e.i, reg);
        else codeExpr(p, e, scope, reg);
      };
      try {
        if (u.where !== null) ifFalse(p, u.where, scope, skip, true);
        for (const s of u.set) {
          if (s.columns.length === 1) {
            setExpr.set(column(s.columns[0]), s.expr);
            continue;
          }
          const n = s.columns.length;
          const got = s.expr.kind === "vector" ? s.expr.items.length : s.expr.kind === "subquery" ? describeSelect(p, s.expr.select, scope).length : 1;
          if (got !== n) throw p.error(`${n} columns assigned ${got} values`);
          if (s.expr.kind === "vector") {
            const items = s.expr.items;
            s.columns.forEach((c, i) => setExpr.set(column(c), items[i]));
          } else {
            const sub = { first: b.allocReg(n) };
            codeSubqueryRow(p, (s.expr as { select: SelectStmt }).select, scope, sub.first, n);
            s.columns.forEach((c, i) => setExpr.set(column(c), { sub, i }));
          }
        }
        for (let i = 0; i < nCol; i++) {
          const e = setExpr.get(i);
          if (i === t.iPKey) b.add(Op.Null, 0, newData + i);
          else if (e !== undefined) codeSet(e, newData + i);
          else b.add(Op.SCopy, oldData + i, newData + i);
        }
        const rowidExpr = t.iPKey >= 0 ? setExpr.get(t.iPKey) : setExpr.get(-1);
        if (rowidExpr !== undefined) {
          codeSet(rowidExpr, newRowid);
          b.add(Op.MustBeInt, newRowid, 0); // NULL too: "datatype mismatch"
        } else b.add(Op.SCopy, oldRowid, newRowid);
      } finally {
        for (const x of mapped) p.exprRegs.delete(x);
      }
      const rowidChanged = assignsRowid(setExpr, t);
      if (hasGenerated(t)) generatedForUpdate(p, t, newRowid, (rowTriggers(p, t.name, "UPDATE", u.set.flatMap((s) => s.columns))?.before.length ?? 0) > 0);
      b.add(Op.Affinity, newData, nCol, 0, affinityString(t));
      const changed = new Set<number>(setExpr.keys());
      if (rowidChanged) changed.add(-1);
      t.columns.forEach((c, i) => { if (c.generated != null) changed.add(i); });
      // Invariant 4: UPDATE triggers.
      const trg = rowTriggers(p, t.name, "UPDATE", u.set.flatMap((s) => s.columns));
      let curData = oldData;
      if (trg !== null && trg.before.length > 0) {
        fireTriggers(p, trg.before, t, oldRowid, newRowid, "ABORT", skip);
        curData = b.allocReg(nCol);
        reloadRow(p, { table: t, cursor: cur.table, alias: null }, oldRowid, curData, skip, null);
        for (let i = 0; i < nCol; i++) if (!setExpr.has(i) && i !== t.iPKey) b.add(Op.SCopy, curData + i, newData + i);
        if (hasGenerated(t)) computeGenerated(p, t, newRowid);
      }
      constraintChecks(p, {
        t, cur, regRowid: newRowid, regData: newData, override: null, ignore: skip, oldRowid, rowidChanged, changed, upsert: null,
        oldData: t.withoutRowid ? oldData : undefined,
      });
      if (fkRequired(p, t, changed, rowidChanged)) fkParentKeys(p, t);
      const oldRow = { rowid: oldRowid, data: oldData };
      const newRow = { rowid: newRowid, data: newData };
      fkCheck(p, t, oldRow, null, changed, rowidChanged);
      deleteIndexEntries(p, t, cur, oldRowid, curData);
      insertIndexEntries(p, t, cur, newRowid, newData);
      if (t.withoutRowid) {
        const gone = b.newLabel();
        seekPk(p, t, cur.table, pkKey(p, t, oldData), gone);
        b.add(Op.Delete, cur.table, 0, 0, t.name, 0);
        b.resolve(gone);
        insertRow(p, t, cur.table, newData, OPFLAG_NCHANGE);
        if (after !== null) after(newRowid, newData);
        b.add(Op.Goto, 0, skip);
        return;
      }
      const rec = b.allocReg();
      const [recFirst, recN] = recordRegs(p, t, newData);
      b.add(Op.MakeRecord, recFirst, recN, rec);
      if (rowidChanged) {
        const same = b.newLabel();
        b.add(Op.Eq, newRowid, same, oldRowid, null, 0);
        b.add(Op.NotExists, cur.table, same, oldRowid);
        b.add(Op.Delete, cur.table, 0, 0, t.name, 0);
        b.resolve(same);
      }
      fkCheck(p, t, null, newRow, changed, rowidChanged);
      b.add(Op.Insert, cur.table, rec, newRowid, t.name, OPFLAG_NCHANGE);
      fkActions(p, t, oldRow, newRow, changed, rowidChanged);
      if (trg !== null) fireTriggers(p, trg.after, t, oldRowid, newRowid, "ABORT", skip);
      if (after !== null) after(newRowid, newData);
      b.add(Op.Goto, 0, skip);
    },
  };
}

/** A SET value: an expression, or field `i` of a row-value subquery's registers. */
type SetValue = Expr | { readonly sub: { first: number }; readonly i: number };

function assignsRowid(setExpr: Map<number, SetValue>, t: Table): boolean {
  return t.iPKey >= 0 ? setExpr.has(t.iPKey) : setExpr.has(-1);
}
