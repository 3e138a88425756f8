// Interop, Strata -> SQLite: databases written only through Strata's Pager and Btree (tables,
// indexes and the sqlite_schema rows that describe them, written by hand as the SQL layer
// will), with overflow payloads, mass deletes that free pages and inserts that reuse them,
// must pass the sqlite3 shell's `PRAGMA integrity_check` (exactly "ok") and read back, via
// better-sqlite3 (read-only), exactly the rows written. Page sizes 512, 4096 and 65536,
// auto_vacuum full and incremental, and a UTF-16le database.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { MemoryVfs } from "@strata/vfs";
import { encodeRecord, makeKeyInfo, type SqlValue, type TextEncoding } from "@strata/common";
import { Btree, Pager, recordComparator, type AutoVacuum, type IndexCursor, type TableCursor } from "../src/index.js";
import { tempDir, INT64_EDGES } from "./support/sqlite-fixtures.js";
import { normJs, prng } from "./support/strata-read.js";

interface WriteConfig {
  label: string;
  pageSize: number;
  autoVacuum: AutoVacuum;
  encoding: TextEncoding;
  seed: number;
}

const CONFIGS: WriteConfig[] = [
  { label: "page size 512", pageSize: 512, autoVacuum: "none", encoding: 1, seed: 1 },
  { label: "page size 4096", pageSize: 4096, autoVacuum: "none", encoding: 1, seed: 2 },
  { label: "page size 65536", pageSize: 65536, autoVacuum: "none", encoding: 1, seed: 3 },
  { label: "auto_vacuum full, 1024", pageSize: 1024, autoVacuum: "full", encoding: 1, seed: 4 },
  { label: "auto_vacuum incremental, 4096", pageSize: 4096, autoVacuum: "incremental", encoding: 1, seed: 5 },
  { label: "UTF-16le, 2048", pageSize: 2048, autoVacuum: "none", encoding: 2, seed: 6 },
];

type Row = [SqlValue, string, Uint8Array];

/** Builds the database with Strata; returns its bytes and the rows it holds. */
function writeWithStrata(cfg: WriteConfig): {
  bytes: Uint8Array;
  rows: Map<bigint, Row>;
  pagesBeforeDelete: number;
  freeAfterDelete: number;
  freeAfterReinsert: number;
  pagesAfterDelete: number;
  pagesAfterReinsert: number;
} {
  const vfs = new MemoryVfs();
  const pager = Pager.openFile(vfs.open("w.db", { create: true }), {
    pageSize: cfg.pageSize, autoVacuum: cfg.autoVacuum, textEncoding: cfg.encoding, sync: "off",
  });
  const bt = new Btree(pager);
  const enc = { textEncoding: cfg.encoding };
  const rnd = prng(cfg.seed);
  const cmp = recordComparator(makeKeyInfo(2, { encoding: cfg.encoding }));

  pager.beginWrite();
  const rootT = bt.createTree("table");
  const rootB = bt.createTree("index");
  const rootC = bt.createTree("index");
  const schema = bt.tableCursor(1, true);
  schema.insert(1, encodeRecord(["table", "t", "t", rootT, "CREATE TABLE t(a,b,c)"], enc));
  schema.insert(2, encodeRecord(["index", "tb", "t", rootB, "CREATE INDEX tb ON t(b)"], enc));
  schema.insert(3, encodeRecord(["index", "tc", "t", rootC, "CREATE INDEX tc ON t(c)"], enc));
  schema.close();
  pager.bumpSchemaCookie();
  pager.commit();

  const t = bt.tableCursor(rootT, true);
  const ib = bt.indexCursor(rootB, cmp, true);
  const ic = bt.indexCursor(rootC, cmp, true);
  const rows = new Map<bigint, Row>();
  const ps = cfg.pageSize;

  const randRow = (): Row => {
    const k = rnd();
    const a: SqlValue = k < 0.2 ? null : k < 0.5 ? Math.floor(rnd() * 1e6) - 5e5 : k < 0.7 ? rnd() * 1000 + 0.5 : "a" + Math.floor(rnd() * 1e4);
    const b = "b" + Math.floor(rnd() * 500).toString(36) + "é".repeat(Math.floor(rnd() * 3));
    const big = rnd() < 0.06;
    const len = big ? Math.floor(ps * (0.5 + rnd() * 3)) : Math.floor(rnd() * 60);
    const c = new Uint8Array(len);
    for (let i = 0; i < len; i += 13) c[i] = Math.floor(rnd() * 256);
    return [a, b, c];
  };
  const put = (rowid: bigint, row: Row): void => {
    if (rows.has(rowid)) del(rowid); // a rowid drawn twice: replace the row and its index entries
    const rec = encodeRecord(row, enc);
    if (Number.isSafeInteger(Number(rowid)) && BigInt(Number(rowid)) === rowid) t.insert(Number(rowid), rec);
    else t.insertBig(rowid, rec);
    ib.insert(encodeRecord([row[1], rowid], enc));
    ic.insert(encodeRecord([row[2], rowid], enc));
    rows.set(rowid, row);
  };
  function del(rowid: bigint): void {
    const row = rows.get(rowid)!;
    expect(t.seekBig(rowid)).toBe(0);
    t.delete();
    expect(ib.seek(encodeRecord([row[1], rowid], enc))).toBe(0);
    ib.delete();
    expect(ic.seek(encodeRecord([row[2], rowid], enc))).toBe(0);
    ic.delete();
    rows.delete(rowid);
  }
  const N = ps >= 65536 ? 900 : 1500;

  // Several transactions of inserts (random order), int64 edge rowids included.
  for (let tx = 0; tx < 3; tx++) {
    pager.beginWrite();
    for (let i = 0; i < N / 3; i++) put(BigInt(Math.floor(rnd() * 1e6)) * 2n, randRow());
    pager.commit();
  }
  pager.beginWrite();
  for (const e of INT64_EDGES) put(e, randRow());
  pager.commit();

  // Mass delete: most rows, so pages (tree pages and overflow chains) go to the freelist
  // (auto_vacuum full: the commit moves pages down and truncates the file instead).
  const pagesBeforeDelete = pager.pageCount;
  pager.beginWrite();
  const keys = [...rows.keys()];
  for (const k of keys) if (rnd() < 0.7) del(k);
  pager.commit();
  pager.beginRead();
  const freeAfterDelete = pager.getMeta("freelistCount");
  const pagesAfterDelete = pager.pageCount;
  pager.endRead();

  // Insert again: freed pages are reused.
  pager.beginWrite();
  for (let i = 0; i < N / 3; i++) put(BigInt(Math.floor(rnd() * 1e6)) * 2n + 1n, randRow());
  pager.commit();
  // Delete and update some more in one transaction, replacing rows in place.
  pager.beginWrite();
  let n = 0;
  for (const k of [...rows.keys()]) {
    if (n++ % 7 === 0) del(k);
    else if (n % 11 === 0) {
      const row = randRow();
      del(k);
      put(k, row);
    }
  }
  pager.commit();
  pager.beginRead();
  const freeAfterReinsert = pager.getMeta("freelistCount");
  const pagesAfterReinsert = pager.pageCount;
  pager.endRead();
  for (const c of [t, ib, ic] as (TableCursor | IndexCursor)[]) c.close();
  pager.close();
  const bytes = vfs.snapshot().get("w.db")!;
  return { bytes, rows, pagesBeforeDelete, freeAfterDelete, freeAfterReinsert, pagesAfterDelete, pagesAfterReinsert };
}

