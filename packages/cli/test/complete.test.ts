// The statement-completeness scanner (sqlite3_complete) and the shell's line quickscan,
// rule by rule. (The corpus checks them end to end: the shell groups input lines into
// statements as the sqlite3 shell does.)
import { describe, expect, test } from "vitest";
import { isComplete, isPlainWhite, isSemiTerminated, quickScan, SCAN_START } from "../src/complete.js";

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
