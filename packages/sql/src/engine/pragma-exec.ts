/*
 * engine/pragma-exec.ts: what each PRAGMA does when its program runs (the Pragma opcode,
 * vdbe/ops-pragma.ts, calls Connection.pragma, which calls runPragma). Results and
 * wording follow SQLite 3.53 (https://sqlite.org/pragma.html; pragma.c), as
 * better-sqlite3's SQLite reports them; the connection keeps the settings in a
 * PragmaSettings object.
 *
 * Mapping to our storage (see also docs/compat.md):
 *  - journal_mode: a file database is always WAL ('wal'); ':memory:' reports 'memory'; a
 *    database over a direct file store (no journal) reports 'off'. Asking for another mode
 *    leaves the mode unchanged and returns it, as SQLite does when a change is refused.
 *  - synchronous 0..3 (OFF/NORMAL/FULL/EXTRA) is handed to the WAL store (EXTRA acts as
 *    FULL); wal_autocheckpoint and wal_checkpoint(MODE) go to the WAL store too.
 *  - page_size, encoding and auto_vacuum are fixed when Strata creates page 1, which it
 *    does when the database is opened: setting them later is ignored, as SQLite ignores
 *    them after the first write (the driver's open options choose them).
 *  - cache_size, cache_spill, busy_timeout, temp_store, locking_mode and the flags are
 *    remembered and reported; query_only is enforced by the connection (writes fail with
 *    SQLITE_READONLY); foreign_keys, defer_foreign_keys, recursive_triggers,
 *    case_sensitive_like, reverse_unordered_selects and legacy_alter_table are only
 *    stored for the features that will read them (foreign_keys, defer_foreign_keys and
 *    recursive_triggers are read by the code generator: codegen/fkey.ts, trigger.ts).
 *
 * Invariants:
 *  1. Integer arguments are read as SQLite's sqlite3Atoi does (leading digits, 0 when
 *     none, 0 when out of 32-bit range); boolean ones as sqlite3GetBoolean (yes/on/true,
 *     no/off/false, else the integer, unknown words 0).
 *  2. Query pragmas whose argument names nothing return no rows.
 */
import type { Collation } from "@strata/common";
import { WalPageStore, type CheckpointMode } from "@strata/txn";
import { BUILTINS } from "../func/registry.js";
import type { FuncDef } from "../func/api.js";
import { FUNC_DETERMINISTIC, FUNC_WINDOW_INVERSE } from "../func/api.js";
import { PRAGMAS } from "../codegen/pragma.js";
import { Parser } from "../parser/parser.js";
import { parseCommand } from "../parser/parse-stmt.js";
import { scan } from "../parser/tokenizer.js";
import type { CreateTableStmt } from "../parser/ast.js";
import { indexCheckOrderWithPk, lower, type Schema, type Table } from "../schema/schema.js";
import type { Pager } from "@strata/pager";
import type { FunctionRegistry } from "../func/registry.js";
import type { PragmaCall, PragmaValue } from "../vdbe/ops-pragma.js";

/** The settings a connection keeps for its pragmas (defaults: better-sqlite3's SQLite build). */
export class PragmaSettings {
  cacheSize = -16000;
  cacheSpill = 0;
  busyTimeout = 0;
  tempStore = 0;
  exclusive = false;
  synchronous = 2;
  walAutocheckpoint = 1000;
  maxPageCount = 4294967294;
  dataVersion = 1;
  foreignKeys = true;
  deferForeignKeys = false;
  recursiveTriggers = false;
  caseSensitiveLike = false;
  reverseUnorderedSelects = false;
  legacyAlterTable = false;
  queryOnly = false;
}

