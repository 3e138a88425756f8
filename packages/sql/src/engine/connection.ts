/*
 * engine/connection.ts: a database connection modelled on SQLite's C API
 * (https://sqlite.org/c3ref/intro.html): open over a PageStore the caller hands in
 * (this package may not import @strata/vfs: the driver builds a DirectFileStore over a
 * memory file for `:memory:`, or txn's WalPageStore over a file), prepare, exec,
 * changes/totalChanges/lastInsertRowid, the autocommit flag, user functions and
 * collations, interrupt, close.
 *
 * Transactions (https://sqlite.org/lang_transaction.html):
 *
 *   autocommit ──BEGIN──▶ manual ──COMMIT/END──▶ autocommit (commit)
 *        ▲                  │ROLLBACK (rollback)
 *        └──────────────────┘
 *
 * In autocommit mode each statement's Transaction opcode opens the pager's read (or
 * write) transaction and the statement's end commits it (or rolls it back on error)
 * once no other statement of the connection is running; readers that are still running
 * get a fresh read transaction.
 *
 * Invariants:
 *  1. The schema is loaded lazily inside a read transaction and dropped whenever it may
 *     be stale: after a rollback, and when a Transaction opcode finds a different schema
 *     cookie (SQLITE_SCHEMA, upon which the statement re-prepares itself, as
 *     sqlite3_prepare_v2 statements do).
 *  2. Statement journals (SQLite's statement transactions): a writing statement inside a
 *     transaction (BEGIN or SAVEPOINT, or while another statement of the connection is
 *     running) opens one pager savepoint level at its Transaction opcode, after the levels
 *     of the SQL savepoints; inside BEGIN or SAVEPOINT only when the program usesStmtJournal
 *     (a single-row INSERT does all its checks before its first write and needs none: its
 *     pages are not copied per row; VM.hostNoJournal marks it). When it ends: released on success, on FAIL and on a reset;
 *     rolled back then released on ABORT and every other error (the schema is reloaded)
 *     when the program usesStmtJournal (SQLite opens a statement journal only then: several
 *     rows may change and something may abort; otherwise an error inside a transaction
 *     keeps what the statement wrote, e.g. a STRICT type error in a multi-row INSERT);
 *     OR ROLLBACK rolls the whole transaction back and returns to autocommit, and so do
 *     SQLite's special errors (IOERR, INTERRUPT of a writing statement, NOMEM and FULL
 *     unless the program usesStmtJournal: several rows and an aborting constraint). In autocommit
 *     mode with no other statement running, the transaction is the statement's own and an
 *     error rolls it back.
 *  3. SQL savepoints (https://sqlite.org/lang_savepoint.html) are a stack of names, each
 *     bound to the pager savepoint level opened for it: at SAVEPOINT when a write
 *     transaction is open, else (level 0) when the write transaction begins, in stack
 *     order, so SQL savepoint k always holds a lower level than k+1 and than any statement
 *     journal. Names compare case-insensitively and the newest equal name wins. RELEASE
 *     pops the name and the newer ones (the pager level and deeper ones are released);
 *     RELEASE of the outermost savepoint of a transaction that SAVEPOINT started commits.
 *     ROLLBACK TO restores the pages (and so the schema, which is reloaded), pops the newer
 *     names and keeps the named one open. SAVEPOINT and RELEASE fail with SQLITE_BUSY
 *     while another writing statement is running.
 */
import { BINARY, NOCASE, RTRIM, SqliteError, createCollation, type Collation, type TextEncoding } from "@strata/common";
import { Btree, Pager, type PageStore, type PagerOptions } from "@strata/pager";
import type { AggregateState, FuncArgs, FuncConnection, FuncContext } from "../func/api.js";
import { aggregate, createRegistry, scalar, type FunctionRegistry } from "../func/registry.js";
import { Parser } from "../parser/parser.js";
import { parseCommand } from "../parser/parse-stmt.js";
import { scan } from "../parser/tokenizer.js";
import type { Statement as Ast } from "../parser/ast.js";
import { compile } from "../codegen/compile.js";
import type { CompileHost, Compiled } from "../codegen/context.js";
import { loadSchema } from "../schema/load.js";
import { Schema, lower } from "../schema/schema.js";
import type { VdbeHost, VM } from "../vdbe/vm.js";
import type { PragmaCall, PragmaValue } from "../vdbe/ops-pragma.js";
import { PragmaSettings, runPragma, type PragmaConnection } from "./pragma-exec.js";
import { Statement } from "./statement.js";
import { FkState, fkError } from "../vdbe/ops-fkey.js";
import { DB_MAIN, DB_TEMP, Db, emptySchema, memoryStore } from "./databases.js";

