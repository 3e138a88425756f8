/*
 * codegen/fkey.ts: foreign key enforcement in INSERT, UPDATE, DELETE, REPLACE and DROP
 * TABLE (SQLite's fkey.c; https://sqlite.org/foreignkeys.html). The counters the code
 * moves are vdbe/ops-fkey.ts's; the constraints are schema/fkeys.ts's.
 *
 * The scheme is SQLite's: a row added to a child table whose parent key is missing adds
 * one to a counter (I.1); a child row removed while its parent is missing takes one away
 * (D.1, only when the counter is not zero); a parent row removed adds one per child row
 * that refers to it (D.2); a parent row added takes one away per orphan it adopts (I.2).
 * UPDATE is a removal then an addition, for the constraints whose key columns it assigns.
 * Immediate constraints count in the statement's counter, checked at its end; deferred
 * ones in the connection's, checked at COMMIT.
 *
 * ON DELETE / ON UPDATE actions are trigger programs made up as SQL text and compiled by
 * trigger.ts (fkActionTrigger): CASCADE `DELETE FROM c WHERE old.p = c` or `UPDATE c SET
 * c = new.p ...`, SET NULL / SET DEFAULT `UPDATE c SET c = NULL|default ...`, RESTRICT
 * `SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed') FROM c WHERE ...`; an UPDATE
 * action runs only WHEN NOT (old.p IS new.p AND ...).
 *
 * Invariants:
 *  1. Nothing is coded when PRAGMA foreign_keys is off when the statement is compiled.
 *  2. The parent key is the parent's INTEGER PRIMARY KEY (single column, named or implied)
 *     or the columns of a UNIQUE index without WHERE whose collations are the columns'
 *     defaults (the PRIMARY KEY's when no columns are named); else "foreign key mismatch -
 *     "child" referencing "parent"" when a statement needs it; a missing parent table is
 *     "no such table: main.parent".
 *  3. A child key with a NULL column satisfies the constraint. The child value is looked up
 *     with the parent key's affinity (MustBeInt for an INTEGER PRIMARY KEY); parent rows
 *     are scanned with the parent columns' affinity and collation. A row that refers to
 *     itself satisfies its own constraint.
 *  4. An INSERT of one row outside a trigger (no statement journal) fails at once on an
 *     immediate violation instead of counting it.
 *  5. RESTRICT acts before the statement ends (its error is SQLITE_CONSTRAINT_TRIGGER, as
 *     SQLite's RAISE); with defer_foreign_keys on it acts as NO ACTION.
 *  6. DROP TABLE of a parent (or of a child of a deferred constraint while violations are
 *     outstanding) first deletes every row, firing FK actions but no triggers, then fails if
 *     immediate violations remain.
 */
import type { ColumnRef, Expr } from "../parser/ast.js";
import { FK_MESSAGE, SQLITE_CONSTRAINT_FOREIGNKEY } from "../vdbe/ops-fkey.js";
import { Op } from "../vdbe/opcodes.js";
import type { FKey, FkAction } from "../schema/fkeys.js";
import { indexCheckOrderWithPk, lower, type Index, type Table } from "../schema/schema.js";
import { OE_ABORT } from "./conflict.js";
import type { Parse, SrcItem } from "./context.js";
import { fireInternal, triggersDisabled } from "./trigger.js";
import { whereBegin, whereEnd } from "./where.js";

/** A row in registers: rowid at `rowid`, column i at data + i (the IPK slot NULL). */
export interface RowRegs {
  readonly rowid: number;
  readonly data: number;
}

/** Where a constraint's parent key is (invariant 2). */
interface ParentKey {
  readonly parent: Table;
  /** null: the INTEGER PRIMARY KEY. */
  readonly ix: Index | null;
  /** For each key column (index order): the child column and the parent column (-1: rowid). */
  readonly childCols: readonly number[];
  readonly parentCols: readonly number[];
}

export function fkEnabled(p: Parse): boolean {
  return p.host.foreignKeys === true;
}

function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function mismatch(p: Parse, child: Table, fk: FKey): Error {
  return p.error(`foreign key mismatch - "${child.name}" referencing "${fk.to}"`);
}

