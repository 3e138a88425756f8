// (b) 100k point selects by rowid, in random order, through one prepared statement.
import { Digest, fillT, prepare, rate, scaled, settle, xorshift, type Workload } from "./common.js";
import type { Row } from "../peers/types.js";

export const b: Workload = {
  id: "b",
  title: "100k point selects by rowid",
  unit: "queries/s",
  async run({ peer, scale }) {
    const n = scaled(100_000, scale);
    const db = await peer.open(":memory:");
    await fillT(db, n);
    const sel = await prepare(db, "SELECT a, b, c FROM t WHERE rowid = ?");
    const next = xorshift(42);
    const keys = Array.from({ length: n }, () => (next() % n) + 1);
    const rows: (Row | undefined)[] = new Array(n);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) rows[i] = await settle(sel.get(keys[i]));
    const ms = performance.now() - t0;
    const d = new Digest();
    for (const r of rows) d.addRow(r);
    await settle(db.close());
    return [{ id: "b", ops: rate(n, ms), check: d.toString() }];
  },
};
