// The local ShellConnection: a database file or :memory: opened with the embedded engine,
// @strata/database's synchronous (better-sqlite3-shaped) API.
//
// The driver prepares exactly one statement, so the shell's own completeness scanner
// splits the first statement off a script (complete.ts). Values arrive with safe integers
// on, so INTEGER is always a bigint and REAL a number (ShellValue's invariant 1). REAL text
// comes from the engine itself (CAST(? AS TEXT) and printf('%!.20g', ?)), so the shell
// prints numbers exactly as the engine converts them. The driver does not report
// sqlite3_error_offset yet; errors carry offset -1 (no caret line) until it does.
//
// Encryption (--key/--cipher) and remote URLs are parsed by args.ts and refused here with
// a clear message until the driver and @strata/client offer them.
import Database from "@strata/database/compat";
import { splitFirstStatement } from "./complete.js";
import {
  isRemoteLocation, type OpenOptions, type PrepareResult, type ShellConnection, ShellSqlError,
  type ShellStatement, type ShellValue,
} from "./connection.js";

type DriverDatabase = InstanceType<typeof Database>;
type DriverStatement = ReturnType<DriverDatabase["prepare"]>;

/** Primary result code of a driver error (rawCode's low byte), 1 when unknown. */
function toShellError(e: unknown): ShellSqlError {
  if (e instanceof Error && typeof (e as { rawCode?: unknown }).rawCode === "number") {
    return new ShellSqlError(e.message, (e as unknown as { rawCode: number }).rawCode & 0xff);
  }
  if (e instanceof RangeError || e instanceof TypeError) return new ShellSqlError(e.message, 1);
  throw e;
}

function explainKind(sql: string): 0 | 1 | 2 {
  const s = sql.replace(/^(\s|--[^\n]*\n|\/\*[^]*?\*\/)*/, "");
  if (/^explain\s+query\s+plan\b/i.test(s)) return 2;
  if (/^explain\b/i.test(s)) return 1;
  return 0;
}

class LocalStatement implements ShellStatement {
  readonly columnNames: readonly string[];
  readonly declaredTypes: readonly (string | null)[];
  readonly explain: 0 | 1 | 2;
  readonly readonly: boolean;
  private iter: Iterator<unknown> | null = null;
  private done = false;

  constructor(
    private readonly stmt: DriverStatement,
    sql: string,
  ) {
    this.explain = explainKind(sql);
    this.readonly = stmt.readonly;
    const cols = stmt.reader ? stmt.columns() : [];
    this.columnNames = cols.map((c) => c.name);
    this.declaredTypes = cols.map((c) => c.type);
  }

  step(): ShellValue[] | null {
    if (this.done) return null;
    try {
      if (!this.stmt.reader) {
        this.stmt.run();
        this.done = true;
        return null;
      }
      if (this.iter === null) this.iter = this.stmt.raw(true).safeIntegers(true).iterate();
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
    const { head, tail, empty } = splitFirstStatement(sql);
    if (empty) return { statement: null, tail };
    try {
      return { statement: new LocalStatement(this.db.prepare(head), head), tail };
    } catch (e) {
      throw toShellError(e);
    }
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
