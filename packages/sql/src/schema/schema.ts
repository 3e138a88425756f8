/*
 * schema/schema.ts: the in-memory schema of one database (SQLite's Schema, Table, Index,
 * Column; build.c), built from sqlite_schema (fileformat2.html §2.6 "Storage Of The SQL
 * Database Schema") by parsing each stored CREATE statement with our parser.
 *
 * Column affinity comes from the declared type by the five rules of datatype3.html §3.1
 * (INT → INTEGER; CHAR/CLOB/TEXT → TEXT; BLOB or none → BLOB; REAL/FLOA/DOUB → REAL;
 * else NUMERIC).
 *
 * Invariants:
 *  1. A column declared exactly `INTEGER PRIMARY KEY` (one PK column, type "INTEGER" in
 *     any case, not `PRIMARY KEY DESC` as a column constraint) is the rowid alias
 *     (Table.iPKey); its record slot stores NULL.
 *  2. Automatic indexes follow SQLite's build.c: one `sqlite_autoindex_<table>_<N>` per
 *     UNIQUE constraint and per non-rowid PRIMARY KEY, N counting from 1 in the order the
 *     constraints appear (column constraints while the columns are read, then table
 *     constraints); a constraint whose columns (and collations) repeat an earlier one
 *     adds no index. Their sqlite_schema rows have sql NULL.
 *  3. Index KeyInfo has nField = number of indexed columns + 1 (the rowid).
 *  4. Names are looked up case-insensitively (ASCII), as SQLite does.
 *  5. An index key column that is not a plain column (after a top-level COLLATE) is an
 *     expression (https://sqlite.org/expridx.html): columns[k] = -2 and exprs[k] holds it
 *     (without the COLLATE); its collation is BINARY unless COLLATE names one.
 *  6. WITHOUT ROWID tables (https://sqlite.org/withoutrowid.html, fileformat2 §2.5): the
 *     table is an index B-tree keyed by the PRIMARY KEY (a column repeated in it counts
 *     once); its record is the PK columns then the others in declaration order
 *     (Table.storage); PK columns are NOT NULL; there is no rowid and no iPKey (INTEGER
 *     PRIMARY KEY is an ordinary key, whose index is made after the other constraints').
 *     The PK index is Table.pkIndex (KeyInfo over the PK fields only); every other index
 *     ends with the PK columns it lacks (Index.pkExtra) instead of a rowid.
 */
import {
  BINARY, SORT_DESC, SqliteError, makeKeyInfo, type Collation, type KeyInfo, type TextEncoding,
} from "@strata/common";
import type { ConflictAction, CreateIndexStmt, CreateTableStmt, Expr, OrderingTerm } from "../parser/ast.js";
import { AFF_BLOB, AFF_INTEGER, AFF_NUMERIC, AFF_REAL, AFF_TEXT } from "../vdbe/opcodes.js";
import { foreignKeysOf, type FKey } from "./fkeys.js";

export interface Column {
  readonly name: string;
  readonly decltype: string | null;
  readonly affinity: number;
  readonly notNull: boolean;
  readonly dflt: Expr | null;
  /** The default's source text (for messages), or null. */
  readonly collation: string | null;
  readonly primaryKey: boolean;
  /** The NOT NULL constraint's ON CONFLICT clause (null: none given). */
  readonly notNullConflict: ConflictAction | null;
  /** GENERATED ALWAYS AS (expr) [STORED|VIRTUAL] (gencol.html); absent or null otherwise. */
  readonly generated?: { readonly expr: Expr; readonly stored: boolean } | null;
}

/** A CHECK constraint: its name for messages (CONSTRAINT name, else the expression text). */
export interface Check {
  readonly name: string;
  readonly expr: Expr;
}

