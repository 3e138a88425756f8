/*
 * SQLite's variable-length integer (fileformat2.html §1.6 "B-tree Pages", the varint
 * definition; also §2.1 "Record Format", where header sizes and serial types are varints).
 *
 * A varint is 1..9 bytes, big-endian. Bytes 1..8 each give 7 bits and have the high bit
 * set when another byte follows; a 9th byte, if reached, gives all 8 of its bits. Nine
 * bytes thus carry 64 bits, read as a two's-complement signed 64-bit integer, so every
 * negative value takes 9 bytes.
 *
 * API shape (the "how do I learn the length" choice):
 *  - Readers return the value; the number of bytes consumed by the most recent read is
 *    kept in module state and returned by `lastVarintLen()`. The core is synchronous
 *    (design.md), so "most recent" is well defined; read it right after the call.
 *    `varintLen(buf, off)` gives the length of the varint at `off` without decoding it.
 *  - `getVarint` returns a `number` for every value in [-2^53, 2^53) and NaN for the rest,
 *    for which `getVarintBig` gives the exact bigint. `getVarint32` is the header-field fast
 *    path: the value as an unsigned 32-bit number, clamped to 0xFFFFFFFF (as SQLite's
 *    getVarint32 does) when it does not fit.
 *  - Writers take a number (a safe integer, or an integral number in the int64 range) or a
 *    bigint in the int64 range, and return the number of bytes written.
 *
 * Invariants:
 *  1. For every int64 v: decode(encode(v)) === v, and encode(v).length === varintSize(v).
 *  2. The encoding is the shortest: varintSize(v) is 1..8 for 0 <= v < 2^56, 9 otherwise
 *     (negative values always take 9 bytes).
 *  3. Readers never throw and never loop past 9 bytes. A varint that runs off the end of
 *     `buf` reads the missing bytes as 0 (a typed array gives undefined, and
 *     `undefined & 0x7f` is 0) and its length still counts them: callers that read bytes
 *     from disk must check `off + lastVarintLen() <= limit` (record.ts does).
 *  4. Readers allocate nothing, except getVarintBig (one bigint).
 */

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const TWO_63 = 9223372036854775808;

let lastLen = 0;
// The upper and lower 32 bits of the last 9-byte or 8-byte value read by getVarint.
let lastHi = 0;
let lastLo = 0;

/** The number of bytes consumed by the most recent getVarint / getVarint32 / getVarintBig. */
export function lastVarintLen(): number {
  return lastLen;
}

/** The length in bytes (1..9) of the varint starting at buf[off], without decoding it. */
export function varintLen(buf: Uint8Array, off: number): number {
  for (let i = 0; i < 8; i++) {
    if ((buf[off + i] & 0x80) === 0) return i + 1;
  }
  return 9;
}

/**
 * Reads the varint at buf[off] as an unsigned 32-bit value; values above 0xFFFFFFFF
 * (including every negative value) give 0xFFFFFFFF. For header sizes and serial types.
 */
export function getVarint32(buf: Uint8Array, off: number): number {
  const b0 = buf[off];
  if (b0 < 0x80) {
    lastLen = 1;
    return b0;
  }
  const b1 = buf[off + 1];
  if (b1 < 0x80) {
    lastLen = 2;
    return ((b0 & 0x7f) << 7) | b1;
  }
  const b2 = buf[off + 2];
  if (b2 < 0x80) {
    lastLen = 3;
    return ((b0 & 0x7f) << 14) | ((b1 & 0x7f) << 7) | b2;
  }
  const v = getVarint(buf, off);
  // NaN (out of safe range) and anything above 2^32-1 or below 0 clamp.
  return v >= 0 && v <= 0xffffffff ? v : 0xffffffff;
}

/**
 * Reads the varint at buf[off]. Returns the value as a number when it lies in
 * [-2^53, 2^53) (every such value is exact), NaN otherwise (then use getVarintBig).
 */
export function getVarint(buf: Uint8Array, off: number): number {
  let b = buf[off];
  if (b < 0x80) {
    lastLen = 1;
    return b;
  }
  // Up to 7 bytes: at most 49 bits, exact in a double.
  let v = b & 0x7f;
  for (let i = 1; i < 7; i++) {
    b = buf[off + i];
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      lastLen = i + 1;
      return v;
    }
  }
  // Bytes 8 and 9: build the 64-bit value as two 32-bit halves.
  // v holds 49 bits from bytes 0..6.
  const b7 = buf[off + 7];
  if ((b7 & 0x80) === 0) {
    lastLen = 8;
    // 56-bit unsigned value v*128 + b7.
    const hi = Math.floor(v / 33554432); // v >> 25: top 24 bits of the 49
    const lo = (((v % 33554432) * 128) + b7) >>> 0; // low 25 bits of v, shifted 7, plus 7 bits
    lastHi = hi;
    lastLo = lo;
    return hi < 0x200000 ? hi * TWO_32 + lo : NaN;
  }
  lastLen = 9;
  const b8 = buf[off + 8];
  // 64 bits = (v (49 bits) << 15) | ((b7 & 0x7f) << 8) | b8
  const x = ((b7 & 0x7f) << 8) | b8; // 15 bits
  // v << 15 split: high part = v >> 17 (32 bits), low 17 bits of v shifted into lo.
  const hi = (Math.floor(v / 131072) | 0) >>> 0;
  const lo = ((((v % 131072) * 32768) + x) >>> 0);
  lastHi = hi;
  lastLo = lo;
  const hs = hi | 0;
  if (hs >= -0x200000 && hs < 0x200000) return hs * TWO_32 + lo;
  return NaN;
}

