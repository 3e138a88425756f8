// REALs whose text differs between the machine's sqlite3 3.40 shell and SQLite 3.53, the
// SQLite the engine follows (docs/compat.md). For these the shell must print what 3.53
// prints: CAST(x AS TEXT) in the text modes, printf('%!.20g', x) in quote/insert/json.
// Each case also checks that 3.40 really prints something else, so the list stays true.
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { runShell } from "./support/run-shell.js";

/** Expressions whose REAL renders differently in 3.40 and 3.53 (column_text). */
export const TEXT_DIFFERS = [
  "1.0/3", "1e15", "1e16", "123456789012345678.0", "0.30000000000000004", "9.007199254740993e15", "2.0/3",
  "12345678901234567890.0", "4.9e-324", "1.7976931348623157e308", "-1.7976931348623157e308",
];
/** Expressions whose "%!.20g" rendering (quote, insert, json, .dump) differs. */
export const LITERAL_DIFFERS = [
  "0.1", "1e100", "1.5e-7", "3.14", "1.0/3", "1e300", "-1e300", "1e-5", "0.001", "4.9e-324", "1.7976931348623157e308",
];

const db = new Database(":memory:");
const sqlite353 = (sql: string) => db.prepare(sql).pluck().get() as string;
const sqlite340 = (args: string[], sql: string) => spawnSync("sqlite3", args, { input: sql }).stdout.toString("utf8");

describe("REAL rendering follows SQLite 3.53 where the 3.40 shell differs", () => {
  for (const x of TEXT_DIFFERS) {
    test(`list mode: ${x}`, async () => {
      const want = sqlite353(`SELECT CAST(${x} AS TEXT)`) + "\n";
      const got = (await runShell([], `SELECT ${x};\n`)).stdout.toString("utf8");
      expect(got).toBe(want);
      expect(sqlite340([], `SELECT ${x};\n`)).not.toBe(want);
    });
  }
  for (const x of LITERAL_DIFFERS) {
    test(`quote, insert and json modes: ${x}`, async () => {
      const lit = sqlite353(`SELECT printf('%!.20g', ${x})`);
      const quote = (await runShell(["-quote"], `SELECT ${x};\n`)).stdout.toString("utf8");
      expect(quote).toBe(lit + "\n");
      const insert = (await runShell([], `.mode insert t\nSELECT ${x};\n`)).stdout.toString("utf8");
      expect(insert).toBe(`INSERT INTO t VALUES(${lit});\n`);
      const json = (await runShell(["-json"], `SELECT ${x} AS v;\n`)).stdout.toString("utf8");
      expect(json).toBe(`[{"v":${lit}}]\n`);
      expect(sqlite340(["-quote"], `SELECT ${x};\n`)).not.toBe(lit + "\n");
    });
  }
});
