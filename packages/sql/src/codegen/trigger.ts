/*
 * codegen/trigger.ts: CREATE TRIGGER, DROP TRIGGER, and the code that fires row triggers
 * (SQLite's trigger.c; https://sqlite.org/lang_createtrigger.html, lang_droptrigger.html).
 *
 * Storage: a trigger is a sqlite_schema row ('trigger', name, table, 0, "CREATE TRIGGER "
 * + the text from the name on), as SQLite stores it; the body is parsed from that text
 * when a statement that may fire it is compiled (so errors in the body, "no such column:
 * new.x", "no such table: main.t", appear then, as in SQLite).
 *
 * Firing: the design of trigger.c. Each trigger a statement may fire is compiled once
 * per statement and conflict action into a sub-program (vdbe/ops-trigger.ts SubProgram),
 * cached in the top-level Parse (so a trigger that fires itself refers to its own
 * program while that program is still being compiled). The DML code generators call
 * fireTriggers() at the firing sites with the registers of OLD and NEW (rowid, then each
 * column, contiguous); the Program opcode copies them into the sub-program's registers,
 * where `new.x` / `old.x` resolve (expr.ts resolveColumn, after every other table).
 *
 * A sub-program is: OLD/NEW registers; the WHEN clause (false or NULL: end); each step
 * compiled by the ordinary INSERT/UPDATE/DELETE/SELECT generators inside the sub-Parse,
 * with its top-level Halt turned into a jump to the next step and its Transaction into a
 * Noop; ResetCount after each data-changing step; Halt.
 *
 * Invariants:
 *  1. Triggers fire newest first (SQLite prepends each trigger to its table's list):
 *     the reverse of their sqlite_schema order.
 *  2. Conflict action inside a trigger: the firing statement's OR action (REPLACE for the
 *     REPLACE verb) when it has one, else the step's own (trigger.c codeTriggerProgram).
 *  3. UPDATE OF a, b fires only when one of its columns is a SET target (by name).
 *  4. INSERT: BEFORE triggers see NEW.rowid -1 when the rowid is not given yet, and the
 *     values with column affinity; AFTER triggers see the stored row. UPDATE and DELETE:
 *     after the BEFORE triggers the row is sought again (skipped if they deleted it) and
 *     UPDATE reloads the columns it does not assign.
 *  5. Views: INSERT/UPDATE/DELETE on a view runs its INSTEAD OF triggers once per row
 *     (the view's rows matching WHERE, materialized first); NEW/OLD have no rowid; a view
 *     without such a trigger gives "cannot modify v because it is a view".
 *  6. recursive_triggers off (SQLite's default): a trigger does not fire while it is already
 *     running (Program P5 = 1), and a REPLACE conflict fires no DELETE triggers.
 */
import { SqliteError } from "@strata/common";
import type {
  ConflictAction, CreateTriggerStmt, DeleteStmt, DropStmt, Expr, InsertStmt, RaiseExpr, SelectStmt, Statement, TriggerStep, UpdateStmt,
} from "../parser/ast.js";
import { parse } from "../parser/parse-stmt.js";
import { storedSql } from "../schema/load.js";
import { AFF_BLOB, AFF_REAL, Op } from "../vdbe/opcodes.js";
import { OE_IGNORE, SubProgram } from "../vdbe/ops-trigger.js";
import { lower, type Column, type Table } from "../schema/schema.js";
import { OE_ABORT, OE_FAIL, OE_ROLLBACK } from "./conflict.js";
import { Parse, type SrcItem } from "./context.js";
import { codeColumn, codeExpr, ifFalse } from "./expr.js";
import { compileInsert } from "./insert.js";
import { selectRows } from "./insert-select.js";
import { compileSelect, finishProgram } from "./select.js";
import { compileDelete, compileUpdate } from "./update-delete.js";
import { describeView, isView, viewItem } from "./view.js";
import { codeSubqueryRow, describeSelect } from "./subquery.js";
import { alreadyExists, bumpCookie, schemaRow } from "./ddl.js";
import { dbMasks } from "./dbs.js";
import { DB_TEMP, dbName, findDb, locateOther, locateRelation, resolveDb, schemaAt } from "./dbs.js";
import { seekPk } from "./without-rowid.js";

