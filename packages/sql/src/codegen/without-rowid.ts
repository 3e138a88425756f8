/*
 * codegen/without-rowid.ts: the code shared by every statement over a WITHOUT ROWID table
 * (https://sqlite.org/withoutrowid.html; SQLite's insert.c / delete.c / update.c paths
 * for !HasRowid(pTab)). The table is an index B-tree keyed by its PRIMARY KEY
 * (schema.ts invariant 6): a cursor on it is an index cursor with the PK index's
 * KeyInfo; a row is found by its PK values (NotFound) instead of a rowid; a row is
 * written with IdxInsert of the whole record in storage order (PK columns first).
 *
 * Invariants:
 *  1. Code addresses table columns by their table column number everywhere; Parse
 *     rewrites Column P2 (and SorterInsertIdx's fields) of the cursors opened here to
 *     record positions when the program is finished (Parse.mapColumns), so covering-index
 *     translation (where.ts) and column reads need no knowledge of the storage order.
 *  2. A row's identity is its PK values; registers that hold a rowid for rowid tables
 *     hold NULL here (OLD/NEW rowid slots of triggers, RETURNING's rowid).
 *  3. Writing a row counts a change only through OPFLAG_NCHANGE on IdxInsert / Delete
 *     (last_insert_rowid() is never set).
 */
import type { Table } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { dbOfTable } from "./dbs.js";

/** Opens `cursor` on table `t` for reading or writing (an index cursor for WITHOUT ROWID). */
export function openTable(p: Parse, cursor: number, t: Table, write: boolean): void {
  const b = p.b;
  const iDb = dbOfTable(p, t);
  if (t.pkIndex != null) {
    b.add(write ? Op.OpenWrite : Op.OpenRead, cursor, t.root, iDb, t.pkIndex.keyInfo);
    p.wrCursors.set(cursor, t);
  } else b.add(write ? Op.OpenWrite : Op.OpenRead, cursor, t.root, iDb, t.columns.length);
  b.comment(t.name);
}

/** Registers a cursor opened elsewhere on WITHOUT ROWID table `t` (invariant 1). */
export function noteTableCursor(p: Parse, cursor: number, t: Table): void {
  if (t.pkIndex != null) p.wrCursors.set(cursor, t);
}

/** Copies the row's PK values (columns in regData..) into fresh registers, PK order. */
export function pkKey(p: Parse, t: Table, regData: number): number {
  const pk = t.pkIndex!;
  const first = p.b.allocReg(pk.columns.length);
  pk.columns.forEach((c, i) => p.b.add(Op.SCopy, regData + c, first + i));
  return first;
}

/** Moves `cursor` to the row whose PK values are at `key` (PK order); jumps to `missing` if none. */
export function seekPk(p: Parse, t: Table, cursor: number, key: number, missing: number): void {
  p.b.add(Op.NotFound, cursor, missing, key, t.pkIndex!.columns.length);
}

/** Writes the row in regData.. (table column order) as a record in storage order. */
export function insertRow(p: Parse, t: Table, cursor: number, regData: number, flags: number): void {
  const b = p.b;
  const n = t.columns.length;
  const first = b.allocReg(n);
  t.storage!.forEach((c, i) => b.add(Op.SCopy, regData + c, first + i));
  const rec = b.allocReg();
  b.add(Op.MakeRecord, first, n, rec);
  b.add(Op.IdxInsert, cursor, rec, 0, null, flags);
  b.comment(t.name);
}

/** Emits a jump to `dest` when the PK values at `a` and `b` are equal under the PK's collations. */
export function jumpIfSamePk(p: Parse, t: Table, a: number, b: number, dest: number): void {
  const pk = t.pkIndex!;
  const diff = p.b.newLabel();
  pk.columns.forEach((_, i) => p.b.add(Op.Ne, a + i, diff, b + i, pk.collations[i], 0x80));
  p.b.add(Op.Goto, 0, dest);
  p.b.resolve(diff);
}
