// The sqllogictest runner (scripts/slt/runner.ts) with the better-sqlite3 adapter:
// hashing against a hash from the corpus, sort modes, labels (also of skipped queries),
// thresholds, the step-error and column-count rules, real corpus files passing, and a
// deliberately wrong engine failing.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { SqlValue } from "@strata/common";
import { parseScript } from "../slt/format.js";
import { hashLine, resultLines, runScript } from "../slt/runner.js";
import { betterSqlite3Engine } from "../slt/engines/better-sqlite3.js";
import type { SltEngine } from "../slt/engine.js";

const CORPUS = resolve(import.meta.dirname, "../../../shared/slt/test");
const run = (text: string, engine: SltEngine = betterSqlite3Engine()) => runScript(text, "t.test", engine);

describe("slt runner: hashing and sorting", () => {
  it("hashes md5 over each value plus a newline", () => {
    expect(hashLine([])).toBe("0 values hashing to d41d8cd98f00b204e9800998ecf8427e");
    expect(hashLine(["1"])).toBe("1 values hashing to b026324c6904b2a9cb4b88d6d61c81d1"); // md5("1\n")
  });

  it("reproduces a hash from the corpus (select1.test: SELECT d-e ...)", () => {
    const text = readFileSync(resolve(CORPUS, "select1.test"), "utf8");
    const records = parseScript(text);
    const target = records.find((r) => r.kind === "query" && r.line === 2997);
    expect(target?.kind === "query" && target.expected).toEqual(["10 values hashing to 85ba30eef17fc9cad69f60d48a75b0b9"]);
    const engine = betterSqlite3Engine();
    engine.open();
    for (const r of records) if (r.kind === "statement" && r.line < 2997) engine.execute(r.sql);
    if (target?.kind !== "query") throw new Error("unreachable");
    const { rows } = engine.prepare(target.sql).run();
    engine.close();
    expect(hashLine(resultLines(target, rows))).toBe(target.expected[0]);
  });

  it("rowsort sorts rows by strcmp of rendered columns; valuesort sorts every value", () => {
    const rows: SqlValue[][] = [[9, "b"], [10, "a"], [9, "a"], [null, "z"]];
    expect(resultLines({ types: "IT", sort: "nosort" }, rows)).toEqual(["9", "b", "10", "a", "9", "a", "NULL", "z"]);
    expect(resultLines({ types: "IT", sort: "rowsort" }, rows)).toEqual(["10", "a", "9", "a", "9", "b", "NULL", "z"]);
    expect(resultLines({ types: "IT", sort: "valuesort" }, rows)).toEqual(["10", "9", "9", "NULL", "a", "a", "b", "z"]);
  });
});

