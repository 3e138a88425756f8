import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  compareUtf16CodePoints, decodeUtf16, decodeUtf8, encodeUtf16Into, encodeUtf8, encodeUtf8Into, utf8Length,
} from "../src/index.js";

const sgn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

function memcmpSign(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return sgn(a[i] - b[i]);
  return sgn(a.length - b.length);
}

const text = fc.string({ unit: fc.constantFrom("a", "é", "\uffff", "\ue000", "😀", "𝄞", "\u0800", "\u007f", "x"), maxLength: 40 });
const anyText = fc.oneof(text, fc.string({ unit: "binary", maxLength: 40 }));

describe("utf", () => {
  it("utf8Length and encodeUtf8Into agree with TextEncoder, lone surrogates included", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const ref = new TextEncoder().encode(s);
        expect(utf8Length(s)).toBe(ref.length);
        const out = new Uint8Array(ref.length + 3);
        expect(encodeUtf8Into(s, out, 3)).toBe(ref.length);
        expect(out.subarray(3)).toEqual(ref);
        expect(decodeUtf8(out, 3, out.length)).toBe(new TextDecoder().decode(ref));
      }),
      { numRuns: 3000 },
    );
  });

  it("compareUtf16CodePoints orders as memcmp on UTF-8 (unlike JS <)", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sgn(compareUtf16CodePoints(a, b))).toBe(memcmpSign(encodeUtf8(a), encodeUtf8(b)));
      }),
      { numRuns: 5000 },
    );
    expect("\uffff" < "😀").toBe(false); // JS order
    expect(compareUtf16CodePoints("\uffff", "😀")).toBeLessThan(0); // code point order
  });

  it("UTF-16 round-trips in both byte orders, and ignores a trailing odd byte", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 3000 }), fc.boolean(), (s, be) => {
        const out = new Uint8Array(2 * s.length + 1);
        expect(encodeUtf16Into(s, out, 0, be)).toBe(2 * s.length);
        expect(decodeUtf16(out, 0, out.length, be)).toBe(s);
      }),
      { numRuns: 300 },
    );
    const le = new Uint8Array([0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde]);
    expect(decodeUtf16(le, 0, 6, false)).toBe("A😀");
  });
});

describe("decodeUtf8 agrees with TextDecoder (invariant 5: the fast Node path and the portable one)", () => {
  const td = new TextDecoder("utf-8");
  it("on random bytes, valid or not, at any offset", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(8), fc.nat(8), (bytes, a, b) => {
        const start = Math.min(a, bytes.length);
        const end = Math.max(start, bytes.length - b);
        expect(decodeUtf8(bytes, start, end)).toBe(td.decode(bytes.subarray(start, end)));
      }),
      { numRuns: 5000 },
    );
  });
  it("on random strings' UTF-8 bytes, incl. astral and lone surrogates", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        expect(decodeUtf8(bytes, 0, bytes.length)).toBe(td.decode(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
