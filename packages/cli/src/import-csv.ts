// .import FILE TABLE: reads CSV (or the current separators) into a table, as the sqlite3
// shell does. The reader follows csv_read_one_field: fields end at the column separator,
// records at the row separator ("\n"; a "\r" before it is dropped); a field that starts
// with '"' is quoted, with "" standing for one quote. In ascii mode (or --ascii) no
// quoting applies and the separators are \037 and \036.
//
// A missing table is created with the first record as column names, all TEXT:
//   CREATE TABLE "t"(\n"a" TEXT, "b" TEXT)
// Every record becomes an INSERT of text literals inside one transaction; a short record
// is filled with NULLs and a long one cut, each with the shell's warning on stderr.
import { readFileSync } from "node:fs";
import { ShellSqlError } from "./connection.js";
import type { Shell } from "./shell.js";
import { binaryToUtf8, bytesToBinary, dquote, sqlQuote } from "./text.js";
import { databaseList, schemaRows } from "./schema-commands.js";

const USAGE = `ERROR: missing FILE argument. Usage:
.import FILE TABLE       Import data from FILE into TABLE
   Options:
     --ascii               Use \\037 and \\036 as column and row separators
     --csv                 Use , and \\n as column and row separators
     --skip N              Skip the first N rows of input
     --schema S            Target table to be S.TABLE
     -v                    "Verbose" - increase auxiliary output
   Notes:
     *  If TABLE does not exist, it is created.  The first row of input
        determines the column names.
     *  If neither --csv or --ascii are used, the input mode is derived
        from the ".mode" output mode
     *  If FILE begins with "|" then it is a command that generates the
        input text.
`;

/** Splits `text` (a byte string) into records of fields. */
export function readRecords(text: string, colSep: string, rowSep: string, quoting: boolean): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = "";
      if (quoting && text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) break;
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            // Text after the closing quote, up to the separator, is kept as is.
            while (i < n && text[i] !== colSep && text[i] !== rowSep) {
              if (text[i] === "\r" && text[i + 1] === rowSep) {
                i++;
                continue;
              }
              field += text[i++];
            }
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
      } else {
        while (i < n && text[i] !== colSep && text[i] !== rowSep) field += text[i++];
        if (rowSep === "\n" && field.endsWith("\r") && (i >= n || text[i] === rowSep)) field = field.slice(0, -1);
      }
      fields.push(field);
      if (i < n && text[i] === colSep) {
        i++;
        continue;
      }
      if (i < n && text[i] === rowSep) {
        if (rowSep === "\n") line++;
        i++;
      }
      break;
    }
    records.push({ fields, line: start });
  }
  return records;
}

export function importCommand(shell: Shell, args: string[]): number {
  let file: string | null = null;
  let table: string | null = null;
  let schema = "main";
  let skip = 0;
  let forceCsv = false;
  let forceAscii = false;
  for (let k = 1; k < args.length; k++) {
    const a = args[k];
    if (a === "--csv" || a === "-csv") forceCsv = true;
    else if (a === "--ascii" || a === "-ascii") forceAscii = true;
    else if ((a === "--skip" || a === "-skip") && k + 1 < args.length) skip = Number.parseInt(args[++k], 10) || 0;
    else if ((a === "--schema" || a === "-schema") && k + 1 < args.length) schema = args[++k];
    else if (a === "-v") continue;
    else if (a.startsWith("-") && file === null) {
      shell.error(`ERROR: unknown option: "${a}".  Usage:\n`);
      return 1;
    } else if (file === null) file = a;
    else if (table === null) table = a;
    else {
      shell.error(`ERROR: extra argument: "${a}".  Usage:\n`);
      return 1;
    }
  }
  if (file === null) {
    shell.error(USAGE);
    return 1;
  }
  if (table === null) {
    shell.error("ERROR: missing TABLE argument. Usage:\n");
    return 1;
  }
  const mode = shell.settings.mode;
  const ascii = forceAscii || (!forceCsv && mode === "ascii");
  let colSep = forceCsv ? "," : ascii ? "\x1f" : shell.settings.colSeparator;
  let rowSep = forceCsv ? "\n" : ascii ? "\x1e" : shell.settings.rowSeparator;
  if (rowSep === "\r\n") {
    rowSep = "\n";
    // As the sqlite3 shell does, importing in csv mode leaves the row separator at "\n".
    if (!forceCsv && !ascii) shell.settings.rowSeparator = "\n";
  }
  if (colSep.length === 0) {
    shell.error("Error: non-null column separator required for import\n");
    return 1;
  }
  if (colSep.length > 1) {
    shell.error("Error: multi-character column separators not allowed for import\n");
    return 1;
  }
  if (rowSep.length !== 1) {
    shell.error("Error: multi-character row separators not allowed for import\n");
    return 1;
  }
  colSep = colSep[0];
  let text: string;
  try {
    text = bytesToBinary(readFileSync(file));
  } catch {
    shell.error(`Error: cannot open "${file}"\n`);
    return 1;
  }
  let records = readRecords(text, colSep, rowSep, !ascii);
  records = records.slice(skip);
  const qualified = `${dquote(schema)}.${dquote(table)}`;
  const exists = databaseList(shell).some((d) => d.name === schema) &&
    schemaRows(shell, schema).some((r) => r.type === "table" && r.name.toLowerCase() === table.toLowerCase());
  const conn = shell.conn;
  const run = (sql: string) => shell.query(sql);
  try {
    if (!exists) {
      const header = records.shift();
      if (header === undefined) {
        shell.error(`${file}: empty file\n`);
        return 1;
      }
      const cols = header.fields.map((f) => `${dquote(binaryToUtf8(f))} TEXT`).join(", ");
      run(`CREATE TABLE ${schema === "main" ? "" : dquote(schema) + "."}${dquote(table)}(\n${cols})`);
    }
    const { statement } = conn.prepare(`SELECT * FROM ${qualified}`);
    const nCol = statement?.columnNames.length ?? 0;
    statement?.finalize();
    run("BEGIN");
    for (const rec of records) {
      const values = rec.fields.slice(0, nCol).map((f) => sqlQuote(binaryToUtf8(f)));
      if (rec.fields.length < nCol) {
        shell.error(`${file}:${rec.line}: expected ${nCol} columns but found ${rec.fields.length} - filling the rest with NULL\n`);
        while (values.length < nCol) values.push("NULL");
      } else if (rec.fields.length > nCol) {
        shell.error(`${file}:${rec.line}: expected ${nCol} columns but found ${rec.fields.length} - extras ignored\n`);
      }
      try {
        run(`INSERT INTO ${qualified} VALUES(${values.join(",")})`);
      } catch (e) {
        if (!(e instanceof ShellSqlError)) throw e;
        shell.error(`${file}:${rec.line}: INSERT failed: ${e.message}\n`);
      }
    }
    run("COMMIT");
  } catch (e) {
    if (!(e instanceof ShellSqlError)) throw e;
    shell.error(`Error: ${e.message}\n`);
    return 1;
  }
  return 0;
}