/** What runPragma needs from the connection. */
export interface PragmaConnection {
  readonly pager: Pager;
  readonly schema: Schema;
  readonly functions: FunctionRegistry;
  readonly settings: PragmaSettings;
  /** The main database's file name ("" for ':memory:' and temporary databases). */
  readonly filename: string;
  readonly memory: boolean;
  collationList(): readonly Collation[];
  /** The deferred foreign key counters (vdbe/ops-fkey.ts). */
  readonly fk?: { deferredImmCons: number };
  /** The database's name ("main", "temp", an attached name); main when absent. */
  readonly dbName?: string;
}

type Rows = PragmaValue[][];

const SQLITE_MAX_U32 = 4294967294;

/** sqlite3Atoi (invariant 1). */
export function atoi(z: string | null): number {
  if (z === null) return 0;
  const m = /^\s*([+-]?)(\d+)/.exec(z);
  if (m === null) return 0;
  const v = Number(m[2]) * (m[1] === "-" ? -1 : 1);
  return v > 2147483647 || v < -2147483648 ? 0 : v;
}

/** SQLite's getSafetyLevel: a synchronous level or boolean from a word or a number. */
function safetyLevel(z: string, omitFull: boolean, dflt: number): number {
  if (/^\s*[+-]?\d/.test(z)) return atoi(z);
  const w = lower(z);
  const words: Record<string, number> = { no: 0, off: 0, false: 0, yes: 1, on: 1, true: 1, normal: 1, full: 2, extra: 3 };
  const v = words[w];
  if (v === undefined || (omitFull && v > 1)) return dflt;
  return v;
}

function bool(z: string): boolean {
  return safetyLevel(z, true, 0) !== 0;
}

function walStore(c: PragmaConnection): WalPageStore | null {
  const s = c.pager.store as unknown;
  if (s instanceof WalPageStore) return s;
  const inner = (s as { inner?: unknown }).inner;
  return inner instanceof WalPageStore ? inner : null;
}

function one(v: PragmaValue): Rows {
  return [[v]];
}

