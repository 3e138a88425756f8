// The local ShellConnection: a database file or :memory: opened with the embedded engine,
// @strata/database's synchronous (better-sqlite3-shaped) API.
//
// Statements come one at a time from the driver's prepareFirst (sqlite3_prepare_v2 with its
// tail), so a script is split exactly where the engine's parser ends a statement. Errors
// carry the engine's sqlite3_error_offset (SqliteError.offset, an index into the text),
// turned here into the UTF-8 byte offset the shell's caret line counts in; statements
// report sqlite3_stmt_isexplain. Values arrive with safe integers on, so INTEGER is always
// a bigint and REAL a number (ShellValue's invariant 1). REAL text comes from the engine
// itself (CAST(? AS TEXT) and printf('%!.20g', ?)), so the shell prints numbers exactly as
// the engine converts them.
//
// Encryption (--key/--cipher) and remote URLs are parsed by args.ts and refused here with
// a clear message until the driver and @strata/client offer them.
import Database, { SqliteError } from "@strata/database/compat";
import {
  isRemoteLocation, type OpenOptions, type PrepareResult, type ShellConnection, ShellSqlError,
  type ShellStatement, type ShellValue,
} from "./connection.js";

type DriverDatabase = InstanceType<typeof Database>;
type DriverStatement = ReturnType<DriverDatabase["prepare"]>;

/**
 * A driver error as the shell sees it: primary result code (rawCode's low byte), and the
 * error offset as a UTF-8 byte offset into `sql` (the text given to prepare), or -1.
 */
function toShellError(e: unknown, sql: string | null = null): ShellSqlError {
  if (e instanceof SqliteError) {
    const offset = sql !== null && e.offset >= 0 ? Buffer.byteLength(sql.slice(0, e.offset), "utf8") : -1;
    return new ShellSqlError(e.message, e.rawCode & 0xff, offset);
  }
  if (e instanceof RangeError || e instanceof TypeError) return new ShellSqlError(e.message, 1);
  throw e;
}

class LocalStatement implements ShellStatement {
  readonly columnNames: readonly string[];
  readonly declaredTypes: readonly (string | null)[];
  readonly explain: 0 | 1 | 2;
  readonly readonly: boolean;
  private iter: Iterator<unknown> | null = null;
  private done = false;

  constructor(private readonly stmt: DriverStatement) {
    this.explain = stmt.explain;
    this.readonly = stmt.readonly;
    const cols = stmt.reader ? stmt.columns() : [];
    this.columnNames = cols.map((c) => c.name);
    this.declaredTypes = cols.map((c) => c.type);
  }

  /** Arguments binding every parameter to NULL: the sqlite3 shell binds nothing, and an
   *  unbound parameter is NULL. */
  private nullArgs(): unknown[] {
    const { anonymous, named } = this.stmt.parameters;
    const args: unknown[] = [];
    if (anonymous > 0) args.push(new Array<null>(anonymous).fill(null));
    if (named.length > 0) args.push(Object.fromEntries(named.map((n) => [n, null])));
    return args;
  }

  step(): ShellValue[] | null {
    if (this.done) return null;
    try {
      if (!this.stmt.reader) {
        this.stmt.run(...this.nullArgs());
        this.done = true;
        return null;
      }
      if (this.iter === null) this.iter = this.stmt.raw(true).safeIntegers(true).iterate(...this.nullArgs());
      const r = this.iter.next();
      if (r.done) {
        this.done = true;
        return null;
      }
      return r.value as ShellValue[];
    } catch (e) {
      this.done = true;
      throw toShellError(e);
    }
  }

  finalize(): void {
    if (this.iter !== null && !this.done) this.iter.return?.();
    this.done = true;
  }
}

export class LocalConnection implements ShellConnection {
  readonly filename: string;
  private readonly db: DriverDatabase;
  private readonly castText: DriverStatement;
  private readonly printf20g: DriverStatement;
  private readonly counts: DriverStatement;

  constructor(options: OpenOptions) {
    if (isRemoteLocation(options.location)) {
      throw new Error("remote databases are not supported yet (they come with @strata/client)");
    }
    if (options.key !== null || options.cipher !== null) {
      throw new Error("encrypted databases are not supported by the driver yet");
    }
    this.filename = options.location;
    try {
      this.db = new Database(options.location, { readonly: options.readonly, fileMustExist: !options.create });
    } catch (e) {
      throw e instanceof Error ? e : new Error(String(e));
    }
    this.castText = this.db.prepare("SELECT CAST(CAST(? AS REAL) AS TEXT)").pluck();
    this.printf20g = this.db.prepare("SELECT printf('%!.20g', CAST(? AS REAL))").pluck();
    this.counts = this.db.prepare("SELECT changes(), total_changes()").raw().safeIntegers();
  }

  prepare(sql: string): PrepareResult {
    let first;
    try {
      first = this.db.prepareFirst(sql);
    } catch (e) {
      throw toShellError(e, sql);
    }
    const tail = sql.slice(first.tail);
    return { statement: first.statement === null ? null : new LocalStatement(first.statement), tail };
  }

  changes(): bigint {
    return (this.counts.get() as bigint[])[0];
  }

  totalChanges(): bigint {
    return (this.counts.get() as bigint[])[1];
  }

  realToText(value: number): string {
    return String(this.castText.get(value));
  }

  realToLiteral(value: number): string {
    return String(this.printf20g.get(value));
  }

  interrupt(): void {
    this.db.interrupt();
  }

  close(): void {
    this.db.close();
  }
}

export const openLocal = (options: OpenOptions): ShellConnection => new LocalConnection(options);
