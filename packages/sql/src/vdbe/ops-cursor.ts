/*
 * vdbe/ops-cursor.ts: the opcodes that open, move and read cursors (SQLite's vdbe.c;
 * https://sqlite.org/opcode.html): OpenRead/OpenWrite/OpenEphemeral/SorterOpen/OpenPseudo,
 * Rewind/Last/Next/Prev, the sorter opcodes, Column and Rowid, the seeks (SeekRowid,
 * NotExists, SeekGE..SeekLT), the index comparisons (IdxGE..IdxLT), DeferredSeek and the
 * key probes (Found, NotFound, NoConflict).
 *
 * Every handler has the shape of ops-table.ts: (vm, pc) → the next pc, or minus a result
 * code to leave the loop.
 *
 * Invariants:
 *  1. Every move of a cursor calls c.moved() (its decoded record is stale: cursor.ts).
 *  2. Next/Prev check the interrupt flag (every scan's back edge).
 *  3. A cursor reused by Open* keeps its B-tree cursor when root, mode and key info match
 *     (cursor.ts invariant 5): reopening a statement allocates nothing.
 */
import { SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, compareRecordRanges, type KeyInfo } from "@strata/common";
import { recordComparator } from "@strata/pager";
import { CURSOR_EPHEMERAL, CURSOR_INDEX, CURSOR_PSEUDO, CURSOR_SORTER, CURSOR_TABLE, type VdbeCursor } from "./cursor.js";
import { RecordTree } from "./record-tree.js";
import { readColumn } from "./make-record.js";
import { type Mem, applyAffinity } from "./mem.js";
import { AFF_NUMERIC, Op } from "./opcodes.js";
import type { VM } from "./vm.js";

/** Op.OpenRead, Op.OpenWrite */
export function opOpenBtree(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const P5 = vm.p5;
  const regs = vm.regs;
  const host = vm.host;
  const write = op === Op.OpenWrite;
  const root = P5[pc] === 2 ? regs[P2[pc]].i : P2[pc];
  const p4 = P4[pc];
  const bt = P3[pc] === 0 ? host.btree : host.dbs[P3[pc]].btree!;
  if (typeof p4 === "number") {
    const c = vm.openCursor(P1[pc], CURSOR_TABLE);
    c.table = vm.tableCursor(c, bt, root, write);
    c.nField = p4;
  } else {
    const c = vm.openCursor(P1[pc], CURSOR_INDEX);
    c.keyInfo = p4 as KeyInfo;
    const s = c.spareIndex;
    if (s !== null && s.root === root && s.writable === write && c.spareKeyInfo === c.keyInfo && bt.reopenCursor(s)) c.index = s;
    else c.index = bt.indexCursor(root, recordComparator(c.keyInfo), write);
    c.nField = c.keyInfo.nField;
  }
  return pc + 1;
}

/** Op.OpenEphemeral, Op.SorterOpen */
export function opOpenEphemeral(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P4 = vm.p4;
  const c = vm.openCursor(P1[pc], op === Op.SorterOpen ? CURSOR_SORTER : CURSOR_EPHEMERAL);
  c.keyInfo = P4[pc] as KeyInfo;
  if (op === Op.SorterOpen) {
    c.set = c.newSorterSet(c.keyInfo);
    if (vm.p3[pc] !== 0) c.set.setLimit(sorterLimit(vm, vm.p3[pc], vm.p5[pc]));
  } else c.tree = new RecordTree(c.keyInfo);
  c.nField = P2[pc];
  return pc + 1;
}

/** SorterOpen's top-N size: LIMIT r[limReg] plus OFFSET r[offReg] (0: none) after
 *  MustBeInt; -1 (keep every record) for no limit (negative) or a huge one. */
function sorterLimit(vm: VM, limReg: number, offReg: number): number {
  const lim = vm.regs[limReg];
  if (lim.type !== SQLITE_INTEGER || lim.big !== null || lim.i < 0) return -1;
  let n = lim.i;
  if (offReg !== 0) {
    const off = vm.regs[offReg];
    if (off.type !== SQLITE_INTEGER || off.big !== null) return -1;
    if (off.i > 0) n += off.i;
  }
  return n > 1000000 ? -1 : n;
}

/** Op.OpenPseudo */
export function opOpenPseudo(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const c = vm.openCursor(P1[pc], CURSOR_PSEUDO);
  c.pseudoReg = P2[pc];
  c.nField = P3[pc];
  return pc + 1;
}

/** Op.Close */
export function opClose(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const c = vm.cursors[P1[pc]];
  if (c !== null) { c.close(); vm.cursors[P1[pc]] = null; }
  return pc + 1;
}

