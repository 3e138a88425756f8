/*
 * Differential tests against real SQLite (better-sqlite3, SQLite 3.53): ORDER BY under
 * each collation versus compareValues; record bytes SQLite writes versus our decoder and
 * encoder; index B-tree order versus compareRecords; UTF-16 databases.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Database from "better-sqlite3";
import {
  BINARY, compareRecords, compareValues, encodeRecord, makeKeyInfo, NOCASE, real, RecordReader, RTRIM,
  SORT_DESC, type Collation, type SqlValue, type TextEncoding,
} from "../src/index.js";
import { sqlValue } from "./arbitraries.js";
import { buildDb, leafCells } from "./sqlite-file.js";

const COLLS: [string, Collation][] = [["BINARY", BINARY], ["NOCASE", NOCASE], ["RTRIM", RTRIM]];

/** The value to bind so that SQLite stores exactly the storage class we mean. */
function bindable(v: SqlValue): unknown {
  if (v === null) return null;
  if (typeof v === "number") return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (typeof v === "object" && "value" in v) return v.value; // Real: numbers bind as REAL
  if (v instanceof Uint8Array) return Buffer.from(v);
  return v;
}

/** Reads back rows of `SELECT typeof(x), x` as our typed values. */
function typedFromSqlite(type: string, x: unknown): SqlValue {
  switch (type) {
    case "null": return null;
    case "integer": { const b = x as bigint; return b >= -(2n ** 53n) + 1n && b <= 2n ** 53n - 1n ? Number(b) : b; }
    case "real": return real(Number(x));
    case "text": return x as string;
    default: return new Uint8Array(x as Buffer);
  }
}

const sgn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

