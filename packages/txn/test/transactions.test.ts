// Transactions over the shared WAL of one process: snapshots that stay stable across
// commits and checkpoints, the single writer, BUSY and BUSY_SNAPSHOT, rollback,
// savepoints, the four checkpoint modes and the WAL restart.
import { describe, it, expect, beforeAll } from "vitest";
import { MemoryVfs } from "@strata/vfs";
import { Connection, WalHeader, decodeWalHeader, WAL_HDRSIZE } from "../src/index.js";
import { applyState, makeStates, whichState, type DbState } from "./helpers.js";

let states: DbState[];
beforeAll(() => {
  states = makeStates(30);
});

function walHeader(vfs: MemoryVfs, path: string): WalHeader {
  const h = decodeWalHeader(vfs.readFile(path + "-wal").subarray(0, WAL_HDRSIZE));
  if (typeof h === "string") throw new Error(h);
  return h;
}

const ALL = () => states.map((_, i) => i);

describe("snapshots", () => {
  it("a reader keeps its snapshot while a writer commits and checkpoints run", () => {
    const vfs = new MemoryVfs();
    const w = Connection.open(vfs, "/db", { autoCheckpoint: 0 });
    const r = Connection.open(vfs, "/db");
    for (let i = 1; i <= 5; i++) applyState(w, states, i);
    r.begin("deferred");
    const buf = new Uint8Array(1024);
    r.readPage(1, buf); // takes the read mark
    const mark = r.readMark;
    expect(mark).toBe(w.walState.mxFrame);
    const seenAt5 = (): number => {
      const n = r.pageCount();
      outer: for (const i of [5]) {
        if (states[i].pages.length !== n) return -1;
        for (let p = 1; p <= n; p++) {
          r.readPage(p, buf);
          for (let k = 0; k < 1024; k++) if (buf[k] !== states[i].pages[p - 1][k] && !(p === 1 && (k === 18 || k === 19))) continue outer;
        }
        return i;
      }
      return -1;
    };
    expect(seenAt5()).toBe(5);
    for (let i = 6; i <= 12; i++) applyState(w, states, i);
    expect(seenAt5()).toBe(5);
    // PASSIVE backfills only up to the reader's mark.
    const c1 = w.checkpoint("passive");
    expect(c1.backfilled).toBe(mark);
    expect(c1.walFrames).toBeGreaterThan(mark);
    expect(seenAt5()).toBe(5);
    // FULL cannot finish while the reader needs the older pages.
    expect(() => w.checkpoint("full")).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    expect(seenAt5()).toBe(5);
    r.commit();
    expect(whichState(r, states, ALL())).toBe(12);
    const c2 = w.checkpoint("truncate");
    expect(c2).toEqual({ walFrames: 0, backfilled: 0 });
    expect(vfs.readFile("/db-wal").length).toBe(0);
    expect(whichState(r, states, ALL())).toBe(12);
    w.close();
    r.close();
  });

  it("a reader of a fully backfilled WAL survives the restart and keeps the db pages it reads", () => {
    const vfs = new MemoryVfs();
    const w = Connection.open(vfs, "/db", { autoCheckpoint: 0, keepWal: true });
    const r = Connection.open(vfs, "/db");
    for (let i = 1; i <= 6; i++) applyState(w, states, i);
    w.checkpoint("passive"); // everything backfilled
    const h1 = walHeader(vfs, "/db");
    r.begin("deferred");
    expect(r.pageCount()).toBe(states[6].pages.length);
    for (let i = 7; i <= 10; i++) applyState(w, states, i); // restarts the WAL
    const h2 = walHeader(vfs, "/db");
    expect(h2.salt1).toBe((h1.salt1 + 1) >>> 0);
    expect(h2.salt2).not.toBe(h1.salt2);
    expect(h2.checkpointSeq).toBe(h1.checkpointSeq + 1);
    expect(r.readMark).toBe(0); // moved to the database file
    w.checkpoint("passive"); // must not overwrite pages the reader reads from the db file
    expect(w.walState.nBackfill).toBe(0);
    const buf = new Uint8Array(1024);
    for (let p = 1; p <= states[6].pages.length; p++) {
      r.readPage(p, buf);
      const want = states[6].pages[p - 1];
      for (let k = 0; k < 1024; k++) if (!(p === 1 && (k === 18 || k === 19))) expect(buf[k]).toBe(want[k]);
    }
    r.rollback();
    expect(w.checkpoint("full").backfilled).toBe(w.walState.mxFrame);
    expect(whichState(r, states, ALL())).toBe(10);
    w.close();
    r.close();
  });
});

