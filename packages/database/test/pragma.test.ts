// db.pragma() on @strata/database/compat against better-sqlite3: setting and reading
// user_version (simple and row forms), table_info rows, database_list for a file database,
// journal_mode of files (WAL) and of ':memory:'.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import StrataDatabase from "@strata/database/compat";

const dir = mkdtempSync(join(tmpdir(), "strata-pragma-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Db = { pragma(src: string, o?: { simple?: boolean }): unknown; exec(sql: string): unknown; close(): unknown };

function pair(path = ":memory:"): [Db, Db] {
  const a = new BetterSqlite3(path === ":memory:" ? path : `${path}-oracle`) as unknown as Db;
  const b = new StrataDatabase(path) as unknown as Db;
  return [a, b];
}

describe("db.pragma", () => {
  test("user_version, simple and rows; table_info", () => {
    const [o, s] = pair();
    for (const db of [o, s]) db.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', c)");
    const run = (db: Db) => [
      db.pragma("user_version = 3"),
      db.pragma("user_version", { simple: true }),
      db.pragma("user_version"),
      db.pragma("table_info(t)"),
      db.pragma("table_info(t)", { simple: true }),
      db.pragma("index_list(t)"),
      db.pragma("journal_mode"),
      db.pragma("bogus"),
      db.pragma("foreign_keys", { simple: true }),
    ];
    expect(run(s)).toEqual(run(o));
    o.close();
    s.close();
  });

  test("a file database: journal_mode is wal, database_list names the file", () => {
    const path = join(dir, "f.db");
    const s = new StrataDatabase(path) as unknown as Db;
    expect(s.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(s.pragma("database_list")).toEqual([{ seq: 0, name: "main", file: path }]);
    s.exec("CREATE TABLE t(x)");
    expect(s.pragma("user_version = 7")).toEqual([]);
    s.close();
    // A relative name is reported as the absolute path (the VFS's xFullPathname), as SQLite does.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const relDb = new StrataDatabase("./f.db");
      const rel = relDb as unknown as Db;
      const ref = new BetterSqlite3("./f.db", { readonly: true });
      expect(rel.pragma("database_list")).toEqual(ref.pragma("database_list"));
      expect(rel.pragma("database_list")).toEqual([{ seq: 0, name: "main", file: path }]);
      expect(relDb.name).toBe("./f.db");
      ref.close();
      rel.close();
    } finally {
      process.chdir(cwd);
    }
    const o = new BetterSqlite3(path, { readonly: true });
    expect(o.pragma("user_version", { simple: true })).toBe(7);
    expect(o.pragma("integrity_check", { simple: true })).toBe("ok");
    o.close();
  });
});
