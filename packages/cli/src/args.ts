// The command line: strata [OPTIONS] [DB] [SQL...], parsed as the sqlite3 shell parses it.
//
// Options take one or two leading dashes. The first argument that is not an option names
// the database (none: a transient in-memory one); the arguments after it are SQL or
// dot-commands run in order, after which the shell exits. Encryption and remote access
// enter through the same command: `--key`/`--cipher` are handed to the engine with the
// file, and a DB argument that is a URL (libsql://, https://, wss://) with `--auth-token`
// opens a remote database (isRemoteLocation in connection.ts), as do DSNs carrying their
// options in the query string (file.db?key=...&cipher=...).
import type { OpenOptions } from "./connection.js";

export interface ParsedArgs {
  readonly open: OpenOptions;
  /** SQL and dot-commands given after DB. */
  readonly commands: readonly string[];
  /** -cmd COMMAND, in order. */
  readonly preCommands: readonly string[];
  readonly mode: string | null;
  /** true/false from -header/-noheader, null if neither. */
  readonly header: boolean | null;
  readonly bail: boolean;
  readonly echo: boolean;
  readonly nullValue: string | null;
  readonly separator: string | null;
  readonly newline: string | null;
  /** -interactive / -batch force or deny the prompt; null = decide from the terminal. */
  readonly interactive: boolean | null;
  readonly showVersion: boolean;
  readonly showHelp: boolean;
}

export class ArgsError extends Error {}

const MODE_OPTIONS = ["ascii", "box", "column", "csv", "html", "json", "line", "list", "markdown", "quote", "table", "tabs"];

/** Splits "file.db?key=..&cipher=.." into the file and its options (the DSN form). */
function parseDsn(location: string): { location: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (/^[a-z]+:\/\//i.test(location) && !location.startsWith("file:")) {
    const url = new URL(location);
    for (const [k, v] of url.searchParams) params.set(k, v);
    for (const k of ["key", "cipher", "authToken", "auth_token"]) url.searchParams.delete(k);
    return { location: url.toString(), params };
  }
  let loc = location.startsWith("file:") ? location.slice(5) : location;
  const q = loc.indexOf("?");
  if (q >= 0 && location.startsWith("file:")) {
    for (const [k, v] of new URLSearchParams(loc.slice(q + 1))) params.set(k, v);
    loc = loc.slice(0, q);
  }
  return { location: loc, params };
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let db: string | null = null;
  const commands: string[] = [];
  const preCommands: string[] = [];
  let mode: string | null = null;
  let header: boolean | null = null;
  let bail = false;
  let echo = false;
  let readonly = false;
  let nullValue: string | null = null;
  let separator: string | null = null;
  let newline: string | null = null;
  let interactive: boolean | null = null;
  let showVersion = false;
  let showHelp = false;
  let key: string | null = null;
  let cipher: string | null = null;
  let authToken: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-") || a === "-") {
      if (db === null) db = a;
      else commands.push(a);
      continue;
    }
    const opt = a.replace(/^--?/, "");
    const value = () => {
      if (i + 1 >= argv.length) throw new ArgsError(`Error: missing argument to ${a}`);
      return argv[++i];
    };
    if (MODE_OPTIONS.includes(opt)) mode = opt;
    else if (opt === "header" || opt === "headers") header = true;
    else if (opt === "noheader" || opt === "noheaders") header = false;
    else if (opt === "cmd") preCommands.push(value());
    else if (opt === "bail") bail = true;
    else if (opt === "echo") echo = true;
    else if (opt === "readonly") readonly = true;
    else if (opt === "nullvalue") nullValue = value();
    else if (opt === "separator") separator = value();
    else if (opt === "newline") newline = value();
    else if (opt === "interactive") interactive = true;
    else if (opt === "batch") interactive = false;
    else if (opt === "version") showVersion = true;
    else if (opt === "help") showHelp = true;
    else if (opt === "key") key = value();
    else if (opt === "cipher") cipher = value();
    else if (opt === "auth-token") authToken = value();
    else throw new ArgsError(`Error: unknown option: ${a}\nUse -help for a list of options.`);
  }
  const dsn = parseDsn(db ?? ":memory:");
  const open: OpenOptions = {
    location: dsn.location === "" ? ":memory:" : dsn.location,
    readonly: readonly || dsn.params.get("mode") === "ro",
    key: key ?? dsn.params.get("key") ?? null,
    cipher: cipher ?? dsn.params.get("cipher") ?? null,
    authToken: authToken ?? dsn.params.get("authToken") ?? dsn.params.get("auth_token") ?? null,
    create: !readonly,
  };
  return {
    open, commands, preCommands, mode, header, bail, echo, nullValue, separator, newline,
    interactive, showVersion, showHelp,
  };
}

export const USAGE = `Usage: strata [OPTIONS] [DB] [SQL]
DB is a database file (created if missing), a remote URL (libsql://, https://,
wss://), or nothing for a transient in-memory database. SQL runs and the shell
exits; otherwise SQL is read from standard input, or typed at the prompt.
OPTIONS include:
   -ascii               set output mode to 'ascii'
   -bail                stop after hitting an error
   -batch               force batch I/O
   -box                 set output mode to 'box'
   -column              set output mode to 'column'
   -cmd COMMAND         run "COMMAND" before reading stdin
   -csv                 set output mode to 'csv'
   -echo                print inputs before execution
   -header              turn headers on
   -help                show this message
   -html                set output mode to HTML
   -interactive         force interactive I/O
   -json                set output mode to 'json'
   -line                set output mode to 'line'
   -list                set output mode to 'list'
   -markdown            set output mode to 'markdown'
   -newline SEP         set output row separator. Default: '\\n'
   -noheader            turn headers off
   -nullvalue TEXT      set text string for NULL values. Default ''
   -quote               set output mode to 'quote'
   -readonly            open the database read-only
   -separator SEP       set output column separator. Default: '|'
   -table               set output mode to 'table'
   -tabs                set output mode to 'tabs'
   -version             show the version
   --key KEY            encryption key of the database
   --cipher NAME        cipher of an encrypted database (aegis256, aes256gcm, ...)
   --auth-token TOKEN   token for a remote database
`;
