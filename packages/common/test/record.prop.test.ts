import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeRecord, RecordReader, Real, recordSize, SqliteError, type SqlValue } from "../src/index.js";
import { refClassify, refDecodeRecord, type RefValue } from "./reference.js";
import { sqlValue } from "./arbitraries.js";

const tagged = (v: SqlValue): RefValue => refClassify(v);

describe("record properties", () => {
  it("encode then the reference decoder gives back every value with its storage class", () => {
    fc.assert(
      fc.property(fc.array(sqlValue, { maxLength: 12 }), (row) => {
        const rec = encodeRecord(row);
        expect(rec.length).toBe(recordSize(row));
        expect(refDecodeRecord(rec)).toEqual(row.map(tagged));
      }),
      { numRuns: 3000 },
    );
  });

  it("the lazy reader agrees with the reference decoder, columns read in any order, reader reused", () => {
    const r = new RecordReader();
    fc.assert(
      fc.property(
        fc.array(sqlValue, { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 20 }),
        (row, order) => {
          const rec = encodeRecord(row);
          const ref = refDecodeRecord(rec);
          r.reset(rec);
          for (const i of order) {
            const got = r.getTypedValue(i);
            if (i >= ref.length) {
              expect(got).toBeNull();
              continue;
            }
            const want = ref[i];
            const gotTagged = refClassify(got);
            expect(gotTagged).toEqual(want);
            if (want.t === "real") expect(got).toBeInstanceOf(Real);
          }
          expect(r.columnCount).toBe(row.length);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("arbitrary bytes either decode consistently or throw SQLITE_CORRUPT, nothing else", () => {
    const r = new RecordReader();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        try {
          r.reset(bytes);
          const n = r.columnCount;
          const ref = refDecodeRecord(bytes).map((x): RefValue => (x.t === "real" && Number.isNaN(x.v) ? { t: "null" } : x));
          expect(ref).toHaveLength(n);
          for (let i = 0; i < n; i++) expect(refClassify(r.getTypedValue(i))).toEqual(ref[i]);
        } catch (e) {
          if (!(e instanceof SqliteError) || e.code !== "SQLITE_CORRUPT") throw e;
        }
      }),
      { numRuns: 5000 },
    );
  });
});