export interface Index {
  readonly name: string;
  readonly tableName: string;
  root: number;
  /** Column numbers (-1 = rowid, -2 = an expression: see `exprs`). */
  readonly columns: readonly number[];
  /** Per key column, the indexed expression where columns[k] is -2 (else null); null
   *  when the index has no expression (SQLite's aColExpr). */
  readonly exprs: readonly (Expr | null)[] | null;
  readonly collations: readonly Collation[];
  readonly desc: readonly boolean[];
  readonly unique: boolean;
  /** "c" CREATE INDEX, "u" UNIQUE constraint, "pk" PRIMARY KEY. */
  readonly origin: "c" | "u" | "pk";
  readonly where: Expr | null;
  readonly keyInfo: KeyInfo;
  readonly sql: string | null;
  /** The UNIQUE / PRIMARY KEY constraint's ON CONFLICT clause (null: none; CREATE INDEX). */
  readonly onError: ConflictAction | null;
  /**
   * An index of a WITHOUT ROWID table (invariant 6): the PRIMARY KEY columns appended
   * after the key columns in place of the rowid (those not already in the key); [] for
   * the PRIMARY KEY index itself; null for an index of a rowid table.
   */
  readonly pkExtra: readonly number[] | null;
}

/** Number of fields in an entry of `ix` (key columns, then the rowid or the PK columns). */
export function indexEntryLength(ix: Index): number {
  return ix.columns.length + (ix.pkExtra === null ? 1 : ix.pkExtra.length);
}

export interface Table {
  readonly name: string;
  root: number;
  readonly columns: readonly Column[];
  /** The rowid alias column, or -1 (invariant 1). */
  readonly iPKey: number;
  readonly withoutRowid: boolean;
  readonly sql: string;
  readonly indexes: Index[];
  readonly isView: boolean;
  /** The INTEGER PRIMARY KEY's ON CONFLICT clause (SQLite's keyConf). */
  readonly keyConf: ConflictAction | null;
  /** CHECK constraints in declaration order (column constraints, then table constraints). */
  readonly checks: readonly Check[];
  /** The rowid alias was declared AUTOINCREMENT. */
  readonly autoincrement: boolean;
  /** A STRICT table (https://sqlite.org/stricttables.html): values are type-checked. */
  readonly strict?: boolean;
  /** FOREIGN KEY constraints with this table as the child, in declaration order (fkeys.ts). */
  readonly fkeys?: readonly FKey[];
  /**
   * WITHOUT ROWID (invariant 6): the PRIMARY KEY index, whose B-tree is the table (root =
   * the table's root; not in `indexes`, no sqlite_schema row of its own), and its place
   * among `indexes` (how many of them were created before it).
   */
  readonly pkIndex?: Index | null;
  readonly pkPos?: number;
  /** WITHOUT ROWID: the table column stored at each record position (PK columns first). */
  readonly storage?: readonly number[] | null;
}

/** The record position of column `col` (WITHOUT ROWID tables store the PK first). */
export function storagePos(t: Table, col: number): number {
  return t.storage == null ? col : t.storage.indexOf(col);
}

const STRICT_TYPES = new Set(["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"]);

/**
 * The order in which INSERT/UPDATE check the UNIQUE indexes (SQLite's pTab->pIndex list):
 * newest index first, with every index whose own conflict action is REPLACE moved after
 * the others (build.c links indexes that way so ABORT/FAIL/IGNORE run before any REPLACE
 * deletes a row). Returns positions into t.indexes.
 */
export function indexCheckOrder(t: Table): number[] {
  return indexCheckOrderWithPk(t).filter((k) => k >= 0);
}

/**
 * indexCheckOrder with a WITHOUT ROWID table's PRIMARY KEY index at its place, as -1
 * (SQLite keeps it in pTab->pIndex like any other index).
 */
export function indexCheckOrderWithPk(t: Table): number[] {
  const all: { k: number; onError: ConflictAction | null }[] = t.indexes.map((ix, k) => ({ k, onError: ix.onError }));
  if (t.pkIndex != null) all.splice(t.pkPos ?? 0, 0, { k: -1, onError: t.pkIndex.onError });
  const order: number[] = [];
  for (let i = all.length - 1; i >= 0; i--) if (all[i].onError !== "REPLACE") order.push(all[i].k);
  for (let i = all.length - 1; i >= 0; i--) if (all[i].onError === "REPLACE") order.push(all[i].k);
  return order;
}

