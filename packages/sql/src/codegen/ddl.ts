/*
 * codegen/ddl.ts: CREATE TABLE, CREATE INDEX, DROP TABLE, DROP INDEX (SQLite's build.c;
 * https://sqlite.org/lang_createtable.html, fileformat2.html §2.6).
 *
 * Each writes sqlite_schema rows exactly as SQLite does — (type, name, tbl_name,
 * rootpage, sql), sql being schema/load.ts storedSql() and NULL for automatic indexes —
 * bumps the schema cookie (SetCookie with the cookie + 1 known at compile time; the
 * Transaction opcode has already checked it) and reloads the schema (ParseSchema).
 *
 * Invariants:
 *  1. B-tree roots are created table first, then automatic indexes in constraint order,
 *     so page numbers match what SQLite allocates for the same statement.
 *  2. A new index is filled from the table in the same statement; a duplicate key in a
 *     UNIQUE index fails with SQLite's UNIQUE message.
 *  3. DROP TABLE destroys every index root and the table root, largest root first, and
 *     deletes every sqlite_schema row whose tbl_name is the table, and the table's
 *     sqlite_sequence row (name = the table's name, BINARY) for an AUTOINCREMENT table.
 *  4. The first CREATE TABLE of an AUTOINCREMENT table also creates sqlite_sequence
 *     ("CREATE TABLE sqlite_sequence(name,seq)"), its root and row after the table's;
 *     sqlite_sequence stays when the last such table is dropped and cannot be dropped.
 */
import type { SqliteError } from "@strata/common";
import { validateGenerated } from "./generated.js";
import type { CreateIndexStmt, CreateTableStmt, DropStmt } from "../parser/ast.js";
import { buildIndex, buildTable, lower } from "../schema/schema.js";
import { fkDropTable } from "./fkey.js";
import { objectNameToken, storedSql } from "../schema/load.js";
import { parse } from "../parser/parse-stmt.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { fillIndex } from "./reindex.js";
import { checkIndexExpr } from "./index-expr.js";
import { finishProgram } from "./select.js";
import { SEQUENCE_SQL } from "./autoinc.js";
import { compileCreateTableAs } from "./ctas.js";
import { DB_TEMP, dbName, findDb, locateIndex, locateTable, resolveDb, schemaAt } from "./dbs.js";

function noop(p: Parse): void {
  const b = p.b;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  finishProgram(p, init, end, false, false);
}

function checkName(p: Parse, name: string): void {
  if (lower(name).startsWith("sqlite_")) throw p.error(`object name reserved for internal use: ${name}`);
}

/** Appends one sqlite_schema row: regs type, name, tbl_name, root (register), sql. */
/** Emits the insert of one sqlite_schema row (type, name, tbl_name, the root page in `rootReg`, sql) through `cur`. */
export function schemaRow(p: Parse, cur: number, type: string, name: string, tbl: string, rootReg: number, sql: string | null): void {
  const b = p.b;
  const r = b.allocReg(5);
  b.add(Op.String8, 0, r, 0, type);
  b.add(Op.String8, 0, r + 1, 0, name);
  b.add(Op.String8, 0, r + 2, 0, tbl);
  b.add(Op.SCopy, rootReg, r + 3);
  if (sql === null) b.add(Op.Null, 0, r + 4);
  else b.add(Op.String8, 0, r + 4, 0, sql);
  const rec = b.allocReg();
  const rowid = b.allocReg();
  b.add(Op.MakeRecord, r, 5, rec, "BBBDB");
  b.add(Op.NewRowid, cur, rowid);
  b.add(Op.Insert, cur, rec, rowid, "sqlite_schema", 0);
}

/** Emits the schema cookie bump and the schema reload of database iDb that end every DDL program. */
export function bumpCookie(p: Parse, iDb = 0): void {
  p.b.add(Op.SetCookie, iDb, 1, (schemaAt(p, iDb).cookie + 1) >>> 0);
  p.b.add(Op.ParseSchema, iDb);
}

/**
 * The database a CREATE writes to (SQLite's sqlite3TwoPartName): TEMP for CREATE TEMP
 * (whose name must then be unqualified or `temp.`), the named database, else main.
 */
export function createTargetDb(p: Parse, temp: boolean, schema: string | null, what: string): number {
  if (temp) {
    if (schema !== null && resolveDb(p, schema) !== DB_TEMP) throw p.error(`temporary ${what} name must be unqualified`);
    return resolveDb(p, "temp");
  }
  return schema === null ? 0 : resolveDb(p, schema);
}

/**
 * "<kind> X already exists", X being the name as written (SQLite's %T: quotes kept), placed
 * at the name's token.
 */
