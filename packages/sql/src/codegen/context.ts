/*
 * codegen/context.ts: the state of compiling one statement (SQLite's Parse): the
 * program builder, the schema and functions it compiles against, parameters, the
 * result-column metadata, and the scope used for name resolution.
 *
 * Invariants:
 *  1. A Parse compiles exactly one statement; its result (Compiled) is immutable and
 *     shared by every execution (statements re-prepare on SQLITE_SCHEMA instead of
 *     patching a program).
 *  2. Parameters: `?` takes the next number after the largest so far; `?NNN` takes NNN;
 *     a named parameter reuses its number when repeated (SQLite's sqlite3ExprAssignVarNumber).
 *     Numbers follow the order of the parameters in the TEXT (SQLite numbers them while
 *     parsing), not the order the code generator visits them: the constructor numbers
 *     every variable token up front, keyed by its offset.
 */
import { BINARY, SqliteError, type Collation, type TextEncoding } from "@strata/common";
import type { FuncDef } from "../func/api.js";
import type { FunctionRegistry } from "../func/registry.js";
import type { ColumnRef, Expr, FunctionCall, Parameter, SelectStmt } from "../parser/ast.js";
import type { Schema, Table } from "../schema/schema.js";
import { scan } from "../parser/tokenizer.js";
import { ProgramBuilder, type Program } from "../vdbe/program.js";
import { Op } from "../vdbe/opcodes.js";
import type { ResolvedColumn } from "./expr.js";
import type { RowFields } from "../vdbe/ops-index.js";

/** What the code generator needs from the connection. */
export interface CompileHost {
  readonly schema: Schema;
  readonly functions: FunctionRegistry;
  readonly encoding: TextEncoding;
  collation(name: string): Collation | null;
  /** PRAGMA recursive_triggers (codegen/trigger.ts); off when absent. */
  readonly recursiveTriggers?: boolean;
  /** PRAGMA settings the compiler reads (ALTER TABLE ADD COLUMN checks foreign_keys). */
  readonly settings?: { readonly foreignKeys: boolean };
  /** PRAGMA foreign_keys and defer_foreign_keys (codegen/fkey.ts); off when absent. */
  readonly foreignKeys?: boolean;
  readonly deferForeignKeys?: boolean;
  /** Database names by index: main, temp, attached (codegen/dbs.ts). */
  readonly dbNames: readonly string[];
  /** Bumped by ATTACH/DETACH (the Transaction opcode's P4). */
  readonly dbGeneration: number;
  /** The schema of database iDb (empty for TEMP until it is opened). */
  schemaOf(iDb: number): Schema;
  /** Opens the TEMP database (engine/databases.ts invariant 1). */
  openTemp(): void;
  dbOpen(iDb: number): boolean;
}

/**
 * One table in scope (SQLite's SrcItem): the table, its cursor, its alias. `ephemeral`
 * marks a FROM item whose rows were materialized (a subquery, view or CTE; see
 * subquery.ts): its cursor is already open over an insertion-ordered list of records,
 * so the loop over it is Rewind/Next without OpenRead, and it has no rowid.
 *
* Items of a FROM clause with joins (codegen/from.ts) also the join type (JT_* bits of from.ts)
 * of the join that brought it in and its USING column names (lower case; NATURAL joins
 * get their common columns here), which name resolution needs for coalescing.
 */
export interface SrcItem {
  readonly table: Table;
  readonly cursor: number;
  readonly alias: string | null;
  /** Found only by qualified names (`excluded.x` in an upsert, NEW/OLD in a trigger). */
  readonly qualifiedOnly?: boolean;
  readonly ephemeral?: boolean;
  /** The row is in registers, not a cursor: rowid at `regs`, column i at regs+1+i (NEW/OLD). */
  readonly regs?: number;
  /** Its columns carry no affinity in comparisons, the rowid and INTEGER PRIMARY KEY
   *  included (`excluded.x`: SQLite resolves it to a bare TK_REGISTER). */
  readonly typeless?: boolean;
  readonly jointype?: number;
  readonly using?: readonly string[] | null;
  /** `INDEXED BY name` (only that index may be used), `false` for NOT INDEXED (no index;
   *  rowid lookups stay allowed, as in SQLite), absent or null for the planner's choice. */
  readonly indexedBy?: string | false | null;
}

/**
 * The trigger program being compiled (codegen/trigger.ts): NEW/OLD (found only as
 * `new.x` / `old.x`, after every other table), the firing statement's conflict action,
 * and the statement-wide cache of compiled trigger programs.
 */
export interface TriggerScope {
  readonly items: readonly SrcItem[];
  readonly orconf: import("../parser/ast.js").ConflictAction | null;
  readonly cache: Map<string, object>;
}

