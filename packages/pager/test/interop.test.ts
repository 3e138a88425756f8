// Interop smoke test: files Strata writes pass the sqlite3 shell's integrity_check and read
// back through SQLite; files SQLite writes read back through our cursors and pass our
// integrity checker.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryVfs } from "@strata/vfs";
import { Btree, Pager, type AutoVacuum } from "../src/index.js";
import { addSchemaRow, cmp2, openMem, problems, rec } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "strata-pager-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sqlite3(file: string, sql: string): string {
  return execFileSync("/usr/bin/sqlite3", [file, sql], { encoding: "utf8" }).trim();
}

function blobFor(i: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let k = 0; k < size; k++) b[k] = (i * 31 + k * 7) & 255;
  return b;
}

const configs: { pageSize: number; reservedBytes: number; autoVacuum: AutoVacuum }[] = [
  { pageSize: 512, reservedBytes: 0, autoVacuum: "none" },
  { pageSize: 1024, reservedBytes: 12, autoVacuum: "full" },
  { pageSize: 4096, reservedBytes: 0, autoVacuum: "incremental" },
  { pageSize: 4096, reservedBytes: 32, autoVacuum: "none" },
  { pageSize: 65536, reservedBytes: 0, autoVacuum: "full" },
];

describe("Strata writes, SQLite reads", () => {
  for (const cfg of configs) {
    it(`page ${cfg.pageSize}, reserved ${cfg.reservedBytes}, auto_vacuum ${cfg.autoVacuum}`, () => {
      const { vfs, path, pager, bt } = openMem(cfg);
      const N = cfg.pageSize === 65536 ? 600 : 1500;
      const sizeOf = (i: number) => (i % 17 === 0 ? cfg.pageSize * 2 + (i % 1000) : i % 5 === 0 ? 300 + (i % 700) : i % 40);
      pager.beginWrite();
      const t = bt.createTree("table");
      const ix = bt.createTree("index");
      addSchemaRow(bt, 1, "table", "t", "t", t, "CREATE TABLE t(a,b)");
      addSchemaRow(bt, 2, "index", "i", "t", ix, "CREATE INDEX i ON t(a)");
      pager.bumpSchemaCookie();
      const tc = bt.tableCursor(t, true);
      const ic = bt.indexCursor(ix, cmp2, true);
      for (let k = 0; k < N; k++) {
        const i = (k * 7919) % N;
        const a = `k${i}`.repeat(1 + (i % 3 === 0 ? Math.floor(cfg.pageSize / 40) : 0));
        tc.insert(i + 1, rec([a, blobFor(i, sizeOf(i))]));
        ic.insert(rec([a, i + 1]));
      }
      pager.commit();
      // Delete a third of the rows (and their index entries) in another transaction.
      pager.beginWrite();
      for (let i = 0; i < N; i += 3) {
        expect(tc.seek(i + 1)).toBe(0);
        tc.delete();
        const a = `k${i}`.repeat(1 + (i % 3 === 0 ? Math.floor(cfg.pageSize / 40) : 0));
        expect(ic.seek(rec([a, i + 1]))).toBe(0);
        ic.delete();
      }
      pager.commit();
      expect(problems(pager, [{ root: 1, intKey: true }, { root: t, intKey: true }, { root: ix, intKey: false, cmp: cmp2 }])).toEqual([]);
      const file = join(dir, `w-${cfg.pageSize}-${cfg.reservedBytes}-${cfg.autoVacuum}.db`);
      writeFileSync(file, vfs.readFile(path));
      expect(sqlite3(file, "PRAGMA integrity_check")).toBe("ok");
      expect(sqlite3(file, "PRAGMA page_size")).toBe(String(cfg.pageSize));
      expect(sqlite3(file, "PRAGMA auto_vacuum")).toBe(String({ none: 0, full: 1, incremental: 2 }[cfg.autoVacuum]));
      const db = new Database(file, { readonly: true });
      const rows = db.prepare("SELECT rowid AS r, a, b FROM t ORDER BY rowid").all() as { r: number; a: string; b: Buffer }[];
      const expectedRows = [];
      for (let i = 0; i < N; i++) if (i % 3 !== 0) expectedRows.push(i);
      expect(rows.length).toBe(expectedRows.length);
      for (let j = 0; j < rows.length; j++) {
        const i = expectedRows[j];
        expect(rows[j].r).toBe(i + 1);
        expect(rows[j].a).toBe(`k${i}`);
        expect(Buffer.compare(rows[j].b, blobFor(i, sizeOf(i)))).toBe(0);
      }
      // The index is used and agrees.
      const viaIndex = db.prepare("SELECT count(*) AS n FROM t INDEXED BY i WHERE a > ''").get() as { n: number };
      expect(viaIndex.n).toBe(expectedRows.length);
      db.close();
    });
  }
});