/** SQLITE_MAX_ATTACHED (SQLite's default). */
const MAX_ATTACHED = 10;
import { vacuumInPlace, vacuumInto } from "./vacuum.js";

export interface ConnectionOptions extends PagerOptions {
  /** The main database's file name, for PRAGMA database_list ("" or ":memory:" = in memory). */
  filename?: string;
  /** The busy timeout in ms the store was opened with (PRAGMA busy_timeout reports it). */
  busyTimeout?: number;
  /**
   * VACUUM INTO's way to a new database file (this package may not import @strata/vfs):
   * returns a PageStore over the file at `path`, created if missing. The vacuumed image is
   * written through it and then closed; a store whose file is not empty makes VACUUM INTO
   * fail with "output file already exists". Absent: VACUUM INTO fails.
   */
  openDatabaseFile?: (path: string, purpose?: "vacuum" | "attach") => PageStore;
  /** The full path PRAGMA database_list reports for an ATTACHed file (default: as given). */
  resolvePath?: (path: string) => string;
}

export interface PrepareResult {
  /** null when the text held only whitespace, comments or semicolons. */
  readonly statement: Statement | null;
  /** Offset just past the statement (and its `;`) in the text. */
  readonly tail: number;
}

export class Connection implements VdbeHost, CompileHost, PragmaConnection {
  readonly pager: Pager;
  readonly btree: Btree;
  readonly functions: FunctionRegistry;
  readonly funcConn: FuncConnection;
  encoding: TextEncoding;
  interrupted = false;
  /** PRAGMA recursive_triggers (off by default, as in SQLite 3.53): read when a statement is compiled (codegen/trigger.ts). */
  get recursiveTriggers(): boolean {
    return this.settings.recursiveTriggers;
  }
  set recursiveTriggers(v: boolean) {
    this.settings.recursiveTriggers = v;
  }
  /** PRAGMA foreign_keys (codegen/fkey.ts reads it when a statement is compiled). */
  get foreignKeys(): boolean {
    return this.settings.foreignKeys;
  }
  /** PRAGMA defer_foreign_keys (vdbe/ops-fkey.ts). */
  get deferForeignKeys(): boolean {
    return this.settings.deferForeignKeys;
  }
  /** The deferred foreign key counters (vdbe/ops-fkey.ts invariant 4). */
  readonly fk = new FkState();
  /** main, temp, then ATTACHed databases (engine/databases.ts). */
  readonly dbs: Db[] = [];
  /** Bumped by ATTACH/DETACH: programs compiled before are stale (databases.ts invariant 3). */
  dbGeneration = 0;
  private readonly collations = new Map<string, Collation>();
  private autocommitFlag = true;
  private nChange = 0;
  private nTotalChange = 0;
  private lastRowid: number | bigint = 0;
  /** Running statements (SQLite's nVdbeActive; VM.hostActive marks the members). A Set
   *  keyed by VM cost ~1 µs an add/delete pair in V8 here, measured; the list is short.
   *  Idle statements are held nowhere: one the caller drops is garbage (as in
   *  better-sqlite3), so `db.prepare(sql).run()` in a loop does not grow the heap. */
  private readonly active: VM[] = [];
  /** SQL savepoints (invariant 3): name, the pager level per database (0 = not opened yet), the deferred FK counters. */
  private savepoints: { name: string; levels: number[]; defCons: number; defImmCons: number }[] = [];
  private savepointTxn = false;
  /** Running statements that opened a write transaction (SQLite's nVdbeWrite; VM.hostWriter
   *  marks them). Statement journals (invariant 2): VM.hostStmtLevel is the pager level of
   *  each running writing statement's journal in main; stmtLevelsOther holds its levels in
   *  the other databases (index = database), only for statements that write one. */
  private nWriters = 0;
  private readonly stmtLevelsOther = new Map<VM, number[]>();
  private closed = false;
  /** PRAGMA settings (engine/pragma-exec.ts). */
  readonly settings = new PragmaSettings();
  readonly filename: string;
  readonly memory: boolean;

  private readonly openDatabaseFile: ((path: string, purpose?: "vacuum" | "attach") => PageStore) | null;
  private readonly resolvePath: ((path: string) => string) | null;