export const SQLITE_CONSTRAINT_TRIGGER = 1811;

export type TriggerEvent = "INSERT" | "UPDATE" | "DELETE";

/** The triggers a statement on one table may fire, by time, in firing order. */
export interface RowTriggers {
  readonly before: readonly CreateTriggerStmt[];
  readonly after: readonly CreateTriggerStmt[];
  readonly instead: readonly CreateTriggerStmt[];
}

const parsed = new Map<string, CreateTriggerStmt>();

function triggerDef(name: string, sql: string): CreateTriggerStmt {
  let st = parsed.get(sql);
  if (st === undefined) {
    let s: Statement;
    try {
      s = parse(sql)[0];
    } catch {
      throw new SqliteError("SQLITE_CORRUPT", `malformed database schema (${name})`);
    }
    if (s.kind !== "createTrigger") throw new SqliteError("SQLITE_CORRUPT", `malformed database schema (${name})`);
    st = s;
    if (parsed.size > 256) parsed.clear();
    parsed.set(sql, st);
  }
  return st;
}

/** The database each trigger is stored in (set by rowTriggers). */
const trigDb = new WeakMap<CreateTriggerStmt, number>();

/** The stored text of trigger `st` (its steps' spans index it). */
const sqlOf = new WeakMap<CreateTriggerStmt, string>();

/** Parses whose statements fire no triggers (DROP TABLE's implicit DELETE; codegen/fkey.ts). */
export const triggersDisabled = new WeakSet<Parse>();

/** Invariants 1 and 3: the triggers on `table` for `event`; null when there are none. */
export function rowTriggers(
  p: Parse, table: string, event: TriggerEvent, setNames: readonly string[] | null, iDb = locateRelation(p, table, null)?.iDb ?? 0,
): RowTriggers | null {
  if (triggersDisabled.has(p)) return null;
  const k = lower(table);
  const all: CreateTriggerStmt[] = [];
  // The table's own database, then TEMP's triggers on it (SQLite's sqlite3TriggerList puts
  // those first; both lists are newest first).
  const sources = iDb === DB_TEMP || !p.host.dbOpen(DB_TEMP) ? [iDb] : [iDb, DB_TEMP];
  for (const src of sources) {
    const mine: CreateTriggerStmt[] = [];
    for (const [name, o] of p.host.schemaOf(src).others) {
      if (o.type !== "trigger" || lower(o.tblName) !== k) continue;
      const st = triggerDef(name, o.sql);
      sqlOf.set(st, o.sql);
      if (src === DB_TEMP && triggerTargetDb(p, st) !== iDb) continue;
      trigDb.set(st, src);
      if (st.event !== event) continue;
      if (event === "UPDATE" && st.columns !== null && setNames !== null) {
        const want = new Set(st.columns.map(lower));
        if (!setNames.some((n) => want.has(lower(n)))) continue;
      }
      mine.push(st);
    }
    all.unshift(...mine.reverse());
  }
  if (all.length === 0) return null;
  return {
    before: all.filter((t) => (t.time ?? "BEFORE") === "BEFORE"),
    after: all.filter((t) => t.time === "AFTER"),
    instead: all.filter((t) => t.time === "INSTEAD OF"),
  };
}

/**
 * Codes a Program opcode for each trigger of `list`: OLD at r[regOld..] and NEW at
 * r[regNew..] (rowid then the columns of `t`; 0 when absent), RAISE(IGNORE) jumping to
 * `ignore`.
 */
export function fireTriggers(
  p: Parse, list: readonly CreateTriggerStmt[], t: Table, regOld: number, regNew: number, orconf: ConflictAction | null, ignore: number,
): void {
  if (list.length === 0) return;
  // A trigger may change further rows: the statement is multi-write (and needs its journal
  // when something in a trigger may abort: program.ts reads the sub-program's flag).
  p.b.multiWrite = true;
  for (const trig of list) {
    const sp = subProgram(p, trig, t, orconf);
    p.b.add(Op.Program, regOld, ignore, regNew, sp, p.host.recursiveTriggers === true ? 0 : 1);
    p.b.comment(trig.name);
  }
}

