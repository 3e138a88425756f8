/*
 * codegen/view.ts: CREATE VIEW, DROP VIEW and the expansion of a view where a FROM
 * clause names it (SQLite's build.c sqlite3CreateView / sqlite3ViewGetColumnNames,
 * select.c; https://sqlite.org/lang_createview.html, lang_dropview.html).
 *
 * A view is stored as SQLite stores it: a sqlite_schema row ('view', name, name, 0,
 * "CREATE VIEW " + the text from the name on). The body is not checked when the view is
 * created (SQLite accepts `CREATE VIEW v AS SELECT * FROM nosuch`); it is parsed from the
 * stored text and compiled where the view is used, materialized like a subquery in FROM
 * (subquery.ts), with none of the using statement's CTEs or outer tables in scope.
 *
 * Invariants:
 *  1. A view that reaches itself while it expands fails with "view v is circularly
 *     defined"; a column list of the wrong length with "expected N columns for 'v' but
 *     got M" (both at use, as in SQLite).
 *  2. Names: a view shares the table namespace ("table t already exists", "view v
 *     already exists"); DROP VIEW on a table and DROP TABLE on a view fail with SQLite's
 *     "use DROP TABLE/VIEW" messages.
 */
import { SqliteError } from "@strata/common";
import type { CreateViewStmt, DropStmt, Statement } from "../parser/ast.js";
import { parse } from "../parser/parse-stmt.js";
import { storedSql } from "../schema/load.js";
import { lower } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import type { CteScope, OuterFrame, Parse, SrcItem } from "./context.js";
import { finishProgram } from "./select.js";
import { describeSelect, materialize, type ColInfo } from "./subquery.js";
import { bumpCookie, schemaRow } from "./ddl.js";

const parsed = new Map<string, CreateViewStmt>();

export function isView(p: Parse, name: string): boolean {
  return p.host.schema.others.get(lower(name))?.type === "view";
}

function viewDef(p: Parse, name: string): CreateViewStmt {
  const o = p.host.schema.others.get(lower(name))!;
  let st = parsed.get(o.sql);
  if (st === undefined) {
    let s: Statement;
    try {
      s = parse(o.sql)[0];
    } catch {
      throw new SqliteError("SQLITE_CORRUPT", `malformed database schema (${name})`);
    }
    if (s.kind !== "createView") throw new SqliteError("SQLITE_CORRUPT", `malformed database schema (${name})`);
    st = s;
    if (parsed.size > 256) parsed.clear();
    parsed.set(o.sql, st);
  }
  return st;
}

/** Compiles with the view's own context: no CTEs, no outer tables; detects cycles. */
function inViewContext<T>(p: Parse, name: string, fn: () => T): T {
  const k = lower(name);
  if (p.viewStack.includes(k)) throw p.error(`view ${name} is circularly defined`);
  const ctes: CteScope[] = p.ctes.splice(0);
  const outer: OuterFrame[] = p.outer.splice(0);
  p.viewStack.push(k);
  try {
    return fn();
  } finally {
    p.viewStack.pop();
    p.ctes.push(...ctes);
    p.outer.push(...outer);
  }
}

function checkColumns(p: Parse, v: CreateViewStmt, got: number): void {
  if (v.columns !== null && v.columns.length !== got) {
    throw p.error(`expected ${v.columns.length} columns for '${v.name}' but got ${got}`);
  }
}

/** The result columns of view `name`, renamed by its column list. */
export function describeView(p: Parse, name: string): ColInfo[] {
  const v = viewDef(p, name);
  return inViewContext(p, v.name, () => {
    const cols = describeSelect(p, v.select, []);
    checkColumns(p, v, cols.length);
    return v.columns === null ? cols : cols.map((c, i) => ({ ...c, name: v.columns![i] }));
  });
}

/** The FROM item for a view: its body materialized. */
export function viewItem(p: Parse, name: string, alias: string | null): SrcItem {
  const v = viewDef(p, name);
  return inViewContext(p, v.name, () => {
    checkColumns(p, v, describeSelect(p, v.select, []).length);
    return materialize(p, v.select, v.name, v.columns, alias ?? v.name);
  });
}

function noop(p: Parse): void {
  const init = p.b.add(Op.Init, 0, 0);
  finishProgram(p, init, p.b.newLabel(), false, false);
}

export function compileCreateView(p: Parse, stmt: CreateViewStmt): void {
  const b = p.b;
  const schema = p.host.schema;
  if (stmt.temp) throw p.error("TEMP views are not supported yet");
  if (schema.table(stmt.name) !== null || schema.others.has(lower(stmt.name))) {
    if (stmt.ifNotExists) return noop(p);
    throw p.error(`${isView(p, stmt.name) ? "view" : "table"} ${stmt.name} already exists`);
  }
  if (schema.index(stmt.name) !== null) throw p.error(`there is already an index named ${stmt.name}`);
  if (lower(stmt.name).startsWith("sqlite_")) throw p.error(`object name reserved for internal use: ${stmt.name}`);
  const sql = storedSql(p.sql, stmt.start, stmt.end, "VIEW");
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, 0, 5);
  b.comment("sqlite_schema");
  const rootReg = b.allocReg();
  b.add(Op.Integer, 0, rootReg);
  schemaRow(p, cur, "view", stmt.name, stmt.name, rootReg, sql);
  bumpCookie(p);
  finishProgram(p, init, b.newLabel(), true);
}

/** DROP VIEW; also the "use DROP VIEW" check of DROP TABLE (returns false to let ddl.ts handle it). */
export function compileDropView(p: Parse, stmt: DropStmt): boolean {
  const b = p.b;
  const schema = p.host.schema;
  if (stmt.object === "TABLE") {
    if (schema.table(stmt.name) === null && isView(p, stmt.name)) throw p.error(`use DROP VIEW to delete view ${stmt.name}`);
    return false;
  }
  if (stmt.object !== "VIEW") return false;
  if (!isView(p, stmt.name)) {
    if (schema.table(stmt.name) !== null) throw p.error(`use DROP TABLE to delete table ${stmt.name}`);
    if (stmt.ifExists) { noop(p); return true; }
    throw p.error(`no such view: ${stmt.schema ? stmt.schema + "." : ""}${stmt.name}`);
  }
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, 0, 5);
  const done = b.newLabel();
  const v = b.allocReg();
  const want = b.allocReg();
  b.add(Op.String8, 0, want, 0, stmt.name);
  b.add(Op.Rewind, cur, done);
  const top = b.addr;
  const next = b.newLabel();
  b.add(Op.Column, cur, 2, v); // tbl_name: the view and its triggers
  b.add(Op.Ne, want, next, v, p.collation("NOCASE"), 0);
  b.add(Op.Delete, cur, 0, 0, null, 0);
  b.resolve(next);
  b.add(Op.Next, cur, top);
  b.resolve(done);
  b.add(Op.SetCookie, 0, 1, (schema.cookie + 1) >>> 0);
  b.add(Op.ParseSchema, 0);
  finishProgram(p, init, b.newLabel(), true);
  return true;
}