describe("slt runner: records", () => {
  it("passes statement ok/error when the engine agrees, and fails when it does not", () => {
    const r = run("statement ok\nCREATE TABLE t(a)\n\nstatement error\nCREATE TABLE t(a)\n\nstatement ok\nSELECT * FROM nope\n\nstatement error\nSELECT 1\n");
    expect([r.run, r.passed, r.failed]).toEqual([4, 2, 2]);
    expect(r.failures.map((f) => f.line)).toEqual([7, 10]);
    expect(r.failures[0].message).toMatch(/no such table: nope/);
  });

  it("switches to a hash above the threshold, and compares values at or below it", () => {
    const values = Array.from({ length: 9 }, (_, i) => String(i + 1));
    const sql = "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 9) SELECT value FROM s";
    const hashed = `query I nosort\n${sql}\n----\n${hashLine(values)}\n`;
    const listed = `query I nosort\n${sql}\n----\n${values.join("\n")}\n`;
    expect(run(hashed).failed).toBe(0);
    expect(run(listed).failed).toBe(1); // 9 values > default threshold 8
    expect(run(`hash-threshold 0\n\n${listed}`).failed).toBe(0);
    expect(run(`hash-threshold 20\n\n${listed}`).failed).toBe(0);
    expect(run(`hash-threshold 20\n\n${hashed}`).failed).toBe(1);
  });

  it("requires the expected rows exactly (a missing or extra row fails)", () => {
    expect(run("query I nosort\nSELECT 1\n----\n1\n2\n").failed).toBe(1);
    expect(run("query I nosort\nSELECT 1 UNION ALL SELECT 2\n----\n1\n").failed).toBe(1);
    expect(run("query I nosort\nSELECT 1 WHERE 0\n").failed).toBe(0);
  });

  it("checks labels: equal results agree, different ones fail, and a skipped query's expected block counts", () => {
    const q = (sql: string, expected: string, pre = "") => `${pre}query I nosort label-x\n${sql}\n----\n${expected}\n\n`;
    expect(run(q("SELECT 1", "1") + q("SELECT 2-1", "1")).failed).toBe(0);
    const bad = run(q("SELECT 1", "1") + q("SELECT 2", "2"));
    expect(bad.failed).toBe(1);
    expect(bad.failures[0].message).toMatch(/label-x/);
    // The skipped (onlyif mysql) query registers its expected "1"; the real query then gives 2.
    const skipped = run(q("SELECT nonsense FROM nowhere", "1", "onlyif mysql\n") + q("SELECT 2", "2"));
    expect([skipped.skipped, skipped.failed]).toEqual([1, 1]);
    // The hash line of a skipped query counts too.
    const viaHash = run(q("SELECT junk", hashLine(["1"]), "skipif sqlite\n") + q("SELECT 1", "1"));
    expect([viaHash.skipped, viaHash.failed]).toEqual([1, 0]);
  });

  it("skips by condition, and halts", () => {
    const r = run("onlyif mysql\nstatement ok\nBLAH\n\nskipif sqlite\nstatement ok\nBLAH\n\nonlyif sqlite\nstatement ok\nSELECT 1\n\nonlyif mssql\nhalt\n\nhalt\n\nstatement ok\nBLAH\n");
    expect([r.run, r.passed, r.skipped, r.failed, r.halted]).toEqual([1, 1, 3, 0, true]);
  });

  it("fails a query whose column count differs from its type string, without running it", () => {
    const r = run("statement ok\nCREATE TABLE t(a)\n\nquery II nosort\nINSERT INTO t VALUES(1) RETURNING a\n\nquery I nosort\nSELECT count(*) FROM t\n----\n0\n");
    expect(r.failures.map((f) => [f.line, f.message])).toEqual([[4, "wrong number of result columns: expected 2 but got 1"]]);
    expect(r.passed).toBe(2);
  });

  it("fails a query that does not compile, but lets a step error just end the rows", () => {
    expect(run("query I nosort\nSELECT FROM\n").failures[0].message).toMatch(/^query failed: .*syntax error/);
    // sum() overflows on the second row: the harness sees the rows before the error (none
    // for an aggregate) and compares those.
    const r = run("statement ok\nCREATE TABLE t(x)\n\nstatement ok\nINSERT INTO t VALUES(9223372036854775807), (1)\n\nquery I nosort\nSELECT sum(x) FROM t\n");
    expect([r.failed, r.stepErrors]).toEqual([0, 1]);
    const partial = run("query I nosort\nWITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 5) SELECT CASE WHEN value < 3 THEN value ELSE abs(-9223372036854775807 - 1) END FROM s\n----\n1\n2\n");
    expect([partial.failed, partial.stepErrors]).toEqual([0, 1]);
  });

  it("honours maxFailures and stops a file at an unknown record", () => {
    const bad = "statement ok\nBLAH\n\n".repeat(5);
    expect(runScript(bad, "t", betterSqlite3Engine(), { maxFailures: 2 })).toMatchObject({ failed: 2, stopped: true });
    expect(run("frob\n\nstatement ok\nSELECT 1\n")).toMatchObject({ failed: 1, run: 0, stopped: true });
  });
});

describe("slt runner: real corpus files", () => {
  for (const name of ["evidence/in1.test", "evidence/slt_lang_aggfunc.test", "select1.test"]) {
    it(`runs ${name} on better-sqlite3 with no failures`, () => {
      const r = runScript(readFileSync(resolve(CORPUS, name), "utf8"), name, betterSqlite3Engine());
      expect(r.failures).toEqual([]);
      expect(r.run).toBeGreaterThan(50);
      expect(r.passed).toBe(r.run);
    });
  }

  it("reports failures for an engine that adds 1 to every integer", () => {
    const inner = betterSqlite3Engine();
    const offByOne: SltEngine = {
      name: "sqlite",
      open: () => inner.open(),
      close: () => inner.close(),
      execute: (sql) => inner.execute(sql),
      prepare(sql) {
        const stmt = inner.prepare(sql);
        return {
          columnCount: stmt.columnCount,
          run() {
            const { rows, error } = stmt.run();
            const bump = (v: SqlValue): SqlValue => (typeof v === "number" ? v + 1 : typeof v === "bigint" ? v + 1n : v);
            return { rows: rows.map((row) => row.map(bump)), error };
          },
        };
      },
    };
    const r = runScript(readFileSync(resolve(CORPUS, "select1.test"), "utf8"), "select1.test", offByOne);
    expect(r.failed).toBeGreaterThan(500);
    expect(r.failures[0].message).toMatch(/wrong result/);
  });
});
