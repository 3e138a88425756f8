import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BINARY, compareRecords, compareRecordToParsed, ParsedKey, compareValues, encodeRecord, makeKeyInfo, NOCASE, RTRIM,
  SORT_BIGNULL, SORT_DESC, type Collation, type SqlValue,
} from "../src/index.js";
import { refClassify, refCompare, type RefColl } from "./reference.js";
import { sqlValue, textValue } from "./arbitraries.js";

const sgn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

const colls: [RefColl, Collation][] = [["BINARY", BINARY], ["NOCASE", NOCASE], ["RTRIM", RTRIM]];
const collArb = fc.constantFrom(...colls);

// The reference ordering of two rows under per-column collations and flags.
function refRowCompare(a: SqlValue[], b: SqlValue[], cs: RefColl[], flags: number[], n: number): number {
  const m = Math.min(a.length, b.length, n);
  for (let i = 0; i < m; i++) {
    const x = refClassify(a[i]);
    const y = refClassify(b[i]);
    let rc = refCompare(x, y, cs[i]);
    if (rc === 0) continue;
    const f = flags[i];
    const nul = x.t === "null" || y.t === "null";
    if (f !== 0 && ((f & SORT_BIGNULL) === 0 || ((f & SORT_DESC) !== 0) !== nul)) rc = -rc;
    return rc;
  }
  return 0;
}

describe("compare properties", () => {
  it("compareValues agrees with the reference ordering under each collation", () => {
    fc.assert(
      fc.property(sqlValue, sqlValue, collArb, (a, b, [name, coll]) => {
        expect(sgn(compareValues(a, b, coll))).toBe(sgn(refCompare(refClassify(a), refClassify(b), name)));
      }),
      { numRuns: 20000 },
    );
  });

  it("collations agree between their byte and string forms", () => {
    fc.assert(
      fc.property(textValue, textValue, collArb, (a, b, [, coll]) => {
        const x = new TextEncoder().encode(a);
        const y = new TextEncoder().encode(b);
        expect(sgn(coll.compareUtf8(x, 0, x.length, y, 0, y.length))).toBe(sgn(coll.compareStrings(a, b)));
      }),
      { numRuns: 5000 },
    );
  });

  it("compareRecords and compareRecordToParsed agree with the reference on rows (prefixes, DESC, BIGNULL)", () => {
    const row = fc.array(sqlValue, { maxLength: 4 });
    fc.assert(
      fc.property(
        row, row, fc.array(collArb, { minLength: 4, maxLength: 4 }),
        fc.array(fc.constantFrom(0, SORT_DESC, SORT_BIGNULL, SORT_DESC | SORT_BIGNULL), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 4 }), fc.constantFrom(-1, 0, 1),
        (a, b, cs, flags, n, defaultRc) => {
          const ki = makeKeyInfo(n, { collations: cs.map((c) => c[1]), sortFlags: flags });
          const ref = refRowCompare(a, b, cs.map((c) => c[0]), flags, n);
          const expected = ref === 0 ? defaultRc : sgn(ref);
          const ra = encodeRecord(a);
          const rb = encodeRecord(b);
          expect(sgn(compareRecords(ra, rb, ki, defaultRc))).toBe(expected);
          // The parsed key at an offset inside a larger buffer; the record with and without its DataView.
          const kb = new Uint8Array(rb.length + 3);
          kb.set(rb, 3);
          const pk = new ParsedKey();
          pk.parse(kb, 3, kb.length, n);
          const av = new DataView(ra.buffer, ra.byteOffset, ra.byteLength);
          expect(sgn(compareRecordToParsed(ra, av, 0, ra.length, pk, ki, defaultRc))).toBe(expected);
          expect(sgn(compareRecordToParsed(ra, null, 0, ra.length, pk, ki, defaultRc))).toBe(expected);
        },
      ),
      { numRuns: 10000 },
    );
  });

  it("compareRecordToParsed orders texts and blobs sharing long prefixes as memcmp does", () => {
    const tail = fc.string({ maxLength: 9, unit: fc.constantFrom("a", "b", "é", "\u0000", "~") });
    const field = fc.oneof(
      tail.map((t) => "three hundred forty " + t),
      fc.uint8Array({ maxLength: 11 }).map((t) => Uint8Array.of(1, 2, 3, 4, 5, 6, 7, ...t)),
    );
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 2 }), fc.array(field, { minLength: 1, maxLength: 2 }), (a, b) => {
        const ki = makeKeyInfo(2);
        const ra = encodeRecord(a);
        const rb = encodeRecord(b);
        const pk = new ParsedKey();
        pk.parse(rb, 0, rb.length, 2);
        const av = new DataView(ra.buffer, ra.byteOffset, ra.byteLength);
        expect(sgn(compareRecordToParsed(ra, av, 0, ra.length, pk, ki))).toBe(sgn(compareRecords(ra, rb, ki)));
      }),
      { numRuns: 5000 },
    );
  });

  it("a stored row and its own prefix: the answer is defaultRc", () => {
    const ki = makeKeyInfo(3);
    const full = encodeRecord([1, "a", 2]);
    const prefix = encodeRecord([1, "a"]);
    expect(compareRecords(full, prefix, ki, 1)).toBe(1);
    expect(compareRecords(full, prefix, ki, -1)).toBe(-1);
    expect(compareRecords(full, prefix, ki)).toBe(0);
    expect(compareRecords(full, encodeRecord([1, "b"]), ki, 1)).toBeLessThan(0);
  });
});
