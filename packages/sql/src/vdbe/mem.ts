/*
 * vdbe/mem.ts: the register (SQLite's Mem) and the value semantics of
 * https://sqlite.org/datatype3.html: storage classes (§2), type affinity applied to a
 * value (§3, vdbe.c applyAffinity), comparison (§4, sqlite3MemCompare), the
 * conversions of sqlite3_value_int64/double/text, and arithmetic with integer overflow
 * going to REAL (vdbe.c OP_Add..OP_Remainder).
 *
 * Representation (one shape for every register, fields set in the constructor in this
 * order):
 *   type  SQLITE_NULL / SQLITE_INTEGER / SQLITE_FLOAT / SQLITE_TEXT / SQLITE_BLOB
 *   i     the INTEGER while it is a safe number
 *   big   the INTEGER as a bigint ONLY when it is not a safe number; null otherwise
 *   r     the REAL
 *   s     TEXT as a JS string, or null while the text is only bytes (below)
 *   b     BLOB bytes (owned by the register: never a view of a page)
 *   tb    the register's own byte buffer for TEXT read from a UTF-8 record (grown, reused)
 *   tv    a DataView over tb (made with it: copies move four bytes at a time)
 *   tl    TEXT's UTF-8 byte length in tb when those bytes are valid, else -1
 *   sub   a TEXT's subtype (sqlite3_result_subtype: 74 'J' marks JSON from the JSON
 *         functions); 0 otherwise. Meaningful only for TEXT: every text setter clears it,
 *         copyFrom copies it (SQLite's OP_Copy/SCopy keep MEM_Subtype).
 *
 * Lazy TEXT (SQLite keeps text as bytes; decoding to a JS string is the expensive step):
 * the Column opcode copies a UTF-8 text's bytes into `tb` and leaves `s` null; the string
 * is decoded on first use (memText) and kept beside the bytes. MakeRecord copies the bytes
 * (no re-encoding), and BINARY comparisons of two byte texts are a memcmp. So text moved
 * from a table into a sorter, an index or another table is never decoded.
 *
 * Invariants:
 *  1. type === SQLITE_INTEGER ⇒ (big === null ⇒ Number.isSafeInteger(i)) and
 *     (big !== null ⇒ big is an int64 outside the safe range). For other types, `big`
 *     is null.
 *  2. `s` is meaningful only for TEXT, `b` only for BLOB, `r` only for REAL; stale values
 *     may linger in the other fields but are never read.
 *  3. Nothing here allocates for NULL/INTEGER/REAL values; TEXT conversions allocate the
 *     string (as SQLite allocates the text buffer).
 *  4. type === SQLITE_TEXT ⇒ s !== null or tl >= 0 (when both hold, they agree).
 *     Everything that reads a TEXT's string goes through memText(); every setter other
 *     than setTextBytes sets tl = -1.
 */
import {
  BINARY, memcmp, SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, encodeUtf8,
  type Collation, type SqlValue, Real, decodeUtf8,
} from "@strata/common";
import { realToText } from "../value/real-to-text.js";
import {
  NUM, numericAffinity, NUMERIC_INT, NUMERIC_REAL, parseReal, parseInt64, realToInt, textToInt, textToReal,
  ATOF_REAL_SYNTAX, integerAffinity, textToNumeric,
} from "../value/text-to-number.js";
import { AFF_INTEGER, AFF_NUMERIC, AFF_REAL, AFF_TEXT, AFF_BLOB } from "./opcodes.js";

export const I64_MAX = 9223372036854775807n;
export const I64_MIN = -9223372036854775808n;
const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

