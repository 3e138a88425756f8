/*
 * @strata/database: the asynchronous API with the shape of @tursodatabase/database
 * (0.7.2, promise.d.ts / database-common): `connect(path, opts)` resolves to a Database
 * whose methods return promises; Statement.iterate is an async generator; transactions
 * come as transaction(fn) (BEGIN/COMMIT around an async function, deprecated in Turso)
 * and transactionAsync(fn(txn, ...args)) (the connection is held for the whole
 * transaction and SQL goes through the Transaction handle); batch() returns libSQL
 * ResultSets. The engine is synchronous, so every call runs to completion inside the
 * promise's executor; the promises order calls and carry errors.
 *
 * Values are core.ts's (values.ts): INTEGER number, or bigint with safeIntegers; REAL
 * number; TEXT string; BLOB Buffer on Node (Turso returns Buffer too), Uint8Array
 * elsewhere; NULL null.
 *
 * COMPAT (@tursodatabase/database 0.7.2):
 *  - errors are SqliteError with SQLite's code names (SQLITE_CONSTRAINT_UNIQUE, ...) and
 *    messages, from prepare and from step alike (Turso: "GenericFailure" codes and plain
 *    Errors from step);
 *  - function() and aggregate() work (Turso throws "not implemented");
 *  - pragma(src, {simple}) follows better-sqlite3 (simple: the first column of the first
 *    row); Turso ignores `simple`;
 *  - no per-call {queryTimeout} options object, no defaultQueryTimeout, encryption or
 *    experimental-feature options.
 *
 * Invariants:
 *  1. While a transactionAsync callback runs, every Database-level call waits for it to
 *     finish (ExecLock); the Transaction handle and its statements bypass the lock.
 *  2. A Transaction handle refuses every call after COMMIT/ROLLBACK ("The transaction is
 *     no longer active" TypeError).
 */
import { SqliteError } from "@strata/sql";
import { CoreDatabase, CoreStatement, type ColumnDefinition, type PragmaOptions, type RunResult } from "./core.js";
import type { AggregateOptions, FunctionOptions } from "./functions.js";
import { nodePlatform } from "./platform-node.js";

export interface DatabaseOpts {
  readonly?: boolean;
  fileMustExist?: boolean;
  timeout?: number;
}

export type BatchMode = "write" | "read" | "deferred" | "immediate" | "exclusive" | "concurrent";
export interface BatchOptions {
  mode?: BatchMode;
  raw?: boolean;
}
export type BatchStatement = string | { sql: string; args?: unknown[] | Record<string, unknown> };
export interface ResultSet {
  columns: string[];
  columnTypes: string[];
  rows: (Record<string, unknown> | unknown[])[];
  rowsAffected: number;
}

/** A FIFO lock held by transactionAsync for the whole transaction (invariant 1). */
class ExecLock {
  private tail: Promise<void> = Promise.resolve();
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
  async run<T>(fn: () => T): Promise<T> {
    const release = await this.acquire();
    try {
      return fn();
    } finally {
      release();
    }
  }
}

/** Where a statement's calls go: the database's lock, or a transaction's open check. */
interface Gate {
  run<T>(fn: () => T): Promise<T>;
}

const BATCH_BEGIN: Record<string, string> = {
  write: "BEGIN IMMEDIATE",
  read: "BEGIN DEFERRED",
  deferred: "BEGIN DEFERRED",
  immediate: "BEGIN IMMEDIATE",
  exclusive: "BEGIN EXCLUSIVE",
  concurrent: "BEGIN CONCURRENT",
};

function runBatch(core: CoreDatabase, statements: readonly BatchStatement[], options: BatchMode | BatchOptions | undefined): ResultSet[] {
  if (!Array.isArray(statements)) throw new TypeError("Expected first argument to be an array");
  const opts: BatchOptions = typeof options === "string" ? { mode: options } : options ?? {};
  let begin: string | null = null;
  if (opts.mode !== undefined) {
    begin = BATCH_BEGIN[opts.mode] ?? null;
    if (begin === null) throw new TypeError(`Unknown batch mode "${opts.mode}"`);
    if (core.inTransaction) begin = null;
  }
  if (begin !== null) core.exec(begin);
  const out: ResultSet[] = [];
  try {
    for (const item of statements) {
      const sql = typeof item === "string" ? item : item.sql;
      const args = typeof item === "string" || item.args === undefined ? [] : [item.args];
      const stmt = core.prepare(sql);
      try {
        if (stmt.reader) {
          const cols = stmt.columns();
          const rows = (opts.raw ? stmt.raw(true) : stmt).all(...args) as ResultSet["rows"];
          out.push({ columns: cols.map((c) => c.name), columnTypes: cols.map((c) => c.type ?? ""), rows, rowsAffected: 0 });
        } else {
          const r = stmt.run(...args);
          out.push({ columns: [], columnTypes: [], rows: [], rowsAffected: r.changes });
        }
      } finally {
        stmt.finalize();
      }
    }
    if (begin !== null) core.exec("COMMIT");
  } catch (e) {
    if (begin !== null && core.inTransaction) core.exec("ROLLBACK");
    throw e;
  }
  return out;
}

