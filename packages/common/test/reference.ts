/*
 * Simple reference versions of the hand-optimised routines in src/ (style.md: "keep a
 * simple reference version in test/ and a property test that the two agree"). Written
 * for obviousness, with bigint arithmetic and plain arrays; speed does not matter.
 */
import type { SqlValue } from "../src/index.js";
import { Real } from "../src/index.js";

/** Varint encode over bigint: 7-bit groups, 9th byte holds 8 bits. */
export function refPutVarint(v: bigint): number[] {
  let u = BigInt.asUintN(64, v);
  if (u >= 1n << 56n) {
    const out: number[] = [Number(u & 0xffn)];
    u >>= 8n;
    for (let i = 0; i < 8; i++) {
      out.unshift(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    return out;
  }
  const out: number[] = [Number(u & 0x7fn)];
  u >>= 7n;
  while (u > 0n) {
    out.unshift(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  return out;
}

/** Varint decode over bigint; returns [value, length]. */
export function refGetVarint(buf: Uint8Array, off: number): [bigint, number] {
  let v = 0n;
  for (let i = 0; i < 8; i++) {
    const b = buf[off + i];
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) return [BigInt.asIntN(64, v), i + 1];
  }
  v = (v << 8n) | BigInt(buf[off + 8]);
  return [BigInt.asIntN(64, v), 9];
}

export type RefValue =
  | { t: "null" }
  | { t: "int"; v: bigint }
  | { t: "real"; v: number }
  | { t: "text"; v: string }
  | { t: "blob"; v: Uint8Array };

/** Decodes a record by the book, eagerly, into tagged values (UTF-8 text). */
export function refDecodeRecord(rec: Uint8Array): RefValue[] {
  const [hdrSize, n0] = refGetVarint(rec, 0);
  const types: bigint[] = [];
  let p = n0;
  while (p < Number(hdrSize)) {
    const [st, n] = refGetVarint(rec, p);
    types.push(st);
    p += n;
  }
  let d = Number(hdrSize);
  const out: RefValue[] = [];
  for (const stb of types) {
    const st = Number(stb);
    if (st === 0) out.push({ t: "null" });
    else if (st >= 1 && st <= 6) {
      const len = [0, 1, 2, 3, 4, 6, 8][st];
      let v = 0n;
      for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(rec[d + i]);
      out.push({ t: "int", v: BigInt.asIntN(len * 8, v) });
      d += len;
    } else if (st === 7) {
      const dv = new DataView(rec.buffer, rec.byteOffset + d, 8);
      out.push({ t: "real", v: dv.getFloat64(0, false) });
      d += 8;
    } else if (st === 8 || st === 9) out.push({ t: "int", v: BigInt(st - 8) });
    else {
      const len = Math.floor((st - 12) / 2);
      const bytes = rec.slice(d, d + len);
      out.push(st % 2 === 1 ? { t: "text", v: new TextDecoder().decode(bytes) } : { t: "blob", v: bytes });
      d += len;
    }
  }
  return out;
}

/** The tagged form of an input value, as the encoder's rules classify it. */
export function refClassify(v: SqlValue): RefValue {
  if (v === null) return { t: "null" };
  if (v instanceof Real) return Number.isNaN(v.value) ? { t: "null" } : { t: "real", v: v.value };
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return { t: "int", v: BigInt(v) };
    return Number.isNaN(v) ? { t: "null" } : { t: "real", v };
  }
  if (typeof v === "bigint") return { t: "int", v };
  if (typeof v === "string") return { t: "text", v };
  return { t: "blob", v };
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Exact integer vs real via rationals: compare i with r using bigint on r's exact value. */
function cmpIntReal(i: bigint, r: number): number {
  if (r === Infinity) return -1;
  if (r === -Infinity) return 1;
  const fl = Math.floor(r);
  const fi = BigInt(fl);
  if (i < fi) return -1;
  if (i > fi) return 1;
  return r > fl ? -1 : 0;
}

export type RefColl = "BINARY" | "NOCASE" | "RTRIM";

/** SQLite's ordering of two tagged values, by the book (text via UTF-8 bytes). */
export function refCompare(a: RefValue, b: RefValue, coll: RefColl = "BINARY"): number {
  const rank = (x: RefValue) => (x.t === "null" ? 0 : x.t === "int" || x.t === "real" ? 1 : x.t === "text" ? 2 : 3);
  if (rank(a) !== rank(b)) return Math.sign(rank(a) - rank(b));
  if (a.t === "null") return 0;
  if (a.t === "int" && b.t === "int") return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.t === "real" && b.t === "real") return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.t === "int" && b.t === "real") return cmpIntReal(a.v, b.v);
  if (a.t === "real" && b.t === "int") return -cmpIntReal(b.v, a.v);
  if (a.t === "text" && b.t === "text") {
    let x: Uint8Array = new TextEncoder().encode(a.v);
    let y: Uint8Array = new TextEncoder().encode(b.v);
    if (coll === "NOCASE") {
      // sqlite3StrNICmp over the shorter length, C-string style (it stops at a NUL in x),
      // then the byte lengths decide.
      const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const d = fold(x[i]) - fold(y[i]);
        if (d !== 0) return Math.sign(d);
        if (x[i] === 0) break;
      }
      return Math.sign(x.length - y.length);
    } else if (coll === "RTRIM") {
      const trim = (z: Uint8Array) => { let e = z.length; while (e > 0 && z[e - 1] === 32) e--; return z.subarray(0, e); };
      x = trim(x);
      y = trim(y);
    }
    return Math.sign(cmpBytes(x, y));
  }
  if (a.t === "blob" && b.t === "blob") return Math.sign(cmpBytes(a.v, b.v));
  throw new Error("unreachable");
}
