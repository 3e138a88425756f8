/*
 * core.ts: the synchronous driver with better-sqlite3's shape
 * (https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md): Database
 * (prepare, exec, transaction, pragma, function, aggregate, close, defaultSafeIntegers,
 * interrupt, and the name/open/memory/readonly/inTransaction properties) and Statement
 * (run, get, all, iterate, pluck, raw, safeIntegers, columns, bind, and the
 * source/reader/readonly/busy/database properties). compat.ts exports it as is;
 * index.ts (the async API) wraps it in promises.
 *
 * Errors: SQL errors are SqliteError (code, message as SQLite's), API misuse is
 * TypeError/RangeError with better-sqlite3's messages, an exception thrown by a user
 * function propagates unchanged (functions.ts).
 *
 * COMPAT (better-sqlite3):
 *  - Statement.columns() reports name and type (decltype); column, table and database
 *    are null (the engine does not track result-column origins yet; @tursodatabase
 *    reports null there too); expand() is therefore not offered.
 *  - other statements may run while one is being iterated (better-sqlite3 forbids it).
 *  - number and boolean binding: see bind.ts.
 *  - function options: directOnly is accepted and ignored (no SQLITE_DIRECTONLY yet).
 *  - extensions: Database.prepareFirst (a statement and its tail, for walking a script),
 *    Statement.explain (sqlite3_stmt_isexplain), and SqliteError.offset
 *    (sqlite3_error_offset) on errors from prepare.
 *
 * Invariants:
 *  1. After every public call the engine statement is reset, except while an iterate()
 *     generator is suspended between rows (then `busy` is true).
 *  2. A closed database refuses every call with TypeError "The database connection is
 *     not open"; its statements are finalized by the engine's close.
 *  3. transaction(): the outermost call runs BEGIN <mode> ... COMMIT (ROLLBACK when the
 *     function throws and the transaction is still open); a call inside an open
 *     transaction runs inside SAVEPOINT ... RELEASE (ROLLBACK TO + RELEASE on a throw).
 */
import { SQLITE_ROW, type Connection, type PreparedStatement } from "@strata/sql";
import { bindAll, bindMapOf, type BindMap } from "./bind.js";
import { ErrorSlot, registerAggregate, registerFunction, type AggregateOptions, type FunctionOptions } from "./functions.js";
import { isMemoryPath, openConnection, type OpenOptions } from "./open.js";
import type { Platform } from "./platform.js";
import { columnJs, intJs } from "./values.js";

export interface DatabaseOptions extends OpenOptions {
  /** Called with the text of every statement run (better-sqlite3's `verbose`). */
  verbose?: ((message?: unknown, ...rest: unknown[]) => void) | null;
}

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface ColumnDefinition {
  name: string;
  column: string | null;
  table: string | null;
  database: string | null;
  type: string | null;
}

export interface PragmaOptions {
  simple?: boolean;
}

type TxMode = "" | "DEFERRED" | "IMMEDIATE" | "EXCLUSIVE" | "CONCURRENT";

export interface Transaction<F extends (...args: never[]) => unknown> {
  (...args: Parameters<F>): ReturnType<F>;
  default: Transaction<F>;
  deferred: Transaction<F>;
  immediate: Transaction<F>;
  exclusive: Transaction<F>;
  concurrent: Transaction<F>;
  database: CoreDatabase;
}

const NOT_OPEN = "The database connection is not open";
const SAVEPOINT = '"\t_strata.\t"';

export class CoreDatabase {
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  /** Internal: where user functions park their exceptions. */
  readonly slot = new ErrorSlot();
  private conn: Connection | null;
  private safeDefault = false;
  private readonly verbose: ((message?: unknown) => void) | null;

  constructor(path: string | null | undefined, options: DatabaseOptions | null | undefined, platform: Platform | null) {
    const filename = path ?? "";
    if (typeof filename !== "string") throw new TypeError("Expected first argument to be a string");
    const opts = options ?? {};
    if (typeof opts !== "object") throw new TypeError("Expected second argument to be an options object");
    const ro = Boolean(opts.readonly);
    if (ro && isMemoryPath(filename)) throw new TypeError("In-memory/temporary databases cannot be readonly");
    if (opts.timeout !== undefined && (!Number.isInteger(opts.timeout) || opts.timeout < 0)) {
      throw new TypeError('Expected the "timeout" option to be a positive integer');
    }
    if (opts.verbose != null && typeof opts.verbose !== "function") throw new TypeError('Expected the "verbose" option to be a function');
    const opened = openConnection(filename, { readonly: ro, fileMustExist: Boolean(opts.fileMustExist), timeout: opts.timeout }, platform);
    this.conn = opened.conn;
    this.name = filename;
    this.memory = opened.memory;
    this.readonly = ro;
    this.verbose = opts.verbose ?? null;
  }

