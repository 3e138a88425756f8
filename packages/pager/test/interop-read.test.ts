// Interop, SQLite -> Strata: databases written by real SQLite (better-sqlite3 3.53; the
// sqlite3 shell for reserved bytes) are read through Strata's Pager and cursors, and every
// row of every table and every entry of every index must equal, in order, what SQLite's own
// SELECT returns. Covers every page size 512..65536, overflow chains (table and index
// payloads several pages long), freelists after mass deletes (with and without
// secure_delete), multi-column indexes with DESC columns and NOCASE/RTRIM collations (order
// also checked with @strata/common's compareRecords), a WITHOUT ROWID table and its
// secondary index, auto_vacuum FULL/INCREMENTAL (every ptrmap entry checked against the tree
// structure found by an independent raw walk), UTF-16le/be, rowids over the whole int64
// range, and reserved bytes per page. Seeks to existing and missing keys check the seek
// contract of cursor.ts against the expected sorted lists.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { compareRecords, encodeRecord, RecordReader, type SqlValue } from "@strata/common";
import { checkIntegrity, isPtrmapPage, ptrmapGet, recordComparator, type Btree, type Pager } from "../src/index.js";
import { buildFixture, tempDir, type ExpectedTree, type Fixture, type FixtureOptions } from "./support/sqlite-fixtures.js";
import {
  dumpIndexKeys, dumpTable, keyInfoFor, normJs, normRecord, openBytes, prng, rawWalk, readSchema, rowidsBackward,
  textEncodingOf, type SchemaRow,
} from "./support/strata-read.js";
import { checkSeek, hex } from "./support/compare.js";

interface Config extends FixtureOptions {
  label: string;
}

const CONFIGS: Config[] = [
  ...[512, 1024, 2048, 4096, 8192, 16384, 32768, 65536].map((pageSize) => ({
    label: `page size ${pageSize}`, pageSize, seed: pageSize, rows: 800,
  })),
  { label: "UTF-16le, 4096", pageSize: 4096, encoding: "UTF-16le", seed: 11 },
  { label: "UTF-16be, 1024", pageSize: 1024, encoding: "UTF-16be", seed: 12 },
  { label: "auto_vacuum FULL, 1024", pageSize: 1024, autoVacuum: "FULL", seed: 13 },
  { label: "auto_vacuum FULL, 8192", pageSize: 8192, autoVacuum: "FULL", seed: 14 },
  { label: "auto_vacuum INCREMENTAL, 1024", pageSize: 1024, autoVacuum: "INCREMENTAL", seed: 15 },
  { label: "auto_vacuum INCREMENTAL, 4096", pageSize: 4096, autoVacuum: "INCREMENTAL", seed: 16 },
  { label: "secure_delete, 512", pageSize: 512, secureDelete: true, seed: 17 },
  { label: "secure_delete, 4096", pageSize: 4096, secureDelete: true, seed: 18 },
  { label: "12 reserved bytes, 1024", pageSize: 1024, reservedBytes: 12, seed: 19 },
  { label: "40 reserved bytes, 4096, auto_vacuum", pageSize: 4096, reservedBytes: 40, seed: 20 },
];
// The last reserved-bytes case gets auto_vacuum too (ptrmap offsets depend on the usable size).
CONFIGS[CONFIGS.length - 1].autoVacuum = "FULL";

function rootOf(schema: SchemaRow[], name: string): number {
  const row = schema.find((s) => s.name === name);
  expect(row, `schema row for ${name}`).toBeDefined();
  return row!.rootpage;
}


function withRead<T>(pager: Pager, fn: () => T): T {
  pager.beginRead();
  try {
    return fn();
  } finally {
    pager.endRead();
  }
}