/** Op.NullRow */
export function opNullRow(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const c = vm.cursors[P1[pc]]!;
  c.seq++;
  c.nullRow = true;
  c.deferredFrom = null;
  return pc + 1;
}

/** Op.Rewind, Op.Last */
export function opRewind(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const c = vm.cursors[P1[pc]]!;
  c.moved();
  let ok: boolean;
  if (c.tree !== null) ok = op === Op.Rewind ? c.tree.rewind() : c.tree.last();
  else if (c.set !== null) {
    c.set.pos = op === Op.Rewind ? 0 : c.set.count - 1;
    ok = c.set.count > 0;
  } else {
    const bc = (c.table ?? c.index)!;
    ok = op === Op.Rewind ? bc.first() : bc.last();
  }
  if (!ok) return P2[pc];
  return pc + 1;
}

/** Op.Next, Op.Prev */
export function opNext(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const host = vm.host;
  if (host.interrupted) return -vm.interrupt(pc);
  const c = vm.cursors[P1[pc]]!;
  // A cursor set to its NULL row (the unmatched row of a LEFT JOIN) has no next row.
  if (c.nullRow) return pc + 1;
  c.moved();
  let ok: boolean;
  if (c.tree !== null) ok = op === Op.Next ? c.tree.next() : c.tree.prev();
  else if (c.set !== null) {
    c.set.pos += op === Op.Next ? 1 : -1;
    ok = c.set.pos >= 0 && c.set.pos < c.set.count;
  } else {
    const bc = (c.table ?? c.index)!;
    ok = op === Op.Next ? bc.next() : bc.prev();
  }
  if (ok) return P2[pc];
  return pc + 1;
}

/** Op.SorterSort */
export function opSorterSort(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const c = vm.cursors[P1[pc]]!;
  c.set!.sort();
  c.set!.pos = 0;
  c.moved();
  if (c.set!.count === 0) return P2[pc];
  return pc + 1;
}

/** Op.SorterNext */
export function opSorterNext(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const host = vm.host;
  if (host.interrupted) return -vm.interrupt(pc);
  const c = vm.cursors[P1[pc]]!;
  c.moved();
  if (++c.set!.pos < c.set!.count) return P2[pc];
  return pc + 1;
}

/** Op.SorterInsert */
export function opSorterInsert(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  const c = vm.cursors[P1[pc]]!;
  // The register's blob is never written in place (mem.ts), so the tree keeps it;
  // the sorter copies it into its arena.
  const rec = regs[P2[pc]].b!;
  if (c.tree !== null) c.tree.insert(rec.buffer === vm.recbuf.buf.buffer ? rec.slice() : rec); // own an ephemeral record
  else c.set!.push(rec);
  return pc + 1;
}

/** Op.SorterData */
export function opSorterData(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const c = vm.cursors[P1[pc]]!;
  const s = c.set!;
  const ps = vm.cursors[P3[pc]];
  if (ps !== null && ps.kind === CURSOR_PSEUDO && ps.pseudoReg === P2[pc]) {
    // The pseudo-cursor reads the record in the arena (no copy, no register blob).
    ps.sorterSrc = s;
    ps.srcStart = s.startAt(s.pos);
    ps.srcEnd = s.endAt(s.pos);
    ps.seq++;
  } else {
    regs[P2[pc]].setBlob(s.recordAt(s.pos));
    if (ps !== null) ps.seq++;
  }
  return pc + 1;
}

/** Op.Column */
export function opColumn(vm: VM, pc: number): number {
  const c = vm.cursors[vm.p1[pc]]!;
  const dest = vm.regs[vm.p3[pc]];
  // parsedSeq === seq: the reader is on this row, so no deferred seek is pending and the
  // cursor is not on its NULL row (both change seq; cursor.ts invariant 1).
  if (c.parsedSeq !== c.seq && !loadRow(vm, c)) {
    dest.setNull();
    return pc + 1;
  }
  const col = vm.p2[pc];
  const dflt = vm.p4[pc];
  if (dflt !== null && col >= c.reader.columnCount) dest.copyFrom(dflt as Mem);
  else readColumn(c.reader, col, dest);
  // OPFLAG_REALAFF: RealAffinity folded in.
  if (vm.p5[pc] !== 0 && dest.type === SQLITE_INTEGER) dest.setReal(dest.big !== null ? Number(dest.big) : dest.i);
  return pc + 1;
}

/** Column's first read of a row: finishes a deferred seek and points the reader at the
 *  row; false when there is no row (the NULL row, or a B-tree cursor not on an entry). */
