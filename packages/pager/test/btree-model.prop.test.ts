// Model test: random inserts, deletes and seeks on table and index B-trees agree with a
// sorted in-memory model; integrity.ts finds nothing after every batch; deleting most rows
// gives pages back (the tree stays compact). Page sizes 512, 4096, 65536, with and
// without reserved bytes and auto-vacuum; payloads from 0 bytes to several overflow pages.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryVfs } from "@strata/vfs";
import { Btree, checkIntegrity, localSize, maxLocalFor, minLocalFor, Pager, type AutoVacuum, type IndexCursor } from "../src/index.js";
import { cmp2, openMem, rec } from "./helpers.js";

let modelOps = 0;

function payload(key: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = Number(BigInt.asUintN(32, key)) ^ size;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const EXTREME = [-(1n << 63n), (1n << 63n) - 1n, 9007199254740991n, 9007199254740992n, -9007199254740993n, -1n, 0n];

type Op = { kind: "ins" | "del" | "seek" | "app"; key: bigint; size: number } | { kind: "commit" | "rollback" | "purge"; key: bigint; size: number };

function opArb(pageSize: number): fc.Arbitrary<Op> {
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -50, max: 1500 }).map(BigInt) },
    { weight: 1, arbitrary: fc.constantFrom(...EXTREME) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) },
  );
  const size = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }) },
    { weight: 3, arbitrary: fc.integer({ min: 41, max: pageSize }) },
    { weight: 1, arbitrary: fc.integer({ min: pageSize, max: Math.min(4 * pageSize, 70000) }) },
  );
  return fc.oneof(
    { weight: 12, arbitrary: fc.record({ kind: fc.constant("ins" as const), key, size }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("del" as const), key, size }) },
    // NewRowid's shape: last(), then insert the next rowid (the append shortcut).
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("app" as const), key, size }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("seek" as const), key, size }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("commit" as const), key, size }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("rollback" as const), key, size }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("purge" as const), key, size }) },
  );
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Cfg {
  cacheSize?: number;
  pageSize: number;
  reservedBytes: number;
  autoVacuum: AutoVacuum;
  runs: number;
  ops: number;
}

const CFGS: Cfg[] = [
  { pageSize: 512, reservedBytes: 0, autoVacuum: "none", runs: 30, ops: 800 },
  { pageSize: 512, reservedBytes: 20, autoVacuum: "full", runs: 25, ops: 800 },
  // A tiny cache: eviction, pinning of dirty pages and cursor stacks.
  { pageSize: 1024, reservedBytes: 0, autoVacuum: "full", runs: 15, ops: 800, cacheSize: 16 },
  { pageSize: 4096, reservedBytes: 0, autoVacuum: "incremental", runs: 15, ops: 600 },
  { pageSize: 4096, reservedBytes: 40, autoVacuum: "none", runs: 10, ops: 600 },
  { pageSize: 65536, reservedBytes: 0, autoVacuum: "none", runs: 4, ops: 300 },
];

function checkAll(pager: Pager, root: number, intKey: boolean): void {
  pager.beginRead();
  const rep = checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey, cmp: intKey ? undefined : cmp2 }]);
  pager.endRead();
  expect(rep.problems).toEqual([]);
}

