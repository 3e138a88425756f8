/*
 * codegen/alter.ts: ALTER TABLE (SQLite's alter.c with legacy_alter_table=OFF;
 * https://sqlite.org/lang_altertable.html): RENAME TO, RENAME [COLUMN] a TO b,
 * ADD [COLUMN], DROP [COLUMN].
 *
 * The new sqlite_schema text of every affected object is computed here, at compile time,
 * from the schema the statement compiles against (the Transaction opcode re-checks the
 * schema cookie, so the schema cannot change under the program). The program then
 * rewrites those sqlite_schema rows in place, renames the sqlite_sequence row, rewrites
 * the table's rows for DROP COLUMN, bumps the cookie and reloads the schema.
 *
 * Invariants:
 *  1. Rewritten CREATE text keeps the user's text except the renamed tokens
 *     (alter-refs.ts); ADD COLUMN inserts ", <column text>" where SQLite's addColOffset
 *     points (before the `,` that starts the table constraints, else before the `)`);
 *     DROP COLUMN cuts from the column's name to the next column's name (the last column:
 *     from the `,` before it to addColOffset).
 *  2. ADD COLUMN's "if not empty" errors (NOT NULL without default, non-constant default,
 *     REFERENCES with a default while foreign_keys is on, STORED) are runtime checks that
 *     the table has a row, as SQLite's sqlite3ErrorIfNotEmpty, and such a statement has
 *     the result column SQLite's nested SELECT gives it (its column name).
 *  3. Errors that SQLite finds by re-parsing the schema after the change (renameTestSchema)
 *     are found before the program runs: "error in <type> <name> after <rename|drop
 *     column>: <message>", objects taken in sqlite_schema rowid order. COMPAT: only
 *     references to the renamed/dropped name are checked; a view or trigger that was
 *     already broken is not reported (docs/compat.md).
 *  4. DROP COLUMN rewrites every row (without the dropped field) keeping its rowid; rows
 *     shorter than the table get the defaults of their missing columns written out.
 */
import { SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT } from "@strata/common";
import type { AlterTableStmt, ColumnDef, CreateTableStmt, Statement } from "../parser/ast.js";
import { parse } from "../parser/parse-stmt.js";
import { scan } from "../parser/tokenizer.js";
import { MAX_COLUMN } from "../parser/parser.js";
import { buildTable, lower, type Schema, type SchemaEntry, type Table } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import { dequote, editSql, findRefs, type RenameTarget } from "./alter-refs.js";
import { columnDefault, tableColumn, valueFromExpr } from "./column-default.js";
import { bumpCookie } from "./ddl.js";
import { ifFalse } from "./expr.js";
import { isVirtual, validateGenerated } from "./generated.js";
import { finishProgram } from "./select.js";

const SQLITE_ERROR = 1;

/** One sqlite_schema row to rewrite: found by (type, name), given a new name, tbl_name and sql. */
interface SchemaChange {
  readonly type: string;
  readonly name: string;
  readonly newName: string;
  readonly newTbl: string;
  readonly sql: string | null;
}

export function compileAlter(p: Parse, stmt: AlterTableStmt): void {
  switch (stmt.action.kind) {
    case "renameTable": return renameTable(p, stmt, stmt.action.to);
    case "renameColumn": return renameColumn(p, stmt, stmt.action.from, stmt.action.to);
    case "addColumn": return addColumn(p, stmt, stmt.action.column);
    case "dropColumn": return dropColumn(p, stmt, stmt.action.column);
  }
}

// ------------------------------------------------------------------ shared checks

function isView(schema: Schema, name: string): boolean {
  return schema.others.get(lower(name))?.type === "view";
}

function noSuchTable(p: Parse, stmt: AlterTableStmt): Error {
  return p.error(`no such table: ${stmt.schema !== null ? stmt.schema + "." : ""}${stmt.table}`);
}

/** isAlterableTable: the sqlite_ tables may not be altered (sqlite_schema is "sqlite_master" here). */
function checkAlterable(p: Parse, t: Table): void {
  const k = lower(t.name);
  if (k.startsWith("sqlite_")) throw p.error(`table ${k === "sqlite_schema" ? "sqlite_master" : t.name} may not be altered`);
}

