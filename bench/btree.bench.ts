// B-tree throughput on a 100k-row table: inserts (rowid order and random order, one
// transaction), random rowid seeks that read the row, and full scans, on Strata (Pager +
// Btree over a MemoryVfs file, no sync) and on better-sqlite3 (SQLite 3.53, ":memory:")
// doing the equivalent SQL through prepared statements. Prints operations per second and
// the Strata / SQLite ratio (> 1: Strata is faster). The SQLite side includes its VDBE and
// better-sqlite3's per-call overhead; the Strata side includes record encoding on insert.
// Run: pnpm bench btree [-- ROWS]
import Database from "better-sqlite3";
import { encodeRecord } from "@strata/common";
import { Btree, Pager } from "@strata/pager";
import { MemoryVfs } from "@strata/vfs";

const N = Number(process.argv[2] ?? 100000);
const ROUNDS = 3;

function shuffled(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i + 1);
  let x = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) >>> 0;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
const order = shuffled(N, 7);
const probes = shuffled(N, 11);
const text = (i: number) => `row ${i} of the b-tree bench, some text to give it body`;

interface Result {
  insertSeq: number;
  insertRand: number;
  seek: number;
  scan: number;
}

function rate(n: number, fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (n / (performance.now() - t0)) * 1000;
}

function strata(): Result {
  const open = () => {
    const pager = Pager.openFile(new MemoryVfs().open("b.db", { create: true }), { pageSize: 4096, sync: "off" });
    const bt = new Btree(pager);
    pager.beginWrite();
    const root = bt.createTree("table");
    pager.commit();
    return { pager, bt, root };
  };
  const load = (keys: readonly number[] | null) => {
    const db = open();
    const r = rate(N, () => {
      db.pager.beginWrite();
      const c = db.bt.tableCursor(db.root, true);
      for (let i = 0; i < N; i++) {
        const k = keys === null ? i + 1 : keys[i];
        c.insert(k, encodeRecord([k, text(k)]));
      }
      c.close();
      db.pager.commit();
    });
    return { db, r };
  };
  const insertSeq = load(null).r;
  const { db, r: insertRand } = load(order);
  db.pager.beginRead();
  const c = db.bt.tableCursor(db.root);
  const out = new Uint8Array(256);
  let sink = 0;
  const seek = rate(N, () => {
    for (let i = 0; i < N; i++) {
      if (c.seek(probes[i]) !== 0) throw new Error("missing row");
      const n = c.payloadSize();
      c.readPayload(0, n, out);
      sink += out[n - 1];
    }
  });
  const scan = rate(N, () => {
    let rows = 0;
    if (c.first()) {
      do {
        sink += c.payloadSize();
        rows++;
      } while (c.next());
    }
    if (rows !== N) throw new Error("scan count");
  });
  c.close();
  db.pager.endRead();
  if (sink === 0.5) console.log(sink);
  return { insertSeq, insertRand, seek, scan };
}

function sqlite(): Result {
  const load = (keys: readonly number[] | null) => {
    const db = new Database(":memory:");
    db.pragma("page_size = 4096");
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    const ins = db.prepare("INSERT INTO t(id, v) VALUES (?, ?)");
    const r = rate(N, () => {
      db.exec("BEGIN");
      for (let i = 0; i < N; i++) {
        const k = keys === null ? i + 1 : keys[i];
        ins.run(k, text(k));
      }
      db.exec("COMMIT");
    });
    return { db, r };
  };
  const seqDb = load(null);
  seqDb.db.close();
  const { db, r: insertRand } = load(order);
  const get = db.prepare("SELECT v FROM t WHERE id = ?").pluck();
  let sink = 0;
  const seek = rate(N, () => {
    for (let i = 0; i < N; i++) sink += (get.get(probes[i]) as string).length;
  });
  const sum = db.prepare("SELECT sum(length(v)) FROM t").pluck();
  const scan = rate(N, () => {
    sink += sum.get() as number;
  });
  db.close();
  if (sink === 0.5) console.log(sink);
  return { insertSeq: seqDb.r, insertRand, seek, scan };
}

function best(fn: () => Result): Result {
  let b: Result = { insertSeq: 0, insertRand: 0, seek: 0, scan: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    const r = fn();
    b = {
      insertSeq: Math.max(b.insertSeq, r.insertSeq),
      insertRand: Math.max(b.insertRand, r.insertRand),
      seek: Math.max(b.seek, r.seek),
      scan: Math.max(b.scan, r.scan),
    };
  }
  return b;
}

console.log(`node ${process.version}, ${N} rows, best of ${ROUNDS}`);
const s = best(strata);
const q = best(sqlite);
console.log("operation              strata/s     sqlite/s   strata/sqlite");
const line = (name: string, a: number, b: number) =>
  console.log(`${name.padEnd(19)}  ${a.toFixed(0).padStart(10)}  ${b.toFixed(0).padStart(11)}  ${(a / b).toFixed(2).padStart(14)}`);
line("insert (rowid order)", s.insertSeq, q.insertSeq);
line("insert (random)", s.insertRand, q.insertRand);
line("seek + read row", s.seek, q.seek);
line("scan (rows)", s.scan, q.scan);
