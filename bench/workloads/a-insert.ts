// (a) 100k inserts of (int, ~30-char text, real) in one transaction through one prepared statement.
import { Digest, all, exec, prepare, rate, scaled, settle, text30, type Workload } from "./common.js";

export const a: Workload = {
  id: "a",
  title: "100k inserts, one transaction, prepared",
  unit: "rows/s",
  async run({ peer, scale }) {
    const n = scaled(100_000, scale);
    const db = await peer.open(":memory:");
    await exec(db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)");
    const ins = await prepare(db, "INSERT INTO t VALUES (?, ?, ?)");
    const t0 = performance.now();
    await exec(db, "BEGIN");
    for (let i = 1; i <= n; i++) await settle(ins.run((i * 7919) % 100003, text30(i), i * 0.25));
    await exec(db, "COMMIT");
    const ms = performance.now() - t0;
    const d = new Digest();
    d.addRows(await all(db, "SELECT count(*), sum(a), sum(length(b)), sum(c), max(rowid) FROM t"));
    await settle(db.close());
    return [{ id: "a", ops: rate(n, ms), check: d.toString() }];
  },
};
