import { describe, expect, it } from "vitest";
import {
  getVarint, getVarint32, getVarintBig, lastVarintLen, putVarint, putVarint32, varintLen, varintSize,
} from "../src/index.js";
import { refGetVarint, refPutVarint } from "./reference.js";

// Every byte-length boundary: 2^(7k) - 1 and 2^(7k) for k = 1..8, plus the int64 extremes.
const boundaries: bigint[] = [0n, 1n, -1n, 9223372036854775807n, -9223372036854775808n];
for (let k = 1; k <= 9; k++) {
  const p = 1n << BigInt(7 * k);
  boundaries.push(p - 1n, p, p + 1n);
}
for (const e of [31, 32, 52, 53, 54, 62]) {
  const p = 1n << BigInt(e);
  boundaries.push(p - 1n, p, p + 1n, -p - 1n, -p, -p + 1n);
}
const inInt64 = boundaries.filter((v) => v >= -(1n << 63n) && v < 1n << 63n);

describe("varint", () => {
  it.each(inInt64.map((v) => [v]))("round-trips %s at every boundary, as the reference encodes it", (v) => {
    const buf = new Uint8Array(12).fill(0xaa);
    const n = putVarint(buf, 1, v);
    const ref = refPutVarint(v);
    expect(Array.from(buf.subarray(1, 1 + n))).toEqual(ref);
    expect(buf[0]).toBe(0xaa);
    expect(buf[1 + n]).toBe(0xaa);
    expect(varintSize(v)).toBe(n);
    expect(varintLen(buf, 1)).toBe(n);
    expect(getVarintBig(buf, 1)).toBe(v);
    expect(lastVarintLen()).toBe(n);
    const num = getVarint(buf, 1);
    expect(lastVarintLen()).toBe(n);
    if (v >= -(1n << 53n) && v < 1n << 53n) expect(num).toBe(Number(v));
    else expect(num).toBeNaN();
    // number input writes the same bytes when exact
    if (v >= -(1n << 53n) && v <= 1n << 53n) {
      const b2 = new Uint8Array(9);
      expect(putVarint(b2, 0, Number(v))).toBe(n);
      expect(Array.from(b2.subarray(0, n))).toEqual(ref);
      expect(varintSize(Number(v))).toBe(n);
    }
  });

  it("has the documented sizes", () => {
    expect(varintSize(0)).toBe(1);
    expect(varintSize(127)).toBe(1);
    expect(varintSize(128)).toBe(2);
    expect(varintSize(2 ** 53 - 1)).toBe(8);
    expect(varintSize(2n ** 56n - 1n)).toBe(8);
    expect(varintSize(2 ** 56)).toBe(9);
    expect(varintSize(-1)).toBe(9);
    expect(varintSize(-(2n ** 63n))).toBe(9);
  });

  it("encodes known byte strings", () => {
    const b = new Uint8Array(9);
    expect(putVarint(b, 0, 300)).toBe(2);
    expect(Array.from(b.subarray(0, 2))).toEqual([0x82, 0x2c]);
    expect(putVarint(b, 0, -1)).toBe(9);
    expect(Array.from(b)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(getVarint(b, 0)).toBe(-1);
  });

  it("getVarint32 clamps values above 2^32-1 and negatives", () => {
    const b = new Uint8Array(9);
    for (const v of [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 32 - 1]) {
      const n = putVarint32(b, 0, v);
      expect(n).toBe(varintSize(v));
      expect(getVarint32(b, 0)).toBe(v);
      expect(lastVarintLen()).toBe(n);
    }
    putVarint(b, 0, 2 ** 32);
    expect(getVarint32(b, 0)).toBe(0xffffffff);
    putVarint(b, 0, -5);
    expect(getVarint32(b, 0)).toBe(0xffffffff);
    expect(lastVarintLen()).toBe(9);
  });

  it("accepts integral numbers beyond 2^53 and rejects non-int64 input", () => {
    const b = new Uint8Array(9);
    putVarint(b, 0, 2 ** 60);
    expect(getVarintBig(b, 0)).toBe(2n ** 60n);
    putVarint(b, 0, -(2 ** 63));
    expect(getVarintBig(b, 0)).toBe(-(2n ** 63n));
    expect(() => putVarint(b, 0, 2 ** 63)).toThrow(RangeError);
    expect(() => putVarint(b, 0, 1.5)).toThrow(RangeError);
    expect(() => putVarint(b, 0, 2n ** 63n)).toThrow(RangeError);
    expect(() => varintSize(0.5)).toThrow(RangeError);
  });

  it("a truncated varint reads missing bytes as zero and reports its full length", () => {
    const b = new Uint8Array([0x81, 0x80]);
    expect(getVarint(b, 0)).toBe(128 * 128);
    expect(lastVarintLen()).toBe(3);
    expect(refGetVarint(b, 0)).toEqual([16384n, 3]);
  });
});