/** SQLite's sqlite3FkLocateIndex; null when there is no usable key. */
function locate(parent: Table, fk: FKey): ParentKey | null {
  const n = fk.from.length;
  if (n === 1 && parent.iPKey >= 0) {
    if (fk.toCols === null || lower(fk.toCols[0]) === lower(parent.columns[parent.iPKey].name)) {
      return { parent, ix: null, childCols: [fk.from[0]], parentCols: [-1] };
    }
  }
  for (const k of indexCheckOrderWithPk(parent)) {
    const ix = k < 0 ? parent.pkIndex! : parent.indexes[k]; // -1: a WITHOUT ROWID table's PK (its B-tree is the table)
    if (ix.columns.length !== n || !ix.unique || ix.where !== null) continue;
    if (ix.columns.includes(-2)) continue; // an expression index (SQLite: no foreign keys against them)
    const pcols = ix.columns.map((c) => (c < 0 ? parent.iPKey : c));
    if (fk.toCols === null) {
      if (ix.origin === "pk") return { parent, ix, childCols: [...fk.from], parentCols: ix.columns };
      continue;
    }
    const childCols: number[] = [];
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const c = pcols[i];
      if (c < 0) { ok = false; break; }
      const col = parent.columns[c];
      if (lower(ix.collations[i].name) !== lower(col.collation ?? "BINARY")) { ok = false; break; }
      const j = fk.toCols.findIndex((name) => lower(name) === lower(col.name));
      if (j < 0) ok = false;
      else childCols.push(fk.from[j]);
    }
    if (ok) return { parent, ix, childCols, parentCols: ix.columns };
  }
  return null;
}

/** The constraints whose parent is `t`, newest first (SQLite's sqlite3FkReferences order). */
export function fkReferences(p: Parse, t: Table): { child: Table; fk: FKey; n: number }[] {
  const out: { child: Table; fk: FKey; n: number }[] = [];
  const k = lower(t.name);
  for (const child of p.host.schema.tables.values()) {
    (child.fkeys ?? []).forEach((fk, n) => {
      if (lower(fk.to) === k) out.push({ child, fk, n });
    });
  }
  return out.reverse();
}

function childModified(t: Table, fk: FKey, changed: ReadonlySet<number>, rowidChanged: boolean): boolean {
  return fk.from.some((c) => changed.has(c) || (c === t.iPKey && rowidChanged));
}

function parentModified(t: Table, fk: FKey, changed: ReadonlySet<number>, rowidChanged: boolean): boolean {
  for (let i = 0; i < t.columns.length; i++) {
    if (!(changed.has(i) || (i === t.iPKey && rowidChanged))) continue;
    const col = t.columns[i];
    if (fk.toCols === null ? col.primaryKey : fk.toCols.some((n) => lower(n) === lower(col.name))) return true;
  }
  return false;
}

/**
 * An UPDATE or DELETE with foreign key work needs every constraint that refers to `t` to
 * find its parent key (SQLite's sqlite3FkOldmask): "foreign key mismatch" otherwise.
 */
export function fkParentKeys(p: Parse, t: Table): void {
  if (dropParses.has(p)) return;
  for (const { child, fk } of fkReferences(p, t)) if (locate(t, fk) === null) throw mismatch(p, child, fk);
}

/** Whether an UPDATE (changed != null) or DELETE of `t` has foreign key work (sqlite3FkRequired). */
export function fkRequired(p: Parse, t: Table, changed: ReadonlySet<number> | null, rowidChanged: boolean): boolean {
  if (!fkEnabled(p)) return false;
  const refs = fkReferences(p, t);
  const own = t.fkeys ?? [];
  if (changed === null) return refs.length > 0 || own.length > 0;
  return own.some((fk) => childModified(t, fk, changed, rowidChanged)) || refs.some((r) => parentModified(t, r.fk, changed, rowidChanged));
}

function reg(t: Table, row: RowRegs, col: number): number {
  return col < 0 || col === t.iPKey ? row.rowid : row.data + col;
}