/** One sqlite_schema row (without its root page). */
export interface SchemaEntry { readonly type: string; readonly name: string; readonly tblName: string; readonly sql: string | null }

export class Schema {
  readonly tables = new Map<string, Table>();
  readonly indexes = new Map<string, Index>();
  /** Views and triggers: name → sql (stored, not compiled yet). */
  readonly others = new Map<string, { type: string; tblName: string; sql: string }>();
  cookie = 0;
  fileFormat = 4;
  /** Every sqlite_schema row in rowid order, as loaded (ALTER TABLE rewrites them in this order). */
  entries: readonly SchemaEntry[] = [];

  table(name: string): Table | null {
    return this.tables.get(lower(name)) ?? null;
  }
  index(name: string): Index | null {
    return this.indexes.get(lower(name)) ?? null;
  }
}

export function lower(s: string): string {
  let out = s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      out = s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
      break;
    }
  }
  return out;
}

/** Affinity of a declared type (datatype3 §3.1). */
export function affinityOfType(decl: string | null): number {
  if (decl === null) return AFF_BLOB;
  const t = decl.toUpperCase();
  if (t.includes("INT")) return AFF_INTEGER;
  if (t.includes("CHAR") || t.includes("CLOB") || t.includes("TEXT")) return AFF_TEXT;
  if (t.includes("BLOB")) return AFF_BLOB;
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return AFF_REAL;
  return AFF_NUMERIC;
}

/** The declared type text as SQLite reports it (sqlite3_column_decltype). */
export function declText(sql: string, t: { start: number; end: number } | null): string | null {
  return t === null ? null : sql.slice(t.start, t.end);
}

export type CollationLookup = (name: string) => Collation | null;

function collationOrFail(find: CollationLookup, name: string | null): Collation {
  if (name === null) return BINARY;
  const c = find(name);
  if (c === null) throw new SqliteError("SQLITE_ERROR", `no such collation sequence: ${name}`);
  return c;
}

interface IndexSpec {
  columns: number[];
  collNames: (string | null)[];
  desc: boolean[];
  origin: "u" | "pk";
  onError: ConflictAction | null;
  /** A UNIQUE index that became the PRIMARY KEY's (same columns): it keeps its order. */
  mergedUnique?: boolean;
}

/**
 * Builds a Table from its CREATE TABLE statement (`sql` is the text the statement was
 * parsed from). Returns the table and its automatic indexes (root pages 0 until bound).
 */