export class Mem {
  type: number;
  i: number;
  big: bigint | null;
  r: number;
  s: string | null;
  b: Uint8Array | null;
  tb: Uint8Array;
  tv: DataView;
  tl: number;
  sub: number;
  constructor() {
    this.type = SQLITE_NULL;
    this.i = 0;
    this.big = null;
    this.r = 0;
    this.s = null;
    this.b = null;
    this.tb = EMPTY;
    this.tv = EMPTY_VIEW;
    this.tl = -1;
    this.sub = 0;
  }
  setNull(): void {
    this.type = SQLITE_NULL;
    this.big = null;
    this.tl = -1;
  }
  /** A safe integer. */
  setInt(n: number): void {
    this.type = SQLITE_INTEGER;
    this.i = n;
    this.big = null;
    this.tl = -1;
  }
  /** Any int64 (a bigint); kept as a number when safe (invariant 1). */
  setBigInt(v: bigint): void {
    this.type = SQLITE_INTEGER;
    this.tl = -1;
    if (v >= -9007199254740991n && v <= 9007199254740991n) {
      this.i = Number(v);
      this.big = null;
    } else {
      this.i = 0;
      this.big = v;
    }
  }
  setReal(x: number): void {
    if (x !== x) {
      this.setNull();
      return;
    }
    this.type = SQLITE_FLOAT;
    this.r = x;
    this.big = null;
    this.tl = -1;
  }
  setText(s: string): void {
    this.type = SQLITE_TEXT;
    this.sub = 0;
    this.s = s;
    this.big = null;
    this.tl = -1;
  }
  /** TEXT given as UTF-8 bytes src[start..end), copied into the register's own buffer;
   *  decoded to a string only when something asks for it (invariant 4). `sv` is a
   *  DataView over src with the same offsets: the copy moves four bytes at a time. */
  setTextBytes(src: Uint8Array, sv: DataView, start: number, end: number): void {
    const n = end - start;
    let tb = this.tb;
    if (tb.length < n) {
      tb = this.tb = new Uint8Array(Math.max(n, 32, tb.length * 2));
      this.tv = new DataView(tb.buffer);
    }
    if (n > 128) tb.set(src.subarray(start, end)); // past ~120 bytes the native copy wins
    else {
      const tv = this.tv;
      let k = 0;
      for (; k + 4 <= n; k += 4) tv.setUint32(k, sv.getUint32(start + k));
      for (; k < n; k++) tb[k] = src[start + k];
    }
    this.type = SQLITE_TEXT;
    this.sub = 0;
    this.s = null;
    this.tl = n;
    this.big = null;
  }
  setBlob(b: Uint8Array): void {
    this.type = SQLITE_BLOB;
    this.b = b;
    this.big = null;
    this.tl = -1;
  }
  copyFrom(m: Mem): void {
    if (m.type === SQLITE_TEXT && m.s === null) {
      this.setTextBytes(m.tb, m.tv, 0, m.tl);
      this.sub = m.sub;
      return;
    }
    this.type = m.type;
    this.sub = m.sub;
    this.i = m.i;
    this.big = m.big;
    this.r = m.r;
    this.s = m.s;
    this.b = m.b;
    this.tl = -1;
  }
  /** A JS value (cold paths: defaults, tests). REAL as `Real` when `typed`. */
  toValue(typed: boolean): SqlValue {
    switch (this.type) {
      case SQLITE_INTEGER: return this.big !== null ? this.big : this.i;
      case SQLITE_FLOAT: return typed ? new Real(this.r) : this.r;
      case SQLITE_TEXT: return memText(this);
      case SQLITE_BLOB: return this.b;
      default: return null;
    }
  }
  setValue(v: SqlValue): void {
    if (v === null) this.setNull();
    else if (typeof v === "number") {
      if (Number.isSafeInteger(v)) this.setInt(v);
      else this.setReal(v);
    } else if (typeof v === "bigint") this.setBigInt(v);
    else if (typeof v === "string") this.setText(v);
    else if (v instanceof Uint8Array) this.setBlob(v);
    else this.setReal(v.value);
  }
}

// ------------------------------------------------------------------ conversions

/** The string of a TEXT register, decoding its bytes on first use (invariant 4). */
export function memText(m: Mem): string {
  const s = m.s;
  if (s !== null) return s;
  return (m.s = decodeUtf8(m.tb, 0, m.tl));
}

/** Out-parameter for intValue when the result is not a safe number. */
export const INT_OUT = { big: 0n };

/** sqlite3_value_int64 as a number; NaN when unsafe (then INT_OUT.big). */
export function intValue(m: Mem): number {
  switch (m.type) {
    case SQLITE_INTEGER:
      if (m.big !== null) {
        INT_OUT.big = m.big;
        return NaN;
      }
      return m.i;
    case SQLITE_FLOAT: {
      const v = realToInt(m.r);
      if (v !== v) INT_OUT.big = NUM.big;
      return v;
    }
    case SQLITE_TEXT: {
      const v = textToInt(memText(m));
      if (v !== v) INT_OUT.big = NUM.big;
      return v;
    }
    case SQLITE_BLOB: {
      const v = textToInt(decodeUtf8(m.b!, 0, m.b!.length));
      if (v !== v) INT_OUT.big = NUM.big;
      return v;
    }
    default: return 0;
  }
}

