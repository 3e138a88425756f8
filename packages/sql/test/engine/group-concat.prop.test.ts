/*
 * group_concat / string_agg (func/aggregates.ts: bytes accumulated as SQLite's StrAccum)
 * as aggregates and as window functions with sliding frames, differential against SQLite
 * 3.53: texts with multibyte characters, NULs and empty strings, numbers (integers of
 * every size), NULLs, constant and varying separators (NULL ones too), so that
 * separator-length tracking, the "first term" reset after a frame empties its text, and
 * the NUL value of an all-empty frame are all reached.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata } from "./support.js";

const units = ["a", "B", "é", "€", "😀", "\u0000", " ", ","];
const value = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...units), maxLength: 5 }) },
  { weight: 2, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.integer({ min: -20, max: 120 }).map((n) => BigInt(n)) }, // bigint: INTEGER in both bindings
  // Integers of every size: digits written straight into the buffer up to 2^53, past it as text.
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(-9007199254740991n, 9007199254740991n, 9007199254740992n, -1n, 0n, 10n, 999999999999n) },
  { weight: 1, arbitrary: fc.constantFrom(1.5, -0.25) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const sep = fc.constantFrom("'-'", "''", "NULL", "' | '", "c", "CASE WHEN rowid % 3 = 0 THEN NULL WHEN rowid % 3 = 1 THEN '--' ELSE '' END");
const frame = fc.constantFrom(
  "ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", "ROWS BETWEEN 2 PRECEDING AND CURRENT ROW",
  "ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING", "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
  "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
);

describe("group_concat and string_agg vs SQLite 3.53", () => {
  it("agree as aggregates and as window functions", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 10 }), sep, frame, (rows, s, f) => {
        const conn = openMemory();
        const db = new Database(":memory:");
        try {
          for (const run of [(q: string, a: unknown[] = []) => runStrata(conn, q, a), (q: string, a: unknown[] = []) => runOracle(db, q, a)]) {
            run("CREATE TABLE t(c)");
            for (const r of rows) run("INSERT INTO t VALUES (?)", [r]);
          }
          for (const q of [
            `SELECT group_concat(c), group_concat(c, ${s}), string_agg(c, ${s}), count(*) FROM t`,
            `SELECT group_concat(c, ${s}) OVER (ORDER BY rowid ${f}), group_concat(c) OVER (ORDER BY rowid ${f}) FROM t`,
          ]) {
            expect(runStrata(conn, q), q).toEqual(runOracle(db, q));
          }
        } finally {
          conn.close();
          db.close();
        }
      }),
      { numRuns: 400 },
    );
  });
});