describe("table B-tree agrees with a sorted model", () => {
  for (const cfg of CFGS) {
    it(`page ${cfg.pageSize} reserved ${cfg.reservedBytes} ${cfg.autoVacuum}${cfg.cacheSize ? ` cache ${cfg.cacheSize}` : ""}`, () => {
      fc.assert(
        fc.property(fc.array(opArb(cfg.pageSize), { minLength: Math.floor(cfg.ops / 2), maxLength: cfg.ops }), (ops) => {
          const { vfs, path, pager, bt } = openMem(cfg);
          pager.beginWrite();
          const root = bt.createTree("table");
          pager.commit();
          let model = new Map<bigint, number>();
          let committed = new Map<bigint, number>();
          const c = bt.tableCursor(root, true);
          pager.beginWrite();
          const verify = () => {
            const keys = [...model.keys()].sort(cmpBig);
            let i = 0;
            if (c.first()) {
              do {
                expect(c.rowidBig()).toBe(keys[i]);
                const size = model.get(keys[i])!;
                expect(c.payloadSize()).toBe(size);
                if (size > 0) {
                  // A byte range in the middle, read without the whole payload.
                  const off = Math.floor(size / 3);
                  const n = Math.min(size - off, 700);
                  const out = new Uint8Array(n);
                  c.readPayload(off, n, out);
                  expect(Buffer.compare(out, payload(keys[i], size).subarray(off, off + n))).toBe(0);
                }
                i++;
              } while (c.next());
            }
            expect(i).toBe(keys.length);
          };
          for (const op of ops) {
            modelOps++;
            switch (op.kind) {
              case "ins":
                c.insertBig(op.key, payload(op.key, op.size));
                model.set(op.key, op.size);
                expect(c.rowidBig()).toBe(op.key);
                break;
              case "app": {
                const key = c.last() ? c.rowidBig() + 1n : op.key;
                if (key > (1n << 63n) - 1n) break;
                c.insertBig(key, payload(key, op.size));
                model.set(key, op.size);
                expect(c.rowidBig()).toBe(key);
                break;
              }
              case "del": {
                const r = c.seekBig(op.key);
                if (model.has(op.key)) {
                  expect(r).toBe(0);
                  c.delete();
                  model.delete(op.key);
                  // The cursor's next() is the successor.
                  const succ = [...model.keys()].filter((k) => k > op.key).sort(cmpBig)[0];
                  if (c.next()) expect(c.rowidBig()).toBe(succ);
                  else expect(succ).toBeUndefined();
                } else expect(r).not.toBe(0);
                break;
              }
              case "seek": {
                const r = c.seekBig(op.key);
                if (model.has(op.key)) expect(r).toBe(0);
                else if (model.size === 0) expect(c.eof()).toBe(true);
                else {
                  const at = c.rowidBig();
                  if (r < 0) {
                    expect(at < op.key).toBe(true);
                    if (c.next()) expect(c.rowidBig() > op.key).toBe(true);
                  } else {
                    expect(r).toBeGreaterThan(0);
                    expect(at > op.key).toBe(true);
                    if (c.prev()) expect(c.rowidBig() < op.key).toBe(true);
                  }
                }
                break;
              }
              case "commit":
                pager.commit();
                checkAll(pager, root, true);
                committed = new Map(model);
                pager.beginWrite();
                break;
              case "rollback":
                pager.rollback();
                model = new Map(committed);
                pager.beginWrite();
                break;
              case "purge": {
                // Delete ~90% of the rows; the tree must give pages back.
                pager.commit();
                committed = new Map(model);
                pager.beginRead();
                const before = checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey: true }]).treePages;
                pager.endRead();
                pager.beginWrite();
                for (const k of [...model.keys()]) {
                  if (Number(BigInt.asUintN(8, k)) % 10 === 0) continue;
                  expect(c.seekBig(k)).toBe(0);
                  c.delete();
                  model.delete(k);
                }
                pager.commit();
                committed = new Map(model);
                pager.beginRead();
                const rep = checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey: true }]);
                pager.endRead();
                expect(rep.problems).toEqual([]);
                // Well filled: the tree shrinks with the data. Ideal leaf count L from the
                // bytes the remaining cells take on leaves; balance keeps pages about a third
                // full or more, so allow 4L leaves plus a few interior pages.
                const usable = cfg.pageSize - cfg.reservedBytes;
                let bytes = 0;
                for (const size of model.values()) {
                  bytes += 2 + 9 + 9 + localSize(size, maxLocalFor(true, usable), minLocalFor(usable), usable) + (size > maxLocalFor(true, usable) ? 4 : 0);
                }
                const ideal = Math.max(1, Math.ceil(bytes / (usable - 8)));
                expect(rep.treePages).toBeLessThanOrEqual(4 * ideal + 4);
                expect(rep.treePages).toBeLessThanOrEqual(before);
                pager.beginWrite();
                break;
              }
            }
          }
          verify();
          pager.commit();
          checkAll(pager, root, true);
          // Reopen from the bytes: everything committed is there.
          const again = Pager.openFile(new MemoryVfs([["x", vfs.readFile(path)]]).open("x"), { sync: "off" });
          const bt2 = new Btree(again);
          again.beginRead();
          expect(bt2.tableCursor(root).count()).toBe(model.size);
          again.endRead();
          c.close();
        }),
        { numRuns: cfg.runs },
      );
    });
  }
});

