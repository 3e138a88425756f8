/*
 * vdbe/ops-trigger.ts: running trigger programs (SQLite's vdbe.c OP_Program, OP_ResetCount,
 * sqlite3VdbeFrameRestore; https://sqlite.org/lang_createtrigger.html).
 *
 * A trigger body is compiled once per statement into its own Program (codegen/trigger.ts)
 * and carried as P4 of a Program opcode at each place the trigger may fire. Program runs
 * it to completion in a child VM (a "frame"): the child's OLD and NEW registers are copied
 * from the caller's r[P1..] and r[P3..] (rowid, then each column); the child has its own
 * registers and cursors and shares the connection, the transaction and the statement
 * journal of the top-level statement. Child VMs are made once per (caller, sub-program)
 * and reset for each firing, so a statement allocates nothing per row for its triggers.
 *
 * Invariants:
 *  1. RAISE(IGNORE) (Halt with P2 = OE_IGNORE) ends the child and the caller jumps to P2 of
 *     its Program opcode (skips the current row of the statement that fired the trigger).
 *  2. An error in the child becomes the caller's error with the child's conflict action
 *     (RAISE(ROLLBACK|ABORT|FAIL) → OE_*; SQLITE_CONSTRAINT_TRIGGER); the caller halts too.
 *  3. changes() and last_insert_rowid() are saved before the child runs and restored after
 *     it ends, also when it fails; inside, each non-SELECT step ends with ResetCount, so changes() there is the
 *     last step's count, and that count is added to total_changes() then (SQLite's
 *     OP_ResetCount: a step that completed stays counted even if the trigger or the
 *     statement fails later); sqlite3_changes() never counts them at the top level. A
 *     program whose rows count as its caller's (SubProgram.countsAsCaller: DROP TABLE's
 *     DELETE) adds its steps' counts to the caller's change count instead.
 *  4. P5 = 1 (recursive_triggers off): the program does not run if it is already running
 *     in a calling frame. Nesting deeper than SQLITE_MAX_TRIGGER_DEPTH (1000) fails with
 *     "too many levels of trigger recursion".
 *  5. Rows returned by SELECT steps are discarded.
 */
import { SqliteError } from "@strata/common";
import { Op } from "./opcodes.js";
import type { Program } from "./program.js";
import { VM, VM_DONE, VM_ROW } from "./vm.js";

export const OE_IGNORE = 4;
export const SQLITE_MAX_TRIGGER_DEPTH = 1000;

/** P4 of a Program opcode: a trigger program compiled for one statement. */
export class SubProgram {
  /** Set once the body has been compiled (a recursive trigger refers to itself earlier). */
  program: Program | null = null;
  /** Registers of the child's OLD / NEW rows (rowid then columns), 0 when absent. */
  oldDest = 0;
  newDest = 0;
  /** rowid + columns. */
  nReg = 0;
  /** Its rows are the caller's changes (invariant 3; Program P5 bit 2). */
  countsAsCaller = false;
  constructor(readonly name: string) {}
}

/** Per-VM trigger state: who called this VM and the child VMs it has made. */
export class TriggerFrame {
  constructor(
    readonly parent: VM | null,
    readonly sub: SubProgram | null,
    readonly depth: number,
  ) {}
  readonly children = new Map<SubProgram, VM>();
  /** Rows changed by this program's completed steps (added to total_changes() when it completes). */
  stepTotal = 0;
}

function frameOf(vm: VM): TriggerFrame {
  if (vm.frame === null) vm.frame = new TriggerFrame(null, null, 0);
  return vm.frame;
}

/**
 * Whether the trigger of `sp` is already running in `vm` or one of its callers (invariant
 * 4): by trigger, not by program, since one trigger has a program per conflict action.
 */
function onStack(vm: VM, sp: SubProgram): boolean {
  for (let f: TriggerFrame | null = vm.frame; f !== null; f = f.parent?.frame ?? null) {
    if (f.sub !== null && f.sub.name === sp.name) return true;
  }
  return false;
}

export function execTrigger(vm: VM, op: number, pc: number): number {
  const prog = vm.prog;
  const host = vm.host;
  if (op === Op.ResetCount) {
    // ResetCount (invariant 3).
    const f = frameOf(vm);
    if (f.sub !== null && f.sub.countsAsCaller) f.stepTotal += vm.nChange;
    else {
      host.resetCount(vm.nChange);
      host.addTotalChanges(vm.nChange);
    }
    vm.nChange = 0;
    return 0;
  }
  const sp = prog.p4[pc] as SubProgram;
  if ((prog.p5[pc] & 1) !== 0 && onStack(vm, sp)) return 0;
  const f = frameOf(vm);
  if (f.depth + 1 > SQLITE_MAX_TRIGGER_DEPTH) throw new SqliteError("SQLITE_ERROR", "too many levels of trigger recursion");
  let child = f.children.get(sp);
  if (child === undefined) {
    child = new VM(sp.program!, host, 0);
    child.frame = new TriggerFrame(vm, sp, f.depth + 1);
    f.children.set(sp, child);
  }
  child.reset();
  child.frame!.stepTotal = 0;
  const regs = vm.regs;
  const cregs = child.regs;
  const n = sp.nReg;
  if (sp.oldDest !== 0 && prog.p1[pc] !== 0) for (let k = 0; k < n; k++) cregs[sp.oldDest + k].copyFrom(regs[prog.p1[pc] + k]);
  if (sp.newDest !== 0 && prog.p3[pc] !== 0) for (let k = 0; k < n; k++) cregs[sp.newDest + k].copyFrom(regs[prog.p3[pc] + k]);
  const savedChanges = host.changes;
  const savedRowid = host.lastInsertRowid;
  let rc = child.exec();
  while (rc === VM_ROW) rc = child.exec();
  child.closeCursors();
  if (child.wrote) vm.wrote = true;
  if (rc !== VM_DONE) {
    // Unwinding the frame restores them too (SQLite's sqlite3VdbeFrameRestore on error).
    host.restoreCounts(savedChanges, savedRowid);
    vm.errorAction = child.errorAction;
    throw child.error!;
  }
  // P5 = 2: the rows are the caller's own changes (DROP TABLE's implicit DELETE, codegen/fkey.ts).
  if ((prog.p5[pc] & 2) !== 0) vm.nChange += child.frame!.stepTotal + child.nChange;
  else host.addTotalChanges(child.nChange);
  child.frame!.stepTotal = 0;
  host.restoreCounts(savedChanges, savedRowid);
  if (child.errorAction === OE_IGNORE) {
    vm.pc = prog.p2[pc];
    return -1;
  }
  return 0;
}
