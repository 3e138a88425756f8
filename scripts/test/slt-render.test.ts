// Value rendering (scripts/slt/render.ts) per type character, checked against literal
// cases from the reference harness's rules and against SQLite 3.53 itself
// (better-sqlite3): printf('%.3f'), CAST AS TEXT / INTEGER / REAL.
import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { real } from "@strata/common";
import { atof, atoi64, formatFixed3, realToText, renderValue, toInt32 } from "../slt/render.js";

const bytes = (...b: number[]) => new Uint8Array(b);

describe("slt render: I (sqlite3_column_int)", () => {
  it("prints integers, cutting them to 32 bits", () => {
    expect(renderValue(42, "I")).toBe("42");
    expect(renderValue(-7, "I")).toBe("-7");
    expect(renderValue(2147483647, "I")).toBe("2147483647");
    expect(renderValue(2147483648, "I")).toBe("-2147483648");
    expect(renderValue(4294967297, "I")).toBe("1");
    expect(renderValue(9007199254740991, "I")).toBe("-1");
    expect(renderValue(9223372036854775807n, "I")).toBe("-1");
    expect(renderValue(-9223372036854775808n, "I")).toBe("0");
    expect(renderValue(0x1_0000_0005n, "I")).toBe("5");
  });

  it("truncates REALs toward zero, clamping to int64 first", () => {
    expect(renderValue(real(2.9), "I")).toBe("2");
    expect(renderValue(real(-2.9), "I")).toBe("-2");
    expect(renderValue(real(3e9), "I")).toBe("-1294967296");
    expect(renderValue(real(1e300), "I")).toBe("-1"); // int64 max, low 32 bits all ones
    expect(renderValue(real(-1e300), "I")).toBe("0"); // int64 min, low 32 bits zero
  });

  it("parses the integer prefix of TEXT and BLOB", () => {
    expect(renderValue("12abc", "I")).toBe("12");
    expect(renderValue("  -0012x", "I")).toBe("-12");
    expect(renderValue("1.9", "I")).toBe("1");
    expect(renderValue("1e3", "I")).toBe("1");
    expect(renderValue("abc", "I")).toBe("0");
    expect(renderValue("", "I")).toBe("0");
    expect(renderValue("4294967298", "I")).toBe("2");
    expect(renderValue(bytes(0x31, 0x32), "I")).toBe("12");
  });

  it("agrees with SQLite's text-to-integer conversion (CAST AS INTEGER, then 32 bits)", () => {
    const db = new Database(":memory:");
    db.defaultSafeIntegers(true);
    const cast = db.prepare("SELECT CAST(? AS INTEGER)").pluck();
    for (const s of ["12abc", " 1e3", "9999999999999999999999", "-9999999999999999999999", "  -0012x", "abc", "", "+5", " \t7", "1.9", "0x10", "-", "00000000000000000000000042", "9223372036854775808"]) {
      expect(atoi64(s), s).toBe(cast.get(s));
      expect(toInt32(s)).toBe(Number(BigInt.asIntN(32, cast.get(s) as bigint)));
    }
    db.close();
  });
});

