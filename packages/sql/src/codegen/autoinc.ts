/*
 * codegen/autoinc.ts: AUTOINCREMENT (https://sqlite.org/autoinc.html; SQLite's insert.c
 * sqlite3AutoincrementBegin / autoIncStep / sqlite3AutoincrementEnd, build.c's creation
 * of sqlite_sequence).
 *
 * An INSERT into an AUTOINCREMENT table keeps a counter in a register: read at the start
 * from the table's sqlite_sequence row (name, seq), raised by every rowid the statement
 * chooses or is given, passed to NewRowid (P3) so new rowids are above every rowid ever
 * used, and written back at the end.
 *
 * Register layout (SQLite's memId-1 .. memId+2): name, counter, the sqlite_sequence row's
 * rowid (NULL when the table has no row), the counter as read (NULL when no row).
 *
 * Invariants:
 *  1. The counter starts as the row's seq made an integer (CAST ... AS INTEGER: text that
 *     is no number counts 0, a REAL is truncated), 0 when there is no row.
 *  2. The row is written at the end of the statement unless the counter is <= its value
 *     as read; a table without a row always gets one (even with seq 0).
 *  3. NewRowid with a counter: SQLITE_FULL "database or disk is full" when the counter or
 *     the largest rowid is 9223372036854775807 (no random rowids); otherwise
 *     max(largest rowid, counter) + 1, stored back into the counter.
 */
import type { Table } from "../schema/schema.js";
import { AFF_INTEGER, JUMPIFNULL, Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { dbOfTable } from "./dbs.js";

export const SEQUENCE_SQL = "CREATE TABLE sqlite_sequence(name,seq)";

export interface Autoinc {
  /** The counter register (NewRowid P3). */
  readonly counter: number;
  readonly seq: Table;
  /** The database of the table and its sqlite_sequence. */
  readonly iDb: number;
}

/** Reads the table's counter (invariant 1); null when `t` is not AUTOINCREMENT. */
export function autoincBegin(p: Parse, t: Table): Autoinc | null {
  if (!t.autoincrement) return null;
  const iDb = dbOfTable(p, t);
  const seq = p.host.schemaOf(iDb).table("sqlite_sequence");
  if (seq === null) return null;
  const b = p.b;
  const name = b.allocReg(4);
  const counter = name + 1;
  b.add(Op.String8, 0, name, 0, t.name);
  b.add(Op.Null, 0, counter);
  b.add(Op.Null, 0, counter + 1);
  b.add(Op.Null, 0, counter + 2);
  const cur = b.allocCursor();
  b.add(Op.OpenRead, cur, seq.root, iDb, 2);
  b.comment("sqlite_sequence");
  const notFound = b.newLabel();
  const found = b.newLabel();
  b.add(Op.Rewind, cur, notFound);
  const top = b.addr;
  const next = b.newLabel();
  b.add(Op.Column, cur, 0, counter);
  b.add(Op.Ne, name, next, counter, null, JUMPIFNULL);
  b.add(Op.Rowid, cur, counter + 1);
  b.add(Op.Column, cur, 1, counter);
  b.add(Op.Cast, counter, AFF_INTEGER);
  const nn = b.add(Op.NotNull, counter, 0);
  b.add(Op.Integer, 0, counter);
  b.jumpHere(nn);
  b.add(Op.Copy, counter, counter + 2);
  b.add(Op.Goto, 0, found);
  b.resolve(next);
  b.add(Op.Next, cur, top);
  b.resolve(notFound);
  b.add(Op.Integer, 0, counter);
  b.resolve(found);
  b.add(Op.Close, cur);
  return { counter, seq, iDb };
}

/** counter = max(counter, r[regRowid]) (SQLite's OP_MemMax). */
export function autoincStep(p: Parse, a: Autoinc, regRowid: number): void {
  const b = p.b;
  const skip = b.newLabel();
  b.add(Op.Ge, regRowid, skip, a.counter, null, 0);
  b.add(Op.Copy, regRowid, a.counter);
  b.resolve(skip);
}

/** Writes the counter back (invariant 2). */
export function autoincEnd(p: Parse, a: Autoinc): void {
  const b = p.b;
  const skip = b.newLabel();
  b.add(Op.Le, a.counter + 2, skip, a.counter, null, 0);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, a.seq.root, a.iDb, 2);
  b.comment("sqlite_sequence");
  const have = b.add(Op.NotNull, a.counter + 1, 0);
  b.add(Op.NewRowid, cur, a.counter + 1);
  b.jumpHere(have);
  const rec = b.allocReg();
  b.add(Op.MakeRecord, a.counter - 1, 2, rec);
  b.add(Op.Insert, cur, rec, a.counter + 1, "sqlite_sequence", 0);
  b.add(Op.Close, cur);
  b.resolve(skip);
}
