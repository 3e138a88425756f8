// Test support: reading a whole database through Strata's Pager and cursors, and an
// independent raw page walker (our own byte-level parse of fileformat2 §1.5/§1.6, sharing
// no code with the B-tree) used to predict ptrmap entries and to locate bytes to damage.
//
// Nothing here is used by production code; it is imported by the interop, corruption and
// fuzz suites, and bundled (with esbuild) into a worker for the hang-guarded probes.
import { MemoryVfs } from "@strata/vfs";
import {
  BINARY, NOCASE, RTRIM, RecordReader, SORT_DESC, SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT,
  makeKeyInfo, type Collation, type KeyInfo, type TextEncoding,
} from "@strata/common";
import { Btree, Pager, type TableCursor, localSize, maxLocalFor, minLocalFor } from "../../src/index.js";

export interface Opened {
  vfs: MemoryVfs;
  pager: Pager;
  bt: Btree;
}

/** Opens a copy of `bytes` as a database (read-write, never creating). */
export function openBytes(bytes: Uint8Array, name = "t.db"): Opened {
  const vfs = new MemoryVfs([[name, bytes]]);
  const pager = Pager.openFile(vfs.open(name), { create: false, sync: "off" });
  return { vfs, pager, bt: new Btree(pager) };
}

export interface SchemaRow {
  type: string;
  name: string;
  tblName: string;
  rootpage: number;
  sql: string | null;
}

/** The text encoding from page 1's header (1 when out of range). */
export function textEncodingOf(pager: Pager): TextEncoding {
  const e = pager.getMeta("textEncoding");
  return (e === 2 || e === 3 ? e : 1) as TextEncoding;
}

/** Reads sqlite_schema (the table tree rooted at page 1). Needs a read transaction. */
export function readSchema(bt: Btree): SchemaRow[] {
  const enc = textEncodingOf(bt.pager);
  const c = bt.tableCursor(1);
  const r = new RecordReader(enc);
  const out: SchemaRow[] = [];
  try {
    for (let ok = c.first(); ok; ok = c.next()) {
      const p = c.payload();
      r.reset(p);
      const root = r.columnType(3) === SQLITE_INTEGER ? r.getInt(3) : 0;
      out.push({
        type: r.getText(0),
        name: r.getText(1),
        tblName: r.getText(2),
        rootpage: root,
        sql: r.columnType(4) === SQLITE_NULL ? null : r.getText(4),
      });
    }
  } finally {
    c.close();
  }
  return out;
}

/** A value normalised to a string that keeps the storage class ("i:", "f:", "t:", "b:", "n"). */
export type Norm = string;

export function normReader(r: RecordReader, i: number): Norm {
  switch (r.columnType(i)) {
    case SQLITE_NULL:
      return "n";
    case SQLITE_INTEGER:
      return "i:" + r.getBigInt(i).toString();
    case SQLITE_FLOAT:
      return "f:" + String(r.getReal(i));
    case SQLITE_TEXT:
      return "t:" + r.getText(i);
    case SQLITE_BLOB:
      return "b:" + Buffer.from(r.getBlob(i)).toString("hex");
    default:
      throw new Error("unreachable");
  }
}

/** Normalises a value as better-sqlite3 returns it with safeIntegers(true). */
export function normJs(v: unknown): Norm {
  if (v === null) return "n";
  if (typeof v === "bigint") return "i:" + v.toString();
  if (typeof v === "number") return "f:" + String(v);
  if (typeof v === "string") return "t:" + v;
  if (v instanceof Uint8Array) return "b:" + Buffer.from(v).toString("hex");
  throw new Error(`unexpected value ${String(v)}`);
}

export function normRecord(r: RecordReader, payload: Uint8Array): Norm[] {
  r.reset(payload);
  const n = r.columnCount;
  const out: Norm[] = [];
  for (let i = 0; i < n; i++) out.push(normReader(r, i));
  return out;
}