/** One line of EXPLAIN QUERY PLAN (id, parent, notused, detail as SQLite reports them). */
export interface PlanLine {
  readonly id: number;
  readonly parent: number;
  readonly notused: number;
  readonly detail: string;
}

/**
 * The name-resolution context of an enclosing query while a subquery is compiled
 * (SQLite's NameContext chain): its scope, and whether the subquery compiled inside it
 * read one of its columns (then the subquery is correlated and is re-run per row).
 */
export interface OuterFrame {
  readonly scope: readonly SrcItem[];
  correlated: boolean;
}

export interface Compiled {
  readonly program: Program;
  readonly columnNames: readonly string[];
  readonly decltypes: readonly (string | null)[];
  readonly readonly: boolean;
  readonly nVar: number;
  /** Parameter names by number (index 0 = ?1); null for anonymous ones. */
  readonly paramNames: readonly (string | null)[];
  readonly explain: 0 | 1 | 2;
  /** EXPLAIN QUERY PLAN lines, in output order. */
  readonly queryPlan: readonly PlanLine[];
}

/** One WITH clause's tables while its statement compiles (cte.ts). */
export interface CteScope {
  readonly ctes: ReadonlyMap<string, CteDef>;
}
export interface CteDef {
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly select: SelectStmt;
  readonly materialized: boolean | null;
  /** Set while the CTE's own body compiles (a reference then is recursive or circular). */
  busy: boolean;
  /** The recursive CTE's current-row table while its recursive part compiles (cte.ts). */
  current: SrcItem | null;
}

export class Parse {
  readonly b = new ProgramBuilder();
  readonly host: CompileHost;
  /** The text the AST being compiled was parsed from; a view's stored text while it expands (view.ts). */
  sql: string;
  nVar = 0;
  readonly paramNames: (string | null)[] = [];
  readonly columnNames: string[] = [];
  readonly decltypes: (string | null)[] = [];
  /** The statement writes the database. */
  write = false;
  /** Aggregate calls replaced by their accumulator register while coding results. */
  readonly aggRegs = new Map<FunctionCall, number>();
  /** Bare column references in an aggregate query: the register holding the last row's value. */
  readonly bareRegs = new Map<ColumnRef, number>();
  /** Expressions with a precomputed register (ORDER BY terms that are result columns). */
  readonly exprRegs = new Map<Expr, number>();
  /**
   * Literals loaded once, in the prologue after the Transaction opcodes, instead of inside
   * the loops (SQLite's sqlite3ExprCodeRunJustOnce): comparison operands (one register per
   * distinct literal, `shared`: its key, the literal's type and text) and literal function
   * arguments (their own argument register). `inits`: what the prologue codes. Null where
   * the program has no such prologue (only compileSelect turns it on; finishProgram codes
   * and clears it).
   */
  constPool: { readonly shared: Map<string, number>; readonly inits: [number, Expr][] } | null = null;
  /** Enclosing queries of the subquery being compiled, outermost first (subquery.ts). */
  readonly outer: OuterFrame[] = [];
  /** WITH clauses in force, innermost last (cte.ts). */
  readonly ctes: CteScope[] = [];
  /** Views being expanded, outermost first (view.ts: circular definitions). */
  readonly viewStack: string[] = [];
  /** The database of each view being expanded (codegen/dbs.ts invariant 5). */
  readonly homeDbs: number[] = [];
  /** Some table or index of the database is read (the program needs a Transaction). */
  usesDb = false;
  /** Databases read / written by trigger programs of this statement (codegen/dbs.ts invariant 4). */
  subReadMask = 0;
  subWriteMask = 0;
  /** Set while a trigger program compiles (codegen/trigger.ts). */
  trig: TriggerScope | null = null;
  /** Trigger programs compiled for this statement, by trigger and conflict action. */
  trigCache: Map<string, object> = new Map();
  /** Cursors open on WITHOUT ROWID tables: their Column P2 (a table column) becomes a
   *  record position when the program is finished (codegen/without-rowid.ts). */
  readonly wrCursors = new Map<number, Table>();

  /** Parameter numbers by the offset of their token in `sql` (invariant 2). */
  private readonly varAt = new Map<number, number>();
  /** Column references made by the compiler (`*` expansion) with their resolution fixed. */
  readonly resolvedRefs = new Map<ColumnRef, ResolvedColumn>();
  /** EXPLAIN QUERY PLAN lines and the parent id new lines hang under. */
  readonly queryPlan: PlanLine[] = [];
  planParent = 0;

  /** The statement's own text (`sql` is another text while a view expands). */
  private readonly rootSql: string;

