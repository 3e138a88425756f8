/*
 * engine/statement.ts: a prepared statement modelled on sqlite3_stmt
 * (https://sqlite.org/c3ref/stmt.html): bind (1-based), step → SQLITE_ROW / SQLITE_DONE,
 * column accessors, reset, finalize; EXPLAIN lists the program in SQLite's columns
 * (addr, opcode, p1, p2, p3, p4, p5, comment).
 *
 * Invariants:
 *  1. The compiled program is shared and immutable; the VM is this statement's and is
 *     reset (not rebuilt) between runs. Bindings survive reset (as in SQLite).
 *  2. step() throws the SqliteError of a failed run (after the connection has rolled
 *     back as needed); SQLITE_SCHEMA before the first row re-prepares and retries, up to
 *     5 times (sqlite3_prepare_v2 behaviour).
 *  3. Column values are read from the VM's registers only between a ROW and the next
 *     step/reset.
 */
import {
  SqliteError, SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, type KeyInfo,
} from "@strata/common";
import type { Compiled } from "../codegen/context.js";
import { OPCODES } from "../vdbe/opcodes.js";
import { Mem, bigIntValue, blobValue, intValue, memText, realValue, textValue } from "../vdbe/mem.js";
import { VM, VM_DONE, VM_ROW } from "../vdbe/vm.js";
import type { Connection } from "./connection.js";

export const SQLITE_ROW = 100;
export const SQLITE_DONE = 101;

const EXPLAIN_COLUMNS = ["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"];
const EQP_COLUMNS = ["id", "parent", "notused", "detail"];

/** A value as the caller binds it; `{ real: x }` binds x as a REAL even when whole. */
export type BindValue = null | number | bigint | string | Uint8Array | { readonly real: number };

function p4Text(p4: unknown): string | null {
  if (p4 === null || p4 === undefined) return null;
  if (typeof p4 === "string") return p4;
  if (typeof p4 === "number" || typeof p4 === "bigint") return String(p4);
  if (p4 instanceof Uint8Array) return Array.from(p4, (x) => x.toString(16).padStart(2, "0")).join("");
  if (p4 instanceof Mem) return textValue(p4);
  const o = p4 as { kind?: string; name?: string; nField?: number; nArg?: number; compareUtf8?: unknown };
  if (o.kind === "scalar" || o.kind === "aggregate") return `${o.name}(${o.nArg})`;
  if (o.compareUtf8 !== undefined) return o.name ?? null;
  if (o.nField !== undefined) {
    const k = p4 as KeyInfo;
    const parts: string[] = [];
    for (let i = 0; i < k.nField; i++) {
      const c = k.collations[i];
      const d = (k.sortFlags[i] ?? 0) & 1 ? "-" : "";
      parts.push(d + (c && c.name !== "BINARY" ? c.name : ""));
    }
    return `k(${k.nField},${parts.join(",")})`;
  }
  return null;
}

export class Statement {
  readonly conn: Connection;
  /** The statement's text (without the trailing `;`). */
  readonly sql: string;
  private compiled: Compiled;
  private vm: VM;
  private state: 0 | 1 | 2 = 0; // 0 ready, 1 running, 2 done
  private explainPc = -1;
  private finalized = false;

  constructor(conn: Connection, sql: string, compiled: Compiled) {
    this.conn = conn;
    this.sql = sql;
    this.compiled = compiled;
    this.vm = new VM(compiled.program, conn, compiled.nVar);
  }

  // ------------------------------------------------------------ metadata