  private constructor(store: PageStore, options: ConnectionOptions) {
    this.openDatabaseFile = options.openDatabaseFile ?? null;
    this.resolvePath = options.resolvePath ?? null;
    const name = options.filename ?? ":memory:";
    this.memory = name === "" || name === ":memory:";
    this.filename = this.memory ? "" : name;
    if (options.busyTimeout !== undefined) this.settings.busyTimeout = options.busyTimeout;
    this.pager = Pager.open(store, options);
    // PRAGMA data_version: the pager drops its cache outside a write transaction exactly
    // when another connection committed since our previous read transaction.
    this.pager.onReset(() => {
      if (!this.pager.inWrite) this.settings.dataVersion++;
    });
    this.btree = new Btree(this.pager);
    this.dbs.push(new Db("main", this.filename, this.pager), new Db("temp", "", null));
    this.dbs[0].btree = this.btree;
    this.functions = createRegistry();
    this.pager.beginRead();
    this.encoding = (this.pager.getMeta("textEncoding") || 1) as TextEncoding;
    this.pager.endRead();
    for (const c of [BINARY, NOCASE, RTRIM]) this.collations.set(c.name.toLowerCase(), c);
    const self = this;
    this.funcConn = {
      lastInsertRowid: () => self.lastRowid,
      changes: () => self.nChange,
      totalChanges: () => self.nTotalChange,
      randomBytes: (out: Uint8Array) => {
        for (let i = 0; i < out.length; i++) out[i] = (Math.random() * 256) | 0;
      },
    };
  }

  /** Opens a connection over `store` (a new database is created if the store is empty). */
  static open(store: PageStore, options: ConnectionOptions = {}): Connection {
    return new Connection(store, options);
  }

  // ------------------------------------------------------------ C-API surface

  get schema(): Schema {
    return this.schemaOf(DB_MAIN);
  }

  /** The schema of database `iDb` (loaded lazily; TEMP's is empty until TEMP is opened). */
  schemaOf(iDb: number): Schema {
    const db = this.dbs[iDb];
    if (db.schema === null) {
      const pager = db.pager;
      if (pager === null) return emptySchema();
      const had = pager.inRead;
      if (!had) pager.beginRead();
      try {
        db.schema = loadSchema(pager, db.btree!, (n) => this.collation(n), this.encoding, iDb === DB_TEMP);
      } finally {
        if (!had) pager.endRead();
      }
    }
    return db.schema;
  }

  /** Database names in index order (null for a detached slot: none today). */
  get dbNames(): readonly string[] {
    return this.dbs.map((d) => d.name);
  }

  /** Opens the TEMP database if it is not open yet (databases.ts invariant 1). */
  openTemp(): void {
    const t = this.dbs[DB_TEMP];
    if (t.pager !== null) return;
    const pager = t.openTemp(this.encoding);
    // A statement running while TEMP opens reads it in the connection's transaction.
    if (this.pager.inRead) pager.beginRead();
  }

  /** Whether database `iDb` is open (TEMP may not be yet). */
  dbOpen(iDb: number): boolean {
    return this.dbs[iDb].pager !== null;
  }

  /** Forgets the cached schemas (invariant 1). */
  resetSchema(): void {
    for (const d of this.dbs) d.schema = null;
  }

  /** The open pagers, main first. */
  private pagers(): Pager[] {
    const out: Pager[] = [];
    for (const d of this.dbs) if (d.pager !== null) out.push(d.pager);
    return out;
  }

  /** Some database is in a write transaction. */
  private get inWrite(): boolean {
    for (const d of this.dbs) if (d.pager !== null && d.pager.inWrite) return true;
    return false;
  }

  /** Rolls back every write transaction; the schemas are reloaded. */
  private rollbackAll(): void {
    for (const d of this.dbs) {
      if (d.pager !== null && d.pager.inWrite) {
        d.pager.rollback();
        d.schema = null;
      }
    }
  }

  /**
   * Commits every write transaction, main first, then TEMP and the attached databases
   * (COMPAT: no super-journal; see docs/compat.md "ATTACH").
   */
  private commitAll(): void {
    for (const d of this.dbs) if (d.pager !== null && d.pager.inWrite) d.pager.commit();
  }

  /** Ends the read transaction of every database. */
  private endReadAll(): void {
    for (const d of this.dbs) if (d.pager !== null && d.pager.inRead && !d.pager.inWrite) d.pager.endRead();
  }

  /** Starts a read transaction on every open database that has none (statements still run). */
  private beginReadAll(): void {
    for (const d of this.dbs) if (d.pager !== null && !d.pager.inRead) d.pager.beginRead();
  }

  collation(name: string): Collation | null {
    return this.collations.get(lower(name)) ?? null;
  }

  /**
   * sqlite3_prepare_v2: compiles the first statement of sql[offset..]. A SqliteError's
   * `offset` (sqlite3_error_offset) is made an index into `sql`.
   */
  prepare(sql: string, offset = 0): PrepareResult {
    this.checkOpen();
    let base = offset;
    try {
      return this.prepareFirst(sql, offset, (start) => (base = offset + start));
    } catch (e) {
      if (e instanceof SqliteError && e.offset >= 0) e.offset += base;
      // Nesting the parser's model of SQLite's limits lets through (parser.ts invariant 5)
      // but that recurses deeper than the JS stack: SQLite's message for nesting too deep.
      if (e instanceof RangeError && e.message.includes("call stack")) throw new SqliteError("SQLITE_ERROR", "Recursion limit");
      throw e;
    }
  }

