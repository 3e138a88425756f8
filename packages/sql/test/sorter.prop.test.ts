// The sorter (vdbe/cursor.ts RecordSet, vdbe/sorter-sort.ts): records copied into one arena
// and sorted by record number, with keys for numeric and BINARY text first fields; it must
// order exactly as a stable sort under the full record comparison does, whatever the mix of
// storage classes, text prefixes and lengths, collations and encodings.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BINARY, compareRecords, encodeRecord, makeKeyInfo, NOCASE, real, SORT_BIGNULL, SORT_DESC,
  TEXT_ENCODING_UTF16BE, TEXT_ENCODING_UTF16LE, TEXT_ENCODING_UTF8, type SqlValue, type TextEncoding,
} from "@strata/common";
import { RecordSet } from "../src/vdbe/cursor.js";

const field: fc.Arbitrary<SqlValue> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 2, arbitrary: fc.constantFrom(0.5, -0.5, 1.0, 2.5, -0, 1e300).map((x) => real(x)) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom("a", "b", "1") },
  { weight: 1, arbitrary: fc.constantFrom(9007199254740993n, -9223372036854775808n, 9007199254740992n) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array([1])) },
);

// Texts that share long prefixes and differ late, around the 6- and 12-byte key windows,
// in length only, by NUL bytes, by case and by multibyte characters.
const text: fc.Arbitrary<SqlValue> = fc
  .tuple(
    fc.constantFrom("", "row-000", "row-0001", "prefix-shared-by-many-texts-", "Ab"),
    fc.array(fc.constantFrom("0", "1", "9", "a", "A", "\u0000", "é", "\u{1F600}", "z", "~"), { maxLength: 16 }),
  )
  .map(([p, cs]) => p + cs.join(""));

function sortsLikeReference(rows: SqlValue[][], nField: number, flags: number, coll: typeof BINARY | null, enc: TextEncoding): void {
  const ki = makeKeyInfo(nField, { sortFlags: [flags, 0], collations: [coll], encoding: enc });
  const set = new RecordSet(ki);
  const recs = rows.map((r, i) => encodeRecord([...r, i], { textEncoding: enc }));
  for (const r of recs) set.push(r);
  set.sort();
  const want = recs.map((r, i) => ({ r, i })).sort((x, y) => compareRecords(x.r, y.r, ki) || x.i - y.i);
  expect(set.count).toBe(recs.length);
  for (let k = 0; k < want.length; k++) expect(Array.from(set.recordAt(k))).toEqual(Array.from(want[k].r));
}

describe("the sorter orders text first fields as the record comparison does", () => {
  it("for texts with shared prefixes, any collation, encoding and sort flags", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: field }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom(0, SORT_DESC, SORT_BIGNULL),
        fc.constantFrom(null, BINARY, NOCASE),
        fc.constantFrom(TEXT_ENCODING_UTF8, TEXT_ENCODING_UTF16LE, TEXT_ENCODING_UTF16BE),
        (rows, nField, flags, coll, enc) => sortsLikeReference(rows, nField, flags, coll, enc),
      ),
      { numRuns: 300 },
    );
  });
  it("for presorted and reversed input (the merge shortcuts)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 400 }), fc.boolean(), (xs, rev) => {
        xs.sort((a, b) => (rev ? b - a : a - b));
        sortsLikeReference(xs.map((x) => [x, `t${x}`]), 1, 0, null, TEXT_ENCODING_UTF8);
      }),
      { numRuns: 100 },
    );
  });
});

describe("the sorter orders as a stable sort under the record comparison", () => {
  it("for any mix of first-field storage classes, key widths and sort flags", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(field, field), { maxLength: 300 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom(0, SORT_DESC, SORT_BIGNULL, SORT_DESC | SORT_BIGNULL),
        (rows, nField, flags) => {
          const ki = makeKeyInfo(nField, { sortFlags: [flags, 0] });
          const set = new RecordSet(ki);
          // A third field, the row number, shows stability.
          const recs = rows.map(([a, b], i) => encodeRecord([a, b, i]));
          for (const r of recs) set.push(r);
          set.sort();
          const want = recs.map((r, i) => ({ r, i })).sort((x, y) => compareRecords(x.r, y.r, ki) || x.i - y.i);
          expect(set.count).toBe(recs.length);
          for (let k = 0; k < want.length; k++) {
            expect(Array.from(set.recordAt(k))).toEqual(Array.from(want[k].r));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("the sorter's counting sort of one integer key field (countingOrder)", () => {
  it("orders as a stable sort for integers and whole REALs in a narrow or wide span", () => {
    const key: fc.Arbitrary<SqlValue> = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: -40, max: 40 }) },
      { weight: 2, arbitrary: fc.constantFrom(1.0, -0, 2.0, -3.0, 0.5).map((x) => real(x)) },
      { weight: 1, arbitrary: fc.constantFrom(1_000_000_000, -1099511627776, 9007199254740991) },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 300 }),
        fc.constantFrom(0, SORT_DESC, SORT_BIGNULL, SORT_DESC | SORT_BIGNULL),
        (rows, flags) => {
          const ki = makeKeyInfo(1, { sortFlags: [flags, 0] });
          const set = new RecordSet(ki);
          const recs = rows.map(([a, b], i) => encodeRecord([a, b, i]));
          for (const r of recs) set.push(r);
          set.sort();
          const want = recs.map((r, i) => ({ r, i })).sort((x, y) => compareRecords(x.r, y.r, ki) || x.i - y.i);
          for (let k = 0; k < want.length; k++) expect(Array.from(set.recordAt(k))).toEqual(Array.from(want[k].r));
        },
      ),
      { numRuns: 400 },
    );
  });
});