  get open(): boolean {
    return this.conn !== null;
  }

  get inTransaction(): boolean {
    return this.conn !== null && this.conn.inTransaction;
  }

  /** Internal: the open connection, or TypeError (invariant 2). */
  connection(): Connection {
    if (this.conn === null) throw new TypeError(NOT_OPEN);
    return this.conn;
  }

  /** Internal: traces a statement's text when `verbose` is set. */
  trace(sql: string): void {
    if (this.verbose !== null) this.verbose(sql);
  }

  prepare(sql: string): CoreStatement {
    return this.prepareInternal(sql, false);
  }

  /** Internal: `pragmaMode` lets all() run a statement that returns no columns. */
  prepareInternal(sql: string, pragmaMode: boolean): CoreStatement {
    if (typeof sql !== "string") throw new TypeError("Expected first argument to be a string");
    const conn = this.connection();
    const { statement, tail } = conn.prepare(sql);
    if (statement === null) throw new RangeError("The supplied SQL string contains no statements");
    if (tail < sql.length) {
      let rest: PreparedStatement | null;
      try {
        rest = conn.prepare(sql, tail).statement;
      } catch (e) {
        statement.finalize();
        throw e;
      }
      if (rest !== null) {
        rest.finalize();
        statement.finalize();
        throw new RangeError("The supplied SQL string contains more than one statement");
      }
    }
    return new CoreStatement(this, statement, sql, this.safeDefault, pragmaMode);
  }

  /**
   * Strata extension (not in better-sqlite3): sqlite3_prepare_v2 with its pzTail, for a
   * caller that walks a script statement by statement (the `strata` shell). Prepares the
   * first statement of `sql` and returns it with `tail`, the index in `sql` where the rest
   * begins (just past the statement's `;`). `statement` is null when the text held only
   * whitespace, comments and semicolons. A SqliteError thrown here carries `offset`
   * (sqlite3_error_offset) as an index into `sql`, or -1.
   */
  prepareFirst(sql: string): { statement: CoreStatement | null; tail: number } {
    if (typeof sql !== "string") throw new TypeError("Expected first argument to be a string");
    const { statement, tail } = this.connection().prepare(sql);
    if (statement === null) return { statement: null, tail };
    return { statement: new CoreStatement(this, statement, sql.slice(0, tail), this.safeDefault, false), tail };
  }

  exec(sql: string): this {
    if (typeof sql !== "string") throw new TypeError("Expected first argument to be a string");
    const conn = this.connection();
    let off = 0;
    while (off < sql.length) {
      const { statement, tail } = conn.prepare(sql, off);
      off = tail;
      if (statement === null) break;
      try {
        this.trace(statement.sql);
        while (statement.step() === SQLITE_ROW) { /* rows are discarded */ }
      } catch (e) {
        throw this.slot.take(e);
      } finally {
        statement.finalize();
      }
    }
    return this;
  }