export interface TableRow {
  rowid: bigint;
  values: Norm[];
}

/** Every row of a table tree, in cursor order, walking forward (first/next). */
export function dumpTable(bt: Btree, root: number, limit = Infinity): TableRow[] {
  const r = new RecordReader(textEncodingOf(bt.pager));
  const c = bt.tableCursor(root);
  const out: TableRow[] = [];
  try {
    for (let ok = c.first(); ok; ok = c.next()) {
      out.push({ rowid: c.rowidBig(), values: normRecord(r, c.payload()) });
      if (out.length > limit) break;
    }
  } finally {
    c.close();
  }
  return out;
}

/** Rowids walking backward (last/prev). */
export function rowidsBackward(c: TableCursor, limit = Infinity): bigint[] {
  const out: bigint[] = [];
  for (let ok = c.last(); ok; ok = c.prev()) {
    out.push(c.rowidBig());
    if (out.length > limit) break;
  }
  return out;
}

/** Every key of an index tree in cursor order (raw record bytes). */
export function dumpIndexKeys(bt: Btree, root: number, limit = Infinity): Uint8Array[] {
  const c = bt.indexCursor(root, { compare: () => 0 });
  const out: Uint8Array[] = [];
  try {
    for (let ok = c.first(); ok; ok = c.next()) {
      out.push(c.key());
      if (out.length > limit) break;
    }
  } finally {
    c.close();
  }
  return out;
}

/** A KeyInfo from a column spec list like ["NOCASE DESC", "", "RTRIM"] (+ nothing for rowid). */
export function keyInfoFor(cols: readonly string[], encoding: TextEncoding): KeyInfo {
  const collations: (Collation | null)[] = [];
  const flags: number[] = [];
  for (const spec of cols) {
    const u = spec.toUpperCase();
    collations.push(u.includes("NOCASE") ? NOCASE : u.includes("RTRIM") ? RTRIM : BINARY);
    flags.push(u.includes("DESC") ? SORT_DESC : 0);
  }
  return makeKeyInfo(cols.length, { collations, sortFlags: flags, encoding });
}

// ---------------------------------------------------------------------------------------
// Raw walker (independent of src/btree): pages of each tree, overflow chains, freelist.

const be2 = (d: Uint8Array, o: number) => (d[o] << 8) | d[o + 1];
const be4 = (d: Uint8Array, o: number) => ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;

function varint(d: Uint8Array, o: number): { v: bigint; n: number } {
  let v = 0n;
  for (let i = 0; i < 8; i++) {
    const b = d[o + i];
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) return { v, n: i + 1 };
  }
  v = (v << 8n) | BigInt(d[o + 8]);
  return { v: BigInt.asIntN(64, v), n: 9 };
}

export interface RawCell {
  /** Offset of the cell on its page. */
  off: number;
  /** Bytes of the cell on the page. */
  size: number;
  /** Local payload range [payloadOff, payloadOff + nLocal). */
  payloadOff: number;
  nLocal: number;
  nPayload: number;
  leftChild: number;
  ovfl: number[];
}

export interface RawPage {
  pgno: number;
  type: number;
  hdrOff: number;
  nCell: number;
  cells: RawCell[];
  rightChild: number;
  parent: number;
  depth: number;
}

export interface RawDb {
  pageSize: number;
  usable: number;
  nPage: number;
  bytes: Uint8Array;
  /** Tree pages by pgno with their parent (0 for roots). */
  treePages: Map<number, RawPage>;
  /** Overflow pages: pgno -> [owner b-tree page (first page) or previous overflow page, type 3/4]. */
  overflow: Map<number, { parent: number; type: 3 | 4 }>;
  freelistTrunks: number[];
  freelistLeaves: number[];
}

export function pageOf(raw: RawDb, pgno: number): Uint8Array {
  return raw.bytes.subarray((pgno - 1) * raw.pageSize, pgno * raw.pageSize);
}