/** sqlite3_value_int64 as a bigint (cold). */
export function bigIntValue(m: Mem): bigint {
  const v = intValue(m);
  return v === v ? BigInt(v) : INT_OUT.big;
}

/** sqlite3_value_double. */
export function realValue(m: Mem): number {
  switch (m.type) {
    case SQLITE_INTEGER: return m.big !== null ? Number(m.big) : m.i;
    case SQLITE_FLOAT: return m.r;
    case SQLITE_TEXT: return textToReal(memText(m));
    case SQLITE_BLOB: return textToReal(decodeUtf8(m.b!, 0, m.b!.length));
    default: return 0;
  }
}

/** sqlite3_value_text (UTF-8 decoding of blobs); null for NULL. */
export function textValue(m: Mem): string | null {
  switch (m.type) {
    case SQLITE_INTEGER: return m.big !== null ? m.big.toString() : String(m.i);
    case SQLITE_FLOAT: return realToText(m.r);
    case SQLITE_TEXT: return memText(m);
    case SQLITE_BLOB: return decodeUtf8(m.b!, 0, m.b!.length);
    default: return null;
  }
}

/** sqlite3_value_blob: bytes (UTF-8 for text and numbers); null for NULL. */
export function blobValue(m: Mem): Uint8Array | null {
  switch (m.type) {
    case SQLITE_BLOB: return m.b;
    case SQLITE_NULL: return null;
    default: {
      const s = textValue(m)!;
      return s.length === 0 ? EMPTY : encodeUtf8(s);
    }
  }
}

/** Truth value (sqlite3VdbeBooleanValue): NULL gives `ifNull`. */
export function truthValue(m: Mem, ifNull: boolean): boolean {
  switch (m.type) {
    case SQLITE_INTEGER: return m.big !== null || m.i !== 0;
    case SQLITE_NULL: return ifNull;
    default: return realValue(m) !== 0;
  }
}

/** Sets `m` to the INTEGER in NUM (NUM.int, or NUM.big when NaN). */
function setFromNum(m: Mem, v: number): void {
  if (v === v) m.setInt(v);
  else m.setBigInt(NUM.big);
}

/**
 * The numeric value of `m` for arithmetic (vdbe.c numericType): INTEGER and REAL as they
 * are; TEXT/BLOB by their numeric prefix, INTEGER when it is integral; NULL stays NULL.
 * Writes into `out` (a scratch register); returns its type.
 */
export function numericValue(m: Mem, out: Mem): number {
  switch (m.type) {
    case SQLITE_INTEGER: case SQLITE_FLOAT: case SQLITE_NULL:
      out.copyFrom(m);
      return m.type;
    default: {
      const s = m.type === SQLITE_TEXT ? memText(m) : decodeUtf8(m.b!, 0, m.b!.length);
      const rc = parseReal(s);
      const r = NUM.real;
      if ((rc & ATOF_REAL_SYNTAX) === 0 && parseInt64(s) <= 1) {
        setFromNum(out, NUM.int);
        return SQLITE_INTEGER;
      }
      out.setReal(r);
      return SQLITE_FLOAT;
    }
  }
}

// ------------------------------------------------------------------ affinity

/** Applies column affinity `aff` (AFF_* code) to `m` in place (vdbe.c applyAffinity). */
export function applyAffinity(m: Mem, aff: number): void {
  if (aff >= AFF_NUMERIC) {
    if (m.type === SQLITE_TEXT) {
      const k = numericAffinity(memText(m), true);
      if (k === NUMERIC_INT) setFromNum(m, NUM.int);
      else if (k === NUMERIC_REAL) m.setReal(NUM.real);
    } else if (m.type === SQLITE_FLOAT && aff <= AFF_REAL) {
      // A whole REAL becomes INTEGER in NUMERIC/INTEGER columns. COMPAT: in REAL columns
      // SQLite also stores it as an integer (read back as REAL); we store the REAL.
      if (aff !== AFF_REAL) {
        const k = integerAffinity(m.r);
        if (k === NUMERIC_INT) setFromNum(m, NUM.int);
      }
    }
  } else if (aff === AFF_TEXT) {
    if (m.type === SQLITE_INTEGER || m.type === SQLITE_FLOAT) m.setText(textValue(m)!);
  }
}

