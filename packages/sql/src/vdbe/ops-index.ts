/*
 * vdbe/ops-index.ts: the opcodes that fill an index from its table in key order (CREATE
 * INDEX and REINDEX, codegen/reindex.ts fillIndex; SQLite's sqlite3RefillIndex).
 *
 * Every handler has the shape of ops-table.ts: (vm, pc) → the next pc.
 *
 *   SorterInsertIdx P1 sorter, P2 cursor, P4 RowFields: adds a record of fields of the
 *     cursor's current row to the sorter, built from the row's record bytes without
 *     decoding: field k is a byte copy of the row's record field fields[k] (serial type
 *     and body), -1 the rowid of a table cursor. CREATE INDEX uses it for index entries,
 *     and GROUP BY / ORDER BY for sorter records of plain columns (codegen/sorter-fields.ts).
 *     SQLite has no such opcode: it runs Column per field, MakeRecord, SorterInsert.
 *   SorterCompare P1 sorter, P2 target, P3 record register, P4 KeyInfo: jumps to P2 unless
 *     the sorter's current record equals the record in r[P3] on P4's fields (SQLite's
 *     OP_SorterCompare); a NULL among those fields of r[P3] counts as different.
 *
 * Invariants:
 *  1. SorterInsertIdx writes the record that Column of each field (with OPFLAG_REALAFF
 *     where `real` says so) and then MakeRecord would write, as long as codegen uses it
 *     only for fields whose missing values read as NULL (no DEFAULT, i.e. not added by
 *     ALTER TABLE ADD COLUMN with a default): a stored NaN is written as NULL, an integer
 *     of a REAL column as a REAL, the NULL row as all NULLs, and the rowid gets
 *     MakeRecord's serial type (smallest integer type, 8/9 for 0/1).
 *  2. Records are checked as RecordReader checks them (serialType parses and validates
 *     the row's header as far as the highest field used).
 */
import {
  compareRecordRanges, getVarint32, lastVarintLen, putReal, putVarint32, readSerialBigInt, readSerialInt, serialTypeLen,
  serialTypeOfInt, varintSize, type KeyInfo,
} from "@strata/common";
import type { VdbeCursor } from "./cursor.js";
import { loadRow } from "./ops-cursor.js";
import type { VM } from "./vm.js";

const TWO_32 = 4294967296;

/**
 * SorterInsertIdx's P4: record field k is field `fields[k]` of the cursor's current row
 * (-1: the rowid of a table cursor); `real[k]` = 1 marks a REAL-affinity column, whose
 * stored integer becomes a REAL as Column's OPFLAG_REALAFF makes it (null: none).
 */
export interface RowFields {
  readonly fields: Int32Array;
  readonly real: Uint8Array | null;
}

/** Op.SorterInsertIdx */
export function opSorterInsertIdx(vm: VM, pc: number): number {
  const sorter = vm.cursors[vm.p1[pc]]!;
  const tc = vm.cursors[vm.p2[pc]]!;
  const { fields, real } = vm.p4[pc] as RowFields;
  const set = sorter.set;
  if (tc.parsedSeq !== tc.seq && !loadRow(vm, tc)) {
    // The NULL row (an outer join's unmatched side): every field NULL, as Column gives.
    const n = fields.length;
    const rb = vm.recbuf;
    rb.ensure(n + 2);
    const total = putVarint32(rb.buf, 0, n + 1) + n;
    rb.buf.fill(0, total - n, total);
    if (sorter.tree !== null) sorter.tree.insert(rb.buf.slice(0, total));
    else set!.push(rb.view(total));
    return pc + 1;
  }
  const total = rowRecordSize(tc, fields, real);
  if (sorter.tree === null && !set!.topN) {
    // Straight into the sorter's arena: no record buffer in between.
    const at = set!.reserve(total);
    writeRowRecord(set!.buf, at, tc, fields, real);
    set!.commitReserved(total);
  } else {
    const rb = vm.recbuf;
    rb.ensure(total);
    writeRowRecord(rb.buf, 0, tc, fields, real);
    // A tree keeps what it is given (an own copy); a top-N set copies what it keeps.
    if (sorter.tree !== null) sorter.tree.insert(rb.buf.slice(0, total));
    else set!.push(rb.view(total));
  }
  return pc + 1;
}

