// Dot-commands that read the schema: .tables, .indexes, .schema, .databases, .dbinfo.
//
// They ask the engine only for plain rows of sqlite_schema (and PRAGMA database_list),
// and do the filtering and ordering that the sqlite3 shell does in SQL here, so that the
// shell depends on as little of the engine's SQL surface as possible. Output follows
// shell.c.in: .tables in columns across an 80-character line; .schema one statement per
// line through printSchemaLine (CREATE TABLE "x" shown as CREATE TABLE IF NOT EXISTS "x",
// a view followed by a comment naming its columns).
import { existsSync, openSync, readSync, closeSync } from "node:fs";
import { isComplete } from "./complete.js";
import { resolve } from "node:path";
import { ShellSqlError, type ShellValue } from "./connection.js";
import type { Shell } from "./shell.js";
import { dquote, quoteName, utf8Bytes } from "./text.js";

export interface SchemaRow {
  readonly type: string;
  readonly name: string;
  readonly tblName: string;
  readonly sql: string | null;
}

const str = (v: ShellValue): string => (v === null ? "" : typeof v === "string" ? v : String(v));

/** The databases of the connection: [name, file] in seq order (PRAGMA database_list). */
export function databaseList(shell: Shell): { name: string; file: string }[] {
  try {
    return shell.query("PRAGMA database_list").map((r) => ({ name: str(r[1]), file: str(r[2]) }));
  } catch (e) {
    // An engine without PRAGMA database_list still has its main database.
    if (!(e instanceof ShellSqlError)) throw e;
    const loc = shell.openOptions.location;
    return [{ name: "main", file: loc === ":memory:" ? "" : resolve(loc) }];
  }
}

/** The rows of one database's schema table in rowid order. */
export function schemaRows(shell: Shell, db = "main"): SchemaRow[] {
  const table = db === "temp" ? "sqlite_temp_schema" : `${dquote(db)}.sqlite_schema`;
  return shell
    .query(`SELECT type, name, tbl_name, sql FROM ${table} ORDER BY rowid`)
    .map((r) => ({ type: str(r[0]), name: str(r[1]), tblName: str(r[2]), sql: r[3] === null ? null : str(r[3]) }));
}

/** SQL's LIKE (ASCII case-insensitive, % and _, optional escape) as a predicate. */
export function likeMatcher(pattern: string, escape: string | null = null): (s: string) => boolean {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== null && c === escape && i + 1 < pattern.length) re += regexEscape(pattern[++i]);
    else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += regexEscape(c);
  }
  const rx = new RegExp(re + "$", "i");
  return (s) => rx.test(s);
}

/** SQL's GLOB (* ? [...], case-sensitive) as a predicate. */
export function globMatcher(pattern: string): (s: string) => boolean {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) re += "\\[";
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith("^")) body = "^" + body.slice(1).replace(/\\/g, "\\\\");
        else body = body.replace(/\\/g, "\\\\");
        re += "[" + body + "]";
        i = close;
      }
    } else re += regexEscape(c);
  }
  const rx = new RegExp(re + "$");
  return (s) => rx.test(s);
}

