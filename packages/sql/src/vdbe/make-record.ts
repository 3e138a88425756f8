/*
 * vdbe/make-record.ts: registers to record bytes (OP_MakeRecord; fileformat2.html §2.1
 * "Record Format"), and reading one record column into a register (OP_Column's body,
 * vdbeaux.c sqlite3VdbeSerialGet).
 *
 * Invariants:
 *  1. encodeMems writes into a RecordBuffer that grows and is reused: no allocation per
 *     row unless the record is larger than any before it. The caller copies the bytes when
 *     it keeps them (Insert/IdxInsert hand them to the B-tree, which copies).
 *  2. The serial types chosen are SQLite's (smallest integer type; 8/9 for 0/1 in schema
 *     format 4), so records are byte-identical to SQLite's for the same values.
 *  3. Reading: a REAL NaN reads as NULL; UTF-8 TEXT is copied out as bytes (decoded
 *     lazily, mem.ts invariant 4), UTF-16 TEXT decoded to a string; a BLOB is copied out
 *     of the page (registers own their bytes, mem.ts invariant).
 *  4. view(len) aliases the buffer: it is handed only to a MakeRecord flagged
 *     OPFLAG_EPHEMREC, whose record the very next instruction (Insert / IdxInsert /
 *     SorterInsert, which copy it into the B-tree or the sorter's arena; an ephemeral
 *     tree that keeps records gets a copy) consumes and nothing reads afterwards.
 */
import {
  putVarint32, varintSize, serialTypeOfInt, putReal, encodeTextInto, textLength, SQLITE_INTEGER,
  SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, TEXT_ENCODING_UTF8, type RecordReader, type TextEncoding,
  readSerialInt, readSerialBigInt,
} from "@strata/common";
import { memText, type Mem } from "./mem.js";

export class RecordBuffer {
  buf: Uint8Array = new Uint8Array(256);
  /** A DataView over buf (TEXT bytes are copied in four at a time). */
  private dv: DataView = new DataView(this.buf.buffer);
  len = 0;
  private readonly types: number[] = [];
  /** views[len] = buf.subarray(0, len), made once per length (view()). */
  private views: (Uint8Array | undefined)[] = [];
  ensure(n: number): void {
    if (this.buf.length < n) {
      let m = this.buf.length * 2;
      while (m < n) m *= 2;
      this.buf = new Uint8Array(m);
      this.dv = new DataView(this.buf.buffer);
      this.views = [];
    }
  }
  /** The first `len` bytes as a view that the next encode overwrites (invariant 4); no
   *  allocation once a record of this length has been seen. */
  view(len: number): Uint8Array {
    if (len > 2048) return this.buf.subarray(0, len);
    let v = this.views[len];
    if (v === undefined) {
      while (this.views.length < len) this.views.push(undefined);
      v = this.buf.subarray(0, len);
      this.views[len] = v;
    }
    return v;
  }
  /** The record as a new array (for values that outlive the buffer). */
  copy(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** Encodes regs[first..first+n) into this buffer; returns the length. */
  encodeMems(regs: readonly Mem[], first: number, n: number, enc: TextEncoding): number {
    const types = this.types;
    let hdr = 0;
    let body = 0;
    for (let k = 0; k < n; k++) {
      const m = regs[first + k];
      let st: number;
      let len: number;
      switch (m.type) {
        case SQLITE_INTEGER:
          if (m.big !== null) { st = 6; len = 8; } else {
            st = serialTypeOfInt(m.i, true);
            len = st === 5 ? 6 : st === 6 ? 8 : st >= 8 ? 0 : st;
          }
          break;
        case SQLITE_FLOAT: st = 7; len = 8; break;
        case SQLITE_TEXT:
          // Lazy TEXT (mem.ts invariant 4): its UTF-8 bytes go in as they are.
          len = m.tl >= 0 && enc === TEXT_ENCODING_UTF8 ? m.tl : textLength(memText(m), enc);
          st = len * 2 + 13;
          break;
        case SQLITE_BLOB: len = m.b!.length; st = len * 2 + 12; break;
        default: st = 0; len = 0;
      }
      types[k] = st;
      hdr += varintSize(st);
      body += len;
    }
    const n1 = varintSize(hdr + 1);
    let hdrSize = hdr + n1;
    if (varintSize(hdrSize) !== n1) hdrSize++;
    const total = hdrSize + body;
    this.ensure(total);
    const out = this.buf;
    let h = putVarint32(out, 0, hdrSize);
    let p = hdrSize;
    for (let k = 0; k < n; k++) {
      const st = types[k];
      h += putVarint32(out, h, st);
      const m = regs[first + k];
      if (st === 0 || st === 8 || st === 9) continue;
      if (st === 7) { putReal(out, p, m.r); p += 8; continue; }
      if (st <= 6) { p = putInt(out, p, st, m); continue; }
      if ((st & 1) === 1) {
        if (m.tl >= 0 && enc === TEXT_ENCODING_UTF8) {
          const tb = m.tb;
          const tv = m.tv;
          const dv = this.dv;
          const n = m.tl;
          let j = 0;
          for (; j + 4 <= n; j += 4) dv.setUint32(p + j, tv.getUint32(j));
          for (; j < n; j++) out[p + j] = tb[j];
          p += n;
        } else p += encodeTextInto(memText(m), out, p, enc);
      }
      else { out.set(m.b!, p); p += m.b!.length; }
    }
    this.len = total;
    return total;
  }
}

function putInt(out: Uint8Array, p: number, st: number, m: Mem): number {
  const n = st === 5 ? 6 : st === 6 ? 8 : st;
  if (m.big !== null || n === 8) {
    let v = BigInt.asUintN(64, m.big ?? BigInt(m.i));
    for (let k = 7; k >= 0; k--) { out[p + k] = Number(v & 0xffn); v >>= 8n; }
    return p + 8;
  }
  let v = m.i;
  if (n === 6) {
    // 48-bit: high 16 bits, then low 32 bits.
    const lo = v >>> 0 === v ? v : ((v % 4294967296) + 4294967296) % 4294967296;
    const hi = Math.floor((v - lo) / 4294967296);
    out[p] = (hi >> 8) & 0xff;
    out[p + 1] = hi & 0xff;
    out[p + 2] = (lo >>> 24) & 0xff;
    out[p + 3] = (lo >>> 16) & 0xff;
    out[p + 4] = (lo >>> 8) & 0xff;
    out[p + 5] = lo & 0xff;
    return p + 6;
  }
  for (let k = n - 1; k >= 0; k--) { out[p + k] = v & 0xff; v >>= 8; }
  return p + n;
}

/** Reads column `i` of the record under `rd` into `m` (invariant 3). */
export function readColumn(rd: RecordReader, i: number, m: Mem): void {
  const st = rd.serialType(i);
  if (st === 0) { m.setNull(); return; }
  // One header lookup; the body is decoded here from its offset.
  const buf = rd.buf;
  const off = rd.parsedOffset(i);
  if (st === 7) { m.setReal(rd.realAt(off)); return; }
  if (st < 12) {
    const v = readSerialInt(buf, off, st);
    if (v === v) m.setInt(v);
    else m.setBigInt(readSerialBigInt(buf, off, st));
    return;
  }
  if ((st & 1) === 1) {
    // UTF-8 text stays bytes until something needs the string (mem.ts invariant 4).
    if (rd.encoding === TEXT_ENCODING_UTF8) m.setTextBytes(buf, rd.dataView(), off, off + ((st - 13) >>> 1));
    else m.setText(rd.getText(i));
  }
  else m.setBlob(buf.slice(off, off + ((st - 12) >>> 1)));
}
