/*
 * vdbe/ops-value.ts: the opcodes that compute register values (SQLite's vdbe.c;
 * https://sqlite.org/opcode.html): constants, copies, arithmetic and logic, affinity and
 * casts, scalar function calls, the per-row step of an aggregate, and MakeRecord.
 *
 * Every handler has the shape of ops-table.ts: (vm, pc) → the next pc, or minus a result
 * code to leave the loop.
 *
 * Invariants:
 *  1. No per-row allocation for NULL/INTEGER/REAL results (registers are reused, mem.ts).
 *  2. A function error (ctx.error) becomes VM_ERROR with SQLite's code and message.
 */
import { BINARY, SqliteError, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, type Collation } from "@strata/common";
import { type ScalarFuncDef } from "../func/api.js";
import { applyAffinity, arith, bitop, castMem, intValue, numericValue, textValue, truthValue, INT_OUT } from "./mem.js";
import { AGG_COUNT, Op, OPFLAG_EPHEMREC, VM_ERROR } from "./opcodes.js";
import { execMisc } from "./ops-misc.js";
import { MinMaxState, type CountState, type SumState } from "../func/aggregates.js";
import type { VM } from "./vm.js";

/** Op.RealAffinity */
export function opRealAffinity(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const regs = vm.regs;
  const m = regs[P1[pc]];
  if (m.type === SQLITE_INTEGER) m.setReal(m.big !== null ? Number(m.big) : m.i);
  return pc + 1;
}

/** Op.Integer */
export function opInteger(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  regs[P2[pc]].setInt(P1[pc]);
  return pc + 1;
}

/** Op.Int64 */
export function opInt64(vm: VM, pc: number): number {
  const P2 = vm.p2;
  const P4 = vm.p4;
  const regs = vm.regs;
  const v = P4[pc] as number | bigint;
  if (typeof v === "number") regs[P2[pc]].setInt(v);
  else regs[P2[pc]].setBigInt(v);
  return pc + 1;
}

/** Op.Real */
export function opReal(vm: VM, pc: number): number {
  const P2 = vm.p2;
  const P4 = vm.p4;
  const regs = vm.regs;
  regs[P2[pc]].setReal(P4[pc] as number);
  return pc + 1;
}

/** Op.String8 */
export function opString8(vm: VM, pc: number): number {
  const P2 = vm.p2;
  const P4 = vm.p4;
  const regs = vm.regs;
  regs[P2[pc]].setText(P4[pc] as string);
  return pc + 1;
}

/** Op.Blob */
export function opBlob(vm: VM, pc: number): number {
  const P2 = vm.p2;
  const P4 = vm.p4;
  const regs = vm.regs;
  regs[P2[pc]].setBlob(P4[pc] as Uint8Array);
  return pc + 1;
}

/** Op.Null */
export function opNull(vm: VM, pc: number): number {
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const last = P3[pc] > P2[pc] ? P3[pc] : P2[pc];
  for (let r = P2[pc]; r <= last; r++) regs[r].setNull();
  return pc + 1;
}

/** Op.Variable */
export function opVariable(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  regs[P2[pc]].copyFrom(vm.vars[P1[pc] - 1]);
  return pc + 1;
}

/** Op.Copy, Op.SCopy */
export function opCopy(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const n = op === Op.Copy ? P3[pc] : 0;
  for (let k = 0; k <= n; k++) regs[P2[pc] + k].copyFrom(regs[P1[pc] + k]);
  return pc + 1;
}

/** Op.Move */
export function opMove(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  for (let k = 0; k < P3[pc]; k++) {
    regs[P2[pc] + k].copyFrom(regs[P1[pc] + k]);
    regs[P1[pc] + k].setNull();
  }
  return pc + 1;
}

