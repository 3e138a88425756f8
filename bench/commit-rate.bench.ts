// Commit rate: single-row transactions (one INSERT into a table B-tree each, autocommit),
// synchronous NORMAL and FULL, WAL mode, on Strata (Pager + B-tree over WalPageStore on
// NodeVfs) and on better-sqlite3 (SQLite 3.53) over the same kind of file in the same
// directory. Prints commits per second and the Strata / SQLite ratio.
// Run: pnpm bench commit-rate
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { encodeRecord } from "@strata/common";
import { Btree, Pager } from "@strata/pager";
import { NodeVfs } from "@strata/vfs/node";
import { WalPageStore, type Synchronous } from "@strata/txn";

const dir = mkdtempSync(join(tmpdir(), "strata-commit-bench-"));
let files = 0;

function strata(sync: Synchronous, n: number): number {
  const path = join(dir, `strata-${sync}-${n}-${++files}.db`);
  const store = WalPageStore.open(new NodeVfs(), path, { synchronous: sync });
  const pager = Pager.open(store, { pageSize: 4096 });
  const bt = new Btree(pager);
  pager.beginWrite();
  const root = bt.createTree("table");
  pager.commit();
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) {
    const rec = encodeRecord([i, `row ${i} of the commit-rate bench`]);
    pager.beginWrite();
    const c = bt.tableCursor(root, true);
    c.insert(i, rec);
    c.close();
    pager.commit();
  }
  const ms = performance.now() - t0;
  pager.close();
  return (n / ms) * 1000;
}

function sqlite(sync: Synchronous, n: number): number {
  const path = join(dir, `sqlite-${sync}-${n}-${++files}.db`);
  const db = new Database(path);
  db.pragma("page_size = 4096");
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${sync.toUpperCase()}`);
  db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
  const ins = db.prepare("INSERT INTO t(id, v) VALUES (?, ?)");
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) ins.run(i, `row ${i} of the commit-rate bench`);
  const ms = performance.now() - t0;
  db.close();
  return (n / ms) * 1000;
}

const runs: [Synchronous, number][] = [["normal", 20000], ["full", 2000]];
console.log(`node ${process.version}, files in ${dir}`);
console.log("synchronous  commits   strata/s   sqlite/s   strata/sqlite");
for (const [sync, n] of runs) {
  strata(sync, Math.min(n, 500)); // warm-up
  sqlite(sync, Math.min(n, 500));
  const s = strata(sync, n);
  const q = sqlite(sync, n);
  console.log(`${sync.padEnd(11)}  ${String(n).padStart(7)}  ${s.toFixed(0).padStart(9)}  ${q.toFixed(0).padStart(9)}  ${(s / q).toFixed(2).padStart(13)}`);
}
rmSync(dir, { recursive: true, force: true });