function stepTable(st: TriggerStep): string | null {
  switch (st.kind) {
    case "insert": return st.table;
    case "update": case "delete": return st.table.name;
    default: return null;
  }
}

/** Invariant 2: the step as it runs under the firing statement's conflict action. */
function withOrconf(st: TriggerStep, orconf: ConflictAction | null): TriggerStep {
  if (orconf === null) return st;
  if (st.kind === "insert") return { ...st, verb: "INSERT", or: orconf } as InsertStmt;
  if (st.kind === "update") return { ...st, or: orconf } as UpdateStmt;
  return st;
}

/**
 * A program of statements the engine makes up (codegen/fkey.ts: foreign key actions,
 * DROP TABLE's implicit DELETE), written as the CREATE TRIGGER text `sql` on table `t`,
 * fired like a trigger with OLD at r[regOld..] (0: none); `key` names it in the
 * statement's cache; it may fire itself (Program P5 = 0); `setup` sees its Parse first;
 * `countsAsCaller`: the rows it changes are the caller's changes() (P5 = 2).
 */
export function fireInternal(
  p: Parse, key: string, sql: string, t: Table, regOld: number, regNew: number, orconf: ConflictAction | null,
  setup: ((s: Parse) => void) | null, countsAsCaller = false,
): void {
  const trig = triggerDef(key, sql);
  p.b.multiWrite = true;
  const sp = subProgram(p, trig, t, orconf, { key, sql, setup });
  sp.countsAsCaller = countsAsCaller;
  p.b.add(Op.Program, regOld, 0, regNew, sp, countsAsCaller ? 2 : 0);
  p.b.comment(key);
}

function subProgram(
  p: Parse, trig: CreateTriggerStmt, t: Table, orconf: ConflictAction | null,
  internal: { key: string; sql: string; setup: ((s: Parse) => void) | null } | null = null,
): SubProgram {
  const key = internal !== null ? `\u0001${internal.key}\u0000${orconf ?? ""}` : `${lower(trig.name)}\u0000${orconf ?? ""}`;
  const known = p.trigCache.get(key) as SubProgram | undefined;
  if (known !== undefined) return known;
  const sp = new SubProgram(internal !== null ? key : lower(trig.name));
  p.trigCache.set(key, sp);
  const sql = internal !== null ? internal.sql : sqlOf.get(trig)!;
  const s = new Parse(p.host, sql);
  s.trigCache = p.trigCache;
  if (internal !== null && internal.setup !== null) internal.setup(s);
  const b = s.b;
  const nReg = t.columns.length + 1;
  const items: SrcItem[] = [];
  const view = t.isView;
  if (trig.event !== "INSERT") {
    sp.oldDest = b.allocReg(nReg);
    items.push({ table: t, cursor: -1, alias: "old", qualifiedOnly: true, regs: sp.oldDest, ephemeral: view });
  }
  if (trig.event !== "DELETE") {
    sp.newDest = b.allocReg(nReg);
    items.push({ table: t, cursor: -1, alias: "new", qualifiedOnly: true, regs: sp.newDest, ephemeral: view });
  }
  sp.nReg = nReg;
  // A REAL column's whole numbers are REALs in NEW/OLD (as MakeRecord leaves them in SQLite).
  for (const it of items) {
    t.columns.forEach((c, i) => {
      if (c.affinity === AFF_REAL && i !== t.iPKey) b.add(Op.RealAffinity, it.regs! + 1 + i);
    });
  }
  s.trig = { items, orconf, cache: p.trigCache };
  const end = b.newLabel();
  if (trig.when !== null) ifFalse(s, trig.when, [], end, true);
  for (const step of trig.steps) {
    const name = stepTable(step);
    // A trigger outside TEMP changes only tables of its own database (SQLite's
    // sqlite3FixTriggerStep); a TEMP trigger's steps find their tables in search order.
    const home = trigDb.get(trig) ?? 0;
    const inDb = home === DB_TEMP ? null : dbName(s, home);
    if (name !== null && locateRelation(s, name, inDb) === null) throw s.error(`no such table: ${inDb ?? "main"}.${name}`);
    const first = b.addr;
    const st = withOrconf(inDb === null ? step : qualifyStep(step, inDb), orconf);
    switch (st.kind) {
      case "insert": compileInsert(s, st); break;
      case "update": compileUpdate(s, st); break;
      case "delete": compileDelete(s, st); break;
      default: compileSelect(s, st);
    }
    // The step's own Halt continues with the next step; its Transaction is the caller's.
    const stepEnd = b.addr;
    for (let pc = first; pc < stepEnd; pc++) {
      const op = b.ops[pc];
      if (op === Op.Halt && b.a1[pc] === 0 && b.a2[pc] === 0) {
        b.ops[pc] = Op.Goto;
        b.a2[pc] = stepEnd;
      } else if (op === Op.Transaction) b.ops[pc] = Op.Noop;
    }
    if (st.kind !== "select") b.add(Op.ResetCount);
  }
  b.resolve(end);
  b.add(Op.Halt);
  s.mapColumns();
  const m = dbMasks(b.ops, b.a1, b.a2, b.a3);
  sp.program = b.finish();
  if (s.write) p.write = true;
  p.subReadMask |= m.read | s.subReadMask;
  p.subWriteMask |= m.write | s.subWriteMask;
  return sp;
}