describe("index B-tree agrees with a sorted model", () => {
  for (const cfg of CFGS) {
    it(`page ${cfg.pageSize} reserved ${cfg.reservedBytes} ${cfg.autoVacuum}${cfg.cacheSize ? ` cache ${cfg.cacheSize}` : ""}`, () => {
      fc.assert(
        fc.property(fc.array(opArb(cfg.pageSize), { minLength: Math.floor(cfg.ops / 2), maxLength: cfg.ops }), (ops) => {
          const { pager, bt } = openMem(cfg);
          pager.beginWrite();
          const root = bt.createTree("index");
          pager.commit();
          pager.beginWrite();
          // Entries: record (key, blob); the key range is small so entries share prefixes.
          const entry = (k: bigint, size: number) => rec([k % 64n, payload(k, size)]);
          let model = new Map<string, Uint8Array>();
          let committed = new Map<string, Uint8Array>();
          const id = (k: bigint, size: number) => Buffer.from(entry(k, size)).toString("hex");
          const sorted = () => [...model.values()].sort((a, b) => cmp2.compare(a, 0, a.length, b, 0, b.length));
          const c: IndexCursor = bt.indexCursor(root, cmp2, true);
          const keyAt = () => c.key();
          for (const op of ops) {
            modelOps++;
            const e = entry(op.key, op.size);
            switch (op.kind) {
              case "ins":
                c.insert(e);
                model.set(id(op.key, op.size), e);
                expect(Buffer.compare(keyAt(), e)).toBe(0);
                break;
              case "del": {
                // Delete the first entry with this prefix (SeekGE on a 1-field key).
                const prefix = rec([op.key % 64n]);
                let r = c.seek(prefix, 1);
                if (r < 0 && !c.next()) r = 2;
                const victims = sorted().filter((x) => cmp2.compare(x, 0, x.length, prefix, 0, prefix.length) === 0);
                if (victims.length === 0) {
                  if (r !== 2 && !c.eof()) expect(cmp2.compare(keyAt(), 0, c.keySize(), prefix, 0, prefix.length)).toBeGreaterThan(0);
                  break;
                }
                expect(Buffer.compare(keyAt(), victims[0])).toBe(0);
                c.delete();
                for (const [k, v] of model) if (Buffer.compare(v, victims[0]) === 0) model.delete(k);
                if (victims.length > 1) {
                  expect(c.next()).toBe(true);
                  expect(Buffer.compare(keyAt(), victims[1])).toBe(0);
                }
                break;
              }
              case "seek": {
                const r = c.seek(e);
                const present = [...model.values()].some((v) => Buffer.compare(v, e) === 0);
                if (present) expect(r).toBe(0);
                else if (model.size === 0) expect(c.eof()).toBe(true);
                else {
                  const at = keyAt();
                  const s = Math.sign(cmp2.compare(at, 0, at.length, e, 0, e.length));
                  expect(s).toBe(Math.sign(r));
                }
                break;
              }
              case "commit":
                pager.commit();
                checkAll(pager, root, false);
                committed = new Map(model);
                pager.beginWrite();
                break;
              case "rollback":
                pager.rollback();
                model = new Map(committed);
                pager.beginWrite();
                break;
              case "purge": {
                let i = 0;
                if (c.first()) {
                  for (;;) {
                    if (i++ % 10 !== 0) c.delete();
                    // After delete, next() returns the successor of the deleted entry.
                    if (!c.next()) break;
                  }
                }
                const kept = new Map<string, Uint8Array>();
                const all = sorted();
                for (let j = 0; j < all.length; j += 10) kept.set(Buffer.from(all[j]).toString("hex"), all[j]);
                model = kept;
                pager.commit();
                checkAll(pager, root, false);
                committed = new Map(model);
                pager.beginWrite();
                break;
              }
            }
          }
          const want = sorted();
          let i = 0;
          if (c.first()) {
            do expect(Buffer.compare(keyAt(), want[i++])).toBe(0);
            while (c.next());
          }
          expect(i).toBe(want.length);
          pager.commit();
          checkAll(pager, root, false);
          c.close();
        }),
        { numRuns: cfg.runs },
      );
    });
  }
  it("ran thousands of model operations", () => {
    // Reported in the final summary; the suites above run them.
    console.log(`model operations: ${modelOps}`);
    expect(modelOps).toBeGreaterThan(5000);
  });
});
