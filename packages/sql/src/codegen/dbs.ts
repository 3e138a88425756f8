/*
 * codegen/dbs.ts: schema names at compile time (SQLite's sqlite3FindDbName,
 * sqlite3LocateTable, sqlite3TwoPartName; https://sqlite.org/lang_attach.html,
 * https://sqlite.org/lang_naming.html): which database a `schema.name` or an unqualified
 * name means, which database a Table lives in, and the Transaction opcodes a program
 * needs (one per database it touches).
 *
 * Invariants:
 *  1. Database names compare case-insensitively; index 0 is main, 1 temp, 2.. attached.
 *  2. An unqualified table, view, index or trigger name is searched in TEMP first, then
 *     main, then the attached databases in the order they were attached (temp shadows
 *     main). TEMP is searched only once it is open (it is empty before).
 *  3. `temp.sqlite_master` / `temp.sqlite_schema` mean TEMP's schema table
 *     (sqlite_temp_master); an unqualified sqlite_temp_master / sqlite_temp_schema means
 *     it too; sqlite_master / sqlite_schema unqualified mean main's.
 *  5. Inside a view stored outside TEMP, an unqualified name means an object of the view's
 *     own database (SQLite's sqlite3FixSrcList binds them so): Parse.homeDbs.
 *  4. A program's databases are read off its code (finishProgram): P3 of OpenRead and
 *     OpenWrite, P1 of CreateBtree/ReadCookie/SetCookie, P3 of Destroy, P2 of Clear, plus
 *     the databases its trigger programs touch; OpenWrite, CreateBtree, Destroy, Clear
 *     and SetCookie make that database's transaction a write transaction.
 */
import { lower, type Schema, type Table } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";

export const DB_MAIN = 0;
export const DB_TEMP = 1;

/** Index of database `name` (invariant 1), or -1. */
export function findDb(p: Parse, name: string): number {
  const k = lower(name);
  const names = p.host.dbNames;
  for (let i = 0; i < names.length; i++) if (lower(names[i]) === k) return i;
  return -1;
}

/** The database a qualifier names; "unknown database X" when none. Opens TEMP when named. */
export function resolveDb(p: Parse, name: string): number {
  const i = findDb(p, name);
  if (i < 0) throw p.error(`unknown database ${name}`);
  if (i === DB_TEMP) p.host.openTemp();
  return i;
}

/** The schema of database iDb (TEMP is opened first if needed). */
export function schemaAt(p: Parse, iDb: number): Schema {
  if (iDb === DB_TEMP) p.host.openTemp();
  return p.host.schemaOf(iDb);
}

/** Database indexes in unqualified search order (invariant 2). */
export function searchOrder(p: Parse): number[] {
  const n = p.host.dbNames.length;
  const out: number[] = [];
  if (p.host.dbOpen(DB_TEMP)) out.push(DB_TEMP);
  out.push(DB_MAIN);
  for (let i = 2; i < n; i++) out.push(i);
  return out;
}

function schemaTableName(name: string, iDb: number): string {
  const k = lower(name);
  if (iDb === DB_TEMP && (k === "sqlite_master" || k === "sqlite_schema")) return "sqlite_temp_master";
  return name;
}

export interface Located {
  readonly table: Table;
  readonly iDb: number;
}

/** A table by name (invariants 2, 3); null when there is none (also for an unknown database). */
export function locateTable(p: Parse, name: string, schema: string | null): Located | null {
  const home = p.homeDbs.length > 0 ? p.homeDbs[p.homeDbs.length - 1] : DB_TEMP;
  if (schema === null && home !== DB_TEMP) schema = p.host.dbNames[home];
  if (schema !== null) {
    const iDb = findDb(p, schema);
    if (iDb < 0) return null;
    const t = schemaAt(p, iDb).table(schemaTableName(name, iDb));
    return t === null ? null : { table: t, iDb };
  }
  const k = lower(name);
  if (k === "sqlite_temp_master" || k === "sqlite_temp_schema") {
    const t = schemaAt(p, DB_TEMP).table(k);
    return t === null ? null : { table: t, iDb: DB_TEMP };
  }
  for (const i of searchOrder(p)) {
    if (i === DB_TEMP && (k === "sqlite_master" || k === "sqlite_schema")) continue;
    const t = p.host.schemaOf(i).table(name);
    if (t !== null) return { table: t, iDb: i };
  }
  return null;
}

