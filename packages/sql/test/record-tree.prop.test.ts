// The ephemeral index (vdbe/record-tree.ts) against a model: a plain array kept sorted,
// under random inserts (with duplicates), finds, seeks both ways, walks both ways and
// deletes, with enough records to split blocks many times.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareRecords, encodeRecord, makeKeyInfo, SORT_DESC } from "@strata/common";
import { RecordTree } from "../src/vdbe/record-tree.js";

type Op =
  | { k: "insert"; a: number; b: number }
  | { k: "find"; a: number }
  | { k: "seek"; a: number; ge: boolean; rc: number }
  | { k: "walk"; forward: boolean; steps: number }
  | { k: "delete"; a: number; steps: number }
  | { k: "popFront"; n: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant("insert" as const), a: fc.integer({ min: 0, max: 400 }), b: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("find" as const), a: fc.integer({ min: -1, max: 401 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("seek" as const), a: fc.integer({ min: -1, max: 401 }), ge: fc.boolean(), rc: fc.constantFrom(1, -1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("walk" as const), forward: fc.boolean(), steps: fc.integer({ min: 1, max: 600 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("delete" as const), a: fc.integer({ min: 0, max: 400 }), steps: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("popFront" as const), n: fc.integer({ min: 1, max: 50 }) }) },
);

describe("RecordTree (the ephemeral index) behaves as a sorted array", () => {
  for (const desc of [false, true]) {
    it(`under random inserts, finds, seeks, walks and deletes (first field ${desc ? "DESC" : "ASC"})`, () => {
      // Records (a, b): two key fields; the tree orders by both (an index's full record).
      const ki = makeKeyInfo(2, { sortFlags: desc ? [SORT_DESC, 0] : [0, 0] });
      const cmp = (x: Uint8Array, y: Uint8Array): number => compareRecords(x, y, ki);
      fc.assert(
        fc.property(fc.array(op, { minLength: 50, maxLength: 1500 }), (ops) => {
          const tree = new RecordTree(ki);
          let model: Uint8Array[] = [];
          const lower = (key: Uint8Array, rc: number): number => {
            let i = 0;
            while (i < model.length && compareRecords(model[i], key, ki, rc) < 0) i++;
            return i;
          };
          for (const o of ops) {
            switch (o.k) {
              case "insert": {
                const rec = encodeRecord([o.a, o.b]);
                tree.insert(rec);
                const at = lower(rec, 0);
                if (at < model.length && cmp(model[at], rec) === 0) model[at] = rec;
                else model.splice(at, 0, rec);
                expect(cmp(tree.current(), rec)).toBe(0);
                break;
              }
              case "find": {
                const key = encodeRecord([o.a]);
                const at = lower(key, 1);
                const hit = at < model.length && compareRecords(model[at], key, ki, 0) === 0;
                expect(tree.find(key, key.length)).toBe(hit);
                if (at < model.length) expect(cmp(tree.current(), model[at])).toBe(0);
                break;
              }
              case "seek": {
                const key = encodeRecord([o.a]);
                const at = lower(key, o.rc) - (o.ge ? 0 : 1);
                const ok = at >= 0 && at < model.length;
                expect(tree.seek(key, key.length, o.rc, o.ge)).toBe(ok);
                if (ok) expect(cmp(tree.current(), model[at])).toBe(0);
                break;
              }
              case "walk": {
                const got: Uint8Array[] = [];
                let ok = o.forward ? tree.rewind() : tree.last();
                for (let s = 0; ok && s < o.steps; s++) {
                  got.push(tree.current());
                  ok = o.forward ? tree.next() : tree.prev();
                }
                const want = (o.forward ? model : [...model].reverse()).slice(0, o.steps);
                expect(got.length).toBe(want.length);
                for (let i = 0; i < got.length; i++) expect(cmp(got[i], want[i])).toBe(0);
                break;
              }
              case "delete": {
                // Seek, then delete up to `steps` records walking forward (Next after Delete).
                const key = encodeRecord([o.a]);
                const at = lower(key, 1);
                let ok = tree.seek(key, key.length, 1, true);
                for (let s = 0; ok && s < o.steps; s++) {
                  expect(cmp(tree.current(), model[at])).toBe(0);
                  tree.deleteCurrent();
                  model.splice(at, 1);
                  ok = tree.next();
                  expect(ok).toBe(at < model.length);
                }
                break;
              }
              case "popFront": {
                // The recursive-CTE queue: Rewind; read; Delete.
                for (let s = 0; s < o.n && model.length > 0; s++) {
                  expect(tree.rewind()).toBe(true);
                  expect(cmp(tree.current(), model[0])).toBe(0);
                  tree.deleteCurrent();
                  model = model.slice(1);
                }
                break;
              }
            }
            expect(tree.size).toBe(model.length);
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});
