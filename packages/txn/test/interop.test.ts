// Interop with real SQLite, both ways: the sqlite3 shell (3.40) and better-sqlite3
// (3.53) read a database plus a WAL that Strata wrote and never checkpointed; Strata
// reads a database plus a WAL that a killed SQLite process left.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { NodeVfs } from "@strata/vfs/node";
import { Connection, WAL_FRAME_HDRSIZE, WAL_HDRSIZE, WalHeader, decodeWalHeader, encodeFrame, walFrameOffset } from "../src/index.js";
import { DIGEST_SQL, applyState, makeStates, sqliteView, tempDir, type DbState } from "./helpers.js";

const SHELL = "/usr/bin/sqlite3";

function shell(file: string, sql: string): string {
  return execFileSync(SHELL, [file, sql], { encoding: "utf8" }).trim();
}

let states: DbState[];
let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  states = makeStates(40);
  tmp = tempDir("interop");
});
afterAll(() => tmp.cleanup());

/** Appends the pages of `s` as frames with no commit frame (a writer that died mid-commit), then a torn frame. */
function appendUncommittedTail(walPath: string, s: DbState): void {
  const wal = new Uint8Array(readFileSync(walPath));
  const h = decodeWalHeader(wal) as WalHeader;
  const ps = h.pageSize;
  const szFrame = ps + WAL_FRAME_HDRSIZE;
  const run = Uint32Array.of(h.cksum1, h.cksum2);
  // Walk the valid frames to get the running checksum at the end.
  let f = 1;
  let end = WAL_HDRSIZE;
  for (; walFrameOffset(f, ps) + szFrame <= wal.length; f++) {
    const frame = wal.subarray(walFrameOffset(f, ps), walFrameOffset(f, ps) + szFrame);
    const probe = Uint32Array.from(run);
    const again = frame.slice();
    encodeFrame(h, new DataView(frame.buffer, frame.byteOffset).getUint32(0), new DataView(frame.buffer, frame.byteOffset).getUint32(4), again, ps, probe);
    if (again[16] !== frame[16] || again[20] !== frame[20]) break;
    run.set(probe);
    end = walFrameOffset(f, ps) + szFrame;
  }
  const tail: Uint8Array[] = [];
  for (const p of s.changed) {
    const frame = new Uint8Array(szFrame);
    frame.set(s.pages[p - 1], WAL_FRAME_HDRSIZE);
    encodeFrame(h, p, 0, frame, ps, run); // never a commit frame
    tail.push(frame);
  }
  const torn = new Uint8Array(szFrame);
  torn.set(s.pages[0], WAL_FRAME_HDRSIZE);
  encodeFrame(h, 1, s.pages.length, torn, ps, run); // a commit frame...
  tail.push(torn.subarray(0, 700)); // ...torn in the middle
  const out = new Uint8Array(end + tail.reduce((n, t) => n + t.length, 0));
  out.set(wal.subarray(0, end));
  let o = end;
  for (const t of tail) { out.set(t, o); o += t.length; }
  writeFileSync(walPath, out);
}