  get readonly(): boolean {
    return this.compiled.readonly;
  }
  /** 0 not EXPLAIN, 1 EXPLAIN, 2 EXPLAIN QUERY PLAN. */
  get isExplain(): number {
    return this.compiled.explain;
  }
  get columnCount(): number {
    return this.compiled.explain === 1 ? 8 : this.compiled.explain === 2 ? 4 : this.compiled.columnNames.length;
  }
  columnName(i: number): string {
    return this.compiled.explain === 1 ? EXPLAIN_COLUMNS[i] : this.compiled.explain === 2 ? EQP_COLUMNS[i] : this.compiled.columnNames[i];
  }
  columnDecltype(i: number): string | null {
    return this.compiled.explain !== 0 ? null : this.compiled.decltypes[i] ?? null;
  }
  get paramCount(): number {
    return this.compiled.nVar;
  }
  /** sqlite3_bind_parameter_name (1-based); null for `?`. */
  paramName(i: number): string | null {
    return this.compiled.paramNames[i - 1] ?? null;
  }
  /** sqlite3_bind_parameter_index: the number of `:a` / `@a` / `$a` / `?NNN`, 0 if none. */
  paramIndex(name: string): number {
    const i = this.compiled.paramNames.indexOf(name);
    return i + 1;
  }
  /** True between the first step and reset/done. */
  get busy(): boolean {
    return this.state === 1;
  }

  // ------------------------------------------------------------ binding