/** Op.Add, Op.Subtract, Op.Multiply, Op.Divide, Op.Remainder */
export function opArithmetic(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const b = regs[P1[pc]];
  const a = regs[P2[pc]];
  const out = regs[P3[pc]];
  if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) { out.setNull(); return pc + 1; }
  if ((a.type === SQLITE_INTEGER || a.type === SQLITE_FLOAT) && (b.type === SQLITE_INTEGER || b.type === SQLITE_FLOAT)) {
    arith(op - Op.Add, a, b, out);
  } else {
    numericValue(a, vm.cmpA);
    numericValue(b, vm.cmpB);
    arith(op - Op.Add, vm.cmpA, vm.cmpB, out);
  }
  return pc + 1;
}

/** Op.Concat */
export function opConcat(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const b = regs[P1[pc]];
  const a = regs[P2[pc]];
  const out = regs[P3[pc]];
  if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) { out.setNull(); return pc + 1; }
  out.setText(textValue(a)! + textValue(b)!);
  return pc + 1;
}

/** Op.BitAnd, Op.BitOr, Op.ShiftLeft, Op.ShiftRight */
export function opBitwise(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const b = regs[P1[pc]];
  const a = regs[P2[pc]];
  const out = regs[P3[pc]];
  if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) { out.setNull(); return pc + 1; }
  bitop(op - Op.BitAnd, a, b, out);
  return pc + 1;
}

/** Op.BitNot */
export function opBitNot(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  const a = regs[P1[pc]];
  const out = regs[P2[pc]];
  if (a.type === SQLITE_NULL) { out.setNull(); return pc + 1; }
  const v = intValue(a);
  if (v === v) out.setInt(-v - 1);
  else out.setBigInt(~INT_OUT.big);
  return pc + 1;
}

/** Op.Not */
export function opNot(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  const a = regs[P1[pc]];
  const out = regs[P2[pc]];
  if (a.type === SQLITE_NULL) out.setNull();
  else out.setInt(truthValue(a, false) ? 0 : 1);
  return pc + 1;
}

/** Op.And, Op.Or */
export function opAndOr(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const a = regs[P1[pc]];
  const b = regs[P2[pc]];
  const va = a.type === SQLITE_NULL ? 2 : truthValue(a, false) ? 1 : 0;
  const vb = b.type === SQLITE_NULL ? 2 : truthValue(b, false) ? 1 : 0;
  let v: number;
  if (op === Op.And) v = va === 0 || vb === 0 ? 0 : va === 2 || vb === 2 ? 2 : 1;
  else v = va === 1 || vb === 1 ? 1 : va === 2 || vb === 2 ? 2 : 0;
  if (v === 2) regs[P3[pc]].setNull();
  else regs[P3[pc]].setInt(v);
  return pc + 1;
}

/** Op.IsTrue */
export function opIsTrue(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P5 = vm.p5;
  const regs = vm.regs;
  const a = regs[P1[pc]];
  const t = a.type === SQLITE_NULL ? P3[pc] !== 0 : truthValue(a, false);
  regs[P2[pc]].setInt((t ? 1 : 0) ^ P5[pc]);
  return pc + 1;
}

/** Op.ZeroOrNull */
export function opZeroOrNull(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  if (regs[P1[pc]].type === SQLITE_NULL || regs[P3[pc]].type === SQLITE_NULL) regs[P2[pc]].setNull();
  else regs[P2[pc]].setInt(0);
  return pc + 1;
}

/** Op.CollSeq */
export function opCollSeq(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P4 = vm.p4;
  const regs = vm.regs;
  vm.funcColl = P4[pc] as Collation;
  if (P1[pc] !== 0) { regs[P1[pc]].setInt(0); vm.hitReg = P1[pc]; }
  return pc + 1;
}

