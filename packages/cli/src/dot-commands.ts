// Dot-commands: parsing a "." line into arguments and dispatching it (do_meta_command).
//
// Arguments split as the sqlite3 shell splits them: on whitespace; '...' keeps its text
// as is; "..." and unquoted words have their backslash escapes resolved (\n \t \\ \" \'
// \r \a \b \f \v and octal \NNN). A command is named by any prefix of its full name (the
// first match in the table below wins, as in the shell's if-chain), with a few needing
// a minimum length. Each command returns 0 (ok), 1 (error, counted for -bail and the
// exit status) or 2 (.quit).
import { existsSync, readFileSync } from "node:fs";
import { ShellSqlError } from "./connection.js";
import type { Mode } from "./modes/render.js";
import type { Shell } from "./shell.js";
import { dumpCommand } from "./dump.js";
import { importCommand } from "./import-csv.js";
import { databasesCommand, dbinfoCommand, schemaCommand, tablesCommand } from "./schema-commands.js";
import { binaryToUtf8, bytesToBinary, cString, quoteName, utf8Bytes } from "./text.js";

/** resolve_backslashes. */
export function resolveBackslashes(z: string): string {
  let out = "";
  for (let i = 0; i < z.length; i++) {
    const c = z[i];
    if (c !== "\\" || i + 1 >= z.length) {
      out += c;
      continue;
    }
    const d = z[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", t: "\t", n: "\n", v: "\v", f: "\f", r: "\r", '"': '"', "'": "'", "\\": "\\" };
    if (d in simple) out += simple[d];
    else if (d >= "0" && d <= "7") {
      let v = d.charCodeAt(0) - 48;
      if (z[i + 1] >= "0" && z[i + 1] <= "7") {
        v = v * 8 + z.charCodeAt(++i) - 48;
        if (z[i + 1] >= "0" && z[i + 1] <= "7") v = v * 8 + z.charCodeAt(++i) - 48;
      }
      out += String.fromCharCode(v & 0xff);
    } else out += "\\" + d;
  }
  return out;
}

/** Splits a dot-command line (a byte string) into arguments. */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  let h = line.startsWith(".") ? 1 : 0;
  const isSp = (c: string | undefined) => c !== undefined && /[ \t\n\r\f\v]/.test(c);
  while (h < line.length) {
    while (isSp(line[h])) h++;
    if (h >= line.length) break;
    const c = line[h];
    if (c === "'" || c === '"') {
      h++;
      let arg = "";
      while (h < line.length && line[h] !== c) {
        if (line[h] === "\\" && c === '"' && h + 1 < line.length) arg += line[h++];
        arg += line[h++];
      }
      if (line[h] === c) h++;
      args.push(c === '"' ? resolveBackslashes(arg) : arg);
    } else {
      let arg = "";
      while (h < line.length && !isSp(line[h])) arg += line[h++];
      args.push(resolveBackslashes(arg));
    }
  }
  return args;
}

/** booleanValue: on/yes/true/non-zero integer are true; off/no/false/0 false. */
export function booleanValue(shell: Shell, z: string): boolean {
  if (/^-?(0x[0-9a-f]+|\d+)$/i.test(z)) return Number(z) !== 0;
  const l = z.toLowerCase();
  if (l === "on" || l === "yes" || l === "true") return true;
  if (l === "off" || l === "no" || l === "false") return false;
  shell.error(`ERROR: Not a boolean value: "${binaryToUtf8(z)}". Assuming "no".\n`);
  return false;
}

function integerValue(z: string): number {
  const m = /^\s*([+-]?)(0x[0-9a-f]+|\d+)/i.exec(z);
  if (!m) return 0;
  const v = Number(m[2]);
  return m[1] === "-" ? -v : v;
}

