/*
 * codegen/reindex.ts: REINDEX (https://sqlite.org/lang_reindex.html; SQLite's
 * sqlite3Reindex and sqlite3RefillIndex in build.c).
 *
 *   REINDEX                      every index of the database
 *   REINDEX collation-name       every index with a column that uses that collation
 *   REINDEX [schema.]table       every index of the table
 *   REINDEX [schema.]index       that index
 *
 * Invariants:
 *  1. An unqualified name is tried as a collation first (lang_reindex: "if there exists
 *     both a table or index and a collation sequence of the specified name, then indices
 *     associated with the collation sequence only are reconstructed"), then as a table,
 *     then as an index; none gives "unable to identify the object to be reindexed".
 *  2. Rebuilding an index clears its B-tree (Clear) and refills it from the table with
 *     the same key construction as CREATE INDEX (fillIndex); a UNIQUE index that now
 *     finds duplicates (e.g. after a collation changed) fails with SQLite's UNIQUE
 *     message and the statement's changes are undone.
 *  3. REINDEX changes no schema row and does not bump the schema cookie.
 *  4. fillIndex (CREATE INDEX and REINDEX) sorts the keys first (a sorter on the index's
 *     KeyInfo, key columns then rowid, as SQLite's sqlite3RefillIndex) and inserts them in
 *     that order, so every insert appends after the index cursor's last entry (the
 *     B-tree's append shortcut, no descent; IdxInsert's OPFLAG_APPEND says the order is
 *     known, so not even a comparison). A UNIQUE index compares each sorted key with
 *     the one before it on the key columns (SorterCompare; a NULL never conflicts): the
 *     first duplicate fails with SQLite's message.
 *  5. Where a key column's value is in the row's record exactly as MakeRecord would write
 *     it (directFields), the entry is built from the record's bytes (SorterInsertIdx,
 *     vdbe/ops-index.ts) instead of Column + MakeRecord: same bytes, nothing decoded.
 */