export function alreadyExists(p: Parse, kind: string, stmt: { readonly start: number; readonly name: string }): SqliteError {
  const tok = objectNameToken(p.sql, stmt.start);
  return p.errorAt(tok, `${kind} ${tok === null ? stmt.name : tok.text} already exists`);
}

export function compileCreateTable(p: Parse, stmt: CreateTableStmt): void {
  const b = p.b;
  const iDb = createTargetDb(p, stmt.temp, stmt.schema, "table");
  const schema = schemaAt(p, iDb);
  checkName(p, stmt.name);
  if (schema.table(stmt.name) !== null || schema.others.has(lower(stmt.name))) {
    if (stmt.ifNotExists) return noop(p);
    const isView = schema.others.get(lower(stmt.name))?.type === "view";
    throw alreadyExists(p, isView ? "view" : "table", stmt);
  }
  if (schema.index(stmt.name) !== null) throw p.error(`there is already an index named ${stmt.name}`);
  if (stmt.asSelect !== null) return compileCreateTableAs(p, stmt, stmt.asSelect);
  const sql = storedSql(p.sql, stmt.start, stmt.end, "TABLE");
  const t = buildTable(stmt, p.sql, (n) => p.host.collation(n), p.host.encoding);
  for (const c of t.columns) {
    if (c.collation !== null) p.collation(c.collation);
  }
  validateGenerated(p, t);
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const root = b.allocReg();
  b.add(Op.CreateBtree, iDb, root, t.withoutRowid ? 2 : 1); // WITHOUT ROWID: an index B-tree
  const ixRoots = t.indexes.map(() => {
    const r = b.allocReg();
    b.add(Op.CreateBtree, iDb, r, 2);
    return r;
  });
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, iDb, 5);
  b.comment("sqlite_schema");
  schemaRow(p, cur, "table", t.name, t.name, root, sql);
  t.indexes.forEach((ix, i) => schemaRow(p, cur, "index", ix.name, t.name, ixRoots[i], null));
  if (t.autoincrement && schema.table("sqlite_sequence") === null) {
    // The first AUTOINCREMENT table creates sqlite_sequence (invariant 4).
    const seqRoot = b.allocReg();
    b.add(Op.CreateBtree, iDb, seqRoot, 1);
    schemaRow(p, cur, "table", "sqlite_sequence", "sqlite_sequence", seqRoot, SEQUENCE_SQL);
  }
  bumpCookie(p, iDb);
  finishProgram(p, init, end, true);
}

export function compileCreateIndex(p: Parse, stmt: CreateIndexStmt): void {
  const b = p.b;
  // The index goes where its table is (an unqualified table name is searched for, temp first).
  const loc = stmt.schema !== null ? null : locateTable(p, stmt.table, null);
  const iDb = stmt.schema !== null ? resolveDb(p, stmt.schema) : loc?.iDb ?? 0;
  const schema = schemaAt(p, iDb);
  if (schema.index(stmt.name) !== null) {
    if (stmt.ifNotExists) return noop(p);
    throw p.error(`index ${stmt.name} already exists`);
  }
  if (schema.table(stmt.name) !== null) throw p.error(`there is already a table named ${stmt.name}`);
  checkName(p, stmt.name);
  const t = schema.table(stmt.table);
  if (t === null) throw p.error(`no such table: ${dbName(p, iDb)}.${stmt.table}`);
  // SQLite keeps the index's text up to its `;`: trailing comments and whitespace too.
  const sql = storedSql(p.sql, stmt.start, p.sql.length, stmt.unique ? "UNIQUE INDEX" : "INDEX");
  const ix = buildIndex(stmt, t, sql, (n) => p.host.collation(n), p.host.encoding);
  if (ix.exprs !== null) for (const e of ix.exprs) if (e !== null) checkIndexExpr(p, t, e);
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const root = b.allocReg();
  b.add(Op.CreateBtree, iDb, root, 2);
  const sc = b.allocCursor();
  b.add(Op.OpenWrite, sc, 1, iDb, 5);
  schemaRow(p, sc, "index", ix.name, t.name, root, sql);
  // Fill the index (invariant 2).
  const ic = b.allocCursor();
  b.add(Op.OpenWrite, ic, root, iDb, ix.keyInfo, 2);
  fillIndex(p, t, ix, ic);
  bumpCookie(p, iDb);
  finishProgram(p, init, end, true);
}

/** Deletes sqlite_schema rows of database iDb whose column `col` (1 name, 2 tbl_name) equals `name` (NOCASE). */
function deleteSchemaRows(p: Parse, col: number, name: string, iDb: number): void {
  const b = p.b;
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, iDb, 5);
  const done = b.newLabel();
  const v = b.allocReg();
  const want = b.allocReg();
  b.add(Op.String8, 0, want, 0, name);
  b.add(Op.Rewind, cur, done);
  const top = b.addr;
  const next = b.newLabel();
  b.add(Op.Column, cur, col, v);
  b.add(Op.Ne, want, next, v, p.collation("NOCASE"), 0);
  b.add(Op.Delete, cur, 0, 0, null, 0);
  b.resolve(next);
  b.add(Op.Next, cur, top);
  b.resolve(done);
}

