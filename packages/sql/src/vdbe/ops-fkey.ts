/*
 * vdbe/ops-fkey.ts: the foreign key constraint counters (SQLite's vdbe.c OP_FkCounter,
 * OP_FkIfZero, sqlite3VdbeCheckFk; https://sqlite.org/foreignkeys.html §4.2 "Deferred
 * Foreign Key Constraints"). The code that moves the counters is codegen/fkey.ts.
 *
 * Two counters of violations: the statement's (immediate constraints; VM.nFkConstraint of
 * the top-level VM, shared by its trigger programs) and the connection's (deferred
 * constraints; FkState.deferredCons, and deferredImmCons for immediate constraints counted
 * while PRAGMA defer_foreign_keys is on).
 *
 * Invariants:
 *  1. FkCounter P1=1 or defer_foreign_keys on: the connection's counter moves by P2, else
 *     the statement's.
 *  2. The normal end (Halt) of a top-level program fails with SQLITE_CONSTRAINT_FOREIGNKEY
 *     "FOREIGN KEY constraint failed" (ABORT: the statement is undone) when its counter is
 *     above zero; in autocommit mode, the only writing statement also fails when the
 *     connection's counters are above zero, and then the transaction rolls back.
 *  3. COMMIT (and RELEASE of the savepoint that began the transaction) fails with the same
 *     error while the connection's counters are above zero; the transaction stays open.
 *  4. The connection's counters and defer_foreign_keys are reset when a transaction ends;
 *     a statement that is undone and ROLLBACK TO put the counters back to where they were
 *     when it started / when the savepoint was opened (engine/connection.ts).
 */
import { SqliteError } from "@strata/common";
import { Op } from "./opcodes.js";
import type { VM } from "./vm.js";

export const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
export const FK_MESSAGE = "FOREIGN KEY constraint failed";

/** The connection's deferred counters (SQLite's db->nDeferredCons, nDeferredImmCons). */
export class FkState {
  deferredCons = 0;
  deferredImmCons = 0;
  get total(): number {
    return this.deferredCons + this.deferredImmCons;
  }
  reset(): void {
    this.deferredCons = 0;
    this.deferredImmCons = 0;
  }
}

export function fkError(): SqliteError {
  return new SqliteError("SQLITE_CONSTRAINT_FOREIGNKEY", FK_MESSAGE);
}

function topVm(vm: VM): VM {
  let v = vm;
  while (v.frame !== null && v.frame.parent !== null) v = v.frame.parent;
  return v;
}

export function execFkey(vm: VM, op: number, pc: number): number {
  const prog = vm.prog;
  const fk = vm.host.fk;
  const deferred = prog.p1[pc] !== 0;
  if (op === Op.FkCounter) {
    const n = prog.p2[pc];
    if (vm.host.deferForeignKeys) fk.deferredImmCons += n;
    else if (deferred) fk.deferredCons += n;
    else topVm(vm).nFkConstraint += n;
    return 0;
  }
  // FkIfZero.
  const zero = deferred ? fk.total === 0 : topVm(vm).nFkConstraint === 0 && fk.deferredImmCons === 0;
  if (zero) {
    vm.pc = prog.p2[pc];
    return -1;
  }
  return 0;
}

/** Invariant 2, at the normal end of a top-level program: 0, or the VM's error. */
export function fkHalt(vm: VM): boolean {
  if (vm.nFkConstraint > 0) {
    vm.errorAction = 2;
    vm.error = fkError();
    return true;
  }
  const host = vm.host;
  if (host.fk.total > 0 && host.autocommit && host.soleWriter(vm)) {
    vm.errorAction = 1;
    vm.error = fkError();
    return true;
  }
  return false;
}