/** Numeric affinity for a comparison (applyNumericAffinity without tryForInt on text). */
export function applyNumericAffinityForCompare(m: Mem): void {
  if (m.type !== SQLITE_TEXT) return;
  const k = numericAffinity(memText(m), false);
  if (k === NUMERIC_INT) setFromNum(m, NUM.int);
  else if (k === NUMERIC_REAL) m.setReal(NUM.real);
}

/** CAST(m AS <affinity>) in place (sqlite3VdbeMemCast). */
export function castMem(m: Mem, aff: number): void {
  if (m.type === SQLITE_NULL) return;
  switch (aff) {
    case AFF_BLOB:
      if (m.type !== SQLITE_BLOB) {
        const b = blobValue(m)!;
        m.setBlob(b === EMPTY ? new Uint8Array(0) : b);
      }
      return;
    case AFF_TEXT:
      if (m.type !== SQLITE_TEXT) m.setText(textValue(m)!);
      return;
    case AFF_REAL:
      m.setReal(realValue(m));
      return;
    case AFF_INTEGER: {
      const v = intValue(m);
      if (v === v) m.setInt(v);
      else m.setBigInt(INT_OUT.big);
      return;
    }
    default: {
      // NUMERIC
      if (m.type === SQLITE_INTEGER) return;
      if (m.type === SQLITE_FLOAT) {
        const k = integerAffinity(m.r);
        if (k === NUMERIC_INT) setFromNum(m, NUM.int);
        return;
      }
      const s = m.type === SQLITE_TEXT ? memText(m) : decodeUtf8(m.b!, 0, m.b!.length);
      const k = textToNumeric(s);
      if (k === NUMERIC_INT) setFromNum(m, NUM.int);
      else m.setReal(NUM.real);
    }
  }
}

// ------------------------------------------------------------------ comparison

const TWO63 = 9223372036854775808;

/** INTEGER (bigint) vs REAL, exactly. */
function compareBigReal(a: bigint, r: number): number {
  if (r !== r) return 1;
  if (r >= TWO63) return -1;
  if (r < -TWO63) return 1;
  const t = Math.floor(r);
  const bt = BigInt(t);
  if (a < bt) return -1;
  if (a > bt) return 1;
  return r > t ? -1 : 0;
}

