// (c) A full scan with SUM over 100k rows (repeated, rows/s counts every row scanned).
import { Digest, fillT, prepare, rate, scaled, settle, type Workload } from "./common.js";

export const c: Workload = {
  id: "c",
  title: "full scan with SUM over 100k rows",
  unit: "rows/s",
  async run({ peer, scale }) {
    const n = scaled(100_000, scale);
    const reps = 10;
    const db = await peer.open(":memory:");
    await fillT(db, n);
    const sel = await prepare(db, "SELECT sum(c), sum(a) FROM t");
    const d = new Digest();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) d.addRow(await settle(sel.get()));
    const ms = performance.now() - t0;
    await settle(db.close());
    return [{ id: "c", ops: rate(n * reps, ms), check: d.toString() }];
  },
};