export function buildTable(stmt: CreateTableStmt, sql: string, find: CollationLookup, enc: TextEncoding): Table {
  if (stmt.columns === null) throw new SqliteError("SQLITE_ERROR", "CREATE TABLE ... AS SELECT is not supported yet");
  const cols: Column[] = [];
  const seen = new Set<string>();
  let pkCols: { col: number; desc: boolean; fromColumn: boolean; coll: string | null }[] | null = null;
  let pkTypeOk = false;
  let keyConf: ConflictAction | null = null;
  let autoinc = false;
  const checks: Check[] = [];
  const checkName = (cs: readonly { kind: string }[], at: number, e: Expr): string => {
    const prev = at > 0 ? cs[at - 1] as { kind: string; name?: string } : null;
    if (prev !== null && prev.kind === "constraintName") return prev.name!;
    return sql.slice(e.start, e.end).trim();
  };
  const specs: IndexSpec[] = [];
  const addSpec = (s: IndexSpec): void => {
    for (const o of specs) {
      if (o.columns.length === s.columns.length && o.columns.every((c, i) => c === s.columns[i] && (o.collNames[i] ?? "") === (s.collNames[i] ?? ""))) {
        // The earlier UNIQUE index becomes the PRIMARY KEY's, with its own sort order (build.c).
        if (s.origin === "pk" && o.origin !== "pk") {
          o.origin = "pk";
          o.mergedUnique = true;
        }
        if (o.onError !== s.onError) {
          if (o.onError !== null && s.onError !== null) throw new SqliteError("SQLITE_ERROR", "conflicting ON CONFLICT clauses specified");
          if (o.onError === null) o.onError = s.onError;
        }
        return;
      }
    }
    specs.push(s);
  };
  const tableName = stmt.name;
  for (let i = 0; i < stmt.columns.length; i++) {
    const cd = stmt.columns[i];
    const key = lower(cd.name);
    if (seen.has(key)) throw new SqliteError("SQLITE_ERROR", `duplicate column name: ${cd.name}`);
    seen.add(key);
    const decl = cd.type === null ? null : sql.slice(cd.type.start, cd.type.end);
    let notNull = false;
    let dflt: Expr | null = null;
    let coll: string | null = null;
    let pk = false;
    let nnConf: ConflictAction | null = null;
    let gen: { expr: Expr; stored: boolean } | null = null;
    cd.constraints.forEach((c, ci) => {
      switch (c.kind) {
        case "notNull": notNull = true; nnConf = c.onConflict; break;
        case "check": checks.push({ name: checkName(cd.constraints, ci, c.expr), expr: c.expr }); break;
        case "default": dflt = c.expr; break;
        case "collate": coll = c.collation; break;
        case "generated": gen = { expr: c.expr, stored: c.storage === "STORED" }; break;
        case "primaryKey":
          if (pkCols !== null) throw new SqliteError("SQLITE_ERROR", `table "${tableName}" has more than one primary key`);
          pk = true;
          pkCols = [{ col: i, desc: c.direction === "DESC", fromColumn: true, coll: null }];
          pkTypeOk = decl !== null && decl.toUpperCase() === "INTEGER" && c.direction !== "DESC";
          keyConf = c.onConflict;
          autoinc = c.autoincrement;
          break;
        default: break;
      }
    });
    if (stmt.strict) {
      if (decl === null) throw new SqliteError("SQLITE_ERROR", `missing datatype for ${tableName}.${cd.name}`);
      if (!STRICT_TYPES.has(decl.toUpperCase())) throw new SqliteError("SQLITE_ERROR", `unknown datatype for ${tableName}.${cd.name}: "${decl}"`);
    }
    // In a STRICT table ANY keeps values as given (BLOB affinity), not NUMERIC.
    const aff = stmt.strict && decl!.toUpperCase() === "ANY" ? 0x41 : affinityOfType(decl);
    if (gen !== null) {
      if (dflt !== null) throw new SqliteError("SQLITE_ERROR", "cannot use DEFAULT on a generated column");
      if (pk) throw new SqliteError("SQLITE_ERROR", "generated columns cannot be part of the PRIMARY KEY");
    }
    cols.push({ name: cd.name, decltype: decl, affinity: aff, notNull, dflt, collation: coll, primaryKey: pk, notNullConflict: nnConf, generated: gen });
    for (const c of cd.constraints) {
      if (c.kind === "unique") addSpec({ columns: [i], collNames: [coll], desc: [false], origin: "u", onError: c.onConflict });
      else if (c.kind === "primaryKey" && !pkTypeOk) addSpec({ columns: [i], collNames: [coll], desc: [c.direction === "DESC"], origin: "pk", onError: c.onConflict });
    }
  }
  const colIndex = (name: string): number => {
    const k = lower(name);
    const i = cols.findIndex((c) => lower(c.name) === k);
    if (i < 0) throw new SqliteError("SQLITE_ERROR", `no such column: ${name}`);
    return i;
  };
  const termCol = (t: OrderingTerm): { col: number; coll: string | null } => {
    let e = t.expr;
    let coll: string | null = null;
    if (e.kind === "collate") { coll = e.collation; e = e.expr; }
    if (e.kind === "column" && e.table === null) return { col: colIndex(e.column), coll };
    if (e.kind === "literal" && e.type === "string") return { col: colIndex(e.value), coll };
    throw new SqliteError("SQLITE_ERROR", "expressions prohibited in PRIMARY KEY and UNIQUE constraints");
  };
  stmt.constraints.forEach((tc, ci) => {
    if (tc.kind === "check") checks.push({ name: checkName(stmt.constraints, ci, tc.expr), expr: tc.expr });
    else if (tc.kind === "primaryKey") {
      if (pkCols !== null) throw new SqliteError("SQLITE_ERROR", `table "${tableName}" has more than one primary key`);
      pkCols = tc.columns.map((t) => ({ ...termCol(t), desc: t.direction === "DESC", fromColumn: false }));
      if (pkCols.length === 1) {
        const d = cols[pkCols[0].col].decltype;
        pkTypeOk = d !== null && d.toUpperCase() === "INTEGER";
      }
      for (const p of pkCols) {
        const c = cols[p.col];
        if (c.generated) throw new SqliteError("SQLITE_ERROR", "generated columns cannot be part of the PRIMARY KEY");
        cols[p.col] = { ...c, primaryKey: true };
      }
      keyConf = tc.onConflict;
      autoinc = tc.autoincrement;
      if (!pkTypeOk) {
        addSpec({ columns: pkCols.map((p) => p.col), collNames: pkCols.map((p) => p.coll ?? cols[p.col].collation), desc: pkCols.map((p) => p.desc), origin: "pk", onError: tc.onConflict });
      }
    } else if (tc.kind === "unique") {
      const ts = tc.columns.map(termCol);
      addSpec({ columns: ts.map((t) => t.col), collNames: ts.map((t) => t.coll ?? cols[t.col].collation), desc: tc.columns.map((t) => t.direction === "DESC"), origin: "u", onError: tc.onConflict });
    }
  });
  if (cols.every((c) => c.generated)) throw new SqliteError("SQLITE_ERROR", "must have at least one non-generated column");
  const pkList = pkCols as { col: number; desc: boolean; coll: string | null }[] | null;
  const wr = stmt.withoutRowid;
  if (wr) {
    // Invariant 6.
    if (pkList === null) throw new SqliteError("SQLITE_ERROR", `PRIMARY KEY missing on table ${tableName}`);
    if (autoinc && pkTypeOk) throw new SqliteError("SQLITE_ERROR", "AUTOINCREMENT not allowed on WITHOUT ROWID tables");
    // An INTEGER PRIMARY KEY is an ordinary key here; its index is made last (build.c convertToWithoutRowidTable).
    if (pkTypeOk) addSpec({ columns: [pkList[0].col], collNames: [cols[pkList[0].col].collation], desc: [pkList[0].desc], origin: "pk", onError: keyConf });
    const ps = specs.find((x) => x.origin === "pk")!;
    const seenCol = new Set<number>();
    const keep = pkList.map((pc, i) => ({ pc, i })).filter(({ pc }) => !seenCol.has(pc.col) && (seenCol.add(pc.col), true));
    ps.columns = keep.map(({ pc }) => pc.col);
    ps.collNames = keep.map(({ i }) => ps.collNames[i] ?? null);
    if (ps.mergedUnique !== true) ps.desc = keep.map(({ pc }) => pc.desc);
    for (const c of ps.columns) cols[c] = { ...cols[c], notNull: true };
  }
  const iPKey = !wr && pkTypeOk && pkList !== null ? pkList[0].col : -1;
  const table: Table = {
    name: tableName, root: 0, columns: cols, iPKey, withoutRowid: wr, sql, indexes: [], isView: false,
    keyConf: iPKey >= 0 ? keyConf : null, checks, autoincrement: iPKey >= 0 && autoinc, strict: stmt.strict,
    fkeys: foreignKeysOf(stmt, cols.map((c) => c.name)),
  };
  if (autoinc && iPKey < 0) throw new SqliteError("SQLITE_ERROR", "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY");
  let pk: Index | null = null;
  let pkPos = 0;
  if (wr) {
    const ps = specs.find((x) => x.origin === "pk")!;
    const colls = ps.columns.map((c, i) => collationOrFail(find, ps.collNames[i] ?? cols[c].collation));
    pk = makeIndex(`sqlite_autoindex_${tableName}_${specs.indexOf(ps) + 1}`, tableName, ps.columns, colls, ps.desc, true, "pk", null, null, enc, ps.onError, null, "self");
    pkPos = specs.indexOf(ps);
  }
  let n = 0;
  for (const s of specs) {
    n++;
    if (wr && s.origin === "pk") continue;
    const colls = s.columns.map((c, i) => collationOrFail(find, s.collNames[i] ?? cols[c].collation));
    // The rowid alias column is the rowid in an index key (its record slot holds NULL).
    table.indexes.push(makeIndex(`sqlite_autoindex_${tableName}_${n}`, tableName, s.columns.map((c) => (c === iPKey ? -1 : c)), colls, s.desc, true, s.origin, null, null, enc, s.onError, null, pk));
  }
  if (pk === null) return table;
  const storage = [...pk.columns, ...cols.map((_, i) => i).filter((i) => !pk!.columns.includes(i))];
  return { ...table, pkIndex: pk, pkPos, storage };
}