  pragma(source: string, options: PragmaOptions = {}): unknown {
    if (typeof source !== "string") throw new TypeError("Expected first argument to be a string");
    if (options === null || typeof options !== "object") throw new TypeError("Expected second argument to be an options object");
    const simple = Boolean(options.simple);
    const stmt = this.prepareInternal(`PRAGMA ${source}`, true);
    try {
      return simple ? stmt.pluck().get() : stmt.all();
    } finally {
      stmt.finalize();
    }
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F> {
    if (typeof fn !== "function") throw new TypeError("Expected first argument to be a function");
    const make = (mode: TxMode): Transaction<F> => {
      const begin = mode === "" ? "BEGIN" : `BEGIN ${mode}`;
      const db = this;
      return function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
        const conn = db.connection();
        const nested = conn.inTransaction;
        db.exec(nested ? `SAVEPOINT ${SAVEPOINT}` : begin);
        let result: unknown;
        try {
          result = fn.apply(this, args);
          if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
            throw new TypeError("Transaction function cannot return a promise");
          }
          db.exec(nested ? `RELEASE ${SAVEPOINT}` : "COMMIT");
        } catch (e) {
          if (db.inTransaction) {
            if (nested) {
              db.exec(`ROLLBACK TO ${SAVEPOINT}`);
              db.exec(`RELEASE ${SAVEPOINT}`);
            } else db.exec("ROLLBACK");
          }
          throw e;
        }
        return result as ReturnType<F>;
      } as Transaction<F>;
    };
    const variants = {
      default: make(""),
      deferred: make("DEFERRED"),
      immediate: make("IMMEDIATE"),
      exclusive: make("EXCLUSIVE"),
      concurrent: make("CONCURRENT"),
    };
    for (const f of Object.values(variants)) {
      Object.defineProperties(f, {
        default: { value: variants.default },
        deferred: { value: variants.deferred },
        immediate: { value: variants.immediate },
        exclusive: { value: variants.exclusive },
        concurrent: { value: variants.concurrent },
        database: { value: this },
      });
    }
    return variants.default;
  }

  function(name: string, options: FunctionOptions | ((...args: never[]) => unknown) | null, fn?: (...args: never[]) => unknown): this {
    let opts: unknown = options ?? {};
    let body = fn;
    if (typeof opts === "function") {
      body = opts as (...args: never[]) => unknown;
      opts = {};
    }
    if (typeof name !== "string") throw new TypeError("Expected first argument to be a string");
    if (typeof body !== "function") throw new TypeError("Expected last argument to be a function");
    if (typeof opts !== "object") throw new TypeError("Expected second argument to be an options object");
    if (name === "") throw new TypeError("User-defined function name cannot be an empty string");
    registerFunction(this.connection(), this.slot, name, opts as FunctionOptions, () => this.safeDefault, body as (...args: unknown[]) => unknown);
    return this;
  }

  aggregate(name: string, options: AggregateOptions): this {
    if (typeof name !== "string") throw new TypeError("Expected first argument to be a string");
    if (options === null || typeof options !== "object") throw new TypeError("Expected second argument to be an options object");
    if (name === "") throw new TypeError("User-defined function name cannot be an empty string");
    for (const [key, required] of [["step", true], ["inverse", false], ["result", false]] as const) {
      const v = key in options ? options[key] : null;
      if (typeof v === "function") continue;
      if (v != null) throw new TypeError(`Expected the "${key}" option to be a function`);
      if (required) throw new TypeError(`Missing required option "${key}"`);
    }
    registerAggregate(this.connection(), this.slot, name, options, () => this.safeDefault);
    return this;
  }

  defaultSafeIntegers(toggle = true): this {
    this.safeDefault = Boolean(toggle);
    return this;
  }

  /** sqlite3_interrupt: running statements fail with SQLITE_INTERRUPT at their next step. */
  interrupt(): void {
    this.conn?.interrupt();
  }

  close(): this {
    if (this.conn !== null) {
      const c = this.conn;
      this.conn = null;
      c.close();
    }
    return this;
  }
}

export class CoreStatement {
  readonly database: CoreDatabase;
  readonly source: string;
  readonly reader: boolean;
  private readonly stmt: PreparedStatement;
  private readonly map: BindMap;
  private readonly names: string[];
  private readonly pragmaMode: boolean;
  private safe: boolean;
  private pluckMode = false;
  private rawMode = false;
  private bound = false;
  private iterating = false;

  constructor(db: CoreDatabase, stmt: PreparedStatement, source: string, safe: boolean, pragmaMode: boolean) {
    this.database = db;
    this.stmt = stmt;
    this.source = source;
    this.safe = safe;
    this.pragmaMode = pragmaMode;
    this.reader = stmt.columnCount > 0;
    this.map = bindMapOf(stmt);
    this.names = [];
    for (let i = 0; i < stmt.columnCount; i++) this.names.push(stmt.columnName(i));
  }

  /** sqlite3_stmt_readonly. */
  get readonly(): boolean {
    return this.stmt.readonly;
  }

  /** Strata extension: sqlite3_stmt_isexplain (0 plain, 1 EXPLAIN, 2 EXPLAIN QUERY PLAN). */
  get explain(): 0 | 1 | 2 {
    return this.stmt.isExplain as 0 | 1 | 2;
  }