export function runPragma(c: PragmaConnection, call: PragmaCall): Rows {
  const set = call.hasValue ? (call.value ?? "") : null;
  const st = c.settings;
  const flag = (get: () => boolean, put: (v: boolean) => void): Rows => {
    if (set === null) return one(get() ? 1 : 0);
    put(bool(set));
    return [];
  };
  switch (call.name) {
    // ---------------------------------------------------------------- header fields
    case "user_version": case "application_id": {
      const field = call.name === "user_version" ? "userVersion" : "applicationId";
      if (set === null) return one(c.pager.getMeta(field) | 0);
      c.pager.setMeta(field, atoi(set));
      return [];
    }
    case "schema_version":
      // Setting it is refused silently, as under SQLITE_DBCONFIG_DEFENSIVE (better-sqlite3).
      return set === null ? one(c.pager.getMeta("schemaCookie") | 0) : [];
    case "data_version": return one(st.dataVersion);
    case "page_size": return set === null ? one(c.pager.pageSize) : [];
    case "page_count": return one(c.pager.pageCount);
    case "freelist_count": return one(c.pager.getMeta("freelistCount"));
    case "max_page_count": {
      if (set !== null) {
        let n = atoi(set);
        if (n <= 0) n = st.maxPageCount;
        st.maxPageCount = Math.min(Math.max(n, c.pager.pageCount), SQLITE_MAX_U32);
      }
      return one(st.maxPageCount);
    }
    case "encoding": {
      if (set !== null) return [];
      const e = c.pager.getMeta("textEncoding");
      return one(e === 2 ? "UTF-16le" : e === 3 ? "UTF-16be" : "UTF-8");
    }
    case "auto_vacuum":
      return set === null ? one(c.pager.autoVacuum ? (c.pager.incrementalVacuum ? 2 : 1) : 0) : [];
    // ---------------------------------------------------------------- connection settings
    case "cache_size":
      if (set === null) return one(st.cacheSize);
      st.cacheSize = atoi(set);
      return [];
    case "cache_spill":
      if (set === null) return one(st.cacheSpill);
      st.cacheSpill = Math.max(0, atoi(set));
      return [];
    case "busy_timeout":
      if (set !== null) st.busyTimeout = Math.max(0, atoi(set));
      return one(st.busyTimeout);
    case "temp_store": {
      if (set === null) return one(st.tempStore);
      const w = lower(set);
      st.tempStore = w === "default" ? 0 : w === "file" ? 1 : w === "memory" ? 2 : (() => {
        const n = atoi(set);
        return n >= 0 && n <= 2 ? n : 0;
      })();
      return [];
    }
    case "locking_mode": {
      if (set !== null) {
        const w = lower(set);
        if (w === "exclusive") st.exclusive = true;
        else if (w === "normal") st.exclusive = false;
      }
      return one(st.exclusive ? "exclusive" : "normal");
    }
    case "journal_mode":
      return one(walStore(c) !== null ? "wal" : c.memory ? "memory" : "off");
    case "synchronous": {
      if (set === null) return one(st.synchronous);
      let n = (safetyLevel(set, false, 1) + 1) & 7;
      if (n === 0) n = 1;
      st.synchronous = n - 1;
      const w = walStore(c);
      if (w !== null) w.synchronous = st.synchronous <= 0 ? "off" : st.synchronous === 1 ? "normal" : "full";
      return [];
    }
    case "wal_autocheckpoint": {
      const w = walStore(c);
      if (set !== null) {
        st.walAutocheckpoint = Math.max(0, atoi(set));
        if (w !== null) w.autoCheckpoint = st.walAutocheckpoint;
      }
      return one(w !== null ? w.autoCheckpoint : st.walAutocheckpoint);
    }
    case "wal_checkpoint": {
      const w = walStore(c);
      if (w === null) return [[0, -1, -1]];
      const word = set === null ? "passive" : lower(set);
      const mode: CheckpointMode = word === "full" || word === "restart" || word === "truncate" ? word : "passive";
      try {
        const r = w.checkpoint(mode);
        return [[0, r.walFrames, r.backfilled]];
      } catch (e) {
        if ((e as { code?: string }).code?.startsWith("SQLITE_BUSY")) return [[1, -1, -1]];
        throw e;
      }
    }
    case "foreign_keys": return flag(() => st.foreignKeys, (v) => { st.foreignKeys = v; });
    case "defer_foreign_keys": return flag(() => st.deferForeignKeys, (v) => {
      st.deferForeignKeys = v;
      // Turning it off forgets the violations it deferred (SQLite's pragma.c).
      if (!v && c.fk !== undefined) c.fk.deferredImmCons = 0;
    });
    case "recursive_triggers": return flag(() => st.recursiveTriggers, (v) => { st.recursiveTriggers = v; });
    case "reverse_unordered_selects": return flag(() => st.reverseUnorderedSelects, (v) => { st.reverseUnorderedSelects = v; });
    case "legacy_alter_table": return flag(() => st.legacyAlterTable, (v) => { st.legacyAlterTable = v; });
    case "query_only": return flag(() => st.queryOnly, (v) => { st.queryOnly = v; });
    case "case_sensitive_like":
      if (set !== null) st.caseSensitiveLike = bool(set);
      return [];
    case "optimize": case "shrink_memory": return [];
    // ---------------------------------------------------------------- lists
    case "database_list": return [[0, "main", c.filename]];
    case "collation_list": {
      const list = c.collationList();
      return list.map((coll, i) => [i, coll.name]);
    }
    case "function_list": return functionList(c.functions);
    case "pragma_list": return [...PRAGMAS.keys()].sort().map((n) => [n]);
    case "compile_options": return COMPILE_OPTIONS.map((o) => [o]);
    // ---------------------------------------------------------------- schema queries
    case "table_info": case "table_xinfo": {
      if (set !== null && isSchemaTable(set)) return schemaTableInfo(call.name === "table_xinfo");
      const t = set === null ? null : c.schema.table(set);
      if (t === null || t.isView) return [];
      return tableInfo(t, call.name === "table_xinfo");
    }
    case "index_list": {
      const t = set === null ? null : c.schema.table(set);
      if (t === null) return [];
      return indexCheckOrderWithPk(t).map((k, seq) => {
        const ix = k < 0 ? t.pkIndex! : t.indexes[k]; // -1: a WITHOUT ROWID table's PK index
        return [seq, ix.name, ix.unique ? 1 : 0, ix.origin, ix.where !== null ? 1 : 0];
      });
    }
    case "index_info": case "index_xinfo": {
      const ix = set === null ? null : c.schema.index(set);
      if (ix === null) return [];
      const t = c.schema.table(ix.tableName)!;
      const x = call.name === "index_xinfo";
      const rows: Rows = [];
      ix.columns.forEach((c, i) => {
        const col = c === -1 ? t.iPKey : c; // the rowid alias column keeps its number (SQLite's aiColumn)
        const name = col < 0 ? null : t.columns[col].name;
        rows.push(x ? [i, col, name, ix.desc[i] ? 1 : 0, ix.collations[i].name, 1] : [i, col, name]);
      });
      if (x && ix.pkExtra === null) rows.push([ix.columns.length, -1, null, 0, "BINARY", 0]);
      else if (x && t.pkIndex != null) {
        // WITHOUT ROWID: the PK columns an index ends with (with the PK's collations and
        // orders); the PK index itself ends with the other columns of the row.
        const pk = t.pkIndex;
        const tail = ix === pk ? t.storage!.slice(pk.columns.length) : ix.pkExtra!;
        tail.forEach((col, j) => {
          const at = pk.columns.indexOf(col);
          rows.push([ix.columns.length + j, col, t.columns[col].name, ix === pk ? 0 : (pk.desc[at] ? 1 : 0), ix === pk ? "BINARY" : pk.collations[at].name, 0]);
        });
      }
      return rows;
    }
    case "foreign_key_list": {
      const t = set === null ? null : c.schema.table(set);
      return t === null || t.isView ? [] : foreignKeys(t);
    }
    case "table_list": {
      const rows: Rows = [];
      const want = set === null ? null : lower(set);
      const tables = [...c.schema.tables.values()].reverse();
      const db = c.dbName ?? "main";
      const master = db === "temp" ? "sqlite_temp_schema" : "sqlite_schema";
      for (const t of tables) {
        if ((want !== null && lower(t.name) !== want) || t.root === 1) continue;
        rows.push([db, t.name, t.isView ? "view" : "table", t.columns.length, t.withoutRowid ? 1 : 0, 0]);
      }
      if (want === null || isSchemaTable(want) || want === master) rows.push([db, master, "table", 5, 0, 0]);
      return rows;
    }
    default:
      return [];
  }
}

