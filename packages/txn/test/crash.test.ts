// Crash tests with the fault-injecting VFS: a workload of many transactions is cut at
// every write, truncate, delete and fsync in turn (the crash tears or drops the writes
// not yet synced, per seed); after each cut, SQLite (better-sqlite3) and Strata both
// reopen the files: integrity_check is ok, and they find every transaction whose commit
// returned and none after the one in flight.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { MemoryVfs, crashSweep, type Vfs } from "@strata/vfs";
import { Connection, type Synchronous } from "../src/index.js";
import { applyState, exportToDisk, makeStates, sqliteView, tempDir, whichState, type DbState } from "./helpers.js";

let states: DbState[];
let tmp: { dir: string; cleanup: () => void };
const N = 22;
const results: string[] = [];
let fullWalSyncs = 0;

beforeAll(() => {
  states = makeStates(N + 1);
  tmp = tempDir("crash");
});
afterAll(() => {
  tmp.cleanup();
  console.log(results.join("\n"));
});

/** A MemoryVfs holding state 1 as SQLite wrote it: a rollback-journal database (bytes 18/19 = 1). */
function rollbackSetup(): Vfs {
  const s = states[1];
  const file = new Uint8Array(s.pages.length * 1024);
  s.pages.forEach((p, i) => file.set(p, i * 1024));
  return new MemoryVfs([["/db", file]]);
}

function deterministicRandom(): () => number {
  let x = 0x9e3779b9;
  return () => (x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b) >>> 0);
}

function sweep(synchronous: Synchronous, seeds: number[]) {
  let returned = 1; // state 1 is in the setup
  let attempted = 1;
  return crashSweep({
    setup: rollbackSetup,
    seeds,
    workload: (vfs) => {
      returned = 1;
      attempted = 1;
      const conn = Connection.open(vfs, "/db", { synchronous, autoCheckpoint: 6, randomU32: deterministicRandom() });
      for (let i = 2; i <= N; i++) {
        attempted = i;
        applyState(conn, states, i);
        returned = i;
        if (i === 9) conn.checkpoint("restart");
        if (i === 14) conn.checkpoint("truncate");
        if (i === 18) conn.checkpoint("full");
      }
      conn.close();
    },
    verify: (image) => {
      const lo = synchronous === "full" ? returned : 1;
      const candidates: number[] = [];
      for (let k = lo; k <= attempted; k++) candidates.push(k);
      // SQLite first, on an untouched copy of exactly what survived.
      const file = exportToDisk(image, "/db", tmp.dir);
      const v = sqliteView(file);
      expect(v.integrity).toBe("ok");
      const bySqlite = candidates.filter((k) => states[k].digest === v.digest);
      expect(bySqlite.length, `sqlite3 sees a state outside ${lo}..${attempted}`).toBeGreaterThan(0);
      // Then Strata: recovery (hot journal, WAL) and a page-exact match with a state.
      const conn = Connection.open(image, "/db", { randomU32: deterministicRandom() });
      const k = whichState(conn, states, candidates);
      expect(k, `Strata sees no state in ${lo}..${attempted}`).toBeGreaterThanOrEqual(lo);
      expect(states[k].digest).toBe(v.digest);
      // And the recovered database takes new commits.
      if (k + 1 < states.length) {
        applyState(conn, states, k + 1);
        expect(whichState(conn, states, [k + 1])).toBe(k + 1);
      }
      conn.close();
    },
  });
}

describe("crash at every cut point", () => {
  it("synchronous=FULL: every transaction whose commit returned survives, none beyond the one in flight", () => {
    const r = sweep("full", [1, 2, 3]);
    results.push(`crash sweep synchronous=FULL: ${r.cutPoints} cut points, ${r.runs} crash runs`);
    expect(r.cutPoints).toBeGreaterThan(60);
    expect(r.runs).toBe(r.cutPoints * 3);
    expect(r.log.some((c) => c.path === "/db-journal")).toBe(true); // the switch to WAL is covered
    fullWalSyncs = r.log.filter((c) => c.kind === "sync" && c.path === "/db-wal").length;
    expect(fullWalSyncs).toBeGreaterThan(N - 2);
  });

  it("synchronous=NORMAL: the database is always some committed prefix, intact", () => {
    const r = sweep("normal", [1, 2]);
    results.push(`crash sweep synchronous=NORMAL: ${r.cutPoints} cut points, ${r.runs} crash runs`);
    expect(r.cutPoints).toBeGreaterThan(30);
    // NORMAL syncs the WAL only at checkpoints and new WAL headers: exactly one sync per
    // commit (N - 1 commits) fewer than FULL on the same workload.
    const walSyncs = r.log.filter((c) => c.kind === "sync" && c.path === "/db-wal").length;
    expect(fullWalSyncs).toBeGreaterThan(0);
    expect(fullWalSyncs - walSyncs).toBe(N - 1);
  });
});
