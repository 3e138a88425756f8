// FaultyVfs: cut point numbering and the log, each fault kind at a chosen cut point,
// crashes and their durable images (deterministic per seed, never more durable than
// what was synced), and the crash sweep over a toy commit protocol.
import { describe, expect, it } from "vitest";
import { SqliteError } from "@strata/common";
import { FaultyVfs, MemoryVfs, SimulatedCrashError, isSimulatedCrash, type FaultRule, type VfsFile } from "../src/index.js";
import { bytes, expectCode, fill } from "./conformance.js";

function faulty(faults: FaultRule[] = [], options: ConstructorParameters<typeof FaultyVfs>[1] = {}): { base: MemoryVfs; vfs: FaultyVfs } {
  const base = new MemoryVfs();
  return { base, vfs: new FaultyVfs(base, { ...options, faults }) };
}

function contents(f: VfsFile): number[] {
  const out = new Uint8Array(f.size());
  f.read(out, 0);
  return [...out];
}

describe("FaultyVfs cut points", () => {
  it("numbers every write, sync, truncate and delete, globally and per file, and logs them", () => {
    const { vfs } = faulty();
    const a = vfs.open("a.db", { create: true, kind: "main-db" });
    a.write(bytes(1, 2, 3), 0);
    a.read(new Uint8Array(3), 0); // reads are not cut points
    const w = vfs.open("a.db-wal", { create: true, kind: "wal" });
    w.write(fill(10, 7), 32);
    a.sync();
    a.truncate(1);
    w.sync("full");
    a.size();
    vfs.delete("a.db-wal");
    expect(vfs.cutPoints).toBe(6);
    expect(vfs.log.map((c) => [c.cut, c.fileCut, c.kind, c.path, c.fileKind, c.offset, c.length, c.fault])).toEqual([
      [1, 1, "write", "a.db", "main-db", 0, 3, null],
      [2, 1, "write", "a.db-wal", "wal", 32, 10, null],
      [3, 2, "sync", "a.db", "main-db", 0, 0, null],
      [4, 3, "truncate", "a.db", "main-db", 1, 0, null],
      [5, 2, "sync", "a.db-wal", "wal", 0, 0, null],
      [6, 3, "delete", "a.db-wal", "wal", 0, 0, null],
    ]);
  });

  it("a rule filtered by path and kind fires at the at-th matching cut point only", () => {
    const { vfs } = faulty([{ at: 2, path: "b", kind: "sync", fault: { kind: "fail" } }]);
    const a = vfs.open("a", { create: true });
    const b = vfs.open("b", { create: true });
    a.sync();
    b.sync();
    a.sync();
    b.write(bytes(1), 0);
    expectCode(() => b.sync(), "SQLITE_IOERR_FSYNC");
    b.sync();
    expect(vfs.log.filter((c) => c.fault !== null).map((c) => c.cut)).toEqual([5]);
  });
});

