/*
 * codegen/dml-common.ts: what INSERT, UPDATE and DELETE share (SQLite's insert.c
 * sqlite3GenerateConstraintChecks, sqlite3CompleteInsertion, delete.c
 * sqlite3GenerateRowIndexDelete): opening the table and its indexes for writing, the
 * NOT NULL / PRIMARY KEY / UNIQUE checks with SQLite's messages, and index entry
 * insertion and deletion.
 *
 * Row layout in registers: regRowid, then regData .. regData+nCol-1 (the rowid alias
 * column's slot holds NULL, as in the record).
 *
 * Invariants:
 *  1. Checks run in SQLite's order, all before the row's first write: NOT NULL in column
 *     order, then the rowid (INTEGER PRIMARY KEY) uniqueness, then each UNIQUE index in
 *     the table's index order.
 *  2. ABORT (the default; FAIL and ROLLBACK behave as ABORT here, see the report in
 *     docs) halts with the constraint error; IGNORE skips the row (jumps to `skip`).
 *  3. Messages: "NOT NULL constraint failed: t.c", "UNIQUE constraint failed: t.a, t.b"
 *     (SQLITE_CONSTRAINT_NOTNULL / _UNIQUE / _PRIMARYKEY).
 */
import type { ConflictAction } from "../parser/ast.js";
import type { Index, Table } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";

export const SQLITE_CONSTRAINT_NOTNULL = 1299;
export const SQLITE_CONSTRAINT_UNIQUE = 2067;
export const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

export interface WriteCursors {
  readonly table: number;
  /** One cursor per index of table.indexes, same order. */
  readonly indexes: readonly number[];
}

export function openWriteCursors(p: Parse, t: Table, tableCursor: number | null): WriteCursors {
  const b = p.b;
  const tc = tableCursor ?? b.allocCursor();
  if (tableCursor === null) {
    b.add(Op.OpenWrite, tc, t.root, 0, t.columns.length);
    b.comment(t.name);
  }
  const idx = t.indexes.map((ix) => {
    const c = b.allocCursor();
    b.add(Op.OpenWrite, c, ix.root, 0, ix.keyInfo);
    b.comment(ix.name);
    return c;
  });
  return { table: tc, indexes: idx };
}

function uniqueMessage(t: Table, ix: Index): string {
  return "UNIQUE constraint failed: " + ix.columns.map((c) => `${t.name}.${c < 0 ? t.columns[t.iPKey]?.name ?? "rowid" : t.columns[c].name}`).join(", ");
}

/** Emits the key of `ix` for the row into consecutive registers; returns the first. */
function indexKey(p: Parse, ix: Index, regRowid: number, regData: number): number {
  const b = p.b;
  const n = ix.columns.length;
  const first = b.allocReg(n + 1);
  ix.columns.forEach((c, i) => b.add(Op.SCopy, c < 0 ? regRowid : regData + c, first + i));
  b.add(Op.SCopy, regRowid, first + n);
  return first;
}

/**
 * Invariant 1. `oldRowid` (UPDATE) is the row's current rowid: an index entry or rowid
 * that belongs to the row itself is not a conflict.
 */
export function constraintChecks(
  p: Parse, t: Table, cur: WriteCursors, regRowid: number, regData: number, onError: ConflictAction | null,
  skip: number, oldRowid: number | null, rowidChanged: boolean,
): void {
  const b = p.b;
  const ignore = onError === "IGNORE";
  if (onError === "REPLACE") throw p.error("INSERT OR REPLACE is not supported yet");
  t.columns.forEach((c, i) => {
    if (!c.notNull || i === t.iPKey) return;
    if (ignore) b.add(Op.IsNull, regData + i, skip);
    else b.add(Op.HaltIfNull, SQLITE_CONSTRAINT_NOTNULL, 2, regData + i, `NOT NULL constraint failed: ${t.name}.${c.name}`);
  });
  if (t.iPKey >= 0 && (oldRowid === null || rowidChanged)) {
    const ok = b.newLabel();
    if (oldRowid !== null) b.add(Op.Eq, regRowid, ok, oldRowid, null, 0);
    b.add(Op.NotExists, cur.table, ok, regRowid);
    if (ignore) b.add(Op.Goto, 0, skip);
    else b.add(Op.Halt, SQLITE_CONSTRAINT_PRIMARYKEY, 2, 0, `UNIQUE constraint failed: ${t.name}.${t.columns[t.iPKey].name}`);
    b.resolve(ok);
  }
  t.indexes.forEach((ix, k) => {
    if (!ix.unique) return;
    const first = indexKey(p, ix, regRowid, regData);
    const ok = b.newLabel();
    b.add(Op.NoConflict, cur.indexes[k], ok, first, ix.columns.length);
    if (oldRowid !== null) {
      const r = b.allocReg();
      b.add(Op.IdxRowid, cur.indexes[k], r);
      b.add(Op.Eq, r, ok, oldRowid, null, 0);
    }
    if (ignore) b.add(Op.Goto, 0, skip);
    else b.add(Op.Halt, ix.origin === "pk" ? SQLITE_CONSTRAINT_PRIMARYKEY : SQLITE_CONSTRAINT_UNIQUE, 2, 0, uniqueMessage(t, ix));
    b.resolve(ok);
  });
}

export function insertIndexEntries(p: Parse, t: Table, cur: WriteCursors, regRowid: number, regData: number): void {
  const b = p.b;
  t.indexes.forEach((ix, k) => {
    const first = indexKey(p, ix, regRowid, regData);
    const r = b.allocReg();
    b.add(Op.MakeRecord, first, ix.columns.length + 1, r);
    b.add(Op.IdxInsert, cur.indexes[k], r);
    b.comment(ix.name);
  });
}

export function deleteIndexEntries(p: Parse, t: Table, cur: WriteCursors, regRowid: number, regData: number): void {
  const b = p.b;
  t.indexes.forEach((ix, k) => {
    const first = indexKey(p, ix, regRowid, regData);
    b.add(Op.IdxDelete, cur.indexes[k], first, ix.columns.length + 1);
    b.comment(ix.name);
  });
}

/** The affinity string of the table's columns, for Affinity/MakeRecord P4. */
export function affinityString(t: Table): string {
  return t.columns.map((c) => String.fromCharCode(c.affinity)).join("");
}
