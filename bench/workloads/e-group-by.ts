// (e) GROUP BY over 100k rows into 100 groups (repeated, rows/s counts rows aggregated).
import { Digest, fillT, prepare, rate, scaled, settle, type Workload } from "./common.js";

export const e: Workload = {
  id: "e",
  title: "GROUP BY over 100k rows into 100 groups",
  unit: "rows/s",
  async run({ peer, scale }) {
    const n = scaled(100_000, scale);
    const reps = 3;
    const db = await peer.open(":memory:");
    await fillT(db, n, 100);
    const sel = await prepare(db, "SELECT a, count(*), sum(c), min(b), max(b) FROM t GROUP BY a ORDER BY a");
    const d = new Digest();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) d.addRows(await settle(sel.all()));
    const ms = performance.now() - t0;
    await settle(db.close());
    return [{ id: "e", ops: rate(n * reps, ms), check: d.toString() }];
  },
};
