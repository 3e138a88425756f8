// (f) A join of 10k x 100k rows through an index on the 100k-row side's foreign key.
import { Digest, exec, prepare, rate, scaled, settle, text30, type Workload } from "./common.js";

export const f: Workload = {
  id: "f",
  title: "join 10k x 100k rows through an index",
  unit: "rows/s",
  async run({ peer, scale }) {
    const na = scaled(10_000, scale);
    const nb = scaled(100_000, scale);
    const db = await peer.open(":memory:");
    await exec(db, "CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT)");
    await exec(db, "CREATE TABLE q(id INTEGER PRIMARY KEY, pid INTEGER, v REAL)");
    await exec(db, "BEGIN");
    const ip = await prepare(db, "INSERT INTO p VALUES (?, ?)");
    for (let i = 1; i <= na; i++) await settle(ip.run(i, text30(i)));
    const iq = await prepare(db, "INSERT INTO q VALUES (?, ?, ?)");
    for (let i = 1; i <= nb; i++) await settle(iq.run(i, ((i * 7919) % na) + 1, i * 0.5));
    await exec(db, "COMMIT");
    await exec(db, "CREATE INDEX q_pid ON q(pid)");
    const sel = await prepare(db, "SELECT p.id, p.name, q.id, q.v FROM p JOIN q ON q.pid = p.id");
    const t0 = performance.now();
    const rows = await settle(sel.all());
    const ms = performance.now() - t0;
    // Join order is the planner's: sort untimed, then digest.
    const sorted = rows.slice().sort((x, y) => Number(x[0]) - Number(y[0]) || Number(x[2]) - Number(y[2]));
    const d = new Digest();
    d.addRows(sorted);
    await settle(db.close());
    return [{ id: "f", ops: rate(rows.length, ms), check: d.toString() }];
  },
};
