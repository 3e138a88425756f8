// The README's first command, until the `strata` shell exists: writes a small database
// file through Strata's storage layers (a table and an index, with their sqlite_schema
// rows), reads it back through a cursor, then asks the `sqlite3` shell (when installed)
// to check it and print it. Usage: pnpm demo [FILE] (default app.db). The file is
// created afresh each run.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { encodeRecord, makeKeyInfo, real, RecordReader } from "@strata/common";
import { NodeVfs } from "@strata/vfs/node";
import { Pager, Btree, recordComparator } from "@strata/pager";

const path = process.argv[2] ?? "app.db";
for (const suffix of ["", "-wal", "-journal", "-shm"]) rmSync(path + suffix, { force: true });

const vfs = new NodeVfs();
const pager = Pager.openFile(vfs.open(path, { create: true, kind: "main-db" }), { pageSize: 4096 });
const btree = new Btree(pager);

const people = [
  ["Ada Lovelace", 1815, 9.5],
  ["Grace Hopper", 1906, 9.25],
  ["Edgar Codd", 1923, 8.75],
  ["Richard Hipp", 1961, 10.0],
];

pager.beginWrite();
const tableRoot = btree.createTree("table");
const indexRoot = btree.createTree("index");
const schema = btree.tableCursor(1, true);
schema.insert(1, encodeRecord(["table", "people", "people", tableRoot,
  "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, born INTEGER, score REAL)"]));
schema.insert(2, encodeRecord(["index", "people_born", "people", indexRoot,
  "CREATE INDEX people_born ON people(born)"]));
const table = btree.tableCursor(tableRoot, true);
const index = btree.indexCursor(indexRoot, recordComparator(makeKeyInfo(2)), true);
people.forEach(([name, born, score], i) => {
  const rowid = i + 1;
  table.insert(rowid, encodeRecord([null, name, born, real(score)]));
  index.insert(encodeRecord([born, rowid]));
});
pager.bumpSchemaCookie();
pager.commit();

pager.beginRead();
const reader = new RecordReader();
console.log(`Strata wrote ${path}; reading it back through a table cursor:`);
for (let ok = table.first(); ok; ok = table.next()) {
  reader.reset(table.payload());
  console.log(`  ${table.rowid()} | ${reader.getText(1)} | ${reader.getInt(2)} | ${reader.getReal(3)}`);
}
pager.endRead();
pager.close();

const probe = spawnSync("sqlite3", ["-version"], { encoding: "utf8" });
if (probe.status !== 0) {
  console.log("\n(sqlite3 is not installed: skipping the check with the sqlite3 shell)");
} else {
  console.log(`\nsqlite3 ${probe.stdout.split(" ")[0]} reads the same file:`);
  const r = spawnSync("sqlite3", [path, "PRAGMA integrity_check; SELECT * FROM people ORDER BY born;"], { encoding: "utf8" });
  process.stdout.write(r.stdout.replace(/^/gm, "  "));
  if (r.status !== 0 || !r.stdout.startsWith("ok\n")) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
}
if (!existsSync(path)) process.exit(1);
