// .dbinfo over a WAL database: the sqlite3 3.40 shell on this machine has no sqlite_dbpage
// (so it only prints an error and the corpus cannot compare), so the header it shows is
// checked against what SQLite 3.53 (better-sqlite3) reads from the same database after the
// shell wrote it: the fields come from the current page 1, not a stale file header.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { runShell } from "./support/run-shell.js";

const dir = mkdtempSync(join(tmpdir(), "strata-dbinfo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(".dbinfo shows the current header and schema counts", async () => {
  const file = join(dir, "info.db");
  const script = [
    "CREATE TABLE a(x); CREATE TABLE b(y); CREATE INDEX ax ON a(x);",
    "CREATE VIEW v AS SELECT 1; CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END;",
    "PRAGMA user_version = 7; PRAGMA application_id = 42;",
    "INSERT INTO a VALUES(randomblob(5000));",
    ".dbinfo",
  ].join("\n") + "\n";
  const r = await runShell([file], script);
  expect(r.stderr.toString()).toBe("");
  const fields = new Map(r.stdout.toString().trim().split("\n").map((l) => [l.slice(0, 20).trim(), l.slice(21)]));
  const db = new Database(file, { readonly: true });
  const p = (name: string) => String(db.pragma(name, { simple: true }));
  expect(fields.get("database page size:")).toBe(p("page_size"));
  expect(fields.get("database page count:")).toBe(p("page_count"));
  expect(fields.get("freelist page count:")).toBe(p("freelist_count"));
  expect(fields.get("schema cookie:")).toBe(p("schema_version"));
  expect(fields.get("user version:")).toBe("7");
  expect(fields.get("application id:")).toBe("42");
  expect(fields.get("text encoding:")).toBe("1 (utf8)");
  expect(fields.get("write format:")).toBe("2");
  expect(fields.get("number of tables:")).toBe("2");
  expect(fields.get("number of indexes:")).toBe("1");
  expect(fields.get("number of triggers:")).toBe("1");
  expect(fields.get("number of views:")).toBe("1");
  const size = db.prepare("SELECT total(length(sql)) FROM sqlite_schema").pluck().get() as number;
  expect(fields.get("schema size:")).toBe(String(size));
  db.close();
});