function makeIndex(
  name: string, tableName: string, columns: number[], colls: Collation[], desc: boolean[], unique: boolean,
  origin: "c" | "u" | "pk", where: Expr | null, sql: string | null, enc: TextEncoding, onError: ConflictAction | null,
  exprs: (Expr | null)[] | null = null, pk: Index | "self" | null = null,
): Index {
  // Invariant 6: an index of a WITHOUT ROWID table ends with the PK columns it lacks (a
  // column already in the key with the same collation is not repeated), with the PK's
  // collations and sort orders; the PK index itself (pk === null here, WR) has no suffix.
  let pkExtra: number[] | null = null;
  const allColls = [...colls];
  const allDesc = [...desc];
  if (pk === "self") pkExtra = [];
  else if (pk !== null) {
    pkExtra = [];
    pk.columns.forEach((c, j) => {
      if (columns.some((x, i) => x === c && colls[i].name.toLowerCase() === pk.collations[j].name.toLowerCase())) return;
      pkExtra!.push(c);
      allColls.push(pk.collations[j]);
      allDesc.push(pk.desc[j]);
    });
  }
  if (pkExtra === null) { allColls.push(BINARY); allDesc.push(false); }
  const flags = new Uint8Array(allColls.length);
  allDesc.forEach((d, i) => { if (d) flags[i] = SORT_DESC; });
  const keyInfo = makeKeyInfo(allColls.length, { collations: allColls, sortFlags: flags, encoding: enc });
  return { name, tableName, root: 0, columns, exprs, collations: colls, desc, unique, origin, where, keyInfo, sql, onError, pkExtra };
}

