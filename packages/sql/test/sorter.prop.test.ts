// The sorter (vdbe/cursor.ts RecordSet): records copied into one arena and sorted by
// record number, with a fast path for numeric first fields; it must order exactly as a
// stable sort under the full record comparison does, whatever the mix of storage classes.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareRecords, encodeRecord, makeKeyInfo, real, SORT_BIGNULL, SORT_DESC, type SqlValue } from "@strata/common";
import { RecordSet } from "../src/vdbe/cursor.js";

const field: fc.Arbitrary<SqlValue> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 2, arbitrary: fc.constantFrom(0.5, -0.5, 1.0, 2.5, -0, 1e300).map((x) => real(x)) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom("a", "b", "1") },
  { weight: 1, arbitrary: fc.constantFrom(9007199254740993n, -9223372036854775808n, 9007199254740992n) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array([1])) },
);

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
