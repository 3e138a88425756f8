// Savepoints (pager.ts invariant 6): random inserts and deletes on a table tree and its index
// (every row is in both, as the SQL layer keeps them), mixed with nested openSavepoint /
// releaseSavepoint / rollbackToSavepoint and commit / rollback, agree with a model that nests
// the same way. After every rollbackTo and commit the whole content is compared and
// checkIntegrity finds nothing; at the end the file, reopened from its bytes, equals the
// model, and the sqlite3 shell's `PRAGMA integrity_check` says exactly "ok".
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { makeKeyInfo } from "@strata/common";
import { MemoryVfs } from "@strata/vfs";
import { Btree, checkIntegrity, Pager, recordComparator, type AutoVacuum, type IndexCursor, type TableCursor } from "../src/index.js";
import { openMem, rec } from "./helpers.js";
import { tempDir } from "./support/sqlite-fixtures.js";

const cmp3 = recordComparator(makeKeyInfo(3));
const tmp = tempDir("savepoint");
afterAll(() => tmp.cleanup());

function blob(key: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = Number(BigInt.asUintN(32, key)) ^ size;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
/** Table t(a, b): rowid k holds (k % 64, blob); index i ON t(a, b) holds (k % 64, blob, k). */
const row = (k: bigint, size: number) => rec([k % 64n, blob(k, size)]);
const entry = (k: bigint, size: number) => rec([k % 64n, blob(k, size), k]);

type Op =
  | { kind: "ins" | "del"; key: bigint; size: number }
  | { kind: "open" | "release" | "rollbackTo" | "commit" | "rollback"; at: number };

function opArb(pageSize: number): fc.Arbitrary<Op> {
  const key = fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: -50, max: 600 }).map(BigInt) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) },
  );
  const size = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }) },
    { weight: 3, arbitrary: fc.integer({ min: 61, max: pageSize }) },
    { weight: 1, arbitrary: fc.integer({ min: pageSize, max: 3 * pageSize }) },
  );
  const at = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
  return fc.oneof(
    { weight: 14, arbitrary: fc.record({ kind: fc.constant("ins" as const), key, size }) },
    { weight: 7, arbitrary: fc.record({ kind: fc.constant("del" as const), key, size }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("open" as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("release" as const), at }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("rollbackTo" as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("commit" as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("rollback" as const), at }) },
  );
}

interface Cfg {
  pageSize: number;
  reservedBytes: number;
  autoVacuum: AutoVacuum;
  cacheSize?: number;
  runs: number;
  ops: number;
}

const CFGS: Cfg[] = [
  { pageSize: 512, reservedBytes: 0, autoVacuum: "none", runs: 25, ops: 500 },
  { pageSize: 512, reservedBytes: 24, autoVacuum: "full", runs: 20, ops: 500 },
  // A tiny cache: clean pages journaled without an image are evicted and re-read.
  { pageSize: 1024, reservedBytes: 0, autoVacuum: "full", cacheSize: 16, runs: 15, ops: 500 },
  { pageSize: 4096, reservedBytes: 0, autoVacuum: "incremental", runs: 10, ops: 400 },
];

type Model = Map<bigint, number>;