describe("sqlite3 reads what Strata wrote", () => {
  it("sees every committed transaction and none of the uncommitted ones, never checkpointed", () => {
    const path = join(tmp.dir, "strata.db");
    const vfs = new NodeVfs();
    const conn = Connection.open(vfs, path, { autoCheckpoint: 0, keepWal: true, synchronous: "full" });
    for (let i = 1; i <= 30; i++) applyState(conn, states, i);
    expect(conn.walState.nBackfill).toBe(0);
    conn.close();
    // Nothing was ever checkpointed: the database file is the one-page empty WAL database.
    expect(readFileSync(path).length).toBe(1024);
    const alone = join(tmp.dir, "alone.db");
    copyFileSync(path, alone);
    expect(shell(alone, "SELECT count(*) FROM sqlite_schema")).toBe("0");
    expect(shell(alone, "PRAGMA integrity_check")).toBe("ok");
    appendUncommittedTail(path + "-wal", states[31]);
    // A stale -shm from an earlier sqlite3 run must not confuse anyone.
    writeFileSync(path + "-shm", new Uint8Array(32768).fill(0x5a));
    const copy = join(tmp.dir, "strata-copy.db");
    copyFileSync(path, copy);
    copyFileSync(path + "-wal", copy + "-wal");
    copyFileSync(path + "-shm", copy + "-shm");
    expect(shell(path, "PRAGMA integrity_check")).toBe("ok");
    expect(shell(path, DIGEST_SQL)).toBe(states[30].digest);
    expect(shell(path, "PRAGMA journal_mode")).toBe("wal");
    // better-sqlite3 (3.53) agrees, on an untouched copy.
    const v = sqliteView(copy);
    expect(v).toEqual({ integrity: "ok", digest: states[30].digest });
  });

  it("after a checkpoint the database file alone is complete", () => {
    const path = join(tmp.dir, "ckpt.db");
    const vfs = new NodeVfs();
    const conn = Connection.open(vfs, path, { autoCheckpoint: 7 });
    for (let i = 1; i <= 25; i++) applyState(conn, states, i);
    conn.checkpoint("truncate");
    expect(readFileSync(path + "-wal").length).toBe(0);
    rmSync(path + "-wal");
    expect(shell(path, "PRAGMA integrity_check")).toBe("ok");
    expect(shell(path, DIGEST_SQL)).toBe(states[25].digest);
    conn.close();
  });
});

describe("Strata reads what SQLite left", () => {
  it("a WAL from a SQLite process killed before any checkpoint, with a spilled uncommitted tail", () => {
    const path = join(tmp.dir, "sqlite.db");
    const script = `
      const Database = require(${JSON.stringify(require.resolve("better-sqlite3"))});
      const db = new Database(${JSON.stringify(path)});
      db.pragma("page_size = 1024");
      db.pragma("journal_mode = WAL");
      db.pragma("wal_autocheckpoint = 0");
      db.pragma("cache_size = 10");
      db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
      const ins = db.prepare("INSERT INTO t(id, v) VALUES (?, ?)");
      for (let i = 0; i < 40; i++) db.transaction(() => { for (let j = 0; j < 10; j++) ins.run(i * 10 + j, "v" + i + "-" + "q".repeat((i * 13 + j) % 120)); })();
      process.stdout.write(db.prepare(${JSON.stringify(DIGEST_SQL)}).pluck().get());
      db.exec("BEGIN");
      for (let j = 0; j < 3000; j++) ins.run(100000 + j, "uncommitted " + "u".repeat(200));
      process.kill(process.pid, "SIGKILL");
    `;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(r.signal).toBe("SIGKILL");
    const digest = r.stdout;
    expect(digest.startsWith("400:")).toBe(true);
    const walSize = readFileSync(path + "-wal").length;
    expect(walSize).toBeGreaterThan(0);
    // The expected pages: what SQLite itself makes of these files, checkpointed into a copy.
    const ref = join(tmp.dir, "sqlite-ref.db");
    copyFileSync(path, ref);
    copyFileSync(path + "-wal", ref + "-wal");
    const rdb = new Database(ref);
    expect(rdb.prepare(DIGEST_SQL).pluck().get()).toBe(digest);
    rdb.pragma("wal_checkpoint(TRUNCATE)");
    rdb.close();
    const refBytes = readFileSync(ref);

    const vfs = new NodeVfs();
    const conn = Connection.open(vfs, path, { keepWal: true });
    expect(conn.walState.recoveredFrames).toBeGreaterThan(0);
    conn.begin();
    const n = conn.pageCount();
    expect(n * 1024).toBe(refBytes.length);
    const buf = new Uint8Array(1024);
    for (let p = 1; p <= n; p++) {
      conn.readPage(p, buf);
      expect(Buffer.from(buf).equals(refBytes.subarray((p - 1) * 1024, p * 1024))).toBe(true);
    }
    conn.rollback();
    // Strata checkpoints SQLite's WAL into the database; SQLite agrees with the result.
    conn.checkpoint("truncate");
    conn.close();
    expect(readFileSync(path).equals(refBytes)).toBe(true);
    const v = sqliteView(path);
    expect(v).toEqual({ integrity: "ok", digest });
  });
});