/** RAISE(...) inside a trigger program (expr.ts calls it; outside, expr.ts reports the error). */
export function codeRaise(p: Parse, e: RaiseExpr, scope: readonly SrcItem[]): void {
  const b = p.b;
  if (e.action === "IGNORE") {
    b.add(Op.Halt, 0, OE_IGNORE);
    return;
  }
  const oe = e.action === "ROLLBACK" ? OE_ROLLBACK : e.action === "FAIL" ? OE_FAIL : OE_ABORT;
  const r = b.allocReg();
  if (e.message === null) b.add(Op.Null, 0, r);
  else codeExpr(p, e.message, scope, r);
  b.add(Op.Halt, SQLITE_CONSTRAINT_TRIGGER, oe, r);
}

// ------------------------------------------------------------------ CREATE / DROP

function noop(p: Parse): void {
  const init = p.b.add(Op.Init, 0, 0);
  finishProgram(p, init, p.b.newLabel(), false, false);
}

export function compileCreateTrigger(p: Parse, stmt: CreateTriggerStmt): void {
  const b = p.b;
  // SQLite's sqlite3BeginTrigger: a TEMP trigger goes to TEMP (its name unqualified); a
  // qualified one to its database, on a table of that database; an unqualified one to the
  // database of its table (TEMP when the table is a TEMP table).
  if (stmt.temp && stmt.schema !== null && findDb(p, stmt.schema) !== DB_TEMP) throw p.error("temporary trigger may not have qualified name");
  const given = stmt.temp ? DB_TEMP : stmt.schema !== null ? resolveDb(p, stmt.schema) : -1;
  const loc = locateRelation(p, stmt.table, given >= 0 && given !== DB_TEMP ? stmt.schema : stmt.tableSchema);
  if (loc === null) throw p.error(`no such table: ${given >= 0 && given !== DB_TEMP ? dbName(p, given) : "main"}.${stmt.table}`);
  const iDb = given >= 0 ? given : loc.iDb;
  if (iDb === DB_TEMP) p.host.openTemp();
  const schema = schemaAt(p, iDb);
  const tk = lower(stmt.table);
  const t = loc.table;
  const view = t === null;
  if (tk.startsWith("sqlite_")) throw p.error("cannot create trigger on system table");
  if (view && stmt.time !== "INSTEAD OF") {
    throw p.error(`cannot create ${stmt.time === "AFTER" ? "AFTER" : "BEFORE"} trigger on view: ${stmt.table}`);
  }
  if (!view && stmt.time === "INSTEAD OF") throw p.error(`cannot create INSTEAD OF trigger on table: ${stmt.table}`);
  const existing = schema.others.get(lower(stmt.name));
  if (existing !== undefined && existing.type === "trigger") {
    if (stmt.ifNotExists) return noop(p);
    throw alreadyExists(p, "trigger", stmt);
  }
  if (lower(stmt.name).startsWith("sqlite_")) throw p.error(`object name reserved for internal use: ${stmt.name}`);
  const sql = storedSql(p.sql, stmt.start, stmt.end, "TRIGGER");
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, iDb, 5);
  b.comment("sqlite_schema");
  const rootReg = b.allocReg();
  b.add(Op.Integer, 0, rootReg);
  schemaRow(p, cur, "trigger", stmt.name, t !== null ? t.name : stmt.table, rootReg, sql);
  bumpCookie(p, iDb);
  finishProgram(p, init, b.newLabel(), true);
}

