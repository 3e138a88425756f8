/*
 * Rowid lookups and rowid ranges whose WHERE term the seek enforces alone, against SQLite
 * 3.53: SQLite drops a rowid =, IS, IN or range term once SeekRowid / SeekGE..LT codes
 * it, so what those opcodes do with keys of every storage class decides the result.
 * SeekRowid gives the key NUMERIC affinity (numeric text and a whole REAL become an
 * INTEGER; anything else finds nothing); a range seek treats text that is not a number,
 * and a BLOB, as larger than every rowid (so `rowid < 'abc' ORDER BY rowid DESC` visits
 * every row). Each key is tried as a literal, as a bound parameter and from a joined
 * table's column, forwards and backwards.
 */
import { describe, expect, it } from "vitest";
import { withPair, type Pair } from "./diff-helper.js";

const KEYS = [
  "NULL", "1", "3", "4", "-1", "0", "2.5", "3.0", "1e19", "-1e19", "1152921504606846976.0",
  "9223372036854775807", "-9223372036854775808", "'3'", "' 3 '", "'3.0'", "'3abc'", "'abc'", "''",
  "x'33'", "x''",
];

function fill(pair: Pair): void {
  pair.exec("CREATE TABLE t(a)");
  pair.exec("INSERT INTO t(rowid, a) VALUES (-9223372036854775808, 'min'), (-1, 'm1'), (1, 'one'), (3, 'three'), (5, 'five'), (1152921504606846976, 'big'), (9223372036854775807, 'max')");
}

describe("rowid seeks enforce their WHERE terms as SQLite's do", () => {
  it("rowid = / IS / IN with keys of every storage class", () => withPair((pair) => {
    fill(pair);
    for (const k of KEYS) {
      pair.expectSame(`SELECT rowid, a FROM t WHERE rowid = ${k}`);
      pair.expectSame(`SELECT rowid, a FROM t WHERE rowid IS ${k}`);
      pair.expectSame(`SELECT rowid, a FROM t WHERE rowid IN (${k}, 1, 1.0, '1')`);
    }
  }));

  it("rowid ranges, forwards and backwards, one bound and two", () => withPair((pair) => {
    fill(pair);
    for (const k of KEYS) {
      for (const op of [">", ">=", "<", "<="]) {
        pair.expectSame(`SELECT rowid FROM t WHERE rowid ${op} ${k}`);
        pair.expectSame(`SELECT rowid FROM t WHERE rowid ${op} ${k} ORDER BY rowid DESC`);
      }
      pair.expectSame(`SELECT rowid FROM t WHERE rowid BETWEEN ${k} AND 5`);
      pair.expectSame(`SELECT rowid FROM t WHERE rowid BETWEEN -1 AND ${k} ORDER BY rowid DESC`);
      pair.expectSame(`SELECT rowid FROM t WHERE rowid > ${k} AND rowid < 'zzz' ORDER BY rowid DESC`);
    }
  }));

  it("join keys from another table's column, with and without affinity", () => withPair((pair) => {
    fill(pair);
    pair.exec("CREATE TABLE k(vi INTEGER, vt TEXT, vb BLOB, vr REAL)");
    for (const k of KEYS) pair.exec(`INSERT INTO k VALUES (${k}, ${k}, ${k}, ${k})`);
    for (const col of ["vi", "vt", "vb", "vr"]) {
      pair.expectSame(`SELECT k.rowid, t.rowid, t.a FROM k JOIN t ON t.rowid = k.${col} ORDER BY 1, 2`);
      pair.expectSame(`SELECT k.rowid, t.rowid FROM k CROSS JOIN t WHERE t.rowid > k.${col} ORDER BY 1, 2`);
      pair.expectSame(`SELECT k.rowid, t.rowid FROM k CROSS JOIN t WHERE t.rowid <= k.${col} ORDER BY 1, 2 DESC`);
      pair.expectSame(`SELECT k.rowid, t.a FROM k LEFT JOIN t ON t.rowid = k.${col} ORDER BY 1`);
    }
  }));

  it("bound parameters of every type", () => withPair((pair) => {
    fill(pair);
    const values: unknown[] = [null, 3, 3.0, 2.5, "3", " 3", "3x", "abc", Buffer.from("3"), 3n, 1152921504606846976n, 1e300];
    for (const v of values) {
      for (const sql of ["SELECT rowid FROM t WHERE rowid = ?", "SELECT rowid FROM t WHERE rowid < ? ORDER BY rowid DESC", "SELECT rowid FROM t WHERE rowid >= ?"]) {
        const [mine, theirs] = pair.both(sql, false, [v]);
        expect(mine, `${sql} with ${String(v)}`).toEqual(theirs);
      }
    }
  }));
});

