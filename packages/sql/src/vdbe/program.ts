/*
 * vdbe/program.ts: a compiled VDBE program and the builder the code generator emits
 * through (SQLite's Vdbe as built by vdbeaux.c sqlite3VdbeAddOp*, labels resolved by
 * resolveP2Values).
 *
 * A Program is immutable and shared: struct-of-arrays (Int32Array opcodes and P1/P2/P3/
 * P5, an array for P4 objects). Everything that changes while it runs lives in a VM.
 *
 * Invariants:
 *  1. Labels are negative numbers (-1, -2, ...) until finish(); finish() replaces every
 *     P2 that is a label by its address and fails on a label never resolved.
 *  2. nMem (registers) and nCursor are the highest index the program uses, plus one.
 */
import { OPCODES, Op } from "./opcodes.js";

export type P4 = null | number | bigint | string | Uint8Array | object;

export class Program {
  readonly opcode: Int32Array;
  readonly p1: Int32Array;
  readonly p2: Int32Array;
  readonly p3: Int32Array;
  readonly p5: Int32Array;
  readonly p4: readonly P4[];
  readonly comments: readonly (string | null)[];
  readonly nOp: number;
  readonly nMem: number;
  readonly nCursor: number;
  /** SQLite's Vdbe.usesStmtJournal: several rows may change and a constraint may abort. */
  readonly usesStmtJournal: boolean;
  /** An aborting constraint in it (or in a trigger program it runs): what makes a caller abortable. */
  readonly mayAbort: boolean;
  /** ProgramBuilder.countChanges. */
  readonly countChanges: boolean;
  constructor(b: ProgramBuilder) {
    const n = b.ops.length;
    this.nOp = n;
    this.opcode = Int32Array.from(b.ops);
    this.p1 = Int32Array.from(b.a1);
    this.p2 = Int32Array.from(b.a2);
    this.p3 = Int32Array.from(b.a3);
    this.p5 = Int32Array.from(b.a5);
    this.p4 = b.a4.slice();
    this.comments = b.notes.slice();
    this.nMem = b.nMem + 1;
    this.nCursor = b.nCursor;
    // SQLite's mayAbort: an aborting constraint (a Halt/HaltIfNull error with OE_ABORT) or a
    // function call (its error aborts the statement); STRICT's TypeCheck is not one.
    // A trigger program (Op.Program) makes the statement multi-write; it may abort when its
    // own program may (SQLite's sqlite3MayAbort sets the top-level Parse's flag).
    // A trigger program's function calls do not count (SQLite keeps a trigger's earlier rows
    // after an error there): only its aborting constraints (Program.mayAbort).
    let mayAbort = b.mayAbort;
    let halts = b.mayAbort;
    let multi = b.multiWrite;
    for (let i = 0; i < n; i++) {
      const o = b.ops[i];
      if (o === Op.Program) {
        multi = true;
        if ((b.a4[i] as { program?: { mayAbort?: boolean } | null }).program?.mayAbort === true) mayAbort = halts = true;
      } else if ((o === Op.Halt || o === Op.HaltIfNull) && b.a1[i] !== 0 && b.a2[i] === 2) mayAbort = halts = true;
      else if (o === Op.Function || o === Op.AggStep) mayAbort = true;
    }
    this.mayAbort = halts;
    this.countChanges = b.countChanges;
    this.usesStmtJournal = multi && mayAbort;
  }
}

export class ProgramBuilder {
  ops: number[] = [];
  a1: number[] = [];
  a2: number[] = [];
  a3: number[] = [];
  a4: P4[] = [];
  a5: number[] = [];
  notes: (string | null)[] = [];
  private labels: number[] = [];
  /** Highest register allocated (registers start at 1, as in SQLite). */
  nMem = 0;
  nCursor = 0;
  /** The statement may change several rows (SQLite's sqlite3MultiWrite); INSERT clears it for one row. */
  multiWrite = true;
  /** A constraint may abort the statement (SQLite's sqlite3MayAbort). */
  mayAbort = false;
  /** The statement sets changes() even without counting rows itself (DML on a view: 0). */
  countChanges = false;

  /** Appends an instruction; returns its address. */
  add(op: number, p1 = 0, p2 = 0, p3 = 0, p4: P4 = null, p5 = 0): number {
    this.ops.push(op);
    this.a1.push(p1);
    this.a2.push(p2);
    this.a3.push(p3);
    this.a4.push(p4);
    this.a5.push(p5);
    this.notes.push(null);
    return this.ops.length - 1;
  }
  get addr(): number {
    return this.ops.length;
  }
  comment(text: string): void {
    if (this.notes.length > 0) this.notes[this.notes.length - 1] = text;
  }
  newLabel(): number {
    this.labels.push(-1);
    return -this.labels.length;
  }
  /** Binds `label` to the next instruction's address. */
  resolve(label: number): void {
    this.labels[-label - 1] = this.ops.length;
  }
  changeP2(addr: number, p2: number): void {
    this.a2[addr] = p2;
  }
  changeP1(addr: number, p1: number): void {
    this.a1[addr] = p1;
  }
  changeP3(addr: number, p3: number): void {
    this.a3[addr] = p3;
  }
  changeP5(addr: number, p5: number): void {
    this.a5[addr] = p5;
  }
  /** Whether a label is bound to an address in [lo, hi). */
  labelIn(lo: number, hi: number): boolean {
    for (const a of this.labels) if (a >= lo && a < hi) return true;
    return false;
  }
  /** Drops the instructions from `addr` on (nothing may jump to them: see labelIn). */
  truncate(addr: number): void {
    for (const a of [this.ops, this.a1, this.a2, this.a3, this.a4, this.a5, this.notes]) a.length = addr;
  }
  /** Points the jump at `addr` to the next instruction. */
  jumpHere(addr: number): void {
    this.a2[addr] = this.ops.length;
  }
  allocReg(n = 1): number {
    const r = this.nMem + 1;
    this.nMem += n;
    return r;
  }
  allocCursor(): number {
    return this.nCursor++;
  }
  finish(): Program {
    for (let i = 0; i < this.ops.length; i++) {
      const p2 = this.a2[i];
      if (p2 < 0 && OPCODES[this.ops[i]].jumps) {
        const a = this.labels[-p2 - 1];
        if (a === undefined || a < 0) throw new Error(`unresolved label ${p2} at ${i} (${OPCODES[this.ops[i]].name})`);
        this.a2[i] = a;
      }
    }
    return new Program(this);
  }
}

export { Op };