describe("FaultyVfs faults", () => {
  it("fail: a write throws SQLITE_IOERR_WRITE and changes nothing", () => {
    const { vfs } = faulty([{ at: 2, fault: { kind: "fail" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1, 1), 0);
    const err = expectCode(() => f.write(bytes(2, 2, 2), 1), "SQLITE_IOERR_WRITE");
    expect(err.message).toMatch(/^disk I\/O error \(injected fault at cut point 2/);
    expect(contents(f)).toEqual([1, 1]);
    f.write(bytes(3), 2); // the rule is spent
    expect(contents(f)).toEqual([1, 1, 3]);
  });

  it("fail with a code: SQLITE_FULL, and persist keeps the disk full", () => {
    const { vfs } = faulty([{ at: 2, kind: "write", fault: { kind: "fail", code: "SQLITE_FULL" }, persist: true }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1), 0);
    const err = expectCode(() => f.write(bytes(2), 1), "SQLITE_FULL");
    expect(err.message).toMatch(/^database or disk is full/);
    expectCode(() => f.write(bytes(3), 2), "SQLITE_FULL");
    f.sync();
    expectCode(() => f.write(bytes(4), 0), "SQLITE_FULL");
    expect(contents(f)).toEqual([1]);
  });

  it("fail: a sync throws SQLITE_IOERR_FSYNC and makes nothing durable", () => {
    const { vfs } = faulty([{ at: 1, kind: "sync", fault: { kind: "fail" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(5, 6), 0);
    expectCode(() => f.sync(), "SQLITE_IOERR_FSYNC");
    expect(vfs.crashImage("lose-unsynced").readFile("a")).toEqual(new Uint8Array(0));
    f.sync();
    expect([...vfs.crashImage("lose-unsynced").readFile("a")]).toEqual([5, 6]);
  });

  it("fail: truncate is SQLITE_IOERR_TRUNCATE, delete is SQLITE_IOERR_DELETE; neither happens", () => {
    const { vfs } = faulty([{ at: 1, kind: "truncate", fault: { kind: "fail" } }, { at: 1, kind: "delete", fault: { kind: "fail" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1, 2, 3), 0);
    expectCode(() => f.truncate(1), "SQLITE_IOERR_TRUNCATE");
    expect(f.size()).toBe(3);
    expectCode(() => vfs.delete("a"), "SQLITE_IOERR_DELETE");
    expect(vfs.exists("a")).toBe(true);
  });

  it("tear: only a prefix of the write reaches the file, and the call returns", () => {
    const { vfs } = faulty([{ at: 2, fault: { kind: "tear", keep: 3 } }]);
    const f = vfs.open("a", { create: true });
    f.write(fill(8, 1), 0);
    f.write(fill(6, 9), 1);
    expect(contents(f)).toEqual([1, 9, 9, 9, 1, 1, 1, 1]);
    expect(vfs.log[1]!.fault).toBe("tear");
    f.sync();
    expect([...vfs.crashImage("lose-unsynced").readFile("a")]).toEqual([1, 9, 9, 9, 1, 1, 1, 1]);
  });

  it("tear past the end extends the file only as far as the prefix", () => {
    const { vfs } = faulty([{ at: 1, fault: { kind: "tear", keep: 2 } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1, 2, 3, 4), 0);
    expect(contents(f)).toEqual([1, 2]);
  });

  it("tear-sectors: only the chosen sectors of the write reach the file", () => {
    const { vfs } = faulty([{ at: 2, fault: { kind: "tear-sectors", keep: [0, 2] } }], { sectorSize: 4 });
    const f = vfs.open("a", { create: true });
    f.write(fill(16, 1), 0);
    // Covers bytes 2..13: sectors 0 (2-3), 1 (4-7), 2 (8-11), 3 (12-13).
    f.write(fill(12, 9), 2);
    expect(contents(f)).toEqual([1, 1, 9, 9, 1, 1, 1, 1, 9, 9, 9, 9, 1, 1, 1, 1]);
  });

  it("tear-sectors without a list picks sectors by seed, deterministically", () => {
    const run = (seed: number) => {
      const { vfs } = faulty([{ at: 2, fault: { kind: "tear-sectors" } }], { sectorSize: 8, seed });
      const f = vfs.open("a", { create: true });
      f.write(fill(256, 1), 0);
      f.write(fill(256, 9), 0);
      return contents(f);
    };
    const seen = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) {
      const got = run(seed);
      expect(run(seed)).toEqual(got);
      // Sector-aligned: every 8-byte sector is all old or all new.
      for (let s = 0; s < 32; s++) expect(new Set(got.slice(s * 8, s * 8 + 8)).size).toBe(1);
      seen.add(got.join(","));
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it("a tear at a cut point that is not a write leaves the call alone", () => {
    const { vfs } = faulty([{ at: 2, fault: { kind: "tear", keep: 0 } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1), 0);
    f.sync();
    expect(vfs.log[1]!.fault).toBeNull();
    expect([...vfs.crashImage("lose-unsynced").readFile("a")]).toEqual([1]);
  });

  it("drop: a write vanishes silently", () => {
    const { vfs } = faulty([{ at: 2, fault: { kind: "drop" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1, 2), 0);
    f.write(bytes(7, 7, 7), 1);
    expect(contents(f)).toEqual([1, 2]);
    expect(vfs.log[1]!.fault).toBe("drop");
  });

  it("drop: a sync that lies makes nothing durable; the next real sync does", () => {
    const { vfs } = faulty([{ at: 1, kind: "sync", fault: { kind: "drop" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(4, 4), 0);
    f.sync();
    expect(vfs.unsyncedCount("a")).toBe(1);
    expect(vfs.crashImage("lose-unsynced").readFile("a")).toEqual(new Uint8Array(0));
    f.sync();
    expect(vfs.unsyncedCount("a")).toBe(0);
    expect([...vfs.crashImage("lose-unsynced").readFile("a")]).toEqual([4, 4]);
  });

  it("drop: a truncate or delete that is not done", () => {
    const { vfs } = faulty([{ at: 1, kind: "truncate", fault: { kind: "drop" } }, { at: 1, kind: "delete", fault: { kind: "drop" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1, 2), 0);
    f.truncate(0);
    expect(f.size()).toBe(2);
    vfs.delete("a");
    expect(vfs.exists("a")).toBe(true);
  });
});

describe("FaultyVfs crashes", () => {
  it("crash: the call throws SimulatedCrashError (an SQLITE_IOERR SqliteError) and so does every later call", () => {
    const { vfs } = faulty([{ at: 3, fault: { kind: "crash" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1), 0);
    f.sync();
    let err: unknown = null;
    try {
      f.write(bytes(2), 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimulatedCrashError);
    expect(err).toBeInstanceOf(SqliteError);
    expect(isSimulatedCrash(err)).toBe(true);
    expect((err as SqliteError).code).toBe("SQLITE_IOERR");
    expect(vfs.crashed).toBe(true);
    expect(vfs.crashPoint).toMatchObject({ cut: 3, kind: "write", path: "a", offset: 1, length: 1 });
    for (const call of [
      () => f.read(new Uint8Array(1), 0),
      () => f.write(bytes(3), 0),
      () => f.sync(),
      () => f.truncate(0),
      () => f.size(),
      () => vfs.open("a"),
      () => vfs.exists("a"),
      () => vfs.delete("a"),
    ]) {
      expect(call).toThrow(SimulatedCrashError);
    }
    f.close(); // does not throw: lets tests clean up
    expect(vfs.cutPoints).toBe(3);
  });

  it("crash(): pulls the plug between calls", () => {
    const { vfs } = faulty();
    const f = vfs.open("a", { create: true });
    f.write(bytes(1), 0);
    vfs.crash();
    expect(() => f.write(bytes(2), 0)).toThrow(SimulatedCrashError);
    expect(vfs.crashPoint).toBeNull();
    expect(vfs.crashImage("keep-unsynced").readFile("a")).toEqual(bytes(1));
  });

  it("the write in flight at the crash is an unsynced write: it may or may not survive", () => {
    const { vfs } = faulty([{ at: 3, fault: { kind: "crash" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(1, 1), 0);
    f.sync();
    expect(() => f.write(bytes(2, 2), 0)).toThrow(SimulatedCrashError);
    expect([...vfs.crashImage("lose-unsynced").readFile("a")]).toEqual([1, 1]);
    expect([...vfs.crashImage("keep-unsynced").readFile("a")]).toEqual([2, 2]);
  });

  it("a crash in a sync leaves that sync's writes unsynced", () => {
    const { vfs } = faulty([{ at: 2, fault: { kind: "crash" } }]);
    const f = vfs.open("a", { create: true });
    f.write(bytes(3), 0);
    expect(() => f.sync()).toThrow(SimulatedCrashError);
    expect(vfs.crashImage("lose-unsynced").readFile("a")).toEqual(new Uint8Array(0));
    expect(vfs.durableImage("lose-unsynced").outcomes).toEqual([{ cut: 1, path: "a", kind: "write", outcome: "lost", keptSectors: null }]);
  });

  it("sync makes only its own file durable", () => {
    const { vfs } = faulty();
    const a = vfs.open("a", { create: true });
    const b = vfs.open("b", { create: true });
    a.write(bytes(1), 0);
    b.write(bytes(2), 0);
    a.sync();
    const img = vfs.crashImage("lose-unsynced");
    expect([...img.readFile("a")]).toEqual([1]);
    expect([...img.readFile("b")]).toEqual([]);
  });

  it("files that existed before are durable as found; creation and deletion are durable at once", () => {
    const base = new MemoryVfs([["old.db", bytes(9, 8, 7)], ["gone.db", bytes(1)]]);
    const vfs = new FaultyVfs(base);
    const old = vfs.open("old.db");
    old.write(bytes(0), 0);
    vfs.open("gone.db").close();
    vfs.delete("gone.db");
    vfs.open("new.db", { create: true }).close();
    const img = vfs.crashImage("lose-unsynced");
    expect(img.list()).toEqual(["new.db", "old.db"]);
    expect([...img.readFile("old.db")]).toEqual([9, 8, 7]);
    expect(img.readFile("new.db")).toEqual(new Uint8Array(0));
  });

  it("writes through a handle to a deleted file never resurrect it in the image", () => {
    const { vfs } = faulty();
    const f = vfs.open("a", { create: true });
    vfs.delete("a");
    f.write(bytes(1), 0);
    f.sync();
    expect(vfs.crashImage("keep-unsynced").list()).toEqual([]);
  });

  it("unsynced truncates may or may not survive; synced ones do", () => {
    const { vfs } = faulty();
    const f = vfs.open("a", { create: true });
    f.write(fill(10, 5), 0);
    f.sync();
    f.truncate(4);
    expect(vfs.crashImage("lose-unsynced").readFile("a")).toEqual(fill(10, 5));
    expect(vfs.crashImage("keep-unsynced").readFile("a")).toEqual(fill(4, 5));
    const sizes = new Set<number>();
    for (let seed = 1; seed <= 16; seed++) sizes.add(vfs.crashImage("random", seed).readFile("a").length);
    expect([...sizes].sort((x, y) => x - y)).toEqual([4, 10]);
    f.sync();
    expect(vfs.crashImage("lose-unsynced").readFile("a")).toEqual(fill(4, 5));
  });

  it("random images are deterministic per seed, vary across seeds, and report what survived", () => {
    const workload = (seed: number) => {
      const { vfs } = faulty([], { seed, sectorSize: 16 });
      const f = vfs.open("a", { create: true });
      f.write(fill(64, 1), 0);
      f.sync();
      for (let i = 0; i < 6; i++) f.write(fill(40, 10 + i), i * 7);
      return vfs;
    };
    const images = new Set<string>();
    const outcomeKinds = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const a = workload(seed).durableImage();
      const b = workload(seed).durableImage();
      expect(b).toEqual(a);
      expect(workload(seed).durableImage("random", seed)).toEqual(a);
      images.add([...a.files.get("a")!].join(","));
      for (const o of a.outcomes) outcomeKinds.add(o.outcome);
      // Replaying the reported outcomes over the synced bytes gives the image exactly.
      const model = Array.from(fill(64, 1));
      for (const o of a.outcomes) {
        const i = o.cut - 3; // cut 1 = first write, 2 = sync, 3.. = the six writes
        const data = fill(40, 10 + i);
        const off = i * 7;
        const keep = o.outcome === "whole" ? [...Array(4).keys()] : o.outcome === "torn" ? o.keptSectors! : [];
        for (const s of keep) for (let x = Math.max(off, s * 16 + Math.floor(off / 16) * 16); x < Math.min(off + 40, (Math.floor(off / 16) + s + 1) * 16); x++) model[x] = data[0]!;
      }
      expect([...a.files.get("a")!]).toEqual(model);
    }
    expect(images.size).toBeGreaterThan(6);
    expect([...outcomeKinds].sort()).toEqual(["lost", "torn", "whole"]);
  });

  it("with crash.torn off, each unsynced write survives whole or not at all", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { vfs } = faulty([], { seed, crash: { torn: false } });
      const f = vfs.open("a", { create: true });
      for (let i = 0; i < 5; i++) f.write(fill(2000, i + 1), i * 2000);
      const img = vfs.durableImage();
      expect(img.outcomes.every((o) => o.outcome !== "torn")).toBe(true);
    }
  });

  it("with crash.garbage on, sectors a torn write lost hold garbage (test6.c's trashed sectors)", () => {
    let trashed = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const { vfs } = faulty([], { seed, sectorSize: 32, crash: { garbage: true } });
      const f = vfs.open("a", { create: true });
      f.write(fill(256, 1), 0);
      f.sync();
      f.write(fill(256, 2), 0);
      const img = vfs.durableImage();
      const bytesOut = img.files.get("a")!;
      expect(bytesOut.length).toBe(256);
      const o = img.outcomes[0]!;
      if (o.outcome !== "torn") continue;
      for (let s = 0; s < 8; s++) {
        const sector = [...bytesOut.subarray(s * 32, s * 32 + 32)];
        if (o.keptSectors!.includes(s)) expect(new Set(sector)).toEqual(new Set([2]));
        else {
          expect(sector.every((v) => v === 1)).toBe(false);
          trashed++;
        }
      }
    }
    expect(trashed).toBeGreaterThan(0);
  });
});
