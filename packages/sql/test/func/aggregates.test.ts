// Aggregates vs SQLite 3.53: fixed groups and fast-check value lists for sum, total, avg,
// count, min, max, group_concat, string_agg; inverse() against SQLite window frames;
// the registry's lookup rules and errors.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { real, SqliteError, type SqlValue } from "@strata/common";
import { key, norm, sqlLiteral, sqlite, strataAgg, registry } from "./oracle.js";
import { ResultCapture, ValueArgs } from "../../src/func/adapter.js";
import { FUNC_WINDOW_INVERSE } from "../../src/func/api.js";

const BIG_MAX = 9223372036854775807n;
const BIG_MIN = -9223372036854775808n;

function sqliteAgg(expr: string, rows: SqlValue[][]): ReturnType<typeof sqlite> {
  if (rows.length === 0) return sqlite(expr, "FROM (SELECT 1 AS column1, 2 AS column2) WHERE 0");
  const values = rows.map((r) => `(${r.map(sqlLiteral).join(", ")})`).join(", ");
  return sqlite(expr, `FROM (VALUES ${values})`);
}

function same(name: string, rows: SqlValue[][], argc = 1): void {
  const cols = ["column1", "column2"].slice(0, argc).join(", ");
  const expr = `${name}(${cols})`;
  const r = rows.map((row) => row.slice(0, argc));
  expect({ expr, rows: r.map((x) => x.map(String)), got: key(strataAgg(name, r)) })
    .toEqual({ expr, rows: r.map((x) => x.map(String)), got: key(sqliteAgg(expr, rows)) });
}

const GROUPS: SqlValue[][][] = [
  [],
  [[null]],
  [[1], [2], [3]],
  [[1], [real(2.5)], [null]],
  [["1"], ["2.5"], ["abc"], [" 3 "]],
  [[BIG_MAX], [1]],
  [[BIG_MAX], [1], [-1]],
  [[BIG_MAX], [real(1)], [-1]],
  [[BIG_MIN], [-1]],
  [[real(1e308)], [real(1e308)]],
  [[real(1e308)], [real(1e308)], [real(-1e308)]],
  [[real(0.1)], [real(0.2)], [real(0.3)]],
  [[9007199254740993n], [1]],
  [[new Uint8Array([0x31])], [2]],
  [["a"], ["b"], [null], ["c"]],
  [[""], [""]],
  [["x"], [real(1.5)], [3], [new Uint8Array([0x41, 0x42])]],
  [[Infinity], [-Infinity]],
  [[Infinity], [1]],
];

