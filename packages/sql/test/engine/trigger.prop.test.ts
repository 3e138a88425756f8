/*
 * Property: random trigger definitions over three tables and random DML sequences behave
 * as in SQLite 3.53 (better-sqlite3): after every statement the outcome (rows, or error
 * code and message: RAISE, constraint failures), changes(), last_insert_rowid(),
 * total_changes(), the autocommit flag and every table's contents agree (dml-support.ts).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { Pair } from "./dml-support.js";
import { propParams } from "../prop-params.js";

const TABLES = ["t1", "t2", "t3"];
// t1's INTEGER PRIMARY KEY makes non-integer values of a fail with "datatype mismatch".
const SCHEMA = [
  "CREATE TABLE t1(a INTEGER PRIMARY KEY, b)",
  "CREATE TABLE t2(a INT PRIMARY KEY, b UNIQUE)",
  "CREATE TABLE t3(a INT, b REAL NOT NULL DEFAULT 0)",
];

const small = fc.oneof(fc.integer({ min: -2, max: 9 }).map(String), fc.constant("NULL"), fc.constantFrom("'7'", "2.5", "'z'"));
const table = fc.constantFrom(...TABLES);
const col = fc.constantFrom("a", "b");

type Event = "INSERT" | "UPDATE" | "DELETE";
/** A NEW/OLD reference valid for the event. */
const ref = (ev: Event): fc.Arbitrary<string> => {
  const q = ev === "INSERT" ? ["new"] : ev === "DELETE" ? ["old"] : ["new", "old"];
  return fc.tuple(fc.constantFrom(...q), col).map(([r, c]) => `${r}.${c}`);
};
const value = (ev: Event): fc.Arbitrary<string> =>
  fc.oneof(ref(ev), small, fc.tuple(ref(ev), fc.integer({ min: 1, max: 5 })).map(([r, k]) => `${r} + ${k}`));

const step = (ev: Event): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(table, value(ev), value(ev), fc.constantFrom("", "OR IGNORE ", "OR REPLACE ")).map(([t, x, y, o]) => `INSERT ${o}INTO ${t}(a, b) VALUES(${x}, ${y})`),
    fc.tuple(table, col, value(ev), ref(ev)).map(([t, c, v, r]) => `UPDATE ${t} SET ${c} = ${v} WHERE a = ${r}`),
    fc.tuple(table, ref(ev)).map(([t, r]) => `DELETE FROM ${t} WHERE a = ${r} OR b = ${r}`),
    fc.tuple(ref(ev), fc.integer({ min: 0, max: 8 }), fc.constantFrom("IGNORE", "ABORT", "FAIL", "ROLLBACK")).map(([r, k, a]) =>
      `SELECT RAISE(${a}${a === "IGNORE" ? "" : `, 'raised ' || ${r}`}) WHERE ${r} = ${k}`),
    fc.tuple(table, ref(ev)).map(([t, r]) => `SELECT count(*) FROM ${t} WHERE a < ${r}`),
  );

const trigger = fc
  .tuple(
    fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom("BEFORE", "AFTER"), fc.constantFrom<Event>("INSERT", "UPDATE", "DELETE"),
    fc.boolean(), table,
  )
  .chain(([id, time, ev, of, t]) =>
    fc.tuple(fc.option(fc.tuple(ref(ev), fc.integer({ min: 0, max: 6 })).map(([r, k]) => `${r} > ${k}`), { nil: null }), fc.array(step(ev), { minLength: 1, maxLength: 3 }))
      .map(([when, steps]) => {
        const event = ev === "UPDATE" && of ? "UPDATE OF b" : ev;
        return `CREATE TRIGGER tr${id} ${time} ${event} ON ${t}${when === null ? "" : ` WHEN ${when}`} BEGIN ${steps.join("; ")}; END`;
      }),
  );

const dml = fc.oneof(
  fc.tuple(table, fc.array(fc.tuple(small, small), { minLength: 1, maxLength: 3 }), fc.constantFrom("INSERT", "INSERT OR REPLACE", "INSERT OR IGNORE", "INSERT OR FAIL"))
    .map(([t, rows, v]) => `${v} INTO ${t}(a, b) VALUES ${rows.map(([x, y]) => `(${x}, ${y})`).join(", ")}`),
  fc.tuple(table, col, fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 8 }), fc.constantFrom("", "OR IGNORE ", "OR REPLACE "))
    .map(([t, c, k, w, o]) => `UPDATE ${o}${t} SET ${c} = ${c} + ${k} WHERE a < ${w}`),
  fc.tuple(table, fc.integer({ min: 0, max: 8 })).map(([t, w]) => `DELETE FROM ${t} WHERE a >= ${w}`),
  fc.constantFrom("BEGIN", "COMMIT", "ROLLBACK"),
);

describe("triggers: random definitions and DML against SQLite", () => {
  it("agree statement by statement", () => {
    fc.assert(
      fc.property(fc.array(trigger, { minLength: 1, maxLength: 4 }), fc.array(dml, { minLength: 1, maxLength: 10 }), (trigs, stmts) => {
        const pair = new Pair();
        try {
          pair.script(SCHEMA);
          pair.script(trigs);
          pair.script(stmts);
        } finally {
          pair.close();
        }
      }),
      propParams(150, 20261124), // PROP_SEED / PROP_RUNS to hunt
    );
  });
});