/** Op.Function */
export function opFunction(vm: VM, pc: number): number {
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const P5 = vm.p5;
  const regs = vm.regs;
  const def = P4[pc] as ScalarFuncDef;
  const ctx = vm.ctx;
  vm.args.base = P2[pc];
  ctx.out = vm.tmp;
  vm.tmp.setNull();
  ctx.error = null;
  ctx.collation = vm.funcColl ?? BINARY;
  vm.funcColl = null;
  def.fn(ctx, P5[pc], vm.args);
  if (ctx.error !== null) {
    vm.pc = pc;
    vm.error = new SqliteError(ctx.errorCode, ctx.error);
    return -VM_ERROR;
  }
  regs[P3[pc]].copyFrom(vm.tmp);
  return pc + 1;
}

/** Op.Affinity */
export function opAffinity(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P4 = vm.p4;
  const regs = vm.regs;
  const affs = P4[pc] as string;
  const first = P1[pc];
  for (let k = 0; k < P2[pc]; k++) {
    const c = affs.charCodeAt(k);
    if (c > 0x41) applyAffinity(regs[first + k], c);
  }
  return pc + 1;
}

/** Op.Cast */
export function opCast(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  castMem(regs[P1[pc]], P2[pc]);
  return pc + 1;
}

/** Op.AggStep */
export function opAggStep(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P5 = vm.p5;
  // The per-row path of an aggregate step, here rather than in ops-misc.ts; the first
  // step of a group (no state yet) goes there.
  const st = vm.aggs[P3[pc]];
  if (st === null) {
    vm.pc = pc;
    execMisc(vm, op, pc);
    return pc + 1;
  }
  // sum/total/avg and count over a number or NULL: straight to the state, no call
  // context (they neither fail nor use a collation there). Anything else: the full step.
  const kind = vm.aggKind[P3[pc]];
  if (kind !== 0 && vm.hitReg === 0) {
    if (kind === AGG_COUNT) {
      if (P5[pc] === 0 || vm.regs[P2[pc]].type !== SQLITE_NULL) (st as CountState).n++;
      vm.funcColl = null;
      return pc + 1;
    }
    const sum = st as SumState;
    const m = vm.regs[P2[pc]];
    if (m.type === SQLITE_NULL || (m.type === SQLITE_INTEGER ? m.big === null && sum.tryInt(m.i) : m.type === SQLITE_FLOAT && sum.tryReal(m.r))) {
      vm.funcColl = null;
      return pc + 1;
    }
  }
  const ctx = vm.ctx;
  ctx.out = vm.tmp;
  ctx.error = null;
  ctx.collation = vm.funcColl ?? BINARY;
  vm.funcColl = null;
  vm.args.base = P2[pc];
  const hit = vm.hitReg;
  if (hit !== 0) {
    vm.hitReg = 0;
    if (st instanceof MinMaxState) {
      // SQLite's sqlite3SkipAccumulatorLoad: the row is not the new min/max (a NULL
      // argument, or a value that does not beat the current best) -> r[hit] = 1.
      const had = st.has;
      st.step(ctx, P5[pc], vm.args);
      if (had && !st.changed) vm.regs[hit].setInt(1);
    } else st.step(ctx, P5[pc], vm.args);
  } else st.step(ctx, P5[pc], vm.args);
  if (ctx.error !== null) throw new SqliteError(ctx.errorCode, ctx.error);
  return pc + 1;
}

/** Op.MakeRecord */
export function opMakeRecord(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const P5 = vm.p5;
  const regs = vm.regs;
  const host = vm.host;
  const first = P1[pc];
  const n = P2[pc];
  const affs = P4[pc] as string | null;
  if (affs !== null) {
    for (let k = 0; k < n; k++) {
      const c = affs.charCodeAt(k);
      if (c > 0x41) applyAffinity(regs[first + k], c);
    }
  }
  const len = vm.recbuf.encodeMems(regs, first, n, host.encoding);
  regs[P3[pc]].setBlob(P5[pc] === OPFLAG_EPHEMREC ? vm.recbuf.view(len) : vm.recbuf.buf.slice(0, len));
  return pc + 1;
}
