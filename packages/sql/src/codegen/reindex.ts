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
 *     B-tree's append shortcut, no descent). A UNIQUE index checks each key against the
 *     entries inserted so far: the first duplicate fails with SQLite's message.
 */
import { tableColumn } from "./column-default.js";
import type { ReindexStmt } from "../parser/ast.js";
import { indexEntryLength, lower, type Index, type Table } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
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
  const rec = b.allocReg();
  b.add(Op.MakeRecord, key, indexEntryLength(ix), rec, null, OPFLAG_EPHEMREC); // the sorter copies it into its arena
  b.add(Op.SorterInsert, sorter, rec);
  b.resolve(skipRow);
  b.add(Op.Next, tc, top);
  b.resolve(done);
  b.add(Op.Close, tc);
  const filled = b.newLabel();
  b.add(Op.SorterSort, sorter, filled);
  const loop = b.addr;
  if (ix.unique) {
    // The key's columns back into registers (a pseudo-cursor over the sorted record), then
    // the same conflict check as before against what the index holds so far.
    // (A pseudo-cursor on its own register: SorterData then points it at the arena and
    // leaves the register alone; the record for IdxInsert is loaded below.)
    const pc = b.allocCursor();
    const prec = b.allocReg();
    b.add(Op.OpenPseudo, pc, prec, indexEntryLength(ix));
    b.add(Op.SorterData, sorter, prec, pc);
    for (let i = 0; i < n; i++) b.add(Op.Column, pc, i, key + i);
    const ok = b.newLabel();
    b.add(Op.NoConflict, ic, ok, key, n);
    b.add(Op.Halt, SQLITE_CONSTRAINT_UNIQUE, 2, 0, ix.exprs !== null ? `UNIQUE constraint failed: index '${ix.name}'`
      : "UNIQUE constraint failed: " + ix.columns.map((c) => `${t.name}.${c < 0 ? "rowid" : t.columns[c].name}`).join(", "));
    b.resolve(ok);
  }
  b.add(Op.SorterData, sorter, rec, sorter);
  b.add(Op.IdxInsert, ic, rec);
  b.add(Op.SorterNext, sorter, loop);
  b.resolve(filled);
  b.add(Op.Close, sorter);
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
