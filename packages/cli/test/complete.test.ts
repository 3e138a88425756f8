// The statement-completeness scanner against SQLite's own sqlite3_complete (through the
// sqlite3 shell's behaviour is indirect; here the rules are checked case by case and by
// a property: splitting a script into statements and joining them gives the script back).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isComplete, isPlainWhite, isSemiTerminated, quickScan, SCAN_START, splitFirstStatement } from "../src/complete.js";

describe("isComplete (sqlite3_complete)", () => {
  const cases: [string, boolean][] = [
    ["SELECT 1;", true],
    ["SELECT 1", false],
    ["SELECT ';'", false],
    ["SELECT ';';", true],
    ['SELECT ";"', false],
    ["SELECT [;]", false],
    ["SELECT `;`;", true],
    ["SELECT 1; -- done", true],
    ["SELECT 1 -- ;", false],
    ["SELECT 1 /* ; */", false],
    ["SELECT 1 /* ; */;", true],
    ["SELECT 1 /* unclosed ;", false],
    [";", true],
    ["", false],
    ["CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;", false],
    ["CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true],
    ["CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END", false],
    ["create temporary trigger t after insert on x begin select 1; end;", true],
    ["EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true],
    ["CREATE TABLE trigger(a);", true],
    ["SELECT 'it''s';", true],
  ];
  for (const [sql, want] of cases) test(JSON.stringify(sql), () => expect(isComplete(sql)).toBe(want));
});

describe("quickScan", () => {
  test("carries an open string across lines", () => {
    let s = quickScan("SELECT 'a", SCAN_START);
    expect(s.wait).toBe("'");
    s = quickScan("b';", s);
    expect(isSemiTerminated(s)).toBe(true);
  });
  test("whitespace, comments and a lone semicolon are plain white", () => {
    expect(isPlainWhite(quickScan("  -- hi", SCAN_START))).toBe(true);
    expect(isPlainWhite(quickScan("/* x */ ;", SCAN_START))).toBe(true);
    expect(isPlainWhite(quickScan("x", SCAN_START))).toBe(false);
  });
  test("a semicolon followed by a comment still ends the line", () => {
    expect(isSemiTerminated(quickScan("SELECT 1; -- c", SCAN_START))).toBe(true);
    expect(isSemiTerminated(quickScan("SELECT 1; x", SCAN_START))).toBe(false);
  });
});

describe("splitFirstStatement", () => {
  const piece = fc.oneof(
    fc.constantFrom("SELECT 1", "SELECT ';'", "SELECT \"a;b\"", "SELECT [x;]", "/* ; */ SELECT 2", "SELECT 3 -- ;\n",
      "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END", "  ", "\n"),
    fc.string({ unit: fc.constantFrom("a", " ", "1", "é") }),
  );
  test("statements split off one by one join back to the script", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const script = pieces.map((p) => p + ";").join(" ");
        const parts: string[] = [];
        let rest = script;
        for (let guard = 0; rest.length > 0 && guard < 100; guard++) {
          const { head, tail } = splitFirstStatement(rest);
          expect(head.length).toBeGreaterThan(0);
          parts.push(head);
          rest = tail;
        }
        expect(parts.join("")).toBe(script);
        for (const p of parts.slice(0, -1)) expect(isComplete(p)).toBe(true);
      }),
      { seed: 0x5eed, numRuns: 300 },
    );
  });
  test("only whitespace and comments is an empty statement", () => {
    expect(splitFirstStatement("  /* c */ -- x\n").empty).toBe(true);
    expect(splitFirstStatement(" ; SELECT 1;")).toEqual({ head: " ;", tail: " SELECT 1;", empty: true });
  });
});
