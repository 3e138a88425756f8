/*
 * codegen/analyze.ts: ANALYZE (https://sqlite.org/lang_analyze.html; SQLite's analyze.c),
 * writing sqlite_stat1 (https://sqlite.org/fileformat2.html §2.6.3) exactly as SQLite
 * 3.53 does without STAT4:
 *
 *   ANALYZE | ANALYZE schema         every ordinary table of main
 *   ANALYZE [schema.]index           that index (no table-count row)
 *   ANALYZE [schema.]table           every index of the table (+ the table-count row)
 *
 * The planner does not read sqlite_stat1 yet: ANALYZE only records the statistics.
 *
 * Invariants:
 *  1. sqlite_stat1 is created by the first ANALYZE with SQLite's text
 *     `CREATE TABLE sqlite_stat1(tbl,idx,stat)` (a new root, a schema row, the schema
 *     cookie + 1); otherwise the rows being replaced are deleted first: all of them for a
 *     whole-database ANALYZE, those with tbl = the table (or idx = the index) otherwise,
 *     compared BINARY as SQLite's nested DELETE does.
 *  2. One row per non-empty index, and per partial index even when empty (SQLite 3.53:
 *     "Partial indexes might get a zero-entry"): (table, index, "nRow a1 .. aK"), K the number of key
 *     columns; a_i = ceil(nRow / D_i), D_i the number of distinct prefixes of i columns
 *     (adjacent index entries compared with the column's collation, NULL equal to NULL),
 *     except that a value of 2 becomes 1 when nRow*10 <= D_i*11 (analyze.c statGet).
 *  3. A table with no index other than partial ones also gets (table, NULL, "nRow") when
 *     it has rows. Tables named sqlite_* and views are skipped; an index is read from its
 *     own B-tree, so a partial index counts its own entries.
 *  4. The name given alone is first a schema name ("main"), then an index, then a table
 *     (index before table, as sqlite3Analyze looks them up).
 */