/** Reads the varint at buf[off] as an exact signed 64-bit bigint. */
export function getVarintBig(buf: Uint8Array, off: number): bigint {
  const v = getVarint(buf, off);
  if (v === v) return BigInt(v);
  return BigInt.asIntN(64, (BigInt(lastHi) << 32n) | BigInt(lastLo));
}

/**
 * After a getVarint that returned NaN: the upper 32 bits (as a signed int32) of the
 * value it read. With varintLastLo, lets a caller compare or store an int64 without a
 * bigint.
 */
export function varintLastHi(): number {
  return lastHi | 0;
}

/** After a getVarint that returned NaN: the lower 32 bits (unsigned) of the value it read. */
export function varintLastLo(): number {
  return lastLo;
}

/** The encoded size (1..9) of an integer value. Throws RangeError outside int64. */
export function varintSize(value: number | bigint): number {
  if (typeof value === "number") {
    if (value >= 0 && value <= 0x7f && (value | 0) === value) return 1;
    if (value >= 0 && value < TWO_53) {
      if (!Number.isInteger(value)) throw new RangeError(`varint: not an integer: ${value}`);
      if (value <= 0x3fff) return 2;
      if (value <= 0x1fffff) return 3;
      if (value <= 0xfffffff) return 4;
      if (value < 34359738368) return 5; // 2^35
      if (value < 4398046511104) return 6; // 2^42
      if (value < 562949953421312) return 7; // 2^49
      return 8;
    }
    checkNumber(value);
    return value < 0 || value >= 72057594037927936 ? 9 : 8; // 2^56
  }
  checkBig(value);
  if (value < 0n) return 9;
  let n = 1;
  let v = value >> 7n;
  while (v > 0n && n < 9) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** Writes a varint of an unsigned 32-bit value (a header field); returns bytes written. */
export function putVarint32(buf: Uint8Array, off: number, value: number): number {
  if (value <= 0x7f) {
    buf[off] = value;
    return 1;
  }
  if (value <= 0x3fff) {
    buf[off] = 0x80 | (value >>> 7);
    buf[off + 1] = value & 0x7f;
    return 2;
  }
  return putVarint(buf, off, value);
}

/**
 * Writes `value` as a varint at buf[off]; returns the number of bytes written (1..9).
 * `value` is a number (an integer within the int64 range) or a bigint within int64.
 */
export function putVarint(buf: Uint8Array, off: number, value: number | bigint): number {
  if (typeof value === "number") {
    if (value >= 0 && value <= 0x7f && (value | 0) === value) {
      buf[off] = value;
      return 1;
    }
    if (value >= 0 && value < TWO_53 && Number.isInteger(value)) {
      return putSmall(buf, off, value, varintSize(value));
    }
    checkNumber(value);
    // Any integral double in int64 range: split exactly into halves.
    const hi = Math.floor(value / TWO_32);
    const lo = value - hi * TWO_32;
    return putHiLo(buf, off, hi | 0, lo >>> 0);
  }
  checkBig(value);
  if (value >= -9007199254740991n && value <= 9007199254740991n) return putVarint(buf, off, Number(value));
  const u = BigInt.asUintN(64, value);
  return putHiLo(buf, off, Number(u >> 32n) | 0, Number(u & 0xffffffffn));
}

// 1..8 bytes of a non-negative value below 2^53 (exact arithmetic on doubles).
function putSmall(buf: Uint8Array, off: number, value: number, n: number): number {
  let v = value;
  buf[off + n - 1] = v % 128;
  v = Math.floor(v / 128);
  for (let i = n - 2; i >= 0; i--) {
    buf[off + i] = 0x80 | (v % 128);
    v = Math.floor(v / 128);
  }
  return n;
}

// Any int64 given as signed upper and unsigned lower 32-bit halves.
function putHiLo(buf: Uint8Array, off: number, hi: number, lo: number): number {
  if (hi >= 0 && hi < 0x1000000) {
    // Below 2^56: 8 or fewer bytes of 7 bits each.
    const value = hi * TWO_32 + lo;
    if (value < TWO_53) return putSmall(buf, off, value, varintSize(value));
    // 2^53 <= value < 2^56: eight 7-bit groups, taken from (hi, lo).
    let h = hi;
    let l = lo;
    for (let i = 7; i >= 0; i--) {
      buf[off + i] = (l & 0x7f) | (i === 7 ? 0 : 0x80);
      l = ((l >>> 7) | ((h & 0x7f) << 25)) >>> 0;
      h >>>= 7;
    }
    return 8;
  }
  // Nine bytes: the last holds the low 8 bits, the first eight hold 7 bits each.
  buf[off + 8] = lo & 0xff;
  let l = ((lo >>> 8) | (hi << 24)) >>> 0;
  let h = (hi >>> 8) & 0xffffff;
  for (let i = 7; i >= 0; i--) {
    buf[off + i] = 0x80 | (l & 0x7f);
    l = ((l >>> 7) | ((h & 0x7f) << 25)) >>> 0;
    h >>>= 7;
  }
  return 9;
}

function checkNumber(value: number): void {
  if (!Number.isInteger(value) || value < -TWO_63 || value >= TWO_63) {
    throw new RangeError(`varint: not an int64: ${value}`);
  }
}

function checkBig(value: bigint): void {
  if (value < -9223372036854775808n || value > 9223372036854775807n) {
    throw new RangeError(`varint: not an int64: ${value}`);
  }
}
