// The program: arguments, then one of three ways of running (as the sqlite3 shell's main):
//
//   strata DB "SQL" ...   each argument runs (SQL via exec, "." lines as dot-commands);
//                         the first error prints "Error: ..." and ends the run with its code
//   strata DB < script    standard input (not a terminal) is processed line by line
//   strata DB             at a terminal: the interactive prompt (repl.ts)
//
// The connection opener is a parameter (the bin passes openLocal, over the engine), and so
// are the standard streams, so tests can run main in-process. Returns the exit status.
import { ArgsError, parseArgs, USAGE } from "./args.js";
import type { ConnectionOpener } from "./connection.js";
import { runDotCommand, splitLines } from "./dot-commands.js";
import { runRepl } from "./repl.js";
import { Shell, type ShellIO } from "./shell.js";
import { bytesToBinary, utf8Bytes } from "./text.js";

export interface MainDeps {
  readonly opener: ConnectionOpener;
  readonly io: ShellIO;
  /** Standard input: whether it is a terminal, and all of it otherwise. */
  readonly stdinIsTTY: boolean;
  readonly readStdin: () => Promise<Uint8Array>;
  /** Version line (-version, .version, the banner). */
  readonly version: string;
  /** Where the interactive history lives (~/.strata_history). */
  readonly historyFile: string | null;
}

export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof ArgsError)) throw e;
    deps.io.stderr(utf8Bytes(e.message + "\n"));
    return 1;
  }
  if (args.showHelp) {
    deps.io.stdout(USAGE);
    return 0;
  }
  if (args.showVersion) {
    deps.io.stdout(utf8Bytes(deps.version + "\n"));
    return 0;
  }
  const shell = new Shell({ opener: deps.opener, io: deps.io, open: args.open, version: deps.version });
  const interactive = args.interactive ?? (deps.stdinIsTTY && args.commands.length === 0);
  shell.stdinInteractive = interactive;
  const s = shell.settings;
  if (args.mode !== null) applyModeOption(shell, args.mode);
  if (args.header !== null) {
    s.showHeader = args.header;
    shell.headerSet = true;
  }
  if (args.bail) shell.bail = true;
  if (args.echo) shell.echo = true;
  if (args.nullValue !== null) s.nullValue = utf8Bytes(args.nullValue);
  if (args.separator !== null) s.colSeparator = utf8Bytes(args.separator);
  if (args.newline !== null) s.rowSeparator = utf8Bytes(args.newline);
  try {
    try {
      shell.conn; // open now, as the shell does, so a bad file fails before any input
    } catch (e) {
      deps.io.stderr(utf8Bytes(`Error: unable to open database "${args.open.location}": ${(e as Error).message}\n`));
      return 1;
    }
    for (const cmd of args.preCommands) {
      const rc = await runArgument(shell, cmd);
      if (shell.exitRequested) return shell.exitCode ?? 0;
      if (rc !== 0 && shell.bail) return rc;
    }
    if (args.commands.length > 0) {
      for (const cmd of args.commands) {
        const rc = await runArgument(shell, cmd);
        if (shell.exitRequested) return shell.exitCode ?? 0;
        if (rc !== 0) return rc;
      }
      return 0;
    }
    if (interactive) {
      return await runRepl(shell, deps);
    }
    const input = bytesToBinary(await deps.readStdin());
    const failed = await shell.processLines(splitLines(input));
    if (shell.exitCode !== null) return shell.exitCode;
    return failed ? 1 : 0;
  } finally {
    shell.close();
  }
}

/**
 * A -MODE option: unlike `.mode`, it sets the mode without column options (no wrap) and,
 * for -csv, only the column separator (the row separator stays "\n").
 */
function applyModeOption(shell: Shell, mode: string): void {
  const s = shell.settings;
  switch (mode) {
    case "csv":
      s.mode = "csv";
      s.colSeparator = ",";
      break;
    case "tabs":
      s.mode = "list";
      s.colSeparator = "\t";
      break;
    case "ascii":
      s.mode = "ascii";
      s.colSeparator = "\x1f";
      s.rowSeparator = "\x1e";
      break;
    case "quote":
      s.mode = "quote";
      s.colSeparator = ",";
      break;
    case "line":
    case "list":
    case "html":
    case "json":
    case "column":
    case "box":
    case "table":
    case "markdown":
      s.mode = mode;
      break;
    default:
      throw new Error(`unknown mode option ${mode}`);
  }
}

/** One command-line SQL or dot-command argument; returns its status. */
async function runArgument(shell: Shell, arg: string): Promise<number> {
  const text = utf8Bytes(arg);
  if (text.startsWith(".")) {
    const rc = await runDotCommand(shell, text);
    return rc === 2 ? 0 : rc;
  }
  const err = await shell.exec(text);
  if (err !== null) {
    const phase = err.kind === "Parse error" ? "in prepare, " : "stepping, ";
    shell.io.stderr(`Error: ${phase}${err.text}\n`);
    const m = /\((\d+)\)(\n|$)/.exec(err.text);
    return m ? Number(m[1]) : 1;
  }
  return 0;
}
