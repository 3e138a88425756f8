import { describe, expect, it } from "vitest";
import { MemoryVfs } from "@strata/vfs";
import { encodeRecord, makeKeyInfo } from "@strata/common";
import { Btree, Pager, recordComparator } from "../src/index.js";

describe("smoke", () => {
  it("inserts and reads back rows in a table tree", () => {
    const vfs = new MemoryVfs();
    const pager = Pager.openFile(vfs.open("a.db", { create: true }), { pageSize: 512 });
    const bt = new Btree(pager);
    pager.beginWrite();
    const root = bt.createTree("table");
    const c = bt.tableCursor(root, true);
    const N = 2000;
    for (let i = 0; i < N; i++) c.insert((i * 7919) % N, new Uint8Array(i % 300).fill(i & 255));
    pager.commit();
    pager.beginRead();
    expect(c.first()).toBe(true);
    let n = 0;
    do {
      expect(c.rowid()).toBe(n);
      n++;
    } while (c.next());
    expect(n).toBe(N);
    pager.endRead();
    pager.beginWrite();
    for (let i = 0; i < N; i += 2) {
      expect(c.seek(i)).toBe(0);
      c.delete();
    }
    pager.commit();
    pager.beginRead();
    expect(c.count()).toBe(N / 2);
    pager.endRead();
  });
  it("index tree", () => {
    const vfs = new MemoryVfs();
    const pager = Pager.openFile(vfs.open("a.db", { create: true }), { pageSize: 1024 });
    const bt = new Btree(pager);
    pager.beginWrite();
    const root = bt.createTree("index");
    const c = bt.indexCursor(root, recordComparator(makeKeyInfo(2)), true);
    for (let i = 0; i < 3000; i++) c.insert(encodeRecord(["k" + ((i * 31) % 3000).toString().padStart(5, "0"), i]));
    expect(c.count()).toBe(3000);
    for (let i = 0; i < 3000; i += 3) {
      const r = c.seek(encodeRecord(["k" + i.toString().padStart(5, "0")]), 1);
      expect(r).not.toBe(0);
      if (r < 0) expect(c.next()).toBe(true);
      c.delete();
    }
    expect(c.count()).toBe(2000);
    pager.commit();
  });
});
