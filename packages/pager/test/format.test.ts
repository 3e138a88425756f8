// Unit tests: the database header, the spill rule (numbers from fileformat2 §1.5), cell
// sizes, ptrmap geometry, freelist trunks, overflow chains (including a cyclic one).
import { describe, expect, it } from "vitest";
import { SqliteError } from "@strata/common";
import {
  checkIntegrity,
  HDR,
  headerDbSize,
  isPtrmapPage,
  localSize,
  maxLocalFor,
  minLocalFor,
  newDbHeader,
  parseDbHeader,
  pendingBytePage,
  ptrmapPageFor,
  writeDbHeader,
} from "../src/index.js";
import { openMem } from "./helpers.js";

function header(mut?: (b: Uint8Array) => void): Uint8Array {
  const b = new Uint8Array(100);
  writeDbHeader(b, newDbHeader(4096, 0));
  mut?.(b);
  return b;
}

function notADb(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SqliteError);
    expect((e as SqliteError).code).toBe("SQLITE_NOTADB");
    expect((e as SqliteError).message).toBe("file is not a database");
    return;
  }
  throw new Error("expected SQLITE_NOTADB");
}

describe("database header", () => {
  it("round-trips every field", () => {
    const h = newDbHeader(65536, 12);
    Object.assign(h, {
      changeCounter: 7, databaseSize: 9, firstFreelistTrunk: 3, freelistCount: 2, schemaCookie: 5,
      defaultCacheSize: 100, largestRootPage: 4, textEncoding: 2, userVersion: 0xdeadbeef,
      incrementalVacuum: 1, applicationId: 42, versionValidFor: 7, writeVersion: 2, readVersion: 2,
    });
    const b = new Uint8Array(100);
    writeDbHeader(b, h);
    expect(b[16]).toBe(0);
    expect(b[17]).toBe(1); // 65536 is stored as 1
    expect(parseDbHeader(b)).toEqual(h);
    expect(headerDbSize(parseDbHeader(b))).toBe(9);
  });
  it("trusts the in-header size only when the change counter matches version-valid-for", () => {
    const h = parseDbHeader(header((b) => { b[31] = 5; b[27] = 3; b[95] = 2; }));
    expect(h.databaseSize).toBe(5);
    expect(headerDbSize(h)).toBe(0);
  });
  it("rejects what SQLite rejects with SQLITE_NOTADB", () => {
    notADb(() => parseDbHeader(header((b) => { b[0] = 0x73; })));
    notADb(() => parseDbHeader(header((b) => { b[16] = 0x03; b[17] = 0x00; }))); // 768
    notADb(() => parseDbHeader(header((b) => { b[16] = 0x00; b[17] = 0x80; }))); // 128
    notADb(() => parseDbHeader(header((b) => { b[21] = 65; })));
    notADb(() => parseDbHeader(header((b) => { b[23] = 0; })));
    notADb(() => parseDbHeader(header((b) => { b[19] = 3; })));
    notADb(() => parseDbHeader(header((b) => { b[16] = 2; b[17] = 0; b[20] = 33; }))); // usable 479
    expect(parseDbHeader(header((b) => { b[16] = 2; b[17] = 0; b[20] = 32; })).reservedBytes).toBe(32); // usable 480
  });
  it("commit writes the change counter, size, version-valid-for and 3053000", () => {
    const { vfs, path, pager, bt } = openMem({ pageSize: 1024 });
    pager.beginWrite();
    bt.createTree("table");
    pager.bumpSchemaCookie();
    pager.commit();
    const b = vfs.readFile(path);
    const h = parseDbHeader(b);
    expect(h.changeCounter).toBe(2); // creation + this commit
    expect(h.versionValidFor).toBe(2);
    expect(h.databaseSize).toBe(2);
    expect(h.sqliteVersion).toBe(3053000);
    expect(h.schemaCookie).toBe(1);
    expect(h.schemaFormat).toBe(4);
    expect(b.length).toBe(2048);
    expect(b[100]).toBe(13); // sqlite_schema: a table leaf at offset 100
  });
});

