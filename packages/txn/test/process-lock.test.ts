// One process owns a database: another process gets SQLITE_BUSY naming the holder,
// also after the busy timeout; the lock is released on close and recovered after the
// owner is killed. Connections of one process share one wal-index. The child process
// runs Strata's own sources, bundled by esbuild.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { NodeVfs, acquireProcessLock, lockPathFor } from "@strata/vfs/node";
import { Connection } from "../src/index.js";
import { applyState, makeStates, tempDir, whichState } from "./helpers.js";

let tmp: { dir: string; cleanup: () => void };
let childJs: string;
beforeAll(() => {
  tmp = tempDir("lock");
  childJs = join(tmp.dir, "child.mjs");
  buildSync({
    entryPoints: [join(import.meta.dirname, "lock-child.ts")], bundle: true, platform: "node", format: "esm", outfile: childJs,
    conditions: ["source"], absWorkingDir: join(import.meta.dirname, ".."), logLevel: "error",
  });
});
afterAll(() => tmp.cleanup());

const lockHook = (p: string) => acquireProcessLock(p);

describe("process lock", () => {
  it("another process gets SQLITE_BUSY naming the holder; released on close", () => {
    const path = join(tmp.dir, "own.db");
    const conn = Connection.open(new NodeVfs(), path, { processLock: lockHook });
    expect(existsSync(lockPathFor(path))).toBe(true);
    const r = spawnSync(process.execPath, [childJs, path], { encoding: "utf8" });
    expect(r.status).toBe(3);
    expect(r.stdout).toContain("SQLITE_BUSY");
    expect(r.stdout).toContain(`held by pid ${process.pid}`);
    conn.close();
    expect(existsSync(lockPathFor(path))).toBe(false);
    const r2 = spawn(process.execPath, [childJs, path]);
    return new Promise<void>((resolve, reject) => {
      r2.stdout.on("data", (d: Buffer) => {
        try {
          expect(d.toString()).toBe("locked\n");
          r2.kill("SIGKILL");
          resolve();
        } catch (e) { reject(e); }
      });
    });
  });

  it("waits out the busy timeout against a live owner, and takes over the lock of a killed owner", async () => {
    const path = join(tmp.dir, "killed.db");
    const child = spawn(process.execPath, [childJs, path]);
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const t0 = Date.now();
    let err: unknown = null;
    try { Connection.open(new NodeVfs(), path, { processLock: lockHook, busyTimeout: 300 }); } catch (e) { err = e; }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(err).toMatchObject({ code: "SQLITE_BUSY" });
    expect(String((err as Error).message)).toContain(`held by pid ${child.pid}`);
    child.kill("SIGKILL");
    await new Promise<void>((resolve) => child.once("exit", () => resolve()));
    expect(existsSync(lockPathFor(path))).toBe(true); // a killed owner leaves its file
    const conn = Connection.open(new NodeVfs(), path, { processLock: lockHook });
    conn.close();
    expect(existsSync(lockPathFor(path))).toBe(false);
  });

  it("connections of one process share one wal-index, whatever NodeVfs instance they use", () => {
    const states = makeStates(4);
    const path = join(tmp.dir, "shared.db");
    const a = Connection.open(new NodeVfs(), path, { processLock: lockHook });
    const b = Connection.open(new NodeVfs(), path, { processLock: lockHook });
    for (let i = 1; i <= 4; i++) applyState(a, states, i);
    expect(whichState(b, states, [1, 2, 3, 4])).toBe(4);
    a.begin("immediate");
    expect(() => b.begin("immediate")).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    a.rollback();
    a.close();
    expect(existsSync(lockPathFor(path))).toBe(true); // b still holds the process's lock
    b.close();
    expect(existsSync(lockPathFor(path))).toBe(false);
  });
});
