/*
 * fast-check differential property: ORDER BY ... LIMIT / OFFSET (the sorter keeps only
 * LIMIT + OFFSET records, cursor.ts RecordSet top-N) over enough rows to replace kept
 * records and compact the arena: ties (kept in insertion order), DESC, NULLs, mixed
 * storage classes, two keys, a NOCASE key, expressions, DISTINCT, compared with SQLite 3.53.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const value = fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), fc.constantFrom("NULL", "2.5", "'a'", "'B'", "'b'", "x'01'"));
const key = fc.constantFrom("a", "b", "c", "a DESC", "b COLLATE NOCASE", "c DESC", "a + c", "b, a", "a DESC, c", "2", "1 DESC");
const limit = fc.tuple(fc.integer({ min: -1, max: 12 }), fc.option(fc.integer({ min: -1, max: 8 }), { nil: null }))
  .map(([l, o]) => `LIMIT ${l}${o === null ? "" : ` OFFSET ${o}`}`);

describe("ORDER BY with LIMIT vs SQLite 3.53", () => {
  it("agree", () => {
    fc.assert(fc.property(fc.array(fc.tuple(value, value, value), { minLength: 0, maxLength: 150 }), fc.array(fc.tuple(key, limit, fc.boolean()), { minLength: 1, maxLength: 4 }), (rows, qs) => {
      const pair = new Pair();
      try {
        pair.exec("CREATE TABLE t(a, b TEXT, c INTEGER)");
        if (rows.length > 0) pair.exec(`INSERT INTO t VALUES ${rows.map(([x, y, z]) => `(${x}, ${y}, ${z})`).join(", ")}`);
        for (const [k, l, distinct] of qs) {
          const q = `SELECT ${distinct ? "DISTINCT " : ""}a, b, c FROM t ORDER BY ${k} ${l}`;
          const [mine, theirs] = pair.both(q);
          expect({ q, r: mine }).toEqual({ q, r: theirs });
          const q2 = `SELECT rowid, b FROM t WHERE c IS NOT NULL ORDER BY ${k.replace(/^[12]( DESC)?$/, "c")} ${l}`;
          const [mine2, theirs2] = pair.both(q2);
          expect({ q2, r: mine2 }).toEqual({ q2, r: theirs2 });
        }
      } finally {
        pair.close();
      }
    }), { numRuns: 300 });
  });
});