  /** Strata extension (sqlite3_bind_parameter_count / _name): the statement's parameters
   *  as the binding rules count them: how many anonymous ones (`?`), and the names of the
   *  named ones without their prefix (`:a`, `@a`, `$a` give "a"; `?3` gives "3"). */
  get parameters(): { readonly anonymous: number; readonly named: readonly string[] } {
    return { anonymous: this.stmt.paramCount - this.map.names.length, named: this.map.names };
  }

  /** True while an iterate() is suspended between rows. */
  get busy(): boolean {
    return this.iterating;
  }

  pluck(toggle = true): this {
    this.needReader("pluck");
    this.pluckMode = Boolean(toggle);
    if (this.pluckMode) this.rawMode = false;
    return this;
  }

  raw(toggle = true): this {
    this.needReader("raw");
    this.rawMode = Boolean(toggle);
    if (this.rawMode) this.pluckMode = false;
    return this;
  }

  safeIntegers(toggle = true): this {
    this.checkIdle();
    this.safe = Boolean(toggle);
    return this;
  }

  columns(): ColumnDefinition[] {
    this.needReader("columns");
    const out: ColumnDefinition[] = [];
    for (let i = 0; i < this.names.length; i++) {
      out.push({ name: this.names[i], column: null, table: null, database: null, type: this.stmt.columnDecltype(i) });
    }
    return out;
  }

  bind(...params: unknown[]): this {
    this.checkIdle();
    if (this.bound) throw new TypeError("The bind() method can only be invoked once per statement object");
    bindAll(this.stmt, this.map, params);
    this.bound = true;
    return this;
  }

  run(...params: unknown[]): RunResult {
    const s = this.start(params);
    const conn = this.database.connection();
    const before = conn.totalChanges;
    try {
      while (s.step() === SQLITE_ROW) { /* run() discards rows */ }
    } catch (e) {
      throw this.fail(e);
    } finally {
      s.reset();
    }
    const changes = conn.totalChanges === before ? 0 : conn.changes;
    return { changes, lastInsertRowid: intJs(conn.lastInsertRowid, this.safe) };
  }

  get(...params: unknown[]): unknown {
    this.needReader(null);
    const s = this.start(params);
    try {
      return s.step() === SQLITE_ROW ? this.row(s) : undefined;
    } catch (e) {
      throw this.fail(e);
    } finally {
      s.reset();
    }
  }

  all(...params: unknown[]): unknown[] {
    if (!this.pragmaMode) this.needReader(null);
    const s = this.start(params);
    const rows: unknown[] = [];
    try {
      while (s.step() === SQLITE_ROW) rows.push(this.row(s));
    } catch (e) {
      throw this.fail(e);
    } finally {
      s.reset();
    }
    return rows;
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    this.needReader(null);
    const s = this.start(params);
    this.iterating = true;
    return this.rows(s);
  }

  private *rows(s: PreparedStatement): Generator<unknown, void, undefined> {
    try {
      for (;;) {
        let rc: number;
        try {
          this.database.connection();
          rc = s.step();
        } catch (e) {
          throw this.fail(e);
        }
        if (rc !== SQLITE_ROW) return;
        yield this.row(s);
      }
    } finally {
      this.iterating = false;
      if (this.database.open) s.reset();
    }
  }

  /** Internal (pragma): releases the engine statement. */
  finalize(): void {
    this.stmt.finalize();
  }

  // ------------------------------------------------------------ internals

  private row(s: PreparedStatement): unknown {
    const safe = this.safe;
    if (this.pluckMode) return columnJs(s, 0, safe);
    const n = this.names.length;
    if (this.rawMode) {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = columnJs(s, i, safe);
      return out;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) out[this.names[i]] = columnJs(s, i, safe);
    return out;
  }

  private start(params: unknown[]): PreparedStatement {
    this.checkIdle();
    const s = this.stmt;
    if (this.bound) {
      if (params.length > 0) throw new TypeError("This statement already has bound parameters");
    } else {
      bindAll(s, this.map, params);
    }
    this.database.trace(this.source);
    return s;
  }

  private fail(e: unknown): unknown {
    return this.database.slot.take(e);
  }

  private checkIdle(): void {
    this.database.connection();
    if (this.iterating) throw new TypeError("This statement is busy executing a query");
  }

  private needReader(method: string | null): void {
    this.database.connection();
    if (this.reader) return;
    if (method === null) throw new TypeError("This statement does not return data. Use run() instead");
    throw new TypeError(`The ${method}() method is only for statements that return data`);
  }
}
