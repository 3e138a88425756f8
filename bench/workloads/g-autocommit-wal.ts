// (g) 1,000 single-row autocommit inserts into a file database, WAL mode, synchronous NORMAL.
import { join } from "node:path";
import { Digest, all, exec, prepare, rate, scaled, settle, text30, type Workload } from "./common.js";

export const g: Workload = {
  id: "g",
  title: "1k autocommit inserts, file, WAL, sync NORMAL",
  unit: "commits/s",
  skip: (peer) => !peer.files,
  async run({ peer, scale, tmpDir }) {
    const n = scaled(1_000, scale);
    const db = await peer.open(join(tmpDir, "g.db"));
    await all(db, "PRAGMA journal_mode = WAL");
    await exec(db, "PRAGMA synchronous = NORMAL");
    await exec(db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)");
    const ins = await prepare(db, "INSERT INTO t VALUES (?, ?, ?)");
    const t0 = performance.now();
    for (let i = 1; i <= n; i++) await settle(ins.run(i, text30(i), i * 0.25));
    const ms = performance.now() - t0;
    const d = new Digest();
    d.addRows(await all(db, "SELECT count(*), sum(a), sum(length(b)), sum(c) FROM t"));
    await settle(db.close());
    return [{ id: "g", ops: rate(n, ms), check: d.toString() }];
  },
};