/**
 * What a FROM clause's name means (invariant 2: per database in search order, a table or
 * a view); null when nothing has that name.
 */
export function locateRelation(p: Parse, name: string, schema: string | null): { iDb: number; table: Table | null } | null {
  const k = lower(name);
  const home = p.homeDbs.length > 0 ? p.homeDbs[p.homeDbs.length - 1] : DB_TEMP;
  if (schema === null && home !== DB_TEMP) schema = p.host.dbNames[home];
  if (schema !== null || k.startsWith("sqlite_")) {
    const t = locateTable(p, name, schema);
    if (t !== null) return t;
    if (schema === null) return null;
    const i = findDb(p, schema);
    return i >= 0 && schemaAt(p, i).others.get(k)?.type === "view" ? { iDb: i, table: null } : null;
  }
  for (const i of searchOrder(p)) {
    const s = p.host.schemaOf(i);
    const t = s.table(name);
    if (t !== null) return { iDb: i, table: t };
    if (s.others.get(k)?.type === "view") return { iDb: i, table: null };
  }
  return null;
}

/** An index by name (invariant 2). */
export function locateIndex(p: Parse, name: string, schema: string | null): { index: import("../schema/schema.js").Index; iDb: number } | null {
  const order = schema !== null ? [resolveDb(p, schema)] : searchOrder(p);
  for (const i of order) {
    const ix = p.host.schemaOf(i).index(name);
    if (ix !== null) return { index: ix, iDb: i };
  }
  return null;
}

/** A view or trigger (schema.others) by name (invariant 2). */
export function locateOther(p: Parse, name: string, schema: string | null, type: string | null): { iDb: number; type: string; tblName: string; sql: string } | null {
  const order = schema !== null ? [resolveDb(p, schema)] : searchOrder(p);
  const k = lower(name);
  for (const i of order) {
    const o = p.host.schemaOf(i).others.get(k);
    if (o !== undefined && (type === null || o.type === type)) return { iDb: i, ...o };
  }
  return null;
}

/** The database holding table `t` (0 when it is in no schema: a compile-time table). */
export function dbOfTable(p: Parse, t: Table): number {
  const names = p.host.dbNames;
  if (names.length === 2 && !p.host.dbOpen(DB_TEMP)) return DB_MAIN;
  const k = lower(t.name);
  for (let i = 0; i < names.length; i++) {
    if (!p.host.dbOpen(i)) continue;
    if (p.host.schemaOf(i).tables.get(k) === t) return i;
  }
  return DB_MAIN;
}

/** The database name for messages ("main", "temp", or the attached name). */
export function dbName(p: Parse, iDb: number): string {
  return p.host.dbNames[iDb];
}

/** Invariant 4: bit masks of the databases `ops` read and write. */
export function dbMasks(ops: readonly number[], a1: readonly number[], a2: readonly number[], a3: readonly number[]): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (let pc = 0; pc < ops.length; pc++) {
    switch (ops[pc]) {
      case Op.OpenRead: read |= 1 << a3[pc]; break;
      case Op.OpenWrite: write |= 1 << a3[pc]; break;
      case Op.CreateBtree: case Op.SetCookie: write |= 1 << a1[pc]; break;
      case Op.ReadCookie: read |= 1 << a1[pc]; break;
      case Op.Destroy: write |= 1 << a3[pc]; break;
      case Op.Clear: write |= 1 << a2[pc]; break;
      default: break;
    }
  }
  return { read: read | write, write };
}