describe("spill rule and cell sizes (fileformat2 §1.5)", () => {
  it("max/min local sizes", () => {
    expect(maxLocalFor(true, 4096)).toBe(4061);
    expect(maxLocalFor(false, 4096)).toBe(1002);
    expect(minLocalFor(4096)).toBe(489);
    expect(maxLocalFor(true, 512)).toBe(477);
    expect(maxLocalFor(false, 512)).toBe(102);
    expect(minLocalFor(512)).toBe(39);
    expect(maxLocalFor(true, 65536)).toBe(65501);
  });
  it("local payload: all local up to X, else K if K <= X, else M", () => {
    const U = 4096;
    const X = maxLocalFor(true, U);
    const M = minLocalFor(U);
    expect(localSize(X, X, M, U)).toBe(X);
    expect(localSize(5000, X, M, U)).toBe(489 + ((5000 - 489) % 4092)); // K = 908 <= X
    expect(localSize(X + 1, X, M, U)).toBe(M); // K = 4062 > X
    const Xi = maxLocalFor(false, U);
    expect(localSize(1002, Xi, M, U)).toBe(1002);
    expect(localSize(1003, Xi, M, U)).toBe(M); // K = 489 + 514 = 1003 > Xi
    expect(localSize(4600, Xi, M, U)).toBe(489 + ((4600 - 489) % 4092)); // K = 508 <= Xi
  });
});

describe("pointer-map geometry (fileformat2 §1.6)", () => {
  it("places ptrmap pages every usable/5 + 1 pages from page 2", () => {
    expect(ptrmapPageFor(1024, 1024, 3)).toBe(2);
    expect(ptrmapPageFor(1024, 1024, 206)).toBe(2); // 204 entries: pages 3..206
    expect(ptrmapPageFor(1024, 1024, 207)).toBe(207);
    expect(isPtrmapPage(1024, 1024, 207)).toBe(true);
    expect(ptrmapPageFor(1024, 1024, 208)).toBe(207);
    expect(pendingBytePage(512)).toBe(2097153);
    expect(pendingBytePage(4096)).toBe(262145);
  });
});

describe("freelist", () => {
  it("frees into trunks without filling their last 6 slots, and reuses pages before growing", () => {
    const { pager, bt } = openMem({ pageSize: 512 });
    pager.beginWrite();
    const root = bt.createTree("table");
    const c = bt.tableCursor(root, true);
    for (let i = 0; i < 400; i++) c.insert(i, new Uint8Array(400));
    pager.commit();
    const grown = pager.pageCount;
    pager.beginWrite();
    bt.dropTree(root);
    pager.commit();
    pager.beginRead();
    const h = pager.getPage(1).data;
    const count = new DataView(h.buffer).getUint32(HDR.freelistCount);
    expect(count).toBe(grown - 1);
    let trunk = new DataView(h.buffer).getUint32(HDR.firstFreelistTrunk);
    let trunks = 0;
    while (trunk !== 0) {
      const t = pager.getPage(trunk);
      const k = t.view.getUint32(4);
      expect(k).toBeLessThanOrEqual(512 / 4 - 8);
      trunks++;
      trunk = t.view.getUint32(0);
    }
    expect(trunks).toBeGreaterThan(1);
    expect(checkIntegrity(pager, [{ root: 1, intKey: true }]).problems).toEqual([]);
    pager.endRead();
    pager.beginWrite();
    const root2 = bt.createTree("index");
    const c2 = bt.indexCursor(root2, { compare: (a, ao, al, b, bo, bl) => Buffer.compare(a.subarray(ao, ao + al), b.subarray(bo, bo + bl)) }, true);
    for (let i = 0; i < 300; i++) c2.insert(new Uint8Array([2, 1, i & 255, i >> 8]).map((v, j) => (j === 1 ? 1 : v)));
    pager.commit();
    expect(pager.pageCount).toBe(grown);
  });
});