import { openTable } from "./without-rowid.js";
import type { AnalyzeStmt } from "../parser/ast.js";
import { scalar } from "../func/registry.js";
import type { FuncArgs, FuncContext } from "../func/api.js";
import { lower, type Index, type Table } from "../schema/schema.js";
import { NULLEQ, Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { finishProgram } from "./select.js";

export const STAT1_SQL = "CREATE TABLE sqlite_stat1(tbl,idx,stat)";

/**
 * stat_get(nRow, d1, .., dK): the stat column of one index (invariant 2); d_i is the
 * number of times the i-column prefix changed between adjacent entries (D_i - 1).
 * Internal: never registered, so SQL cannot call it.
 */
const STAT_GET = scalar("stat_get", -1, 0, (ctx: FuncContext, argc: number, args: FuncArgs): void => {
  const nRow = args.int(0);
  let s = String(nRow);
  for (let i = 1; i < argc; i++) {
    const nDistinct = args.int(i) + 1;
    let v = Math.floor((nRow + nDistinct - 1) / nDistinct);
    if (v === 2 && nRow * 10 <= nDistinct * 11) v = 1;
    s += " " + v;
  }
  ctx.resultText(s);
});

interface Target {
  /** Tables to analyze, each with the indexes to analyze and whether to write the count row. */
  readonly items: { table: Table; indexes: Index[]; tableCount: boolean }[];
  /** Which stat1 rows are replaced: all, by tbl, or by idx (invariant 1). */
  readonly clear: { col: 0 | 1; name: string } | null;
}

function userTable(t: Table): boolean {
  return !lower(t.name).startsWith("sqlite_");
}

/** The indexes ANALYZE samples: a WITHOUT ROWID table's PK index first (its stat1 row is named after the table). */
function analyzable(t: Table): Index[] {
  return t.pkIndex != null ? [t.pkIndex, ...t.indexes] : [...t.indexes];
}

function whole(p: Parse): Target {
  const items = [...p.host.schema.tables.values()].filter(userTable).map((t) => ({
    table: t, indexes: analyzable(t), tableCount: analyzable(t).every((ix) => ix.where !== null),
  }));
  return { items, clear: null };
}

/** Invariant 4. */
function targets(p: Parse, stmt: AnalyzeStmt): Target {
  const schema = p.host.schema;
  if (stmt.name === null) {
    if (stmt.schema !== null && lower(stmt.schema) !== "main") throw p.error(`unknown database ${stmt.schema}`);
    return whole(p);
  }
  if (stmt.schema === null && lower(stmt.name) === "main") return whole(p);
  if (stmt.schema !== null && lower(stmt.schema) !== "main") throw p.error(`unknown database ${stmt.schema}`);
  const ix = schema.index(stmt.name);
  if (ix !== null) {
    const t = schema.table(ix.tableName)!;
    return { items: userTable(t) ? [{ table: t, indexes: [ix], tableCount: false }] : [], clear: { col: 1, name: ix.name } };
  }
  const t = schema.table(stmt.name);
  if (t !== null) {
    const items = userTable(t) ? [{ table: t, indexes: analyzable(t), tableCount: analyzable(t).every((x) => x.where !== null) }] : [];
    return { items, clear: { col: 0, name: t.name } };
  }
  const view = schema.others.get(lower(stmt.name));
  if (view !== undefined && view.type === "view") return { items: [], clear: { col: 0, name: stmt.name } };
  throw p.error(`no such table: ${stmt.schema !== null ? stmt.schema + "." : ""}${stmt.name}`);
}

export function compileAnalyze(p: Parse, stmt: AnalyzeStmt): void {
  const target = targets(p, stmt);
  const b = p.b;
  const schema = p.host.schema;
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const stat = schema.table("sqlite_stat1");
  // The stat1 root: a constant, or a register when this statement creates the table.
  const rootReg = b.allocReg();
  const sc = b.allocCursor();
  if (stat === null) {
    b.add(Op.CreateBtree, 0, rootReg, 1);
    const cur = b.allocCursor();
    b.add(Op.OpenWrite, cur, 1, 0, 5);
    b.comment("sqlite_schema");
    const r = b.allocReg(5);
    b.add(Op.String8, 0, r, 0, "table");
    b.add(Op.String8, 0, r + 1, 0, "sqlite_stat1");
    b.add(Op.String8, 0, r + 2, 0, "sqlite_stat1");
    b.add(Op.SCopy, rootReg, r + 3);
    b.add(Op.String8, 0, r + 4, 0, STAT1_SQL);
    const rec = b.allocReg();
    const rowid = b.allocReg();
    b.add(Op.MakeRecord, r, 5, rec, "BBBDB");
    b.add(Op.NewRowid, cur, rowid);
    b.add(Op.Insert, cur, rec, rowid, "sqlite_schema", 0);
    b.add(Op.Close, cur);
    b.add(Op.SetCookie, 0, 1, (schema.cookie + 1) >>> 0);
    b.add(Op.ParseSchema, 0);
    b.add(Op.OpenWrite, sc, rootReg, 0, 3, 2);
  } else {
    b.add(Op.OpenWrite, sc, stat.root, 0, 3);
    if (target.clear === null) b.add(Op.Clear, stat.root, 0);
    else deleteRows(p, sc, target.clear.col, target.clear.name);
  }
  // Registers of one stat1 row: tbl, idx, stat; then the record and rowid.
  const row = b.allocReg(3);
  const rec = b.allocReg();
  const rowid = b.allocReg();
  const one = b.allocReg();
  b.add(Op.Integer, 1, one);
  const insertRow = (): void => {
    b.add(Op.MakeRecord, row, 3, rec, "BBB");
    b.add(Op.NewRowid, sc, rowid);
    b.add(Op.Insert, sc, rec, rowid, "sqlite_stat1", 0);
  };
  for (const { table: t, indexes, tableCount } of target.items) {
    for (const ix of indexes) analyzeIndex(p, t, ix, row, one, insertRow);
    if (tableCount) {
      const tc = b.allocCursor();
      const n = row + 2;
      openTable(p, tc, t, false);
      b.add(Op.Integer, 0, n);
      const skip = b.newLabel();
      b.add(Op.Rewind, tc, skip);
      const top = b.addr;
      b.add(Op.Add, one, n, n);
      b.add(Op.Next, tc, top);
      b.add(Op.Close, tc);
      b.add(Op.IfNot, n, skip);
      b.add(Op.String8, 0, row, 0, t.name);
      b.add(Op.Null, 0, row + 1);
      insertRow();
      b.resolve(skip);
    }
  }
  finishProgram(p, init, end, true);
}

/** One index's stat1 row (invariant 2): nothing when an index that is not partial is empty. */
function analyzeIndex(p: Parse, t: Table, ix: Index, row: number, one: number, insertRow: () => void): void {
  const b = p.b;
  const n = ix.columns.length;
  const ic = b.allocCursor();
  b.add(Op.OpenRead, ic, ix.root, 0, ix.keyInfo);
  const args = b.allocReg(n + 1); // nRow, d1..dK
  const prev = b.allocReg(n);
  const tmp = b.allocReg();
  for (let i = 0; i <= n; i++) b.add(Op.Integer, 0, args + i);
  const empty = b.newLabel();
  b.add(Op.Rewind, ic, empty);
  for (let i = 0; i < n; i++) b.add(Op.Column, ic, i, prev + i);
  const count = b.newLabel();
  b.add(Op.Goto, 0, count);
  const top = b.addr;
  const changed = ix.columns.map(() => b.newLabel());
  for (let i = 0; i < n; i++) {
    b.add(Op.Column, ic, i, tmp);
    b.add(Op.Ne, tmp, changed[i], prev + i, ix.collations[i], NULLEQ);
  }
  b.add(Op.Goto, 0, count);
  for (let i = 0; i < n; i++) {
    // Prefix i+1 (and every longer one) differs from the previous entry's.
    b.resolve(changed[i]);
    b.add(Op.Add, one, args + 1 + i, args + 1 + i);
    b.add(Op.Column, ic, i, prev + i);
  }
  b.resolve(count);
  b.add(Op.Add, one, args, args);
  b.add(Op.Next, ic, top);
  if (ix.where !== null) b.resolve(empty);
  b.add(Op.String8, 0, row, 0, t.name);
  b.add(Op.String8, 0, row + 1, 0, ix === t.pkIndex ? t.name : ix.name);
  b.add(Op.Function, 0, args, row + 2, STAT_GET, n + 1);
  insertRow();
  if (ix.where === null) b.resolve(empty);
  b.add(Op.Close, ic);
}

/** Deletes the stat1 rows whose column `col` (0 tbl, 1 idx) is `name` (BINARY). */
function deleteRows(p: Parse, cur: number, col: number, name: string): void {
  const b = p.b;
  const done = b.newLabel();
  const v = b.allocReg();
  const want = b.allocReg();
  b.add(Op.String8, 0, want, 0, name);
  b.add(Op.Rewind, cur, done);
  const top = b.addr;
  const next = b.newLabel();
  b.add(Op.Column, cur, col, v);
  b.add(Op.Ne, want, next, v, null, 0x10);
  b.add(Op.Delete, cur, 0, 0, null, 0);
  b.resolve(next);
  b.add(Op.Next, cur, top);
  b.resolve(done);
}