function isSchemaTable(name: string): boolean {
  const n = lower(name);
  return n === "sqlite_schema" || n === "sqlite_master" || n === "sqlite_temp_schema" || n === "sqlite_temp_master";
}

function schemaTableInfo(x: boolean): Rows {
  return [["type", "TEXT"], ["name", "TEXT"], ["tbl_name", "TEXT"], ["rootpage", "INT"], ["sql", "TEXT"]].map(
    ([n, ty], i) => (x ? [i, n, ty, 0, null, 0, 0] : [i, n, ty, 0, null, 0]));
}

/** The position (1-based) of each column in the PRIMARY KEY, 0 when not in it. */
function pkPositions(t: Table): number[] {
  const pos = t.columns.map(() => 0);
  if (t.iPKey >= 0) {
    pos[t.iPKey] = 1;
    return pos;
  }
  const pk = t.pkIndex ?? t.indexes.find((ix) => ix.origin === "pk");
  if (pk !== undefined) pk.columns.forEach((col, i) => { if (col >= 0) pos[col] = i + 1; });
  return pos;
}

function tableInfo(t: Table, x: boolean): Rows {
  const pk = pkPositions(t);
  // Generated columns are hidden from table_info; table_xinfo shows hidden 2 (VIRTUAL) or 3 (STORED).
  return t.columns.flatMap((col, i) => (!x && col.generated != null ? [] : [i])).map((i, cid) => {
    const col = t.columns[i];
    let dflt: string | null = null;
    if (col.dflt !== null) {
      dflt = t.sql.slice(col.dflt.start, col.dflt.end).trim();
      if (dflt.startsWith("(") && dflt.endsWith(")")) dflt = dflt.slice(1, -1).trim();
    }
    const row: PragmaValue[] = [cid, col.name, col.decltype ?? "", col.notNull ? 1 : 0, dflt, pk[i]];
    if (x) row.push(col.generated == null ? 0 : col.generated.stored ? 3 : 2);
    return row;
  });
}