const HELP: [string, string][] = [
  [".bail on|off", "Stop after hitting an error.  Default OFF"],
  [".changes on|off", "Show number of rows changed by SQL"],
  [".databases", "List names and files of attached databases"],
  [".dbinfo ?DB?", "Show status information about the database"],
  [".dump ?OBJECTS?", "Render database content as SQL"],
  [".echo on|off", "Turn command echo on or off"],
  [".eqp on|off|full|...", "Enable or disable automatic EXPLAIN QUERY PLAN"],
  [".exit ?CODE?", "Exit this program with return-code CODE"],
  [".headers on|off", "Turn display of headers on or off"],
  [".help ?-all? ?PATTERN?", "Show help text for PATTERN"],
  [".import FILE TABLE", "Import data from FILE into TABLE"],
  [".indexes ?TABLE?", "Show names of indexes"],
  [".mode MODE ?OPTIONS?", "Set output mode"],
  [".nullvalue STRING", "Use STRING in place of NULL values"],
  [".once ?OPTIONS? ?FILE?", "Output for the next SQL command only to FILE"],
  [".open ?OPTIONS? ?FILE?", "Close existing database and reopen FILE"],
  [".output ?FILE?", "Send output to FILE or stdout if FILE is omitted"],
  [".quit", "Exit this program"],
  [".read FILE", "Read input from FILE or command output"],
  [".schema ?PATTERN?", "Show the CREATE statements matching PATTERN"],
  [".separator COL ?ROW?", "Change the column and row separators"],
  [".show", "Show the current values for various settings"],
  [".tables ?TABLE?", "List names of tables matching LIKE pattern TABLE"],
  [".timer on|off", "Turn SQL timer on or off"],
  [".version", "Show source, library and compiler versions"],
  [".width NUM1 NUM2 ...", "Set minimum column widths for columnar output"],
];

type Command = (shell: Shell, args: string[]) => number | Promise<number>;

function onOff(usage: string, set: (shell: Shell, v: boolean) => void): Command {
  return (shell, args) => {
    if (args.length !== 2) {
      shell.error(`Usage: ${usage}\n`);
      return 1;
    }
    set(shell, booleanValue(shell, args[1]));
    return 0;
  };
}

const MODES = ["ascii", "box", "column", "csv", "html", "insert", "json", "line", "list", "markdown", "qbox", "quote", "table", "tabs", "tcl"];

function modeCommand(shell: Shell, args: string[]): number {
  const s = shell.settings;
  let mode: string | null = null;
  let table: string | null = null;
  let wrap = 60; // ColModeOpts_default
  let quote = false;
  for (let i = 1; i < args.length; i++) {
    const z = args[i];
    const opt = z.replace(/^--?/, "");
    if (z.startsWith("-") && opt === "wrap" && i + 1 < args.length) wrap = integerValue(args[++i]);
    else if (z.startsWith("-") && opt === "quote") quote = true;
    else if (z.startsWith("-") && opt === "noquote") quote = false;
    else if (z.startsWith("-") && (opt === "ww" || opt === "wordwrap")) {
      shell.error("word wrapping (--wordwrap, --ww) is not supported by this shell\n");
      return 1;
    } else if (mode === null) {
      mode = z;
      if (z === "qbox") {
        mode = "box";
        wrap = 60;
        quote = true;
      }
    } else if (table === null) table = z;
    else if (z.startsWith("-")) {
      shell.error(`unknown option: ${z}\noptions:\n  --noquote\n  --quote\n  --wordwrap on/off\n  --wrap N\n  --ww\n`);
      return 1;
    } else {
      shell.error(`extra argument: "${z}"\n`);
      return 1;
    }
  }
  const columnar = (m: Mode) => m === "column" || m === "markdown" || m === "table" || m === "box";
  if (mode === null) {
    if (columnar(s.mode)) {
      shell.out.write(`current output mode: ${s.mode} --wrap ${s.wrap} --wordwrap off --${s.quote ? "" : "no"}quote\n`);
    } else shell.out.write(`current output mode: ${s.mode}\n`);
    mode = s.mode;
  }
  const is = (full: string) => mode!.length > 0 && full.startsWith(mode!);
  if (is("lines")) {
    s.mode = "line";
    s.rowSeparator = "\n";
  } else if (is("columns")) {
    s.mode = "column";
    if (!shell.headerSet) s.showHeader = true;
    s.rowSeparator = "\n";
    s.wrap = wrap;
    s.quote = quote;
  } else if (is("list")) {
    s.mode = "list";
    s.colSeparator = "|";
    s.rowSeparator = "\n";
  } else if (is("html")) s.mode = "html";
  else if (is("tcl")) {
    s.mode = "tcl";
    s.colSeparator = " ";
    s.rowSeparator = "\n";
  } else if (is("csv")) {
    s.mode = "csv";
    s.colSeparator = ",";
    s.rowSeparator = "\r\n";
  } else if (is("tabs")) {
    s.mode = "list";
    s.colSeparator = "\t";
  } else if (is("insert")) {
    s.mode = "insert";
    s.destTable = quoteName(table ?? "table");
  } else if (is("quote")) {
    s.mode = "quote";
    s.colSeparator = ",";
    s.rowSeparator = "\n";
  } else if (is("ascii")) {
    s.mode = "ascii";
    s.colSeparator = "\x1f";
    s.rowSeparator = "\x1e";
  } else if (is("markdown") || is("table") || is("box")) {
    s.mode = is("markdown") ? "markdown" : is("table") ? "table" : "box";
    s.wrap = wrap;
    s.quote = quote;
  } else if (is("count")) s.mode = "count";
  else if (is("off")) s.mode = "off";
  else if (is("json")) s.mode = "json";
  else {
    shell.error(`Error: mode should be one of: ${MODES.join(" ")}\n`);
    return 1;
  }
  return 0;
}

