// fast-check differential properties against SQLite 3.53 (better-sqlite3) for the tricky
// functions: REAL -> text, text -> number (CAST), printf, round, substr, like/glob, quote.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { real, type SqlValue } from "@strata/common";
import { callSql, db, key, sqlLiteral, sqlite, strata } from "./oracle.js";
import { realToText } from "../../src/value/real-to-text.js";
import { castToInteger, castToNumeric, castToReal, applyAffinity, AFF_NUMERIC } from "../../src/value/cast.js";

const RUNS = 400;

// Doubles from raw bit patterns (subnormals, huge, -0), plus "nice" decimals.
const anyDouble = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer({ min: -1e9, max: 1e9 }).chain((n) => fc.integer({ min: 0, max: 12 }).map((k) => n / 10 ** k)),
  fc.constantFrom(0.1, 0.2, 0.3, 1 / 3, 2 / 3, 49.47, 1e15, 1e16, 1e17, 5e-324, 2.2250738585072014e-308, -0, 1e21, 0.5, 2.5),
);

function sqliteText(x: number): string {
  return db.prepare("SELECT CAST(? AS TEXT)").pluck().get(x) as string;
}

describe("REAL -> TEXT", () => {
  it("matches CAST(x AS TEXT) over random doubles", () => {
    fc.assert(fc.property(anyDouble, (x) => {
      expect(realToText(x)).toBe(sqliteText(x));
    }), { numRuns: 3000 });
  });
  it("fixed cases", () => {
    for (const [x, s] of [[0.1, "0.1"], [0.1 + 0.2, "0.30000000000000004"], [1e100, "1.0e+100"], [1, "1.0"],
      [5e-324, "4.9406564584124654e-324"], [-0, "0.0"], [Infinity, "Inf"], [-Infinity, "-Inf"], [1e15, "1000000000000000.0"], [1e17, "1.0e+17"],
      [123456789012345678, "1.2345678901234568e+17"]] as [number, string][]) {
      expect(realToText(x)).toBe(s);
      if (Number.isFinite(x)) expect(sqliteText(x)).toBe(s);
    }
  });
});

// Strings that look more or less like numbers.
const numberish = fc.stringMatching(/^[ \t]{0,2}[+-]?[0-9]{0,22}(\.[0-9]{0,22})?([eE][+-]?[0-9]{0,4})?[ \tx]{0,2}$/);
const junk = fc.string({ unit: fc.constantFrom("0", "1", "9", ".", "e", "E", "+", "-", " ", "\t", "x", "5") , maxLength: 24 });

function sqliteCast(s: string, type: string): SqlValue {
  const row = db.prepare(`SELECT CAST(? AS ${type}), typeof(CAST(? AS ${type}))`).raw().get(s, s) as [unknown, string];
  const [v, t] = row;
  if (t === "real") return real(v as number);
  if (t === "integer") {
    const b = v as bigint;
    return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  }
  return v as SqlValue;
}

function norm(v: SqlValue): string {
  if (v !== null && typeof v === "object" && "value" in v) return `real:${v.value}`;
  if (typeof v === "number") return Number.isSafeInteger(v) ? `int:${v}` : `real:${v}`;
  if (typeof v === "bigint") return `int:${v}`;
  return `${typeof v}:${String(v)}`;
}

function sqliteAffinity(s: string): string {
  db.exec("DROP TABLE IF EXISTS aff; CREATE TABLE aff(n NUMERIC)");
  db.prepare("INSERT INTO aff VALUES (?)").run(s);
  const [v, t] = db.prepare("SELECT n, typeof(n) FROM aff").raw().get() as [unknown, string];
  if (t === "real") return `real:${v}`;
  if (t === "integer") return `int:${v}`;
  return `string:${v}`;
}

describe("TEXT -> number", () => {
  it("CAST AS REAL / INTEGER / NUMERIC and NUMERIC affinity match SQLite", () => {
    fc.assert(fc.property(fc.oneof(numberish, junk), (s) => {
      expect([s, norm(castToReal(s))]).toEqual([s, norm(sqliteCast(s, "REAL"))]);
      expect([s, norm(castToInteger(s))]).toEqual([s, norm(sqliteCast(s, "INTEGER"))]);
      expect([s, norm(castToNumeric(s))]).toEqual([s, norm(sqliteCast(s, "NUMERIC"))]);
      expect([s, norm(applyAffinity(s, AFF_NUMERIC))]).toEqual([s, sqliteAffinity(s)]);
    }), { numRuns: 1500 });
  });
  it("fixed cases", () => {
    for (const s of ["1e5", " 12abc", "0x10", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "-9223372036854775809", "1e400", ".5", "5.", "+5", " - 5", "", "  12  ", "12.0", "1.5e3", "3500000000000000.2500001",
      "123456789012345678901234567890", "0.000000000000000000000000000001", "1e-400", "00012", "-0", "e5", ".", "1e", "1e+"]) {
      expect([s, norm(castToReal(s))]).toEqual([s, norm(sqliteCast(s, "REAL"))]);
      expect([s, norm(castToInteger(s))]).toEqual([s, norm(sqliteCast(s, "INTEGER"))]);
      expect([s, norm(castToNumeric(s))]).toEqual([s, norm(sqliteCast(s, "NUMERIC"))]);
      expect([s, norm(applyAffinity(s, AFF_NUMERIC))]).toEqual([s, sqliteAffinity(s)]);
    }
  });
});