  bind(i: number, v: BindValue): void {
    this.checkLive();
    if (this.state === 1) throw new SqliteError("SQLITE_MISUSE", "bind on a busy statement");
    if (!Number.isInteger(i) || i < 1 || i > this.compiled.nVar) throw new SqliteError("SQLITE_RANGE", "column index out of range");
    const m = this.vm.vars[i - 1];
    if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) {
      m.setReal(v.real);
      return;
    }
    if (typeof v === "bigint" && (v > 9223372036854775807n || v < -9223372036854775808n)) {
      throw new SqliteError("SQLITE_RANGE", "bigint out of int64 range");
    }
    m.setValue(v);
    if (v instanceof Uint8Array) m.b = v.slice();
  }
  /** Binds x as a REAL even when whole (bind(i, { real: x }) without the object). */
  bindReal(i: number, x: number): void {
    this.checkLive();
    if (this.state === 1) throw new SqliteError("SQLITE_MISUSE", "bind on a busy statement");
    if (!Number.isInteger(i) || i < 1 || i > this.compiled.nVar) throw new SqliteError("SQLITE_RANGE", "column index out of range");
    this.vm.vars[i - 1].setReal(x);
  }
  clearBindings(): void {
    for (const m of this.vm.vars) m.setNull();
  }

  // ------------------------------------------------------------ running

  /** sqlite3_step. */
  step(): number {
    this.checkLive();
    if (this.compiled.explain === 1) return this.stepExplain();
    if (this.compiled.explain === 2) return this.stepQueryPlan();
    if (this.state === 2) return SQLITE_DONE;
    for (let attempt = 0; ; attempt++) {
      const vm = this.vm;
      if (this.state === 0) {
        this.state = 1;
        this.conn.vmStarted(vm);
        if (!this.compiled.readonly) this.conn.beginChanges();
      }
      const rc = vm.exec();
      if (rc === VM_ROW) return SQLITE_ROW;
      if (rc === VM_DONE) {
        this.state = 2;
        vm.closeCursors();
        this.conn.vmHalted(vm, true, vm.wrote);
        return SQLITE_DONE;
      }
      const err = vm.error!;
      vm.closeCursors();
      this.conn.vmHalted(vm, false, vm.wrote);
      this.state = 0;
      if (err.code === "SQLITE_SCHEMA" && attempt < 5) {
        this.conn.resetSchema();
        this.replaceProgram(this.conn.recompile(this.sql));
        continue;
      }
      vm.reset();
      throw err;
    }
  }

  private replaceProgram(c: Compiled): void {
    const old = this.vm;
    this.compiled = c;
    this.vm = new VM(c.program, this.conn, c.nVar);
    for (let i = 0; i < Math.min(old.vars.length, this.vm.vars.length); i++) this.vm.vars[i].copyFrom(old.vars[i]);
  }

  private stepExplain(): number {
    const prog = this.compiled.program;
    this.explainPc++;
    if (this.explainPc >= prog.nOp) {
      this.explainPc = prog.nOp;
      return SQLITE_DONE;
    }
    const r = this.vm.regs;
    const pc = this.explainPc;
    // Rows are written into the first eight registers of an explain-only scratch set.
    const out = this.explainRegs();
    out[0].setInt(pc);
    out[1].setText(OPCODES[prog.opcode[pc]].name);
    out[2].setInt(prog.p1[pc]);
    out[3].setInt(prog.p2[pc]);
    out[4].setInt(prog.p3[pc]);
    const p4 = p4Text(prog.p4[pc]);
    if (p4 === null) out[5].setNull();
    else out[5].setText(p4);
    out[6].setInt(prog.p5[pc]);
    const c = prog.comments[pc];
    if (c === null) out[7].setNull();
    else out[7].setText(c);
    void r;
    return SQLITE_ROW;
  }
  /** EXPLAIN QUERY PLAN: one row (id, parent, notused, detail) per plan line. */
  private stepQueryPlan(): number {
    const plan = this.compiled.queryPlan;
    this.explainPc++;
    if (this.explainPc >= plan.length) {
      this.explainPc = plan.length;
      return SQLITE_DONE;
    }
    const line = plan[this.explainPc];
    const out = this.explainRegs();
    out[0].setInt(line.id);
    out[1].setInt(line.parent);
    out[2].setInt(line.notused);
    out[3].setText(line.detail);
    return SQLITE_ROW;
  }
  /** EXPLAIN's output row, made on first use (most statements are not EXPLAIN). */
  private explainRow: Mem[] | null = null;
  private explainRegs(): Mem[] {
    return (this.explainRow ??= Array.from({ length: 8 }, () => new Mem()));
  }

  /** sqlite3_reset: back to the start; bindings kept. */
  reset(): void {
    if (this.finalized || this.conn.isClosed) return; // close() stopped it already
    this.explainPc = -1;
    if (this.state === 1) {
      this.vm.closeCursors();
      this.conn.vmHalted(this.vm, true, this.vm.wrote);
    }
    this.vm.reset();
    this.state = 0;
  }

  /** sqlite3_finalize. */
  finalize(): void {
    if (this.finalized) return;
    this.reset();
    this.finalized = true;
  }

  private checkLive(): void {
    if (this.finalized) throw new SqliteError("SQLITE_MISUSE", "statement has been finalized");
    if (this.conn.isClosed) throw new SqliteError("SQLITE_MISUSE", "The database connection is not open");
  }

  // ------------------------------------------------------------ columns (invariant 3)

  private col(i: number): Mem {
    if (this.compiled.explain !== 0) return this.explainRegs()[i];
    if (i < 0 || i >= this.vm.nResult) throw new SqliteError("SQLITE_RANGE", "column index out of range");
    return this.vm.regs[this.vm.resultStart + i];
  }
  /** sqlite3_column_type: SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL. */
  columnType(i: number): number {
    return this.col(i).type;
  }
  /** The value: INTEGER as number (bigint when unsafe), REAL number, TEXT string, BLOB copy, NULL null. */
  columnValue(i: number): null | number | bigint | string | Uint8Array {
    const m = this.col(i);
    switch (m.type) {
      case SQLITE_INTEGER: return m.big ?? m.i;
      case SQLITE_FLOAT: return m.r;
      case SQLITE_TEXT: return memText(m);
      case SQLITE_BLOB: return m.b!.slice();
      default: return null;
    }
  }
  /** sqlite3_column_int64 as a number (NaN when unsafe: use columnBigInt). */
  columnInt(i: number): number {
    return intValue(this.col(i));
  }
  columnBigInt(i: number): bigint {
    return bigIntValue(this.col(i));
  }
  columnDouble(i: number): number {
    return realValue(this.col(i));
  }
  columnText(i: number): string | null {
    return textValue(this.col(i));
  }
  columnBlob(i: number): Uint8Array | null {
    const b = blobValue(this.col(i));
    return b === null ? null : b.slice();
  }
}

export { SQLITE_NULL };
