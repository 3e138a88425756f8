// Test support: databases written by real SQLite (better-sqlite3 3.53; the sqlite3 shell only
// where the library cannot do it: reserved bytes), filled from a seeded PRNG, and what SQLite
// itself returns for every table and index, normalised for comparison with Strata's cursors.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { normJs, prng, type Norm } from "./strata-read.js";

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `strata-pager-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FixtureOptions {
  pageSize: number;
  encoding?: "UTF-8" | "UTF-16le" | "UTF-16be";
  autoVacuum?: "NONE" | "FULL" | "INCREMENTAL";
  secureDelete?: boolean;
  /** Reserved bytes at the end of each page (set with the sqlite3 shell's .filectrl). */
  reservedBytes?: number;
  seed: number;
  /** Rows inserted into t before the deletes (default 1200). */
  rows?: number;
  /** Fraction of t's rows whose blob spans several pages (default 0.03). */
  bigFraction?: number;
  /** Scales the row counts of k, w and junk (default 1: 400, 700, 300 rows). */
  scale?: number;
}

/** One b-tree of the fixture and the entries SQLite returns for it, in b-tree order. */
export interface ExpectedTree {
  name: string;
  kind: "table" | "index";
  /** Table trees: rowid + record values (INTEGER PRIMARY KEY stored as NULL). */
  rows?: { rowid: bigint; values: Norm[] }[];
  /** Index trees: record values (indexed columns + rowid, or + primary key). */
  keys?: Norm[][];
  /** Index trees: collation/order spec per key field, for keyInfoFor. */
  keySpec?: string[];
  /** Index trees: fields that make a key unique (all of them, or the PK for WITHOUT ROWID). */
  uniqueFields?: number;
}

export interface Fixture {
  bytes: Uint8Array;
  trees: ExpectedTree[];
  pageSize: number;
  freelistCount: number;
}

export const INT64_EDGES: bigint[] = [
  -(1n << 63n), -(1n << 63n) + 1n, -(1n << 53n) - 1n, -(1n << 53n), -(1n << 32n), -(1n << 31n) - 1n, -(1n << 31n),
  -129n, -128n, -1n, 0n, 1n, 127n, 128n, 255n, 256n, 32767n, 32768n, (1n << 23n) - 1n, 1n << 23n, (1n << 31n) - 1n,
  1n << 31n, (1n << 32n) - 1n, 1n << 32n, (1n << 47n) - 1n, 1n << 47n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n,
  (1n << 56n) - 1n, 1n << 56n, (1n << 63n) - 2n, (1n << 63n) - 1n,
];

const ALPHA = ["a", "B", "c", "D", "e", " ", "é", "É", "ß", "😀", "z", "Z", "0"];

function randText(rnd: () => number, maxLen: number): string {
  const n = Math.floor(rnd() * maxLen);
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHA[Math.floor(rnd() * ALPHA.length)];
  if (rnd() < 0.2) s += "  ";
  return s;
}

function randBig(rnd: () => number): bigint {
  const hi = BigInt(Math.floor(rnd() * 4294967296));
  const lo = BigInt(Math.floor(rnd() * 4294967296));
  return BigInt.asIntN(64, (hi << 32n) | lo);
}

/** A mixed-type value (no REAL affinity anywhere: SQLite would store whole reals as integers). */
function randValue(rnd: () => number): unknown {
  const k = rnd();
  if (k < 0.15) return null;
  if (k < 0.35) return BigInt(Math.floor(rnd() * 2000) - 1000);
  if (k < 0.45) return randBig(rnd);
  if (k < 0.6) return Math.round((rnd() - 0.5) * 1e6) / 7 + 0.5; // never whole
  if (k < 0.85) return randText(rnd, 12);
  return Buffer.from(Array.from({ length: Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 256)));
}

export const SCHEMA = [
  // A rowid table with an INTEGER PRIMARY KEY (stored as NULL in the record) and big blobs.
  "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b TEXT, c BLOB, d)",
  "CREATE INDEX t_bad ON t(b COLLATE NOCASE DESC, a, d DESC)",
  "CREATE INDEX t_rt ON t(b COLLATE RTRIM)",
  "CREATE INDEX t_c ON t(c)",
  // Rowids over the whole int64 range.
  "CREATE TABLE k(id INTEGER PRIMARY KEY, v)",
  // WITHOUT ROWID: an index b-tree keyed by (k NOCASE, n DESC), and a secondary index.
  "CREATE TABLE w(k TEXT COLLATE NOCASE, n INTEGER, v, PRIMARY KEY(k, n DESC)) WITHOUT ROWID",
  "CREATE INDEX w_v ON w(v)",
  // Filled then mostly deleted: freelist pages.
  "CREATE TABLE junk(x INTEGER PRIMARY KEY, y)",
];

/** Builds the fixture database in a temp dir; returns its bytes and SQLite's view of it. */
export function buildFixture(o: FixtureOptions): Fixture {
  const { dir, cleanup } = tempDir("fx");
  try {
    const path = join(dir, "fx.db");
    if (o.reservedBytes !== undefined) {
      execFileSync("/usr/bin/sqlite3", [
        path, `.filectrl reserve_bytes ${o.reservedBytes}`, `PRAGMA page_size=${o.pageSize}`,
        `PRAGMA auto_vacuum=${o.autoVacuum ?? "NONE"}`, "VACUUM",
      ]);
    }
    const db = new Database(path);
    db.defaultSafeIntegers(true);
    db.pragma(`page_size = ${o.pageSize}`);
    db.pragma("journal_mode = DELETE");
    if (o.encoding) db.pragma(`encoding = '${o.encoding}'`);
    if (o.autoVacuum) db.pragma(`auto_vacuum = ${o.autoVacuum}`);
    db.pragma(`secure_delete = ${o.secureDelete ? "ON" : "OFF"}`);
    const rnd = prng(o.seed);
    const N = o.rows ?? 1200;
    const big = o.bigFraction ?? 0.03;
    db.transaction(() => {
      for (const s of SCHEMA) db.exec(s);
      const insT = db.prepare("INSERT INTO t(id, a, b, c, d) VALUES (?, ?, ?, ?, ?)");
      for (let i = 1; i <= N; i++) {
        let c: Buffer;
        if (rnd() < big) {
          const len = Math.floor(o.pageSize / 2 + rnd() * o.pageSize * 3);
          c = Buffer.alloc(len);
          for (let j = 0; j < len; j += 97) c[j] = Math.floor(rnd() * 256);
          c.writeUInt32BE(i, 0);
        } else {
          c = Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)));
        }
        insT.run(BigInt(i), randValue(rnd), randText(rnd, 20), c, randValue(rnd));
      }
      const insK = db.prepare("INSERT INTO k(id, v) VALUES (?, ?)");
      const seen = new Set<bigint>();
      for (const e of INT64_EDGES) {
        seen.add(e);
        insK.run(e, "edge" + e.toString());
      }
      while (seen.size < Math.max(INT64_EDGES.length + 10, 400 * (o.scale ?? 1))) {
        const r = randBig(rnd);
        if (seen.has(r)) continue;
        seen.add(r);
        insK.run(r, randValue(rnd));
      }
      const insW = db.prepare("INSERT OR IGNORE INTO w(k, n, v) VALUES (?, ?, ?)");
      for (let i = 0; i < 700 * (o.scale ?? 1); i++) insW.run(randText(rnd, 6), BigInt(Math.floor(rnd() * 50)), randValue(rnd));
      const insJ = db.prepare("INSERT INTO junk(x, y) VALUES (?, ?)");
      for (let i = 1; i <= 300 * (o.scale ?? 1); i++) insJ.run(BigInt(i), Buffer.alloc(Math.floor(rnd() * o.pageSize * 0.6) + 10, i & 255));
    })();
    db.transaction(() => {
      db.exec("DELETE FROM t WHERE id % 3 = 0");
      db.exec("DELETE FROM junk WHERE x % 10 != 0");
      db.exec("DELETE FROM w WHERE n % 4 = 1");
    })();
    if (o.autoVacuum === "INCREMENTAL") db.pragma("incremental_vacuum(5)");
    const trees = expectedTrees(db);
    const freelistCount = Number(db.pragma("freelist_count", { simple: true }) as bigint);
    const check = db.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`fixture not ok: ${String(check)}`);
    db.close();
    return { bytes: new Uint8Array(readFileSync(path)), trees, pageSize: o.pageSize, freelistCount };
  } finally {
    cleanup();
  }
}

/** What SQLite returns for each b-tree of SCHEMA, in that tree's order. */
export function expectedTrees(db: Database.Database): ExpectedTree[] {
  const norm = (r: unknown[]) => r.map(normJs);
  const rows = (sql: string) => (db.prepare(sql).raw(true).all() as unknown[][]);
  const table = (name: string, sql: string): ExpectedTree => ({
    name, kind: "table",
    rows: rows(sql).map((r) => ({ rowid: r[0] as bigint, values: norm(r.slice(1)) })),
  });
  const index = (name: string, sql: string, keySpec: string[], uniqueFields = keySpec.length): ExpectedTree => ({
    name, kind: "index", keys: rows(sql).map(norm), keySpec, uniqueFields,
  });
  return [
    table("t", "SELECT rowid, NULL, a, b, c, d FROM t ORDER BY rowid"),
    index("t_bad", "SELECT b, a, d, rowid FROM t ORDER BY b COLLATE NOCASE DESC, a, d DESC, rowid",
      ["NOCASE DESC", "", "DESC", ""]),
    index("t_rt", "SELECT b, rowid FROM t ORDER BY b COLLATE RTRIM, rowid", ["RTRIM", ""]),
    index("t_c", "SELECT c, rowid FROM t ORDER BY c, rowid", ["", ""]),
    table("k", "SELECT rowid, NULL, v FROM k ORDER BY rowid"),
    index("w", "SELECT k, n, v FROM w ORDER BY k COLLATE NOCASE, n DESC", ["NOCASE", "DESC", ""], 2),
    index("w_v", "SELECT v, k, n FROM w ORDER BY v, k COLLATE NOCASE, n DESC", ["", "NOCASE", "DESC"]),
    table("junk", "SELECT rowid, NULL, y FROM junk ORDER BY rowid"),
  ];
}