/** The tokens of the ALTER statement itself. */
function stmtTokens(p: Parse, stmt: AlterTableStmt): { text: string; start: number }[] {
  const t = scan(p.sql.slice(stmt.start, stmt.end));
  const out: { text: string; start: number }[] = [];
  for (let i = 0; i < t.length; i++) if (t.kinds[i] !== "EOF") out.push({ text: t.text(i), start: stmt.start + t.starts[i] });
  return out;
}

function isQuote(c: string): boolean {
  return c === "\"" || c === "'" || c === "`" || c === "[";
}

function parseOne(sql: string): Statement {
  return parse(sql)[0];
}

/** The column list's end (SQLite's addColOffset): the `,` before the table constraints, else the `)`. */
function addColOffset(sql: string, st: CreateTableStmt): number {
  const cols = st.columns!;
  const from = cols[cols.length - 1].end;
  const t = scan(sql.slice(from, st.end));
  return from + t.starts[0];
}

// ------------------------------------------------------------------ the program

/** Rewrites sqlite_schema rows (found by type and name), the sqlite_sequence row, then `extra`. */
function emitProgram(p: Parse, changes: readonly SchemaChange[], seqRename: { from: string; to: string } | null, extra: (() => void) | null): void {
  const b = p.b;
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  if (extra !== null) extra();
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, 0, 5);
  b.comment("sqlite_schema");
  const found = changes.map(() => {
    const r = b.allocReg();
    b.add(Op.Null, 0, r);
    return r;
  });
  const vType = b.allocReg();
  const vName = b.allocReg();
  const want = b.allocReg();
  const scanned = b.newLabel();
  b.add(Op.Rewind, cur, scanned);
  const top = b.addr;
  b.add(Op.Column, cur, 0, vType);
  b.add(Op.Column, cur, 1, vName);
  changes.forEach((c, k) => {
    const next = b.newLabel();
    b.add(Op.String8, 0, want, 0, c.type);
    b.add(Op.Ne, want, next, vType, null, 0x10);
    b.add(Op.String8, 0, want, 0, c.name);
    b.add(Op.Ne, want, next, vName, null, 0x10);
    b.add(Op.Rowid, cur, found[k]);
    b.resolve(next);
  });
  b.add(Op.Next, cur, top);
  b.resolve(scanned);
  const r = b.allocReg(5);
  const rec = b.allocReg();
  changes.forEach((c, k) => {
    const skip = b.newLabel();
    b.add(Op.IsNull, found[k], skip);
    b.add(Op.NotExists, cur, skip, found[k]);
    b.add(Op.String8, 0, r, 0, c.type);
    b.add(Op.String8, 0, r + 1, 0, c.newName);
    b.add(Op.String8, 0, r + 2, 0, c.newTbl);
    b.add(Op.Column, cur, 3, r + 3);
    if (c.sql === null) b.add(Op.Null, 0, r + 4);
    else b.add(Op.String8, 0, r + 4, 0, c.sql);
    b.add(Op.MakeRecord, r, 5, rec, "BBBDB");
    b.add(Op.Insert, cur, rec, found[k], "sqlite_schema", 0);
    b.resolve(skip);
  });
  b.add(Op.Close, cur);
  const seq = p.host.schema.table("sqlite_sequence");
  if (seqRename !== null && seq !== null) renameSequence(p, seq.root, seqRename.from, seqRename.to);
  bumpCookie(p);
  finishProgram(p, init, end, true);
}

/** UPDATE sqlite_sequence SET name = `to` WHERE name = `from` (BINARY). */
function renameSequence(p: Parse, root: number, from: string, to: string): void {
  const b = p.b;
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, root, 0, 2);
  b.comment("sqlite_sequence");
  const set = b.allocReg();
  const v = b.allocReg();
  const want = b.allocReg();
  const rowid = b.allocReg();
  b.add(Op.String8, 0, want, 0, from);
  const scanned = b.newLabel();
  b.add(Op.Rewind, cur, scanned);
  const top = b.addr;
  const next = b.newLabel();
  b.add(Op.Column, cur, 0, v);
  b.add(Op.Ne, want, next, v, null, 0x10);
  b.add(Op.Rowid, cur, rowid);
  b.add(Op.RowSetAdd, set, rowid);
  b.resolve(next);
  b.add(Op.Next, cur, top);
  b.resolve(scanned);
  const done = b.newLabel();
  const r = b.allocReg(2);
  const rec = b.allocReg();
  const loop = b.add(Op.RowSetRead, set, done, rowid);
  b.add(Op.NotExists, cur, loop, rowid);
  b.add(Op.String8, 0, r, 0, to);
  b.add(Op.Column, cur, 1, r + 1);
  b.add(Op.MakeRecord, r, 2, rec);
  b.add(Op.Insert, cur, rec, rowid, "sqlite_sequence", 0);
  b.add(Op.Goto, 0, loop);
  b.resolve(done);
  b.add(Op.Close, cur);
}

