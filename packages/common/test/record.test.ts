import { describe, expect, it } from "vitest";
import {
  encodeRecord, encodeRecordInto, real, recordSize, RecordReader, serialTypeOf, SqliteError,
  SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, type SqlValue,
} from "../src/index.js";
import { refDecodeRecord } from "./reference.js";

function serialTypes(rec: Uint8Array): number[] {
  const r = new RecordReader();
  r.reset(rec);
  return Array.from({ length: r.columnCount }, (_, i) => r.serialType(i));
}

function expectCorrupt(bytes: number[], col = 0): void {
  const r = new RecordReader();
  try {
    r.reset(new Uint8Array(bytes));
    r.getValue(col);
    void r.columnCount;
  } catch (e) {
    expect(e).toBeInstanceOf(SqliteError);
    expect((e as SqliteError).code).toBe("SQLITE_CORRUPT");
    return;
  }
  throw new Error(`no corruption reported for ${bytes}`);
}

describe("record encode / decode", () => {
  it("uses every serial type, and each round-trips", () => {
    const cases: [SqlValue, number, unknown][] = [
      [null, 0, null],
      [-128, 1, -128],
      [127, 1, 127],
      [128, 2, 128],
      [-32768, 2, -32768],
      [32768, 3, 32768],
      [-8388608, 3, -8388608],
      [8388608, 4, 8388608],
      [-2147483648, 4, -2147483648],
      [2147483648, 5, 2147483648],
      [-140737488355328, 5, -140737488355328],
      [140737488355328, 6, 140737488355328],
      [Number.MAX_SAFE_INTEGER, 6, Number.MAX_SAFE_INTEGER],
      [9223372036854775807n, 6, 9223372036854775807n],
      [-9223372036854775808n, 6, -9223372036854775808n],
      [1.5, 7, 1.5],
      [real(3), 7, 3],
      [real(-0), 7, -0],
      [Infinity, 7, Infinity],
      [0, 8, 0],
      [1, 9, 1],
      [new Uint8Array([1, 2, 3]), 18, new Uint8Array([1, 2, 3])],
      [new Uint8Array(0), 12, new Uint8Array(0)],
      ["héllo", 13 + 2 * 6, "héllo"],
      ["", 13, ""],
      ["😀", 13 + 8, "😀"],
    ];
    for (const [v, st, back] of cases) {
      const rec = encodeRecord([v]);
      expect(rec.length).toBe(recordSize([v]));
      expect(serialTypes(rec), `serial type of ${String(v)}`).toEqual([st]);
      const r = new RecordReader();
      r.reset(rec);
      expect(r.getValue(0)).toEqual(back);
      if (typeof back === "number") expect(Object.is(r.getValue(0), back)).toBe(true);
      expect(refDecodeRecord(rec)).toHaveLength(1);
    }
  });

  it("writes 0 and 1 as serial types 1 when fileFormat < 4", () => {
    expect(serialTypes(encodeRecord([0, 1], { fileFormat: 1 }))).toEqual([1, 1]);
    expect(serialTypes(encodeRecord([0, 1]))).toEqual([8, 9]);
  });

  it("stores NaN as NULL and keeps REAL whole numbers REAL", () => {
    expect(serialTypes(encodeRecord([NaN, real(NaN), real(2), 2]))).toEqual([0, 0, 7, 1]);
  });

  it("reads typed columns", () => {
    const rec = encodeRecord([42, 2.5, "abc", new Uint8Array([9]), null, 2n ** 62n]);
    const r = new RecordReader();
    r.reset(rec);
    expect(r.columnCount).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((i) => r.columnType(i))).toEqual([
      SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL, SQLITE_INTEGER,
    ]);
    expect(r.getInt(0)).toBe(42);
    expect(r.getReal(0)).toBe(42);
    expect(r.getReal(1)).toBe(2.5);
    expect(r.getText(2)).toBe("abc");
    expect(Array.from(r.getBlob(2))).toEqual([97, 98, 99]);
    expect(Array.from(r.getBlob(3))).toEqual([9]);
    expect(r.getInt(4)).toBe(0);
    expect(r.getInt(5)).toBeNaN();
    expect(r.getBigInt(5)).toBe(2n ** 62n);
    expect(r.getValue(5)).toBe(2n ** 62n);
    expect(() => r.getInt(2)).toThrow(SqliteError);
    expect(r.getTypedValue(1)).toEqual(real(2.5));
  });

  it("gives NULL for columns past the end of a short record (ALTER TABLE ADD COLUMN)", () => {
    const r = new RecordReader();
    r.reset(encodeRecord([1, "x"]));
    expect(r.getValue(2)).toBeNull();
    expect(r.columnType(7)).toBe(SQLITE_NULL);
    expect(r.serialType(100)).toBe(0);
    expect(r.getInt(3)).toBe(0);
  });

  it("is reusable across records of different widths, and reads a record inside a larger buffer", () => {
    const r = new RecordReader();
    const wide = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `s${i}` : i * 1000));
    const narrow = [7, "q"];
    for (let k = 0; k < 3; k++) {
      r.reset(encodeRecord(wide));
      expect(r.toArray()).toEqual(wide);
      const buf = new Uint8Array(100).fill(0xee);
      const n = encodeRecordInto(narrow, buf, 13);
      r.reset(buf, 13, 13 + n);
      expect(r.getValue(1)).toBe("q");
      expect(r.getValue(0)).toBe(7);
      expect(r.columnCount).toBe(2);
    }
  });

  it("writes long headers (header size varint of 2 bytes) correctly", () => {
    for (const n of [60, 126, 127, 128, 129, 200]) {
      const vals = Array.from({ length: n }, () => null);
      const rec = encodeRecord(vals);
      expect(rec.length).toBe(recordSize(vals));
      const r = new RecordReader();
      r.reset(rec);
      expect(r.columnCount).toBe(n);
    }
    const big = ["x".repeat(100)];
    const r = new RecordReader();
    r.reset(encodeRecord(big));
    expect(r.getText(0)).toBe(big[0]);
  });

  it("reports SQLITE_CORRUPT for malformed records", () => {
    expectCorrupt([]); // empty payload
    expectCorrupt([5, 1]); // header size past the end
    expectCorrupt([0]); // header size smaller than its own varint
    expectCorrupt([2, 10]); // reserved serial type 10
    expectCorrupt([2, 11]); // reserved serial type 11
    expectCorrupt([2, 6, 0, 0]); // 8-byte int with 2 bytes of body
    expectCorrupt([2, 0x81]); // serial type varint runs past the header
    expectCorrupt([3, 1, 1, 5]); // bodies end before the record does
    expectCorrupt([2, 1, 5, 6]); // one trailing byte after the last body
    expectCorrupt([2, 0x21, 0x41]); // 10-byte text in a 3-byte record
    expectCorrupt([2, 0x8f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]); // huge serial type
  });

  it("serialTypeOf rejects out-of-range bigints and unknown values", () => {
    expect(() => serialTypeOf(2n ** 63n)).toThrow(RangeError);
    expect(() => serialTypeOf({} as unknown as SqlValue)).toThrow(TypeError);
  });

  it("decodes UTF-16 text in both byte orders", () => {
    const s = "Aé😀";
    const le = encodeRecord([s], { textEncoding: 2 });
    const be = encodeRecord([s], { textEncoding: 3 });
    expect(serialTypes(le)).toEqual([13 + 2 * 8]);
    const r = new RecordReader(2);
    r.reset(le);
    expect(r.getText(0)).toBe(s);
    r.encoding = 3;
    r.reset(be);
    expect(r.getValue(0)).toBe(s);
    expect(Array.from(le.subarray(2, 4))).toEqual([0x41, 0]);
    expect(Array.from(be.subarray(2, 4))).toEqual([0, 0x41]);
  });
});