/** SQLite's fkLookupParent (I.1 / D.1; invariants 3 and 4). */
function lookupParent(p: Parse, child: Table, fk: FKey, key: ParentKey, row: RowRegs, nIncr: 1 | -1): void {
  const b = p.b;
  const ok = b.newLabel();
  const deferred = fk.deferred ? 1 : 0;
  if (nIncr < 0) b.add(Op.FkIfZero, deferred, ok);
  for (const c of key.childCols) b.add(Op.IsNull, reg(child, row, c), ok);
  const cur = b.allocCursor();
  const self = key.parent === child && nIncr === 1;
  if (key.ix === null) {
    const tmp = b.allocReg();
    const missing = b.newLabel();
    b.add(Op.SCopy, reg(child, row, key.childCols[0]), tmp);
    b.add(Op.MustBeInt, tmp, missing);
    if (self) b.add(Op.Eq, row.rowid, ok, tmp, null, 0);
    b.add(Op.OpenRead, cur, key.parent.root, 0, key.parent.columns.length);
    b.comment(key.parent.name);
    b.add(Op.NotExists, cur, missing, tmp);
    b.add(Op.Goto, 0, ok);
    b.resolve(missing);
  } else {
    const ix = key.ix;
    const n = key.childCols.length;
    const tmp = b.allocReg(n);
    b.add(Op.OpenRead, cur, ix.root, 0, ix.keyInfo);
    b.comment(ix.name);
    for (let i = 0; i < n; i++) b.add(Op.Copy, reg(child, row, key.childCols[i]), tmp + i);
    if (self) {
      const differs = b.newLabel();
      for (let i = 0; i < n; i++) b.add(Op.Ne, reg(child, row, key.childCols[i]), differs, reg(child, row, key.parentCols[i]), null, 0x10);
      b.add(Op.Goto, 0, ok);
      b.resolve(differs);
    }
    const affs = ix.columns.map((c) => String.fromCharCode(c < 0 ? 0x44 : key.parent.columns[c].affinity)).join("");
    b.add(Op.Affinity, tmp, n, 0, affs);
    b.add(Op.Found, cur, ok, tmp, n);
  }
  if (!fk.deferred && p.host.deferForeignKeys !== true && p.trig === null && !b.multiWrite) {
    b.add(Op.Halt, SQLITE_CONSTRAINT_FOREIGNKEY, OE_ABORT, 0, FK_MESSAGE);
  } else {
    if (!fk.deferred) b.mayAbort = true;
    b.add(Op.FkCounter, deferred, nIncr);
  }
  b.resolve(ok);
  b.add(Op.Close, cur);
}

let fkSeq = 0;

function colRef(table: string | null, column: string): ColumnRef {
  return { kind: "column", schema: null, table, column, quoting: "double", start: 0, end: 0 };
}

/** SQLite's fkScanChildren (I.2 / D.2): counts the child rows whose key is the parent row's. */
function scanChildren(p: Parse, parent: Table, child: Table, fk: FKey, key: ParentKey, row: RowRegs, nIncr: 1 | -1): void {
  const b = p.b;
  if (row.data !== row.rowid + 1) throw p.error("internal: foreign key rows must be contiguous");
  const deferred = fk.deferred ? 1 : 0;
  const skip = nIncr < 0 ? b.add(Op.FkIfZero, deferred, 0) : -1;
  const alias = `\u0001fk${fkSeq++}`;
  const pseudo: SrcItem = { table: parent, cursor: -1, alias, qualifiedOnly: true, regs: row.rowid };
  let where: Expr | null = null;
  const and = (e: Expr): void => {
    where = where === null ? e : { kind: "binary", op: "AND", left: where, right: e, start: 0, end: 0 } as Expr;
  };
  const refs: ColumnRef[] = [];
  const pref = (col: number): Expr => {
    const r = colRef(alias, col < 0 ? "rowid" : parent.columns[col].name);
    refs.push(r);
    p.resolvedRefs.set(r, { item: pseudo, col: col === parent.iPKey ? -1 : col });
    if (col < 0 || col === parent.iPKey) return r;
    return { kind: "collate", expr: r, collation: parent.columns[col].collation ?? "BINARY", start: 0, end: 0 } as Expr;
  };
  key.childCols.forEach((c, i) => {
    const name = c === child.iPKey ? "rowid" : child.columns[c].name;
    and({ kind: "binary", op: "=", left: pref(key.parentCols[i]), right: colRef(null, name), start: 0, end: 0 } as Expr);
  });
  if (child === parent && nIncr > 0) {
    and({ kind: "binary", op: "!=", left: pref(-1), right: colRef(null, "rowid"), start: 0, end: 0 } as Expr);
  }
  const item: SrcItem = { table: child, cursor: b.allocCursor(), alias: null };
  try {
    const w = whereBegin(p, item, where, false);
    b.add(Op.FkCounter, deferred, nIncr);
    whereEnd(p, w);
  } finally {
    for (const r of refs) p.resolvedRefs.delete(r);
  }
  if (skip >= 0) b.jumpHere(skip);
}