export function compileDropTrigger(p: Parse, stmt: DropStmt): void {
  const b = p.b;
  const o = stmt.schema !== null && findDb(p, stmt.schema) < 0 ? null : locateOther(p, stmt.name, stmt.schema, "trigger");
  if (o === null) {
    if (stmt.ifExists) return noop(p);
    throw p.error(`no such trigger: ${stmt.schema ? stmt.schema + "." : ""}${stmt.name}`);
  }
  const iDb = o.iDb;
  const schema = schemaAt(p, iDb);
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, 1, iDb, 5);
  const done = b.newLabel();
  const v = b.allocReg();
  const want = b.allocReg();
  const ty = b.allocReg();
  b.add(Op.String8, 0, want, 0, stmt.name);
  b.add(Op.String8, 0, ty, 0, "trigger");
  b.add(Op.Rewind, cur, done);
  const top = b.addr;
  const next = b.newLabel();
  b.add(Op.Column, cur, 0, v);
  b.add(Op.Ne, ty, next, v, null, 0);
  b.add(Op.Column, cur, 1, v);
  b.add(Op.Ne, want, next, v, p.collation("NOCASE"), 0);
  b.add(Op.Delete, cur, 0, 0, null, 0);
  b.resolve(next);
  b.add(Op.Next, cur, top);
  b.resolve(done);
  b.add(Op.SetCookie, iDb, 1, (schema.cookie + 1) >>> 0);
  b.add(Op.ParseSchema, iDb);
  finishProgram(p, init, b.newLabel(), true);
}

/** The database a TEMP trigger's table is in: its qualifier, else the name's search order. */
function triggerTargetDb(p: Parse, st: CreateTriggerStmt): number {
  if (st.tableSchema !== null) return findDb(p, st.tableSchema);
  return locateRelation(p, st.table, null)?.iDb ?? -1;
}

/** The step with its target table qualified by database `db`. */
function qualifyStep(st: TriggerStep, db: string): TriggerStep {
  switch (st.kind) {
    case "insert": return { ...st, schema: db };
    case "update": return { ...st, table: { ...st.table, schema: db } };
    case "delete": return { ...st, table: { ...st.table, schema: db } };
    default: return st;
  }
}

// ------------------------------------------------------------------ views (invariant 5)

/** A Table describing view `name`'s columns, for NEW/OLD. */
function viewTable(p: Parse, name: string): Table {
  const cols: Column[] = describeView(p, name).map((c) => ({
    name: c.name, decltype: c.decltype, affinity: AFF_BLOB, notNull: false, dflt: null, collation: null, primaryKey: false, notNullConflict: null,
  }));
  return {
    name, root: 0, columns: cols, iPKey: -1, withoutRowid: false, sql: "", indexes: [], isView: true, keyConf: null, checks: [], autoincrement: false,
  };
}

function insteadOf(p: Parse, name: string, event: TriggerEvent, setNames: readonly string[] | null): readonly CreateTriggerStmt[] {
  const trg = rowTriggers(p, name, event, setNames);
  if (trg === null || trg.instead.length === 0) throw p.error(`cannot modify ${viewName(p, name)} because it is a view`);
  return trg.instead;
}

function viewName(p: Parse, name: string): string {
  void p;
  return name;
}