/** The sql rewrites for a rename of `target` (objects not named sqlite_%, in rowid order). */
function renameSql(p: Parse, target: RenameTarget, newName: string, quote: boolean): Map<SchemaEntry, string> {
  const schema = p.host.schema;
  const out = new Map<SchemaEntry, string>();
  for (const e of schema.entries) {
    if (e.sql === null || lower(e.name).startsWith("sqlite_")) continue;
    if (e.type === "index" && lower(e.tblName) !== target.table) continue;
    let st: Statement;
    try {
      st = parseOne(e.sql);
    } catch {
      continue;
    }
    if (st.kind === "createVirtualTable") continue;
    const spans = findRefs(e.sql, st, schema, target);
    if (spans.length > 0) out.set(e, editSql(e.sql, spans, newName, quote));
  }
  return out;
}

// ------------------------------------------------------------------ RENAME TO

function renameTable(p: Parse, stmt: AlterTableStmt, to: string): void {
  const schema = p.host.schema;
  const t = schema.table(stmt.table);
  const view = t === null && isView(schema, stmt.table);
  if (t === null && !view) throw noSuchTable(p, stmt);
  if (schema.table(to) !== null || schema.index(to) !== null || isView(schema, to)) {
    throw p.error(`there is already another table or index with this name: ${to}`);
  }
  if (t !== null) checkAlterable(p, t);
  if (lower(to).startsWith("sqlite_")) throw p.error(`object name reserved for internal use: ${to}`);
  if (t === null) throw p.error(`view ${stmt.table} may not be altered`);
  const old = t.name;
  const k = lower(old);
  const sqls = renameSql(p, { kind: "table", table: k }, to, true);
  const changes: SchemaChange[] = [];
  for (const e of schema.entries) {
    let newName = e.name;
    let newTbl = e.tblName;
    if (lower(e.tblName) === k && (e.type === "table" || e.type === "index" || e.type === "trigger")) {
      newTbl = to;
      if (e.type === "table") newName = to;
      else if (e.type === "index" && lower(e.name).startsWith("sqlite_autoindex")) newName = `sqlite_autoindex_${to}${e.name.slice(17 + old.length)}`;
    }
    const sql = sqls.get(e) ?? e.sql;
    if (newName !== e.name || newTbl !== e.tblName || sql !== e.sql) changes.push({ type: e.type, name: e.name, newName, newTbl, sql });
  }
  emitProgram(p, changes, { from: old, to }, null);
}

// ------------------------------------------------------------------ RENAME COLUMN

/** Table `name` for RENAME/DROP COLUMN: exists, alterable, not a view. */
function realTable(p: Parse, stmt: AlterTableStmt, verb: string): Table {
  const schema = p.host.schema;
  const t = schema.table(stmt.table);
  if (t === null) {
    if (isView(schema, stmt.table)) {
      const e = schema.entries.find((x) => x.type === "view" && lower(x.name) === lower(stmt.table));
      throw p.error(`cannot ${verb} view "${e?.name ?? stmt.table}"`);
    }
    throw noSuchTable(p, stmt);
  }
  checkAlterable(p, t);
  return t;
}

function findColumn(p: Parse, t: Table, name: string, written: string): number {
  const k = lower(name);
  const i = t.columns.findIndex((c) => lower(c.name) === k);
  if (i < 0) throw p.error(`no such column: "${written}"`);
  return i;
}