export function loadRow(vm: VM, c: VdbeCursor): boolean {
  if (c.deferredFrom !== null) vm.finishDeferredSeek(c);
  if (c.nullRow) return false;
  if (c.parsedSeq === c.seq) return true;
  if (c.kind === CURSOR_TABLE || c.kind === CURSOR_INDEX) return c.loadBtree();
  if (c.kind === CURSOR_PSEUDO) {
    if (c.sorterSrc !== null) c.reader.reset(c.sorterSrc.buf, c.srcStart, c.srcEnd);
    else {
      const m = vm.regs[c.pseudoReg];
      c.reader.reset(m.b!, 0, m.b!.length);
    }
    c.parsedSeq = c.seq;
  } else c.loadKey();
  return true;
}

/** Op.Rowid, Op.IdxRowid */
export function opRowid(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const regs = vm.regs;
  const c = vm.cursors[P1[pc]]!;
  const dest = regs[P2[pc]];
  if (c.nullRow) { dest.setNull(); return pc + 1; }
  if (op === Op.Rowid && c.deferredFrom !== null) {
    vm.idxRowid(c.deferredFrom, dest);
    return pc + 1;
  }
  if (c.table !== null) {
    const t = c.table;
    if (t.rowidIsSafe()) dest.setInt(t.rowid());
    else dest.setBigInt(t.rowidBig());
  } else vm.idxRowid(c, dest);
  return pc + 1;
}

/** Op.SeekRowid, Op.NotExists */
export function opSeekRowid(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const regs = vm.regs;
  const c = vm.cursors[P1[pc]]!;
  const k = regs[P3[pc]];
  c.moved();
  c.deferredFrom = null;
  let found: boolean;
  if (k.type === SQLITE_INTEGER) found = (k.big === null ? c.table!.seek(k.i) : c.table!.seekBig(k.big)) === 0;
  else {
    // SQLite's OP_SeekRowid: a copy of the key gets NUMERIC affinity (numeric text and a
    // whole REAL become INTEGER); anything still not an INTEGER (NULL, a BLOB, other
    // text, a fractional REAL) finds no row. The WHERE term is not re-checked after it.
    const m = vm.cmpA;
    m.copyFrom(k);
    applyAffinity(m, AFF_NUMERIC);
    found = m.type === SQLITE_INTEGER && (m.big === null ? c.table!.seek(m.i) : c.table!.seekBig(m.big)) === 0;
  }
  if (!found) return P2[pc];
  return pc + 1;
}

/** Op.SeekGE, Op.SeekGT, Op.SeekLE, Op.SeekLT */
export function opSeekKey(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const c = vm.cursors[P1[pc]]!;
  c.moved();
  if (vm.seek(c, op, P3[pc], P4[pc] as number)) return pc + 1;
  return P2[pc];
}

/** Op.IdxGE, Op.IdxGT, Op.IdxLE, Op.IdxLT */
export function opIdxCompare(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const c = vm.cursors[P1[pc]]!;
  const len = vm.key(P3[pc], P4[pc] as number);
  if (c.parsedSeq !== c.seq) c.loadKey();
  const rd = c.reader;
  const res = compareRecordRanges(rd.buf, rd.start, rd.end, vm.keybuf.buf, 0, len, c.keyInfo!, 0);
  let jump: boolean;
  switch (op) {
    case Op.IdxGE: jump = res >= 0; break;
    case Op.IdxGT: jump = res > 0; break;
    case Op.IdxLE: jump = res <= 0; break;
    default: jump = res < 0;
  }
  if (jump) return P2[pc];
  return pc + 1;
}

/** Op.DeferredSeek */
export function opDeferredSeek(vm: VM, pc: number): number {
  const P1 = vm.p1;
  const P3 = vm.p3;
  const t = vm.cursors[P3[pc]]!;
  t.deferredFrom = vm.cursors[P1[pc]]!;
  t.seq++;
  t.nullRow = false;
  return pc + 1;
}

/** Op.NoConflict, Op.Found, Op.NotFound */
export function opKeyProbe(vm: VM, pc: number): number {
  const op = vm.opcode[pc];
  const P1 = vm.p1;
  const P2 = vm.p2;
  const P3 = vm.p3;
  const P4 = vm.p4;
  const regs = vm.regs;
  const c = vm.cursors[P1[pc]]!;
  const first = P3[pc];
  const n = P4[pc] as number;
  if (op === Op.NoConflict) {
    let hasNull = false;
    for (let k = 0; k < n; k++) if (regs[first + k].type === SQLITE_NULL) hasNull = true;
    if (hasNull) return P2[pc];
  }
  const found = vm.findKey(c, first, n);
  if (found === (op === Op.Found)) return P2[pc];
  return pc + 1;
}