  constructor(host: CompileHost, sql: string) {
    this.host = host;
    this.sql = sql;
    this.rootSql = sql;
    if (sql.indexOf("?") >= 0 || /[:@$#]/.test(sql)) {
      const t = scan(sql);
      for (let i = 0; i < t.length; i++) {
        if (t.kinds[i] !== "VARIABLE") continue;
        const name = t.text(i);
        // An invalid ?NNN is reported when the expression is coded.
        if (name !== "?" && name.charCodeAt(0) === 0x3f && !/^\?[0-9]+$/.test(name)) continue;
        if (name.charCodeAt(0) === 0x3f && name !== "?") {
          const n = Number(name.slice(1));
          if (!Number.isInteger(n) || n < 1 || n > 32766) continue;
        }
        this.varAt.set(t.starts[i], this.assignNumber(name));
      }
    }
  }

  error(msg: string): SqliteError {
    return new SqliteError("SQLITE_ERROR", msg);
  }

  /**
   * error() placed at `node` (sqlite3_error_offset: SQLite records the offending token's or
   * expression's position). Only a node of the statement's own text has a position: none
   * inside a view's stored text or a trigger's program.
   */
  errorAt(node: { readonly start: number } | null, msg: string): SqliteError {
    const e = this.error(msg);
    if (node !== null && this.sql === this.rootSql && this.trig === null) e.offset = node.start;
    return e;
  }

  text(e: { start: number; end: number }): string {
    return this.sql.slice(e.start, e.end);
  }

  collation(name: string): Collation {
    const c = this.host.collation(name);
    if (c === null) throw this.error(`no such collation sequence: ${name}`);
    return c;
  }

  /** The number of a parameter (invariant 2). */
  paramNumber(e: Parameter): number {
    const known = this.varAt.get(e.start);
    if (known !== undefined) return known;
    return this.assignNumber(e.name);
  }

  private assignNumber(name: string): number {
    if (name === "?") {
      this.nVar++;
      this.paramNames[this.nVar - 1] = null;
      return this.nVar;
    }
    if (name.charCodeAt(0) === 0x3f) {
      const n = Number(name.slice(1));
      if (!Number.isInteger(n) || n < 1 || n > 32766) throw this.error(`variable number must be between ?1 and ?32766`);
      if (n > this.nVar) {
        for (let i = this.nVar; i < n; i++) this.paramNames[i] = null;
        this.nVar = n;
      }
      if (this.paramNames[n - 1] === null) this.paramNames[n - 1] = name;
      return n;
    }
    const at = this.paramNames.indexOf(name);
    if (at >= 0) return at + 1;
    this.nVar++;
    this.paramNames[this.nVar - 1] = name;
    return this.nVar;
  }

  /** Adds an EXPLAIN QUERY PLAN line under the current parent; returns its id. */
  explainPlan(detail: string, notused = 0, parent = this.planParent): number {
    const id = this.queryPlan.length + 1;
    this.queryPlan.push({ id, parent, notused, detail });
    return id;
  }

  /** The function `name` taking `argc` arguments; errors are placed at `call` (errorAt). */
  func(name: string, argc: number, call: { readonly start: number } | null = null): FuncDef {
    const d = this.host.functions.lookup(name, argc);
    if (d !== null) return d;
    try {
      return this.host.functions.resolve(name, argc);
    } catch (e) {
      throw e instanceof SqliteError ? this.errorAt(call, e.message) : e;
    }
  }

  /** Rewrites Column reads of WITHOUT ROWID table cursors to record positions (PK first). */
  mapColumns(): void {
    if (this.wrCursors.size === 0) return;
    const b = this.b;
    for (let a = 0; a < b.ops.length; a++) {
      if (b.ops[a] === Op.SorterInsertIdx) {
        // Sorter records of plain columns (sorter-fields.ts) address columns the same way.
        const t = this.wrCursors.get(b.a2[a]);
        if (t === undefined) continue;
        const rf = b.a4[a] as RowFields;
        b.a4[a] = { fields: Int32Array.from(rf.fields, (c) => (c < 0 ? c : t.storage!.indexOf(c))), real: rf.real };
        continue;
      }
      if (b.ops[a] !== Op.Column) continue;
      const t = this.wrCursors.get(b.a1[a]);
      if (t !== undefined) b.a2[a] = t.storage!.indexOf(b.a2[a]);
    }
  }

  finish(readonly: boolean, explain: 0 | 1 | 2): Compiled {
    this.mapColumns();
    return {
      program: this.b.finish(),
      columnNames: this.columnNames,
      decltypes: this.decltypes,
      readonly,
      nVar: this.nVar,
      paramNames: this.paramNames,
      explain,
      queryPlan: this.queryPlan,
    };
  }
}

export { BINARY };
