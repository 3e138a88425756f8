// The process lock (lock.ts): shared within one owner, SQLITE_BUSY naming the holder
// for another owner or another process (a real child process holding it), stale locks
// of killed processes recovered, and locks of a normally exiting process removed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, utimesSync, readdirSync } from "node:fs";
import { tmpdir, hostname } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildSync } from "esbuild";
import { acquireProcessLock, lockPathFor, readLockHolder, type ProcessLock } from "../src/node-vfs.js";
import { expectCode } from "./conformance.js";

const here = dirname(fileURLToPath(import.meta.url));
let work: string;
let childScript: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "strata-lock-"));
  // The child runs the real lock.ts, bundled to plain JS (the package's own build does the same).
  const bundle = join(work, "lock.mjs");
  buildSync({ entryPoints: [join(here, "../src/lock.ts")], bundle: true, platform: "node", format: "esm", conditions: ["source"], outfile: bundle, logLevel: "error" });
  childScript = join(work, "child.mjs");
  writeFileSync(
    childScript,
    `import { acquireProcessLock } from ${JSON.stringify(bundle)};
const [db, mode] = process.argv.slice(2);
const lock = acquireProcessLock(db);
process.stdout.write("locked " + process.pid + "\\n");
if (mode === "exit") process.exit(0);
process.stdin.on("data", (d) => {
  if (String(d).includes("release")) { lock.release(); process.stdout.write("released\\n"); process.exit(0); }
});
`,
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts a child that takes the lock; resolves once it holds it. */
function lockInChild(db: string, mode: "hold" | "exit"): Promise<{ child: ChildProcess; pid: number; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [childScript, db, mode], { stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += String(d)));
    child.stdout!.on("data", (d) => {
      out += String(d);
      const m = /locked (\d+)/.exec(out);
      if (m) resolve({ child, pid: Number(m[1]), exited });
    });
    child.on("exit", (code) => {
      if (!/locked/.test(out)) reject(new Error(`child exited ${code} before locking: ${err}`));
    });
  });
}

describe("process lock", () => {
  let dir: string;
  let db: string;
  const held: ProcessLock[] = [];
  const take = (options?: { owner?: string }) => {
    const l = acquireProcessLock(db, options);
    held.push(l);
    return l;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(work, "db-"));
    db = join(dir, "test.db");
  });
  afterEach(() => {
    for (const l of held.splice(0)) l.release();
  });

  it("writes <db>-lock with pid, host and start time; one owner shares it; the last release removes it", () => {
    const a = take();
    expect(a.lockPath).toBe(`${db}-lock`);
    expect(lockPathFor(db)).toBe(a.lockPath);
    const onDisk = JSON.parse(readFileSync(a.lockPath, "utf8"));
    expect(onDisk).toMatchObject({ pid: process.pid, hostname: hostname(), owner: "default" });
    expect(Number.isNaN(Date.parse(onDisk.startedAt))).toBe(false);
    expect(readLockHolder(db)).toEqual(a.holder);
    const b = take();
    expect(b.holder).toEqual(a.holder);
    a.release();
    a.release(); // a second release of one handle does not drop the other's reference
    expect(existsSync(a.lockPath)).toBe(true);
    b.release();
    expect(b.released).toBe(true);
    expect(existsSync(a.lockPath)).toBe(false);
    expect(readLockHolder(db)).toBeNull();
    take(); // free again
  });

  it("another owner in this process gets SQLITE_BUSY naming the holder", () => {
    take({ owner: "conn-A" });
    const err = expectCode(() => acquireProcessLock(db, { owner: "conn-B" }), "SQLITE_BUSY");
    expect(err.message).toMatch(/^database is locked \(held by pid \d+ on host .+ since .+, owner conn-A/);
    expect(err.message).toContain(String(process.pid));
  });

  it("another process holding the lock: SQLITE_BUSY naming its pid and host, until it releases", async () => {
    const { child, pid, exited } = await lockInChild(db, "hold");
    try {
      const err = expectCode(() => acquireProcessLock(db), "SQLITE_BUSY");
      expect(err.message).toContain(`held by pid ${pid} on host ${hostname()}`);
      expect(readLockHolder(db)?.pid).toBe(pid);
      child.stdin!.write("release\n");
      expect(await exited).toBe(0);
      const mine = take();
      expect(mine.holder.pid).toBe(process.pid);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("recovers the stale lock of a killed process", async () => {
    const { child, pid, exited } = await lockInChild(db, "hold");
    child.kill("SIGKILL");
    await exited;
    expect(readLockHolder(db)?.pid).toBe(pid); // left behind
    const mine = take();
    expect(mine.holder.pid).toBe(process.pid);
    expect(readLockHolder(db)?.pid).toBe(process.pid);
    // No stray files from the takeover (the stale file was renamed aside, then removed).
    expect(readdirSync(dir)).toEqual(["test.db-lock"]);
  });

  it("a process that exits without releasing removes its lock file on the way out", async () => {
    const { exited } = await lockInChild(db, "exit");
    expect(await exited).toBe(0);
    expect(existsSync(`${db}-lock`)).toBe(false);
  });

  it("a lock from another host is never taken over (its pid cannot be checked)", () => {
    writeFileSync(`${db}-lock`, JSON.stringify({ pid: 999_999_999, hostname: "elsewhere.example", startedAt: "2020-01-01T00:00:00.000Z", owner: "default", token: "t" }));
    const err = expectCode(() => acquireProcessLock(db), "SQLITE_BUSY");
    expect(err.message).toContain("held by pid 999999999 on host elsewhere.example");
  });

  it("a dead pid on this host is stale even without a child (ESRCH)", () => {
    writeFileSync(`${db}-lock`, JSON.stringify({ pid: 999_999_999, hostname: hostname(), startedAt: "x", owner: "default", token: "t" }));
    expect(take().holder.pid).toBe(process.pid);
  });

  it("an unreadable lock file is busy while fresh and stale once old", () => {
    const lockPath = `${db}-lock`;
    writeFileSync(lockPath, "");
    const err = expectCode(() => acquireProcessLock(db), "SQLITE_BUSY");
    expect(err.message).toMatch(/held by an unknown process; lock file being written or unreadable/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath, old, old);
    expect(take().holder.pid).toBe(process.pid);
  });

  it("release leaves alone a lock file that is no longer ours", () => {
    const l = acquireProcessLock(db);
    const foreign = JSON.stringify({ pid: 1, hostname: "elsewhere.example", startedAt: "x", owner: "default", token: "other" });
    writeFileSync(l.lockPath, foreign);
    l.release();
    expect(readFileSync(l.lockPath, "utf8")).toBe(foreign);
  });
});