function renameColumn(p: Parse, stmt: AlterTableStmt, from: string, to: string): void {
  const t = realTable(p, stmt, "rename columns of");
  const toks = stmtTokens(p, stmt);
  const newTok = toks[toks.length - 1];
  const oldTok = toks[toks.length - 3];
  const iCol = findColumn(p, t, from, oldTok.text);
  const quote = isQuote(newTok.text[0]);
  const sqls = renameSql(p, { kind: "column", table: lower(t.name), column: lower(t.columns[iCol].name) }, to, quote);
  const changes: SchemaChange[] = [];
  for (const e of p.host.schema.entries) {
    const sql = sqls.get(e);
    if (sql === undefined) continue;
    if (e.type === "table" && lower(e.name) === lower(t.name)) {
      // renameTestSchema: the table must still build (duplicate column names).
      try {
        const st = parseOne(sql);
        if (st.kind === "createTable") buildTable(st, sql, (n) => p.host.collation(n), p.host.encoding);
      } catch (err) {
        throw p.error(`error in table ${e.name} after rename: ${(err as Error).message}`);
      }
    }
    changes.push({ type: e.type, name: e.name, newName: e.name, newTbl: e.tblName, sql });
  }
  emitProgram(p, changes, null, null);
}

// ------------------------------------------------------------------ ADD COLUMN

/** The text SQLite appends: from the column name to the statement's end, without a trailing `;` or spaces. */
function columnText(p: Parse, stmt: AlterTableStmt, cd: ColumnDef): string {
  const rest = scan(p.sql.slice(stmt.end));
  // SQLite's span runs to the end of the last token the parser saw: the `;`, or the end
  // of the text (trailing comments included). COMPAT: the connection compiles the text
  // up to the statement's last token, so a comment after the column definition is not
  // kept (docs/compat.md).
  const nul = p.sql.indexOf("\0");
  const endTok = rest.kinds[0] === "SEMI" ? stmt.end + rest.ends[0] : nul >= 0 ? nul : p.sql.length;
  return p.sql.slice(cd.start, endTok).replace(/[;\s]+$/, "");
}

function addColumn(p: Parse, stmt: AlterTableStmt, cd: ColumnDef): void {
  const schema = p.host.schema;
  const t = schema.table(stmt.table);
  if (t === null) {
    if (isView(schema, stmt.table)) throw p.error("Cannot add a column to a view");
    throw noSuchTable(p, stmt);
  }
  checkAlterable(p, t);
  // SQLite adds the column to a copy named sqlite_altertab_<name> (alter.c), whose name the message shows.
  if (t.columns.length >= MAX_COLUMN) throw p.error(`too many columns on sqlite_altertab_${t.name}`);
  if (t.columns.some((c) => lower(c.name) === lower(cd.name))) throw p.error(`duplicate column name: ${cd.name}`);
  if (cd.constraints.some((c) => c.kind === "primaryKey")) throw p.error("Cannot add a PRIMARY KEY column");
  if (cd.constraints.some((c) => c.kind === "unique")) throw p.error("Cannot add a UNIQUE column");
  const tst = parseOne(t.sql) as CreateTableStmt;
  const off = addColOffset(t.sql, tst);
  const newSql = `${t.sql.slice(0, off)}, ${columnText(p, stmt, cd)}${t.sql.slice(off)}`;
  // The new table must build (duplicate names, STRICT types, collations...).
  const newSt = parseOne(newSql) as CreateTableStmt;
  let nt: Table;
  try {
    nt = buildTable(newSt, newSql, (n) => p.host.collation(n), p.host.encoding);
  } catch (err) {
    const m = (err as Error).message;
    // STRICT type errors come from SQLite's re-parse of the new schema (invariant 3).
    if (/^(missing|unknown) datatype/.test(m)) throw p.error(`error in table ${t.name} after add column: ${m}`);
    throw err;
  }
  nt.root = t.root;
  try {
    validateGenerated(p, nt);
  } catch (err) {
    throw p.error(`error in table ${t.name} after add column: ${(err as Error).message}`);
  }
  const col = nt.columns[nt.columns.length - 1];
  const gen = cd.constraints.find((c) => c.kind === "generated");
  const ifNotEmpty: string[] = [];
  if (gen === undefined) {
    let dflt = col.dflt;
    if (dflt !== null && dflt.kind === "literal" && dflt.type === "null") dflt = null;
    const fk = cd.constraints.some((c) => c.kind === "references");
    if (p.host.settings?.foreignKeys !== false && fk && dflt !== null) ifNotEmpty.push("Cannot add a REFERENCES column with non-NULL default value");
    if (col.notNull && dflt === null) ifNotEmpty.push("Cannot add a NOT NULL column with default value NULL");
    if (dflt !== null && valueFromExpr(dflt, 0x41) === null) ifNotEmpty.push("Cannot add a column with non-constant default");
  } else if (gen.storage === "STORED") ifNotEmpty.push("cannot add a STORED column");
  const hasCheck = cd.constraints.some((c) => c.kind === "check");
  const quick = hasCheck || (col.notNull && gen !== undefined) || t.strict === true;
  if (ifNotEmpty.length > 0) p.columnNames.push(`raise(ABORT,'${ifNotEmpty[0]}')`);
  else if (quick) {
    p.columnNames.push("CASE WHEN quick_check GLOB 'CHECK*' THEN raise(ABORT,'CHECK constraint failed') WHEN quick_check GLOB 'non-* value in*' THEN raise(ABORT,'type mismatch on DEFAULT') ELSE raise(ABORT,'NOT NULL constraint failed') END");
  }
  if (p.columnNames.length > 0) p.decltypes.push(null);
  const changes: SchemaChange[] = [{ type: "table", name: t.name, newName: t.name, newTbl: t.name, sql: newSql }];
  emitProgram(p, changes, null, () => {
    const b = p.b;
    if (ifNotEmpty.length > 0) {
      const cur = b.allocCursor();
      b.add(Op.OpenRead, cur, t.root, 0, 1);
      const empty = b.newLabel();
      b.add(Op.Rewind, cur, empty);
      b.add(Op.Halt, SQLITE_ERROR, 2, 0, ifNotEmpty[0]);
      b.resolve(empty);
      b.add(Op.Close, cur);
    }
    if (quick) quickCheck(p, nt);
  });
}

