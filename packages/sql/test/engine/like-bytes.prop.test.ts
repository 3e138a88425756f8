/*
 * fast-check differential property for LIKE, length() and group_concat() on text read from a table (the
 * VM hands functions the record's UTF-8 bytes; like.ts matches ASCII patterns on them
 * without decoding): random subjects with multibyte characters and NULs,
 * random patterns with %, _, ESCAPE and case variants, compared with SQLite 3.53.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const unit = fc.constantFrom("a", "b", "A", "B", "x", "%", "_", "\\", "é", "É", "😀", "ß", " ");
const subject = fc.oneof(
  fc.string({ unit, maxLength: 8 }).map((s) => `'${s}'`),
  // Text from bytes: multibyte characters and NULs inside. (Malformed UTF-8 is left out:
  // CAST(x'..' AS TEXT) stores it as U+FFFD in Strata, unlike SQLite: a separate gap.)
  fc.array(fc.constantFrom("61", "41", "62", "25", "5f", "c3a9", "e282ac", "f09f9880", "00"), { maxLength: 6 })
    .map((h) => `CAST(x'${h.join("")}' AS TEXT)`),
  fc.constantFrom("NULL", "12", "1.5", "x'61'"),
);
const pattern = fc.string({ unit: fc.constantFrom("a", "A", "b", "x", "%", "_", "\\", "é", "😀", "\u0000"), maxLength: 6 });
const escape = fc.constantFrom(null, "\\", "%", "_", "a", "é");

describe("LIKE and length() on stored text vs SQLite 3.53", () => {
  it("agree", () => {
    fc.assert(fc.property(fc.array(subject, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(pattern, escape), { minLength: 1, maxLength: 4 }), (rows, pats) => {
      const pair = new Pair();
      try {
        pair.exec("CREATE TABLE t(s TEXT)");
        for (const r of rows) pair.exec(`INSERT INTO t VALUES(${r})`);
        for (const q of ["SELECT rowid, length(s) FROM t", "SELECT group_concat(s), group_concat(s, 'é|'), count(*) FROM t",
          "SELECT group_concat(s || s) FROM t"]) {
          const [mine, theirs] = pair.both(q);
          expect({ q, r: mine }).toEqual({ q, r: theirs });
        }
        for (const [p, e] of pats) {
          const q = e === null ? "SELECT rowid, s LIKE ? FROM t" : "SELECT rowid, s LIKE ? ESCAPE ? FROM t";
          const params = e === null ? [p] : [p, e];
          const [mine, theirs] = pair.both(q, false, params);
          expect({ p, e, r: mine }).toEqual({ p, e, r: theirs });
        }
      } finally {
        pair.close();
      }
    }), { numRuns: 400 });
  });
  it("fixed corner cases", () => {
    const pair = new Pair();
    try {
      pair.exec("CREATE TABLE t(s TEXT)");
      for (const r of ["'aé_b'", "'AÉB'", "'a😀b'", "'ab'", "'a%b'", "'a_b'", "CAST(x'610062' AS TEXT)", "''"]) pair.exec(`INSERT INTO t VALUES(${r})`);
      for (const [p, e] of [["a_b", null], ["a__b", null], ["%_", null], ["_%", null], ["a%", null], ["A%B", null], ["%b", null],
        ["a\\_b", "\\"], ["a\\%b", "\\"], ["a%b", "%"], ["a_b", "_"], ["a", null], ["%", null], ["", null], ["a_", null], ["_", null],
        ["%\u0000x", null], ["a\u0000", null]] as [string, string | null][]) {
        const q = e === null ? "SELECT rowid, s LIKE ?, length(s) FROM t" : "SELECT rowid, s LIKE ? ESCAPE ? FROM t";
        const [mine, theirs] = pair.both(q, false, e === null ? [p] : [p, e]);
        expect({ p, e, r: mine }).toEqual({ p, e, r: theirs });
      }
    } finally {
      pair.close();
    }
  });
});
