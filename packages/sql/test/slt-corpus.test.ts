// Every SQL statement of the sqllogictest corpus (../shared/slt/test) must parse.
// Records that are `onlyif` another engine (they may hold MySQL/MSSQL syntax) are
// skipped; everything else, including `statement error` records, is parsed (a
// `statement error` there fails at run time, not at parse time, in SQLite).
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { parse } from "../src/index.js";

const ROOT = resolve(import.meta.dirname, "../../../../shared/slt/test");

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (name.endsWith(".test")) yield p;
  }
}

/** The SQL of every record of one file that SQLite would run. */
function statementsOf(text: string): { sql: string; error: boolean }[] {
  const out: { sql: string; error: boolean }[] = [];
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    let line = lines[i];
    if (line.trim() === "" || line.startsWith("#")) { i++; continue; }
    let skip = false;
    while (line.startsWith("skipif") || line.startsWith("onlyif")) {
      const [cond, db] = line.split(/\s+/);
      if (cond === "onlyif" && db !== "sqlite") skip = true;
      if (cond === "skipif" && db === "sqlite") skip = true;
      line = lines[++i] ?? "";
    }
    if (line.startsWith("halt")) { if (!skip) break; i++; continue; }
    const isStatement = line.startsWith("statement");
    const isQuery = line.startsWith("query");
    i++;
    if (!isStatement && !isQuery) {
      while (i < lines.length && lines[i].trim() !== "") i++;
      continue;
    }
    const sql: string[] = [];
    while (i < lines.length && lines[i].trim() !== "" && !(isQuery && lines[i].startsWith("----"))) sql.push(lines[i++]);
    while (i < lines.length && lines[i].trim() !== "") i++;
    if (!skip) out.push({ sql: sql.join("\n"), error: isStatement && line.startsWith("statement error") });
  }
  return out;
}

describe("sqllogictest corpus", () => {
  it.runIf(existsSync(ROOT))("parses every statement SQLite runs", () => {
    let count = 0;
    let records = 0;
    let fileCount = 0;
    let expectedErrors = 0;
    const failures: string[] = [];
    const db = new Database(":memory:");
    for (const f of files(ROOT)) {
      fileCount++;
      for (const { sql, error } of statementsOf(readFileSync(f, "utf8"))) {
        records++;
        try {
          count += parse(sql).length;
        } catch (e) {
          // A `statement error` record may be a syntax error: then SQLite's message must be ours.
          let theirs = "(accepted)";
          try {
            db.prepare(sql);
          } catch (e2) {
            theirs = (e2 as Error).message;
          }
          if (error && theirs === (e as Error).message) expectedErrors++;
          else failures.push(`${f}: ${(e as Error).message} (SQLite: ${theirs}): ${sql.slice(0, 200)}`);
        }
      }
    }
    db.close();
    console.log(
      `slt corpus: ${count} statements in ${records} records of ${fileCount} files parsed; ` +
        `${expectedErrors} 'statement error' records rejected with SQLite's message; ${failures.length} failures`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(count).toBeGreaterThan(100_000);
  });
});
