// Appends: the insert shortcuts for a cursor on the last entry (table rows after last(),
// as NewRowid leaves it; index keys in sorted order, as CREATE INDEX inserts them) and the
// quick balances they lead to (balanceQuick, balanceQuickIndex). Runs of ascending keys
// are interleaved with random inserts and deletes (which move the cursor off the end) and
// with commits; the trees must agree with a sorted model and pass the integrity check, on
// small and large pages, with and without auto-vacuum, with payloads that spill.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkIntegrity, type AutoVacuum } from "../src/index.js";
import { cmp2, openMem, rec } from "./helpers.js";

type Step = { kind: "run"; n: number; size: number } | { kind: "rand"; key: number; size: number } | { kind: "del"; key: number } | { kind: "commit" };

function stepArb(pageSize: number): fc.Arbitrary<Step> {
  const size = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }) },
    { weight: 2, arbitrary: fc.integer({ min: 61, max: pageSize * 2 }) },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("run" as const), n: fc.integer({ min: 1, max: 120 }), size }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("rand" as const), key: fc.integer({ min: 0, max: 4000 }), size }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("del" as const), key: fc.integer({ min: 0, max: 4000 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: "commit" as const }) },
  );
}

function blob(k: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (k * 31 + i * 7) & 0xff;
  return b;
}

const CFGS: { pageSize: number; autoVacuum: AutoVacuum; runs: number }[] = [
  { pageSize: 512, autoVacuum: "none", runs: 25 },
  { pageSize: 512, autoVacuum: "full", runs: 20 },
  { pageSize: 4096, autoVacuum: "incremental", runs: 10 },
];

describe("appends to a table tree (last() then insert, as NewRowid)", () => {
  for (const cfg of CFGS) {
    it(`page ${cfg.pageSize} ${cfg.autoVacuum}`, () => {
      fc.assert(
        fc.property(fc.array(stepArb(cfg.pageSize), { minLength: 5, maxLength: 40 }), (steps) => {
          const { pager, bt } = openMem(cfg);
          pager.beginWrite();
          const root = bt.createTree("table");
          const c = bt.tableCursor(root, true);
          const model = new Map<number, number>();
          for (const s of steps) {
            if (s.kind === "run") {
              for (let i = 0; i < s.n; i++) {
                const key = c.last() ? c.rowid() + 1 : 1;
                c.insert(key, blob(key, s.size));
                model.set(key, s.size);
                expect(c.rowid()).toBe(key);
              }
            } else if (s.kind === "rand") {
              c.insert(s.key, blob(s.key, s.size));
              model.set(s.key, s.size);
            } else if (s.kind === "del") {
              if (c.seek(s.key) === 0) {
                c.delete();
                model.delete(s.key);
              }
            } else {
              pager.commit();
              pager.beginWrite();
            }
          }
          const keys = [...model.keys()].sort((a, b) => a - b);
          let i = 0;
          if (c.first()) {
            do {
              expect(c.rowid()).toBe(keys[i]);
              expect(Buffer.compare(c.payload(), blob(keys[i], model.get(keys[i])!))).toBe(0);
              i++;
            } while (c.next());
          }
          expect(i).toBe(keys.length);
          c.close();
          pager.commit();
          pager.beginRead();
          expect(checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey: true }]).problems).toEqual([]);
          pager.endRead();
        }),
        { numRuns: cfg.runs },
      );
    });
  }
});

describe("appends to an index tree (sorted keys, as CREATE INDEX)", () => {
  for (const cfg of CFGS) {
    it(`page ${cfg.pageSize} ${cfg.autoVacuum}`, () => {
      fc.assert(
        fc.property(fc.array(stepArb(cfg.pageSize), { minLength: 5, maxLength: 40 }), (steps) => {
          const { pager, bt } = openMem(cfg);
          pager.beginWrite();
          const root = bt.createTree("index");
          const c = bt.indexCursor(root, cmp2, true);
          // Entries (k, blob): ascending runs continue from the largest k so far.
          const model = new Map<number, Uint8Array>();
          let next = 5000;
          for (const s of steps) {
            if (s.kind === "run") {
              for (let i = 0; i < s.n; i++) {
                const e = rec([next, blob(next, s.size)]);
                c.insert(e);
                model.set(next++, e);
                expect(Buffer.compare(c.key(), e)).toBe(0);
              }
            } else if (s.kind === "rand") {
              if (model.has(s.key)) continue; // (k, other blob) would be a second entry
              const e = rec([s.key, blob(s.key, s.size)]);
              c.insert(e);
              model.set(s.key, e);
            } else if (s.kind === "del") {
              const e = model.get(s.key);
              if (e !== undefined && c.seek(e) === 0) {
                c.delete();
                model.delete(s.key);
              }
            } else {
              pager.commit();
              pager.beginWrite();
            }
          }
          const keys = [...model.keys()].sort((a, b) => a - b);
          let i = 0;
          if (c.first()) {
            do {
              expect(Buffer.compare(c.key(), model.get(keys[i])!)).toBe(0);
              i++;
            } while (c.next());
          }
          expect(i).toBe(keys.length);
          c.close();
          pager.commit();
          pager.beginRead();
          expect(checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey: false, cmp: cmp2 }]).problems).toEqual([]);
          pager.endRead();
        }),
        { numRuns: cfg.runs },
      );
    });
  }
});