async function* iterateRows(gate: Gate, stmt: CoreStatement, params: unknown[]): AsyncGenerator<unknown, void, unknown> {
  const it = await gate.run(() => stmt.iterate(...params));
  try {
    for (;;) {
      const r = await gate.run(() => it.next());
      if (r.done) return;
      yield r.value;
    }
  } finally {
    it.return?.(undefined);
  }
}

export class Statement {
  /** @internal */
  constructor(private readonly core: CoreStatement, private readonly gate: Gate, private readonly db: Database) {}

  raw(toggle = true): this {
    this.core.raw(toggle);
    return this;
  }
  pluck(toggle = true): this {
    this.core.pluck(toggle);
    return this;
  }
  safeIntegers(toggle = true): this {
    this.core.safeIntegers(toggle);
    return this;
  }
  columns(): ColumnDefinition[] {
    return this.core.columns();
  }
  get source(): string {
    return this.core.source;
  }
  get reader(): boolean {
    return this.core.reader;
  }
  get readonly(): boolean {
    return this.core.readonly;
  }
  get database(): Database {
    return this.db;
  }
  run(...params: unknown[]): Promise<RunResult> {
    return this.gate.run(() => this.core.run(...params));
  }
  get(...params: unknown[]): Promise<unknown> {
    return this.gate.run(() => this.core.get(...params));
  }
  all(...params: unknown[]): Promise<unknown[]> {
    return this.gate.run(() => this.core.all(...params));
  }
  iterate(...params: unknown[]): AsyncGenerator<unknown, void, unknown> {
    return iterateRows(this.gate, this.core, params);
  }
  /** Binds parameters permanently (better-sqlite3's bind()). */
  bind(...params: unknown[]): this {
    this.core.bind(...params);
    return this;
  }
  interrupt(): void {
    this.db.interrupt();
  }
  /** Releases the statement. */
  close(): void {
    if (this.db.open) this.core.finalize();
  }
}

/** SQL shortcuts shared by Database and Transaction. */
abstract class Queries {
  protected abstract readonly core: CoreDatabase;
  protected abstract readonly gate: Gate;
  protected abstract readonly owner: Database;

  prepare(sql: string): Promise<Statement> {
    return this.gate.run(() => new Statement(this.core.prepare(sql), this.gate, this.owner));
  }
  exec(sql: string): Promise<void> {
    return this.gate.run(() => {
      this.core.exec(sql);
    });
  }
  run(sql: string, ...params: unknown[]): Promise<RunResult> {
    return this.gate.run(() => this.once(sql, (s) => s.run(...params)));
  }
  get(sql: string, ...params: unknown[]): Promise<unknown> {
    return this.gate.run(() => this.once(sql, (s) => s.get(...params)));
  }
  all(sql: string, ...params: unknown[]): Promise<unknown[]> {
    return this.gate.run(() => this.once(sql, (s) => s.all(...params)));
  }
  async *iterate(sql: string, ...params: unknown[]): AsyncGenerator<unknown, void, unknown> {
    const stmt = await this.gate.run(() => this.core.prepare(sql));
    try {
      yield* iterateRows(this.gate, stmt, params);
    } finally {
      if (this.core.open) stmt.finalize();
    }
  }
  batch(statements: BatchStatement[], options?: BatchMode | BatchOptions): Promise<ResultSet[]> {
    return this.gate.run(() => runBatch(this.core, statements, options));
  }
  private once<T>(sql: string, fn: (s: CoreStatement) => T): T {
    const s = this.core.prepare(sql);
    try {
      return fn(s);
    } finally {
      s.finalize();
    }
  }
}

/** The handle a transactionAsync callback runs its SQL through (invariant 2). */
export class Transaction extends Queries {
  protected readonly gate: Gate;
  private active = true;
  /** @internal */
  constructor(protected readonly core: CoreDatabase, protected readonly owner: Database) {
    super();
    this.gate = {
      run: async <T>(fn: () => T): Promise<T> => {
        if (!this.active) throw new TypeError("The transaction is no longer active");
        return fn();
      },
    };
  }
  get open(): boolean {
    return this.active;
  }
  /** @internal */
  finish(): void {
    this.active = false;
  }
}

export interface TransactionFunction<A extends unknown[], R> {
  (...args: A): Promise<R>;
  default: TransactionFunction<A, R>;
  deferred: TransactionFunction<A, R>;
  immediate: TransactionFunction<A, R>;
  exclusive: TransactionFunction<A, R>;
  concurrent: TransactionFunction<A, R>;
  database: Database;
}

