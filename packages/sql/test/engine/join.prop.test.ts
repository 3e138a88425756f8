/*
 * Property: random schemas (2-4 tables, random column affinities, random indexes), random
 * data (small integers, numeric and non-numeric text, reals, NULLs) and random join
 * queries (inner/LEFT/CROSS/RIGHT/FULL joins, ON equalities, WHERE terms with =, <, >=,
 * BETWEEN, IN, IS NULL, OR) give the same rows, as multisets, on Strata and SQLite 3.53,
 * whatever plan our planner picks.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openMemory, runOracle, runStrata, type Outcome } from "./support.js";
import { propParams } from "../prop-params.js";

const TYPES = ["INTEGER", "TEXT", "REAL", "", "NUMERIC"];
const VALUES = ["NULL", "1", "2", "3", "'2'", "'x'", "2.5", "'1'", "0"];

const schemaArb = fc.array(
  fc.record({
    types: fc.array(fc.constantFrom(...TYPES), { minLength: 3, maxLength: 3 }),
    ipk: fc.boolean(),
    indexes: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
    rows: fc.array(fc.array(fc.constantFrom(...VALUES), { minLength: 3, maxLength: 3 }), { maxLength: 7 }),
  }),
  { minLength: 2, maxLength: 4 },
);

const termArb = (nTables: number): fc.Arbitrary<string> => {
  const col = fc.tuple(fc.integer({ min: 0, max: nTables - 1 }), fc.constantFrom("a", "b", "c")).map(([t, c]) => `t${t}.${c}`);
  const val = fc.constantFrom(...VALUES.filter((v) => v !== "NULL"));
  const simple = fc.oneof(
    fc.tuple(col, fc.constantFrom("=", "<", ">=", "<>", "IS"), fc.oneof(col, val)).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(col, val, val).map(([a, l, h]) => `${a} BETWEEN ${l} AND ${h}`),
    fc.tuple(col, fc.array(val, { minLength: 1, maxLength: 3 })).map(([a, l]) => `${a} IN (${l.join(", ")})`),
    col.map((a) => `${a} IS NULL`),
  );
  return fc.oneof({ weight: 4, arbitrary: simple }, { weight: 1, arbitrary: fc.tuple(simple, simple).map(([x, y]) => `(${x} OR ${y})`) });
};

const queryArb = (n: number): fc.Arbitrary<string> =>
  fc.record({
    joins: fc.array(fc.constantFrom(",", "JOIN", "LEFT JOIN", "CROSS JOIN", "RIGHT JOIN", "FULL JOIN"), { minLength: n - 1, maxLength: n - 1 }),
    ons: fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.constantFrom("a", "b", "c")), { minLength: n - 1, maxLength: n - 1 }),
    where: fc.array(termArb(n), { maxLength: 3 }),
    cols: fc.constantFrom("*", "count(*)", "t0.a, t1.b"),
  }).map(({ joins, ons, where, cols }) => {
    let from = "t0";
    for (let i = 1; i < n; i++) {
      const j = joins[i - 1];
      if (j === "," || j === "CROSS JOIN") from += `${j === "," ? "," : " CROSS JOIN"} t${i}`;
      else from += ` ${j} t${i} ON t${i}.${ons[i - 1][0]} = t${i - 1}.${ons[i - 1][1]}`;
    }
    return `SELECT ${cols} FROM ${from}${where.length ? " WHERE " + where.join(" AND ") : ""}`;
  });

function sortRows(o: Outcome): Outcome {
  if ("error" in o) return o;
  return { names: o.names, rows: [...o.rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)) };
}

describe("random joins vs SQLite 3.53", () => {
  it("agree on rows whatever the plan", () => {
    fc.assert(
      fc.property(
        schemaArb.chain((tables) => fc.tuple(fc.constant(tables), fc.array(queryArb(tables.length), { minLength: 1, maxLength: 4 }))),
        ([tables, queries]) => {
          const conn = openMemory();
          const db = new Database(":memory:");
          const run = (sql: string): void => {
            const a = runStrata(conn, sql);
            const b = runOracle(db, sql);
            expect({ sql, ...a }).toEqual({ sql, ...b });
          };
          tables.forEach((t, i) => {
            const cols = ["a", "b", "c"].map((c, k) => `${c} ${k === 0 && t.ipk ? "INTEGER PRIMARY KEY" : t.types[k]}`);
            run(`CREATE TABLE t${i}(${cols.join(", ")})`);
            t.indexes.forEach((ix, k) => run(`CREATE INDEX t${i}_${k} ON t${i}(${[...new Set(ix)].map((c) => "abc"[c]).join(", ")})`));
            t.rows.forEach((r, k) => run(`INSERT OR IGNORE INTO t${i} VALUES(${t.ipk ? k + 1 : r[0]}, ${r[1]}, ${r[2]})`));
          });
          for (const q of queries) {
            const a = sortRows(runStrata(conn, q));
            const b = sortRows(runOracle(db, q));
            expect({ q, ...a }).toEqual({ q, ...b });
          }
          db.close();
        },
      ),
      propParams(300, 0x5eed),
    );
  });
});