describe.each(CONFIGS)("sqlite3-written file: $label", (cfg) => {
  let fx: Fixture;
  let pager: Pager;
  let bt: Btree;
  let schema: SchemaRow[];

  beforeAll(() => {
    fx = buildFixture({ rows: 800, ...cfg });
    ({ pager, bt } = openBytes(fx.bytes));
    schema = withRead(pager, () => readSchema(bt));
  });

  it("opens with the header SQLite wrote", () => {
    withRead(pager, () => {
      expect(pager.pageSize).toBe(cfg.pageSize);
      expect(pager.reservedBytes).toBe(cfg.reservedBytes ?? 0);
      expect(pager.usableSize).toBe(cfg.pageSize - (cfg.reservedBytes ?? 0));
      expect(pager.pageCount).toBe(fx.bytes.length / cfg.pageSize);
      expect(pager.autoVacuum).toBe(cfg.autoVacuum === "FULL" || cfg.autoVacuum === "INCREMENTAL");
      expect(pager.incrementalVacuum).toBe(cfg.autoVacuum === "INCREMENTAL");
      expect(pager.getMeta("freelistCount")).toBe(fx.freelistCount);
      expect(textEncodingOf(pager)).toBe(cfg.encoding === "UTF-16le" ? 2 : cfg.encoding === "UTF-16be" ? 3 : 1);
    });
    // Mass deletes left free pages (auto_vacuum FULL gives them back to the file system).
    if (cfg.autoVacuum !== "FULL") expect(fx.freelistCount).toBeGreaterThan(0);
    expect(schema.map((s) => s.name).sort()).toEqual(["junk", "k", "t", "t_bad", "t_c", "t_rt", "w", "w_v"]);
    // The fixture has what the suite claims to cover: interior pages and overflow chains,
    // for a table and for an index.
    const raw = rawWalk(fx.bytes, schema.map((s) => s.rootpage));
    const pagesOf = (name: string) => [...raw.treePages.values()].filter((p) => treeRoot(raw, p.pgno) === rootOf(schema, name));
    expect(pagesOf("t").some((p) => p.type === 5), "t has interior pages").toBe(true);
    expect(pagesOf("t").some((p) => p.cells.some((c) => c.ovfl.length >= 2)), "t has 2+ page overflow chains").toBe(true);
    expect(pagesOf("t_c").some((p) => p.cells.some((c) => c.ovfl.length >= 1)), "index t_c spills").toBe(true);
    if (cfg.pageSize <= 16384) expect(pagesOf("t_bad").some((p) => p.type === 2), "t_bad has interior pages").toBe(true);
    expect(schema.filter((s) => s.type === "table").map((s) => s.name).sort()).toEqual(["junk", "k", "t", "w"]);
  });

  it("reads every row of every table, forward and backward, equal to SQLite's", () => {
    withRead(pager, () => {
      for (const tree of fx.trees.filter((t) => t.kind === "table")) {
        const root = rootOf(schema, tree.name);
        const got = dumpTable(bt, root);
        expect(got.length, tree.name).toBe(tree.rows!.length);
        expect(got, tree.name).toEqual(tree.rows);
        const c = bt.tableCursor(root);
        expect(rowidsBackward(c)).toEqual(tree.rows!.map((r) => r.rowid).reverse());
        expect(c.count()).toBe(tree.rows!.length);
        c.close();
      }
    });
  });

  it("reads every index entry in order, equal to SQLite's, ordered by compareRecords", () => {
    withRead(pager, () => {
      const enc = textEncodingOf(pager);
      const r = new RecordReader(enc);
      for (const tree of fx.trees.filter((t) => t.kind === "index")) {
        const root = rootOf(schema, tree.name);
        const keys = dumpIndexKeys(bt, root);
        const got = keys.map((k) => normRecord(r, k));
        expect(got.length, tree.name).toBe(tree.keys!.length);
        expect(got, tree.name).toEqual(tree.keys);
        const ki = keyInfoFor(tree.keySpec!.slice(0, tree.uniqueFields), enc);
        for (let i = 1; i < keys.length; i++) {
          expect(compareRecords(keys[i - 1], keys[i], ki), `${tree.name} entry ${i}`).toBeLessThan(0);
        }
        const c = bt.indexCursor(root, recordComparator(ki));
        const back: string[] = [];
        for (let ok = c.last(); ok; ok = c.prev()) back.push(hex(c.key()));
        expect(back).toEqual(keys.map(hex).reverse());
        c.close();
      }
    });
  });

  it("the pager's integrity checker finds nothing wrong", () => {
    withRead(pager, () => {
      const enc = textEncodingOf(pager);
      const specs = schema.filter((s) => s.rootpage > 0).map((s) => {
        const exp = fx.trees.find((t) => t.name === s.name);
        const intKey = s.type === "table" && s.name !== "w";
        return { root: s.rootpage, intKey, cmp: exp?.keySpec ? recordComparator(keyInfoFor(exp.keySpec.slice(0, exp.uniqueFields), enc)) : undefined };
      });
      specs.push({ root: 1, intKey: true, cmp: undefined });
      expect(checkIntegrity(pager, specs).problems).toEqual([]);
    });
  });

  it("seeks rowids: existing, missing, beyond both ends (whole int64 range)", () => {
    const rnd = prng(cfg.seed * 7 + 1);
    withRead(pager, () => {
      for (const name of ["t", "k"]) {
        const tree = fx.trees.find((t) => t.name === name)!;
        const rows = tree.rows!;
        const pos = new Map(rows.map((r, i) => [r.rowid, i]));
        const c = bt.tableCursor(rootOf(schema, name));
        const r = new RecordReader(textEncodingOf(pager));
        for (let i = 0; i < 150; i++) {
          const e = rows[Math.floor(rnd() * rows.length)];
          expect(c.seekBig(e.rowid)).toBe(0);
          expect(c.rowidBig()).toBe(e.rowid);
          expect(normRecord(r, c.payload())).toEqual(e.values);
        }
        const targets: bigint[] = [-(1n << 63n), (1n << 63n) - 1n, 0n, -1n];
        for (let i = 0; i < 150; i++) {
          const a = rows[Math.floor(rnd() * rows.length)].rowid;
          targets.push(a + 1n, a - 1n);
          targets.push(BigInt.asIntN(64, BigInt(Math.floor(rnd() * 2 ** 32)) << 32n | BigInt(Math.floor(rnd() * 2 ** 32))));
        }
        for (const tgt of targets) {
          if (tgt < -(1n << 63n) || tgt >= 1n << 63n) continue;
          const res = c.seekBig(tgt);
          const p = pos.get(c.rowidBig())!;
          checkSeek(res, p, rows.length, (j) => (rows[j].rowid < tgt ? -1 : rows[j].rowid > tgt ? 1 : 0), `${name} seek ${tgt}`);
          // The neighbours are reachable with next/prev from a seek position.
          if (res < 0) {
            if (c.next()) expect(c.rowidBig()).toBe(rows[p + 1].rowid);
            else expect(p).toBe(rows.length - 1);
          } else if (res > 0) {
            if (c.prev()) expect(c.rowidBig()).toBe(rows[p - 1].rowid);
            else expect(p).toBe(0);
          }
        }
        expect(c.first()).toBe(true);
        expect(c.rowidBig()).toBe(rows[0].rowid);
        expect(c.prev()).toBe(false);
        expect(c.last()).toBe(true);
        expect(c.rowidBig()).toBe(rows[rows.length - 1].rowid);
        expect(c.next()).toBe(false);
        expect(c.eof()).toBe(true);
        c.close();
      }
    });
  });

  it("seeks index keys: existing entries, prefixes (SeekGE/SeekGT style), missing keys", () => {
    const rnd = prng(cfg.seed * 7 + 2);
    withRead(pager, () => {
      const enc = textEncodingOf(pager);
      const r = new RecordReader(enc);
      for (const tree of fx.trees.filter((t) => t.kind === "index")) {
        const root = rootOf(schema, tree.name);
        const keys = dumpIndexKeys(bt, root);
        if (keys.length === 0) continue;
        const ki = keyInfoFor(tree.keySpec!.slice(0, tree.uniqueFields), enc);
        const pos = new Map(keys.map((k, i) => [hex(k), i]));
        const c = bt.indexCursor(root, recordComparator(ki));
        for (let i = 0; i < 60; i++) {
          const k = keys[Math.floor(rnd() * keys.length)];
          // Full keys (the unique prefix) find the entry.
          const full = k.subarray(0);
          expect(c.seek(full), `${tree.name} existing`).toBe(0);
          expect(hex(c.key())).toBe(hex(k));
          // A one-field prefix, SeekGE (+1) and SeekGT (-1) style, and a missing value.
          r.reset(k);
          const first = r.getTypedValue(0);
          const probes: { key: Uint8Array; rc: number }[] = [
            { key: encodeRecord([first], { textEncoding: enc }), rc: 1 },
            { key: encodeRecord([first], { textEncoding: enc }), rc: -1 },
            { key: encodeRecord([missingNear(first, rnd)], { textEncoding: enc }), rc: 0 },
          ];
          for (const pr of probes) {
            const res = c.seek(pr.key, pr.rc);
            const p = pos.get(hex(c.key()))!;
            checkSeek(res, p, keys.length, (j) => compareRecords(keys[j], pr.key, ki, pr.rc), `${tree.name} prefix seek rc=${pr.rc}`);
          }
        }
        expect(c.first()).toBe(true);
        expect(hex(c.key())).toBe(hex(keys[0]));
        expect(c.last()).toBe(true);
        expect(hex(c.key())).toBe(hex(keys[keys.length - 1]));
        c.close();
      }
    });
  });

  if (cfg.autoVacuum) {
    it("every ptrmap entry agrees with the tree structure, overflow chains and freelist", () => {
      const roots = schema.filter((s) => s.rootpage > 0).map((s) => s.rootpage);
      const raw = rawWalk(fx.bytes, roots);
      withRead(pager, () => {
        let checked = 0;
        for (let pgno = 2; pgno <= pager.pageCount; pgno++) {
          if (isPtrmapPage(pager.usableSize, pager.pageSize, pgno) || pgno === pager.lockBytePage) continue;
          let want: [number, number] | undefined;
          const tp = raw.treePages.get(pgno);
          if (tp) want = tp.parent === 0 ? [1, 0] : [5, tp.parent];
          const ov = raw.overflow.get(pgno);
          if (ov) want = [ov.type, ov.parent];
          if (raw.freelistTrunks.includes(pgno) || raw.freelistLeaves.includes(pgno)) want = [2, 0];
          expect(want, `page ${pgno} belongs to something`).toBeDefined();
          const e = ptrmapGet(pager, pgno);
          expect([e.type, e.parent], `ptrmap entry of page ${pgno}`).toEqual(want);
          checked++;
        }
        expect(checked).toBeGreaterThan(10);
        expect(pager.getMeta("largestRootPage")).toBe(Math.max(...roots));
      });
    });
  }
});

