/*
 * vdbe/ops-index.ts: the opcodes that fill an index from its table in key order (CREATE
 * INDEX and REINDEX, codegen/reindex.ts fillIndex; SQLite's sqlite3RefillIndex).
 *
 * Every handler has the shape of ops-table.ts: (vm, pc) → the next pc.
 *
 *   SorterInsertIdx P1 sorter, P2 table cursor, P4 fields (Int32Array): adds the index
 *     entry of the table cursor's current row to the sorter, built from the row's record
 *     bytes without decoding: entry field k is a byte copy of the row's record field
 *     P4[k] (serial type and body), P4[k] = -1 the rowid (SQLite has no such opcode: it
 *     runs Column per key column, Rowid, MakeRecord, SorterInsert).
 *   SorterCompare P1 sorter, P2 target, P3 record register, P4 KeyInfo: jumps to P2 unless
 *     the sorter's current record equals the record in r[P3] on P4's fields (SQLite's
 *     OP_SorterCompare); a NULL among those fields of r[P3] counts as different.
 *
 * Invariants:
 *  1. SorterInsertIdx writes the record MakeRecord would write for the same fields, as
 *     long as codegen uses it only where that holds: plain stored columns whose values are
 *     in the record as the column's affinity left them (not REAL: Column turns a stored
 *     integer into a REAL there), whose missing fields read as NULL (no DEFAULT, i.e. not
 *     added by ALTER TABLE ADD COLUMN with a default), of a rowid table. The rowid gets
 *     MakeRecord's serial type (smallest integer type, 8/9 for 0/1).
 *  2. Records are checked as RecordReader checks them (serialType parses and validates
 *     the row's header as far as the highest field used).
 */
import { compareRecordRanges, getVarint32, lastVarintLen, putVarint32, serialTypeLen, serialTypeOfInt, varintSize, type KeyInfo } from "@strata/common";
import type { VM } from "./vm.js";

const TWO_32 = 4294967296;

/** Op.SorterInsertIdx */
export function opSorterInsertIdx(vm: VM, pc: number): number {
  const sorter = vm.cursors[vm.prog.p1[pc]]!;
  const tc = vm.cursors[vm.prog.p2[pc]]!;
  const fields = vm.prog.p4[pc] as Int32Array;
  if (tc.parsedSeq !== tc.seq && !tc.loadBtree()) throw new Error("internal: SorterInsertIdx on a cursor not on a row");
  const rd = tc.reader;
  const t = tc.table!;
  // Rowid: a safe number (the usual case) or a bigint's 64 bits.
  let rowid = 0;
  let big: bigint | null = null;
  if (t.rowidIsSafe()) rowid = t.rowid();
  else big = t.rowidBig();
  const rowidSt = big !== null ? 6 : serialTypeOfInt(rowid, true);
  let hdr = 0;
  let body = 0;
  const n = fields.length;
  for (let k = 0; k < n; k++) {
    const f = fields[k];
    const st = f < 0 ? rowidSt : rd.serialType(f);
    hdr += st < 0x80 ? 1 : varintSize(st);
    body += serialTypeLen(st);
  }
  const n1 = varintSize(hdr + 1);
  let hdrSize = hdr + n1;
  if (varintSize(hdrSize) !== n1) hdrSize++;
  const total = hdrSize + body;
  const rb = vm.recbuf;
  rb.ensure(total);
  const out = rb.buf;
  const src = rd.buf;
  let h = putVarint32(out, 0, hdrSize);
  let p = hdrSize;
  for (let k = 0; k < n; k++) {
    const f = fields[k];
    if (f < 0) {
      if (rowidSt < 0x80) out[h++] = rowidSt;
      else h += putVarint32(out, h, rowidSt);
      p = putRowid(out, p, rowidSt, rowid, big);
      continue;
    }
    const st = rd.serialType(f);
    if (st < 0x80) out[h++] = st;
    else h += putVarint32(out, h, st);
    const len = serialTypeLen(st);
    if (len === 0) continue;
    const from = rd.parsedOffset(f);
    // A native copy: a byte loop runs interpreted for a while in a cold process.
    if (len <= 8) for (let j = 0; j < len; j++) out[p + j] = src[from + j];
    else out.set(src.subarray(from, from + len), p);
    p += len;
  }
  sorter.set!.push(rb.view(total)); // a view of the whole record: the arena copies it natively
  return pc + 1;
}

/** Writes the rowid's body for serial type st at out[p]; returns the offset after it. */
function putRowid(out: Uint8Array, p: number, st: number, v: number, big: bigint | null): number {
  if (st >= 8) return p; // 0 and 1 are in the serial type
  let hi: number;
  let lo: number;
  if (big !== null) {
    const u = BigInt.asUintN(64, big);
    hi = Number(u >> 32n) | 0;
    lo = Number(u & 0xffffffffn);
  } else {
    hi = Math.floor(v / TWO_32);
    lo = v - hi * TWO_32;
  }
  const len = st === 5 ? 6 : st === 6 ? 8 : st;
  // Big-endian: the low 4 bytes from lo, any higher ones from hi.
  for (let j = len - 1, x = lo; j >= len - 4 && j >= 0; j--) {
    out[p + j] = x & 0xff;
    x = Math.floor(x / 256);
  }
  for (let j = len - 5, x = hi; j >= 0; j--) {
    out[p + j] = x & 0xff;
    x >>= 8;
  }
  return p + len;
}

/** Op.SorterCompare */
export function opSorterCompare(vm: VM, pc: number): number {
  const s = vm.cursors[vm.prog.p1[pc]]!.set!;
  const prev = vm.regs[vm.prog.p3[pc]].b!;
  const ki = vm.prog.p4[pc] as KeyInfo;
  // A NULL key field never conflicts (the previous record's header, as far as nField).
  const hdrSize = getVarint32(prev, 0);
  let h = lastVarintLen();
  for (let i = 0; i < ki.nField && h < hdrSize; i++) {
    const st = getVarint32(prev, h);
    if (st === 0) return vm.prog.p2[pc];
    h += lastVarintLen();
  }
  if (compareRecordRanges(s.buf, s.startAt(s.pos), s.endAt(s.pos), prev, 0, prev.length, ki, 0) !== 0) return vm.prog.p2[pc];
  return pc + 1;
}
