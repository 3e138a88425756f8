// Every built-in scalar function on a table of cases, each checked against SQLite 3.53
// (better-sqlite3): value and storage class, or the exact error message.
import { describe, expect, it } from "vitest";
import { real, type SqlValue } from "@strata/common";
import { callSql, key, sqlite, strata } from "./oracle.js";

const B = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
const BIG_MIN = -9223372036854775808n;
const BIG_MAX = 9223372036854775807n;

// [function, ...argument lists]
const CASES: [string, SqlValue[][]][] = [
  ["abs", [[-5], [5], [0], [real(-2.5)], [null], ["-3"], ["abc"], [B("2d33")], [BIG_MIN], [BIG_MIN + 1n], [BIG_MAX], [real(-0)], [-1e300]]],
  ["char", [[], [72, 105], [0x1f600], [-1], [0x110000], [null, 65], [real(65.9)], ["66"]]],
  ["coalesce", [[null, 1], [null, null], [null, "a", 2], [real(1), 2], [B("00"), 1]]],
  ["concat", [["a"], ["a", null, "b"], [1, real(2), "x"], [null], [B("6869"), "!"]]],
  ["concat_ws", [["-", "a"], ["-", "a", null, "b"], [null, "a", "b"], [", ", 1, real(2.5), null], ["", "a", "b"]]],
  ["glob", [["a*", "abc"], ["a?c", "abc"], ["[a-c]x", "bx"], ["[^a-c]x", "bx"], ["*", ""], ["A*", "abc"], [null, "a"], ["a[]]b", "a]b"], ["*[x", "ab[x"], ["é*", "éa"], ["*", B("ff")], ["?", B("61")], [B("2a"), "a"], [null, B("61")]]],
  ["hex", [["abc"], [B("00ff10")], [12], [real(1.5)], [null], [""], ["é"]]],
  ["ifnull", [[null, 2], [1, 2], [null, null]]],
  ["iif", [[1, "a", "b"], [0, "a", "b"], [null, "a", "b"], [0, "a"], [0, 1, 1, 2], [0, 1, 0, 2, 3], ["1", "t", "f"], [real(0.5), "t", "f"], ["x", "t", "f"]]],
  ["if", [[1, "a", "b"], [0, "a"]]],
  ["instr", [["hello", "l"], ["hello", "z"], ["hello", ""], [null, "a"], ["a", null], ["héllo", "l"], [B("010203"), B("0203")], [B("010203"), B("")], [12345, 34], ["", ""], ["abc", B("62")]]],
  ["length", [["abc"], ["héllo"], [B("000102")], [12345], [real(1.5)], [null], [""], ["😀"], [-7]]],
  ["like", [["a%", "abc"], ["A_C", "abc"], ["%b%", "abc"], ["a", "A"], ["é", "É"], ["a\\%", "a%", "\\"], ["a%", "abc", "%"], ["a%%", "a%", "%"], [null, "x"], ["x", null], ["_", ""], ["%", ""], ["%", B("ff")], ["a", B("61")], [B("25"), "a"], ["%", B("61"), null], [B("25"), null]]],
  ["likely", [[1], ["a"], [null]]],
  ["unlikely", [[1]]],
  ["likelihood", [[1, real(0.5)], ["a", 0]]],
  ["lower", [["ABC"], ["ÀÉ"], [12], [null], [B("41")]]],
  ["ltrim", [["  a  "], ["xxaxx", "x"], [null], ["abc", ""], ["abc", null], ["ééa", "é"], [123, 1]]],
  ["rtrim", [["  a  "], ["xxaxx", "x"], ["abcba", "ab"], [real(1.5), "5"]]],
  ["trim", [["  a  "], ["xxaxx", "x"], ["abcba", "ab"], [null, "a"]]],
  ["max", [[1, 2], [1, null], ["a", "b"], [1, "a"], [B("00"), "z"], [real(1.5), 1], [2, real(2)], [1, 2, 3]]],
  ["min", [[1, 2], [1, null], ["a", "b"], [1, "a"], [B("00"), "z"], [real(1.5), 1], [2, real(2)], [3, 2, 1]]],
  ["nullif", [[1, 1], [1, 2], [null, 1], [1, null], ["a", "a"], [1, real(1)], ["1", 1]]],
  ["octet_length", [["abc"], ["héllo"], [B("0001")], [12345], [real(1.5)], [null]]],
  ["quote", [["it's"], [1], [real(0.1)], [real(1)], [real(1e100)], [Infinity], [-Infinity], [B("00ab")], [null], [BIG_MIN], [real(5e-324)], [real(-0)], [""]]],
  ["unistr_quote", [["a\nb"], ["x"], ["a\\b"], [1]]],
  ["unistr", [["a\\u0041"], ["\\0042\\+01F600\\U0001F600"], ["\\\\"], ["\\x"], [null]]],
  ["replace", [["hello", "l", "L"], ["hello", "", "x"], ["hello", null, "x"], ["hello", "l", null], [null, "a", "b"], ["aaa", "aa", "b"], [123, 2, 9], ["héé", "é", "e"]]],
  ["round", [[real(2.5)], [real(-2.5)], [real(1.005), 2], [real(1e20), 2], [real(123.456), -1], [real(123.456), 1], ["abc"], [B("31")], [1], [null], [real(1.5), null], [real(0.125), 2], [real(-0.4)], [real(1234.5678), 40], [real(9.9999999999e15), 2], [real(2.675), 2], [real(1e-10), 30]]],
  ["sign", [[5], [-5], [0], [real(-0.5)], ["3"], ["abc"], [null], [B("31")], [BIG_MIN], ["1e3"], [" 2 "]]],
  ["soundex", [["Robert"], ["Rupert"], ["Tymczak"], [""], ["123"], [null], ["Ashcraft"], ["éa"]]],
  ["substr", [["hello", 2], ["hello", 2, 3], ["hello", -3], ["hello", -3, 2], ["hello", 0, 2], ["hello", 2, -1], ["hello", -10, 3], ["hello", 10], [B("0102030405"), 2, 2], [B("0102030405"), -2], ["héllo", 2, 2], [null, 1], ["abc", null], ["abc", 1, null], [12345, 2, 2], ["hello", 3, -5], ["hello", real(2.7)], ["hello", "2"], ["😀a", 2]]],
  ["substring", [["hello", 2, 3]]],
  ["typeof", [[1], [real(1)], ["a"], [B("00")], [null], [BIG_MAX]]],
  ["unhex", [["616263"], ["6g"], ["616"], ["61 62", " "], ["61-62", "-"], ["61-62", ""], [null], ["6162", null], ["ABCDEF"], [""], ["-61", "-"], ["61 ", " "]]],
  ["unicode", [["A"], ["é"], ["😀"], [""], [null], [65]]],
  ["upper", [["abc"], ["àé"], [null]]],
  ["zeroblob", [[3], [0], [-1], [null]]],
  ["sqlite_version", [[]]],
  ["sqlite_source_id", [[]]],
  ["printf", [["%d", 42], ["%5.2f", real(3.14159)], ["%s", null], [null], [""], ["%y"], ["a%yb"], ["%n"], ["%"], ["%d%%", 5]]],
  ["format", [["%s-%s", "a", 1]]],
];

