// ATTACH of database files through the compat driver (the engine opens them through the
// driver's openDatabaseFile hook, open.ts): a file written by better-sqlite3 is read and
// changed through `aux.`, PRAGMA database_list reports its absolute path as SQLite does,
// a file created by ATTACH is read back by better-sqlite3 and passes the sqlite3 shell's
// integrity_check, a rolled-back transaction spanning main and the attached file leaves
// both unchanged, and DETACH closes it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import Database from "@strata/database/compat";

const dir = mkdtempSync(join(tmpdir(), "strata-db-attach-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("ATTACH a file written by SQLite, and a new file SQLite then reads", () => {
  const theirs = join(dir, "theirs.db");
  const ref = new BetterSqlite3(theirs);
  ref.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y')");
  ref.close();
  const created = join(dir, "created.db");
  for (const main of [":memory:", join(dir, "main.db")]) {
    const db = new Database(main);
    db.exec(`ATTACH '${theirs}' AS aux`);
    db.exec(`ATTACH '${created}' AS nu`);
    expect(db.prepare("SELECT * FROM aux.t ORDER BY a").all()).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
    const list = db.prepare("PRAGMA database_list").all() as { name: string; file: string }[];
    expect(list.map((r) => [r.name, r.file])).toEqual([
      ["main", main === ":memory:" ? "" : list[0].file], ["aux", theirs], ["nu", created],
    ]);
    expect(() => db.exec(`ATTACH '${theirs}' AS aux`)).toThrow("database aux is already in use");
    db.exec("CREATE TABLE IF NOT EXISTS main.m(v); CREATE TABLE IF NOT EXISTS nu.n(v)");
    const before = db.prepare("SELECT count(*) AS n FROM nu.n").get();
    db.exec("BEGIN; INSERT INTO aux.t(b) VALUES ('rolled back'); INSERT INTO m VALUES (1); INSERT INTO nu.n VALUES (1); ROLLBACK");
    expect(db.prepare("SELECT count(*) AS n FROM aux.t").get()).toEqual({ n: 2 });
    expect(db.prepare("SELECT count(*) AS n FROM nu.n").get()).toEqual(before);
    db.exec("INSERT INTO nu.n SELECT b FROM aux.t");
    db.exec("DETACH aux");
    expect(() => db.exec("SELECT * FROM aux.t")).toThrow("no such table: aux.t");
    expect(() => db.exec("DETACH aux")).toThrow("no such database: aux");
    db.close();
  }
  expect(execFileSync("sqlite3", [created, "PRAGMA integrity_check"], { encoding: "utf8" }).trim()).toBe("ok");
  const check = new BetterSqlite3(created, { readonly: true });
  expect(check.prepare("SELECT v FROM n ORDER BY rowid").all()).toEqual([{ v: "x" }, { v: "y" }, { v: "x" }, { v: "y" }]);
  check.close();
});
