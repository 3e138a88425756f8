// The async API (@strata/database, the shape of @tursodatabase/database): connect,
// promise-returning Database/Statement methods, async iteration, batch, both transaction
// forms, and errors as rejected promises.
import { describe, expect, test } from "vitest";
import { connect, Database, SqliteError, Statement, Transaction } from "@strata/database";

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    const err = e as Error & { code?: string };
    return { error: err.constructor.name, code: err.code, message: err.message };
  }
}

async function setup(): Promise<Database> {
  const db = await connect(":memory:");
  await db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v)");
  return db;
}

describe("@strata/database (async)", () => {
  test("connect and properties", async () => {
    const db = await connect(":memory:");
    expect(db).toBeInstanceOf(Database);
    expect([db.name, db.memory, db.readonly, db.open, db.inTransaction]).toEqual([":memory:", true, false, true, false]);
    await db.connect();
    await db.close();
    expect(db.open).toBe(false);
  });

  test("prepare, run, get, all, iterate", async () => {
    const db = await setup();
    const ins = await db.prepare("INSERT INTO t(name, v) VALUES (?, ?)");
    expect(ins).toBeInstanceOf(Statement);
    expect(await ins.run("a", 1)).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(await ins.run(["b", 2])).toEqual({ changes: 1, lastInsertRowid: 2 });
    const sel = await db.prepare("SELECT name, v FROM t ORDER BY id");
    expect([sel.reader, sel.readonly, sel.source]).toEqual([true, true, "SELECT name, v FROM t ORDER BY id"]);
    expect(sel.columns()).toEqual([
      { name: "name", column: null, table: null, database: null, type: "TEXT" },
      { name: "v", column: null, table: null, database: null, type: null },
    ]);
    expect(await sel.get()).toEqual({ name: "a", v: 1 });
    expect(await sel.all()).toEqual([{ name: "a", v: 1 }, { name: "b", v: 2 }]);
    const rows: unknown[] = [];
    for await (const r of sel.iterate()) rows.push(r);
    expect(rows).toEqual([{ name: "a", v: 1 }, { name: "b", v: 2 }]);
    expect(await sel.raw().all()).toEqual([["a", 1], ["b", 2]]);
    expect(await sel.pluck().all()).toEqual(["a", "b"]);
    expect(await db.get("SELECT count(*) AS n FROM t")).toEqual({ n: 2 });
    expect(await db.all("SELECT id FROM t WHERE name = :n", { n: "b" })).toEqual([{ id: 2 }]);
    expect(await db.run("DELETE FROM t WHERE id = ?", 1)).toEqual({ changes: 1, lastInsertRowid: 2 });
    const it: unknown[] = [];
    for await (const r of db.iterate("SELECT id FROM t")) it.push(r);
    expect(it).toEqual([{ id: 2 }]);
    expect(sel.database).toBe(db);
  });

  test("bind, safeIntegers, defaultSafeIntegers, blobs", async () => {
    const db = await setup();
    const s = (await db.prepare("SELECT ? AS a, $b AS b")).bind(9223372036854775807n, { b: new Uint8Array([1, 2]) });
    expect(await s.safeIntegers().get()).toEqual({ a: 9223372036854775807n, b: Buffer.from([1, 2]) });
    expect(await s.safeIntegers(false).get()).toEqual({ a: 9223372036854775807, b: Buffer.from([1, 2]) });
    db.defaultSafeIntegers(true);
    expect(await db.get("SELECT 1 AS one")).toEqual({ one: 1n });
    db.defaultSafeIntegers(false);
    expect(await db.get("SELECT ? AS t, ? AS f", true, false)).toEqual({ t: 1, f: 0 });
  });

  test("errors reject: SqliteError with SQLite's code, misuse as TypeError/RangeError", async () => {
    const db = await setup();
    await db.exec("CREATE UNIQUE INDEX tn ON t(name); INSERT INTO t(name) VALUES ('x')");
    const dup = await rejection(db.run("INSERT INTO t(name) VALUES ('x')"));
    expect(dup).toEqual({ error: "SqliteError", code: "SQLITE_CONSTRAINT_UNIQUE", message: "UNIQUE constraint failed: t.name" });
    expect(await rejection(db.prepare(""))).toEqual({ error: "RangeError", code: undefined, message: "The supplied SQL string contains no statements" });
    expect(await rejection(db.prepare("SELECT 1; SELECT 2"))).toEqual({ error: "RangeError", code: undefined, message: "The supplied SQL string contains more than one statement" });
    expect(await rejection(db.get("SELECT ?"))).toEqual({ error: "RangeError", code: undefined, message: "Too few parameter values were provided" });
    expect(await rejection(db.exec("SELEC"))).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: 'near "SELEC": syntax error' });
    let caught: unknown = null;
    try {
      await db.all("SELECT * FROM nope");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SqliteError);
    await db.close();
    expect(await rejection(db.get("SELECT 1"))).toEqual({ error: "TypeError", code: undefined, message: "The database connection is not open" });
  });

  test("batch: results per statement, atomic with a mode", async () => {
    const db = await setup();
    const res = await db.batch([
      "INSERT INTO t(name) VALUES ('a')",
      { sql: "INSERT INTO t(name, v) VALUES (?, ?)", args: ["b", 2] },
      { sql: "SELECT id, name FROM t WHERE name = :n", args: { n: "b" } },
    ]);
    expect(res).toEqual([
      { columns: [], columnTypes: [], rows: [], rowsAffected: 1 },
      { columns: [], columnTypes: [], rows: [], rowsAffected: 1 },
      { columns: ["id", "name"], columnTypes: ["INTEGER", "TEXT"], rows: [{ id: 2, name: "b" }], rowsAffected: 0 },
    ]);
    expect((await db.batch(["SELECT name FROM t ORDER BY id"], { raw: true }))[0].rows).toEqual([["a"], ["b"]]);
    // Atomic: the failing statement rolls back the whole batch.
    const err = await rejection(db.batch(["INSERT INTO t(name) VALUES ('c')", "INSERT INTO nope VALUES (1)"], "immediate"));
    expect(err).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "no such table: nope" });
    expect(await db.get("SELECT count(*) AS n FROM t")).toEqual({ n: 2 });
    expect(db.inTransaction).toBe(false);
    // Without a mode it is not atomic.
    await rejection(db.batch(["INSERT INTO t(name) VALUES ('c')", "INSERT INTO nope VALUES (1)"]));
    expect(await db.get("SELECT count(*) AS n FROM t")).toEqual({ n: 3 });
  });

  test("transaction(fn): commit, rollback on rejection, variants", async () => {
    const db = await setup();
    const add = db.transaction(async (...names: string[]) => {
      for (const n of names) await db.run("INSERT INTO t(name) VALUES (?)", n);
      return names.length;
    });
    expect(await add("a", "b")).toBe(2);
    expect(await add.immediate("c")).toBe(1);
    expect(await add.exclusive("d")).toBe(1);
    expect(await add.deferred("e")).toBe(1);
    expect(add.database).toBe(db);
    const bad = db.transaction(async () => {
      await db.run("INSERT INTO t(name) VALUES ('zz')");
      throw new Error("nope");
    });
    expect(await rejection(bad())).toEqual({ error: "Error", code: undefined, message: "nope" });
    expect(db.inTransaction).toBe(false);
    expect(await db.all("SELECT name FROM t ORDER BY id")).toEqual(["a", "b", "c", "d", "e"].map((name) => ({ name })));
    expect(await rejection(add.concurrent("f"))).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "BEGIN CONCURRENT is not supported yet" });
  });

  test("transactionAsync: the handle runs the SQL, the database waits", async () => {
    const db = await setup();
    const order: string[] = [];
    let handle: Transaction | null = null;
    const tx = db.transactionAsync(async (txn: Transaction, name: string) => {
      handle = txn;
      await txn.run("INSERT INTO t(name) VALUES (?)", name);
      // A Database-level call issued now runs only after COMMIT.
      void db.get("SELECT count(*) AS n FROM t").then((r) => order.push(`outside saw ${JSON.stringify(r)} inTx=${db.inTransaction}`));
      await new Promise((r) => setTimeout(r, 10));
      order.push(`inside inTx=${db.inTransaction}`);
      const rows = await txn.all("SELECT name FROM t");
      return rows.length;
    });
    expect(await tx("a")).toBe(1);
    await db.get("SELECT 1");
    expect(order).toEqual(["inside inTx=true", 'outside saw {"n":1} inTx=false']);
    expect(handle!.open).toBe(false);
    expect(await rejection(handle!.run("INSERT INTO t(name) VALUES ('late')"))).toEqual({
      error: "TypeError", code: undefined, message: "The transaction is no longer active",
    });
    const failing = db.transactionAsync(async (txn: Transaction) => {
      await txn.exec("INSERT INTO t(name) VALUES ('x')");
      throw new RangeError("abort");
    });
    expect(await rejection(failing.immediate())).toEqual({ error: "RangeError", code: undefined, message: "abort" });
    expect(await db.get("SELECT count(*) AS n FROM t")).toEqual({ n: 1 });
    expect(() => db.transactionAsync(async () => 1)).toThrow(TypeError);
  });

  test("user functions and aggregates", async () => {
    const db = await connect(":memory:");
    db.function("twice", (x: number) => x * 2).aggregate("prod", { start: 1, step: (a: number, x: number) => a * x });
    expect(await db.get("SELECT twice(21) AS a")).toEqual({ a: 42 });
    await db.exec("CREATE TABLE n(x); INSERT INTO n VALUES (2), (3), (7)");
    expect(await db.get("SELECT prod(x) AS p FROM n")).toEqual({ p: 42 });
  });
});
