// The WAL behind the pager's PageStore seam: the Pager creates a database through a
// WalPageStore, commits go to the WAL, a second connection's snapshot stays stable, and
// sqlite3 reads the never-checkpointed database plus WAL.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Pager } from "@strata/pager";
import { MemoryVfs } from "@strata/vfs";
import { NodeVfs } from "@strata/vfs/node";
import { WalPageStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => { tmp = tempDir("store"); });
afterAll(() => tmp.cleanup());

function setUserVersion(p: Pager, v: number): void {
  p.beginWrite();
  p.setMeta("userVersion", v);
  p.commit();
}

function userVersion(p: Pager): number {
  p.beginRead();
  try { return p.getMeta("userVersion"); } finally { p.endRead(); }
}

describe("WalPageStore under the Pager", () => {
  it("creates a database in WAL mode that sqlite3 reads, uncheckpointed", () => {
    const path = join(tmp.dir, "pager.db");
    const store = WalPageStore.open(new NodeVfs(), path, { autoCheckpoint: 0, keepWal: true });
    const pager = Pager.open(store, { pageSize: 4096 });
    for (let v = 1; v <= 5; v++) setUserVersion(pager, v);
    pager.close();
    expect(readFileSync(path).length).toBe(4096); // the one-page base; everything else is in the WAL
    expect(readFileSync(path + "-wal").length).toBeGreaterThan(32 + 5 * (4096 + 24));
    const out = execFileSync("/usr/bin/sqlite3", [path, "PRAGMA user_version; PRAGMA journal_mode; PRAGMA integrity_check;"], { encoding: "utf8" });
    expect(out.trim().split("\n")).toEqual(["5", "wal", "ok"]);
  });

  it("a reader's snapshot holds across commits and a checkpoint; its cache is dropped only after others commit", () => {
    const vfs = new MemoryVfs();
    const w = Pager.open(WalPageStore.open(vfs, "/p.db", { autoCheckpoint: 0 }), { pageSize: 1024 });
    const rStore = WalPageStore.open(vfs, "/p.db");
    const r = Pager.open(rStore);
    setUserVersion(w, 1);
    r.beginRead();
    expect(r.getMeta("userVersion")).toBe(1);
    setUserVersion(w, 2);
    setUserVersion(w, 3);
    const c = (w.store as WalPageStore).checkpoint("passive");
    expect(c.backfilled).toBeLessThan(c.walFrames);
    expect(r.getMeta("userVersion")).toBe(1);
    expect(() => r.beginWrite()).toThrow(expect.objectContaining({ code: "SQLITE_BUSY_SNAPSHOT" }));
    r.endRead();
    expect(userVersion(r)).toBe(3);
    // Own commits keep the cache; the store says "changed" only for others' commits.
    expect(rStore.beginRead()).toBe(false);
    rStore.endRead();
    setUserVersion(w, 4);
    expect(rStore.beginRead()).toBe(true);
    rStore.endRead();
    w.beginWrite();
    expect(() => r.beginWrite()).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    w.rollback();
    setUserVersion(r, 9);
    expect(userVersion(w)).toBe(9);
    expect((w.store as WalPageStore).checkpoint("truncate")).toEqual({ walFrames: 0, backfilled: 0 });
    expect(userVersion(r)).toBe(9);
    r.close();
    w.close();
  });
});