function treeRoot(raw: ReturnType<typeof rawWalk>, pgno: number): number {
  let p = raw.treePages.get(pgno)!;
  while (p.parent !== 0) p = raw.treePages.get(p.parent)!;
  return p.pgno;
}

/** A value of the same kind as `v` that is unlikely to be in the index. */
function missingNear(v: SqlValue, rnd: () => number): SqlValue {
  if (typeof v === "string") return v + "\u{10FFFF}" + Math.floor(rnd() * 1000);
  if (typeof v === "number") return v + 0.25;
  if (typeof v === "bigint") return v === (1n << 63n) - 1n ? v - 1n : v + 1n;
  if (v instanceof Uint8Array) return new Uint8Array([...v, 0xff, 0x00, 0x13]);
  if (v === null) return 0.5;
  return v.value + 0.125;
}

export type { ExpectedTree };

describe("sqlite3-written file: very long overflow chains (page size 512, up to ~250 overflow pages)", () => {
  it("reads table rows and index keys whose payloads span hundreds of pages", () => {
    const fx = buildLongChains();
    const { pager, bt } = openBytes(fx.bytes);
    withRead(pager, () => {
      const schema = readSchema(bt);
      const rows = dumpTable(bt, rootOf(schema, "t"));
      expect(rows).toEqual(fx.rows);
      const r = new RecordReader(1);
      const keys = dumpIndexKeys(bt, rootOf(schema, "ia")).map((k) => normRecord(r, k));
      expect(keys).toEqual(fx.keys);
      // Reading a slice in the middle of a long chain.
      const c = bt.tableCursor(rootOf(schema, "t"));
      expect(c.seek(4)).toBe(0);
      const out = new Uint8Array(1000);
      c.readPayload(60_000, 1000, out);
      expect([...out].every((x, i) => x === ((60_000 + i - 4) * 31) % 251)).toBe(true);
      c.close();
    });
    pager.close();
  });
});

function buildLongChains(): { bytes: Uint8Array; rows: { rowid: bigint; values: string[] }[]; keys: string[][] } {
  const { dir, cleanup } = tempDir("long");
  try {
    const path = join(dir, "long.db");
    const db = new Database(path);
    db.defaultSafeIntegers(true);
    db.pragma("page_size = 512");
    db.exec("CREATE TABLE t(a); CREATE INDEX ia ON t(a)");
    for (const n of [1000, 8000, 20000, 120000]) {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (i * 31) % 251;
      db.prepare("INSERT INTO t(a) VALUES (?)").run(b);
    }
    db.prepare("INSERT INTO t(a) VALUES (?)").run("x".repeat(50_000));
    const rows = (db.prepare("SELECT rowid, a FROM t ORDER BY rowid").raw(true).all() as unknown[][]).map((r) => ({ rowid: r[0] as bigint, values: [normJs(r[1])] }));
    const keys = (db.prepare("SELECT a, rowid FROM t ORDER BY a, rowid").raw(true).all() as unknown[][]).map((r) => r.map(normJs));
    db.close();
    return { bytes: new Uint8Array(readFileSync(path)), rows, keys };
  } finally {
    cleanup();
  }
}