/** DELETE FROM sqlite_sequence WHERE name = `name` (invariant 3). */
function deleteSequenceRow(p: Parse, root: number, name: string, iDb: number): void {
  const b = p.b;
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, root, iDb, 2);
  b.comment("sqlite_sequence");
  const done = b.newLabel();
  const v = b.allocReg();
  const want = b.allocReg();
  b.add(Op.String8, 0, want, 0, name);
  b.add(Op.Rewind, cur, done);
  const top = b.addr;
  const next = b.newLabel();
  b.add(Op.Column, cur, 0, v);
  b.add(Op.Ne, want, next, v, null, 0x10);
  b.add(Op.Delete, cur, 0, 0, null, 0);
  b.resolve(next);
  b.add(Op.Next, cur, top);
  b.resolve(done);
  b.add(Op.Close, cur);
}

export function compileDrop(p: Parse, stmt: DropStmt): void {
  const b = p.b;
  if (stmt.object === "TABLE") {
    const loc = locateTable(p, stmt.name, stmt.schema);
    if (loc === null) {
      if (stmt.ifExists) return noop(p);
      throw p.error(`no such table: ${stmt.schema ? stmt.schema + "." : ""}${stmt.name}`);
    }
    const t = loc.table;
    const iDb = loc.iDb;
    const schema = schemaAt(p, iDb);
    if (lower(t.name).startsWith("sqlite_")) throw p.error(`table ${t.name} may not be dropped`);
    p.write = true;
    const init = b.add(Op.Init, 0, 0);
    const end = b.newLabel();
    fkDropTable(p, t);
    const roots = [t.root, ...t.indexes.map((ix) => ix.root)].sort((x, y) => y - x);
    const r = b.allocReg();
    const seq = schema.table("sqlite_sequence");
    if (t.autoincrement && seq !== null) deleteSequenceRow(p, seq.root, t.name, iDb);
    for (const root of roots) b.add(Op.Destroy, root, r, iDb);
    deleteSchemaRows(p, 2, t.name, iDb);
    b.add(Op.SetCookie, iDb, 1, (schema.cookie + 1) >>> 0);
    b.add(Op.DropTable, iDb, 0, 0, t.name);
    dropTempTriggers(p, t.name, iDb);
    finishProgram(p, init, end, true);
    return;
  }
  if (stmt.object === "INDEX") {
    const loc = locateIndex(p, stmt.name, stmt.schema);
    if (loc === null) {
      if (stmt.ifExists) return noop(p);
      throw p.error(`no such index: ${stmt.schema ? stmt.schema + "." : ""}${stmt.name}`);
    }
    const ix = loc.index;
    const iDb = loc.iDb;
    const schema = schemaAt(p, iDb);
    if (ix.origin !== "c") throw p.error("index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped");
    p.write = true;
    const init = b.add(Op.Init, 0, 0);
    const end = b.newLabel();
    const r = b.allocReg();
    b.add(Op.Destroy, ix.root, r, iDb);
    deleteSchemaRows(p, 1, ix.name, iDb);
    b.add(Op.SetCookie, iDb, 1, (schema.cookie + 1) >>> 0);
    b.add(Op.DropIndex, iDb, 0, 0, ix.name);
    finishProgram(p, init, end, true);
    return;
  }
  throw p.error(`DROP ${stmt.object} is not supported yet`);
}

/**
 * DROP TABLE of a table outside TEMP also drops the TEMP triggers on it (SQLite's
 * sqlite3DropTable drops every trigger of the table, wherever it is stored).
 */
function dropTempTriggers(p: Parse, name: string, iDb: number): void {
  if (iDb === DB_TEMP || !p.host.dbOpen(DB_TEMP)) return;
  const temp = p.host.schemaOf(DB_TEMP);
  const k = lower(name);
  const names: string[] = [];
  for (const [trig, o] of temp.others) {
    if (o.type !== "trigger" || lower(o.tblName) !== k) continue;
    // The trigger's table: its qualifier, else the name in search order (temp first).
    const st = parse(o.sql)[0];
    const target = st.kind === "createTrigger" && st.tableSchema !== null ? findDb(p, st.tableSchema) : temp.table(name) !== null ? DB_TEMP : iDb;
    if (target === iDb) names.push(trig);
  }
  if (names.length === 0) return;
  for (const n of names) deleteSchemaRows(p, 1, n, DB_TEMP);
  bumpCookie(p, DB_TEMP);
}
