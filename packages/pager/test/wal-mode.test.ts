// Commits over a store that declares walMode (pager.ts invariant 4): page 1 is written only
// when the transaction dirtied it or changed the database size, then with the change
// counter stamped as SQLite's pager_write_changecounter does; page 1 says file format 2 from
// creation on. A plain store (walMode false) still stamps page 1 on every commit. The files
// pass sqlite3's integrity_check, so the in-header size stays right.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryVfs } from "@strata/vfs";
import { Btree, DirectFileStore, HDR, Pager } from "../src/index.js";
import { rec } from "./helpers.js";
import { tempDir } from "./support/sqlite-fixtures.js";

const tmp = tempDir("walmode");
afterAll(() => tmp.cleanup());

/** A DirectFileStore that records the pages of each commit and may claim to be a WAL. */
class RecordingStore extends DirectFileStore {
  readonly commits: number[][] = [];
  constructor(file: ConstructorParameters<typeof DirectFileStore>[0], override readonly walMode: boolean) {
    super(file, { sync: "off" });
  }
  override commit(pgnos: readonly number[], images: readonly Uint8Array[], nPage: number): void {
    this.commits.push([...pgnos]);
    super.commit(pgnos, images, nPage);
  }
}

function open(walMode: boolean) {
  const vfs = new MemoryVfs();
  const store = new RecordingStore(vfs.open("w.db", { create: true }), walMode);
  const pager = Pager.open(store, { pageSize: 1024 });
  return { vfs, store, pager, bt: new Btree(pager) };
}

function u32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

describe("commits over a WAL store", () => {
  it("write page 1 only when it changed or the size changed; format 2 from creation", () => {
    const { vfs, store, pager, bt } = open(true);
    const h0 = vfs.readFile("w.db");
    expect([h0[18], h0[19]]).toEqual([2, 2]);
    pager.beginWrite();
    const root = bt.createTree("table");
    const schema = bt.tableCursor(1, true);
    schema.insert(1, rec(["table", "t", "t", root, "CREATE TABLE t(a)"]));
    schema.close();
    pager.commit();
    const c = bt.tableCursor(root, true);
    const before = store.commits.length;
    const counter0 = u32(vfs.readFile("w.db"), HDR.changeCounter);
    // Small rows into one leaf: one page per commit, page 1 untouched.
    for (let i = 1; i <= 5; i++) {
      pager.beginWrite();
      c.insert(i, rec([`row ${i}`]));
      pager.commit();
    }
    expect(store.commits.slice(before)).toEqual(Array(5).fill([root]));
    expect(u32(vfs.readFile("w.db"), HDR.changeCounter)).toBe(counter0);
    // Growing the database writes page 1 with the new size and a stamped counter.
    const size0 = pager.pageCount;
    pager.beginWrite();
    for (let i = 6; i <= 200; i++) c.insert(i, rec([`row ${i} `.repeat(8)]));
    pager.commit();
    expect(pager.pageCount).toBeGreaterThan(size0);
    expect(store.commits.at(-1)![0]).toBe(1);
    const h = vfs.readFile("w.db");
    expect(u32(h, HDR.databaseSize)).toBe(pager.pageCount);
    expect(u32(h, HDR.changeCounter)).toBe(counter0 + 1);
    expect(u32(h, HDR.versionValidFor)).toBe(counter0 + 1);
    expect([h[18], h[19]]).toEqual([2, 2]);
    // A change to page 1 itself (a header field) stamps it too.
    pager.beginWrite();
    pager.setMeta("userVersion", 3);
    pager.commit();
    expect(store.commits.at(-1)).toEqual([1]);
    expect(u32(vfs.readFile("w.db"), HDR.changeCounter)).toBe(counter0 + 2);
    c.close();
    const path = join(tmp.dir, "wal-mode.db");
    writeFileSync(path, vfs.readFile("w.db"));
    expect(execFileSync("/usr/bin/sqlite3", [path, "PRAGMA integrity_check; SELECT count(*) FROM t;"], { encoding: "utf8" })).toBe("ok\n200\n");
  });

  it("a plain store still gets page 1 stamped on every commit, format 1", () => {
    const { vfs, store, pager, bt } = open(false);
    expect([vfs.readFile("w.db")[18], vfs.readFile("w.db")[19]]).toEqual([1, 1]);
    pager.beginWrite();
    const root = bt.createTree("table");
    pager.commit();
    const c = bt.tableCursor(root, true);
    pager.beginWrite();
    c.insert(1, rec(["x"]));
    pager.commit();
    expect(store.commits.at(-1)).toEqual([1, root]);
    c.close();
  });
});
