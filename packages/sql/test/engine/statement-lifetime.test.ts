// A statement is held by the connection only while it runs: one the caller drops is
// garbage (better-sqlite3's statements are freed by the GC too), and close() stops the
// running ones and rolls back. Before this, every prepared statement stayed reachable
// from the connection until close: `prepare(sql).run()` in a loop grew the heap ~9 KB a call.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import type { Connection, PreparedStatement as Statement } from "../../src/index.js";
import { openMemory } from "./support.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const prep = (conn: Connection, sql: string): Statement => conn.prepare(sql).statement!;
const nextTask = () => new Promise((r) => setTimeout(r, 0));

describe("statement lifetime", () => {
  test("a statement the caller dropped is collected, finished or not", async () => {
    const conn = openMemory();
    conn.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
    const refs = (() => {
      const done = prep(conn, "INSERT INTO t VALUES (3)");
      done.step();
      const never = prep(conn, "SELECT a FROM t");
      const reset = prep(conn, "SELECT a FROM t");
      reset.step();
      reset.reset();
      return [new WeakRef(done), new WeakRef(never), new WeakRef(reset)];
    })();
    await nextTask(); // WeakRef targets are kept alive until the end of the job that made them
    gc();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true]);
    conn.close();
  });

  test("close() stops a running statement and rolls back its transaction", () => {
    const conn = openMemory();
    conn.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
    conn.exec("BEGIN; INSERT INTO t VALUES (3)");
    const s = prep(conn, "SELECT a FROM t");
    expect(s.step()).toBe(100); // SQLITE_ROW: running
    const idle = prep(conn, "SELECT 1");
    conn.close();
    expect(() => s.step()).toThrow("The database connection is not open");
    expect(() => idle.step()).toThrow("The database connection is not open");
    s.reset(); // harmless after close
    s.finalize();
  });
});