/**
 * SQLite's sqlite3FkCheck: the child-side lookups and parent-side scans for a row of `t`
 * removed (`old`) or added (`nw`); UPDATE calls it twice, with `changed` (the assigned
 * columns). `ignoreErrors`: DROP TABLE's DELETE (a missing parent counts as empty).
 */
export function fkCheck(
  p: Parse, t: Table, old: RowRegs | null, nw: RowRegs | null, changed: ReadonlySet<number> | null, rowidChanged: boolean,
  ignoreErrors = false,
): void {
  if (!fkEnabled(p)) return;
  if (dropParses.has(p)) ignoreErrors = true;
  const b = p.b;
  const own = t.fkeys ?? [];
  for (let n = own.length - 1; n >= 0; n--) {
    const fk = own[n];
    if (changed !== null && lower(t.name) !== lower(fk.to) && !childModified(t, fk, changed, rowidChanged)) continue;
    const parent = p.host.schema.table(fk.to);
    const key = parent === null ? null : locate(parent, fk);
    if (key === null) {
      if (!ignoreErrors) {
        if (parent === null) throw p.error(`no such table: main.${fk.to}`);
        throw mismatch(p, t, fk);
      }
      if (parent === null && old !== null) {
        // The parent table is gone: every child row with a whole key was a violation.
        const skip = b.newLabel();
        for (const c of fk.from) b.add(Op.IsNull, reg(t, old, c), skip);
        b.add(Op.FkCounter, fk.deferred ? 1 : 0, -1);
        b.resolve(skip);
      }
      continue;
    }
    if (old !== null) lookupParent(p, t, fk, key, old, -1);
    if (nw !== null && setNullOf.get(p) !== fk) lookupParent(p, t, fk, key, nw, 1);
  }
  for (const { child, fk } of fkReferences(p, t)) {
    if (changed !== null && !parentModified(t, fk, changed, rowidChanged)) continue;
    if (!fk.deferred && p.host.deferForeignKeys !== true && p.trig === null && !b.multiWrite && old === null) continue;
    const key = locate(t, fk);
    if (key === null) {
      if (ignoreErrors) continue;
      throw mismatch(p, child, fk);
    }
    if (nw !== null) scanChildren(p, t, child, fk, key, nw, -1);
    if (old !== null) {
      scanChildren(p, t, child, fk, key, old, 1);
      const action = changed !== null ? fk.onUpdate : fk.onDelete;
      if (!fk.deferred && action !== "CASCADE" && action !== "SET NULL") b.mayAbort = true;
    }
  }
}

/** The SET NULL action program being compiled, by its Parse (SQLite's isSetNullAction). */
const setNullOf = new WeakMap<Parse, FKey>();

