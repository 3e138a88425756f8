/*
 * The record format (fileformat2.html §2.1 "Record Format"): a varint header size
 * (counting itself), one varint serial type per column, then the column bodies in order.
 *
 *   serial type   body bytes   meaning
 *   0             0            NULL
 *   1..6          1,2,3,4,6,8  big-endian two's-complement integer
 *   7             8            big-endian IEEE 754 double
 *   8, 9          0            the integers 0 and 1 (schema format 4 only)
 *   10, 11        -            reserved: a record using them is corrupt
 *   N >= 12 even  (N-12)/2     BLOB
 *   N >= 13 odd   (N-13)/2     TEXT in the database's text encoding
 *
 * Value representation (the INTEGER / REAL choice). Values to encode are `SqlValue`:
 *   null                 -> NULL
 *   number, safe integer -> INTEGER (smallest serial type; 8/9 unless fileFormat < 4)
 *   number, otherwise    -> REAL (fractions, NaN, ±Infinity, and integral doubles outside
 *                           ±(2^53-1); pass a bigint to store those as INTEGER)
 *   Real (tagged class)  -> always REAL, even when whole (real(1) is stored as 1.0,
 *                           serial 7); `Real` keeps the storage class a JS number loses
 *   bigint               -> INTEGER (must lie in int64; RangeError otherwise)
 *   string               -> TEXT, in the record's text encoding (UTF-8 by default)
 *   Uint8Array           -> BLOB
 * A REAL NaN is stored as NULL, as SQLite does (sqlite3VdbeMemSetDouble).
 *
 * Decoding is lazy: one RecordReader per cursor, `reset()` on each row, columns parsed
 * from the header only as far as the highest column asked for.
 *
 * Invariants:
 *  1. recordSize(v) === encodeRecord(v).length === encodeRecordInto(v, out, off).
 *  2. Decoding never reads outside [start, end): a header size outside [1, end-start],
 *     a serial type varint running past the header, serial type 10/11, a body running past
 *     `end`, or (once the header is fully parsed) bodies not ending exactly at `end` throw
 *     corrupt() (SQLITE_CORRUPT). No other error is thrown on any input bytes.
 *  3. A column index at or past the record's column count reads as NULL
 *     (ALTER TABLE ADD COLUMN rows).
 *  4. RecordReader allocates nothing per row: reset() and the typed getters reuse its
 *     arrays (they grow only when a wider record is seen); dataView() makes one DataView
 *     per buffer it is pointed at (per page, not per row). getText allocates the string;
 *     getBlob returns a view (subarray) of the caller's buffer; getValue copies blobs.
 *  5. A stored REAL NaN reads as NULL (SQLite's sqlite3VdbeSerialGet does the same).
 */
import { corrupt, SqliteError } from "./sqlite-error.js";
import { getVarint32, lastVarintLen, putVarint32, varintSize } from "./varint.js";
import {
  decodeText, encodeTextInto, textLength, TEXT_ENCODING_UTF8, type TextEncoding,
} from "./utf.js";