function regexEscape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** .tables ?PATTERN? and .indexes ?TABLE?. */
export function tablesCommand(shell: Shell, args: string[], indexes: boolean): number {
  // As in the sqlite3 shell, only .indexes refuses extra arguments; .tables ignores them.
  if (indexes && args.length > 2) {
    shell.error("Usage: .indexes ?LIKE-PATTERN?\n");
    return 1;
  }
  const match = likeMatcher(args.length === 2 ? args[1] : "%");
  const names: string[] = [];
  for (const db of databaseList(shell)) {
    const prefix = db.name === "main" ? "" : db.name + ".";
    const found = schemaRows(shell, db.name)
      .filter((r) =>
        indexes ? r.type === "index" && match(r.tblName) : (r.type === "table" || r.type === "view") && !likeMatcher("sqlite_%")(r.name) && match(r.name),
      )
      .map((r) => utf8Bytes(prefix + r.name));
    names.push(...found);
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return 0;
  const maxlen = Math.max(...names.map((n) => n.length));
  const nPrintCol = Math.max(1, Math.floor(80 / (maxlen + 2)));
  const nPrintRow = Math.ceil(names.length / nPrintCol);
  let buf = "";
  for (let i = 0; i < nPrintRow; i++) {
    for (let j = i; j < names.length; j += nPrintRow) {
      buf += (j < nPrintRow ? "" : "  ") + names[j].padEnd(maxlen, " ");
    }
    buf += "\n";
  }
  shell.out.write(buf);
  return 0;
}

/** printSchemaLine: one schema statement as .schema and .dump print it. */
export function schemaLine(sql: string, tail: string): string {
  let z = sql;
  if (tail.startsWith(";") && (z.includes("/*") || z.includes("--"))) {
    for (const term of ["", "*/", "\n"]) {
      if (isComplete(z + term + ";")) {
        z = z + term;
        break;
      }
    }
  }
  if (/^CREATE TABLE ['"]/.test(z)) return "CREATE TABLE IF NOT EXISTS " + z.slice(13) + tail;
  return z + tail;
}

/** shellFakeSchema: "name(col,col)" for a view's comment, or null. */
function viewColumns(shell: Shell, db: string | null, name: string): string | null {
  let cols: readonly string[];
  try {
    const { statement } = shell.conn.prepare(`SELECT * FROM ${dquote(db ?? "main")}.${dquote(name)}`);
    if (statement === null) return null;
    cols = statement.columnNames;
    statement.finalize();
  } catch {
    return null;
  }
  if (cols.length === 0) return null;
  const prefix = db === null ? "" : (db.toLowerCase() === "temp" ? db : quoteName(db)) + ".";
  return prefix + quoteName(name) + "(" + cols.map(quoteName).join(",") + ")";
}

/** .schema ?PATTERN? [--indent] [--nosys]. */
export function schemaCommand(shell: Shell, args: string[]): number {
  let pattern: string | null = null;
  let noSys = false;
  for (const a of args.slice(1)) {
    if (a === "--indent" || a === "-indent") continue;
    if (a === "--nosys" || a === "-nosys") noSys = true;
    else if (a.startsWith("-")) {
      shell.error(`Unknown option "${a}"\n`);
      return 1;
    } else if (pattern === null) pattern = a;
    else {
      shell.error("Usage: .schema ?--indent? ?--nosys? ?LIKE-PATTERN?\n");
      return 1;
    }
  }
  let match: (r: SchemaRow, db: string) => boolean = () => true;
  if (pattern !== null) {
    const p = pattern;
    const glob = /[*?[]/.test(p);
    const m = glob ? globMatcher(p) : likeMatcher(p, "\\");
    match = (r, db) => m(p.includes(".") ? `${db}.${r.tblName}`.toLowerCase() : r.tblName.toLowerCase());
  }
  let buf = "";
  for (const db of databaseList(shell)) {
    for (const r of schemaRows(shell, db.name)) {
      if (r.sql === null || !match(r, db.name)) continue;
      if (noSys && likeMatcher("sqlite_%")(r.name)) continue;
      let sql = r.sql;
      if (r.type === "view") {
        const fake = viewColumns(shell, db.name === "main" ? null : db.name, r.name);
        if (fake !== null) sql += `\n/* ${fake} */`;
      }
      buf += utf8Bytes(schemaLine(sql, ";\n"));
    }
  }
  shell.out.write(buf);
  return 0;
}

/** .databases: "name: file r/w". */
export function databasesCommand(shell: Shell): number {
  let buf = "";
  for (const db of databaseList(shell)) {
    buf += utf8Bytes(`${db.name}: ${db.file} ${shell.openOptions.readonly ? "r/o" : "r/w"}\n`);
  }
  shell.out.write(buf);
  return 0;
}

/** .dbinfo: the database header's fields and schema counts (shell_dbinfo_command). */
export function dbinfoCommand(shell: Shell): number {
  const file = databaseList(shell).find((d) => d.name === "main")?.file ?? "";
  let hdr: Uint8Array | null = null;
  try {
    const rows = shell.query("SELECT data FROM sqlite_dbpage('main') WHERE pgno=1");
    const d = rows[0]?.[0];
    if (d instanceof Uint8Array) hdr = d.subarray(0, 100);
  } catch (e) {
    if (file === "" || !existsSync(file)) {
      shell.error(`error: ${(e as Error).message}\n`);
      return 1;
    }
    // Without sqlite_dbpage the header is read from the file, after a checkpoint has
    // copied the WAL's pages (page 1 among them) into it, so it is the current one.
    try {
      shell.query("PRAGMA wal_checkpoint");
    } catch {
      /* inside a transaction: the file's header may be older than the WAL's */
    }
    const fd = openSync(file, "r");
    try {
      hdr = new Uint8Array(100);
      if (readSync(fd, hdr, 0, 100, 0) < 100) hdr = null;
    } finally {
      closeSync(fd);
    }
  }
  if (hdr === null) {
    shell.error("unable to read database header\n");
    return 1;
  }
  const dv = new DataView(hdr.buffer, hdr.byteOffset, 100);
  const pad = (s: string) => s.padEnd(20, " ");
  let pageSize = dv.getUint16(16);
  if (pageSize === 1) pageSize = 65536;
  let buf = `${pad("database page size:")} ${pageSize}\n`;
  buf += `${pad("write format:")} ${hdr[18]}\n${pad("read format:")} ${hdr[19]}\n${pad("reserved bytes:")} ${hdr[20]}\n`;
  const fields: [string, number][] = [
    ["file change counter:", 24], ["database page count:", 28], ["freelist page count:", 36],
    ["schema cookie:", 40], ["schema format:", 44], ["default cache size:", 48],
    ["autovacuum top root:", 52], ["incremental vacuum:", 64], ["text encoding:", 56],
    ["user version:", 60], ["application id:", 68], ["software version:", 96],
  ];
  for (const [name, ofst] of fields) {
    const val = dv.getUint32(ofst);
    buf += `${pad(name)} ${val}`;
    if (ofst === 56) buf += val === 1 ? " (utf8)" : val === 2 ? " (utf16le)" : val === 3 ? " (utf16be)" : "";
    buf += "\n";
  }
  const rows = schemaRows(shell);
  const count = (t: string) => rows.filter((r) => r.type === t).length;
  buf += `${pad("number of tables:")} ${count("table")}\n`;
  buf += `${pad("number of indexes:")} ${count("index")}\n`;
  buf += `${pad("number of triggers:")} ${count("trigger")}\n`;
  buf += `${pad("number of views:")} ${count("view")}\n`;
  const size = rows.reduce((n, r) => n + (r.sql === null ? 0 : [...r.sql].length), 0);
  buf += `${pad("schema size:")} ${size}\n`;
  shell.out.write(buf);
  return 0;
}