describe("overflow chains", () => {
  it("reads byte ranges across overflow pages and frees whole chains", () => {
    const { pager, bt } = openMem({ pageSize: 512 });
    pager.beginWrite();
    const root = bt.createTree("table");
    const c = bt.tableCursor(root, true);
    const big = new Uint8Array(5000).map((_, i) => (i * 13) & 255);
    c.insert(1, big);
    expect(c.localPayloadSize()).toBe(localSize(5000, 477, 39, 512));
    for (const [off, n] of [[0, 5000], [0, 1], [100, 2000], [4999, 1], [507, 508], [1200, 3]]) {
      const out = new Uint8Array(n);
      c.readPayload(off, n, out);
      expect(Buffer.compare(out, big.subarray(off, off + n))).toBe(0);
    }
    pager.commit();
    const used = pager.pageCount;
    pager.beginWrite();
    expect(c.seek(1)).toBe(0);
    c.delete();
    pager.commit();
    pager.beginRead();
    const rep = checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey: true }]);
    expect(rep.problems).toEqual([]);
    expect(rep.freelistPages).toBe(used - 2);
    pager.endRead();
  });
  it("a cycle in an overflow chain is SQLITE_CORRUPT, not data", () => {
    const { pager, bt } = openMem({ pageSize: 512 });
    pager.beginWrite();
    const root = bt.createTree("table");
    const c = bt.tableCursor(root, true);
    c.insert(1, new Uint8Array(3000).fill(7));
    pager.commit();
    pager.beginWrite();
    c.first();
    const off = c.payloadOffset() + c.localPayloadSize();
    const pageBytes = c.payloadPage();
    const first = new DataView(pageBytes.buffer, pageBytes.byteOffset, pageBytes.byteLength).getUint32(off);
    const second = pager.getPage(first).view.getUint32(0);
    const p2 = pager.getPage(second);
    pager.write(p2);
    p2.view.setUint32(0, first); // second -> first: a cycle
    pager.commit();
    pager.beginRead();
    c.first();
    expect(() => c.payload()).toThrowError(expect.objectContaining({ code: "SQLITE_CORRUPT" }));
    expect(checkIntegrity(pager, [{ root: 1, intKey: true }, { root, intKey: true }]).problems.length).toBeGreaterThan(0);
    pager.endRead();
    pager.beginWrite();
    c.first();
    expect(() => c.delete()).toThrowError(expect.objectContaining({ code: "SQLITE_CORRUPT" }));
    pager.rollback();
  });
});

describe("opening", () => {
  it("read-only: reads work, writes fail with SQLITE_READONLY", async () => {
    const { MemoryVfs } = await import("@strata/vfs");
    const { Pager, Btree } = await import("../src/index.js");
    const { vfs, path, pager, bt } = openMem({ pageSize: 1024 });
    pager.beginWrite();
    const root = bt.createTree("table");
    bt.tableCursor(root, true).insert(5, new Uint8Array([1, 2, 3]));
    pager.commit();
    const ro = Pager.openFile(new MemoryVfs([["r", vfs.readFile(path)]]).open("r", { readonly: true }));
    expect(ro.readonly).toBe(true);
    const bt2 = new Btree(ro);
    ro.beginRead();
    const c = bt2.tableCursor(root);
    expect(c.seek(5)).toBe(0);
    expect([...c.payload()]).toEqual([1, 2, 3]);
    ro.endRead();
    expect(() => ro.beginWrite()).toThrowError(expect.objectContaining({ code: "SQLITE_READONLY" }));
  });
  it("a file that is not a database is SQLITE_NOTADB", async () => {
    const { MemoryVfs } = await import("@strata/vfs");
    const { Pager } = await import("../src/index.js");
    const junk = new Uint8Array(4096).fill(0x41);
    notADb(() => Pager.openFile(new MemoryVfs([["j", junk]]).open("j")));
  });
});