function showCommand(shell: Shell, args: string[]): number {
  if (args.length !== 1) {
    shell.error("Usage: .show\n");
    return 1;
  }
  const s = shell.settings;
  const f = (name: string) => name.padStart(12, " ") + ": ";
  const eqp = ["off", "on", "trigger", "full"][shell.eqp] ?? "on";
  const columnar = s.mode === "column" || s.mode === "markdown" || s.mode === "table" || s.mode === "box";
  let buf = "";
  buf += f("echo") + (shell.echo ? "on" : "off") + "\n";
  buf += f("eqp") + eqp + "\n";
  buf += f("explain") + (shell.autoExplain ? "auto" : "off") + "\n";
  buf += f("headers") + (s.showHeader ? "on" : "off") + "\n";
  buf += f("mode") + s.mode + (columnar ? ` --wrap ${s.wrap} --wordwrap off --${s.quote ? "" : "no"}quote` : "") + "\n";
  buf += f("nullvalue") + cString(s.nullValue) + "\n";
  buf += f("output") + (shell.outFileName !== "" ? utf8Bytes(shell.outFileName) : "stdout") + "\n";
  buf += f("colseparator") + cString(s.colSeparator) + "\n";
  buf += f("rowseparator") + cString(s.rowSeparator) + "\n";
  buf += f("stats") + "off\n";
  buf += f("width") + s.colWidth.map((w) => `${w} `).join("") + "\n";
  buf += f("filename") + utf8Bytes(shell.openOptions.location) + "\n";
  shell.out.write(buf);
  return 0;
}