import { makeKeyInfo } from "@strata/common";
import { columnDefault, tableColumn } from "./column-default.js";
import { isVirtual, storageIndex } from "./generated.js";
import type { ReindexStmt } from "../parser/ast.js";
import { indexEntryLength, lower, type Index, type Table } from "../schema/schema.js";
import { AFF_REAL, Op, OPFLAG_APPEND, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import { openTable } from "./without-rowid.js";
import type { Parse } from "./context.js";
import { SQLITE_CONSTRAINT_UNIQUE } from "./conflict.js";
import { ifFalse } from "./expr.js";
import { codeIndexExpr } from "./index-expr.js";
import { finishProgram } from "./select.js";
import { dbOfTable } from "./dbs.js";

/** Emits the loop that inserts every row of `t` (read through a new cursor) into index cursor `ic`. */
export function fillIndex(p: Parse, t: Table, ix: Index, ic: number): void {
  const b = p.b;
  const tc = b.allocCursor();
  const sorter = b.allocCursor();
  b.add(Op.SorterOpen, sorter, indexEntryLength(ix), 0, ix.keyInfo);
  openTable(p, tc, t, false);
  const done = b.newLabel();
  b.add(Op.Rewind, tc, done);
  const top = b.addr;
  const n = ix.columns.length;
  const skipRow = b.newLabel();
  if (ix.where !== null) ifFalse(p, ix.where, [{ table: t, cursor: tc, alias: null }], skipRow, true);
  const key = b.allocReg(indexEntryLength(ix));
  const rec = b.allocReg();
  const fields = directFields(t, ix);
  if (fields !== null) {
    // The entry's fields are byte copies of the row's record fields (invariant 5).
    b.add(Op.SorterInsertIdx, sorter, tc, 0, { fields, real: null });
  } else {
    const scope = [{ table: t, cursor: tc, alias: null }];
    ix.columns.forEach((c, i) => {
      if (c === -2) codeIndexExpr(p, ix, i, scope, key + i);
      else if (c < 0) b.add(Op.Rowid, tc, key + i);
      else tableColumn(p, t, tc, c, key + i);
    });
    if (ix.pkExtra === null) b.add(Op.Rowid, tc, key + n);
    else ix.pkExtra.forEach((c, i) => b.add(Op.Column, tc, c, key + n + i)); // WITHOUT ROWID: the PK columns
    // Sort first, then insert in key order (SQLite's sqlite3RefillIndex): every IdxInsert
    // appends after the index cursor's last entry, with no descent (invariant 4).
    b.add(Op.MakeRecord, key, indexEntryLength(ix), rec, null, OPFLAG_EPHEMREC); // the sorter copies it into its arena
    b.add(Op.SorterInsert, sorter, rec);
  }
  b.resolve(skipRow);
  b.add(Op.Next, tc, top);
  b.resolve(done);
  b.add(Op.Close, tc);
  const filled = b.newLabel();
  b.add(Op.SorterSort, sorter, filled);
  // UNIQUE (invariant 4): equal keys are adjacent once sorted, so each record is compared
  // with the one before it (in r[rec] from the previous SorterData), as SQLite's
  // OP_SorterCompare; the first record has none.
  const insert = b.newLabel();
  if (ix.unique) b.add(Op.Goto, 0, insert);
  const loop = b.addr;
  if (ix.unique) {
    const keyInfo = makeKeyInfo(n, { collations: ix.keyInfo.collations, sortFlags: ix.keyInfo.sortFlags, encoding: ix.keyInfo.encoding });
    b.add(Op.SorterCompare, sorter, insert, rec, keyInfo);
    b.add(Op.Halt, SQLITE_CONSTRAINT_UNIQUE, 2, 0, ix.exprs !== null ? `UNIQUE constraint failed: index '${ix.name}'`
      : "UNIQUE constraint failed: " + ix.columns.map((c) => `${t.name}.${c < 0 ? "rowid" : t.columns[c].name}`).join(", "));
  }
  b.resolve(insert);
  b.add(Op.SorterData, sorter, rec, sorter);
  b.add(Op.IdxInsert, ic, rec, 0, null, OPFLAG_APPEND); // sorted keys into an empty index
  b.add(Op.SorterNext, sorter, loop);
  b.resolve(filled);
  b.add(Op.Close, sorter);
}

/**
 * The record field of each entry field when an entry can be copied from the row's record
 * bytes (invariant 5; -1 = the rowid), else null: a rowid table, no expressions, and key
 * columns that are stored (not VIRTUAL), not REAL (Column makes a stored integer REAL) and
 * without a DEFAULT (a row written before ADD COLUMN lacks the field: NULL is right only
 * without a default).
 */
function directFields(t: Table, ix: Index): Int32Array | null {
  if (ix.pkExtra !== null || ix.exprs !== null) return null;
  const out = new Int32Array(ix.columns.length + 1);
  for (let k = 0; k < ix.columns.length; k++) {
    const c = ix.columns[k];
    if (c < 0) {
      if (c !== -1) return null;
      out[k] = -1;
      continue;
    }
    const col = t.columns[c];
    if (isVirtual(col) || col.affinity === AFF_REAL || columnDefault(col) !== null) return null;
    out[k] = storageIndex(t, c);
  }
  out[ix.columns.length] = -1;
  return out;
}

/** The indexes REINDEX rebuilds (invariant 1), in schema order. */
function targets(p: Parse, stmt: ReindexStmt): Index[] {
  const schema = p.host.schema;
  const all: Index[] = [];
  for (const t of schema.tables.values()) for (const ix of t.indexes) all.push(ix);
  if (stmt.name === null) return all;
  if (stmt.schema === null) {
    const coll = p.host.collation(stmt.name);
    if (coll !== null) {
      const want = lower(coll.name);
      return all.filter((ix) => ix.collations.some((c) => lower(c.name) === want));
    }
  } else if (lower(stmt.schema) !== "main") {
    throw p.error(`unknown database ${stmt.schema}`);
  }
  const t = schema.table(stmt.name);
  if (t !== null) return [...t.indexes];
  const ix = schema.index(stmt.name);
  if (ix !== null) return [ix];
  throw p.error("unable to identify the object to be reindexed");
}

export function compileReindex(p: Parse, stmt: ReindexStmt): void {
  const b = p.b;
  const list = targets(p, stmt);
  const schema = p.host.schema;
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  for (const ix of list) {
    const t = schema.table(ix.tableName)!;
    b.add(Op.Clear, ix.root, 0);
    const ic = b.allocCursor();
    b.add(Op.OpenWrite, ic, ix.root, 0, ix.keyInfo);
    fillIndex(p, t, ix, ic);
    b.add(Op.Close, ic);
  }
  finishProgram(p, init, end, true);
}
