/*
 * schema/load.ts: reading sqlite_schema (the table B-tree rooted at page 1;
 * fileformat2.html §2.6) into a Schema, and the text SQLite stores for a CREATE
 * statement (build.c sqlite3EndTable / sqlite3CreateIndex: "CREATE TABLE " followed by
 * the statement text from the object's unqualified name to the end).
 *
 * Invariants:
 *  1. Loading runs inside a read transaction of the caller; it reads the schema cookie
 *     and file format from the header and every sqlite_schema row, tables before
 *     indexes, so automatic indexes bind to their table's constraints by name.
 *  2. A row that does not parse, or names a missing table, is SQLITE_CORRUPT
 *     ("malformed database schema (name)"), as in SQLite.
 *  3. The TEMP database's schema table is known as sqlite_temp_master and
 *     sqlite_temp_schema (temp.sqlite_master / temp.sqlite_schema resolve to it in
 *     codegen/dbs.ts); every other database's as sqlite_master and sqlite_schema.
 */
import { RecordReader, SqliteError, type TextEncoding } from "@strata/common";
import type { Btree, Pager } from "@strata/pager";
import type { Statement } from "../parser/ast.js";
import { parse } from "../parser/parse-stmt.js";
import { tokenize } from "../parser/tokenizer.js";
import { Schema, buildIndex, buildTable, lower, type CollationLookup } from "./schema.js";

interface Row { type: string; name: string; tblName: string; root: number; sql: string | null }

function malformed(name: string, why?: string): SqliteError {
  return new SqliteError("SQLITE_CORRUPT", `malformed database schema (${name})${why ? " - " + why : ""}`);
}

export function loadSchema(pager: Pager, btree: Btree, find: CollationLookup, enc: TextEncoding, temp = false): Schema {
  const schema = new Schema();
  schema.cookie = pager.getMeta("schemaCookie");
  schema.fileFormat = pager.getMeta("schemaFormat") || 4;
  // Invariant 3: TEMP's schema table is sqlite_temp_master (alias sqlite_temp_schema).
  const masterName = temp ? "sqlite_temp_master" : "sqlite_schema";
  const masterSql = `CREATE TABLE ${masterName}(type text, name text, tbl_name text, rootpage int, sql text)`;
  const master = parse(masterSql)[0];
  if (master.kind === "createTable") {
    const t = buildTable(master, masterSql, find, enc);
    t.root = 1;
    schema.tables.set(temp ? "sqlite_temp_schema" : "sqlite_master", t);
    schema.tables.set(masterName, t);
  }
  const rows: Row[] = [];
  const cur = btree.tableCursor(1, false);
  const rd = new RecordReader(enc);
  try {
    for (let ok = cur.first(); ok; ok = cur.next()) {
      rd.reset(cur.payload());
      const sqlType = rd.columnType(4);
      rows.push({
        type: rd.getText(0), name: rd.getText(1), tblName: rd.getText(2),
        root: rd.columnType(3) === 1 ? rd.getInt(3) : 0,
        sql: sqlType === 3 ? rd.getText(4) : null,
      });
    }
  } finally {
    cur.close();
  }
  schema.entries = rows.map((r) => ({ type: r.type, name: r.name, tblName: r.tblName, sql: r.sql }));
  for (const r of rows) {
    if (r.type !== "table") continue;
    if (r.sql === null) throw malformed(r.name);
    let st: Statement;
    try {
      st = parse(r.sql)[0];
    } catch (e) {
      throw malformed(r.name, (e as Error).message);
    }
    if (st.kind !== "createTable") throw malformed(r.name);
    if (st.kind === "createTable" && st.columns === null) {
      schema.others.set(lower(r.name), { type: r.type, tblName: r.tblName, sql: r.sql });
      continue;
    }
    const t = buildTable(st, r.sql, find, enc);
    t.root = r.root;
    schema.tables.set(lower(t.name), t);
    if (t.pkIndex != null) {
      t.pkIndex.root = r.root; // a WITHOUT ROWID table's B-tree is its PK index
      schema.indexes.set(lower(t.pkIndex.name), t.pkIndex);
    }
  }
  for (const r of rows) {
    if (r.type === "table") continue;
    if (r.type !== "index") {
      schema.others.set(lower(r.name), { type: r.type, tblName: r.tblName, sql: r.sql ?? "" });
      continue;
    }
    const t = schema.table(r.tblName);
    if (t === null) throw malformed(r.name, "no such table");
    if (r.sql === null) {
      const ix = t.indexes.find((x) => lower(x.name) === lower(r.name));
      if (ix === undefined) throw malformed(r.name, "orphan index");
      ix.root = r.root;
      schema.indexes.set(lower(ix.name), ix);
      continue;
    }
    let st: Statement;
    try {
      st = parse(r.sql)[0];
    } catch (e) {
      throw malformed(r.name, (e as Error).message);
    }
    if (st.kind !== "createIndex") throw malformed(r.name);
    const ix = buildIndex(st, t, r.sql, find, enc);
    ix.root = r.root;
    t.indexes.push(ix);
    schema.indexes.set(lower(ix.name), ix);
  }
  // Autoindexes come first in SQLite's Table.pIndex order only by creation; keep constraint
  // indexes before CREATE INDEX ones (they were pushed first).
  return schema;
}

/**
 * The text SQLite stores in sqlite_schema.sql for a CREATE statement spanning
 * sql[start, end): "CREATE <KIND> " + the text from the unqualified object name on.
 */
export function storedSql(sql: string, start: number, end: number, kind: string): string {
  const text = sql.slice(start, end);
  const name = objectNameToken(text, 0);
  if (name === null) return text;
  return `CREATE ${kind} ${text.slice(name.start)}`;
}

/**
 * The unqualified object name's token of the CREATE statement at sql[start..], as written
 * (quotes and all: SQLite's messages quote it so, e.g. `table "t" already exists`), with
 * its offset in `sql`; null if there is none.
 */
export function objectNameToken(sql: string, start: number): { text: string; start: number } | null {
  const toks = tokenize(start === 0 ? sql : sql.slice(start)).filter((t) => t.kind !== "EOF");
  let i = 0;
  // CREATE [TEMP|TEMPORARY] [UNIQUE|VIRTUAL] TABLE|INDEX|VIEW|TRIGGER [IF NOT EXISTS] [schema .] name
  while (i < toks.length && !["TABLE", "INDEX", "VIEW", "TRIGGER"].includes(toks[i].kind)) i++;
  i++;
  if (i + 2 < toks.length && toks[i].kind === "IF" && toks[i + 1].kind === "NOT" && toks[i + 2].kind === "EXISTS") i += 3;
  if (i + 1 < toks.length && toks[i + 1].kind === "DOT") i += 2;
  if (i >= toks.length) return null;
  return { text: toks[i].text, start: start + toks[i].start };
}
