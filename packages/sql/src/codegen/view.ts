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
import { alreadyExists, bumpCookie, schemaRow } from "./ddl.js";
import { DB_TEMP, findDb, locateOther, locateRelation, schemaAt } from "./dbs.js";
import { createTargetDb } from "./ddl.js";

const parsed = new Map<string, CreateViewStmt>();
/** The stored text each parsed view came from (its spans index it). */
const textOf = new WeakMap<CreateViewStmt, string>();

/** Whether the first object named `name` in search order is a view (codegen/dbs.ts invariant 2). */
export function isView(p: Parse, name: string, schema: string | null = null): boolean {
  const r = locateRelation(p, name, schema);
  return r !== null && r.table === null;
}

function viewDef(p: Parse, name: string, iDb: number | null): { v: CreateViewStmt; iDb: number } {
  const found = iDb !== null ? { iDb, ...p.host.schemaOf(iDb).others.get(lower(name))! } : locateOther(p, name, null, "view")!;
  const o = found;
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
    textOf.set(st, o.sql);
  }
  return { v: st, iDb: found.iDb };
}

/**
 * Compiles with the view's own context: no CTEs, no outer tables, and its stored text as
 * the text its spans index (a result column without AS is named by its text); detects cycles.
 */
function inViewContext<T>(p: Parse, v: CreateViewStmt, iDb: number, fn: () => T): T {
  const name = v.name;
  const k = lower(name);
  if (p.viewStack.includes(k)) throw p.error(`view ${name} is circularly defined`);
  const ctes: CteScope[] = p.ctes.splice(0);
  const outer: OuterFrame[] = p.outer.splice(0);
  const sql = p.sql;
  p.sql = textOf.get(v)!;
  p.viewStack.push(k);
  p.homeDbs.push(iDb);
  try {
    return fn();
  } finally {
    p.sql = sql;
    p.viewStack.pop();
    p.homeDbs.pop();
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
export function describeView(p: Parse, name: string, iDb: number | null = null): ColInfo[] {
  const { v, iDb: home } = viewDef(p, name, iDb);
  return inViewContext(p, v, home, () => {
    const cols = describeSelect(p, v.select, []);
    checkColumns(p, v, cols.length);
    return v.columns === null ? cols : cols.map((c, i) => ({ ...c, name: v.columns![i] }));
  });
}

/** The FROM item for a view: its body materialized. */
export function viewItem(p: Parse, name: string, alias: string | null, iDb: number | null = null): SrcItem {
  const { v, iDb: home } = viewDef(p, name, iDb);
  return inViewContext(p, v, home, () => {
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
  const iDb = createTargetDb(p, stmt.temp, stmt.schema, "table");
  const schema = schemaAt(p, iDb);
  if (schema.table(stmt.name) !== null || schema.others.has(lower(stmt.name))) {
    if (stmt.ifNotExists) return noop(p);
    throw alreadyExists(p, schema.others.get(lower(stmt.name))?.type === "view" ? "view" : "table", stmt);
  }
  if (iDb !== DB_TEMP) checkViewRefs(p, stmt, iDb);
  if (schema.index(stmt.name) !== null) throw p.error(`there is already an index named ${stmt.name}`);
  if (lower(stmt.name).startsWith("sqlite_")) throw p.error(`object name reserved for internal use: ${stmt.name}`);
  // SQLite keeps a view's text up to its `;` (comments after the SELECT too), less trailing space.
  const sql = storedSql(p.sql, stmt.start, p.sql.replace(/[ \t\n\f\r\v]+$/, "").length, "VIEW");
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, iDb, 5);
  b.comment("sqlite_schema");
  const rootReg = b.allocReg();
  b.add(Op.Integer, 0, rootReg);
  schemaRow(p, cur, "view", stmt.name, stmt.name, rootReg, sql);
  bumpCookie(p, iDb);
  finishProgram(p, init, b.newLabel(), true);
}

/** DROP VIEW; also the "use DROP VIEW" check of DROP TABLE (returns false to let ddl.ts handle it). */
export function compileDropView(p: Parse, stmt: DropStmt): boolean {
  const b = p.b;
  if (stmt.object !== "TABLE" && stmt.object !== "VIEW") return false;
  const r = locateRelation(p, stmt.name, stmt.schema);
  if (stmt.object === "TABLE") {
    if (r !== null && r.table === null) throw p.error(`use DROP VIEW to delete view ${stmt.name}`);
    return false;
  }
  if (r === null || r.table !== null) {
    if (r !== null) throw p.error(`use DROP TABLE to delete table ${stmt.name}`);
    if (stmt.ifExists) { noop(p); return true; }
    throw p.error(`no such view: ${stmt.schema ? stmt.schema + "." : ""}${stmt.name}`);
  }
  const iDb = r.iDb;
  const schema = schemaAt(p, iDb);
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, iDb, 5);
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
  b.add(Op.SetCookie, iDb, 1, (schema.cookie + 1) >>> 0);
  b.add(Op.ParseSchema, iDb);
  finishProgram(p, init, b.newLabel(), true);
  return true;
}

/**
 * A view stored outside TEMP may not name objects of another database (SQLite's
 * sqlite3FixSrcList: "view v cannot reference objects in database temp").
 */
function checkViewRefs(p: Parse, stmt: CreateViewStmt, iDb: number): void {
  const seen = (schema: string | null): void => {
    if (schema === null) return;
    const i = findDb(p, schema);
    if (i !== iDb) throw p.error(`view ${stmt.name} cannot reference objects in database ${schema}`);
  };
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== "object") return;
    if (Array.isArray(x)) { for (const y of x) visit(y); return; }
    const o = x as { kind?: string; schema?: string | null };
    if (o.kind === "tableRef") seen(o.schema ?? null);
    for (const v of Object.values(o)) if (v !== null && typeof v === "object") visit(v);
  };
  visit(stmt.select);
}
