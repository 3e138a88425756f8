// (i) Open a 50 MB database file (built once by the driver with better-sqlite3, copied
// untimed into this child's directory) and run 1,000 random point queries. Each engine
// runs in a fresh process, so its page cache is cold; the OS cache is not (the copy warms
// it). The time counts the open and the queries.
import { copyFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Digest, prepare, rate, scaled, settle, xorshift, type Workload } from "./common.js";
import type { Row } from "../peers/types.js";

export function coldRows(scale: number): number {
  return scaled(100_000, scale);
}
export const COLD_PAYLOAD = 480;

export const i: Workload = {
  id: "i",
  title: "open a 50 MB file + 1k random point queries (cold)",
  unit: "queries/s",
  async run({ peer, scale, tmpDir, dataDir }) {
    const rows = coldRows(scale);
    const q = scaled(1_000, scale);
    const src = join(dataDir, `cold-${rows}.db`);
    const path = join(tmpDir, "cold.db");
    copyFileSync(src, path);
    const next = xorshift(99);
    const keys = Array.from({ length: q }, () => (next() % rows) + 1);
    const out: (Row | undefined)[] = new Array(q);
    const t0 = performance.now();
    const db = await peer.open(path);
    const sel = await prepare(db, "SELECT a, b FROM u WHERE id = ?");
    for (let k = 0; k < q; k++) out[k] = await settle(sel.get(keys[k]));
    const ms = performance.now() - t0;
    await settle(db.close());
    const d = new Digest();
    for (const r of out) d.addRow(r);
    return [{ id: "i", ops: rate(q, ms), check: `${d}/${Math.round(statSync(src).size / 1e6)}MB` }];
  },
};