describe.each(CONFIGS)("Strata-written file: $label", (cfg) => {
  const { dir, cleanup } = tempDir("write");
  const path = join(dir, "w.db");
  let written: ReturnType<typeof writeWithStrata>;

  beforeAll(() => {
    written = writeWithStrata(cfg);
    writeFileSync(path, written.bytes);
  });
  afterAll(cleanup);

  it("freed pages went to the freelist and were reused (auto_vacuum full: the file shrank)", () => {
    if (cfg.autoVacuum === "full") {
      expect(written.freeAfterDelete).toBe(0);
      expect(written.freeAfterReinsert).toBe(0);
      expect(written.pagesAfterDelete).toBeLessThan(written.pagesBeforeDelete / 2);
      return;
    }
    expect(written.freeAfterDelete).toBeGreaterThan(0);
    expect(written.freeAfterReinsert).toBeLessThan(written.freeAfterDelete);
    expect(written.pagesAfterReinsert).toBeLessThan(written.pagesAfterDelete + written.freeAfterDelete);
  });

  it("sqlite3 PRAGMA integrity_check says exactly ok", () => {
    const out = execFileSync("/usr/bin/sqlite3", [path, "PRAGMA integrity_check"], { encoding: "utf8" });
    expect(out).toBe("ok\n");
  });

  it("SQLite (better-sqlite3, read-only) reads back exactly the rows written, through the table and both indexes", () => {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.defaultSafeIntegers(true);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const encName = db.pragma("encoding", { simple: true });
      expect(encName).toBe(cfg.encoding === 2 ? "UTF-16le" : "UTF-8");
      const autoVac = Number(db.pragma("auto_vacuum", { simple: true }) as bigint);
      expect(autoVac).toBe({ none: 0, full: 1, incremental: 2 }[cfg.autoVacuum]);
      const want = [...written.rows.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      const got = db.prepare("SELECT rowid, a, b, c FROM t ORDER BY rowid").raw(true).all() as unknown[][];
      expect(got.length).toBe(want.length);
      const norm = (r: unknown[]) => r.map(normJs);
      // A whole JS number was written as an INTEGER, which better-sqlite3 returns as a bigint.
      const asRead = (v: SqlValue) => (typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v);
      expect(got.map(norm)).toEqual(want.map(([k, r]) => [normJs(k), normJs(asRead(r[0])), normJs(r[1]), normJs(r[2])]));
      const viaIndex = db.prepare("SELECT b, rowid FROM t INDEXED BY tb ORDER BY b, rowid").raw(true).all() as unknown[][];
      expect(viaIndex.length).toBe(want.length);
      const count = db.prepare("SELECT count(*) FROM t INDEXED BY tc WHERE c IS NOT NULL").pluck().get() as bigint;
      expect(count).toBe(BigInt(want.length));
      expect(Number(db.pragma("freelist_count", { simple: true }) as bigint)).toBe(written.freeAfterReinsert);
    } finally {
      db.close();
    }
  });
});
