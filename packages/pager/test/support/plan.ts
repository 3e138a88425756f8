// Test support: the probe plan for a fixture database (which trees, which keys to seek and
// delete), made from the undamaged file.
import { type Fixture } from "./sqlite-fixtures.js";
import { dumpIndexKeys, dumpTable, openBytes, readSchema } from "./strata-read.js";
import type { ProbePlan, TreePlan } from "./probe.js";

export function makePlan(fx: Fixture, writes: boolean): ProbePlan {
  const { pager, bt } = openBytes(fx.bytes);
  pager.beginRead();
  try {
    const schema = readSchema(bt);
    const trees: TreePlan[] = [];
    let max = 0;
    for (const t of fx.trees) {
      const root = schema.find((s) => s.name === t.name)!.rootpage;
      if (t.kind === "table") {
        const rows = dumpTable(bt, root);
        max = Math.max(max, rows.length);
        const seeks: string[] = [];
        for (let i = 0; i < rows.length; i += Math.max(1, Math.floor(rows.length / 15))) {
          seeks.push(rows[i].rowid.toString(), (rows[i].rowid + 1n).toString());
        }
        trees.push({
          name: t.name, intKey: true, seeks,
          deletes: rows.filter((_, i) => i % 7 === 3).map((r) => r.rowid.toString()),
        });
      } else {
        const keys = dumpIndexKeys(bt, root).map((k) => Buffer.from(k).toString("hex"));
        max = Math.max(max, keys.length);
        trees.push({
          name: t.name, intKey: false, keySpec: t.keySpec!.slice(0, t.uniqueFields),
          seeks: keys.filter((_, i) => i % Math.max(1, Math.floor(keys.length / 15)) === 0),
          deletes: keys.filter((_, i) => i % 7 === 3),
        });
      }
    }
    return { trees, writes, insertPages: fx.freelistCount + 20, maxEntries: max * 40 + 100 };
  } finally {
    pager.endRead();
    pager.close();
  }
}
