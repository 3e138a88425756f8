// Properties of crash images against a reference model of durability written
// independently of faulty-vfs.ts: for random workloads over two files, crashed at a
// random cut point, (1) "lose-unsynced" is exactly what was synced, (2) "keep-unsynced"
// is synced + every unsynced op, (3) a "random" image is the synced bytes with the
// reported outcomes replayed, and each of its bytes is a synced byte, a byte of an
// unsynced write there, or a zero: nothing unsynced is ever presented as synced.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FaultyVfs, MemoryVfs, isSimulatedCrash, type VfsFile } from "../src/index.js";

type Op =
  | { t: "write"; file: 0 | 1; offset: number; len: number }
  | { t: "sync"; file: 0 | 1 }
  | { t: "truncate"; file: 0 | 1; size: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("write" as const), file: fc.constantFrom(0 as const, 1 as const), offset: fc.nat(3000), len: fc.integer({ min: 1, max: 900 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("sync" as const), file: fc.constantFrom(0 as const, 1 as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("truncate" as const), file: fc.constantFrom(0 as const, 1 as const), size: fc.nat(4000) }) },
);

const NAMES = ["a.db", "a.db-wal"] as const;
const SECTOR = 256;

interface ModelOp {
  cut: number;
  offset: number;
  data: Uint8Array | null; // null: truncate to offset
}

function apply(img: number[], op: ModelOp, keep: (x: number) => boolean): void {
  if (op.data === null) {
    img.length = Math.min(img.length, op.offset);
    while (img.length < op.offset) img.push(0);
    return;
  }
  for (let i = 0; i < op.data.length; i++) {
    const x = op.offset + i;
    if (!keep(x)) continue;
    while (img.length < x) img.push(0);
    img[x] = op.data[i]!;
  }
}

describe("FaultyVfs crash images (property)", () => {
  it("match an independent model of synced and unsynced data", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.nat(40), fc.integer({ min: 1, max: 1000 }), (ops, crashAt, seed) => {
        const vfs = new FaultyVfs(new MemoryVfs(), { seed, sectorSize: SECTOR, faults: [{ at: crashAt + 1, fault: { kind: "crash" } }] });
        const synced: number[][] = [[], []];
        const pending: ModelOp[][] = [[], []];
        const files: VfsFile[] = NAMES.map((n) => vfs.open(n, { create: true }));
        let cut = 0;
        try {
          for (const op of ops) {
            cut++;
            const f = files[op.file]!;
            if (op.t === "write") {
              const data = new Uint8Array(op.len).fill((cut % 255) + 1);
              // The crashing write still joins the unsynced writes, so record it first.
              pending[op.file]!.push({ cut, offset: op.offset, data });
              f.write(data, op.offset);
            } else if (op.t === "truncate") {
              f.truncate(op.size);
              pending[op.file]!.push({ cut, offset: op.size, data: null });
            } else {
              f.sync();
              for (const p of pending[op.file]!) apply(synced[op.file]!, p, () => true);
              pending[op.file] = [];
            }
          }
        } catch (e) {
          if (!isSimulatedCrash(e)) throw e;
        }
        expect(vfs.crashed).toBe(crashAt + 1 <= ops.length);

        const lose = vfs.durableImage("lose-unsynced");
        const keep = vfs.durableImage("keep-unsynced");
        const random = vfs.durableImage("random");
        const outcome = new Map(random.outcomes.map((o) => [o.cut, o]));
        expect(random.outcomes.length).toBe(pending[0]!.length + pending[1]!.length);
        NAMES.forEach((name, i) => {
          expect([...lose.files.get(name)!]).toEqual(synced[i]);
          const all = [...synced[i]!];
          for (const p of pending[i]!) apply(all, p, () => true);
          expect([...keep.files.get(name)!]).toEqual(all);

          const replayed = [...synced[i]!];
          for (const p of pending[i]!) {
            const o = outcome.get(p.cut)!;
            expect(o.path).toBe(name);
            if (o.outcome === "lost") continue;
            if (o.outcome === "whole") apply(replayed, p, () => true);
            else apply(replayed, p, (x) => o.keptSectors!.includes(Math.floor(x / SECTOR) - Math.floor(p.offset / SECTOR)));
          }
          const got = random.files.get(name)!;
          expect([...got]).toEqual(replayed);

          for (let x = 0; x < got.length; x++) {
            const v = got[x]!;
            const fromSynced = x < synced[i]!.length && synced[i]![x] === v;
            const fromPending = pending[i]!.some((p) => p.data !== null && x >= p.offset && x < p.offset + p.data.length && p.data[0] === v);
            expect(fromSynced || fromPending || v === 0).toBe(true);
          }
        });
        // Deterministic: the same call gives the same image.
        expect(vfs.durableImage("random")).toEqual(random);
      }),
      { numRuns: 200 },
    );
  }, 180_000);
});