/** A value whose storage class is REAL even when it is a whole number. */
export class Real {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** Tags `x` as a REAL. */
export function real(x: number): Real {
  return new Real(x);
}

/** Any value a record column can hold (see the header for how each is stored). */
export type SqlValue = null | number | bigint | string | Uint8Array | Real;

/** Storage classes, with sqlite3.h's fundamental datatype numbers. */
export const SQLITE_INTEGER = 1;
export const SQLITE_FLOAT = 2;
export const SQLITE_TEXT = 3;
export const SQLITE_BLOB = 4;
export const SQLITE_NULL = 5;
export type StorageClass = 1 | 2 | 3 | 4 | 5;

export interface RecordOptions {
  /** Text encoding of the database (header offset 56); default 1 (UTF-8). */
  textEncoding?: TextEncoding;
  /** Schema format number (header offset 44); below 4, serial types 8/9 are not used. Default 4. */
  fileFormat?: number;
}

const TWO_32 = 4294967296;

// ---------------------------------------------------------------------------------------
// Serial types

/** The number of body bytes of serial type `st` (10 and 11 give 0; they are corrupt anyway). */
export function serialTypeLen(st: number): number {
  if (st >= 12) return (st - 12) >>> 1;
  switch (st) {
    case 1: return 1;
    case 2: return 2;
    case 3: return 3;
    case 4: return 4;
    case 5: return 6;
    case 6: return 8;
    case 7: return 8;
    default: return 0;
  }
}

/** The storage class of serial type `st` (7 is FLOAT whatever its value). */
export function serialTypeClass(st: number): StorageClass {
  if (st === 0) return SQLITE_NULL;
  if (st < 7 || st === 8 || st === 9) return SQLITE_INTEGER;
  if (st === 7) return SQLITE_FLOAT;
  return (st & 1) === 1 ? SQLITE_TEXT : SQLITE_BLOB;
}

/** The serial type of an integer held as a safe number. */
export function serialTypeOfInt(v: number, fileFormat4: boolean): number {
  if (fileFormat4 && (v === 0 || v === 1)) return 8 + v;
  const u = v < 0 ? -1 - v : v;
  if (u <= 127) return 1;
  if (u <= 32767) return 2;
  if (u <= 8388607) return 3;
  if (u <= 2147483647) return 4;
  if (u <= 140737488355327) return 5;
  return 6;
}

/** The serial type `value` is stored with. */
export function serialTypeOf(value: SqlValue, opts?: RecordOptions): number {
  const ff4 = (opts?.fileFormat ?? 4) >= 4;
  if (value === null) return 0;
  switch (typeof value) {
    case "number":
      if (Number.isSafeInteger(value)) return serialTypeOfInt(value, ff4);
      return value !== value ? 0 : 7;
    case "bigint":
      if (value >= -9007199254740991n && value <= 9007199254740991n) return serialTypeOfInt(Number(value), ff4);
      if (value < -9223372036854775808n || value > 9223372036854775807n) {
        throw new RangeError(`record: integer out of int64 range: ${value}`);
      }
      return 6;
    case "string":
      return 13 + 2 * textLength(value, opts?.textEncoding ?? TEXT_ENCODING_UTF8);
    default:
      if (value instanceof Uint8Array) return 12 + 2 * value.length;
      if (value instanceof Real) return value.value !== value.value ? 0 : 7;
      throw new TypeError(`record: unsupported value ${String(value)}`);
  }
}

// ---------------------------------------------------------------------------------------
// Encoding

// Scratch for IEEE 754 conversion.
const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// The scratch's 32-bit word holding the high (sign/exponent) half of the double.
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** Writes `x` as a big-endian double at out[off]. */
export function putReal(out: Uint8Array, off: number, x: number): void {
  f64[0] = x;
  const hi = f64w[HI];
  const lo = f64w[LO];
  out[off] = hi >>> 24;
  out[off + 1] = hi >>> 16;
  out[off + 2] = hi >>> 8;
  out[off + 3] = hi;
  out[off + 4] = lo >>> 24;
  out[off + 5] = lo >>> 16;
  out[off + 6] = lo >>> 8;
  out[off + 7] = lo;
}

/** Reads a big-endian double at buf[off] (two 32-bit words, not eight byte stores). */
export function getReal(buf: Uint8Array, off: number): number {
  f64w[HI] = (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
  f64w[LO] = (buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7];
  return f64[0];
}

// Writes an int64 (hi signed/unsigned 32, lo unsigned 32) as `n` big-endian bytes (n = 6 or 8).
function putIntHiLo(out: Uint8Array, off: number, hi: number, lo: number, n: number): void {
  if (n === 8) {
    out[off] = hi >>> 24;
    out[off + 1] = hi >>> 16;
    out[off + 2] = hi >>> 8;
    out[off + 3] = hi;
    off += 4;
  } else {
    out[off] = hi >>> 8;
    out[off + 1] = hi;
    off += 2;
  }
  out[off] = lo >>> 24;
  out[off + 1] = lo >>> 16;
  out[off + 2] = lo >>> 8;
  out[off + 3] = lo;
}

/** Writes the body of integer `v` (a safe number) for serial type st (1..6, 8, 9); returns bytes written. */
function putIntBody(out: Uint8Array, off: number, v: number, st: number): number {
  switch (st) {
    case 1: out[off] = v; return 1;
    case 2: out[off] = v >> 8; out[off + 1] = v; return 2;
    case 3: out[off] = v >> 16; out[off + 1] = v >> 8; out[off + 2] = v; return 3;
    case 4: out[off] = v >>> 24; out[off + 1] = v >> 16; out[off + 2] = v >> 8; out[off + 3] = v; return 4;
    case 5: case 6: {
      const hi = Math.floor(v / TWO_32);
      putIntHiLo(out, off, hi, v - hi * TWO_32, st === 5 ? 6 : 8);
      return st === 5 ? 6 : 8;
    }
    default: return 0;
  }
}

/** The size in bytes of the record of `values`. */
export function recordSize(values: readonly SqlValue[], opts?: RecordOptions): number {
  let hdr = 0;
  let body = 0;
  for (let i = 0; i < values.length; i++) {
    const st = serialTypeOf(values[i], opts);
    hdr += varintSize(st);
    body += serialTypeLen(st);
  }
  return headerTotal(hdr) + body;
}

// The header size counts its own varint: find the smallest n with varintSize(hdr + n) === n.
function headerTotal(hdr: number): number {
  let n = varintSize(hdr + 1);
  if (varintSize(hdr + n) !== n) n++;
  return hdr + n;
}

/** Encodes `values` as a record in a new array. */
export function encodeRecord(values: readonly SqlValue[], opts?: RecordOptions): Uint8Array {
  const out = new Uint8Array(recordSize(values, opts));
  encodeRecordInto(values, out, 0, opts);
  return out;
}

/** Encodes `values` as a record at out[off]; returns bytes written (out needs recordSize bytes). */
export function encodeRecordInto(values: readonly SqlValue[], out: Uint8Array, off: number, opts?: RecordOptions): number {
  const enc = opts?.textEncoding ?? TEXT_ENCODING_UTF8;
  let hdr = 0;
  for (let i = 0; i < values.length; i++) hdr += varintSize(serialTypeOf(values[i], opts));
  const hdrSize = headerTotal(hdr);
  let h = off + putVarint32(out, off, hdrSize);
  let b = off + hdrSize;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const st = serialTypeOf(v, opts);
    h += putVarint32(out, h, st);
    if (st === 0 || st === 8 || st === 9) continue;
    if (typeof v === "number") {
      if (st === 7) putReal(out, b, v);
      else putIntBody(out, b, v, st);
    } else if (typeof v === "bigint") {
      if (st === 6 && !(v >= -9007199254740991n && v <= 9007199254740991n)) {
        const u = BigInt.asUintN(64, v);
        putIntHiLo(out, b, Number(u >> 32n), Number(u & 0xffffffffn), 8);
      } else {
        putIntBody(out, b, Number(v), st);
      }
    } else if (typeof v === "string") {
      encodeTextInto(v, out, b, enc);
    } else if (v instanceof Uint8Array) {
      out.set(v, b);
    } else if (v instanceof Real) {
      putReal(out, b, v.value);
    }
    b += serialTypeLen(st);
  }
  return b - off;
}

// ---------------------------------------------------------------------------------------
// Decoding helpers shared with compare.ts

let bigHi = 0;
let bigLo = 0;

/**
 * Reads the integer body of serial type st (1..6, 8, 9; 0 for anything else) at buf[p].
 * Returns a number for values in [-2^53, 2^53); NaN for larger 8-byte values, whose
 * halves are then available from intLastHi() / intLastLo().
 */
export function readSerialInt(buf: Uint8Array, p: number, st: number): number {
  switch (st) {
    case 1: return (buf[p] << 24) >> 24;
    case 2: return ((buf[p] << 24) >> 16) | buf[p + 1];
    case 3: return ((buf[p] << 24) >> 8) | (buf[p + 1] << 8) | buf[p + 2];
    case 4: return (buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
    case 5: {
      const hi = ((buf[p] << 24) >> 16) | buf[p + 1];
      const lo = ((buf[p + 2] << 24) | (buf[p + 3] << 16) | (buf[p + 4] << 8) | buf[p + 5]) >>> 0;
      return hi * TWO_32 + lo;
    }
    case 6: {
      const hi = (buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
      const lo = ((buf[p + 4] << 24) | (buf[p + 5] << 16) | (buf[p + 6] << 8) | buf[p + 7]) >>> 0;
      bigHi = hi;
      bigLo = lo;
      if (hi >= -0x200000 && hi < 0x200000) return hi * TWO_32 + lo;
      return NaN;
    }
    case 9: return 1;
    default: return 0;
  }
}

/** After readSerialInt returned NaN: the value's upper 32 bits, signed. */
export function intLastHi(): number {
  return bigHi;
}

/** After readSerialInt returned NaN: the value's lower 32 bits, unsigned. */
export function intLastLo(): number {
  return bigLo;
}

/** Reads an integer body exactly as a bigint. */
export function readSerialBigInt(buf: Uint8Array, p: number, st: number): bigint {
  const v = readSerialInt(buf, p, st);
  if (v === v) return BigInt(v);
  return (BigInt(bigHi) << 32n) | BigInt(bigLo);
}

// ---------------------------------------------------------------------------------------
// The lazy reader

const EMPTY = new Uint8Array(0);

/**
 * Decodes one record at a time, lazily. Create one per cursor; call reset() for each row.
 * Column indexes are 0-based. Typed getters:
 *   getInt    INTEGER (NULL gives 0): a number, NaN if outside [-2^53, 2^53) (then getBigInt)
 *   getReal   INTEGER or REAL as a number (NULL gives 0)
 *   getText   TEXT (or BLOB bytes) decoded from the reader's text encoding
 *   getBlob   TEXT or BLOB bytes as a view of the record buffer (NULL gives an empty array)
 * Other combinations throw SQLITE_MISUSE: type conversion is the VDBE's job.
 */
export class RecordReader {
  /** The buffer holding the current record. */
  buf: Uint8Array;
  /** The record occupies buf[start..end). */
  start: number;
  end: number;
  /** Text encoding used by getText / getValue. */
  encoding: TextEncoding;
  private hdrEnd: number;
  private hdrPos: number;
  private nParsed: number;
  private types: Uint32Array;
  // offsets[i] = absolute offset of column i's body; offsets[nParsed] = end of the last parsed body.
  private offsets: Int32Array;
  /** A DataView over `viewBuf` (the last buffer a REAL was read from), for realAt. */
  private view: DataView | null;
  private viewBuf: Uint8Array;

  constructor(encoding: TextEncoding = TEXT_ENCODING_UTF8) {
    this.buf = EMPTY;
    this.start = 0;
    this.end = 0;
    this.encoding = encoding;
    this.hdrEnd = 0;
    this.hdrPos = 0;
    this.nParsed = 0;
    this.types = new Uint32Array(16);
    this.offsets = new Int32Array(17);
    this.view = null;
    this.viewBuf = EMPTY;
  }

  /** The big-endian double at buf[off] (a REAL body) through a DataView of `buf`, made
   *  once per buffer (V8 compiles getFloat64 to one load; cheaper than getReal's scratch). */
  realAt(off: number): number {
    return this.dataView().getFloat64(off);
  }

  /** A DataView over `buf` with the same offsets, made once per buffer (realAt, and the
   *  VM's word-at-a-time copy of TEXT bytes). */
  dataView(): DataView {
    let v = this.view;
    const buf = this.buf;
    if (v === null || this.viewBuf !== buf) {
      v = this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewBuf = buf;
    }
    return v;
  }

  /** Points the reader at the record buf[start..end) and reads its header size. */
  reset(buf: Uint8Array, start = 0, end: number = buf.length, view: DataView | null = null): void {
    this.buf = buf;
    if (view !== null) {
      // The caller's DataView over buf (a page's): dataView() need not make one.
      this.view = view;
      this.viewBuf = buf;
    }
    this.start = start;
    this.end = end;
    this.nParsed = 0;
    if (end > buf.length || start >= end) throw corrupt("record: empty or outside its buffer");
    const hdrSize = getVarint32(buf, start);
    const n = lastVarintLen();
    if (hdrSize < n || hdrSize > end - start) throw corrupt("record: header size out of range");
    this.hdrPos = start + n;
    this.hdrEnd = start + hdrSize;
    this.offsets[0] = this.hdrEnd;
    if (this.hdrPos === this.hdrEnd && this.hdrEnd !== end) throw corrupt("record: body without columns");
  }

  /** The number of columns in the record (parses the whole header). */
  get columnCount(): number {
    this.parseTo(0x7fffffff);
    return this.nParsed;
  }

  /** Offset just past the header. */
  get headerEnd(): number {
    return this.hdrEnd;
  }

  // Parses serial types until column i is known or the header ends. One-byte serial types
  // (every number, NULL, and TEXT/BLOB up to 57 bytes) are read without the varint call;
  // the checks of invariant 2 are the same for both.
  private parseTo(i: number): void {
    const buf = this.buf;
    let pos = this.hdrPos;
    const hdrEnd = this.hdrEnd;
    const end = this.end;
    let n = this.nParsed;
    // Each serial type takes at least one header byte: this bounds the columns parsed below.
    if (i >= this.types.length) {
      const want = Math.min(i + 1, hdrEnd - pos + n);
      while (this.types.length < want) this.grow();
    }
    const types = this.types;
    const offsets = this.offsets;
    let off = offsets[n];
    while (n <= i && pos < hdrEnd) {
      let st = buf[pos];
      if (st < 0x80) pos++;
      else {
        st = getVarint32(buf, pos);
        pos += lastVarintLen();
        if (pos > hdrEnd) throw corrupt("record: serial type runs past the header");
      }
      let next: number;
      if (st >= 12) next = off + ((st - 12) >>> 1);
      else if (st < 5) next = off + st;
      else if (st < 8) next = off + (st === 5 ? 6 : 8);
      else if (st < 10) next = off;
      else throw corrupt("record: reserved serial type");
      if (next > end) throw corrupt("record: column body past the end of the record");
      types[n] = st;
      offsets[n + 1] = next;
      off = next;
      n++;
    }
    this.hdrPos = pos;
    this.nParsed = n;
    if (pos === hdrEnd && off !== end) throw corrupt("record: bodies do not end at the end of the record");
  }

  private grow(): void {
    const t = new Uint32Array(this.types.length * 2);
    t.set(this.types);
    const o = new Int32Array(t.length + 1);
    o.set(this.offsets);
    this.types = t;
    this.offsets = o;
  }

  /** The serial type of column i (0 when the record has fewer columns). */
  serialType(i: number): number {
    if (i >= this.nParsed) {
      this.parseTo(i);
      if (i >= this.nParsed) return 0;
    }
    return this.types[i];
  }

  /** The storage class of column i (a stored NaN reads as NULL). */
  columnType(i: number): StorageClass {
    const st = this.serialType(i);
    if (st === 7 && Number.isNaN(getReal(this.buf, this.offsets[i]))) return SQLITE_NULL;
    return serialTypeClass(st);
  }

  /** Absolute offset of column i's body in `buf` (parse it first with serialType). */
  bodyOffset(i: number): number {
    this.serialType(i);
    return i < this.nParsed ? this.offsets[i] : this.end;
  }

  /** Absolute offset of column i's body when serialType(i) has just returned non-zero
   *  (no parsing, no checks: the hot path of the VM's Column). */
  parsedOffset(i: number): number {
    return this.offsets[i];
  }

  /** Byte length of column i's body (the TEXT/BLOB length). */
  bodyLength(i: number): number {
    return serialTypeLen(this.serialType(i));
  }

  /** Column i as an integer; see the class comment. */
  getInt(i: number): number {
    const st = this.serialType(i);
    if (st === 0 || (st >= 1 && st <= 6) || st === 8 || st === 9) return readSerialInt(this.buf, this.offsets[i], st);
    throw misuse("getInt", st);
  }

  /** Column i (INTEGER) exactly as a bigint. */
  getBigInt(i: number): bigint {
    const st = this.serialType(i);
    if (st === 0 || (st >= 1 && st <= 6) || st === 8 || st === 9) return readSerialBigInt(this.buf, this.offsets[i], st);
    throw misuse("getBigInt", st);
  }

  /** Column i (INTEGER or REAL) as a number; a stored NaN gives NaN. */
  getReal(i: number): number {
    const st = this.serialType(i);
    if (st === 7) return getReal(this.buf, this.offsets[i]);
    if (st === 6) return Number(readSerialBigInt(this.buf, this.offsets[i], st));
    if (st <= 9) return readSerialInt(this.buf, this.offsets[i], st);
    throw misuse("getReal", st);
  }

  /** Column i (TEXT or BLOB) decoded as text in the reader's encoding; NULL gives "". */
  getText(i: number): string {
    const st = this.serialType(i);
    if (st >= 12) {
      const p = this.offsets[i];
      return decodeText(this.buf, p, p + ((st - 12) >>> 1), this.encoding);
    }
    if (st === 0) return "";
    throw misuse("getText", st);
  }

  /** Column i (TEXT or BLOB) raw bytes, a view into the record buffer; NULL gives an empty array. */
  getBlob(i: number): Uint8Array {
    const st = this.serialType(i);
    if (st >= 12) {
      const p = this.offsets[i];
      return this.buf.subarray(p, p + ((st - 12) >>> 1));
    }
    if (st === 0) return EMPTY;
    throw misuse("getBlob", st);
  }

  /**
   * Column i as a plain JS value: null, number (INTEGER in [-2^53, 2^53) or REAL), bigint
   * (larger INTEGER), string, or a copy of the BLOB. REAL and INTEGER both give numbers.
   */
  getValue(i: number): null | number | bigint | string | Uint8Array {
    const st = this.serialType(i);
    const p = this.offsets[i];
    if (st === 0) return null;
    if (st === 7) {
      const r = getReal(this.buf, p);
      return r !== r ? null : r;
    }
    if (st < 12) {
      const v = readSerialInt(this.buf, p, st);
      return v === v ? v : readSerialBigInt(this.buf, p, st);
    }
    const len = (st - 12) >>> 1;
    if ((st & 1) === 1) return decodeText(this.buf, p, p + len, this.encoding);
    return this.buf.slice(p, p + len);
  }

  /** Like getValue, but a REAL comes back as a `Real` and every INTEGER that is not a safe number as a bigint: encodeRecord of these values reproduces the record's bytes. */
  getTypedValue(i: number): SqlValue {
    const st = this.serialType(i);
    if (st === 7) {
      const r = getReal(this.buf, this.offsets[i]);
      return r !== r ? null : new Real(r);
    }
    const v = this.getValue(i);
    if (typeof v === "number" && !Number.isSafeInteger(v)) return BigInt(v);
    return v;
  }

  /** All columns as plain values (allocates; for tests and cold paths). */
  toArray(): (null | number | bigint | string | Uint8Array)[] {
    const n = this.columnCount;
    const out: (null | number | bigint | string | Uint8Array)[] = [];
    for (let i = 0; i < n; i++) out.push(this.getValue(i));
    return out;
  }
}

function misuse(what: string, st: number): SqliteError {
  return new SqliteError("SQLITE_MISUSE", `${what} on a column of serial type ${st}`);
}