/** INSERT INTO a view: each row's values become NEW for the INSTEAD OF INSERT triggers. */
export function compileViewInsert(p: Parse, stmt: InsertStmt): void {
  const b = p.b;
  b.countChanges = true; // changes() is 0 after DML on a view (SQLite counts the statement's own rows)
  if (stmt.with !== null) throw p.error("WITH is not supported yet");
  const trigs = insteadOf(p, stmt.table, "INSERT", null);
  if (stmt.upsert.length > 0) throw p.error("cannot UPSERT a view");
  const t = viewTable(p, stmt.table);
  const nCol = t.columns.length;
  let map: number[];
  if (stmt.columns !== null) {
    map = stmt.columns.map((name) => {
      const i = t.columns.findIndex((c) => lower(c.name) === lower(name));
      if (i < 0) throw p.error(`table ${t.name} has no column named ${name}`);
      return i;
    });
  } else map = t.columns.map((_, i) => i);
  const checkCount = (nv: number): void => {
    if (stmt.columns !== null && nv !== map.length) throw p.error(`${nv} values for ${map.length} columns`);
    if (stmt.columns === null && nv !== nCol) throw p.error(`table ${t.name} has ${nCol} columns but ${nv} values were supplied`);
  };
  const orconf = stmt.verb === "REPLACE" ? "REPLACE" : stmt.or;
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const regNew = b.allocReg(nCol + 1);
  const row = (value: ((k: number, reg: number) => void) | null, next: number): void => {
    b.add(Op.Null, 0, regNew);
    for (let i = 0; i < nCol; i++) {
      const at = value === null ? -1 : map.indexOf(i);
      if (at >= 0) value!(at, regNew + 1 + i);
      else b.add(Op.Null, 0, regNew + 1 + i);
    }
    fireTriggers(p, trigs, t, 0, regNew, orconf, next);
  };
  const src = stmt.source;
  const isValues = src !== null && src.first.kind === "values" && src.compounds.length === 0 && src.orderBy === null && src.limit === null && src.with === null;
  if (src === null) {
    const next = b.newLabel();
    row(null, next);
    b.resolve(next);
  } else if (isValues) {
    const rows = (src.first as { rows: readonly (readonly Expr[])[] }).rows;
    checkCount(rows[0].length);
    for (const r of rows) {
      const next = b.newLabel();
      row((k, reg) => codeExpr(p, r[k], [], reg), next);
      b.resolve(next);
    }
  } else {
    const rows = selectRows(p, src, t.name);
    checkCount(rows.n);
    rows.loop((next) => row((k, reg) => b.add(Op.SCopy, rows.dest + k, reg), next));
  }
  finishProgram(p, init, end, true);
}

