/*
 * sqlite3_error_offset and the statement tail (Connection.prepare): where a prepare error
 * is placed, checked against SQLite itself. better-sqlite3 does not expose the offset, so
 * the oracle is the machine's `sqlite3` shell (3.40.1), whose caret line under a failed
 * statement (shell_error_context) shows sqlite3_error_offset in UTF-8 bytes: "^--- error
 * here" starts at the offset, "error here ---^" ends there. Errors SQLite words without a
 * position (no such table, an error inside a view or a trigger program) have no caret and
 * offset -1.
 */
import { spawnSync } from "node:child_process";
import { SqliteError } from "@strata/common";
import { describe, expect, it } from "vitest";
import { openMemory } from "./support.js";

const SETUP = [
  "CREATE TABLE t(a, b)",
  "CREATE TABLE u(a)",
  "CREATE VIEW v AS SELECT 1",
  "CREATE VIEW vbad AS SELECT nosuch FROM t",
  "CREATE TRIGGER tr AFTER INSERT ON u BEGIN INSERT INTO t VALUES(nosuch, 1); END",
];

/** Statements that fail to prepare (each under 50 bytes before its error, so the shell shows the whole line). */
const CASES = [
  "SELEC 1",
  "SELECT 1 +;",
  "SELECT (1;",
  "SELECT (1",
  "SELECT nosuch FROM t",
  "SELECT t.nosuch FROM t",
  "SELECT nosuch.a FROM t",
  "SELECT a FROM t, u",
  "SELECT nosuchfn(1)",
  "SELECT abs(1, 2)",
  "SELECT     abs(1,2)",
  "SELECT max() FROM t",
  "SELECT count(*) FROM t WHERE count(*) > 1",
  "SELECT sum(sum(a)) FROM t",
  "SELECT a FROM t ORDER BY nosuch",
  "SELECT a FROM t GROUP BY nosuch",
  "SELECT a FROM t WHERE rowid = row_number() OVER ()",
  "SELECT 1 FROM t WHERE a = 1 AND nosuch = 2",
  "SELECT -nosuch FROM t",
  "SELECT (nosuch) FROM t",
  "SELECT abs(nosuch) FROM t",
  "SELECT CAST(nosuch AS INT) FROM t",
  "SELECT 1 FROM t WHERE a IN (SELECT nosuch)",
  "SELECT a, '日本', nosuch FROM t",
  "SELECT '☃' || nosuch",
  "INSERT INTO t SELECT nosuch, 1",
  "SELECT x'0g'",
  "SELECT 'abc",
  "SELECT 0x",
  "SELECT * FROM t NATURAL FOO JOIN u",
  "SELECT * FROM nosuch",
  "SELECT * FROM vbad",
  "INSERT INTO u VALUES(1)",
  "CREATE TABLE t(x)",
  "CREATE TABLE \"t\"(x)",
  "CREATE TABLE   main . \"t\"(x)",
  "CREATE TABLE T(x)",
  "CREATE VIEW v AS SELECT 2",
  "CREATE VIEW t AS SELECT 2",
  "CREATE TRIGGER tr AFTER INSERT ON u BEGIN SELECT 1; END",
  "CREATE TRIGGER \"tr\" AFTER INSERT ON u BEGIN SELECT 1; END",
];

/** The byte offset the sqlite3 shell's caret line shows for `sql` (-1: no caret), or NaN if it did not fail. */
function sqlite3Offset(sql: string): number {
  const input = SETUP.map((s) => s + ";\n").join("") + sql + "\n";
  const r = spawnSync("sqlite3", [":memory:"], { input });
  const lines = r.stderr.toString("utf8").split("\n");
  const at = lines.findIndex((l) => l.startsWith(`Parse error near line ${SETUP.length + 1}: `));
  if (at < 0) return NaN;
  const caret = lines[at + 2] ?? "";
  if (caret.endsWith("^--- error here")) return Buffer.byteLength(caret, "utf8") - 2 - "^--- error here".length;
  if (caret.endsWith("error here ---^")) return Buffer.byteLength(caret, "utf8") - 3;
  return -1;
}

function strataError(conn: ReturnType<typeof openMemory>, sql: string, offset = 0): SqliteError {
  try {
    conn.prepare(sql, offset).statement?.finalize();
  } catch (e) {
    if (e instanceof SqliteError) return e;
    throw e;
  }
  // Errors raised when the statement runs (a trigger program compiles at the first step).
  try {
    const st = conn.prepare(sql, offset).statement!;
    try {
      st.step();
    } finally {
      st.finalize();
    }
  } catch (e) {
    if (e instanceof SqliteError) return e;
    throw e;
  }
  throw new Error(`no error: ${sql}`);
}

describe("sqlite3_error_offset: Strata places prepare errors where SQLite does", () => {
  const conn = openMemory();
  for (const s of SETUP) conn.exec(s);
  for (const sql of CASES) {
    it(sql, () => {
      const want = sqlite3Offset(sql);
      const e = strataError(conn, sql);
      const got = e.offset < 0 ? -1 : Buffer.byteLength(sql.slice(0, e.offset), "utf8");
      expect(Number.isNaN(want)).toBe(false);
      expect(got).toBe(want);
    });
  }
});

describe("prepare's tail and offset walk a script", () => {
  it("offsets index the whole text when preparing from the middle of it", () => {
    const conn = openMemory();
    conn.exec("CREATE TABLE t(a)");
    const script = "SELECT 1; /* c */ SELECT nosuch FROM t; SELECT 3;";
    const first = conn.prepare(script);
    expect(script.slice(first.tail)).toBe(" /* c */ SELECT nosuch FROM t; SELECT 3;");
    first.statement!.finalize();
    const e = strataError(conn, script, first.tail);
    expect(e.message).toBe("no such column: nosuch");
    expect(e.offset).toBe(script.indexOf("nosuch"));
    const syntax = strataError(conn, "SELECT 1;\n  SELEC 2;", 9);
    expect(syntax.offset).toBe(12);
  });

  it("the tail follows the `;`; only whitespace, comments and semicolons give no statement", () => {
    const conn = openMemory();
    const script = ";; SELECT 1 -- one\n;SELECT 2";
    const a = conn.prepare(script);
    expect(a.statement!.sql).toBe("SELECT 1 -- one\n");
    expect(script.slice(a.tail)).toBe("SELECT 2");
    a.statement!.finalize();
    const b = conn.prepare(script, a.tail);
    expect(b.tail).toBe(script.length);
    b.statement!.finalize();
    expect(conn.prepare("  -- only a comment\n ; /* x */", 0)).toEqual({ statement: null, tail: 30 });
  });

  it("an error in a later statement of the text is not reported by the first prepare", () => {
    const conn = openMemory();
    const r = conn.prepare("SELECT 1; SELEC 2;");
    expect(r.statement).not.toBeNull();
    r.statement!.finalize();
  });
});