function sortedKeys(m: Model): bigint[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Both trees hold exactly the model's rows (cursors are re-positioned from scratch). */
function expectContent(t: TableCursor, ix: IndexCursor, m: Model): void {
  const keys = sortedKeys(m);
  let i = 0;
  if (t.first()) {
    do {
      expect(t.rowidBig()).toBe(keys[i]);
      expect(Buffer.compare(t.payload(), row(keys[i], m.get(keys[i])!))).toBe(0);
      i++;
    } while (t.next());
  }
  expect(i).toBe(keys.length);
  const want = keys.map((k) => entry(k, m.get(k)!)).sort((a, b) => cmp3.compare(a, 0, a.length, b, 0, b.length));
  i = 0;
  if (ix.first()) {
    do expect(Buffer.compare(ix.key(), want[i++])).toBe(0);
    while (ix.next());
  }
  expect(i).toBe(want.length);
}

function expectIntact(pager: Pager, rootT: number, rootI: number): void {
  const wasOpen = pager.inRead;
  if (!wasOpen) pager.beginRead();
  const rep = checkIntegrity(pager, [
    { root: 1, intKey: true },
    { root: rootT, intKey: true },
    { root: rootI, intKey: false, cmp: cmp3 },
  ]);
  if (!wasOpen) pager.endRead();
  expect(rep.problems).toEqual([]);
}

let runNo = 0;
let levelsSeen = 0;
let rollbackTos = 0;

describe("savepoints agree with a nested model", () => {
  for (const cfg of CFGS) {
    it(`page ${cfg.pageSize} reserved ${cfg.reservedBytes} ${cfg.autoVacuum}${cfg.cacheSize ? ` cache ${cfg.cacheSize}` : ""}`, () => {
      fc.assert(
        fc.property(fc.array(opArb(cfg.pageSize), { minLength: Math.floor(cfg.ops / 2), maxLength: cfg.ops }), (ops) => {
          const { vfs, path, pager, bt } = openMem(cfg);
          pager.beginWrite();
          const rootT = bt.createTree("table");
          const rootI = bt.createTree("index");
          const schema = bt.tableCursor(1, true);
          schema.insert(1, rec(["table", "t", "t", rootT, "CREATE TABLE t(a, b)"]));
          schema.insert(2, rec(["index", "i", "t", rootI, "CREATE INDEX i ON t(a, b)"]));
          schema.close();
          pager.commit();
          const t = bt.tableCursor(rootT, true);
          const ix = bt.indexCursor(rootI, cmp3, true);
          let model: Model = new Map();
          let committed: Model = new Map();
          const levels: Model[] = []; // levels[k - 1]: the model when level k opened
          pager.beginWrite();
          for (const op of ops) {
            switch (op.kind) {
              case "ins": {
                const old = model.get(op.key);
                if (old !== undefined) {
                  const e = entry(op.key, old);
                  expect(ix.seek(e)).toBe(0);
                  ix.delete();
                }
                t.insertBig(op.key, row(op.key, op.size));
                ix.insert(entry(op.key, op.size));
                model.set(op.key, op.size);
                break;
              }
              case "del": {
                const size = model.get(op.key);
                const r = t.seekBig(op.key);
                if (size === undefined) {
                  expect(r).not.toBe(0);
                  break;
                }
                expect(r).toBe(0);
                t.delete();
                expect(ix.seek(entry(op.key, size))).toBe(0);
                ix.delete();
                model.delete(op.key);
                break;
              }
              case "open": {
                const level = pager.openSavepoint();
                levels.push(new Map(model));
                expect(level).toBe(levels.length);
                expect(pager.savepointLevel).toBe(levels.length);
                levelsSeen = Math.max(levelsSeen, level);
                break;
              }
              case "release": {
                if (levels.length === 0) break;
                const level = 1 + Math.floor(op.at * levels.length);
                pager.releaseSavepoint(level);
                levels.length = level - 1;
                expect(pager.savepointLevel).toBe(levels.length);
                break;
              }
              case "rollbackTo": {
                if (levels.length === 0) break;
                const level = 1 + Math.floor(op.at * levels.length);
                pager.rollbackToSavepoint(level);
                rollbackTos++;
                model = new Map(levels[level - 1]);
                levels.length = level;
                expect(pager.savepointLevel).toBe(level);
                expectContent(t, ix, model);
                expectIntact(pager, rootT, rootI);
                break;
              }
              case "commit":
                pager.commit();
                levels.length = 0;
                expect(pager.savepointLevel).toBe(0);
                committed = new Map(model);
                expectIntact(pager, rootT, rootI);
                pager.beginWrite();
                break;
              case "rollback":
                pager.rollback();
                levels.length = 0;
                model = new Map(committed);
                pager.beginWrite();
                break;
            }
          }
          expectContent(t, ix, model);
          pager.commit();
          expectIntact(pager, rootT, rootI);
          t.close();
          ix.close();
          // Reopen from the bytes: the committed content is the model.
          const bytes = vfs.readFile(path);
          const again = Pager.openFile(new MemoryVfs([["x", bytes]]).open("x"), { sync: "off" });
          const bt2 = new Btree(again);
          again.beginRead();
          expectContent(bt2.tableCursor(rootT), bt2.indexCursor(rootI, cmp3), model);
          again.endRead();
          // And SQLite agrees the file is sound.
          const file = join(tmp.dir, `sp-${runNo++}.db`);
          writeFileSync(file, bytes);
          expect(execFileSync("/usr/bin/sqlite3", [file, "PRAGMA integrity_check"], { encoding: "utf8" })).toBe("ok\n");
        }),
        { numRuns: cfg.runs },
      );
    });
  }

  it("exercised nesting and rollbacks", () => {
    expect(levelsSeen).toBeGreaterThanOrEqual(4);
    expect(rollbackTos).toBeGreaterThan(100);
  });
});

describe("savepoint API", () => {
  it("needs a write transaction and an open level", () => {
    const { pager } = openMem();
    expect(() => pager.openSavepoint()).toThrow(/write transaction/);
    pager.beginWrite();
    expect(() => pager.releaseSavepoint(1)).toThrow(/no savepoint level 1/);
    expect(pager.openSavepoint()).toBe(1);
    expect(pager.openSavepoint()).toBe(2);
    expect(() => pager.rollbackToSavepoint(3)).toThrow(/no savepoint level 3/);
    pager.rollbackToSavepoint(1);
    expect(pager.savepointLevel).toBe(1);
    pager.rollback();
    expect(pager.savepointLevel).toBe(0);
  });

  it("restores the database size, the freelist and header fields; a clean page comes back from the store", () => {
    const { pager, bt } = openMem({ pageSize: 512 });
    pager.beginWrite();
    const root = bt.createTree("table");
    const c = bt.tableCursor(root, true);
    for (let i = 0; i < 200; i++) c.insert(i, blob(BigInt(i), 100));
    pager.commit();
    pager.beginWrite();
    for (let i = 0; i < 150; i++) {
      expect(c.seek(i)).toBe(0);
      c.delete();
    }
    const size0 = pager.pageCount;
    const free0 = pager.getMeta("freelistCount");
    expect(free0).toBeGreaterThan(0);
    pager.setMeta("userVersion", 7);
    pager.openSavepoint();
    pager.setMeta("userVersion", 8);
    for (let i = 1000; i < 1400; i++) c.insert(i, blob(BigInt(i), 100));
    expect(pager.pageCount).toBeGreaterThan(size0);
    expect(pager.getMeta("freelistCount")).toBe(0);
    pager.rollbackToSavepoint(1);
    expect(pager.pageCount).toBe(size0);
    expect(pager.getMeta("freelistCount")).toBe(free0);
    expect(pager.getMeta("userVersion")).toBe(7);
    expect(c.count()).toBe(50);
    // Level 1 is still open and works again.
    c.insert(5000, blob(5000n, 10));
    pager.rollbackToSavepoint(1);
    expect(c.count()).toBe(50);
    pager.releaseSavepoint(1);
    pager.commit();
    pager.beginRead();
    expect(pager.getMeta("userVersion")).toBe(7);
    expect(checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey: true }]).problems).toEqual([]);
    pager.endRead();
    c.close();
  });

  it("a released inner level's changes roll back with the outer level", () => {
    const { pager, bt } = openMem({ pageSize: 1024 });
    pager.beginWrite();
    const root = bt.createTree("table");
    const c = bt.tableCursor(root, true);
    c.insert(1, rec(["one"]));
    pager.openSavepoint();
    c.insert(2, rec(["two"]));
    pager.openSavepoint();
    c.insert(3, rec(["three"]));
    pager.releaseSavepoint(2);
    expect(pager.savepointLevel).toBe(1);
    c.insert(4, rec(["four"]));
    pager.rollbackToSavepoint(1);
    expect(c.count()).toBe(1);
    expect(c.seek(1)).toBe(0);
    pager.commit();
    c.close();
  });
});
