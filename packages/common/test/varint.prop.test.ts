import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { getVarint, getVarint32, getVarintBig, lastVarintLen, putVarint, varintSize } from "../src/index.js";
import { refGetVarint, refPutVarint } from "./reference.js";

// Values biased to every byte length: a random bit width, then a random value of it, either sign.
const int64 = fc.oneof(
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  fc.integer({ min: 0, max: 64 }).chain((bits) =>
    fc.bigInt({ min: 0n, max: bits === 0 ? 0n : (1n << BigInt(bits)) - 1n }).map((v) => BigInt.asIntN(64, v)),
  ),
);

describe("varint properties", () => {
  it("putVarint agrees with the reference encoder; getVarint/getVarintBig decode it back", () => {
    fc.assert(
      fc.property(int64, (v) => {
        const buf = new Uint8Array(10);
        const n = putVarint(buf, 1, v);
        expect(Array.from(buf.subarray(1, 1 + n))).toEqual(refPutVarint(v));
        expect(n).toBe(varintSize(v));
        expect(getVarintBig(buf, 1)).toBe(v);
        const num = getVarint(buf, 1);
        expect(lastVarintLen()).toBe(n);
        if (v >= -(1n << 53n) && v < 1n << 53n) expect(num).toBe(Number(v));
        else expect(Number.isNaN(num)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("the decoders agree with the reference decoder on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 9, maxLength: 9 }), (bytes) => {
        const [ref, len] = refGetVarint(bytes, 0);
        expect(getVarintBig(bytes, 0)).toBe(ref);
        expect(lastVarintLen()).toBe(len);
        const v32 = getVarint32(bytes, 0);
        expect(lastVarintLen()).toBe(len);
        expect(v32).toBe(ref >= 0n && ref <= 0xffffffffn ? Number(ref) : 0xffffffff);
      }),
      { numRuns: 5000 },
    );
  });

  it("safe-integer numbers encode as the equal bigint does", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const a = new Uint8Array(9);
        const b = new Uint8Array(9);
        expect(putVarint(a, 0, v)).toBe(putVarint(b, 0, BigInt(v)));
        expect(a).toEqual(b);
        expect(varintSize(v)).toBe(varintSize(BigInt(v)));
      }),
    );
  });
});
