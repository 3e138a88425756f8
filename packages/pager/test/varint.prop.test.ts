// The private 64-bit varint against a simple bigint reference (fileformat2 §1.5).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getVarint, putVarint, putVarint64, varintLen, varintLen64, vr } from "../src/varint.js";

function refEncode(v: bigint): number[] {
  let u = BigInt.asUintN(64, v);
  if (u >> 56n !== 0n) {
    const out = [Number(u & 0xffn)];
    u >>= 8n;
    for (let i = 0; i < 8; i++) {
      out.unshift(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    return out;
  }
  const out = [Number(u & 0x7fn)];
  u >>= 7n;
  while (u !== 0n) {
    out.unshift(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  return out;
}

const int64 = fc.oneof(
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  fc.integer({ min: 0, max: 20000 }).map(BigInt),
  fc.constantFrom(0n, 127n, 128n, 16383n, 16384n, (1n << 53n) - 1n, 1n << 53n, -(1n << 53n) + 1n, -(1n << 53n), (1n << 56n) - 1n, 1n << 56n, -1n, -(1n << 63n), (1n << 63n) - 1n),
);

describe("varint", () => {
  it("encodes like the reference and decodes back exactly", () => {
    fc.assert(
      fc.property(int64, (v) => {
        const buf = new Uint8Array(12);
        const u = BigInt.asUintN(64, v);
        const n = putVarint64(buf, 1, Number(u >> 32n), Number(u & 0xffffffffn));
        expect([...buf.subarray(1, 1 + n)]).toEqual(refEncode(v));
        expect(varintLen64(Number(u >> 32n), Number(u & 0xffffffffn))).toBe(n);
        const got = getVarint(buf, 1);
        expect(vr.len).toBe(n);
        const safe = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
        expect(vr.safe).toBe(safe);
        if (safe) {
          expect(got).toBe(Number(v));
          const buf2 = new Uint8Array(12);
          expect(putVarint(buf2, 0, Number(v))).toBe(n);
          expect([...buf2.subarray(0, n)]).toEqual(refEncode(v));
          if (v >= 0n) expect(varintLen(Number(v))).toBe(n);
        } else {
          expect((BigInt(vr.hi) << 32n) | BigInt(vr.lo)).toBe(v);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