/** Whether a STRICT column's value fits its declared type (NULL fits). */
function strictFits(type: number, decl: string | null): boolean {
  if (type === SQLITE_NULL || decl === null) return true;
  switch (decl.toUpperCase()) {
    case "INT": case "INTEGER": return type === SQLITE_INTEGER;
    case "REAL": return type === SQLITE_INTEGER || type === SQLITE_FLOAT;
    case "TEXT": return type === SQLITE_TEXT;
    case "BLOB": return type === SQLITE_BLOB;
    default: return true;
  }
}

/**
 * The check ADD COLUMN runs through pragma_quick_check: for each row (rowid order), NOT
 * NULL columns, then (STRICT) the new column's default's type, then the CHECK constraints.
 */
function quickCheck(p: Parse, nt: Table): void {
  const b = p.b;
  const cur = b.allocCursor();
  b.add(Op.OpenRead, cur, nt.root, 0, nt.columns.length);
  const item: SrcItem = { table: nt, cursor: cur, alias: null };
  const done = b.newLabel();
  b.add(Op.Rewind, cur, done);
  const top = b.addr;
  const v = b.allocReg();
  const last = nt.columns[nt.columns.length - 1];
  const dv = columnDefault(last);
  const typeBad = nt.strict === true && !strictFits(dv === null ? SQLITE_NULL : dv.type, last.decltype);
  nt.columns.forEach((c, i) => {
    if (c.notNull && i !== nt.iPKey) {
      tableColumn(p, nt, cur, i, v);
      const ok = b.newLabel();
      b.add(Op.NotNull, v, ok);
      b.add(Op.Halt, SQLITE_ERROR, 2, 0, "NOT NULL constraint failed");
      b.resolve(ok);
    }
    if (typeBad && i === nt.columns.length - 1) b.add(Op.Halt, SQLITE_ERROR, 2, 0, "type mismatch on DEFAULT");
  });
  if (nt.checks.length > 0) {
    const bad = b.newLabel();
    const ok = b.newLabel();
    for (const ck of nt.checks) ifFalse(p, ck.expr, [item], bad, false);
    b.add(Op.Goto, 0, ok);
    b.resolve(bad);
    b.add(Op.Halt, SQLITE_ERROR, 2, 0, "CHECK constraint failed");
    b.resolve(ok);
  }
  b.add(Op.Next, cur, top);
  b.resolve(done);
  b.add(Op.Close, cur);
}

// ------------------------------------------------------------------ DROP COLUMN

