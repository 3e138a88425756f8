/*
 * varint.ts: SQLite's variable-length integers (fileformat2 §1.5 "B-tree Pages", the varint
 * paragraph), private to the pager. 1..9 bytes, big-endian, 7 bits per byte with the high
 * bit meaning "more"; the ninth byte contributes all 8 bits, so any 64-bit value fits.
 *
 * TODO(switch): @strata/common is gaining its own varint.ts; once it exports an
 * allocation-free 64-bit reader with the same (value, length, hi/lo) results, use it here.
 *
 * Invariants:
 *  1. getVarint never allocates: its extra results (length, hi/lo words, safety) go into
 *     the reused object `vr`.
 *  2. `vr.safe` is true exactly when the decoded 64-bit signed value is a safe integer; then
 *     the returned number is exact. Otherwise the exact value is (vr.hi * 2^32 + vr.lo),
 *     vr.hi signed, vr.lo unsigned, and the returned number is only approximate.
 *  3. Bytes past the end of the buffer read as 0, so a varint at the end of a page cannot
 *     hang or throw; callers check the extent of what they decoded against the page.
 */

/** Side results of the last getVarint call. */
export const vr = { len: 0, hi: 0, lo: 0, safe: true };

const TWO32 = 4294967296;

/** Decodes the varint at buf[off]; see invariant 2 for values that are not safe integers. */
export function getVarint(buf: Uint8Array, off: number): number {
  let b = buf[off] | 0;
  if (b < 0x80) {
    vr.len = 1;
    vr.safe = true;
    return b;
  }
  let v = b & 0x7f;
  for (let i = 1; i < 7; i++) {
    b = buf[off + i] | 0;
    v = v * 128 + (b & 0x7f);
    if (b < 0x80) {
      vr.len = i + 1;
      vr.safe = true;
      return v;
    }
  }
  return getVarintSlow(buf, off);
}

function getVarintSlow(buf: Uint8Array, off: number): number {
  let hi = 0;
  let lo = 0;
  let len = 9;
  for (let i = 0; i < 8; i++) {
    const b = buf[off + i] | 0;
    hi = (hi << 7) | (lo >>> 25);
    lo = ((lo << 7) | (b & 0x7f)) >>> 0;
    if (b < 0x80) {
      len = i + 1;
      break;
    }
  }
  if (len === 9) {
    const b = buf[off + 8] | 0;
    hi = (hi << 8) | (lo >>> 24);
    lo = ((lo << 8) | b) >>> 0;
  }
  hi |= 0;
  vr.len = len;
  vr.hi = hi;
  vr.lo = lo;
  const v = hi * TWO32 + lo;
  vr.safe = hi >= -0x200000 && hi < 0x200000 && v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER;
  return v;
}

/** Length in bytes of the varint starting at buf[off], without decoding it. */
export function varintLenAt(buf: Uint8Array, off: number): number {
  for (let i = 0; i < 8; i++) if (((buf[off + i] | 0) & 0x80) === 0) return i + 1;
  return 9;
}

/** Bytes needed for a non-negative safe integer (payload sizes, positive rowids). */
export function varintLen(v: number): number {
  if (v < 0) return 9;
  let n = 1;
  while (v >= 128 && n < 9) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Bytes needed for the 64-bit value hi:lo (hi signed or unsigned, lo unsigned). */
export function varintLen64(hi: number, lo: number): number {
  hi >>>= 0;
  if (hi & 0xff000000) return 9;
  if (hi === 0) return varintLen(lo >>> 0);
  return Math.ceil((64 - Math.clz32(hi)) / 7);
}

/** Writes a safe integer (negative ones take 9 bytes); returns the length. */
export function putVarint(buf: Uint8Array, off: number, v: number): number {
  if (v >= 0 && v < 0x80) {
    buf[off] = v;
    return 1;
  }
  if (v >= 0 && v < 0x4000) {
    buf[off] = (v >>> 7) | 0x80;
    buf[off + 1] = v & 0x7f;
    return 2;
  }
  const hi = Math.floor(v / TWO32);
  return putVarint64(buf, off, hi, v - hi * TWO32);
}

const tmp = new Uint8Array(10);

/** Writes the 64-bit value hi:lo; returns the length. */
export function putVarint64(buf: Uint8Array, off: number, hi: number, lo: number): number {
  hi >>>= 0;
  lo >>>= 0;
  if (hi & 0xff000000) {
    buf[off + 8] = lo & 0xff;
    lo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    hi >>>= 8;
    for (let i = 7; i >= 0; i--) {
      buf[off + i] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
      hi >>>= 7;
    }
    return 9;
  }
  let n = 0;
  do {
    tmp[n++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
    hi >>>= 7;
  } while (lo !== 0 || hi !== 0);
  tmp[0] &= 0x7f;
  for (let i = 0, j = n - 1; j >= 0; j--, i++) buf[off + i] = tmp[j];
  return n;
}