describe("slt render: R (sqlite3_column_double, %.3f)", () => {
  it("prints three decimals with SQLite's rounding", () => {
    expect(renderValue(real(2.5), "R")).toBe("2.500");
    expect(renderValue(7, "R")).toBe("7.000");
    expect(renderValue(real(0.0625), "R")).toBe("0.063");
    expect(renderValue(real(1.0005), "R")).toBe("1.000");
    expect(renderValue(real(-0.0001), "R")).toBe("-0.000");
    expect(renderValue(real(-0), "R")).toBe("0.000");
    expect(renderValue(real(0.9996), "R")).toBe("1.000");
    expect(renderValue(real(0.0005), "R")).toBe("0.001");
    expect(renderValue(real(1e15 + 0.25), "R")).toBe("1000000000000000.000");
    expect(renderValue(real(Infinity), "R")).toBe("Inf");
    expect(renderValue("12.5abc", "R")).toBe("12.500");
    expect(renderValue("x", "R")).toBe("0.000");
    expect(atof(" -.5e1z")).toBe(-5);
  });

  it("agrees with SQLite's printf('%.3f') on many values", () => {
    const db = new Database(":memory:");
    const printf = db.prepare("SELECT printf('%.3f', ?)").pluck();
    const values = [0.0625, 1.0005, 2.675, 1e300, 123456789012345678, 1e21 * 1.5, 0.1 + 0.2, -0.0001, 5e-324, 0.0005, 0.00049999];
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 3000; i++) {
      const k = i % 4;
      values.push(k === 0 ? (rand() - 0.5) * 2000 : k === 1 ? Math.round(rand() * 2e6) / 2000 - 500
        : k === 2 ? Math.exp((rand() - 0.5) * 80) : Math.round((rand() - 0.5) * 1e5) / (1 + Math.floor(rand() * 97)));
    }
    for (const x of values) expect(formatFixed3(x), String(x)).toBe(printf.get(x));
    db.close();
  });
});

describe("slt render: T (sqlite3_column_text) and NULL", () => {
  it("renders NULL as NULL for every type", () => {
    for (const t of ["T", "I", "R"]) expect(renderValue(null, t)).toBe("NULL");
  });

  it("renders text, (empty), and @ for every byte outside 0x20..0x7e", () => {
    expect(renderValue("hello world", "T")).toBe("hello world");
    expect(renderValue("", "T")).toBe("(empty)");
    expect(renderValue("a\tb\nc", "T")).toBe("a@b@c");
    expect(renderValue("~\x7f", "T")).toBe("~@");
    expect(renderValue("é", "T")).toBe("@@"); // two UTF-8 bytes
    expect(renderValue("€", "T")).toBe("@@@");
    expect(renderValue("ab\0cd", "T")).toBe("ab"); // a C string ends at NUL
    expect(renderValue("\0x", "T")).toBe("(empty)");
    expect(renderValue(bytes(0x41, 0x01, 0xff), "T")).toBe("A@@");
    expect(renderValue(bytes(), "T")).toBe("(empty)");
  });

  it("renders numbers as SQLite's text", () => {
    expect(renderValue(-12, "T")).toBe("-12");
    expect(renderValue(9223372036854775807n, "T")).toBe("9223372036854775807");
    expect(renderValue(real(3), "T")).toBe("3.0");
    expect(renderValue(real(0.1), "T")).toBe("0.1");
    expect(renderValue(real(1e300), "T")).toBe("1.0e+300");
    expect(renderValue(real(1e16), "T")).toBe("10000000000000000.0");
    expect(renderValue(real(1e17), "T")).toBe("1.0e+17");
    expect(renderValue(real(0.0001), "T")).toBe("0.0001");
    expect(renderValue(real(0.00001), "T")).toBe("1.0e-05");
    expect(renderValue(real(49.47), "T")).toBe("49.47");
    expect(renderValue(real(-0), "T")).toBe("0.0");
  });

  it("agrees with SQLite's CAST(real AS TEXT) on short values, and on nearly all others", () => {
    const db = new Database(":memory:");
    const cast = db.prepare("SELECT CAST(? AS TEXT)").pluck();
    let seed = 777;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const whole = Math.round((rand() - 0.5) * 10 ** (1 + (i % 15)));
      expect(realToText(whole), String(whole)).toBe(cast.get(real(whole).value));
      const short = Number(`${(rand() - 0.5).toPrecision(1 + (i % 6))}e${Math.floor((rand() - 0.5) * 16)}`);
      expect(realToText(short), String(short)).toBe(cast.get(short));
    }
    // Arbitrary doubles: SQLite's inexact 17th digit makes a few differ (see realToText).
    let agree = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const x = (rand() - 0.5) * 10 ** Math.floor((rand() - 0.5) * 40);
      if (realToText(x) === cast.get(x)) agree++;
    }
    expect(agree / n).toBeGreaterThan(0.95);
    db.close();
  });
});
