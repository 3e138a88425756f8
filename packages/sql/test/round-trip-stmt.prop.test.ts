// Round trip for every statement kind (issue #4): for fast-check ASTs of each family,
// parse(print(stmt)) equals [stmt] ignoring spans; two statements printed with `;`
// between them parse back to both. sqlite-accepts-printed.prop.test.ts checks that
// SQLite's grammar accepts the same printed text.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse, printStatement, type Statement } from "../src/index.js";
import { canon, strip } from "./arbitraries.js";
import * as A from "./stmt-arbitraries.js";

const NUM_RUNS = 500;

function roundTrip(stmt: Statement): void {
  const text = printStatement(stmt);
  let parsed: Statement[];
  try {
    parsed = parse(text);
  } catch (err) {
    throw new Error(`${(err as Error).message} in: ${text}`);
  }
  expect(parsed.length, text).toBe(1);
  // toEqual only for its diff: a deep compare of every large AST would dominate the run.
  if (canon(parsed[0]) !== canon(stmt)) expect(strip(parsed[0]), text).toEqual(strip(stmt));
}

const families: [string, fc.Arbitrary<Statement>][] = [
  ["INSERT / REPLACE", A.insert],
  ["UPDATE", A.update],
  ["DELETE", A.del],
  ["CREATE TABLE", A.createTable],
  ["CREATE INDEX", A.createIndex],
  ["CREATE VIEW", A.createView],
  ["CREATE TRIGGER", A.createTrigger],
  ["CREATE VIRTUAL TABLE", A.createVirtualTable],
  ["DROP", A.drop],
  ["ALTER TABLE", A.alterTable],
  ["BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE", A.transaction],
  ["PRAGMA", A.pragma],
  ["ATTACH / DETACH", A.attachDetach],
  ["ANALYZE / REINDEX / VACUUM", A.maintenance],
  ["EXPLAIN [QUERY PLAN]", A.explain],
];

describe("round trip parse(print(stmt)) for every statement kind", () => {
  for (const [name, arb] of families) {
    it(`${name} (${NUM_RUNS} runs)`, () => {
      fc.assert(fc.property(arb, roundTrip), { numRuns: NUM_RUNS });
    });
  }
  it(`two statements separated by ';' (${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(A.statement, A.statement, (s1, s2) => {
        const text = printStatement(s1) + ";" + printStatement(s2);
        let parsed: Statement[];
        try {
          parsed = parse(text);
        } catch (err) {
          throw new Error(`${(err as Error).message} in: ${text}`);
        }
        if (canon(parsed) !== canon([s1, s2])) expect(parsed.map(strip), text).toEqual([strip(s1), strip(s2)]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