/** Walks the trees rooted at `roots` (and page 1), their overflow chains and the freelist. */
export function rawWalk(bytes: Uint8Array, roots: readonly number[]): RawDb {
  const pageSize = be2(bytes, 16) === 1 ? 65536 : be2(bytes, 16);
  const usable = pageSize - bytes[20];
  const nPage = Math.floor(bytes.length / pageSize);
  const raw: RawDb = {
    pageSize, usable, nPage, bytes, treePages: new Map(), overflow: new Map(), freelistTrunks: [], freelistLeaves: [],
  };
  const visit = (pgno: number, parent: number, depth: number): void => {
    if (raw.treePages.has(pgno)) throw new Error(`raw walk: page ${pgno} twice`);
    const d = pageOf(raw, pgno);
    const hdrOff = pgno === 1 ? 100 : 0;
    const type = d[hdrOff];
    const leaf = type === 10 || type === 13;
    const intKey = type === 5 || type === 13;
    const nCell = be2(d, hdrOff + 3);
    const cellArr = hdrOff + (leaf ? 8 : 12);
    const rp: RawPage = {
      pgno, type, hdrOff, nCell, cells: [], rightChild: leaf ? 0 : be4(d, hdrOff + 8), parent, depth,
    };
    raw.treePages.set(pgno, rp);
    const maxLocal = maxLocalFor(intKey && leaf, usable);
    const minLocal = minLocalFor(usable);
    for (let i = 0; i < nCell; i++) {
      const off = be2(d, cellArr + 2 * i);
      let p = off;
      let leftChild = 0;
      if (!leaf) {
        leftChild = be4(d, p);
        p += 4;
      }
      if (intKey && !leaf) {
        const k = varint(d, p);
        rp.cells.push({ off, size: 4 + k.n, payloadOff: p + k.n, nLocal: 0, nPayload: 0, leftChild, ovfl: [] });
        continue;
      }
      const sz = varint(d, p);
      p += sz.n;
      if (intKey) p += varint(d, p).n;
      const nPayload = Number(sz.v);
      const nLocal = localSize(nPayload, maxLocal, minLocal, usable);
      const cell: RawCell = { off, size: 0, payloadOff: p, nLocal, nPayload, leftChild, ovfl: [] };
      let size = p - off + nLocal;
      if (nLocal < nPayload) {
        let ov = be4(d, p + nLocal);
        size += 4;
        let prev = pgno;
        let left = nPayload - nLocal;
        while (left > 0) {
          cell.ovfl.push(ov);
          raw.overflow.set(ov, { parent: prev, type: prev === pgno ? 3 : 4 });
          prev = ov;
          left -= usable - 4;
          ov = be4(pageOf(raw, ov), 0);
        }
      }
      cell.size = Math.max(size, 4);
      rp.cells.push(cell);
    }
    if (!leaf) {
      for (const c of rp.cells) visit(c.leftChild, pgno, depth + 1);
      visit(rp.rightChild, pgno, depth + 1);
    }
  };
  visit(1, 0, 0);
  for (const r of roots) if (r !== 1) visit(r, 0, 0);
  let trunk = be4(bytes, 32);
  while (trunk !== 0) {
    raw.freelistTrunks.push(trunk);
    const t = pageOf(raw, trunk);
    const k = be4(t, 4);
    for (let i = 0; i < k; i++) raw.freelistLeaves.push(be4(t, 8 + 4 * i));
    trunk = be4(t, 0);
  }
  return raw;
}

/** Roots of every b-tree listed in sqlite_schema, parsed straight from the bytes via Strata. */
export function schemaRoots(bytes: Uint8Array): SchemaRow[] {
  const { pager, bt } = openBytes(bytes);
  pager.beginRead();
  try {
    return readSchema(bt);
  } finally {
    pager.endRead();
    pager.close();
  }
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