/** UPDATE / DELETE on a view: the matching rows of the view, materialized, each fires the INSTEAD OF triggers. */
export function compileViewUpdateDelete(p: Parse, stmt: UpdateStmt | DeleteStmt): void {
  const b = p.b;
  b.countChanges = true;
  if (stmt.with !== null) throw p.error("WITH is not supported yet");
  const isUpdate = stmt.kind === "update";
  if (isUpdate && stmt.from !== null) throw p.error("UPDATE with WITH/FROM is not supported yet");
  if (stmt.limit !== null) throw p.error("UPDATE/DELETE ... LIMIT is not supported yet");
  const name = stmt.table.name;
  const setNames = isUpdate ? stmt.set.flatMap((s) => s.columns) : null;
  const trigs = insteadOf(p, name, isUpdate ? "UPDATE" : "DELETE", setNames);
  const t = viewTable(p, name);
  const nCol = t.columns.length;
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const item = viewItem(p, name, stmt.table.alias);
  const scope = [item];
  // SET targets; row values assign element-wise (`(a, b) = (x, y)` or `= (SELECT ...)`).
  const setExpr = new Map<number, Expr | { readonly sub: { first: number; select: SelectStmt; n: number }; readonly i: number }>();
  const rowSubs: { first: number; select: SelectStmt; n: number }[] = [];
  if (isUpdate) {
    const column = (name: string): number => {
      const i = t.columns.findIndex((c) => lower(c.name) === lower(name));
      if (i < 0) throw p.error(`no such column: ${name}`);
      return i;
    };
    for (const s of stmt.set) {
      if (s.columns.length === 1) {
        setExpr.set(column(s.columns[0]), s.expr);
        continue;
      }
      const n = s.columns.length;
      const e = s.expr;
      const got = e.kind === "vector" ? e.items.length : e.kind === "subquery" ? describeSelect(p, e.select, scope).length : 1;
      if (got !== n) throw p.error(`${n} columns assigned ${got} values`);
      if (e.kind === "vector") s.columns.forEach((c, i) => setExpr.set(column(c), e.items[i]));
      else {
        const sub = { first: 0, select: (e as { select: SelectStmt }).select, n };
        rowSubs.push(sub);
        s.columns.forEach((c, i) => setExpr.set(column(c), { sub, i }));
      }
    }
  }
  const regOld = b.allocReg(nCol + 1);
  const regNew = isUpdate ? b.allocReg(nCol + 1) : 0;
  const done = b.newLabel();
  b.add(Op.Rewind, item.cursor, done);
  const top = b.addr;
  const next = b.newLabel();
  if (stmt.where !== null) ifFalse(p, stmt.where, scope, next, true);
  b.add(Op.Null, 0, regOld);
  for (let i = 0; i < nCol; i++) codeColumn(p, item, i, regOld + 1 + i);
  if (isUpdate) {
    for (const sub of rowSubs) {
      sub.first = b.allocReg(sub.n);
      codeSubqueryRow(p, sub.select, scope, sub.first, sub.n);
    }
    b.add(Op.Null, 0, regNew);
    for (let i = 0; i < nCol; i++) {
      const e = setExpr.get(i);
      if (e === undefined) b.add(Op.SCopy, regOld + 1 + i, regNew + 1 + i);
      else if ("sub" in e) b.add(Op.SCopy, e.sub.first + e.i, regNew + 1 + i);
      else codeExpr(p, e, scope, regNew + 1 + i);
    }
  }
  fireTriggers(p, trigs, t, regOld, regNew, isUpdate ? (stmt as UpdateStmt).or : null, next);
  b.resolve(next);
  b.add(Op.Next, item.cursor, top);
  b.resolve(done);
  finishProgram(p, init, end, true);
}

/** Whether `name` is a view (the DML generators route such statements here). */
export function isViewTarget(p: Parse, name: string, schema: string | null = null): boolean {
  const r = locateRelation(p, name, schema);
  return r !== null && r.table === null;
}

// ------------------------------------------------------------------ firing-site helpers

/**
 * INSERT's BEFORE triggers (invariant 4): NEW in r[regNew..] = the rowid given (-1 when
 * none or NULL; it must be an integer) and the row's values with column affinity.
 */
export function beforeInsert(
  p: Parse, trg: RowTriggers, t: Table, regNew: number, regData: number, rowid: ((reg: number) => void) | null, affs: string,
  orconf: ConflictAction | null, ignore: number,
): void {
  const b = p.b;
  const nCol = t.columns.length;
  if (rowid !== null) {
    rowid(regNew);
    const nn = b.add(Op.NotNull, regNew, 0);
    b.add(Op.Integer, -1, regNew);
    const done = b.add(Op.Goto, 0, 0);
    b.jumpHere(nn);
    b.add(Op.MustBeInt, regNew, 0);
    b.jumpHere(done);
  } else b.add(Op.Integer, -1, regNew);
  b.add(Op.Copy, regData, regNew + 1, nCol - 1);
  b.add(Op.Affinity, regNew + 1, nCol, 0, affs);
  fireTriggers(p, trg.before, t, 0, regNew, orconf, ignore);
}

/**
 * After UPDATE's / DELETE's BEFORE triggers (invariant 4): seek the row again (to `gone`
 * if a trigger deleted it) and load its current columns into `dest` (the columns in
 * `keep` are left as they are).
 */
export function reloadRow(p: Parse, item: SrcItem, regRowid: number, dest: number, gone: number, keep: ReadonlySet<number> | null): void {
  const b = p.b;
  const t = item.table;
  if (t.withoutRowid) seekPk(p, t, item.cursor, regRowid, gone); // regRowid: the PK values
  else b.add(Op.NotExists, item.cursor, gone, regRowid);
  for (let i = 0; i < t.columns.length; i++) {
    if (keep !== null && keep.has(i)) continue;
    if (i === t.iPKey) b.add(Op.Null, 0, dest + i);
    else codeColumn(p, item, i, dest + i);
  }
}
