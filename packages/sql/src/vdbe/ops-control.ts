/*
 * vdbe/ops-control.ts: the opcodes that decide where the program goes next (SQLite's
 * vdbe.c; https://sqlite.org/opcode.html): Init, Goto, Halt, ResultRow, subroutines and
 * coroutines, the conditional jumps and the comparison opcodes.
 *
 * Every handler here has the shape of ops-table.ts: (vm, pc) → the next pc, or minus a
 * result code (−VM_ROW, −VM_DONE, −VM_ERROR) to leave the loop with vm.pc set where the
 * next exec() resumes.
 *
 * Invariants:
 *  1. The comparison opcodes never modify their operand registers: affinity conversions
 *     happen on the scratch registers vm.cmpA / vm.cmpB.
 *  2. Goto (every loop's back edge that is not a Next) checks the interrupt flag.
 */
import { SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, type Collation } from "@strata/common";
import { applyAffinity, applyNumericAffinityForCompare, compareMem, intValue, textValue, truthValue } from "./mem.js";
import { AFF_MASK, AFF_NUMERIC, AFF_TEXT, JUMPIFNULL, NULLEQ, Op, VM_DONE, VM_ERROR, VM_ROW } from "./opcodes.js";
import { fkHalt } from "./ops-fkey.js";
import type { VM } from "./vm.js";

/** Op.Init */
export function opInit(vm: VM, pc: number): number {
  const P2 = vm.p2;
  return P2[pc];
}

/** Op.Goto */
export function opGoto(vm: VM, pc: number): number {
  const P2 = vm.p2;
  const host = vm.host;
  if (host.interrupted) return -vm.interrupt(pc);
  return P2[pc];
}

/** Op.Halt */
export function opHalt(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const regs = vm.regs;
  vm.pc = pc;
  if (P1[pc] !== 0) {
    vm.errorAction = P2[pc] === 0 ? 2 : P2[pc];
    // P3: a register holding the message (RAISE with an expression).
    return -vm.fail(P1[pc], P3[pc] !== 0 ? textValue(regs[P3[pc]]) ?? "" : P4[pc] as string);
  }
  if (P2[pc] !== 0) vm.errorAction = P2[pc]; // OE_IGNORE: RAISE(IGNORE) ends a trigger program (ops-trigger.ts)
  if ((vm.frame === null || vm.frame.parent === null) && fkHalt(vm)) return -VM_ERROR;
  return -VM_DONE;
}

/** Op.HaltIfNull */
export function opHaltIfNull(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const regs = vm.regs;
  if (regs[P3[pc]].type === SQLITE_NULL) {
    vm.pc = pc;
    vm.errorAction = P2[pc] === 0 ? 2 : P2[pc];
    return -vm.fail(P1[pc], P4[pc] as string);
  }
  return pc + 1;
}

/** Op.ResultRow */
export function opResultRow(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  vm.resultStart = P1[pc];
  vm.nResult = P2[pc];
  vm.pc = pc + 1;
  return -VM_ROW;
}

/** Op.Eq, Op.Ne, Op.Lt, Op.Le, Op.Gt, Op.Ge */
export function opCompare(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const P5 = vm.p5;
  const regs = vm.regs;
  let a = regs[P3[pc]];
  let b = regs[P1[pc]];
  const p5 = P5[pc];
  let res: number;
  if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) {
    if ((p5 & NULLEQ) !== 0) res = a.type === b.type ? 0 : 1;
    else {
      if ((p5 & JUMPIFNULL) !== 0) return P2[pc];
      return pc + 1;
    }
  } else {
    const aff = p5 & AFF_MASK;
    if (aff >= AFF_NUMERIC) {
      if (a.type === SQLITE_TEXT || b.type === SQLITE_TEXT) {
        if (a.type === SQLITE_TEXT) { vm.cmpA.copyFrom(a); applyNumericAffinityForCompare(vm.cmpA); a = vm.cmpA; }
        if (b.type === SQLITE_TEXT) { vm.cmpB.copyFrom(b); applyNumericAffinityForCompare(vm.cmpB); b = vm.cmpB; }
      }
    } else if (aff === AFF_TEXT && (a.type === SQLITE_TEXT || b.type === SQLITE_TEXT)) {
      if (a.type === SQLITE_INTEGER || a.type === SQLITE_FLOAT) { vm.cmpA.setText(textValue(a)!); a = vm.cmpA; }
      if (b.type === SQLITE_INTEGER || b.type === SQLITE_FLOAT) { vm.cmpB.setText(textValue(b)!); b = vm.cmpB; }
    }
    res = compareMem(a, b, P4[pc] as Collation | null);
  }
  let jump: boolean;
  switch (op) {
    case Op.Eq: jump = res === 0; break;
    case Op.Ne: jump = res !== 0; break;
    case Op.Lt: jump = res < 0; break;
    case Op.Le: jump = res <= 0; break;
    case Op.Gt: jump = res > 0; break;
    default: jump = res >= 0;
  }
  if (jump) return P2[pc];
  return pc + 1;
}

