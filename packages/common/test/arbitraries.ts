/* fast-check generators of SQL values, biased toward the hard cases of ordering. */
import fc from "fast-check";
import { real, type SqlValue } from "../src/index.js";

const edgeInts = [
  0n, 1n, -1n, 127n, 128n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n), -(2n ** 53n) - 1n,
  2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 63n) + 1n, 2n ** 63n - 1024n,
];
const edgeReals = [
  0, -0, 0.5, -0.5, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, -(2 ** 63), 2 ** 62, 2 ** 64, 1e300,
  -1e300, Infinity, -Infinity, 9007199254740993, 1.0000000000000002, 4503599627370496.5,
];

export const intValue: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.constantFrom(...edgeInts),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
);

export const realValue: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.constantFrom(...edgeReals).map((x) => real(x)),
  fc.double({ noNaN: true }).map((x) => real(x)),
  fc.integer({ min: -1000, max: 1000 }).map((x) => real(x / 4)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n }).map((x) => real(Number(x))),
);

const textChar = fc.oneof(
  fc.constantFrom("a", "A", "b", "B", "z", "Z", "_", " ", "~", "é", "É", "\u007f", "\u0080", "\uffff", "\ue000", "😀", "𝄞", "\u0000"),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
);
export const textValue: fc.Arbitrary<string> = fc.array(textChar, { maxLength: 6 }).map((a) => a.join(""));

export const blobValue: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 6 }).map((b) => new Uint8Array(b));

export const sqlValue: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.constant(null),
  intValue,
  realValue,
  textValue,
  blobValue,
);