function same(name: string, args: SqlValue[]): void {
  const sql = callSql(name, args);
  expect({ sql, got: key(strata(name, args)) }).toEqual({ sql, got: key(sqlite(sql)) });
}

const scalarValue: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.bigInt({ min: -9223372036854775808n, max: 9223372036854775807n }).map((b) =>
    b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b),
  anyDouble.map((x) => real(x)),
  fc.string({ maxLength: 8 }).filter((s) => !s.includes("\0")),
  fc.constant(null),
);

describe("printf", () => {
  const flags = fc.array(fc.constantFrom("-", "+", " ", "0", "#", "!", ","), { maxLength: 3 }).map((a) => a.join(""));
  // '*' widths/precisions come from the arguments; they are tested with small values below
  // (a random int64 width would build gigantic strings on both sides).
  const width = fc.oneof(fc.constant(""), fc.integer({ min: 0, max: 30 }).map(String));
  const prec = fc.oneof(fc.constant(""), fc.integer({ min: 0, max: 25 }).map((n) => "." + n));
  const conv = fc.constantFrom("d", "i", "u", "f", "e", "E", "g", "G", "x", "X", "o", "c", "s", "q", "Q", "w", "z", "%", "p", "r", "n");
  const spec = fc.tuple(flags, width, prec, conv).map(([f, w, p, c]) => `%${f}${w}${p}${c}`);
  it("random formats and values", () => {
    fc.assert(fc.property(fc.array(fc.oneof(spec, fc.constantFrom("ab", " ", "é")), { minLength: 1, maxLength: 3 }),
      fc.array(scalarValue, { maxLength: 5 }), (parts, vals) => {
        same("printf", [parts.join(""), ...vals]);
      }), { numRuns: 3000 });
  });
  it("'*' width and precision from the arguments", () => {
    fc.assert(fc.property(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -30, max: 30 }), scalarValue,
      fc.constantFrom("d", "f", "g", "s", "q", "x", "c", "e"), (w, p, v, c) => {
        same("printf", [`%*.*${c}|`, w, p, v]);
        same("printf", [`%-*${c}|`, w, v]);
      }), { numRuns: 1500 });
  });
  it("floats with every float conversion", () => {
    fc.assert(fc.property(anyDouble, fc.constantFrom("f", "e", "g", "G", "E"), flags,
      fc.integer({ min: 0, max: 30 }), (x, c, f, p) => {
        same("printf", [`%${f}.${p}${c}`, real(x)]);
        same("printf", [`%${f}${c}`, real(x)]);
      }), { numRuns: 3000 });
  });
});

describe("round, substr, like, glob, quote", () => {
  it("round(x, n)", () => {
    fc.assert(fc.property(anyDouble, fc.integer({ min: -2, max: 32 }), (x, n) => {
      same("round", [real(x), n]);
      same("round", [real(x)]);
    }), { numRuns: 2000 });
  });
  it("substr over text and blobs", () => {
    const subject = fc.oneof(fc.string({ maxLength: 8, unit: fc.constantFrom("a", "b", "é", "😀", " ") }),
      fc.uint8Array({ maxLength: 8 }));
    const pos = fc.oneof(fc.integer({ min: -12, max: 12 }), fc.constant(null));
    fc.assert(fc.property(subject, pos, pos, (s, p1, p2) => {
      same("substr", [s, p1]);
      same("substr", [s, p1, p2]);
    }), { numRuns: 2000 });
  });
  it("like and glob with random patterns", () => {
    const alpha = ["a", "b", "A", "%", "_", "*", "?", "[", "]", "^", "-", "é", "\\"];
    const str = fc.string({ unit: fc.constantFrom(...alpha), maxLength: 7 });
    fc.assert(fc.property(str, str, fc.constantFrom("\\", "%", "_", "a", null), (p, s, esc) => {
      same("like", [p, s]);
      same("glob", [p, s]);
      if (esc !== null) same("like", [p, s, esc]);
    }), { numRuns: 3000 });
  });
  it("quote over random values", () => {
    fc.assert(fc.property(fc.oneof(scalarValue, fc.uint8Array({ maxLength: 6 })), (v) => {
      same("quote", [v]);
      same("typeof", [v]);
      same("length", [v]);
      same("hex", [v]);
    }), { numRuns: 2000 });
  });
  it("literal helper reads back exactly", () => {
    fc.assert(fc.property(scalarValue, (v) => {
      expect(key(sqlite(sqlLiteral(v)))).toBe(key(strata("coalesce", [v, null])));
    }), { numRuns: 500 });
  });
});
void RUNS;