function openCommand(shell: Shell, args: string[]): number {
  let file: string | null = null;
  let readonly = false;
  let fresh = false;
  let key: string | null = shell.openOptions.key;
  let cipher: string | null = shell.openOptions.cipher;
  for (let i = 1; i < args.length; i++) {
    const z = args[i];
    const opt = z.replace(/^--?/, "");
    if (z.startsWith("-") && opt === "readonly") readonly = true;
    else if (z.startsWith("-") && opt === "new") fresh = true;
    else if (z.startsWith("-") && opt === "key" && i + 1 < args.length) key = binaryToUtf8(args[++i]);
    else if (z.startsWith("-") && opt === "cipher" && i + 1 < args.length) cipher = binaryToUtf8(args[++i]);
    else if (z.startsWith("-")) {
      shell.error(`unknown option: ${z}\n`);
      return 1;
    } else if (file !== null) {
      shell.error(`extra argument: "${z}"\n`);
      return 1;
    } else file = binaryToUtf8(z);
  }
  const location = file ?? ":memory:";
  if (fresh && location !== ":memory:" && existsSync(location)) {
    shell.error(`Error: --new is not supported by this shell for an existing file: ${location}\n`);
    return 1;
  }
  try {
    shell.reopen({ ...shell.openOptions, location, readonly, create: !readonly, key, cipher });
  } catch (e) {
    shell.error(`Error: unable to open database "${location}": ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}

async function readCommand(shell: Shell, args: string[]): Promise<number> {
  if (args.length !== 2) {
    shell.error("Usage: .read FILE\n");
    return 1;
  }
  let text: string;
  try {
    text = bytesToBinary(readFileSync(binaryToUtf8(args[1])));
  } catch {
    shell.error(`Error: cannot open "${binaryToUtf8(args[1])}"\n`);
    return 1;
  }
  return (await shell.processLines(splitLines(text))) ? 1 : 0;
}

/** Splits input (a byte string) into lines the way the shell reads them ("\n", "\r\n"). */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

function outputCommand(shell: Shell, args: string[], once: boolean): number {
  const files = args.slice(1).filter((a) => !a.startsWith("-"));
  const opts = args.slice(1).filter((a) => a.startsWith("-"));
  if (opts.length > 0) {
    shell.error(`ERROR: unknown option: "${opts[0]}".  Usage:\n.${once ? "once" : "output"} ?FILE?\n`);
    return 1;
  }
  if (files.length > 1) {
    shell.error(`ERROR: extra parameter: "${files[1]}".  Usage:\n.${once ? "once" : "output"} ?FILE?\n`);
    return 1;
  }
  const file = files[0];
  if (file === undefined || file === "stdout") {
    if (once) {
      shell.error("Usage: .once FILE\n");
      return 1;
    }
    shell.setOutput(null);
    return 0;
  }
  try {
    shell.setOutput(binaryToUtf8(file), once);
  } catch {
    shell.error(`Error: cannot write to "${binaryToUtf8(file)}"\n`);
    return 1;
  }
  return 0;
}

/** The commands in the order the shell tests them; [name, minimum prefix, handler]. */
const COMMANDS: [string, number, Command][] = [
  ["bail", 1, onOff(".bail on|off", (s, v) => (s.bail = v))],
  ["changes", 3, onOff(".changes on|off", (s, v) => (s.countChanges = v))],
  ["databases", 2, (s) => databasesCommand(s)],
  ["dbinfo", 2, (s) => dbinfoCommand(s)],
  ["dump", 2, dumpCommand],
  ["echo", 1, onOff(".echo on|off", (s, v) => (s.echo = v))],
  ["eqp", 2, (shell, args) => {
    if (args.length !== 2) {
      shell.error("Usage: .eqp off|on|trace|trigger|full\n");
      return 1;
    }
    shell.eqp = args[1] === "full" ? 3 : args[1] === "trigger" ? 2 : booleanValue(shell, args[1]) ? 1 : 0;
    return 0;
  }],
  ["exit", 2, (shell, args) => {
    if (args.length > 1) shell.exitCode = integerValue(args[1]);
    return 2;
  }],
  ["headers", 1, (shell, args) => {
    if (args.length !== 2) {
      shell.error("Usage: .headers on|off\n");
      return 1;
    }
    shell.settings.showHeader = booleanValue(shell, args[1]);
    shell.headerSet = true;
    return 0;
  }],
  ["help", 1, (shell, args) => {
    const pat = args[1]?.replace(/^\./, "");
    const lines = HELP.filter(([u]) => pat === undefined || pat === "-all" || u.slice(1).startsWith(pat));
    if (lines.length === 0) {
      shell.out.write(`Nothing matches '${args[1]}'\n`);
      return 0;
    }
    shell.out.write(lines.map(([u, d]) => `${u.padEnd(22, " ")} ${d}\n`).join(""));
    return 0;
  }],
  ["import", 2, importCommand],
  ["indexes", 2, (s, a) => tablesCommand(s, a, true)],
  ["indices", 2, (s, a) => tablesCommand(s, a, true)],
  ["mode", 1, modeCommand],
  ["nullvalue", 1, (shell, args) => {
    if (args.length !== 2) {
      shell.error("Usage: .nullvalue STRING\n");
      return 1;
    }
    shell.settings.nullValue = args[1].slice(0, 19);
    return 0;
  }],
  ["once", 2, (s, a) => outputCommand(s, a, true)],
  ["open", 2, openCommand],
  ["output", 2, (s, a) => outputCommand(s, a, false)],
  ["quit", 1, () => 2],
  ["read", 3, readCommand],
  ["schema", 2, schemaCommand],
  ["separator", 3, (shell, args) => {
    if (args.length < 2 || args.length > 3) {
      shell.error("Usage: .separator COL ?ROW?\n");
      return 1;
    }
    shell.settings.colSeparator = args[1].slice(0, 19);
    if (args.length > 2) shell.settings.rowSeparator = args[2].slice(0, 19);
    return 0;
  }],
  ["show", 2, showCommand],
  ["tables", 2, (s, a) => tablesCommand(s, a, false)],
  ["timer", 2, onOff(".timer on|off", (s, v) => (s.timer = v))],
  ["version", 2, (shell) => {
    shell.out.write(utf8Bytes(shell.version) + "\n");
    return 0;
  }],
  ["width", 1, (shell, args) => {
    shell.settings.colWidth = args.slice(1).map(integerValue);
    return 0;
  }],
];

/** Runs one dot-command line (a byte string): 0 ok, 1 error, 2 quit. */
export async function runDotCommand(shell: Shell, line: string): Promise<number> {
  const args = splitArgs(line);
  if (args.length === 0) return 0;
  const name = args[0];
  const entry = COMMANDS.find(([full, min]) => name.length >= min && full.startsWith(name)) ??
    COMMANDS.find(([full]) => full === name);
  if (entry === undefined) {
    shell.io.stderr(`Error: unknown command or invalid arguments:  "${name}". Enter ".help" for help\n`);
    return 1;
  }
  try {
    return await entry[2](shell, args);
  } catch (e) {
    if (!(e instanceof ShellSqlError)) throw e;
    shell.error(`Error: ${e.message}\n`);
    return 1;
  }
}
