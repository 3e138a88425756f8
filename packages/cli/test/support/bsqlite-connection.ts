// A ShellConnection over better-sqlite3 (SQLite 3.53), for tests only.
//
// It lets the shell's every output mode be compared byte for byte with the sqlite3 shell
// before Strata's own driver exists. better-sqlite3 prepares exactly one statement, so the
// first statement is split off with the shell's own sqlite3_complete scanner; it does not
// expose sqlite3_error_offset or sqlite3_stmt_isexplain, so those are derived from the
// text: the offset of the token named in `near "X": syntax error` / `no such column: X`,
// and EXPLAIN [QUERY PLAN] at the start of the statement.
import Database from "better-sqlite3";
import {
  type OpenOptions, type PrepareResult, type ShellConnection, ShellSqlError, type ShellStatement,
  type ShellValue,
} from "../../src/connection.js";
import { splitFirstStatement } from "../../src/complete.js";

const PRIMARY_CODES: Record<string, number> = {
  SQLITE_ERROR: 1, SQLITE_INTERNAL: 2, SQLITE_PERM: 3, SQLITE_ABORT: 4, SQLITE_BUSY: 5,
  SQLITE_LOCKED: 6, SQLITE_NOMEM: 7, SQLITE_READONLY: 8, SQLITE_INTERRUPT: 9, SQLITE_IOERR: 10,
  SQLITE_CORRUPT: 11, SQLITE_NOTFOUND: 12, SQLITE_FULL: 13, SQLITE_CANTOPEN: 14,
  SQLITE_PROTOCOL: 15, SQLITE_EMPTY: 16, SQLITE_SCHEMA: 17, SQLITE_TOOBIG: 18,
  SQLITE_CONSTRAINT: 19, SQLITE_MISMATCH: 20, SQLITE_MISUSE: 21, SQLITE_NOLFS: 22,
  SQLITE_AUTH: 23, SQLITE_FORMAT: 24, SQLITE_RANGE: 25, SQLITE_NOTADB: 26,
};

function primaryCode(code: unknown): number {
  if (typeof code !== "string") return 1;
  const m = /^SQLITE_[A-Z]+/.exec(code);
  return (m && PRIMARY_CODES[m[0]]) ?? 1;
}

/** The byte offset SQLite would report for this prepare error, or -1. */
function errorOffset(message: string, sql: string): number {
  let at = -1;
  const near = /^near "([^]*)": syntax error$/.exec(message);
  const named = /^no such column: (.*)$/.exec(message) ?? /^(?:table|index|view|trigger) (\S+) already exists$/.exec(message);
  if (near) at = sql.indexOf(near[1]);
  else if (named) {
    const word = new RegExp(`(?<![\\w$])${named[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w$])`, "i").exec(sql);
    at = word ? word.index : -1;
  }
  return at < 0 ? -1 : Buffer.byteLength(sql.slice(0, at), "utf8");
}

function toShellError(e: unknown, sql: string | null): ShellSqlError {
  if (e instanceof Error && "code" in e) {
    return new ShellSqlError(e.message, primaryCode((e as { code: unknown }).code), sql === null ? -1 : errorOffset(e.message, sql));
  }
  throw e;
}

function explainKind(sql: string): 0 | 1 | 2 {
  const s = sql.replace(/^(\s|--[^\n]*\n|\/\*[^]*?\*\/)*/, "");
  if (/^explain\s+query\s+plan\b/i.test(s)) return 2;
  if (/^explain\b/i.test(s)) return 1;
  return 0;
}

class BsqliteStatement implements ShellStatement {
  readonly columnNames: readonly string[];
  readonly declaredTypes: readonly (string | null)[];
  readonly explain: 0 | 1 | 2;
  readonly readonly: boolean;
  private iter: Iterator<unknown[]> | null = null;
  private done = false;

  constructor(private readonly stmt: Database.Statement, sql: string) {
    this.explain = explainKind(sql);
    this.readonly = stmt.readonly;
    if (stmt.reader) {
      const cols = stmt.columns();
      this.columnNames = cols.map((c) => c.name);
      this.declaredTypes = cols.map((c) => c.type);
    } else {
      this.columnNames = [];
      this.declaredTypes = [];
    }
  }

  step(): ShellValue[] | null {
    if (this.done) return null;
    try {
      if (!this.stmt.reader) {
        this.stmt.run();
        this.done = true;
        return null;
      }
      if (this.iter === null) this.iter = this.stmt.raw(true).safeIntegers(true).iterate() as Iterator<unknown[]>;
      const r = this.iter.next();
      if (r.done) {
        this.done = true;
        return null;
      }
      return r.value.map((v) => (v instanceof Uint8Array ? new Uint8Array(v) : (v as ShellValue)));
    } catch (e) {
      this.done = true;
      throw toShellError(e, null);
    }
  }

  finalize(): void {
    if (this.iter !== null && !this.done) this.iter.return?.();
    this.done = true;
  }
}

export class BsqliteConnection implements ShellConnection {
  readonly filename: string;
  private readonly db: Database.Database;
  private readonly castText: Database.Statement;
  private readonly printf20g: Database.Statement;
  private readonly counts: Database.Statement;

  constructor(options: OpenOptions) {
    this.filename = options.location;
    this.db = new Database(options.location === "" ? ":memory:" : options.location, {
      readonly: options.readonly,
      fileMustExist: !options.create,
    });
    this.castText = this.db.prepare("SELECT CAST(? AS TEXT)").pluck();
    this.printf20g = this.db.prepare("SELECT printf('%!.20g', ?)").pluck();
    this.counts = this.db.prepare("SELECT changes(), total_changes()").raw().safeIntegers();
  }

  prepare(sql: string): PrepareResult {
    const { head, tail, empty } = splitFirstStatement(sql);
    if (empty) return { statement: null, tail };
    try {
      return { statement: new BsqliteStatement(this.db.prepare(head), head), tail };
    } catch (e) {
      throw toShellError(e, head);
    }
  }

  changes(): bigint {
    return (this.counts.get() as bigint[])[0];
  }

  totalChanges(): bigint {
    return (this.counts.get() as bigint[])[1];
  }

  realToText(value: number): string {
    return this.castText.get(value) as string;
  }

  realToLiteral(value: number): string {
    return this.printf20g.get(value) as string;
  }

  interrupt(): void {
    // better-sqlite3 runs each step to completion; the shell stops between rows.
  }

  close(): void {
    this.db.close();
  }
}

export const openBsqlite = (options: OpenOptions): ShellConnection => new BsqliteConnection(options);