describe("SQLite writes, Strata reads", () => {
  for (const [pageSize, autoVacuum] of [
    [512, 0],
    [4096, 1],
    [65536, 0],
  ] as const) {
    it(`page ${pageSize}, auto_vacuum ${autoVacuum}`, () => {
      const file = join(dir, `r-${pageSize}-${autoVacuum}.db`);
      const db = new Database(file);
      db.pragma(`page_size = ${pageSize}`);
      db.pragma(`auto_vacuum = ${autoVacuum}`);
      db.exec("CREATE TABLE t(a, b); CREATE INDEX i ON t(a, b);");
      const ins = db.prepare("INSERT INTO t(rowid, a, b) VALUES (?, ?, ?)");
      const N = 1200;
      db.transaction(() => {
        for (let i = 0; i < N; i++) ins.run(i * 3 - 1000, BigInt(i), Buffer.from(blobFor(i, i % 13 === 0 ? pageSize + 50 : i % 90)));
        ins.run(9007199254740993n, -1n, null);
        ins.run(-9223372036854775808n, -2n, "min");
      })();
      db.exec("DELETE FROM t WHERE a % 4 = 1");
      const roots = db.prepare("SELECT type, rootpage FROM sqlite_schema").all() as { type: string; rootpage: number }[];
      const expected = db.prepare("SELECT rowid AS r, a, b FROM t ORDER BY rowid").safeIntegers(true).all() as { r: bigint; a: bigint; b: unknown }[];
      db.close();

      const vfs = new MemoryVfs([["x.db", new Uint8Array(readFileSync(file))]]);
      const pager = Pager.openFile(vfs.open("x.db"), { sync: "off" });
      const bt = new Btree(pager);
      const tableRoot = roots.find((r) => r.type === "table")!.rootpage;
      const indexRoot = roots.find((r) => r.type === "index")!.rootpage;
      expect(
        problems(pager, [
          { root: 1, intKey: true },
          { root: tableRoot, intKey: true },
          { root: indexRoot, intKey: false, cmp: cmp2 },
        ]),
      ).toEqual([]);
      pager.beginRead();
      const c = bt.tableCursor(tableRoot);
      expect(c.first()).toBe(true);
      let j = 0;
      do {
        const e = expected[j++];
        expect(c.rowidBig()).toBe(e.r);
        if (c.rowidIsSafe()) expect(c.rowid()).toBe(Number(e.r));
        const b = e.b === null ? null : typeof e.b === "string" ? e.b : new Uint8Array(e.b as Buffer);
        expect(Buffer.compare(c.payload(), rec([e.a, b]))).toBe(0);
      } while (c.next());
      expect(j).toBe(expected.length);
      // Seeks by rowid, including 64-bit ones.
      expect(c.seekBig(-9223372036854775808n)).toBe(0);
      expect(c.rowidIsSafe()).toBe(false);
      expect(c.seekBig(9007199254740993n)).toBe(0);
      expect(c.rowidBig()).toBe(9007199254740993n);
      expect(c.seek(-1000)).toBe(0);
      expect(c.seek(-999)).not.toBe(0);
      const ic = bt.indexCursor(indexRoot, cmp2);
      expect(ic.count()).toBe(expected.length);
      pager.endRead();
    });
  }
});
