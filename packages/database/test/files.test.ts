// File databases through the compat driver: reopen, readonly, fileMustExist, a WAL left
// by a process that exited without closing (read back by the sqlite3 shell), and a
// second process refused with SQLITE_BUSY naming the holder. Child processes run a
// bundle of the driver built here with esbuild (workspace sources, "source" condition).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import Database from "@strata/database/compat";

let dir = "";
let childJs = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "strata-db-"));
  const entry = join(dir, "child.ts");
  // argv: mode path. "write-exit": write and exit without close; "hold": open and wait for stdin;
  // "open": try to open and report the error.
  const compat = resolve(import.meta.dirname, "../src/compat.ts");
  writeFileSync(entry, `
import Database from ${JSON.stringify(compat)};
const [mode, path] = process.argv.slice(2);
try {
  const db = new Database(path, { timeout: 0 });
  if (mode === "write-exit") {
    db.exec("CREATE TABLE w(x); INSERT INTO w VALUES (1), (2), (3)");
    process.exit(0);
  }
  if (mode === "hold") {
    process.stdout.write("ready\\n");
    process.stdin.on("data", () => { db.close(); process.exit(0); });
  } else {
    process.stdout.write(JSON.stringify({ opened: true }));
    db.close();
  }
} catch (e) {
  process.stdout.write(JSON.stringify({ name: e.constructor.name, code: e.code, message: e.message }));
}
`);
  childJs = join(dir, "child.mjs");
  await build({
    entryPoints: [entry], outfile: childJs, bundle: true, format: "esm", platform: "node", target: "node20",
    conditions: ["source"], logLevel: "error",
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string): string => join(dir, name);

describe("file databases", () => {
  test("a new file is created, written, and read back after reopening", () => {
    const p = file("reopen.db");
    const db = new Database(p);
    expect([db.name, db.memory, db.readonly, db.open]).toEqual([p, false, false, true]);
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    const ins = db.prepare("INSERT INTO t(v) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 500; i++) ins.run(`row ${i}`);
    })();
    db.close();
    expect(existsSync(p)).toBe(true);
    const again = new Database(p);
    expect(again.prepare("SELECT count(*) FROM t").pluck().get()).toBe(500);
    expect(again.prepare("SELECT v FROM t WHERE id = 321").pluck().get()).toBe("row 320");
    again.close();
    // SQLite reads what we wrote.
    const oracle = new BetterSqlite3(p, { readonly: true });
    expect(oracle.prepare("SELECT count(*) FROM t").pluck().get()).toBe(500);
    expect(oracle.pragma("integrity_check", { simple: true })).toBe("ok");
    oracle.close();
  });

  test("fileMustExist and readonly refuse a missing file", () => {
    const cantOpen = { name: "SqliteError", code: "SQLITE_CANTOPEN", message: "unable to open database file" };
    for (const opts of [{ fileMustExist: true }, { readonly: true }]) {
      let got: unknown = null;
      try {
        new Database(file("missing.db"), opts);
      } catch (e) {
        const err = e as Error & { code?: string };
        got = { name: err.constructor.name, code: err.code, message: err.message };
      }
      expect(got).toEqual(cantOpen);
      expect(existsSync(file("missing.db"))).toBe(false);
    }
  });

  test("readonly: reads work, writes fail with SQLITE_READONLY", () => {
    const p = file("ro.db");
    const w = new BetterSqlite3(p);
    w.exec("CREATE TABLE t(x); INSERT INTO t VALUES (42)");
    w.close();
    const db = new Database(p, { readonly: true, fileMustExist: true });
    expect(db.readonly).toBe(true);
    expect(db.prepare("SELECT x FROM t").pluck().get()).toBe(42);
    for (const sql of ["INSERT INTO t VALUES (1)", "CREATE TABLE u(y)"]) {
      let got: unknown = null;
      try {
        db.exec(sql);
      } catch (e) {
        got = { code: (e as { code?: string }).code, message: (e as Error).message };
      }
      expect(got).toEqual({ code: "SQLITE_READONLY", message: "attempt to write a readonly database" });
    }
    expect(db.prepare("SELECT count(*) FROM t").pluck().get()).toBe(1);
    db.close();
  });

  test("a WAL left by a process that exited without closing is read by sqlite3", () => {
    const p = file("left.db");
    const r = spawnSync(process.execPath, [childJs, "write-exit", p], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(existsSync(`${p}-wal`)).toBe(true);
    const out = execFileSync("sqlite3", [p, "SELECT group_concat(x) FROM w; PRAGMA integrity_check;"], { encoding: "utf8" });
    expect(out.trim().split("\n")).toEqual(["1,2,3", "ok"]);
    // And by us.
    const db = new Database(p);
    expect(db.prepare("SELECT count(*) FROM w").pluck().get()).toBe(3);
    db.close();
  });

  test("a second process gets SQLITE_BUSY naming the holder", async () => {
    const p = file("busy.db");
    const db = new Database(p);
    db.exec("CREATE TABLE t(x)");
    const r = spawnSync(process.execPath, [childJs, "open", p], { encoding: "utf8" });
    const got = JSON.parse(r.stdout) as { name: string; code: string; message: string };
    expect(got.name).toBe("SqliteError");
    expect(got.code).toBe("SQLITE_BUSY");
    expect(got.message).toContain("database is locked");
    expect(got.message).toContain(`pid ${process.pid}`);
    db.close();
    // Once closed, the other process may open it.
    const r2 = spawnSync(process.execPath, [childJs, "open", p], { encoding: "utf8" });
    expect(JSON.parse(r2.stdout)).toEqual({ opened: true });
  });

  test("two connections of one process share the file", () => {
    const p = file("shared.db");
    const a = new Database(p);
    const b = new Database(p);
    a.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    expect(b.prepare("SELECT x FROM t").pluck().all()).toEqual([1]);
    b.exec("INSERT INTO t VALUES (2)");
    expect(a.prepare("SELECT x FROM t ORDER BY x").pluck().all()).toEqual([1, 2]);
    a.close();
    b.close();
  });
});
