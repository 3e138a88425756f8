// .dump: the database as SQL text that rebuilds it, in the sqlite3 shell's order and words.
//
//   PRAGMA foreign_keys=OFF;
//   BEGIN TRANSACTION;
//   <each table with SQL, in rowid order, sqlite_sequence last:
//      its CREATE statement (printSchemaLine), then one INSERT per row in insert mode:
//      INSERT INTO name VALUES(...); text with newlines as replace(...,char(10)),
//      REALs as "%!.20g", BLOBs as X'..'>
//   <each index, trigger and view with SQL, in rowid order, followed by ";">
//   COMMIT;
//
// sqlite_sequence is emptied ("DELETE FROM sqlite_sequence;") and refilled; sqlite_stat1
// is recreated with "ANALYZE sqlite_schema;" and refilled; other sqlite_ tables are
// skipped. A table-name pattern (LIKE) limits the dump to matching tables.
import { quoteName, utf8Bytes } from "./text.js";
import { likeMatcher, schemaLine, schemaRows } from "./schema-commands.js";
import type { Shell } from "./shell.js";

export async function dumpCommand(shell: Shell, args: string[]): Promise<number> {
  const patterns: string[] = [];
  let dataOnly = false;
  let noSys = false;
  for (const a of args.slice(1)) {
    if (a.startsWith("-")) {
      const opt = a.replace(/^--?/, "");
      if (opt === "data-only") dataOnly = true;
      else if (opt === "nosys") noSys = true;
      else if (opt === "newlines" || opt === "preserve-rowids") {
        shell.error(`option --${opt} is not supported by this shell\n`);
        return 1;
      } else {
        shell.error(`Unknown option "${a}" on ".dump"\n`);
        return 1;
      }
    } else patterns.push(a);
  }
  const matchers = patterns.map((p) => likeMatcher(p, "\\"));
  // A pattern selects objects by name (an index or trigger of a selected table is not dumped).
  const wanted = (name: string) => matchers.length === 0 || matchers.some((m) => m(name));
  const out = shell.out;
  const savedHeader = shell.settings.showHeader;
  const savedMode = shell.settings.mode;
  const savedDest = shell.settings.destTable;
  let errors = 0;
  if (!dataOnly) out.write("PRAGMA foreign_keys=OFF;\n");
  out.write("BEGIN TRANSACTION;\n");
  shell.settings.showHeader = false;
  try {
    const rows = schemaRows(shell);
    const tables = rows
      .filter((r) => r.type === "table" && r.sql !== null && wanted(r.name))
      .sort((a, b) => Number(a.tblName === "sqlite_sequence") - Number(b.tblName === "sqlite_sequence"));
    for (const t of tables) {
      const sql = t.sql as string;
      if (t.name === "sqlite_sequence" && !noSys) out.write("DELETE FROM sqlite_sequence;\n");
      else if (/^sqlite_stat.$/.test(t.name) && !noSys) out.write("ANALYZE sqlite_schema;\n");
      else if (t.name.startsWith("sqlite_")) continue;
      else if (dataOnly) {
        // no CREATE statement
      } else out.write(utf8Bytes(schemaLine(sql, ";\n")));
      const { statement: probe } = shell.conn.prepare(`SELECT * FROM ${quoteName(t.name)}`);
      const cols = probe?.columnNames ?? [];
      probe?.finalize();
      const select = `SELECT ${cols.map(quoteName).join(",")} FROM ${quoteName(t.name)}`;
      shell.settings.mode = "insert";
      shell.settings.destTable = utf8Bytes(quoteName(t.name));
      const err = await shell.exec(utf8Bytes(select));
      if (err !== null) {
        errors++;
        out.write(`/**** ERROR: ${err.text} *****/\n`);
      }
    }
    if (!dataOnly) {
      for (const r of rows) {
        if (r.sql === null || !["index", "trigger", "view"].includes(r.type) || !wanted(r.name)) continue;
        out.write(utf8Bytes(r.sql) + (r.sql.includes("--") ? "\n;\n" : ";\n"));
      }
    }
  } finally {
    shell.settings.showHeader = savedHeader;
    shell.settings.mode = savedMode;
    shell.settings.destTable = savedDest;
  }
  out.write(errors > 0 ? "ROLLBACK; -- due to errors\n" : "COMMIT;\n");
  return 0;
}
