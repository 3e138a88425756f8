// The sqllogictest parser (scripts/slt/format.ts): every record kind, comments, the
// blank-line rules, CRLF, stacked conditions, halt, hash-threshold and labels.
import { describe, expect, it } from "vitest";
import { appliesTo, atoi, parseScript, type QueryRecord, type SltRecord } from "../slt/format.js";

const one = (text: string): SltRecord => {
  const rs = parseScript(text);
  expect(rs).toHaveLength(1);
  return rs[0];
};

describe("slt format: records", () => {
  it("parses statement ok and statement error with multi-line SQL and line numbers", () => {
    const rs = parseScript("statement ok\nCREATE TABLE t1(a INTEGER,\n b TEXT)\n\n\nstatement error\nSELECT * FROM nope\n");
    expect(rs).toEqual([
      { kind: "statement", line: 1, conditions: [], expectError: false, sql: "CREATE TABLE t1(a INTEGER,\n b TEXT)" },
      { kind: "statement", line: 6, conditions: [], expectError: true, sql: "SELECT * FROM nope" },
    ]);
  });

  it("parses a query with types, sort mode, label, SQL and expected lines", () => {
    const q = one("query ITR rowsort label-7\nSELECT a,\n b, c FROM t1\n----\n1\nx\n2.500\n") as QueryRecord;
    expect(q).toEqual({
      kind: "query", line: 1, conditions: [], types: "ITR", sort: "rowsort", label: "label-7",
      sql: "SELECT a,\n b, c FROM t1", expected: ["1", "x", "2.500"], expectedLine: 5,
    });
  });

  it("defaults the sort mode to nosort and the label to null; no ---- means no rows expected", () => {
    const q = one("query I\nSELECT 1 WHERE 0") as QueryRecord;
    expect(q.sort).toBe("nosort");
    expect(q.label).toBeNull();
    expect(q.expected).toEqual([]);
    expect(q.expectedLine).toBe(0);
    expect(q.sql).toBe("SELECT 1 WHERE 0");
  });

  it("parses hash-threshold with C atoi semantics, and halt", () => {
    expect(parseScript("hash-threshold 8\n\nhash-threshold 0\n\nhash-threshold x\n\nhalt\n")).toEqual([
      { kind: "hash-threshold", line: 1, conditions: [], threshold: 8 },
      { kind: "hash-threshold", line: 3, conditions: [], threshold: 0 },
      { kind: "hash-threshold", line: 5, conditions: [], threshold: 0 },
      { kind: "halt", line: 7, conditions: [] },
    ]);
    expect(atoi("  -12abc")).toBe(-12);
    expect(atoi("abc")).toBe(0);
  });

  it("turns malformed records into invalid ones, fatal only for an unknown head word", () => {
    const rs = parseScript("statement maybe\nSELECT 1\n\nquery IX\nSELECT 1\n\nquery\nSELECT 1\n\nquery I sideways\nSELECT 1\n\nfrobnicate\n");
    expect(rs.map((r) => r.kind === "invalid" && [r.line, r.message, r.fatal])).toEqual([
      [1, "statement argument should be 'ok' or 'error'", false],
      [4, "unknown type character 'X' in type string", false],
      [7, "missing type string", false],
      [10, "unknown sort method: 'sideways'", false],
      [13, "unknown record type: 'frobnicate'", true],
    ]);
  });
});

describe("slt format: lines, comments, blank lines", () => {
  it("drops comment lines everywhere, even inside SQL and results, and they do not separate records", () => {
    const rs = parseScript("# header\nquery I nosort\n# about the query\nSELECT 1\n# inside\n----\n# before the value\n1\n# trailing\nstatement ok\nSELECT 2\n");
    expect(rs).toHaveLength(1);
    const q = rs[0] as QueryRecord;
    expect(q.line).toBe(2);
    expect(q.sql).toBe("SELECT 1");
    // The statement after the comment belongs to the same record: it is more expected output.
    expect(q.expected).toEqual(["1", "statement ok", "SELECT 2"]);
    expect(q.expectedLine).toBe(8);
  });

  it("treats whitespace-only lines as blank, and an indented # as text", () => {
    const rs = parseScript("statement ok\nSELECT 1\n \t \nstatement ok\n  # not a comment\n");
    expect(rs.map((r) => r.kind === "statement" && r.sql)).toEqual(["SELECT 1", "  # not a comment"]);
  });

  it("reads CRLF files like LF files", () => {
    const lf = "hash-threshold 3\n\nquery T rowsort\nSELECT 'a'\n----\na\n\nstatement ok\nSELECT 1\n";
    expect(parseScript(lf.replace(/\n/g, "\r\n"))).toEqual(parseScript(lf));
  });

  it("needs no blank line at the end of the file and ignores many blank lines between records", () => {
    expect(parseScript("\n\n\nhalt\n\n\n\nhalt").map((r) => r.line)).toEqual([4, 8]);
  });
});

describe("slt format: conditions", () => {
  it("stacks skipif/onlyif lines in front of any record kind", () => {
    const rs = parseScript("skipif mysql\nonlyif sqlite\nskipif postgresql\nquery I\nSELECT 1\n----\n1\n\nonlyif mssql\nhalt\n");
    expect(rs[0].conditions).toEqual([
      { kind: "skipif", engine: "mysql" }, { kind: "onlyif", engine: "sqlite" }, { kind: "skipif", engine: "postgresql" },
    ]);
    expect(rs[0].line).toBe(4);
    expect(rs[1]).toEqual({ kind: "halt", line: 10, conditions: [{ kind: "onlyif", engine: "mssql" }] });
  });

  it("decides which engines run a record, case-insensitively", () => {
    const c = (kind: "skipif" | "onlyif", engine: string) => ({ kind, engine });
    expect(appliesTo([], "sqlite")).toBe(true);
    expect(appliesTo([c("skipif", "mysql")], "sqlite")).toBe(true);
    expect(appliesTo([c("skipif", "sqlite")], "sqlite")).toBe(false);
    expect(appliesTo([c("skipif", "SQLite")], "sqlite")).toBe(false);
    expect(appliesTo([c("onlyif", "sqlite")], "sqlite")).toBe(true);
    expect(appliesTo([c("onlyif", "mysql")], "sqlite")).toBe(false);
    expect(appliesTo([c("onlyif", "sqlite"), c("skipif", "sqlite")], "sqlite")).toBe(false);
    expect(appliesTo([c("skipif", "mysql"), c("skipif", "mssql")], "sqlite")).toBe(true);
  });

  it("makes conditions followed by nothing an invalid, fatal record", () => {
    const r = one("skipif mysql\n");
    expect(r.kind === "invalid" && r.fatal).toBe(true);
  });
});