const ERRORS: [string, SqlValue[]][] = [
  ["abs", [BIG_MIN]],
  ["abs", []],
  ["upper", []],
  ["substr", ["abc"]],
  ["substr", ["abc", 1, 2, 3]],
  ["iif", [1]],
  ["if", [1]],
  ["coalesce", [1]],
  ["concat", []],
  ["concat_ws", ["-"]],
  ["ifnull", [1]],
  ["nullif", [1]],
  ["like", ["a", "b", "cd"]],
  ["like", ["a", "b", ""]],
  ["unistr", ["\\u12"]],
  ["likelihood", [1, 2]],
  ["round", [1, 2, 3]],
  ["random", [1]],
  ["no_such_fn", [1]],
];

describe("scalar functions vs SQLite 3.53", () => {
  for (const [name, lists] of CASES) {
    it(name, () => {
      for (const args of lists) {
        const sql = callSql(name, args);
        expect({ sql, got: key(strata(name, args)) }).toEqual({ sql, got: key(sqlite(sql)) });
      }
    });
  }
  it("errors: wrong argument counts, integer overflow, bad escapes", () => {
    for (const [name, args] of ERRORS) {
      const sql = callSql(name, args);
      const want = sqlite(sql);
      expect("error" in want, sql).toBe(true);
      expect({ sql, got: key(strata(name, args)) }).toEqual({ sql, got: key(want) });
    }
  });
  it("random() and randomblob() have SQLite's types and ranges", () => {
    for (let i = 0; i < 200; i++) {
      const r = strata("random", []);
      expect("error" in r ? "error" : r.type).toBe("integer");
      expect((r as { value: bigint }).value).not.toBe(BIG_MIN);
    }
    const b = strata("randomblob", [5]);
    expect(key(b).startsWith("blob:")).toBe(true);
    expect(((b as { value: string }).value).length).toBe(10);
    expect(key(strata("length", [null]))).toBe(key(sqlite("length(NULL)")));
    for (const n of [0, -3, null]) {
      const s = strata("randomblob", [n]);
      expect(((s as { value: string }).value).length).toBe(2); // at least one byte, as SQLite
      expect(key(sqlite(`length(randomblob(${n === null ? "NULL" : n}))`))).toBe("integer:1");
    }
  });
  it("connection state: last_insert_rowid, changes, total_changes", () => {
    const conn = {
      lastInsertRowid: () => 9007199254740993n,
      changes: () => 3,
      totalChanges: () => 7,
      randomBytes: (o: Uint8Array) => o.fill(0xff),
    };
    expect(key(strata("last_insert_rowid", [], conn))).toBe("integer:9007199254740993");
    expect(key(strata("changes", [], conn))).toBe("integer:3");
    expect(key(strata("total_changes", [], conn))).toBe("integer:7");
    // all-ones bytes: int64 -1, which SQLite maps to -(x & INT64_MAX)
    expect(key(strata("random", [], conn))).toBe("integer:-9223372036854775807");
    expect(key(strata("LAST_INSERT_ROWID", [], conn))).toBe("integer:9007199254740993");
  });
});
