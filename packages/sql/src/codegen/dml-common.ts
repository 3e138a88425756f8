/*
 * codegen/dml-common.ts: what INSERT, UPDATE and DELETE share (SQLite's insert.c
 * sqlite3CompleteInsertion, delete.c sqlite3GenerateRowIndexDelete): opening the table
 * and its indexes for writing, and index entry insertion and deletion. The constraint
 * checks are in conflict.ts.
 *
 * Row layout in registers: regRowid, then regData .. regData+nCol-1 (the rowid alias
 * column's slot holds NULL, as in the record).
 *
 * Invariants:
 *  1. A partial index (WHERE) gets an entry exactly for the rows its WHERE is true for,
 *     evaluated on the row's registers.
 *  2. `only` (UPDATE) limits the work to the indexes whose key may change.
 */
import { indexEntryLength, type Index, type Table } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import { openTable } from "./without-rowid.js";
import { indexKey } from "./conflict.js";
import { withRowRegisters } from "./expr.js";
import type { Parse } from "./context.js";
import { ifFalse } from "./expr.js";
import { dbOfTable } from "./dbs.js";

export interface WriteCursors {
  readonly table: number;
  /** One cursor per index of table.indexes, same order. */
  readonly indexes: readonly number[];
}

export function openWriteCursors(p: Parse, t: Table, tableCursor: number | null, only: ReadonlySet<number> | null = null): WriteCursors {
  const b = p.b;
  const tc = tableCursor ?? b.allocCursor();
  const iDb = dbOfTable(p, t);
  if (tableCursor === null) openTable(p, tc, t, true);
  const idx = t.indexes.map((ix, k) => {
    if (only !== null && !only.has(k)) return -1; // not opened: the statement never writes it
    const c = b.allocCursor();
    b.add(Op.OpenWrite, c, ix.root, iDb, ix.keyInfo);
    b.comment(ix.name);
    return c;
  });
  return { table: tc, indexes: idx };
}

/** A partial index (CREATE INDEX ... WHERE) holds only the rows its WHERE is true for. */
function partialSkip(p: Parse, t: Table, ix: Index, cur: WriteCursors, regRowid: number, regData: number): number | null {
  if (ix.where === null) return null;
  const skip = p.b.newLabel();
  withRowRegisters(p, t, cur.table, regRowid, regData, [ix.where], (scope) => ifFalse(p, ix.where!, scope, skip, true));
  return skip;
}

export function insertIndexEntries(p: Parse, t: Table, cur: WriteCursors, regRowid: number, regData: number, only: ReadonlySet<number> | null = null): void {
  const b = p.b;
  t.indexes.forEach((ix, k) => {
    if (only !== null && !only.has(k)) return;
    const skip = partialSkip(p, t, ix, cur, regRowid, regData);
    const first = indexKey(p, ix, regRowid, regData);
    const r = b.allocReg();
    b.add(Op.MakeRecord, first, indexEntryLength(ix), r, null, OPFLAG_EPHEMREC);
    b.add(Op.IdxInsert, cur.indexes[k], r);
    b.comment(ix.name);
    if (skip !== null) b.resolve(skip);
  });
}

export function deleteIndexEntries(p: Parse, t: Table, cur: WriteCursors, regRowid: number, regData: number, only: ReadonlySet<number> | null = null): void {
  const b = p.b;
  t.indexes.forEach((ix, k) => {
    if (only !== null && !only.has(k)) return;
    const skip = partialSkip(p, t, ix, cur, regRowid, regData);
    const first = indexKey(p, ix, regRowid, regData);
    b.add(Op.IdxDelete, cur.indexes[k], first, indexEntryLength(ix));
    b.comment(ix.name);
    if (skip !== null) b.resolve(skip);
  });
}

/** The affinity string of the table's columns, for Affinity/MakeRecord P4. */
export function affinityString(t: Table): string {
  return t.columns.map((c) => String.fromCharCode(c.affinity)).join("");
}