  /** prepare(); `compiling(start)` reports where the statement's own text begins. */
  private prepareFirst(sql: string, offset: number, compiling: (start: number) => void): PrepareResult {
    const text = offset === 0 ? sql : sql.slice(offset);
    const p = new Parser(scan(text));
    while (p.eat("SEMI")) { /* empty statements */ }
    if (p.k() === "EOF") return { statement: null, tail: sql.length };
    const start = p.start;
    let ast: Ast;
    if (p.eat("EXPLAIN")) {
      let queryPlan = false;
      if (p.eat("QUERY")) {
        p.expect("PLAN");
        queryPlan = true;
      }
      const inner = parseCommand(p);
      ast = { kind: "explain", queryPlan, statement: inner, start, end: p.lastEnd };
    } else ast = parseCommand(p);
    // The statement's text runs to its `;` (or the end of the input), so it keeps the
    // comments after the last token: SQLite stores them in a view's or index's schema sql.
    let tail: number;
    let stmtEnd: number;
    if (p.k() === "EOF") tail = stmtEnd = text.length;
    else {
      stmtEnd = p.start;
      p.expect("SEMI");
      tail = p.lastEnd;
    }
    const stmtText = text.slice(start, stmtEnd);
    compiling(start);
    const compiled = this.compileText(stmtText, ast, start);
    const st = new Statement(this, stmtText, compiled);
    return { statement: st, tail: offset + tail };
  }

  /** Compiles `ast` whose text starts at `start` in the original text (spans are relative to it). */
  private compileText(stmtText: string, ast: Ast, start: number): Compiled {
    // Spans are offsets into the text given to the parser; re-parse so they index stmtText.
    void start;
    const p = new Parser(scan(stmtText));
    let a: Ast;
    if (ast.kind === "explain") {
      p.eat("EXPLAIN");
      if (p.eat("QUERY")) p.expect("PLAN");
      a = { kind: "explain", queryPlan: ast.queryPlan, statement: parseCommand(p), start: 0, end: stmtText.length };
    } else a = parseCommand(p);
    return compile(this, stmtText, a);
  }

  /** Internal (Statement): recompiles after SQLITE_SCHEMA. */
  recompile(stmtText: string): Compiled {
    const p = new Parser(scan(stmtText));
    let a: Ast;
    const start = p.start;
    if (p.eat("EXPLAIN")) {
      let qp = false;
      if (p.eat("QUERY")) { p.expect("PLAN"); qp = true; }
      a = { kind: "explain", queryPlan: qp, statement: parseCommand(p), start, end: stmtText.length };
    } else a = parseCommand(p);
    return compile(this, stmtText, a);
  }

  /** sqlite3_exec without callbacks: runs every statement of `sql`. */
  exec(sql: string): void {
    let off = 0;
    while (off < sql.length) {
      const { statement, tail } = this.prepare(sql, off);
      off = tail;
      if (statement === null) break;
      try {
        while (statement.step() === 100) { /* discard rows */ }
      } finally {
        statement.finalize();
      }
    }
  }

  get changes(): number {
    return this.nChange;
  }
  get totalChanges(): number {
    return this.nTotalChange;
  }
  get lastInsertRowid(): number | bigint {
    return this.lastRowid;
  }
  /** True inside BEGIN ... COMMIT (sqlite3_get_autocommit() == 0). */
  get inTransaction(): boolean {
    return !this.autocommitFlag;
  }
  get autocommit(): boolean {
    return this.autocommitFlag;
  }

  /** sqlite3_create_function: a scalar (fn) or an aggregate (create) user function. */
  createFunction(name: string, nArg: number, fn: (ctx: FuncContext, argc: number, args: FuncArgs) => void, flags = 0): void {
    this.functions.register(scalar(name, nArg, flags, fn, 0));
    this.resetSchema();
  }
  createAggregate(name: string, nArg: number, create: () => AggregateState, flags = 0): void {
    this.functions.register(aggregate(name, nArg, flags, create));
    this.resetSchema();
  }
  /** sqlite3_create_collation. */
  createCollation(name: string, compare: (a: string, b: string) => number): void {
    this.collations.set(lower(name), createCollation(name, compare));
    this.resetSchema();
  }

  /** sqlite3_interrupt: running statements fail with SQLITE_INTERRUPT at their next step. */
  interrupt(): void {
    if (this.active.length > 0) this.interrupted = true;
  }