const MODES = { default: "BEGIN", deferred: "BEGIN DEFERRED", immediate: "BEGIN IMMEDIATE", exclusive: "BEGIN EXCLUSIVE", concurrent: "BEGIN CONCURRENT" };

function withModes<A extends unknown[], R>(db: Database, make: (begin: string) => (...args: A) => Promise<R>): TransactionFunction<A, R> {
  const fns = {} as Record<keyof typeof MODES, TransactionFunction<A, R>>;
  for (const k of Object.keys(MODES) as (keyof typeof MODES)[]) fns[k] = make(MODES[k]) as TransactionFunction<A, R>;
  for (const f of Object.values(fns)) {
    Object.defineProperties(f, {
      default: { value: fns.default },
      deferred: { value: fns.deferred },
      immediate: { value: fns.immediate },
      exclusive: { value: fns.exclusive },
      concurrent: { value: fns.concurrent },
      database: { value: db },
    });
  }
  return fns.default;
}

export class Database extends Queries {
  protected readonly core: CoreDatabase;
  protected readonly gate: ExecLock = new ExecLock();
  protected get owner(): Database {
    return this;
  }

  constructor(path: string, opts: DatabaseOpts = {}) {
    super();
    this.core = new CoreDatabase(path, opts, nodePlatform);
  }

  get name(): string {
    return this.core.name;
  }
  get readonly(): boolean {
    return this.core.readonly;
  }
  get open(): boolean {
    return this.core.open;
  }
  get memory(): boolean {
    return this.core.memory;
  }
  get inTransaction(): boolean {
    return this.core.inTransaction;
  }

  /** Turso's two-step open; the constructor has already opened the database. */
  async connect(): Promise<void> {
    this.core.connection();
  }

  /**
   * Wraps an async function in BEGIN ... COMMIT (ROLLBACK when it throws); nested calls
   * use a savepoint. Does not hold the connection: other calls may interleave (as in
   * Turso, where it is deprecated in favour of transactionAsync).
   */
  transaction<A extends unknown[], R>(fn: (...args: A) => Promise<R> | R): TransactionFunction<A, R> {
    if (typeof fn !== "function") throw new TypeError("Expected first argument to be a function");
    const core = this.core;
    return withModes<A, R>(this, (begin) => async (...args: A): Promise<R> => {
      const nested = core.inTransaction;
      const sp = '"\t_strata_async.\t"';
      await this.gate.run(() => core.exec(nested ? `SAVEPOINT ${sp}` : begin));
      try {
        const r = await fn(...args);
        await this.gate.run(() => core.exec(nested ? `RELEASE ${sp}` : "COMMIT"));
        return r;
      } catch (e) {
        await this.gate.run(() => {
          if (!core.inTransaction) return;
          if (nested) core.exec(`ROLLBACK TO ${sp}; RELEASE ${sp}`);
          else core.exec("ROLLBACK");
        });
        throw e;
      }
    });
  }

  /**
   * Wraps `fn(txn, ...args)` in BEGIN ... COMMIT holding the connection throughout: the
   * callback's SQL goes through `txn`; Database calls wait until the transaction ends.
   */
  transactionAsync<A extends unknown[], R>(fn: (txn: Transaction, ...args: A) => Promise<R>): TransactionFunction<A, R> {
    if (typeof fn !== "function") throw new TypeError("Expected first argument to be a function");
    if (fn.length < 1) throw new TypeError("The transaction callback must declare the Transaction parameter");
    const core = this.core;
    return withModes<A, R>(this, (begin) => async (...args: A): Promise<R> => {
      const release = await this.gate.acquire();
      const txn = new Transaction(core, this);
      try {
        core.exec(begin);
        try {
          const r = await fn(txn, ...args);
          core.exec("COMMIT");
          return r;
        } catch (e) {
          if (core.open && core.inTransaction) core.exec("ROLLBACK");
          throw e;
        }
      } finally {
        txn.finish();
        release();
      }
    });
  }

  pragma(source: string, options: PragmaOptions = {}): Promise<unknown> {
    return this.gate.run(() => this.core.pragma(source, options));
  }

  function(name: string, options: FunctionOptions | ((...args: never[]) => unknown), fn?: (...args: never[]) => unknown): this {
    this.core.function(name, options, fn);
    return this;
  }

  aggregate(name: string, options: AggregateOptions): this {
    this.core.aggregate(name, options);
    return this;
  }

  defaultSafeIntegers(toggle = true): this {
    this.core.defaultSafeIntegers(toggle);
    return this;
  }

  interrupt(): void {
    this.core.interrupt();
  }

  close(): Promise<void> {
    return this.gate.run(() => {
      this.core.close();
    });
  }
}

/** Opens the database at `path` (":memory:" for a private in-memory one). */
export async function connect(path: string, opts: DatabaseOpts = {}): Promise<Database> {
  return new Database(path, opts);
}

export { SqliteError };
export type { RunResult, ColumnDefinition, PragmaOptions, FunctionOptions, AggregateOptions };
