/*
 * Property: random tables with UNIQUE / NOT NULL / CHECK constraints and random sequences
 * of INSERT OR <action>, UPSERT, UPDATE OR <action>, DELETE, SAVEPOINT, RELEASE,
 * ROLLBACK TO, BEGIN, COMMIT and ROLLBACK leave Strata and SQLite 3.53 in the same state
 * after every statement (outcome, counters, autocommit flag, every table's rows).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { Pair } from "./dml-support.js";

const ACTIONS = ["", " OR ABORT", " OR FAIL", " OR IGNORE", " OR REPLACE", " OR ROLLBACK"];
const SP = ["s1", "S1", "s2", "s3"];

const small = fc.integer({ min: 0, max: 9 });
const val = fc.oneof(small, fc.constant(null), fc.constantFrom("'x'", "'y'", "1.5"));
const row = fc.tuple(fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }), val, val, val);

interface Shape {
  uniqueB: boolean;
  notNullC: string | null;
  check: boolean;
  uniqueCD: boolean;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  uniqueB: fc.boolean(),
  notNullC: fc.option(fc.constantFrom("", " ON CONFLICT IGNORE", " ON CONFLICT REPLACE", " ON CONFLICT FAIL"), { nil: null }),
  check: fc.boolean(),
  uniqueCD: fc.boolean(),
});

function createTable(s: Shape): string {
  const cols = [
    "a INTEGER PRIMARY KEY",
    `b INT${s.uniqueB ? " UNIQUE" : ""}`,
    `c${s.notNullC !== null ? " NOT NULL" + s.notNullC + " DEFAULT 'd'" : ""}`,
    `d${s.check ? " CHECK(d IS NULL OR d <> 7)" : ""}`,
  ];
  if (s.uniqueCD) cols.push("UNIQUE(c, d)");
  return `CREATE TABLE t(${cols.join(", ")})`;
}

const fmt = (v: number | string | null): string => (v === null ? "NULL" : String(v));

function stmt(s: Shape): fc.Arbitrary<string> {
  const insert = fc.tuple(fc.constantFrom(...ACTIONS), fc.array(row, { minLength: 1, maxLength: 4 })).map(
    ([a, rows]) => `INSERT${a} INTO t VALUES${rows.map((r) => `(${r.map(fmt).join(", ")})`).join(", ")}`,
  );
  const upsert = fc.tuple(row, fc.constantFrom("DO NOTHING", "DO UPDATE SET c = excluded.c", "DO UPDATE SET d = coalesce(d, 0) + 1 WHERE d IS NOT 6")).map(
    ([r, act]) => `INSERT INTO t VALUES(${r.map(fmt).join(", ")}) ON CONFLICT${s.uniqueB ? "(b)" : "(a)"} ${act}`,
  );
  const update = fc.tuple(fc.constantFrom(...ACTIONS), fc.constantFrom("b = b + 1", "c = NULL", "d = d + 3", "a = a + 2", "b = 3, c = 'y'", "d = 7"), small).map(
    ([a, set, k]) => `UPDATE${a} t SET ${set} WHERE a > ${k}`,
  );
  const del = small.map((k) => `DELETE FROM t WHERE b = ${k} OR a = ${k}`);
  const sp = fc.tuple(fc.constantFrom("SAVEPOINT", "RELEASE", "ROLLBACK TO", "RELEASE SAVEPOINT", "ROLLBACK TRANSACTION TO SAVEPOINT"), fc.constantFrom(...SP)).map(([k, n]) => `${k} ${n}`);
  const txn = fc.constantFrom("BEGIN", "COMMIT", "ROLLBACK");
  return fc.oneof(
    { arbitrary: insert, weight: 4 },
    { arbitrary: upsert, weight: 2 },
    { arbitrary: update, weight: 3 },
    { arbitrary: del, weight: 1 },
    { arbitrary: sp, weight: 4 },
    { arbitrary: txn, weight: 1 },
  );
}

describe("statement journals and savepoints: random scripts vs SQLite 3.53", () => {
  it("full state agrees after every statement", () => {
    fc.assert(
      fc.property(shape.chain((s) => fc.tuple(fc.constant(s), fc.array(stmt(s), { minLength: 5, maxLength: 30 }))), ([s, script]) => {
        const pair = new Pair();
        try {
          pair.step(createTable(s));
          pair.step("BEGIN");
          pair.script(script);
          if (pair.conn.inTransaction) pair.step("COMMIT");
        } finally {
          pair.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