  /** Vacuum opcode (engine/vacuum.ts invariant 4). */
  vacuum(into: string | null, vm: VM, iDb = DB_MAIN): void {
    void vm;
    if (!this.autocommitFlag) throw new SqliteError("SQLITE_ERROR", "cannot VACUUM from within a transaction");
    if (this.active.length > 1) throw new SqliteError("SQLITE_ERROR", "cannot VACUUM - SQL statements in progress");
    const db = this.dbs[iDb];
    if (db.pager === null) this.openTemp();
    const src = { pager: db.pager!, btree: db.btree!, schema: this.schemaOf(iDb), encoding: this.encoding };
    if (into === null) {
      try {
        vacuumInPlace(src);
      } finally {
        db.schema = null;
      }
      return;
    }
    if (this.openDatabaseFile === null) throw new SqliteError("SQLITE_CANTOPEN", "unable to open database: " + into);
    vacuumInto(src, this.openDatabaseFile(into));
  }

  /**
   * Attach opcode (https://sqlite.org/lang_attach.html): opens `file` (":memory:" or ""
   * in a private MemPageStore, else through the driver's openDatabaseFile hook) as
   * database `name` (databases.ts invariant 3). Errors and their order as attach.c.
   */
  attach(file: string, name: string): void {
    if (this.dbs.length - 2 >= MAX_ATTACHED) {
      throw new SqliteError("SQLITE_ERROR", `too many attached databases - max ${MAX_ATTACHED}`);
    }
    if (this.dbIndex(name) >= 0) throw new SqliteError("SQLITE_ERROR", `database ${name} is already in use`);
    const memory = file === "" || file === ":memory:";
    let store: PageStore;
    if (memory) store = memoryStore();
    else {
      if (this.openDatabaseFile === null) throw new SqliteError("SQLITE_CANTOPEN", "unable to open database: " + file);
      store = this.openDatabaseFile(file, "attach");
    }
    let pager: Pager;
    try {
      pager = Pager.open(store, { textEncoding: this.encoding, cacheSize: memory ? Number.MAX_SAFE_INTEGER : undefined });
    } catch (e) {
      store.close();
      throw e;
    }
    const db = new Db(name, memory ? "" : (this.resolvePath?.(file) ?? file), pager);
    this.dbs.push(db);
    this.dbGeneration++;
    try {
      pager.beginRead();
      try {
        if ((pager.getMeta("textEncoding") || this.encoding) !== this.encoding) {
          throw new SqliteError("SQLITE_ERROR", "attached databases must use the same text encoding as main database");
        }
        this.schemaOf(this.dbs.length - 1);
      } finally {
        pager.endRead();
      }
    } catch (e) {
      this.dbs.pop();
      db.close();
      throw e;
    }
  }

  /** Detach opcode (https://sqlite.org/lang_detach.html). */
  detach(name: string): void {
    const i = this.dbIndex(name);
    // A TEMP database that was never opened is not there to detach (attach.c: pBt == 0).
    if (i < 0 || (i === DB_TEMP && this.dbs[DB_TEMP].pager === null)) throw new SqliteError("SQLITE_ERROR", `no such database: ${name}`);
    if (i < 2) throw new SqliteError("SQLITE_ERROR", `cannot detach database ${name}`);
    const db = this.dbs[i];
    if (db.pager !== null && db.pager.inRead) throw new SqliteError("SQLITE_ERROR", `database ${name} is locked`);
    db.close();
    this.dbs.splice(i, 1);
    for (const sp of this.savepoints) sp.levels.splice(i, 1);
    for (const lv of this.stmtLevelsOther.values()) lv.splice(i, 1);
    this.dbGeneration++;
  }

