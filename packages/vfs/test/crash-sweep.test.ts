// crashSweep: a crash at every cut point of a workload, then recovery from the image.
// The workload is a toy rollback-journal commit; done right (journal synced before the
// database is touched) every crash recovers to the old or the new contents; done
// wrong (no journal sync) the sweep finds a crash that loses both.
import { describe, expect, it } from "vitest";
import { FaultyVfs, MemoryVfs, crashSweep, type Vfs } from "../src/index.js";
import { fill } from "./conformance.js";

const SIZE = 1500; // spans three 512-byte sectors
const OLD = fill(SIZE, 0x11);
const NEW = fill(SIZE, 0x22);

function checksum(data: Uint8Array): number {
  let h = 7;
  for (const b of data) h = (Math.imul(h, 31) + b) >>> 0;
  return h;
}

/** Journal: [u32 length][u32 checksum][original bytes]. */
function commit(vfs: Vfs, syncJournal: boolean): void {
  const db = vfs.open("db", { kind: "main-db" });
  const original = new Uint8Array(db.size());
  db.read(original, 0);
  const j = vfs.open("db-journal", { create: true, kind: "journal" });
  const header = new Uint8Array(8);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, original.length);
  dv.setUint32(4, checksum(original));
  j.write(original, 8);
  j.write(header, 0);
  if (syncJournal) j.sync();
  j.close();
  db.write(NEW, 0);
  db.sync();
  db.close();
  vfs.delete("db-journal", { syncDir: true }); // the commit point
}

/** Hot-journal rollback, as SQLite does on open. */
function recover(vfs: Vfs): Uint8Array {
  if (vfs.exists("db-journal")) {
    const j = vfs.open("db-journal");
    const header = new Uint8Array(8);
    const ok = j.read(header, 0) === 8;
    const dv = new DataView(header.buffer);
    const len = dv.getUint32(0);
    const body = new Uint8Array(len);
    if (ok && len > 0 && j.read(body, 8) === len && checksum(body) === dv.getUint32(4)) {
      const db = vfs.open("db");
      db.write(body, 0);
      db.truncate(len);
      db.sync();
      db.close();
    }
    j.close();
    vfs.delete("db-journal");
  }
  return (vfs as MemoryVfs).readFile("db");
}

const setup = () => new MemoryVfs([["db", OLD]]);

describe("crashSweep", () => {
  it("a correct journal commit recovers to old or new at every cut point and seed", () => {
    const outcomes = new Set<string>();
    const result = crashSweep({
      setup,
      workload: (vfs) => commit(vfs, true),
      seeds: [1, 2, 3, 4, 5, 6],
      verify: (image) => {
        const got = recover(image);
        const isOld = got.length === SIZE && got.every((b) => b === 0x11);
        const isNew = got.length === SIZE && got.every((b) => b === 0x22);
        expect(isOld || isNew).toBe(true);
        outcomes.add(isOld ? "old" : "new");
      },
    });
    // write body, write header, sync journal, write db, sync db, delete journal
    expect(result.cutPoints).toBe(6);
    expect(result.log.map((c) => c.kind)).toEqual(["write", "write", "sync", "write", "sync", "delete"]);
    expect(result.runs).toBe(36);
    // A crash at any cut point, even in the final delete, comes before the commit point.
    expect([...outcomes]).toEqual(["old"]);
    // Run to the end, then lose power: the commit is durable.
    const vfs = new FaultyVfs(setup());
    commit(vfs, true);
    for (let seed = 1; seed <= 6; seed++) expect(recover(vfs.crashImage("random", seed))).toEqual(NEW);
  });

  it("a commit that skips the journal sync is caught: some crash leaves neither old nor new", () => {
    expect(() =>
      crashSweep({
        setup,
        workload: (vfs) => commit(vfs, false),
        seeds: [1, 2, 3, 4, 5, 6, 7, 8],
        verify: (image) => {
          const got = recover(image);
          expect(got.every((b) => b === 0x11) || got.every((b) => b === 0x22)).toBe(true);
        },
      }),
    ).toThrow(/verify failed after a crash at cut point \d+ \(.*\), seed \d+/);
  });

  it("filter limits the crash points; a non-deterministic workload is reported", () => {
    const r = crashSweep({ setup, workload: (vfs) => commit(vfs, true), filter: (c) => c.kind === "sync", verify: () => {} });
    expect(r.runs).toBe(2);
    let calls = 0;
    expect(() =>
      crashSweep({
        setup,
        workload: (vfs) => {
          calls++;
          const f = vfs.open("db");
          f.write(fill(4, calls), calls === 1 ? 0 : 100); // a different call on each run
          f.close();
        },
        verify: () => {},
      }),
    ).toThrow(/not deterministic/);
  });
});