/** The trigger text of an action (SQLite's fkActionTrigger); null for NO ACTION. */
function actionSql(t: Table, child: Table, fk: FKey, key: ParentKey, update: boolean, action: FkAction): string | null {
  if (action === "NONE") return null;
  const eq: string[] = [];
  const same: string[] = [];
  const set: string[] = [];
  key.childCols.forEach((c, i) => {
    const pc = key.parentCols[i] < 0 ? t.iPKey : key.parentCols[i];
    const pname = q(t.columns[pc].name);
    const cname = q(child.columns[c].name);
    eq.push(`old.${pname} = ${cname}`);
    if (update) same.push(`old.${pname} IS new.${pname}`);
    if (action === "CASCADE" && update) set.push(`${cname} = new.${pname}`);
    else if (action === "SET NULL") set.push(`${cname} = NULL`);
    else if (action === "SET DEFAULT") {
      const d = child.columns[c].dflt;
      set.push(`${cname} = ${d === null ? "NULL" : `(${child.sql.slice(d.start, d.end)})`}`);
    }
  });
  let body: string;
  if (action === "RESTRICT") body = `SELECT RAISE(ABORT, '${FK_MESSAGE}') FROM ${q(child.name)} WHERE ${eq.join(" AND ")}`;
  else if (action === "CASCADE" && !update) body = `DELETE FROM ${q(child.name)} WHERE ${eq.join(" AND ")}`;
  else body = `UPDATE ${q(child.name)} SET ${set.join(", ")} WHERE ${eq.join(" AND ")}`;
  const when = update ? ` WHEN NOT (${same.join(" AND ")})` : "";
  return `CREATE TRIGGER fk AFTER ${update ? "UPDATE" : "DELETE"} ON ${q(t.name)}${when} BEGIN ${body}; END`;
}

/**
 * SQLite's sqlite3FkActions: after a row of `t` is deleted (changed null) or updated, the
 * ON DELETE / ON UPDATE actions of the constraints that refer to it. `old` and `nw` are
 * contiguous rowid + columns (nw: UPDATE only).
 */
export function fkActions(p: Parse, t: Table, old: RowRegs, nw: RowRegs | null, changed: ReadonlySet<number> | null, rowidChanged: boolean): void {
  if (!fkEnabled(p)) return;
  for (const { child, fk, n } of fkReferences(p, t)) {
    if (changed !== null && !parentModified(t, fk, changed, rowidChanged)) continue;
    const update = changed !== null;
    const action = update ? fk.onUpdate : fk.onDelete;
    if (action === "NONE" || (action === "RESTRICT" && p.host.deferForeignKeys === true)) continue;
    const key = locate(t, fk);
    if (key === null) {
      if (dropParses.has(p)) continue;
      throw mismatch(p, child, fk);
    }
    const sql = actionSql(t, child, fk, key, update, action)!;
    const name = `fk:${lower(child.name)}:${n}:${update ? "u" : "d"}`;
    fireInternal(p, name, sql, t, old.rowid, nw === null ? 0 : nw.rowid, "ABORT", action === "SET NULL" ? (s) => setNullOf.set(s, fk) : null);
  }
}

/** Invariant 6: DROP TABLE's implicit DELETE, coded before the table is dropped. */
export function fkDropTable(p: Parse, t: Table): void {
  if (!fkEnabled(p)) return;
  const b = p.b;
  let skip = -1;
  if (fkReferences(p, t).length === 0) {
    if (!(t.fkeys ?? []).some((fk) => fk.deferred || p.host.deferForeignKeys === true)) return;
    skip = b.add(Op.FkIfZero, 1, 0);
  }
  const sql = `CREATE TRIGGER fk AFTER DELETE ON ${q(t.name)} BEGIN DELETE FROM ${q(t.name)}; END`;
  fireInternal(p, `drop:${lower(t.name)}`, sql, t, 0, 0, null, (s) => {
    triggersDisabled.add(s);
    dropParses.add(s);
  }, true);
  if (p.host.deferForeignKeys !== true) {
    const ok = b.add(Op.FkIfZero, 0, 0);
    b.add(Op.Halt, SQLITE_CONSTRAINT_FOREIGNKEY, OE_ABORT, 0, FK_MESSAGE);
    b.jumpHere(ok);
  }
  if (skip >= 0) b.jumpHere(skip);
}

/** Parses of DROP TABLE's DELETE: their foreign key errors are ignored (fkCheck ignoreErrors). */
export const dropParses = new WeakSet<Parse>();
