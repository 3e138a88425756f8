/*
 * vdbe/ops-write.ts: the opcodes that change B-trees row by row (SQLite's vdbe.c;
 * https://sqlite.org/opcode.html): Insert, Delete, IdxInsert, IdxDelete.
 *
 * Every handler has the shape of ops-table.ts: (vm, pc) → the next pc.
 *
 * Invariants:
 *  1. Each sets vm.wrote and moves its cursor (c.moved()).
 *  2. Rows count toward changes() only with OPFLAG_NCHANGE (SQLite's Vdbe.nChange).
 *  3. A record kept by an ephemeral tree is owned by it: a record built in the VM's
 *     shared record buffer (OPFLAG_EPHEMREC) is copied first.
 */
import { OPFLAG_APPEND, OPFLAG_LASTROWID, OPFLAG_NCHANGE } from "./opcodes.js";
import type { VM } from "./vm.js";

/** Op.Insert */
export function opInsert(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P5 = vm.p5;
  const regs = vm.regs;
  const host = vm.host;
  const c = vm.cursors[P1[pc]]!;
  const data = regs[P2[pc]].b!;
  const key = regs[P3[pc]];
  if (key.big === null) c.table!.insert(key.i, data);
  else c.table!.insertBig(key.big, data);
  c.moved();
  vm.wrote = true;
  const p5 = P5[pc];
  if ((p5 & OPFLAG_NCHANGE) !== 0) vm.nChange++;
  if ((p5 & OPFLAG_LASTROWID) !== 0) host.setLastInsertRowid(key.big ?? key.i);
  return pc + 1;
}

/** Op.Delete */
export function opDelete(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P5 = vm.p5;
  const c = vm.cursors[P1[pc]]!;
  if (c.tree !== null) c.tree.deleteCurrent(); // an ephemeral queue (codegen/cte.ts)
  else (c.table ?? c.index)!.delete();
  c.moved();
  vm.wrote = true;
  if ((P5[pc] & OPFLAG_NCHANGE) !== 0) vm.nChange++;
  return pc + 1;
}

/** Op.IdxInsert */
export function opIdxInsert(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P5 = vm.p5;
  const regs = vm.regs;
  const c = vm.cursors[P1[pc]]!;
  const rec = regs[P2[pc]].b!;
  if (c.index !== null) c.index.insert(rec, 0, rec.length, (P5[pc] & OPFLAG_APPEND) !== 0);
  else c.tree!.insert(rec.buffer === vm.recbuf.buf.buffer ? rec.slice() : rec); // an ephemeral record is kept: own it
  c.moved();
  vm.wrote = true;
  if ((P5[pc] & OPFLAG_NCHANGE) !== 0) vm.nChange++; // a WITHOUT ROWID table's row
  return pc + 1;
}

/** Op.IdxDelete */
export function opIdxDelete(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const c = vm.cursors[P1[pc]]!;
  const len = vm.key(P2[pc], P3[pc]);
  const r = c.index!.seek(vm.keybuf.buf, 0, 0, len);
  if (r === 0 && !c.index!.eof()) c.index!.delete();
  c.moved();
  return pc + 1;
}
