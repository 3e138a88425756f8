// .dump's output, fed to the sqlite3 shell, rebuilds an equal database: same schema rows,
// and the same rows in every table with the same storage classes and exact values
// (compared through quote(), which spells REALs with 17 significant digits and BLOBs
// as hex), including indexes, views, triggers and AUTOINCREMENT state. Strata's shell
// over its own engine builds the source database and dumps it; better-sqlite3 only reads
// the source and the rebuilt database for the comparison. (WITHOUT ROWID tables join the
// source when the engine has them.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { runShell } from "./support/run-shell.js";

const dir = mkdtempSync(join(tmpdir(), "strata-dump-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETUP = `
CREATE TABLE vals(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, any_col);
INSERT INTO vals VALUES(1, 0, 0.1, 'plain', x'00ff10', NULL);
INSERT INTO vals VALUES(2, 9223372036854775807, 1e100, 'it''s "quoted"', x'', 1.5e-7);
INSERT INTO vals VALUES(3, -9223372036854775808, -0.0, 'two
lines' || char(13) || 'and cr', NULL, 'text');
INSERT INTO vals VALUES(4, -1, 1.0/3, '日本語 ☃', randomblob(64), x'cafe');
INSERT INTO vals VALUES(5, 42, 1e308 * 10, '\\n not a newline', x'5c6e', -1e308 * 10);
INSERT INTO vals VALUES(6, 7, 123456789012345678.0, '', zeroblob(3), 9007199254740993);
CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
INSERT INTO seq(v) VALUES('a'), ('b'), ('c');
DELETE FROM seq WHERE v = 'c';
CREATE TABLE "odd ""name"""("select" TEXT, "two words" INTEGER, UNIQUE("select"));
INSERT INTO "odd ""name""" VALUES('k', 1), ('l', NULL);
CREATE INDEX vals_t ON vals(t);
CREATE UNIQUE INDEX vals_ir ON vals(i, r DESC);
CREATE VIEW v_vals AS SELECT id, t FROM vals WHERE id > 1 -- comment in a view
;
CREATE TRIGGER trg AFTER DELETE ON vals BEGIN
  INSERT INTO seq(v) VALUES('deleted ' || old.id);
END;
`;

function snapshot(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    const schema = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all();
    const data: Record<string, unknown[]> = {};
    for (const { name } of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]) {
      const q = `"${name.replace(/"/g, '""')}"`;
      const cols = (db.prepare(`SELECT * FROM ${q}`).columns()).map((c) => `quote("${c.name.replace(/"/g, '""')}"), typeof("${c.name.replace(/"/g, '""')}")`);
      data[name] = db.prepare(`SELECT ${cols.join(", ")} FROM ${q} ORDER BY 1`).raw().all();
    }
    return { schema, data };
  } finally {
    db.close();
  }
}

test(".dump rebuilds an equal database in sqlite3", async () => {
  const source = join(dir, "source.db");
  const rebuilt = join(dir, "rebuilt.db");
  // Strata builds the source database too; better-sqlite3 only reads both for the comparison.
  const built = await runShell([source], SETUP);
  expect(built.stderr.toString()).toBe("");
  expect(built.status).toBe(0);
  const dump = await runShell([source], ".dump\n");
  expect(dump.stderr.toString()).toBe("");
  expect(dump.status).toBe(0);
  const text = dump.stdout.toString("utf8");
  expect(text.startsWith("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")).toBe(true);
  expect(text.endsWith("COMMIT;\n")).toBe(true);
  const load = spawnSync("sqlite3", [rebuilt], { input: dump.stdout });
  expect(load.stderr.toString()).toBe("");
  expect(load.status).toBe(0);
  const integrity = spawnSync("sqlite3", [rebuilt, "PRAGMA integrity_check"]).stdout.toString();
  expect(integrity).toBe("ok\n");
  expect(snapshot(rebuilt)).toEqual(snapshot(source));
});

test(".dump matches the sqlite3 shell's .dump where REAL text agrees", async () => {
  const file = join(dir, "agree.db");
  const built = await runShell([file], `CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB);
    INSERT INTO t VALUES(1, 'x''y', 2.5, x'0102'), (2, 'line
two', 100.0, NULL);
    CREATE INDEX tb ON t(b); CREATE VIEW tv AS SELECT * FROM t;
    CREATE TRIGGER tt AFTER UPDATE ON t BEGIN SELECT 1; END;`);
  expect(built.stderr.toString()).toBe("");
  const ours = await runShell([file], ".dump\n");
  const theirs = spawnSync("sqlite3", [file, ".dump"]).stdout;
  expect(ours.stdout.toString("utf8")).toBe(theirs.toString("utf8"));
});
