// Rollback-journal databases: a hot journal left by a SQLite process killed in the
// middle of a transaction is rolled back before use; the first write moves the file to
// WAL (bytes 18/19 = 2), and SQLite then sees a WAL database with the same content.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NodeVfs } from "@strata/vfs/node";
import { Connection } from "../src/index.js";
import { DIGEST_SQL, sqliteView, tempDir } from "./helpers.js";

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => { tmp = tempDir("journal"); });
afterAll(() => tmp.cleanup());

/** A SQLite process that commits some rows, starts a big transaction that spills into the db file, and is killed. */
function killedMidTransaction(path: string): { digest: string; before: Buffer } {
  const script = `
    const fs = require("node:fs");
    const Database = require(${JSON.stringify(require.resolve("better-sqlite3"))});
    const db = new Database(${JSON.stringify(path)});
    db.pragma("page_size = 1024");
    db.pragma("journal_mode = DELETE");
    db.pragma("cache_size = 5");
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    const ins = db.prepare("INSERT INTO t(id, v) VALUES (?, ?)");
    db.transaction(() => { for (let j = 0; j < 300; j++) ins.run(j, "committed " + j + "c".repeat(j % 90)); })();
    process.stdout.write(db.prepare(${JSON.stringify(DIGEST_SQL)}).pluck().get());
    fs.copyFileSync(${JSON.stringify(path)}, ${JSON.stringify(path + ".before")});
    db.exec("BEGIN");
    db.prepare("UPDATE t SET v = 'changed' || v").run();
    for (let j = 0; j < 2000; j++) ins.run(10000 + j, "spilled " + "s".repeat(100));
    process.kill(process.pid, "SIGKILL");
  `;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  expect(r.signal).toBe("SIGKILL");
  return { digest: r.stdout, before: readFileSync(path + ".before") };
}

describe("rollback journal", () => {
  it("rolls back a hot journal left by a killed SQLite, restoring the database byte for byte", () => {
    const path = join(tmp.dir, "hot.db");
    const { digest, before } = killedMidTransaction(path);
    expect(existsSync(path + "-journal")).toBe(true);
    const dirty = readFileSync(path);
    expect(dirty.equals(before)).toBe(false); // the spill reached the database file
    expect(dirty.length).toBeGreaterThan(before.length);
    const conn = Connection.open(new NodeVfs(), path);
    expect(conn.walState.hotJournalPages).toBeGreaterThan(0);
    expect(conn.journalMode).toBe("rollback");
    expect(existsSync(path + "-journal")).toBe(false);
    expect(readFileSync(path).equals(before)).toBe(true);
    conn.close();
    expect(sqliteView(path)).toEqual({ integrity: "ok", digest });
  });

  it("the first write moves a rollback-journal database to WAL, as journal_mode=WAL does", () => {
    const path = join(tmp.dir, "convert.db");
    const { digest } = killedMidTransaction(path);
    const vfs = new NodeVfs();
    const conn = Connection.open(vfs, path, { keepWal: true, autoCheckpoint: 0 });
    expect(readFileSync(path)[18]).toBe(1);
    conn.begin("immediate");
    const page1 = new Uint8Array(conn.pageSize);
    conn.readPage(1, page1);
    expect(page1[18]).toBe(1);
    conn.writePage(1, page1); // an unchanged page 1: the content stays, the mode changes
    conn.commit();
    expect(conn.journalMode).toBe("wal");
    const file = readFileSync(path);
    expect([file[18], file[19]]).toEqual([2, 2]);
    expect(existsSync(path + "-journal")).toBe(false);
    expect(readFileSync(path + "-wal").length).toBeGreaterThan(32);
    conn.close();
    const v = sqliteView(path);
    expect(v).toEqual({ integrity: "ok", digest });
  });
});
