// CREATE INDEX / REINDEX fill an index from a sorter and append in key order
// (codegen/reindex.ts invariant 4). Differential against SQLite 3.53: random rows (NULLs,
// integers, reals, texts that differ in case and trailing spaces, blobs, duplicates),
// random index shapes (columns, DESC, COLLATE NOCASE/RTRIM, UNIQUE, partial WHERE), in a
// transaction or not; the CREATE INDEX outcome (a UNIQUE failure by code and message),
// integrity_check, lookups and ordered scans through the index must agree, also after
// more rows are inserted into the filled index and after REINDEX.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pair } from "../engine/diff-helper.js";

const value = fc.oneof(
  { weight: 2, arbitrary: fc.constant("NULL") },
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 30 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("1.5", "-0.25", "2.0", "1e3") },
  { weight: 4, arbitrary: fc.constantFrom("'a'", "'A'", "'b'", "'a '", "'B'", "'abc'", "'Abc'", "''", "'zz'") },
  { weight: 1, arbitrary: fc.constantFrom("x'00'", "x'0102'", "x''") },
);
const row = fc.tuple(value, value, value);
const col = fc.constantFrom("a", "b", "c");
const term = fc.record({
  col,
  coll: fc.constantFrom("", " COLLATE NOCASE", " COLLATE RTRIM"),
  desc: fc.constantFrom("", " DESC"),
});
const shape = fc.record({
  unique: fc.boolean(),
  terms: fc.array(term, { minLength: 1, maxLength: 3 }),
  where: fc.constantFrom("", " WHERE a IS NOT NULL", " WHERE b > 2"),
  inTxn: fc.boolean(),
  many: fc.nat({ max: 3 }),
});

describe("CREATE INDEX fills like SQLite", () => {
  it("random rows and index shapes agree", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), shape, fc.array(row, { maxLength: 10 }), (rows, s, more) => {
        const pair = new Pair();
        try {
          pair.exec("CREATE TABLE t(a, b, c)");
          // `many` repeats the rows so the index spans several pages.
          for (let k = 0; k <= s.many * 20 && rows.length > 0; k++) {
            pair.exec(`INSERT INTO t VALUES ${rows.map((r) => `(${r.join(", ")})`).join(", ")}`);
          }
          const cols = s.terms.map((t) => `${t.col}${t.coll}${t.desc}`).join(", ");
          const create = `CREATE ${s.unique ? "UNIQUE " : ""}INDEX ix ON t(${cols})${s.where}`;
          if (s.inTxn) pair.exec("BEGIN");
          const [ca, cb] = pair.both(create);
          expect(ca, create).toEqual(cb);
          const checks = [
            "PRAGMA integrity_check",
            "SELECT count(*) FROM t INDEXED BY ix" + (s.where === "" ? "" : s.where),
            `SELECT ${cols.replace(/ DESC/g, "")}, rowid FROM t${s.where} ORDER BY ${cols}, rowid`,
            `SELECT rowid FROM t WHERE ${s.terms[0].col} = 3${s.where === "" ? "" : " AND " + s.where.slice(7)} ORDER BY rowid`,
            `SELECT rowid FROM t WHERE ${s.terms[0].col} = 'a'${s.terms[0].coll}${s.where === "" ? "" : " AND " + s.where.slice(7)} ORDER BY rowid`,
          ];
          for (const q of checks) {
            const [a, b] = pair.both(q);
            expect(a, q).toEqual(b);
          }
          for (const r of more) {
            const ins = `INSERT INTO t VALUES (${r.join(", ")})`;
            const [a, b] = pair.both(ins);
            expect(a, ins).toEqual(b);
          }
          const [ra, rb] = pair.both("REINDEX ix");
          expect(ra, "REINDEX").toEqual(rb);
          if (s.inTxn) {
            const [xa, xb] = pair.both("COMMIT");
            expect(xa).toEqual(xb);
          }
          for (const q of checks) {
            const [a, b] = pair.both(q);
            expect(a, q).toEqual(b);
          }
        } finally {
          pair.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
