// VACUUM / VACUUM INTO through the compat driver: the driver hands the engine its
// openDatabaseFile hook (open.ts), so VACUUM INTO writes a plain database file that the
// sqlite3 shell and better-sqlite3 read with the same rows; VACUUM of a file database
// leaves an empty freelist and an ok integrity_check.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import Database from "@strata/database/compat";

const dir = mkdtempSync(join(tmpdir(), "strata-db-vacuum-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("VACUUM INTO from a file and from :memory:, VACUUM of a file", () => {
  for (const src of [join(dir, "src.db"), ":memory:"]) {
    const db = new Database(src);
    db.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); CREATE INDEX tb ON t(b)");
    const ins = db.prepare("INSERT INTO t(b) VALUES (?)");
    for (let i = 0; i < 500; i++) ins.run("v" + (i * 7919) % 1000);
    db.exec("DELETE FROM t WHERE a % 2 = 0");
    const out = join(dir, `out-${src === ":memory:" ? "mem" : "file"}.db`);
    db.exec(`VACUUM INTO '${out}'`);
    const want = db.prepare("SELECT a, b FROM t ORDER BY a").all();
    if (src !== ":memory:") {
      db.exec("VACUUM");
      expect(db.pragma("freelist_count", { simple: true })).toBe(0);
      expect(db.prepare("SELECT a, b FROM t ORDER BY a").all()).toEqual(want);
    }
    db.close();
    expect(execFileSync("sqlite3", [out, "PRAGMA integrity_check"], { encoding: "utf8" }).trim()).toBe("ok");
    const check = new BetterSqlite3(out, { readonly: true });
    expect(check.prepare("SELECT a, b FROM t ORDER BY a").all()).toEqual(want);
    check.close();
    if (src !== ":memory:") expect(execFileSync("sqlite3", [src, "PRAGMA integrity_check"], { encoding: "utf8" }).trim()).toBe("ok");
  }
});