function dropColumn(p: Parse, stmt: AlterTableStmt, name: string): void {
  const schema = p.host.schema;
  const t = realTable(p, stmt, "drop column from");
  const toks = stmtTokens(p, stmt);
  const iCol = findColumn(p, t, name, toks[toks.length - 1].text);
  const col = t.columns[iCol];
  const unique = t.indexes.some((ix) => ix.origin === "u" && ix.columns.includes(iCol));
  if (col.primaryKey || unique) throw p.error(`cannot drop ${col.primaryKey ? "PRIMARY KEY" : "UNIQUE"} column: "${col.name}"`);
  if (t.columns.length <= 1) throw p.error(`cannot drop column "${col.name}": no other columns exist`);
  const st = parseOne(t.sql) as CreateTableStmt;
  const cols = st.columns!;
  let from = cols[iCol].start;
  let to: number;
  if (iCol < cols.length - 1) to = cols[iCol + 1].start;
  else {
    to = addColOffset(t.sql, st);
    while (from > 0 && t.sql[from] !== ",") from--;
  }
  const newSql = t.sql.slice(0, from) + t.sql.slice(to);
  const target: RenameTarget = { kind: "column", table: lower(t.name), column: lower(col.name) };
  // renameTestSchema after the drop (invariant 3).
  const fail = (type: string, obj: string, msg: string): Error => p.error(`error in ${type} ${obj} after drop column: ${msg}`);
  for (const e of schema.entries) {
    if (e.sql === null || lower(e.name).startsWith("sqlite_")) continue;
    if (e.type === "table" && lower(e.name) === lower(t.name)) {
      const nst = parseOne(newSql) as CreateTableStmt;
      for (const c of nst.constraints) {
        if (c.kind === "foreignKeyConstraint") {
          for (const fc of c.columns) if (lower(fc) === target.column) throw fail("table", e.name, `unknown column "${fc}" in foreign key definition`);
        }
      }
      if (t.columns.every((c, i) => i === iCol || c.generated != null)) throw fail("table", e.name, "must have at least one non-generated column");
      const own = findRefs(newSql, nst, schema, target);
      if (own.length > 0) {
        const r = own.find((x) => x.text !== undefined) ?? own[0];
        throw fail("table", e.name, `no such column: ${r.text ?? col.name}`);
      }
      continue;
    }
    if (e.type === "table") continue;
    if (e.type === "index" && lower(e.tblName) !== target.table) continue;
    let est: Statement;
    try {
      est = parseOne(e.sql);
    } catch {
      continue;
    }
    const refs = findRefs(e.sql, est, schema, target);
    if (refs.length > 0) {
      const r = refs.find((x) => x.text !== undefined) ?? refs[0];
      throw fail(e.type, e.name, `no such column: ${r.text ?? dequote(e.sql.slice(r.start, r.end))}`);
    }
  }
  const changes: SchemaChange[] = [{ type: "table", name: t.name, newName: t.name, newTbl: t.name, sql: newSql }];
  emitProgram(p, changes, null, isVirtual(col) ? null : () => rewriteRows(p, t, iCol));
}

/** Rewrites each row of `t` without column `iCol` (invariant 4). */
function rewriteRows(p: Parse, t: Table, iCol: number): void {
  const b = p.b;
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, t.root, 0, t.columns.length);
  const set = b.allocReg();
  const rowid = b.allocReg();
  const scanned = b.newLabel();
  b.add(Op.Rewind, cur, scanned);
  const top = b.addr;
  b.add(Op.Rowid, cur, rowid);
  b.add(Op.RowSetAdd, set, rowid);
  b.add(Op.Next, cur, top);
  b.resolve(scanned);
  const n = t.columns.filter((c, i) => i !== iCol && !isVirtual(c)).length;
  const regs = b.allocReg(n);
  const rec = b.allocReg();
  const done = b.newLabel();
  const loop = b.add(Op.RowSetRead, set, done, rowid);
  b.add(Op.NotExists, cur, loop, rowid);
  let k = 0;
  t.columns.forEach((c, i) => {
    if (i === iCol || isVirtual(c)) return;
    if (i === t.iPKey) b.add(Op.Null, 0, regs + k);
    else tableColumn(p, t, cur, i, regs + k);
    k++;
  });
  b.add(Op.MakeRecord, regs, n, rec);
  b.add(Op.Insert, cur, rec, rowid, t.name, 0);
  b.add(Op.Goto, 0, loop);
  b.resolve(done);
  b.add(Op.Close, cur);
}
