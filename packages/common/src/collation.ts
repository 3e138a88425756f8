/*
 * Collating sequences (datatype3.html §7 "Collating Sequences"): the built-in BINARY,
 * NOCASE and RTRIM, and the interface user-defined collations implement.
 *
 * A collation compares TEXT two ways: on UTF-8 byte ranges (the hot path, used on record
 * bytes without decoding) and on JS strings (for values already decoded, and for
 * user-defined collations, whose byte form decodes first).
 *
 * Invariants:
 *  1. For every collation and every pair of valid strings, sign(compareUtf8(utf8(a),
 *     utf8(b))) === sign(compareStrings(a, b)).
 *  2. BINARY is memcmp on UTF-8 bytes, shorter-is-smaller on a common prefix: code point
 *     order, not JavaScript's `<`.
 *  3. NOCASE folds only ASCII A-Z to a-z (SQLite's sqlite3StrNICmp), then compares as
 *     BINARY up to the first NUL of the first text (C-string style; the byte lengths decide
 *     after it); RTRIM ignores trailing U+0020 spaces, then compares as BINARY.
 */
import { compareUtf16CodePoints, decodeUtf8, utf8Length } from "./utf.js";

export interface Collation {
  /** The name as given in SQL (BINARY, NOCASE, RTRIM, or a user's name). */
  readonly name: string;
  /** Compares UTF-8 bytes a[aStart..aEnd) with b[bStart..bEnd); <0, 0, >0. */
  compareUtf8(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number;
  /** Compares two strings; <0, 0, >0. */
  compareStrings(a: string, b: string): number;
}

/** memcmp of two byte ranges, then the shorter first. */
export function memcmp(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const la = aEnd - aStart;
  const lb = bEnd - bStart;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i] - b[bStart + i];
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * memcmp over two DataViews (each over its array's bytes, same offsets): four bytes a
 * step while they agree, then byte by byte. Only the sign of the result is meaningful.
 */
export function memcmpViews(a: DataView, aStart: number, aEnd: number, b: DataView, bStart: number, bEnd: number): number {
  const la = aEnd - aStart;
  const lb = bEnd - bStart;
  const n = la < lb ? la : lb;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = a.getUint32(aStart + i);
    const y = b.getUint32(bStart + i);
    if (x !== y) return x < y ? -1 : 1;
  }
  for (; i < n; i++) {
    const d = a.getUint8(aStart + i) - b.getUint8(bStart + i);
    if (d !== 0) return d;
  }
  return la - lb;
}

export const BINARY: Collation = {
  name: "BINARY",
  compareUtf8: memcmp,
  compareStrings: compareUtf16CodePoints,
};

function foldAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/**
 * NOCASE folds ASCII letters and compares bytes like C strings, as SQLite's
 * sqlite3StrNICmp does: a NUL in the first text ends the comparison of characters (what
 * follows it is not looked at) and the byte lengths decide; so "\0!" and "\0 " are equal.
 */
export const NOCASE: Collation = {
  name: "NOCASE",
  compareUtf8(a, aStart, aEnd, b, bStart, bEnd) {
    const la = aEnd - aStart;
    const lb = bEnd - bStart;
    const n = la < lb ? la : lb;
    for (let i = 0; i < n; i++) {
      const x = a[aStart + i];
      const d = foldAscii(x) - foldAscii(b[bStart + i]);
      if (d !== 0) return d;
      if (x === 0) break;
    }
    return la - lb;
  },
  compareStrings(a, b) {
    const n = a.length < b.length ? a.length : b.length;
    for (let i = 0; i < n; i++) {
      let x = a.charCodeAt(i);
      let y = b.charCodeAt(i);
      if (x === 0 && y === 0) return utf8Length(a) - utf8Length(b); // equal prefixes: the rest decides by length
      if (x === y) continue;
      x = foldAscii(x);
      y = foldAscii(y);
      if (x === y) continue;
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
    return a.length - b.length;
  },
};

function trimEndBytes(a: Uint8Array, start: number, end: number): number {
  while (end > start && a[end - 1] === 0x20) end--;
  return end;
}

function trimEndSpaces(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 0x20) e--;
  return e === s.length ? s : s.slice(0, e);
}

export const RTRIM: Collation = {
  name: "RTRIM",
  compareUtf8(a, aStart, aEnd, b, bStart, bEnd) {
    return memcmp(a, aStart, trimEndBytes(a, aStart, aEnd), b, bStart, trimEndBytes(b, bStart, bEnd));
  },
  compareStrings(a, b) {
    return compareUtf16CodePoints(trimEndSpaces(a), trimEndSpaces(b));
  },
};

/** A collation from a user's string comparison function (sqlite3_create_collation). Its byte path decodes. */
export function createCollation(name: string, compare: (a: string, b: string) => number): Collation {
  return {
    name,
    compareUtf8(a, aStart, aEnd, b, bStart, bEnd) {
      return compare(decodeUtf8(a, aStart, aEnd), decodeUtf8(b, bStart, bEnd));
    },
    compareStrings: compare,
  };
}

/** The built-in collation of that name (case-insensitive), or null. */
export function builtinCollation(name: string): Collation | null {
  switch (name.toUpperCase()) {
    case "BINARY": return BINARY;
    case "NOCASE": return NOCASE;
    case "RTRIM": return RTRIM;
    default: return null;
  }
}