/** Builds an Index from CREATE INDEX on `table`. */
export function buildIndex(stmt: CreateIndexStmt, table: Table, sql: string | null, find: CollationLookup, enc: TextEncoding): Index {
  const columns: number[] = [];
  const colls: Collation[] = [];
  const desc: boolean[] = [];
  let exprs: (Expr | null)[] | null = null;
  for (const t of stmt.columns) {
    let e = t.expr;
    let coll: string | null = null;
    if (e.kind === "collate") { coll = e.collation; e = e.expr; }
    let name: string | null = null;
    if (e.kind === "column" && e.table === null) name = e.column;
    else if (e.kind === "literal" && e.type === "string") name = e.value;
    if (name === null) {
      // An index on an expression (invariant 5): its collation is BINARY unless COLLATE is explicit.
      exprs ??= stmt.columns.map(() => null);
      exprs[columns.length] = e;
      columns.push(-2);
      colls.push(collationOrFail(find, coll));
      desc.push(t.direction === "DESC");
      continue;
    }
    const k = lower(name);
    let i = table.columns.findIndex((c) => lower(c.name) === k);
    if (i < 0) {
      if (k === "rowid" || k === "oid" || k === "_rowid_") i = -1;
      else throw new SqliteError("SQLITE_ERROR", `no such column: ${name}`);
    }
    if (i === table.iPKey && i >= 0) i = -1;
    columns.push(i);
    colls.push(collationOrFail(find, coll ?? (i >= 0 ? table.columns[i].collation : null)));
    desc.push(t.direction === "DESC");
  }
  return makeIndex(stmt.name, table.name, columns, colls, desc, stmt.unique, "c", stmt.where, sql, enc, null, exprs, table.pkIndex ?? null);
}