/** sqlite3MemCompare: NULL < numbers < TEXT (by `coll`) < BLOB. */
export function compareMem(a: Mem, b: Mem, coll: Collation | null): number {
  const ta = a.type;
  const tb = b.type;
  if (ta === SQLITE_NULL || tb === SQLITE_NULL) {
    return ta === tb ? 0 : ta === SQLITE_NULL ? -1 : 1;
  }
  const na = ta === SQLITE_INTEGER || ta === SQLITE_FLOAT;
  const nb = tb === SQLITE_INTEGER || tb === SQLITE_FLOAT;
  if (na || nb) {
    if (!na) return 1;
    if (!nb) return -1;
    if (ta === SQLITE_INTEGER && tb === SQLITE_INTEGER) {
      if (a.big === null && b.big === null) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
      const x = a.big ?? BigInt(a.i);
      const y = b.big ?? BigInt(b.i);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (ta === SQLITE_INTEGER) {
      if (a.big !== null) return compareBigReal(a.big, b.r);
      return a.i < b.r ? -1 : a.i > b.r ? 1 : 0;
    }
    if (tb === SQLITE_INTEGER) {
      if (b.big !== null) return -compareBigReal(b.big, a.r);
      return a.r < b.i ? -1 : a.r > b.i ? 1 : 0;
    }
    return a.r < b.r ? -1 : a.r > b.r ? 1 : 0;
  }
  if (ta === SQLITE_TEXT) {
    if (tb !== SQLITE_TEXT) return -1;
    // Two byte texts under BINARY: memcmp of UTF-8 is code point order, as compareStrings.
    if (a.tl >= 0 && b.tl >= 0) return (coll ?? BINARY).compareUtf8(a.tb, 0, a.tl, b.tb, 0, b.tl);
    return (coll ?? BINARY).compareStrings(memText(a), memText(b));
  }
  if (tb === SQLITE_TEXT) return 1;
  return memcmp(a.b!, 0, a.b!.length, b.b!, 0, b.b!.length);
}

// ------------------------------------------------------------------ arithmetic

const SAFE = 9007199254740991;

function setBigOrReal(out: Mem, v: bigint, fallback: number): void {
  if (v > I64_MAX || v < I64_MIN) out.setReal(fallback);
  else out.setBigInt(v);
}

/**
 * out = a op b for op in + - * / % (OP_Add..OP_Remainder); a and b already numeric
 * (numericValue) and not NULL. Integer overflow gives REAL; division by zero NULL.
 */
export function arith(op: number, a: Mem, b: Mem, out: Mem): void {
  if (a.type === SQLITE_INTEGER && b.type === SQLITE_INTEGER) {
    if (a.big === null && b.big === null) {
      const x = a.i;
      const y = b.i;
      switch (op) {
        case 0: { const v = x + y; if (v >= -SAFE && v <= SAFE) { out.setInt(v); return; } break; }
        case 1: { const v = x - y; if (v >= -SAFE && v <= SAFE) { out.setInt(v); return; } break; }
        case 2: { const v = x * y; if (v >= -SAFE && v <= SAFE) { out.setInt(v === 0 ? 0 : v); return; } break; }
        case 3:
          if (y === 0) { out.setNull(); return; }
          { const q = (x - (x % y)) / y; out.setInt(q === 0 ? 0 : q); return; }
        default:
          if (y === 0) { out.setNull(); return; }
          { const m = x % y; out.setInt(m === 0 ? 0 : m); return; }
      }
    }
    const x = a.big ?? BigInt(a.i);
    const y = b.big ?? BigInt(b.i);
    switch (op) {
      case 0: setBigOrReal(out, x + y, Number(x) + Number(y)); return;
      case 1: setBigOrReal(out, x - y, Number(x) - Number(y)); return;
      case 2: setBigOrReal(out, x * y, Number(x) * Number(y)); return;
      case 3:
        if (y === 0n) { out.setNull(); return; }
        if (x === I64_MIN && y === -1n) { out.setReal(Number(x) / -1); return; }
        out.setBigInt(x / y);
        return;
      default:
        if (y === 0n) { out.setNull(); return; }
        if (y === -1n) { out.setInt(0); return; }
        out.setBigInt(x % y);
        return;
    }
  }
  // At least one REAL.
  const x = a.type === SQLITE_INTEGER ? (a.big !== null ? Number(a.big) : a.i) : a.r;
  const y = b.type === SQLITE_INTEGER ? (b.big !== null ? Number(b.big) : b.i) : b.r;
  switch (op) {
    case 0: out.setReal(x + y); return;
    case 1: out.setReal(x - y); return;
    case 2: out.setReal(x * y); return;
    case 3:
      if (y === 0) { out.setNull(); return; }
      out.setReal(x / y);
      return;
    default: {
      // Remainder on REALs: both converted to int64, result REAL (vdbe.c).
      const ix = intValue(a);
      const bx = ix === ix ? BigInt(ix) : INT_OUT.big;
      const iy = intValue(b);
      const by = iy === iy ? BigInt(iy) : INT_OUT.big;
      if (by === 0n) { out.setNull(); return; }
      if (by === -1n) { out.setReal(0); return; }
      out.setReal(Number(bx % by));
    }
  }
}

/** Bitwise & | << >> on int64 (OP_BitAnd...): operands converted with intValue. */
export function bitop(op: number, a: Mem, b: Mem, out: Mem): void {
  const ia = intValue(a);
  const x = ia === ia ? BigInt(ia) : INT_OUT.big;
  const ib = intValue(b);
  let y = ib === ib ? BigInt(ib) : INT_OUT.big;
  let v: bigint;
  switch (op) {
    case 0: v = x & y; break;
    case 1: v = x | y; break;
    default: {
      let left = op === 2;
      if (y < 0n) { left = !left; y = y < -64n ? 64n : -y; }
      if (y >= 64n) v = left || x >= 0n ? 0n : -1n;
      else if (left) v = BigInt.asIntN(64, x << y);
      else v = x >> y;
    }
  }
  out.setBigInt(v);
}