/** Serial type 7 whose body is a NaN (it reads as NULL). */
function isNaNBody(b: Uint8Array, p: number): boolean {
  return (b[p] & 0x7f) === 0x7f && (b[p + 1] & 0xf0) === 0xf0 &&
    ((b[p + 1] & 0x0f) | b[p + 2] | b[p + 3] | b[p + 4] | b[p + 5] | b[p + 6] | b[p + 7]) !== 0;
}

/** The serial type field k is written with (invariant 1). */
function fieldType(src: Uint8Array, rd: VdbeCursor["reader"], f: number, realAff: boolean): number {
  const st = rd.serialType(f);
  if (st === 7) return isNaNBody(src, rd.parsedOffset(f)) ? 0 : 7;
  if (realAff && st !== 0 && st < 10) return 7;
  return st;
}

// What rowRecordSize found, for writeRowRecord right after it: the rowid (a safe number,
// or a bigint's 64 bits), its serial type, and the record's header size.
let rowidNum = 0;
let rowidBig: bigint | null = null;
let rowidSt = 0;
let hdrSize = 0;

/** The length of the record of `fields` of c's loaded row (and the scratch above). */
function rowRecordSize(c: VdbeCursor, fields: Int32Array, real: Uint8Array | null): number {
  const rd = c.reader;
  const src = rd.buf;
  const n = fields.length;
  rowidBig = null;
  let hdr = 0;
  let body = 0;
  for (let k = 0; k < n; k++) {
    const f = fields[k];
    let st: number;
    if (f < 0) {
      const t = c.table!;
      if (t.rowidIsSafe()) rowidNum = t.rowid();
      else rowidBig = t.rowidBig();
      st = rowidSt = rowidBig !== null ? 6 : serialTypeOfInt(rowidNum, true);
    } else st = fieldType(src, rd, f, real !== null && real[k] === 1);
    hdr += st < 0x80 ? 1 : varintSize(st);
    body += serialTypeLen(st);
  }
  const n1 = varintSize(hdr + 1);
  hdrSize = hdr + n1;
  if (varintSize(hdrSize) !== n1) hdrSize++;
  return hdrSize + body;
}

/** Writes the record rowRecordSize just measured at out[at..]. */
function writeRowRecord(out: Uint8Array, at: number, c: VdbeCursor, fields: Int32Array, real: Uint8Array | null): void {
  const rd = c.reader;
  const src = rd.buf;
  const n = fields.length;
  let h = at + putVarint32(out, at, hdrSize);
  let p = at + hdrSize;
  for (let k = 0; k < n; k++) {
    const f = fields[k];
    if (f < 0) {
      if (rowidSt < 0x80) out[h++] = rowidSt;
      else h += putVarint32(out, h, rowidSt);
      p = putRowid(out, p, rowidSt, rowidNum, rowidBig);
      continue;
    }
    const stored = rd.serialType(f);
    const st = fieldType(src, rd, f, real !== null && real[k] === 1);
    if (st < 0x80) out[h++] = st;
    else h += putVarint32(out, h, st);
    if (st !== stored) {
      // An integer of a REAL column, as a REAL; or a NaN, as NULL (no body).
      if (st === 7) {
        const v = readSerialInt(src, rd.parsedOffset(f), stored);
        putReal(out, p, v === v ? v : Number(readSerialBigInt(src, rd.parsedOffset(f), stored)));
        p += 8;
      }
      continue;
    }
    const len = serialTypeLen(st);
    if (len === 0) continue;
    const from = rd.parsedOffset(f);
    // Short fields by a loop (subarray + set costs ~35 ns whatever the length), long
    // ones natively.
    if (len <= 64) for (let j = 0; j < len; j++) out[p + j] = src[from + j];
    else out.set(src.subarray(from, from + len), p);
    p += len;
  }
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
  const s = vm.cursors[vm.p1[pc]]!.set!;
  const prev = vm.regs[vm.p3[pc]].b!;
  const ki = vm.p4[pc] as KeyInfo;
  // A NULL key field never conflicts (the previous record's header, as far as nField).
  const hdrSize = getVarint32(prev, 0);
  let h = lastVarintLen();
  for (let i = 0; i < ki.nField && h < hdrSize; i++) {
    const st = getVarint32(prev, h);
    if (st === 0) return vm.p2[pc];
    h += lastVarintLen();
  }
  if (compareRecordRanges(s.buf, s.startAt(s.pos), s.endAt(s.pos), prev, 0, prev.length, ki, 0) !== 0) return vm.p2[pc];
  return pc + 1;
}
