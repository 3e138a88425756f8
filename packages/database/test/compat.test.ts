// One suite, two drivers: every case runs on better-sqlite3 (SQLite 3.53, the oracle) and
// on @strata/database/compat, so the compat API is checked method by method and error by
// error against the real thing. Cases where we deviate on purpose (see core.ts / bind.ts
// COMPAT notes) live at the end, each asserting both behaviours.
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, test } from "vitest";
import StrataDatabase, { SqliteError as StrataSqliteError } from "@strata/database/compat";

type Db = {
  prepare(sql: string): Stmt;
  exec(sql: string): unknown;
  transaction<F extends (...a: never[]) => unknown>(fn: F): ((...a: Parameters<F>) => ReturnType<F>) & Record<string, unknown>;
  function(name: string, ...rest: unknown[]): unknown;
  aggregate(name: string, opts: unknown): unknown;
  defaultSafeIntegers(t?: boolean): unknown;
  close(): unknown;
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  readonly open: boolean;
  readonly inTransaction: boolean;
};
type Stmt = {
  run(...a: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...a: unknown[]): unknown;
  all(...a: unknown[]): unknown[];
  iterate(...a: unknown[]): IterableIterator<unknown>;
  pluck(t?: boolean): Stmt;
  raw(t?: boolean): Stmt;
  safeIntegers(t?: boolean): Stmt;
  bind(...a: unknown[]): Stmt;
  columns(): { name: string; type: string | null }[];
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly source: string;
  readonly busy: boolean;
};

const DRIVERS: [string, new (path?: string, opts?: object) => Db][] = [
  ["better-sqlite3", BetterSqlite3 as never],
  ["strata", StrataDatabase as never],
];

