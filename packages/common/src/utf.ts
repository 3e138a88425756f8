/*
 * Text encodings of the database file (fileformat2.html §1.3 "The Database Header",
 * offset 56: 1 = UTF-8, 2 = UTF-16le, 3 = UTF-16be). Encode and decode helpers over byte
 * ranges, with one shared TextEncoder / TextDecoder.
 *
 * Invariants:
 *  1. utf8Length(s) === encodeUtf8(s).length for every string (lone surrogates become
 *     U+FFFD, 3 bytes, as TextEncoder does).
 *  2. compareUtf16CodePoints(a, b) orders strings as memcmp orders their UTF-8 bytes
 *     (code point order), not as JavaScript's `<` (UTF-16 code unit order), which puts
 *     U+E000..U+FFFF after astral characters.
 *  3. UTF-16 decoding ignores a trailing odd byte (SQLite does the same).
 *  4. Decoders allocate only the result string (and nothing for the empty string).
 *  5. Where the runtime has Node's Buffer (Node, Bun, Deno's Node mode), UTF-8 decoding
 *     goes through Buffer.prototype.utf8Slice called on the plain Uint8Array: same result
 *     as TextDecoder (U+FFFD for invalid sequences), 3-5x faster for the short strings of
 *     table rows (measured), and no subarray allocated. Elsewhere (browsers) TextDecoder.
 *     A feature test, not a dependency: nothing is imported.
 */

export const TEXT_ENCODING_UTF8 = 1;
export const TEXT_ENCODING_UTF16LE = 2;
export const TEXT_ENCODING_UTF16BE = 3;
/** The text encoding number of the database header (offset 56). */
export type TextEncoding = 1 | 2 | 3;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

type Utf8Slice = (this: Uint8Array, start: number, end: number) => string;
// Invariant 5.
const nodeUtf8Slice: Utf8Slice | null = (() => {
  const B = (globalThis as { Buffer?: { prototype?: { utf8Slice?: unknown } } }).Buffer;
  const f = B?.prototype?.utf8Slice;
  if (typeof f !== "function") return null;
  try {
    const probe = new Uint8Array([0x61, 0xe2, 0x82, 0xac, 0xff]);
    return (f as Utf8Slice).call(probe, 0, 5) === "a\u20ac\ufffd" ? (f as Utf8Slice) : null;
  } catch {
    return null;
  }
})();

/** The UTF-8 bytes of `s` in a new array. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Writes the UTF-8 bytes of `s` at out[off]; returns the bytes written. `out` must have room for utf8Length(s). */
export function encodeUtf8Into(s: string, out: Uint8Array, off: number): number {
  if (s.length < 64) {
    // Short strings: a plain loop beats the encodeInto call and its result object.
    let j = off;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      out[j++] = c;
    }
    if (i === s.length) return j - off;
  }
  return encoder.encodeInto(s, out.subarray(off)).written;
}

/** The number of bytes of the UTF-8 encoding of `s`, without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      n += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 code units, 4 bytes
      i++;
    } else {
      n += 2; // BMP char (or lone surrogate, as U+FFFD): 3 bytes
    }
  }
  return n;
}

/** Decodes buf[start..end) as UTF-8 (invalid sequences become U+FFFD). */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return "";
  if (nodeUtf8Slice !== null) return nodeUtf8Slice.call(buf, start, end);
  if (n <= 16) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return decoder.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(buf.subarray(start, end));
}

const CHUNK = 1024;
const scratch16 = new Uint16Array(CHUNK);

/** Decodes buf[start..end) as UTF-16 (little-endian unless `bigEndian`). */
export function decodeUtf16(buf: Uint8Array, start: number, end: number, bigEndian: boolean): string {
  const n = (end - start) >> 1;
  if (n <= 0) return "";
  let s = "";
  let k = 0;
  const hiOff = bigEndian ? 0 : 1;
  const loOff = bigEndian ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const p = start + 2 * i;
    scratch16[k++] = (buf[p + hiOff] << 8) | buf[p + loOff];
    if (k === CHUNK) {
      s += String.fromCharCode.apply(null, scratch16 as unknown as number[]);
      k = 0;
    }
  }
  if (k > 0) s += String.fromCharCode.apply(null, scratch16.subarray(0, k) as unknown as number[]);
  return s;
}

/** The byte length of `s` in UTF-16 (2 per code unit). */
export function utf16Length(s: string): number {
  return 2 * s.length;
}

/** Writes `s` as UTF-16 at out[off]; returns the bytes written (2 * s.length). */
export function encodeUtf16Into(s: string, out: Uint8Array, off: number, bigEndian: boolean): number {
  const hiOff = bigEndian ? 0 : 1;
  const loOff = bigEndian ? 1 : 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[off + 2 * i + hiOff] = c >>> 8;
    out[off + 2 * i + loOff] = c & 0xff;
  }
  return 2 * s.length;
}

/** Decodes buf[start..end) as text in the database encoding `enc`. */
export function decodeText(buf: Uint8Array, start: number, end: number, enc: TextEncoding): string {
  if (enc === TEXT_ENCODING_UTF8) return decodeUtf8(buf, start, end);
  return decodeUtf16(buf, start, end, enc === TEXT_ENCODING_UTF16BE);
}

/** The byte length of `s` encoded in `enc`. */
export function textLength(s: string, enc: TextEncoding): number {
  return enc === TEXT_ENCODING_UTF8 ? utf8Length(s) : 2 * s.length;
}

/** Writes `s` in encoding `enc` at out[off]; returns the bytes written. */
export function encodeTextInto(s: string, out: Uint8Array, off: number, enc: TextEncoding): number {
  if (enc === TEXT_ENCODING_UTF8) return encodeUtf8Into(s, out, off);
  return encodeUtf16Into(s, out, off, enc === TEXT_ENCODING_UTF16BE);
}

/**
 * Compares two strings in code point order, which is the order of their UTF-8 bytes
 * under memcmp (SQLite's BINARY collation on a UTF-8 database). Returns <0, 0, >0.
 */
export function compareUtf16CodePoints(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800..DFFF) stand for code points above FFFF: move them above E000..FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
