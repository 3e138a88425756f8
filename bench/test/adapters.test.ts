// The adapters agree: the same tiny workloads on every engine give the same result digest.
// (Correctness only; the benchmark's numbers are never asserted.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ENGINES, PEERS, type Row } from "../peers/index.js";
import { a } from "../workloads/a-insert.js";
import { b } from "../workloads/b-point-select.js";
import { c } from "../workloads/c-scan-sum.js";
import { e } from "../workloads/e-group-by.js";
import { f } from "../workloads/f-join.js";
import { g } from "../workloads/g-autocommit-wal.js";
import { all, exec, prepare, settle } from "../workloads/common.js";

const tmp = mkdtempSync(join(tmpdir(), "strata-bench-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("peer adapters", () => {
  it("run, get, all and iterate give the same rows on every engine", async () => {
    for (const name of ENGINES) {
      const db = await PEERS[name].open(":memory:");
      await exec(db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)");
      const ins = await prepare(db, "INSERT INTO t VALUES (?, ?, ?)");
      for (let i = 1; i <= 5; i++) await settle(ins.run(i, `v${i}`, i / 2));
      const sel = await prepare(db, "SELECT a, b, c FROM t WHERE a >= ? ORDER BY a");
      expect(await settle(sel.get(4)), name).toEqual([4, "v4", 2]);
      expect(await settle(sel.get(9)), name).toBeUndefined();
      expect((await settle(sel.all(3))).length, name).toBe(3);
      const seen: Row[] = [];
      const it = sel.iterate(2);
      if (Symbol.asyncIterator in it) for await (const r of it as AsyncIterable<Row>) seen.push(r);
      else for (const r of it as Iterable<Row>) seen.push(r);
      expect(seen.map((r) => r[0]), name).toEqual([2, 3, 4, 5]);
      expect(await all(db, "SELECT count(*), sum(c) FROM t"), name).toEqual([[5, 7.5]]);
      await settle(db.close());
    }
  });

  for (const w of [a, b, c, e, f, g]) {
    it(`workload ${w.id} gives the same digest on every engine`, async () => {
      const checks: Record<string, string | undefined> = {};
      for (const name of ENGINES) {
        const peer = PEERS[name];
        if (w.skip?.(peer)) continue;
        const dir = mkdtempSync(join(tmp, `${w.id}-`));
        const [m] = await w.run({ peer, scale: 0.01, tmpDir: dir, dataDir: tmp }).catch((err: Error) => [{ id: w.id, error: err.message, check: undefined }]);
        // A feature the engine does not have yet (Strata: joins, PRAGMA) is the bench's "n/a",
        // not a disagreement; any other error, or any result that differs, fails.
        if (m.error !== undefined && /not supported yet/.test(m.error)) continue;
        expect(m.error, `${name}: ${m.error}`).toBeUndefined();
        checks[name] = m.check;
      }
      for (const name of Object.keys(checks)) expect(checks[name], name).toBe(checks["better-sqlite3"]);
    });
  }
});