/** What a call did: its value, or the error's class, code and message. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { error: err.constructor.name, code: err.code, message: err.message };
  }
}

describe.each(DRIVERS)("%s", (_name, Database) => {
  const mem = (): Db => new Database(":memory:");
  const withTable = (): Db => {
    const db = mem();
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER, r REAL, b BLOB)");
    return db;
  };

  test("properties of an in-memory database", () => {
    const db = mem();
    expect([db.name, db.memory, db.readonly, db.open, db.inTransaction]).toEqual([":memory:", true, false, true, false]);
    db.exec("BEGIN");
    expect(db.inTransaction).toBe(true);
    db.exec("COMMIT");
    expect(db.inTransaction).toBe(false);
    db.close();
    expect(db.open).toBe(false);
  });

  test("run returns changes and lastInsertRowid; get/all/iterate return rows", () => {
    const db = withTable();
    const ins = db.prepare("INSERT INTO t(name, n) VALUES (?, ?)");
    expect(ins.run("a", 1)).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(ins.run("b", 2)).toEqual({ changes: 1, lastInsertRowid: 2 });
    expect(db.prepare("UPDATE t SET n = n + 10").run()).toEqual({ changes: 2, lastInsertRowid: 2 });
    expect(db.prepare("CREATE TABLE u(x)").run()).toEqual({ changes: 0, lastInsertRowid: 2 });
    expect(db.prepare("SELECT name, n FROM t ORDER BY id").get()).toEqual({ name: "a", n: 11 });
    expect(db.prepare("SELECT name FROM t WHERE id = 99").get()).toBeUndefined();
    expect(db.prepare("SELECT name, n FROM t ORDER BY id").all()).toEqual([{ name: "a", n: 11 }, { name: "b", n: 12 }]);
    expect([...db.prepare("SELECT id FROM t ORDER BY id").iterate()]).toEqual([{ id: 1 }, { id: 2 }]);
    expect(db.prepare("SELECT 1 AS a, 2 AS a").get()).toEqual({ a: 2 });
  });

  test("iterate: busy while suspended, reset when the loop breaks", () => {
    const db = withTable();
    db.exec("INSERT INTO t(name) VALUES ('a'), ('b'), ('c')");
    const s = db.prepare("SELECT name FROM t ORDER BY id");
    const seen: unknown[] = [];
    for (const row of s.iterate()) {
      expect(s.busy).toBe(true);
      expect(outcome(() => s.get())).toEqual({ error: "TypeError", code: undefined, message: "This statement is busy executing a query" });
      seen.push(row);
      if (seen.length === 2) break;
    }
    expect(s.busy).toBe(false);
    expect(seen).toEqual([{ name: "a" }, { name: "b" }]);
    expect(s.all()).toHaveLength(3);
  });

  test("statement metadata: reader, readonly, source, columns", () => {
    const db = withTable();
    const sel = db.prepare("SELECT id, name, n + 1 AS m FROM t");
    expect([sel.reader, sel.readonly, sel.source]).toEqual([true, true, "SELECT id, name, n + 1 AS m FROM t"]);
    expect(sel.columns().map((c) => [c.name, c.type])).toEqual([["id", "INTEGER"], ["name", "TEXT"], ["m", null]]);
    const ins = db.prepare("INSERT INTO t(name) VALUES ('x')");
    expect([ins.reader, ins.readonly]).toEqual([false, false]);
    expect(db.prepare("SELECT 1; ").source).toBe("SELECT 1; ");
  });

  test("pluck and raw", () => {
    const db = withTable();
    db.exec("INSERT INTO t(name, n) VALUES ('a', 1), ('b', 2)");
    const s = db.prepare("SELECT name, n FROM t ORDER BY id");
    expect(s.pluck().all()).toEqual(["a", "b"]);
    expect(s.raw().all()).toEqual([["a", 1], ["b", 2]]);
    expect(s.pluck().get()).toBe("a");
    expect(s.pluck(false).get()).toEqual({ name: "a", n: 1 });
    expect(s.raw(true).raw(false).get()).toEqual({ name: "a", n: 1 });
  });

  test("statements that return no data refuse get/all/iterate/pluck/raw/columns", () => {
    const db = withTable();
    const s = db.prepare("INSERT INTO t(name) VALUES ('x')");
    for (const f of [() => s.get(), () => s.all(), () => s.iterate()]) {
      expect(outcome(f)).toEqual({ error: "TypeError", code: undefined, message: "This statement does not return data. Use run() instead" });
    }
    for (const m of ["pluck", "raw", "columns"] as const) {
      expect(outcome(() => (s[m] as () => unknown)())).toEqual({ error: "TypeError", code: undefined, message: `The ${m}() method is only for statements that return data` });
    }
    expect(db.prepare("SELECT count(*) FROM t").pluck().get()).toBe(0);
  });

  test("prepare errors: no statement, more than one, syntax, unknown table", () => {
    const db = withTable();
    const cases = ["", "  ;; ", "-- only a comment", "SELECT 1; SELECT 2", "SELEC 1", "SELECT * FROM nope", "SELECT 1;   ", "SELECT 1; -- trailing"];
    const got = cases.map((sql) => outcome(() => db.prepare(sql).source));
    expect(got).toEqual([
      { error: "RangeError", code: undefined, message: "The supplied SQL string contains no statements" },
      { error: "RangeError", code: undefined, message: "The supplied SQL string contains no statements" },
      { error: "RangeError", code: undefined, message: "The supplied SQL string contains no statements" },
      { error: "RangeError", code: undefined, message: "The supplied SQL string contains more than one statement" },
      { error: "SqliteError", code: "SQLITE_ERROR", message: 'near "SELEC": syntax error' },
      { error: "SqliteError", code: "SQLITE_ERROR", message: "no such table: nope" },
      { value: "SELECT 1;   " },
      { value: "SELECT 1; -- trailing" },
    ]);
    expect(outcome(() => db.prepare(42 as never))).toEqual({ error: "TypeError", code: undefined, message: "Expected first argument to be a string" });
  });

  test("constraint errors carry the extended code and SQLite's message", () => {
    const db = mem();
    db.exec("CREATE TABLE u(a UNIQUE, b NOT NULL, d INTEGER PRIMARY KEY)");
    db.prepare("INSERT INTO u VALUES (1, 1, 1)").run();
    const errs = [
      "INSERT INTO u VALUES (1, 1, 2)",
      "INSERT INTO u VALUES (2, NULL, 3)",
      "INSERT INTO u VALUES (4, 1, 1)",
    ].map((sql) => outcome(() => db.prepare(sql).run()));
    expect(errs).toEqual([
      { error: "SqliteError", code: "SQLITE_CONSTRAINT_UNIQUE", message: "UNIQUE constraint failed: u.a" },
      { error: "SqliteError", code: "SQLITE_CONSTRAINT_NOTNULL", message: "NOT NULL constraint failed: u.b" },
      { error: "SqliteError", code: "SQLITE_CONSTRAINT_PRIMARYKEY", message: "UNIQUE constraint failed: u.d" },
    ]);
  });

  test("exec runs every statement and stops at the first error", () => {
    const db = mem();
    expect(db.exec("CREATE TABLE a(x); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);")).toBe(db);
    expect(outcome(() => db.exec("INSERT INTO a VALUES (3); INSERT INTO nope VALUES (1); INSERT INTO a VALUES (4)"))).toEqual({
      error: "SqliteError", code: "SQLITE_ERROR", message: "no such table: nope",
    });
    expect(db.prepare("SELECT x FROM a ORDER BY x").pluck().all()).toEqual([1, 2, 3]);
    expect(db.exec("")).toBe(db);
    expect(outcome(() => db.exec(1 as never))).toEqual({ error: "TypeError", code: undefined, message: "Expected first argument to be a string" });
  });

  test("positional parameters: arguments, arrays, ?NNN", () => {
    const db = mem();
    expect(db.prepare("SELECT ? AS a, ? AS b, ? AS c").get(1, "x", null)).toEqual({ a: 1, b: "x", c: null });
    expect(db.prepare("SELECT ? AS a, ? AS b, ? AS c").get([1, 2], 3)).toEqual({ a: 1, b: 2, c: 3 });
    expect(db.prepare("SELECT ? AS a, ? AS b").get([1], [2])).toEqual({ a: 1, b: 2 });
    expect(db.prepare("SELECT ? AS a").get(undefined)).toEqual({ a: null });
    expect(db.prepare("SELECT ? + 0.5 AS a").get(2.25)).toEqual({ a: 2.75 });
    expect(db.prepare("SELECT ?1 AS a, ?1 AS b").get({ 1: 7 })).toEqual({ a: 7, b: 7 });
    expect(db.prepare("SELECT ? AS a, ?3 AS c").get(1, 2, { 3: 3 })).toEqual({ a: 1, c: 3 });
  });

  test("parameters are numbered in text order, wherever the planner codes them", () => {
    const db = withTable();
    db.exec("INSERT INTO t(id, name, n) VALUES (1, 'a', 10), (2, 'b', 20)");
    expect(db.prepare("SELECT ? AS x, name FROM t WHERE id = ?").all("X", 2)).toEqual([{ x: "X", name: "b" }]);
    expect(db.prepare("SELECT ? AS x, name FROM t WHERE n = ?").all("Y", 10)).toEqual([{ x: "Y", name: "a" }]);
    expect(db.prepare("UPDATE t SET n = ? WHERE id = ?").run(5, 1)).toEqual({ changes: 1, lastInsertRowid: 2 });
    expect(db.prepare("DELETE FROM t WHERE id = ?").run(2)).toEqual({ changes: 1, lastInsertRowid: 2 });
    expect(db.prepare("SELECT id, n FROM t").all()).toEqual([{ id: 1, n: 5 }]);
    expect(db.prepare("SELECT :b AS b, ? AS q, :a AS a, ?5 AS five, ? AS six").raw().get(1, 4, 6, { a: "A", b: "B", 5: 5 })).toEqual(["B", 1, "A", 5, 6]);
  });

  test("named parameters with all three prefixes, and mixed with positional", () => {
    const db = mem();
    expect(db.prepare("SELECT :a AS a, @b AS b, $c AS c").get({ a: 1, b: "two", c: 3.5 })).toEqual({ a: 1, b: "two", c: 3.5 });
    expect(db.prepare("SELECT :a AS x, :a AS y").get({ a: 5 })).toEqual({ x: 5, y: 5 });
    expect(db.prepare("SELECT :a AS a, ? AS b").get(9, { a: 1 })).toEqual({ a: 1, b: 9 });
    expect(db.prepare("SELECT :a AS a").get({ a: 1, unused: 2 })).toEqual({ a: 1 });
    expect(db.prepare("SELECT :a AS a").get(Object.assign(Object.create(null), { a: 4 }))).toEqual({ a: 4 });
    db.exec("CREATE TABLE p(k TEXT, v)");
    const ins = db.prepare("INSERT INTO p VALUES ($k, @v)");
    ins.run({ k: "x", v: 1 });
    ins.run({ k: "y", v: null });
    expect(db.prepare("SELECT * FROM p ORDER BY k").raw().all()).toEqual([["x", 1], ["y", null]]);
  });

  test("parameter errors", () => {
    const db = mem();
    const cases: [string, unknown[]][] = [
      ["SELECT ? AS a, ? AS b", [1]],
      ["SELECT ? AS a", [1, 2]],
      ["SELECT ? AS a", [[1, 2]]],
      ["SELECT :a AS a", [{}]],
      ["SELECT :a AS a", []],
      ["SELECT :a AS a", [1]],
      ["SELECT :a AS a, :b AS b", [{ a: 1, b: 2 }, { b: 2 }]],
      ["SELECT :a AS a", [new Map([["a", 1]])]],
      ["SELECT ? AS a", [{}]],
      ["SELECT ? AS a", [Symbol("s")]],
      ["SELECT ? AS a", [() => 1]],
      ["SELECT ? AS a", [2n ** 64n]],
      ["SELECT ?2 AS a", [1, 2]],
      ["SELECT ?2 AS a", [1]],
    ];
    const got = cases.map(([sql, args]) => outcome(() => db.prepare(sql).get(...args)));
    expect(got).toEqual([
      { error: "RangeError", code: undefined, message: "Too few parameter values were provided" },
      { error: "RangeError", code: undefined, message: "Too many parameter values were provided" },
      { error: "RangeError", code: undefined, message: "Too many parameter values were provided" },
      { error: "RangeError", code: undefined, message: 'Missing named parameter "a"' },
      { error: "TypeError", code: undefined, message: "Missing named parameters" },
      { error: "RangeError", code: undefined, message: "Too many parameter values were provided" },
      { error: "TypeError", code: undefined, message: "You cannot specify named parameters in two different objects" },
      { error: "TypeError", code: undefined, message: "Named parameters can only be passed within plain objects" },
      { error: "RangeError", code: undefined, message: "Too few parameter values were provided" },
      { error: "TypeError", code: undefined, message: "SQLite3 can only bind numbers, strings, bigints, buffers, and null" },
      { error: "TypeError", code: undefined, message: "SQLite3 can only bind numbers, strings, bigints, buffers, and null" },
      { error: "RangeError", code: undefined, message: "The bound string, buffer, or bigint is too big" },
      { error: "RangeError", code: undefined, message: "Too many parameter values were provided" },
      { error: "TypeError", code: undefined, message: "Missing named parameters" },
    ]);
  });

  test("bind() binds permanently", () => {
    const db = mem();
    const s = db.prepare("SELECT ? AS a, :b AS b").bind(1, { b: 2 });
    expect(s.get()).toEqual({ a: 1, b: 2 });
    expect(s.all()).toEqual([{ a: 1, b: 2 }]);
    expect(outcome(() => s.get(3))).toEqual({ error: "TypeError", code: undefined, message: "This statement already has bound parameters" });
    expect(outcome(() => s.bind(3, { b: 4 }))).toEqual({ error: "TypeError", code: undefined, message: "The bind() method can only be invoked once per statement object" });
    const bad = db.prepare("SELECT ? AS a");
    expect(outcome(() => bad.bind())).toEqual({ error: "RangeError", code: undefined, message: "Too few parameter values were provided" });
  });

  test("64-bit integers: lossy numbers by default, exact bigints with safeIntegers", () => {
    const db = mem();
    db.exec("CREATE TABLE i(v INTEGER)");
    const extremes = [9223372036854775807n, -9223372036854775808n, 9007199254740993n, -9007199254740993n, 0n, 1n, -1n, 2n ** 53n];
    const ins = db.prepare("INSERT INTO i VALUES (?)");
    for (const v of extremes) ins.run(v);
    expect(db.prepare("SELECT v FROM i").pluck().safeIntegers().all()).toEqual(extremes);
    expect(db.prepare("SELECT v FROM i").pluck().all()).toEqual(extremes.map((v) => Number(v)));
    expect(db.prepare("SELECT typeof(v) FROM i").pluck().all()).toEqual(extremes.map(() => "integer"));
    expect(db.prepare("SELECT ? AS a").safeIntegers().get(-9223372036854775808n)).toEqual({ a: -9223372036854775808n });
    const r = db.prepare("INSERT INTO i VALUES (1)").safeIntegers().run();
    expect(r).toEqual({ changes: 1, lastInsertRowid: 9n });
    db.defaultSafeIntegers(true);
    expect(db.prepare("SELECT 1 AS a, 1.5 AS b").get()).toEqual({ a: 1n, b: 1.5 });
    expect(db.prepare("SELECT 1 AS a").safeIntegers(false).get()).toEqual({ a: 1 });
    db.defaultSafeIntegers(false);
    expect(db.prepare("SELECT 1 AS a").get()).toEqual({ a: 1 });
  });

  test("blobs round trip as Buffer", () => {
    const db = mem();
    db.exec("CREATE TABLE bl(b BLOB)");
    const bytes = [new Uint8Array([]), new Uint8Array([0, 1, 255]), Buffer.from("hello"), new Uint8Array(5000).map((_, i) => i & 255)];
    const ins = db.prepare("INSERT INTO bl VALUES (?)");
    for (const b of bytes) ins.run(b);
    const got = db.prepare("SELECT b FROM bl").pluck().all() as Buffer[];
    expect(got.every((b) => Buffer.isBuffer(b))).toBe(true);
    expect(got.map((b) => [...b])).toEqual(bytes.map((b) => [...b]));
    expect(db.prepare("SELECT typeof(b) FROM bl").pluck().all()).toEqual(["blob", "blob", "blob", "blob"]);
    expect(db.prepare("SELECT x'cafe' AS b").get()).toEqual({ b: Buffer.from([0xca, 0xfe]) });
    // The Buffer returned is the caller's: changing it changes nothing in the database.
    got[1][0] = 99;
    expect([...(db.prepare("SELECT b FROM bl WHERE rowid = 2").pluck().get() as Buffer)]).toEqual([0, 1, 255]);
  });

  test("text and reals", () => {
    const db = mem();
    expect(db.prepare("SELECT ? AS s").get("héllo ☃ 😀")).toEqual({ s: "héllo ☃ 😀" });
    expect(db.prepare("SELECT 1.0 AS a, -0.0 AS b, 1e308 * 10 AS c, 0.1 + 0.2 AS d").raw().get()).toEqual([1, -0, Infinity, 0.30000000000000004]);
    expect(db.prepare("SELECT ? AS a").get(NaN)).toEqual({ a: null });
    expect(db.prepare("SELECT ? AS a").get(Infinity)).toEqual({ a: Infinity });
  });

  test("transaction: commit, rollback on throw, return value, variants", () => {
    const db = mem();
    db.exec("CREATE TABLE tx(v)");
    const ins = db.prepare("INSERT INTO tx VALUES (?)");
    const many = db.transaction((vals: number[]) => {
      for (const v of vals) ins.run(v);
      return vals.length;
    });
    expect(many([1, 2])).toBe(2);
    expect(db.inTransaction).toBe(false);
    const failing = db.transaction(() => {
      ins.run(3);
      throw new Error("boom");
    });
    expect(outcome(() => failing())).toEqual({ error: "Error", code: undefined, message: "boom" });
    expect(db.inTransaction).toBe(false);
    expect(typeof many.deferred).toBe("function");
    expect(many.database).toBe(db);
    expect((many.immediate as (v: number[]) => number)([4])).toBe(1);
    expect((many.exclusive as (v: number[]) => number)([5])).toBe(1);
    expect((many.deferred as (v: number[]) => number)([6])).toBe(1);
    expect(db.prepare("SELECT v FROM tx ORDER BY v").pluck().all()).toEqual([1, 2, 4, 5, 6]);
    const asyncFn = db.transaction(async () => 1);
    expect(outcome(() => asyncFn())).toEqual({ error: "TypeError", code: undefined, message: "Transaction function cannot return a promise" });
    expect(db.inTransaction).toBe(false);
    expect(outcome(() => db.transaction(1 as never))).toEqual({ error: "TypeError", code: undefined, message: "Expected first argument to be a function" });
  });

  test("transaction: a nested call is a savepoint inside the outer transaction", () => {
    const db = mem();
    db.exec("CREATE TABLE tx(v)");
    const ins = db.prepare("INSERT INTO tx VALUES (?)");
    const inner = db.transaction((v: number) => {
      ins.run(v);
      expect(db.inTransaction).toBe(true);
    });
    const outer = db.transaction(() => {
      ins.run(1);
      inner(2);
      inner(3);
    });
    outer();
    expect(db.prepare("SELECT v FROM tx ORDER BY v").pluck().all()).toEqual([1, 2, 3]);
    // Inside a manual BEGIN, the wrapper uses a savepoint and leaves the transaction open.
    db.exec("BEGIN");
    inner(4);
    expect(db.inTransaction).toBe(true);
    db.exec("COMMIT");
    expect(db.prepare("SELECT count(*) FROM tx").pluck().get()).toBe(4);
  });

  test("user functions: arguments, results, varargs, errors", () => {
    const db = mem();
    db.function("add2", (a: number, b: number) => a + b);
    db.function("join_all", { varargs: true, deterministic: true }, (...xs: unknown[]) => xs.join("|"));
    db.function("big", { safeIntegers: true }, (a: bigint) => a * 2n);
    db.function("kind", (a: unknown) => (a === null ? "null" : Buffer.isBuffer(a) ? "buffer" : typeof a));
    db.function("nada", () => undefined);
    db.function("throws", () => {
      throw new RangeError("from js");
    });
    db.function("bad", () => ({}));
    expect(db.prepare("SELECT add2(2, 3) AS a, add2(1.5, 1) AS b").get()).toEqual({ a: 5, b: 2.5 });
    expect(db.prepare("SELECT join_all(1, 'x', NULL) AS j, join_all() AS k").get()).toEqual({ j: "1|x|", k: "" });
    expect(db.prepare("SELECT big(4611686018427387903) AS b").safeIntegers().get()).toEqual({ b: 9223372036854775806n });
    expect(db.prepare("SELECT kind(1) AS a, kind('s') AS b, kind(x'00') AS c, kind(NULL) AS d, kind(1.5) AS e").get()).toEqual({
      a: "number", b: "string", c: "buffer", d: "null", e: "number",
    });
    expect(db.prepare("SELECT nada() AS n").get()).toEqual({ n: null });
    expect(outcome(() => db.prepare("SELECT throws()").get())).toEqual({ error: "RangeError", code: undefined, message: "from js" });
    expect(outcome(() => db.prepare("SELECT bad()").get())).toEqual({ error: "TypeError", code: undefined, message: "User-defined function bad() returned an invalid value" });
    expect(outcome(() => db.prepare("SELECT add2(1)").get())).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "wrong number of arguments to function add2()" });
    expect(outcome(() => db.function("f", 1 as never))).toEqual({ error: "TypeError", code: undefined, message: "Expected last argument to be a function" });
  });

  test("user aggregates: start, step, result, and errors", () => {
    const db = mem();
    db.exec("CREATE TABLE g(k, v); INSERT INTO g VALUES ('a', 1), ('a', 2), ('b', 5)");
    db.aggregate("mysum", { start: 0, step: (acc: number, v: number) => acc + v });
    db.aggregate("collect", { start: () => [], step: (acc: number[], v: number) => { acc.push(v); }, result: (acc: number[]) => acc.join(",") });
    db.aggregate("boom", { step: (_acc: unknown, _v: unknown) => { throw new Error("agg failed"); } });
    db.aggregate("noargs", { start: 1, step: () => {} });
    expect(db.prepare("SELECT mysum(v) AS s, collect(v) AS c FROM g").get()).toEqual({ s: 8, c: "1,2,5" });
    expect(db.prepare("SELECT mysum(v) AS s FROM g WHERE 0").get()).toEqual({ s: 0 });
    expect(outcome(() => db.prepare("SELECT noargs(v) FROM g").get())).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "wrong number of arguments to function noargs()" });
    expect(db.prepare("SELECT noargs() AS n FROM g").get()).toEqual({ n: 1 });
    expect(outcome(() => db.prepare("SELECT boom(v) FROM g").get())).toEqual({ error: "Error", code: undefined, message: "agg failed" });
    expect(outcome(() => db.aggregate("x", { start: 0 } as never))).toEqual({ error: "TypeError", code: undefined, message: 'Missing required option "step"' });
    expect(outcome(() => db.aggregate("x", { step: 1 } as never))).toEqual({ error: "TypeError", code: undefined, message: 'Expected the "step" option to be a function' });
  });

  test("a closed database refuses everything", () => {
    const db = withTable();
    const s = db.prepare("SELECT 1 AS a");
    db.close();
    const notOpen = { error: "TypeError", code: undefined, message: "The database connection is not open" };
    expect(outcome(() => db.prepare("SELECT 1"))).toEqual(notOpen);
    expect(outcome(() => db.exec("SELECT 1"))).toEqual(notOpen);
    expect(outcome(() => s.get())).toEqual(notOpen);
    expect(outcome(() => s.all())).toEqual(notOpen);
    expect(outcome(() => s.run())).toEqual(notOpen);
    expect(db.inTransaction).toBe(false);
    expect(db.close()).toBe(db);
  });

  test(":memory: databases are isolated from each other", () => {
    const a = mem();
    const b = mem();
    a.exec("CREATE TABLE only_a(x); INSERT INTO only_a VALUES (1)");
    expect(outcome(() => b.prepare("SELECT * FROM only_a"))).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "no such table: only_a" });
    b.exec("CREATE TABLE only_a(y)");
    expect(a.prepare("SELECT x FROM only_a").pluck().get()).toBe(1);
    expect(b.prepare("SELECT count(*) FROM only_a").pluck().get()).toBe(0);
  });

  test("constructor errors", () => {
    expect(outcome(() => new Database(":memory:", { readonly: true }))).toEqual({
      error: "TypeError", code: undefined, message: "In-memory/temporary databases cannot be readonly",
    });
    expect(outcome(() => new Database(5 as never))).toEqual({ error: "TypeError", code: undefined, message: "Expected first argument to be a string" });
  });

  test("explicit transactions and their errors", () => {
    const db = mem();
    expect(outcome(() => db.exec("COMMIT"))).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "cannot commit - no transaction is active" });
    expect(outcome(() => db.exec("ROLLBACK"))).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "cannot rollback - no transaction is active" });
    db.exec("BEGIN");
    expect(outcome(() => db.exec("BEGIN"))).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "cannot start a transaction within a transaction" });
    db.exec("CREATE TABLE r(x); ROLLBACK");
    expect(outcome(() => db.prepare("SELECT * FROM r"))).toEqual({ error: "SqliteError", code: "SQLITE_ERROR", message: "no such table: r" });
  });
});

describe("deliberate differences from better-sqlite3", () => {
  test("whole numbers bind as INTEGER and booleans as 1/0 (better-sqlite3: REAL, TypeError)", () => {
    const b = new BetterSqlite3(":memory:");
    const s = new StrataDatabase(":memory:");
    expect(b.prepare("SELECT typeof(?) AS t").get(1)).toEqual({ t: "real" });
    expect(s.prepare("SELECT typeof(?) AS t").get(1)).toEqual({ t: "integer" });
    expect(outcome(() => b.prepare("SELECT ? AS v").get(true))).toMatchObject({ error: "TypeError" });
    expect(s.prepare("SELECT ? AS v, ? AS w").get(true, false)).toEqual({ v: 1, w: 0 });
  });

  test("columns() has no origin (column/table/database are null)", () => {
    const s = new StrataDatabase(":memory:");
    s.exec("CREATE TABLE t(a INT)");
    expect(s.prepare("SELECT a FROM t").columns()).toEqual([{ name: "a", column: null, table: null, database: null, type: "INT" }]);
  });

  test("SqliteError is exported and is the class of engine errors", () => {
    const s = new StrataDatabase(":memory:");
    let caught: unknown = null;
    try {
      s.exec("SELECT * FROM nope");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StrataSqliteError);
    expect(caught).toMatchObject({ name: "SqliteError", code: "SQLITE_ERROR", message: "no such table: nope" });
  });
});

describe("extensions for walking a script (the strata shell)", () => {
  test("prepareFirst returns the first statement and where the rest begins", () => {
    const db = new StrataDatabase(":memory:");
    const script = "CREATE TABLE t(a); INSERT INTO t VALUES(1),(2) ; -- done\n SELECT count(*) FROM t;  ";
    const seen: string[] = [];
    let rest = 0;
    let last: unknown = null;
    for (;;) {
      const { statement, tail } = db.prepareFirst(script.slice(rest));
      if (statement === null) break;
      seen.push(statement.source);
      if (statement.reader) last = statement.pluck().get();
      else statement.run();
      rest += tail;
    }
    expect(seen).toEqual(["CREATE TABLE t(a);", " INSERT INTO t VALUES(1),(2) ;", " -- done\n SELECT count(*) FROM t;"]);
    expect(last).toBe(2);
    expect(db.prepareFirst(" ;; /* nothing */ ")).toEqual({ statement: null, tail: 18 });
    db.close();
  });

  test("a prepare error's offset (sqlite3_error_offset) indexes the text given", () => {
    const db = new StrataDatabase(":memory:");
    db.exec("CREATE TABLE t(a)");
    const offsetOf = (sql: string): number => {
      try {
        db.prepareFirst(sql);
      } catch (e) {
        expect(e).toBeInstanceOf(StrataSqliteError);
        return (e as StrataSqliteError).offset;
      }
      return NaN;
    };
    expect(offsetOf("SELECT a, nosuch FROM t")).toBe(10);
    expect(offsetOf("  SELEC 1")).toBe(2);
    expect(offsetOf("SELECT * FROM nosuch")).toBe(-1);
    expect(offsetOf("CREATE TABLE \"t\"(b)")).toBe(13);
    let caught: unknown = null;
    try {
      db.prepare("SELECT 1 +");
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ message: "incomplete input", offset: -1 });
    db.close();
  });

  test("explain is sqlite3_stmt_isexplain", () => {
    const db = new StrataDatabase(":memory:");
    expect([db.prepare("SELECT 1").explain, db.prepare("EXPLAIN SELECT 1").explain, db.prepare(" explain query plan SELECT 1").explain]).toEqual([0, 1, 2]);
    db.close();
  });
});
