// (d) CREATE INDEX on the text column, then 10k indexed lookups; the time includes the
// CREATE INDEX, the rate counts lookups.
import { Digest, fillT, prepare, rate, scaled, settle, text30, xorshift, exec, type Workload } from "./common.js";

export const d: Workload = {
  id: "d",
  title: "CREATE INDEX on text + 10k indexed lookups",
  unit: "lookups/s",
  async run({ peer, scale }) {
    const n = scaled(100_000, scale);
    const lookups = scaled(10_000, scale);
    const db = await peer.open(":memory:");
    await fillT(db, n);
    const next = xorshift(7);
    const keys = Array.from({ length: lookups }, () => text30((next() % n) + 1));
    const dg = new Digest();
    const t0 = performance.now();
    await exec(db, "CREATE INDEX t_b ON t(b)");
    const sel = await prepare(db, "SELECT rowid, a, c FROM t WHERE b = ?");
    for (let i = 0; i < lookups; i++) dg.addRow(await settle(sel.get(keys[i])));
    const ms = performance.now() - t0;
    await settle(db.close());
    return [{ id: "d", ops: rate(lookups, ms), check: dg.toString() }];
  },
};