  /** sqlite3_close_v2: stops the running statements, rolls back an open transaction; any
   *  statement's next use fails with "The database connection is not open". */
  close(): void {
    if (this.closed) return;
    for (const vm of this.active.slice()) {
      vm.closeCursors();
      this.vmHalted(vm, true, vm.wrote);
      vm.reset();
    }
    for (let i = this.dbs.length - 1; i >= 0; i--) this.dbs[i].close();
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private checkOpen(): void {
    if (this.closed) throw new SqliteError("SQLITE_MISUSE", "The database connection is not open");
  }

  // ------------------------------------------------------------ statement lifecycle

  /** Internal (Statement). */
  vmStarted(vm: VM): void {
    if (this.active.length === 0) this.interrupted = false;
    if (!vm.hostActive) {
      vm.hostActive = true;
      this.active.push(vm);
    }
    vm.stmtDefCons = this.fk.deferredCons;
    vm.stmtDefImmCons = this.fk.deferredImmCons;
    this.nChangeStart();
  }
  private nChangeStart(): void {
    /* changes() is per statement: reset when a writing statement starts (see vmHalted). */
  }
  /** Internal (Statement): a run ended (ok = DONE or reset, not an error). */
  vmHalted(vm: VM, ok: boolean, wroteRows: boolean): void {
    if (!vm.hostActive) return;
    vm.hostActive = false;
    const act = this.active;
    const at = act.lastIndexOf(vm);
    act[at] = act[act.length - 1];
    act.pop();
    void wroteRows;
    const levels = this.stmtLevelsOf(vm);
    vm.hostStmtLevel = 0;
    const noJournal = vm.hostNoJournal;
    vm.hostNoJournal = false;
    const others = this.active.length > 0;
    // Conflict actions (https://sqlite.org/lang_conflict.html): FAIL keeps the rows the
    // statement already changed (the statement ends as if it had succeeded); ROLLBACK
    // ends the whole transaction; ABORT (and every other error) undoes the statement.
    let action = ok ? 0 : vm.errorAction;
    if (!ok) {
      // SQLite's special errors (sqlite3VdbeHalt): NOMEM and FULL undo the statement when
      // it uses a statement journal, else (and IOERR, and INTERRUPT of a writing
      // statement) they roll the whole transaction back.
      const code = vm.error?.code ?? "";
      const special = code === "SQLITE_NOMEM" || code === "SQLITE_IOERR" || code === "SQLITE_FULL" || (code === "SQLITE_INTERRUPT" && vm.hostWriter);
      if (special) action = (code === "SQLITE_NOMEM" || code === "SQLITE_FULL") && vm.prog.usesStmtJournal ? 2 : 1;
    }
    if (vm.hostWriter) {
      vm.hostWriter = false;
      this.nWriters--;
    }
    const undone = action === 1 || (action === 2 && vm.wrote);
    if (vm.countsChanges && vm.started) this.setChanges(undone ? 0 : vm.nChange);
    const live = levels !== null && this.levelsLive(levels);
    const inWrite = this.inWrite;
    if (action === 1 || (action === 2 && vm.wrote && inWrite && !live && !noJournal)) {
      // OR ROLLBACK, or an abort of a statement whose transaction is its own (autocommit). A
      // statement that wrote inside a transaction without a journal (noJournal) keeps its changes.
      if (inWrite) this.rollbackAll();
      this.endTransaction();
      if (others) this.beginReadAll();
      else this.endReadAll();
      return;
    }
    if (live) {
      // Invariant 2. Inside a transaction only a program that usesStmtJournal undoes its
      // changes (as SQLite, whose statement journal exists only then).
      const undo = action === 2 && (this.autocommitFlag || vm.prog.usesStmtJournal);
      if (undo) {
        // ops-fkey.ts invariant 4: the statement's changes to the deferred counters are undone too.
        this.fk.deferredCons = vm.stmtDefCons;
        this.fk.deferredImmCons = vm.stmtDefImmCons;
      }
      for (let i = 0; i < levels.length; i++) {
        const pager = this.dbs[i]?.pager ?? null;
        const level = levels[i] ?? 0;
        if (pager === null || level === 0 || !pager.inWrite || level > pager.savepointLevel) continue;
        if (undo) {
          pager.rollbackToSavepoint(level);
          if (vm.wrote) this.dbs[i].schema = null;
        }
        pager.releaseSavepoint(level);
      }
    }
    if (this.autocommitFlag) {
      if (this.inWrite) {
        if (others && this.nWriters > 0) return; // another statement's write is still running
        this.commitAll();
        this.fk.reset();
        this.settings.deferForeignKeys = false;
        if (others) this.beginReadAll();
        else this.endReadAll(); // databases that were only read
      } else if (!others) {
        const reading = this.pager.inRead;
        this.endReadAll();
        // SQLite's autocommit "commit" of a reading statement clears defer_foreign_keys too.
        if (reading) {
          this.fk.reset();
          this.settings.deferForeignKeys = false;
        }
      }
    }
  }

  /** Whether any of a statement's (or savepoint's) pager levels is still open. */
  private levelsLive(levels: readonly number[]): boolean {
    for (let i = 0; i < levels.length; i++) {
      const pager = this.dbs[i]?.pager ?? null;
      const level = levels[i] ?? 0;
      if (pager !== null && level > 0 && pager.inWrite && level <= pager.savepointLevel) return true;
    }
    return false;
  }

  /** Back to autocommit with no savepoints (after COMMIT, ROLLBACK or a transaction rollback). */
  private endTransaction(): void {
    this.autocommitFlag = true;
    this.savepoints = [];
    this.savepointTxn = false;
    for (const vm of this.active) {
      vm.hostStmtLevel = 0;
      vm.hostNoJournal = false;
    }
    this.fk.reset();
    this.settings.deferForeignKeys = false;
    this.stmtLevelsOther.clear();
  }

  /** A running statement's journal levels per database (invariant 2), null when none; forgets them. */
  private stmtLevelsOf(vm: VM): number[] | null {
    const other = this.stmtLevelsOther.get(vm);
    if (other === undefined) return vm.hostStmtLevel === 0 ? null : [vm.hostStmtLevel];
    this.stmtLevelsOther.delete(vm);
    other[DB_MAIN] = vm.hostStmtLevel;
    return other;
  }
  /** Internal (Statement): start of a data-changing statement's first step (changes() is set when it ends). */
  beginChanges(): void {}

  // ------------------------------------------------------------ VdbeHost

  transaction(iDb: number, write: boolean, cookie: number, checkCookie: boolean, vm: VM, generation: number): void {
    if (write && this.settings.queryOnly) throw new SqliteError("SQLITE_READONLY", "attempt to write a readonly database");
    if (generation !== this.dbGeneration || iDb >= this.dbs.length) {
      // databases.ts invariant 3: compiled before an ATTACH or DETACH.
      throw new SqliteError("SQLITE_SCHEMA", "database schema has changed");
    }
    const db = this.dbs[iDb];
    if (db.pager === null) this.openTemp();
    const pager = db.pager!;
    if (!pager.inRead) pager.beginRead();
    if (write && !pager.inWrite) pager.beginWrite();
    if (checkCookie && pager.getMeta("schemaCookie") !== cookie) {
      db.schema = null;
      throw new SqliteError("SQLITE_SCHEMA", "database schema has changed");
    }
    if (!write) return;
    if (!vm.hostWriter) {
      vm.hostWriter = true;
      this.nWriters++;
    }
    // Invariant 3: the SQL savepoints declared before this database's write transaction began.
    for (const sp of this.savepoints) if ((sp.levels[iDb] ?? 0) === 0) sp.levels[iDb] = pager.openSavepoint();
    // Invariant 2.
    if (!this.autocommitFlag || this.active.length > 1) {
      if (!this.autocommitFlag && !vm.prog.usesStmtJournal) {
        vm.hostNoJournal = true; // nothing to undo on an error: no journal (SQLite's OP_Transaction p2)
      } else if (iDb === DB_MAIN) {
        if (vm.hostStmtLevel === 0) vm.hostStmtLevel = pager.openSavepoint();
      } else {
        let lv = this.stmtLevelsOther.get(vm);
        if (lv === undefined) {
          lv = [];
          this.stmtLevelsOther.set(vm, lv);
        }
        if ((lv[iDb] ?? 0) === 0) lv[iDb] = pager.openSavepoint();
      }
    }
  }

  autoCommit(on: boolean, rollback: boolean): void {
    if (!on) {
      if (!this.autocommitFlag) throw new SqliteError("SQLITE_ERROR", "cannot start a transaction within a transaction");
      this.autocommitFlag = false;
      return;
    }
    if (this.autocommitFlag) {
      throw new SqliteError("SQLITE_ERROR", rollback ? "cannot rollback - no transaction is active" : "cannot commit - no transaction is active");
    }
    if (rollback) {
      this.endTransaction();
      if (this.inWrite) {
        this.rollbackAll();
        if (this.active.length > 1) this.beginReadAll();
      }
      return;
    }
    if (this.inWrite && this.active.length > 1) {
      throw new SqliteError("SQLITE_BUSY", "cannot commit transaction - SQL statements in progress");
    }
    if (this.fk.total > 0) throw fkError(); // ops-fkey.ts invariant 3
    this.endTransaction();
  }

  /** No running statement but `vm` has opened a write (ops-fkey.ts invariant 2). */
  soleWriter(vm: VM): boolean {
    return this.nWriters === 0 || (this.nWriters === 1 && vm.hostWriter);
  }

  /** Savepoint opcode (invariant 3): 0 SAVEPOINT, 1 RELEASE, 2 ROLLBACK TO. */
  savepoint(op: number, name: string, vm: VM): void {
    void vm;
    if (op === 0) {
      if (this.nWriters > 0) throw new SqliteError("SQLITE_BUSY", "cannot open savepoint - SQL statements in progress");
      if (this.autocommitFlag) {
        this.autocommitFlag = false;
        this.savepointTxn = true;
      }
      this.savepoints.push({
        name, levels: this.dbs.map((d) => (d.pager !== null && d.pager.inWrite ? d.pager.openSavepoint() : 0)),
        defCons: this.fk.deferredCons, defImmCons: this.fk.deferredImmCons,
      });
      return;
    }
    const k = lower(name);
    let i = this.savepoints.length - 1;
    while (i >= 0 && lower(this.savepoints[i].name) !== k) i--;
    if (i < 0) throw new SqliteError("SQLITE_ERROR", `no such savepoint: ${name}`);
    const levels = this.savepoints[i].levels;
    if (op === 1) {
      if (this.nWriters > 0) throw new SqliteError("SQLITE_BUSY", "cannot release savepoint - SQL statements in progress");
      if (i === 0 && this.savepointTxn) {
        if (this.inWrite && this.active.length > 1) {
          throw new SqliteError("SQLITE_BUSY", "cannot commit transaction - SQL statements in progress");
        }
        if (this.fk.total > 0) throw fkError(); // ops-fkey.ts invariant 3
        this.endTransaction(); // the statement's end commits
        return;
      }
      this.eachOpenLevel(levels, (pager, level) => pager.releaseSavepoint(level));
      this.savepoints.length = i;
      return;
    }
    this.savepoints.length = i + 1;
    this.fk.deferredCons = this.savepoints[i].defCons;
    this.fk.deferredImmCons = this.savepoints[i].defImmCons;
    this.eachOpenLevel(levels, (pager, level, iDb) => {
      pager.rollbackToSavepoint(level);
      this.dbs[iDb].schema = null;
    });
  }

  /** Calls fn for each database whose pager level in `levels` is still open. */
  private eachOpenLevel(levels: readonly number[], fn: (pager: Pager, level: number, iDb: number) => void): void {
    for (let k = 0; k < levels.length; k++) {
      const pager = this.dbs[k]?.pager ?? null;
      const level = levels[k] ?? 0;
      if (pager !== null && level > 0 && pager.inWrite && level <= pager.savepointLevel) fn(pager, level, k);
    }
  }

  schemaChanged(iDb: number): void {
    const db = this.dbs[iDb];
    db.schema = loadSchema(db.pager!, db.btree!, (n) => this.collation(n), this.encoding, iDb === DB_TEMP);
  }

  /** The end of a statement that counts changes: changes() and total_changes() (sqlite3VdbeSetChanges). */
  private setChanges(n: number): void {
    this.nChange = n;
    this.nTotalChange += n;
  }

  /**
   * Pragma opcode (engine/pragma-exec.ts), run against the database it names; an
   * unqualified schema query (table_info, index_list, ...) against the first database in
   * search order holding the object (TEMP shadows main), table_list over every database.
   */
  pragma(call: PragmaCall): PragmaValue[][] {
    if (call.name === "database_list") {
      const rows: PragmaValue[][] = [];
      this.dbs.forEach((d, i) => { if (d.pager !== null) rows.push([i, d.name, d.filename]); });
      return rows;
    }
    if (call.schema !== null) return runPragma(this.pragmaView(this.dbIndex(call.schema)), call);
    if (call.name === "table_list") {
      const rows: PragmaValue[][] = [];
      this.dbs.forEach((d, i) => { if (d.pager !== null) rows.push(...runPragma(this.pragmaView(i), call)); });
      return rows;
    }
    const arg = call.hasValue ? call.value : null;
    if (arg !== null && PRAGMA_OBJECT_ARG.has(call.name)) {
      for (const i of this.searchOrder()) {
        const s = this.schemaOf(i);
        const hit = call.name.startsWith("index_info") || call.name === "index_xinfo" ? s.index(arg) : s.table(arg);
        if (hit !== null) return runPragma(this.pragmaView(i), call);
      }
    }
    return runPragma(this, call);
  }

  /** Database indexes in unqualified name search order: temp (if open), main, attached. */
  private searchOrder(): number[] {
    const out: number[] = [];
    if (this.dbs[DB_TEMP].pager !== null) out.push(DB_TEMP);
    out.push(DB_MAIN);
    for (let i = 2; i < this.dbs.length; i++) out.push(i);
    return out;
  }

  /** The index of database `name` (case-insensitive), or -1. */
  dbIndex(name: string): number {
    const k = lower(name);
    return this.dbs.findIndex((d) => lower(d.name) === k);
  }

  /** The PragmaConnection of database iDb (main: the connection itself). */
  private pragmaView(iDb: number): PragmaConnection {
    if (iDb <= 0) return this;
    const db = this.dbs[iDb];
    if (db.pager === null) this.openTemp();
    const self = this;
    return {
      pager: db.pager!, schema: this.schemaOf(iDb), functions: this.functions, settings: this.settings,
      filename: db.filename, memory: db.filename === "", dbName: db.name,
      collationList: () => self.collationList(),
    };
  }

  /** Collations, newest first (PRAGMA collation_list). */
  collationList(): Collation[] {
    return [...this.collations.values()].reverse();
  }

  setLastInsertRowid(v: number | bigint): void {
    this.lastRowid = v;
  }

  resetCount(n: number): void {
    this.nChange = n;
  }

  addTotalChanges(n: number): void {
    this.nTotalChange += n;
  }

  restoreCounts(nChange: number, lastRowid: number | bigint): void {
    this.nChange = nChange;
    this.lastRowid = lastRowid;
  }
}

/** Pragmas whose argument names a table or index (resolved in search order when unqualified). */
const PRAGMA_OBJECT_ARG = new Set(["table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list"]);

export { Schema };