/** Op.If */
export function opIf(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  if (truthValue(regs[P1[pc]], P3[pc] !== 0)) return P2[pc];
  return pc + 1;
}

/** Op.IfNot */
export function opIfNot(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  if (!truthValue(regs[P1[pc]], P3[pc] === 0)) return P2[pc];
  return pc + 1;
}

/** Op.IsNull */
export function opIsNull(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  if (regs[P1[pc]].type === SQLITE_NULL) return P2[pc];
  return pc + 1;
}

/** Op.NotNull */
export function opNotNull(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  if (regs[P1[pc]].type !== SQLITE_NULL) return P2[pc];
  return pc + 1;
}

/** Op.MustBeInt */
export function opMustBeInt(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  const m = regs[P1[pc]];
  if (m.type !== SQLITE_INTEGER) {
    applyAffinity(m, AFF_NUMERIC);
    if (m.type === SQLITE_FLOAT) {
      const v = intValue(m);
      if (v === v && v === m.r) m.setInt(v);
    }
    if (m.type !== SQLITE_INTEGER) {
      if (P2[pc] === 0) { vm.pc = pc; return -vm.fail(20, "datatype mismatch"); }
      return P2[pc];
    }
  }
  return pc + 1;
}

/** Op.IfPos */
export function opIfPos(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const m = regs[P1[pc]];
  if (m.big === null ? m.i > 0 : m.big > 0n) {
    if (m.big === null) m.i -= P3[pc];
    return P2[pc];
  }
  return pc + 1;
}

/** Op.DecrJumpZero */
export function opDecrJumpZero(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  const m = regs[P1[pc]];
  if (m.big === null) {
    m.i--;
    if (m.i === 0) return P2[pc];
  }
  return pc + 1;
}

/** Op.OffsetLimit */
export function opOffsetLimit(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const lim = regs[P1[pc]];
  const off = regs[P3[pc]];
  const o = off.big !== null ? Number(off.big) : off.i;
  const l = lim.big !== null ? Number(lim.big) : lim.i;
  if (l <= 0) regs[P2[pc]].setInt(-1);
  else regs[P2[pc]].setInt(Math.min(l + (o > 0 ? o : 0), Number.MAX_SAFE_INTEGER));
  return pc + 1;
}

/** Op.Once */
export function opOnce(vm: VM, pc: number): number {
  const P2 = vm.p2;
  if (vm.onceFlags[pc] !== 0) return P2[pc];
  vm.onceFlags[pc] = 1;
  return pc + 1;
}

/** Op.Gosub */
export function opGosub(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  regs[P1[pc]].setInt(pc);
  return P2[pc];
}

/** Op.Return */
export function opReturn(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const regs = vm.regs;
  return regs[P1[pc]].i + 1;
}

/** Op.InitCoroutine */
export function opInitCoroutine(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  regs[P1[pc]].setInt(P3[pc] - 1);
  if (P2[pc] !== 0) return P2[pc];
  return pc + 1;
}

/** Op.Yield */
export function opYield(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const regs = vm.regs;
  const m = regs[P1[pc]];
  const dest = m.i;
  m.setInt(pc);
  return dest + 1;
}

/** Op.EndCoroutine */
export function opEndCoroutine(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  const m = regs[P1[pc]];
  const caller = m.i;
  m.setNull();
  return P2[caller];
}