function foreignKeys(t: Table): Rows {
  const p = new Parser(scan(t.sql));
  const stmt = parseCommand(p) as CreateTableStmt;
  const fks: { from: readonly string[]; fk: import("../parser/ast.js").ForeignKeyClause }[] = [];
  for (const cd of stmt.columns ?? []) {
    for (const k of cd.constraints) if (k.kind === "references") fks.push({ from: [cd.name], fk: k.foreignKey });
  }
  for (const k of stmt.constraints) if (k.kind === "foreignKeyConstraint") fks.push({ from: k.columns, fk: k.foreignKey });
  const rows: Rows = [];
  const n = fks.length;
  for (let id = 0; id < n; id++) {
    const { from, fk } = fks[n - 1 - id];
    let onUpdate = "NO ACTION";
    let onDelete = "NO ACTION";
    for (const a of fk.actions) {
      if (a.kind !== "on") continue;
      if (a.event === "UPDATE") onUpdate = a.action;
      else if (a.event === "DELETE") onDelete = a.action;
    }
    from.forEach((f, seq) => rows.push([id, seq, fk.table, f, fk.columns?.[seq] ?? null, onUpdate, onDelete, "NONE"]));
  }
  return rows;
}

function functionList(reg: FunctionRegistry): Rows {
  const builtin = new Set<FuncDef>(BUILTINS);
  const rows: Rows = [];
  for (const d of reg.all()) {
    const type = d.kind === "scalar" ? "s" : (d.flags & FUNC_WINDOW_INVERSE) !== 0 ? "w" : "a";
    // SQLite's flags column: SQLITE_DETERMINISTIC 0x800, SQLITE_INNOCUOUS 0x200000 (built-ins).
    const flags = ((d.flags & FUNC_DETERMINISTIC) !== 0 ? 0x800 : 0) | (builtin.has(d) ? 0x200000 : 0);
    rows.push([d.name, builtin.has(d) ? 1 : 0, type, "utf8", d.nArg, flags]);
  }
  return rows;
}

/**
 * PRAGMA compile_options: what describes Strata's engine in SQLite's option names. Only
 * options whose behaviour Strata actually has are listed.
 */
export const COMPILE_OPTIONS: readonly string[] = [
  "COMPILER=strata-typescript",
  "DEFAULT_CACHE_SIZE=-16000",
  "DEFAULT_FILE_FORMAT=4",
  "DEFAULT_FOREIGN_KEYS",
  "DEFAULT_PAGE_SIZE=4096",
  "DEFAULT_SYNCHRONOUS=2",
  "DEFAULT_WAL_AUTOCHECKPOINT=1000",
  "DEFAULT_WAL_SYNCHRONOUS=2",
  "MAX_VARIABLE_NUMBER=32766",
  "OMIT_LOAD_EXTENSION",
  "OMIT_SHARED_CACHE",
  "TEMP_STORE=1",
  "THREADSAFE=0",
];
