// The shell: state, input processing and statement execution, after the sqlite3 shell.
//
// Input is processed line by line exactly as shell.c.in's process_input does it, so that
// statement grouping, line numbers in error messages and echo output match:
//
//   1. a line that is only "go" or "/" ends the pending SQL as ";" would;
//   2. a whitespace-only line with no SQL pending is swallowed;
//   3. a line starting with "." (or "#") with no SQL pending is a dot-command (comment);
//   4. otherwise the line joins the pending SQL; when the line ends on a semicolon in plain
//      text (quickScan) and the pending SQL is complete (isComplete), the whole group runs:
//      every statement in it, in order, each result set printed as it is stepped, the
//      group stopping at its first error;
//   5. at end of input, pending SQL runs as it is (the engine reports what is incomplete).
//
// Errors: "Parse error near line N: ..." (prepare) and "Runtime error near line N: ..."
// (step) on stderr, with " (CODE)" for result codes above 1 and, when the engine gives an
// error offset, the statement with a caret under the error (shell_error_context). Typed
// interactively the "near line N" is left out. With .bail on (or -bail) a non-interactive
// run stops at the first error. The shell's exit status is 1 when any error happened.
//
// All output is byte strings (text.ts); `out` and `err` receive bytes.
import { closeSync, openSync, writeSync } from "node:fs";
import {
  type ConnectionOpener, type OpenOptions, type ShellConnection, type ShellStatement,
  type ShellValue, ShellSqlError,
} from "./connection.js";
import {
  isCommandTerminator, isComplete, isPlainWhite, isSemiTerminated, quickScan, SCAN_START,
  type ScanState,
} from "./complete.js";
import { runDotCommand } from "./dot-commands.js";
import { ColumnarRenderer } from "./modes/columnar.js";
import { EqpGraph, EqpRenderer, ExplainRenderer } from "./modes/explain.js";
import type { ByteSink, DisplaySettings, Mode, Renderer } from "./modes/render.js";
import { RowRenderer } from "./modes/row-modes.js";
import { binaryToUtf8, utf8Bytes } from "./text.js";

/** Where the shell writes: byte strings to stdout and stderr. */
export interface ShellIO {
  stdout(bytes: string): void;
  stderr(bytes: string): void;
}

/** Mutable display settings (the DisplaySettings the renderers read). */
export class Settings implements DisplaySettings {
  mode: Mode = "list";
  showHeader = false;
  nullValue = "";
  colSeparator = "|";
  rowSeparator = "\n";
  colWidth: number[] = [];
  destTable = '"table"';
  wrap = 0;
  quote = false;
}