describe("writers", () => {
  it("one writer at a time: SQLITE_BUSY for a second writer, SQLITE_BUSY_SNAPSHOT for a stale reader", () => {
    const vfs = new MemoryVfs();
    const a = Connection.open(vfs, "/db");
    const b = Connection.open(vfs, "/db");
    applyState(a, states, 1);
    a.begin("immediate");
    expect(() => b.begin("immediate")).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    expect(b.inTransaction).toBe(false);
    expect(() => b.begin("exclusive")).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    b.begin("deferred");
    expect(b.pageCount()).toBe(states[1].pages.length); // readers are never blocked
    expect(() => b.writePage(2, states[2].pages[1])).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    for (const p of states[2].changed) a.writePage(p, states[2].pages[p - 1]);
    a.commit();
    expect(() => b.writePage(2, states[2].pages[1])).toThrow(expect.objectContaining({ code: "SQLITE_BUSY_SNAPSHOT" }));
    b.rollback();
    applyState(b, states, 3);
    expect(whichState(a, states, ALL())).toBe(3);
    a.close();
    b.close();
  });

  it("rollback discards dirty pages; an empty write transaction writes nothing", () => {
    const vfs = new MemoryVfs();
    const a = Connection.open(vfs, "/db");
    applyState(a, states, 1);
    applyState(a, states, 2);
    const before = a.walState.mxFrame;
    a.begin("immediate");
    for (const p of states[3].changed) a.writePage(p, states[3].pages[p - 1]);
    a.rollback();
    a.begin("immediate");
    a.commit();
    expect(a.walState.mxFrame).toBe(before);
    expect(whichState(a, states, ALL())).toBe(2);
    expect(() => a.commit()).toThrow("cannot commit - no transaction is active");
    expect(() => a.rollback()).toThrow("cannot rollback - no transaction is active");
    a.begin();
    expect(() => a.begin()).toThrow("cannot start a transaction within a transaction");
    a.close();
  });

  it("nested savepoints: ROLLBACK TO restores, RELEASE keeps, RELEASE of a SAVEPOINT-begun transaction commits", () => {
    const vfs = new MemoryVfs();
    const a = Connection.open(vfs, "/db");
    for (let i = 1; i <= 3; i++) applyState(a, states, i);
    const write = (i: number) => {
      for (const p of states[i].changed) a.writePage(p, states[i].pages[p - 1]);
      if (states[i].pages.length < a.pageCount()) a.truncate(states[i].pages.length);
    };
    const view = (): number => {
      // Which state the open transaction sees, without ending it.
      const n = a.pageCount();
      const buf = new Uint8Array(1024);
      outer: for (let i = states.length - 1; i >= 0; i--) {
        if (states[i].pages.length !== n) continue;
        for (let p = 1; p <= n; p++) {
          a.readPage(p, buf);
          for (let k = 0; k < 1024; k++) if (buf[k] !== states[i].pages[p - 1][k] && !(p === 1 && (k === 18 || k === 19))) continue outer;
        }
        return i;
      }
      return -1;
    };
    a.savepoint("outer"); // begins a transaction
    expect(a.inTransaction).toBe(true);
    write(4);
    a.savepoint("mid");
    write(5);
    a.savepoint("INNER");
    write(6);
    expect(view()).toBe(6);
    a.rollbackTo("mid");
    expect(view()).toBe(4);
    write(5);
    a.savepoint("inner");
    write(6);
    a.release("Inner");
    expect(view()).toBe(6);
    a.rollbackTo("mid");
    expect(view()).toBe(4);
    expect(() => a.release("nope")).toThrow("no such savepoint: nope");
    write(5);
    a.release("outer"); // commits
    expect(a.inTransaction).toBe(false);
    expect(whichState(a, states, ALL())).toBe(5);
    a.begin();
    a.savepoint("s");
    write(6);
    a.rollbackTo("s");
    a.release("s");
    a.commit();
    expect(whichState(a, states, ALL())).toBe(5);
    a.close();
  });

  it("automatic checkpoint after N frames, and close checkpoints and deletes the WAL", () => {
    const vfs = new MemoryVfs();
    const a = Connection.open(vfs, "/db", { autoCheckpoint: 10 });
    let checkpoints = 0;
    let last = 0;
    for (let i = 1; i <= 20; i++) {
      applyState(a, states, i);
      if (a.walState.nBackfill > 0 && a.walState.nBackfill === a.walState.mxFrame && a.walState.mxFrame !== last) checkpoints++;
      last = a.walState.mxFrame;
      expect(a.walState.mxFrame).toBeLessThan(10 + 8);
    }
    expect(checkpoints).toBeGreaterThan(0);
    a.close();
    expect(vfs.exists("/db-wal")).toBe(false);
    const b = Connection.open(vfs, "/db");
    expect(whichState(b, states, ALL())).toBe(20);
    b.close();
  });

  it("reopening recovers the WAL a connection left (keepWal) and sees the same state", () => {
    const vfs = new MemoryVfs();
    const a = Connection.open(vfs, "/db", { autoCheckpoint: 0, keepWal: true });
    for (let i = 1; i <= 15; i++) applyState(a, states, i);
    const mx = a.walState.mxFrame;
    a.close();
    const b = Connection.open(vfs, "/db", { keepWal: true });
    expect(b.walState.recoveredFrames).toBe(mx);
    expect(whichState(b, states, ALL())).toBe(15);
    applyState(b, states, 16);
    b.close();
    const c = Connection.open(vfs, "/db");
    expect(whichState(c, states, ALL())).toBe(16);
    c.close();
  });
});