describe("against SQLite 3.53", () => {
  const mem = new Database(":memory:");
  mem.defaultSafeIntegers(true);

  it.each(COLLS)("ORDER BY v COLLATE %s ranks values as compareValues orders them", (name, coll) => {
    fc.assert(
      fc.property(fc.array(sqlValue, { minLength: 2, maxLength: 40 }), (vals) => {
        mem.exec("DROP TABLE IF EXISTS t; CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
        const ins = mem.prepare("INSERT INTO t(id, v) VALUES (?, ?)");
        vals.forEach((v, i) => ins.run(BigInt(i), bindable(v)));
        const rows = mem
          .prepare(`SELECT id, rank() OVER (ORDER BY v COLLATE ${name}) AS r FROM t ORDER BY v COLLATE ${name}, id`)
          .all() as { id: bigint; r: bigint }[];
        expect(rows).toHaveLength(vals.length);
        for (let i = 0; i + 1 < rows.length; i++) {
          const a = vals[Number(rows[i].id)];
          const b = vals[Number(rows[i + 1].id)];
          const want = rows[i].r === rows[i + 1].r ? 0 : -1;
          expect(sgn(compareValues(a, b, coll)), `${String(a)} vs ${String(b)}`).toBe(want);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("NOCASE stops at a NUL as SQLite's sqlite3StrNICmp does (found by the ranking property, seed 313423891)", () => {
    const pairs: [string, string][] = [["\0!", "\0 "], ["\0é", "\0ab"], ["\0ab", "\0é"], ["a\0b", "A\0c"], ["a\0", "A"], ["\0", "\0\0"], ["x\0Q", "X\0q"]];
    for (const [a, b] of pairs) {
      const row = mem.prepare("SELECT (? < ? COLLATE NOCASE) AS lt, (? = ? COLLATE NOCASE) AS eq").get(a, b, a, b) as { lt: bigint; eq: bigint };
      const want = row.eq === 1n ? 0 : row.lt === 1n ? -1 : 1;
      const x = new TextEncoder().encode(a);
      const y = new TextEncoder().encode(b);
      expect(sgn(NOCASE.compareStrings(a, b)), JSON.stringify([a, b])).toBe(want);
      expect(sgn(NOCASE.compareUtf8(x, 0, x.length, y, 0, y.length)), JSON.stringify([a, b])).toBe(want);
    }
  });

  it("an exact int64 vs REAL comparison, as SQLite does it", () => {
    const cases: [bigint, number][] = [
      [2n ** 63n - 1n, 2 ** 63], [2n ** 53n + 1n, 2 ** 53], [-(2n ** 63n), -(2 ** 63)], [2n ** 62n + 1n, 2 ** 62],
      [-(2n ** 53n) - 1n, -(2 ** 53)], [9007199254740993n, 9007199254740992], [123n, 123.5],
    ];
    for (const [i, r] of cases) {
      const row = mem.prepare("SELECT (? < ?) AS lt, (? = ?) AS eq").get(i, r, i, r) as { lt: bigint; eq: bigint };
      const want = row.eq === 1n ? 0 : row.lt === 1n ? -1 : 1;
      expect(sgn(compareValues(i, real(r))), `${i} vs ${r}`).toBe(want);
    }
  });

  it("table leaf records written by SQLite decode to its values and re-encode to its bytes", () => {
    const row = fc.array(sqlValue, { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (rows) => {
        const file = buildDb((db) => {
          db.pragma("page_size = 4096");
          db.exec("CREATE TABLE t(a, b, c, d)");
          const ins = db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
          for (const r of rows) ins.run(...r.map(bindable));
        });
        const check = new Database(":memory:");
        check.defaultSafeIntegers(true);
        const cells = leafCells(file, 2);
        expect(cells).toHaveLength(rows.length);
        const reader = new RecordReader();
        cells.forEach((cell, k) => {
          expect(cell.rowid).toBe(k + 1);
          reader.reset(cell.payload);
          expect(reader.columnCount).toBe(4);
          const typed: SqlValue[] = [];
          for (let i = 0; i < 4; i++) {
            const v = bindable(rows[k][i]);
            const got = check.prepare("SELECT typeof(?) AS t, ? AS x").get(v, v) as { t: string; x: unknown };
            typed.push(typedFromSqlite(got.t, got.x));
            expect(reader.getTypedValue(i)).toEqual(typed[i]);
          }
          expect(encodeRecord(typed)).toEqual(cell.payload);
        });
        check.close();
      }),
      { numRuns: 40 },
    );
  });

  it("records shorter than the table after ALTER TABLE ADD COLUMN read NULL for the new column", () => {
    const file = buildDb((db) => {
      db.exec("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'); ALTER TABLE t ADD COLUMN c DEFAULT 5; INSERT INTO t VALUES (2, 'y', 7)");
    });
    const [old, young] = leafCells(file, 2);
    const r = new RecordReader();
    r.reset(old.payload);
    expect(r.columnCount).toBe(2);
    expect(r.getValue(2)).toBeNull();
    r.reset(young.payload);
    expect(r.toArray()).toEqual([2, "y", 7]);
  });

  it.each([
    ["BINARY", "", BINARY], ["NOCASE", "", NOCASE], ["RTRIM", "", RTRIM], ["BINARY", " DESC", BINARY], ["NOCASE", " DESC", NOCASE],
  ] as [string, string, Collation][])("index B-tree entries under COLLATE %s%s are in compareRecords order", (name, dir, coll) => {
    fc.assert(
      fc.property(fc.array(sqlValue, { minLength: 2, maxLength: 30 }), (vals) => {
        const file = buildDb((db) => {
          db.pragma("page_size = 65536");
          db.exec(`CREATE TABLE t(v); CREATE INDEX i ON t(v COLLATE ${name}${dir})`);
          const ins = db.prepare("INSERT INTO t VALUES (?)");
          for (const v of vals) ins.run(bindable(v));
        });
        const cells = leafCells(file, 3);
        expect(cells).toHaveLength(vals.length);
        const ki = makeKeyInfo(2, { collations: [coll], sortFlags: [dir ? SORT_DESC : 0] });
        for (let i = 0; i + 1 < cells.length; i++) {
          expect(compareRecords(cells[i].payload, cells[i + 1].payload, ki)).toBeLessThan(0);
          expect(compareRecords(cells[i + 1].payload, cells[i].payload, ki)).toBeGreaterThan(0);
        }
      }),
      { numRuns: 30 },
    );
  });

  it.each([["UTF-16le", 2], ["UTF-16be", 3]] as [string, TextEncoding][])(
    "reads and writes %s text records, and orders its BINARY index by memcmp",
    (encName, enc) => {
      const texts = ["hello", "héllo wörld", "😀 astral 𝄞", "", "\ue000x", "Z"];
      const file = buildDb((db) => {
        db.pragma(`encoding = '${encName}'`);
        db.exec("CREATE TABLE t(a, b); CREATE INDEX i ON t(a)");
        const ins = db.prepare("INSERT INTO t VALUES (?, ?)");
        for (const s of texts) ins.run(s, BigInt(s.length));
      });
      expect(file[59]).toBe(enc); // header offset 56, big-endian u32
      const cells = leafCells(file, 2);
      const r = new RecordReader(enc);
      cells.forEach((cell, k) => {
        r.reset(cell.payload);
        expect(r.getText(0)).toBe(texts[k]);
        expect(r.getValue(1)).toBe(texts[k].length);
        expect(encodeRecord([texts[k], texts[k].length], { textEncoding: enc })).toEqual(cell.payload);
      });
      const idx = leafCells(file, 3);
      const ki = makeKeyInfo(2, { encoding: enc });
      for (let i = 0; i + 1 < idx.length; i++) {
        expect(compareRecords(idx[i].payload, idx[i + 1].payload, ki)).toBeLessThan(0);
      }
    },
  );
});