describe("aggregates vs SQLite 3.53", () => {
  for (const name of ["sum", "total", "avg", "count", "min", "max", "group_concat"]) {
    it(name, () => {
      for (const g of GROUPS) same(name, g);
    });
  }
  it("count(*)", () => {
    for (const g of GROUPS) {
      expect(key(strataAgg("count", g.map(() => [])))).toBe(key(sqliteAgg("count(*)", g)));
    }
  });
  it("group_concat(X, SEP) and string_agg(X, SEP)", () => {
    const rows: SqlValue[][] = [["a", "-"], [null, "+"], ["b", null], ["c", "::"], [1, real(2.5)]];
    same("group_concat", rows, 2);
    same("string_agg", rows, 2);
    same("group_concat", [["", ","], ["", ","]], 2);
    same("string_agg", [[null, ","]], 2);
  });
  it("random value lists", () => {
    const v: fc.Arbitrary<SqlValue> = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.bigInt({ min: BIG_MIN, max: BIG_MAX }).map((b) => (b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b)),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => real(x)),
      fc.constantFrom<SqlValue>(null, "12", "1.5", "x", "", " 7 ", real(0.1), real(-0.1), 4503599627370497),
    );
    fc.assert(fc.property(fc.array(v, { maxLength: 12 }), (list) => {
      const rows = list.map((x) => [x]);
      for (const name of ["sum", "total", "avg", "count", "min", "max", "group_concat"]) same(name, rows);
    }), { numRuns: 300 });
  });
  it("inverse() agrees with SQLite sliding frames", () => {
    const v: fc.Arbitrary<SqlValue> = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constantFrom<SqlValue>(null, "a", real(0.5), BIG_MAX, "3"));
    fc.assert(fc.property(fc.array(v, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 3 }), (list, frame) => {
      const values = list.map((x, i) => `(${i}, ${sqlLiteral(x)})`).join(", ");
      for (const name of ["sum", "total", "avg", "count", "group_concat"]) {
        const sql = `SELECT ${name}(column2) OVER (ORDER BY column1 ROWS BETWEEN ${frame} PRECEDING AND CURRENT ROW) ` +
          `AS r, typeof(${name}(column2) OVER (ORDER BY column1 ROWS BETWEEN ${frame} PRECEDING AND CURRENT ROW)) FROM (VALUES ${values}) ORDER BY column1`;
        let want: string[];
        try {
          want = runRows(sql);
        } catch (e) {
          want = [`error:${(e as Error).message}`];
        }
        // One state, as the VM drives it: the row leaving the frame is removed first
        // (inverse), then the new row is added (step), then value().
        const got: string[] = [];
        const def = registry.resolve(name, 1);
        if (def.kind !== "aggregate") throw new Error(name);
        const state = def.create();
        const ctx = new ResultCapture();
        const args = new ValueArgs([]);
        for (let i = 0; i < list.length; i++) {
          if (i - frame - 1 >= 0) {
            args.values = [list[i - frame - 1]];
            state.inverse(ctx, 1, args);
          }
          args.values = [list[i]];
          state.step(ctx, 1, args);
          ctx.reset();
          state.value(ctx);
          let r: string;
          try {
            r = key(norm(ctx.take()));
          } catch (e) {
            r = `error:${(e as Error).message}`;
          }
          got.push(r);
          if (r.startsWith("error:")) break;
        }
        if (want[0].startsWith("error:")) expect(got.some((g) => g === want[0])).toBe(true);
        else expect({ name, frame, got }).toEqual({ name, frame, got: want });
      }
    }), { numRuns: 200 });
  });
  it("registry: case-insensitive lookup, exact count beats variadic, SQLite's errors", () => {
    expect(registry.resolve("MAX", 1).kind).toBe("aggregate");
    expect(registry.resolve("max", 2).kind).toBe("scalar");
    expect(registry.resolve("Count", 0).kind).toBe("aggregate");
    expect(registry.lookup("sum", 1)?.flags ?? 0 & FUNC_WINDOW_INVERSE).toBeTruthy();
    expect(registry.lookup("coalesce", 1)).toBeNull();
    expect(registry.lookup("coalesce", 5)?.name).toBe("coalesce");
    expect(() => registry.resolve("Upper", 0)).toThrow(new SqliteError("SQLITE_ERROR", "wrong number of arguments to function Upper()"));
    expect(() => registry.resolve("nope", 1)).toThrow("no such function: nope");
    for (const [name, n] of [["count", 2], ["group_concat", 0], ["string_agg", 1], ["max", 0], ["min", 0], ["sum", 2]] as const) {
      const want = sqlite(`${name}(${Array.from({ length: n }, () => "1").join(", ")})`);
      let got = "";
      try {
        registry.resolve(name, n);
      } catch (e) {
        got = (e as Error).message;
      }
      expect(got).toBe((want as { error: string }).error);
    }
  });
});

import { db } from "./oracle.js";
function runRows(sql: string): string[] {
  const rows = db.prepare(sql).raw().all() as [unknown, string][];
  return rows.map(([v, t]) => {
    if (typeof v === "number") return `${t}:${Object.is(v, -0) ? "-0" : String(v)}`;
    return `${t}:${typeof v === "bigint" ? v.toString() : JSON.stringify(v)}`;
  });
}