/** An output destination set by .output/.once. */
class FileSink implements ByteSink {
  private fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }
  write(bytes: string): void {
    writeSync(this.fd, Buffer.from(bytes, "latin1"));
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** The text of one input source being processed (stdin, a .read file, an argument). */
interface InputState {
  sql: string;
  startLine: number;
  scan: ScanState;
  lineno: number;
  errCnt: number;
  /** True for standard input typed at a terminal. */
  interactive: boolean;
}

/** Options the shell starts with (from the command line). */
export interface ShellOptions {
  readonly opener: ConnectionOpener;
  readonly io: ShellIO;
  readonly open: OpenOptions;
  /** Version line printed by -version / .version. */
  readonly version: string;
}

export class Shell {
  readonly settings = new Settings();
  readonly io: ShellIO;
  readonly opener: ConnectionOpener;
  readonly version: string;
  openOptions: OpenOptions;
  private connection: ShellConnection | null = null;

  // Flags set by dot-commands and options.
  echo = false;
  bail = false;
  countChanges = false;
  timer = false;
  /** .eqp: 0 off, 1 on, 2 trigger, 3 full. */
  eqp = 0;
  autoExplain = true;
  /** .headers or -header/-noheader was used: .mode column no longer turns headers on. */
  headerSet = false;
  /** Standard input is a terminal (errors lose "near line N"). */
  stdinInteractive = false;

  /** Current .output/.once file, or null for stdout. */
  private outFile: FileSink | null = null;
  private onceFile: FileSink | null = null;
  outFileName = "";
  private interrupted = false;
  private readonly eqpGraph = new EqpGraph();
  /** Set by .quit/.exit. */
  exitRequested = false;
  /** The status .exit CODE asked for, or null. */
  exitCode: number | null = null;
  private inputNesting = 0;

  /** stdout, or the .output/.once file. */
  readonly out: ByteSink = {
    write: (bytes: string) => {
      const sink = this.onceFile ?? this.outFile;
      if (sink) sink.write(bytes);
      else this.io.stdout(bytes);
    },
  };

  constructor(options: ShellOptions) {
    this.io = options.io;
    this.opener = options.opener;
    this.openOptions = options.open;
    this.version = options.version;
  }

  /** The open connection, opening it on first use (as open_db does). */
  get conn(): ShellConnection {
    if (this.connection === null) this.connection = this.opener(this.openOptions);
    return this.connection;
  }

  /** Replaces the connection (.open). */
  reopen(options: OpenOptions): void {
    const next = this.opener(options);
    this.connection?.close();
    this.connection = next;
    this.openOptions = options;
  }

  /** Closes the connection and any output file. */
  close(): void {
    this.connection?.close();
    this.connection = null;
    this.setOutput(null);
  }

  /** Writes a message (a JavaScript string) to stderr. */
  error(message: string): void {
    this.io.stderr(utf8Bytes(message));
  }

  /** Redirects output to a file (null = stdout); `once` for the next SQL group only. */
  setOutput(path: string | null, once = false): void {
    if (this.onceFile) {
      this.onceFile.close();
      this.onceFile = null;
    }
    if (this.outFile) {
      this.outFile.close();
      this.outFile = null;
    }
    this.outFileName = "";
    if (path === null) return;
    const sink = new FileSink(path);
    if (once) this.onceFile = sink;
    else {
      this.outFile = sink;
      this.outFileName = path;
    }
  }

  /** Asks the running statement to stop (Ctrl-C). */
  interrupt(): void {
    this.interrupted = true;
    this.connection?.interrupt();
  }

  // ---- input ----------------------------------------------------------------------

  private newInput(interactive: boolean): InputState {
    return { sql: "", startLine: 0, scan: SCAN_START, lineno: 0, errCnt: 0, interactive };
  }

  /**
   * Processes a whole input (process_input): lines are byte strings without their line
   * ends. Returns true when an error happened. Stops early on .quit and, for
   * non-interactive input with bail on, at the first error.
   */
  async processLines(lines: Iterable<string> | AsyncIterable<string>, interactive = false): Promise<boolean> {
    if (this.inputNesting >= 25) {
      this.error("Input nesting limit (25) reached at line 0. Check recursion.\n");
      return true;
    }
    this.inputNesting++;
    const input = this.newInput(interactive);
    try {
      for await (const line of lines) {
        await this.feedLine(input, line);
        if (this.exitRequested) break;
        if (input.errCnt > 0 && this.bail && !interactive) break;
      }
      if (!this.exitRequested) await this.finishInput(input);
    } finally {
      this.inputNesting--;
    }
    return input.errCnt > 0;
  }

  /** A line-at-a-time session for the interactive prompt. */
  session(): { feed(line: string): Promise<void>; finish(): Promise<void>; reset(): void; readonly pending: boolean; readonly errors: number } {
    const input = this.newInput(true);
    return {
      feed: (line: string) => this.feedLine(input, line),
      finish: () => this.finishInput(input),
      reset: () => {
        input.sql = "";
        input.scan = SCAN_START;
      },
      get pending() {
        return input.sql.length > 0;
      },
      get errors() {
        return input.errCnt;
      },
    };
  }

  private async feedLine(input: InputState, rawLine: string): Promise<void> {
    let line = rawLine;
    input.lineno++;
    if (input.scan.wait === "" && isCommandTerminator(line) && this.pendingComplete(input.sql)) line = ";";
    input.scan = quickScan(line, input.scan);
    if (isPlainWhite(input.scan) && input.sql.length === 0) {
      this.echoInput(line);
      input.scan = SCAN_START;
      return;
    }
    if ((line.startsWith(".") || line.startsWith("#")) && input.sql.length === 0) {
      this.echoInput(line);
      if (line.startsWith(".")) {
        const rc = await runDotCommand(this, line);
        if (rc === 2) this.exitRequested = true;
        else if (rc !== 0) input.errCnt++;
      }
      input.scan = SCAN_START;
      return;
    }
    if (input.sql.length === 0) {
      input.sql = line.replace(/^[ \t\n\r\f\v]+/, "");
      input.startLine = input.lineno;
    } else {
      input.sql += "\n" + line;
    }
    if (input.sql.length > 0 && isSemiTerminated(input.scan) && isComplete(input.sql)) {
      this.echoInput(input.sql);
      input.errCnt += await this.runSqlGroup(input.sql, input.startLine, input.interactive);
      input.sql = "";
      this.endOnce();
      input.scan = SCAN_START;
    } else if (input.sql.length > 0 && isPlainWhite(input.scan)) {
      this.echoInput(input.sql);
      input.sql = "";
      input.scan = SCAN_START;
    }
  }

  private async finishInput(input: InputState): Promise<void> {
    if (input.sql.length > 0) {
      this.echoInput(input.sql);
      input.errCnt += await this.runSqlGroup(input.sql, input.startLine, input.interactive);
      input.sql = "";
      this.endOnce();
    }
  }

  /** line_is_complete: pending SQL plus ";" is complete (or nothing is pending). */
  private pendingComplete(sql: string): boolean {
    return sql.length === 0 || isComplete(sql + ";");
  }

  private echoInput(text: string): void {
    if (this.echo) this.out.write(text + "\n");
  }

  /** .once applies to one group: back to the previous output after it. */
  private endOnce(): void {
    if (this.onceFile) {
      this.onceFile.close();
      this.onceFile = null;
    }
  }

  // ---- SQL --------------------------------------------------------------------------

  /** runOneSqlLine: runs a group of statements, reports an error; returns 1 on error. */
  async runSqlGroup(sql: string, startLine: number, interactive: boolean): Promise<number> {
    const t0 = this.timer ? timeNow() : null;
    const err = await this.exec(sql);
    if (t0) {
      const t1 = timeNow();
      this.out.write(
        `Run Time: real ${((t1.real - t0.real) / 1000).toFixed(3)} user ${((t1.user - t0.user) / 1e6).toFixed(6)} sys ${((t1.sys - t0.sys) / 1e6).toFixed(6)}\n`,
      );
    }
    if (err !== null) {
      const prefix = interactive ? `${err.kind}:` : `${err.kind} near line ${startLine}:`;
      this.io.stderr(`${prefix} ${err.text}\n`);
      return 1;
    }
    if (this.countChanges) {
      this.out.write(`changes: ${this.conn.changes()}   total_changes: ${this.conn.totalChanges()}\n`);
    }
    return 0;
  }

  /**
   * shell_exec: runs every statement of `sql` (a byte string), printing result sets.
   * Returns null, or the first error as the shell words it (kind, and the message with
   * its code and context, all bytes).
   */
  async exec(sql: string): Promise<{ kind: string; text: string } | null> {
    let rest = sql;
    for (;;) {
      rest = rest.replace(/^[ \t\n\r\f\v]+/, "");
      if (rest.length === 0) return null;
      const restText = binaryToUtf8(rest);
      let prepared;
      try {
        prepared = this.conn.prepare(restText);
      } catch (e) {
        return { kind: "Parse error", text: this.errorText(e, rest) };
      }
      const stmt = prepared.statement;
      const tailBytes = utf8Bytes(prepared.tail);
      const stmtText = rest.slice(0, rest.length - tailBytes.length);
      rest = tailBytes;
      if (stmt === null) continue;
      try {
        if (this.eqp > 0 && stmt.explain === 0) this.printPlan(stmtText);
        await this.runStatement(stmt);
      } catch (e) {
        return { kind: "Runtime error", text: this.errorText(e, null) };
      } finally {
        stmt.finalize();
      }
    }
  }

  /** The error message as save_err_msg words it, with shell_error_context when known. */
  private errorText(e: unknown, sql: string | null): string {
    if (!(e instanceof ShellSqlError)) throw e;
    let text = utf8Bytes(e.message);
    if (e.code > 1) text += ` (${e.code})`;
    if (sql !== null && e.offset >= 0) text += errorContext(sql, e.offset);
    return text;
  }

  /** .eqp: prints the statement's query plan before running it. */
  private printPlan(stmtText: string): void {
    let plan;
    try {
      plan = this.conn.prepare("EXPLAIN QUERY PLAN " + binaryToUtf8(stmtText));
    } catch {
      return;
    }
    const stmt = plan.statement;
    if (stmt === null) return;
    try {
      const ctx = { settings: this.settings, columns: { names: [] }, out: this.out, conn: this.conn };
      const r = new EqpRenderer(ctx, this.eqpGraph);
      for (let row = stmt.step(); row !== null; row = stmt.step()) r.row(row);
      r.end();
    } finally {
      stmt.finalize();
    }
  }

  /** Steps a statement to the end, rendering its rows in the current mode. */
  async runStatement(stmt: ShellStatement, modeOverride?: Mode): Promise<void> {
    this.interrupted = false;
    let mode: Mode = modeOverride ?? this.settings.mode;
    if (this.autoExplain && modeOverride === undefined) {
      if (stmt.explain === 1) mode = "explain";
      if (stmt.explain === 2) mode = "eqp";
    }
    let row = stmt.step();
    if (row === null) return;
    if (mode === "column" || mode === "table" || mode === "box" || mode === "markdown") {
      // exec_prepared_stmt_columnar: a result with more columns than .width named extends
      // the widths with zeros (.show lists them until the next .width).
      const n = stmt.columnNames.length;
      const w = this.settings.colWidth;
      if (w.length < n) this.settings.colWidth = [...w, ...new Array<number>(n - w.length).fill(0)];
    }
    const settings: DisplaySettings = mode === this.settings.mode ? this.settings : { ...this.settings, mode };
    const ctx = {
      settings,
      columns: { names: stmt.columnNames.map(utf8Bytes) },
      out: this.out,
      conn: this.conn,
    };
    const renderer = makeRenderer(mode, ctx, this.eqpGraph);
    let lastYield = Date.now();
    try {
      while (row !== null) {
        renderer.row(row);
        if (Date.now() - lastYield > 50) {
          // Let Ctrl-C (SIGINT) through between rows.
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = Date.now();
          if (this.interrupted) throw new ShellSqlError("interrupted", 9);
        }
        row = stmt.step();
      }
    } finally {
      renderer.end();
    }
  }

  /** Runs one statement's rows into a callback (for dot-commands that query). */
  query(sql: string, params?: (row: ShellValue[]) => void): ShellValue[][] {
    const rows: ShellValue[][] = [];
    let rest = sql;
    for (;;) {
      const { statement, tail } = this.conn.prepare(rest);
      if (statement !== null) {
        try {
          for (let r = statement.step(); r !== null; r = statement.step()) {
            if (params) params(r);
            else rows.push(r);
          }
        } finally {
          statement.finalize();
        }
      }
      if (tail.trim() === "") break;
      rest = tail;
    }
    return rows;
  }
}

function makeRenderer(mode: Mode, ctx: ConstructorParameters<typeof RowRenderer>[0], graph: EqpGraph): Renderer {
  switch (mode) {
    case "column":
    case "table":
    case "box":
    case "markdown":
      return new ColumnarRenderer(ctx);
    case "explain":
      return new ExplainRenderer(ctx);
    case "eqp":
      return new EqpRenderer(ctx, graph);
    default:
      return new RowRenderer(ctx);
  }
}

/**
 * shell_error_context: the statement (from 50 characters before the error, at most 78
 * bytes, whitespace as spaces) and a caret under the error.
 */
export function errorContext(sql: string, offset: number): string {
  let z = sql;
  let iOffset = offset;
  while (iOffset > 50) {
    iOffset--;
    z = z.slice(1);
    while (z.length > 0 && (z.charCodeAt(0) & 0xc0) === 0x80) {
      z = z.slice(1);
      iOffset--;
    }
  }
  let len = z.length;
  if (len > 78) {
    len = 78;
    while ((z.charCodeAt(len) & 0xc0) === 0x80) len--;
  }
  const code = z.slice(0, len).replace(/[ \t\n\r\f\v]/g, " ");
  if (iOffset < 25) return `\n  ${code}\n  ${" ".repeat(iOffset)}^--- error here`;
  return `\n  ${code}\n  ${" ".repeat(Math.max(0, iOffset - 14))}error here ---^`;
}

function timeNow(): { real: number; user: number; sys: number } {
  const cpu = process.cpuUsage();
  return { real: performance.now(), user: cpu.user, sys: cpu.system };
}
