// (h) SQLite's speedtest1 `testset_main`, tests 100..990, our TypeScript port of its
// workload (test/speedtest1.c in sqlite/sqlite): the same statements, the same PRNG
// re-seeded at each test, swizzle and numbername, default options (UNIQUE, no NOT NULL,
// rowid tables, nRepeat 1, no --big-transactions), at a reduced --size. Each test is its
// own entry (h100, h110, ...): ops/s counts the N in the test's name (rows inserted,
// queries run...) or 1 for tests without one (CREATE INDEX five times, VACUUM, ...).
// Every statement is prepared once per test and stepped to the end, as speedtest1_run
// does; rows returned are digested untimed, and after each test that writes, an untimed
// query digests the tables it wrote, so a wrong engine cannot look fast. A test that fails
// records its error; the next tests still run (and fail in turn if they needed its tables).
import { Digest, all, exec, prepare, rate, type Measured, type Workload } from "./common.js";
import { SpeedtestRandom, estSquareRoot, numbername, roundupAllones, swizzle } from "./speedtest1-util.js";
import { settle } from "./common.js";
import type { PeerDatabase, PeerStatement, Row, Value } from "../peers/types.js";

/** speedtest1 --size for the full suite (SQLite's default is 100: 50,000 rows; 4 gives 2,000), so that
 *  the slowest engine finishes in seconds; --quick uses a tenth (rounded up to size 1). */
export const SPEEDTEST_SIZE = 4;

export const SPEEDTEST_TESTS: [number, string][] = [
  [100, "INSERTs into table with no index"], [110, "ordered INSERTS with one index/PK"],
  [120, "unordered INSERTS with one index/PK"], [130, "SELECTS, numeric BETWEEN, unindexed"],
  [140, "SELECTS, LIKE, unindexed"], [142, "SELECTS w/ORDER BY, unindexed"],
  [145, "SELECTS w/ORDER BY and LIMIT, unindexed"], [150, "CREATE INDEX five times"],
  [160, "SELECTS, numeric BETWEEN, indexed"], [161, "SELECTS, numeric BETWEEN, PK"],
  [170, "SELECTS, text BETWEEN, indexed"], [180, "INSERTS with three indexes"],
  [190, "DELETE and REFILL one table"], [200, "VACUUM"], [210, "ALTER TABLE ADD COLUMN, and query"],
  [230, "UPDATES, numeric BETWEEN, indexed"], [240, "UPDATES of individual rows"],
  [250, "One big UPDATE of the whole table"], [260, "Query added column after filling"],
  [270, "DELETEs, numeric BETWEEN, indexed"], [280, "DELETEs of individual rows"],
  [290, "Refill two tables using REPLACE"], [300, "Refill a table using (b&1)==(a&1)"],
  [310, "four-ways joins"], [320, "subquery in result set"], [400, "REPLACE ops on an IPK"],
  [410, "SELECTS on an IPK"], [500, "REPLACE on TEXT PK"], [510, "SELECTS on a TEXT PK"],
  [520, "SELECT DISTINCT"], [980, "PRAGMA integrity_check"], [990, "ANALYZE"],
];

export const h: Workload = {
  id: "h",
  title: "speedtest1 testset main (100..990)",
  unit: "tests/s",
  async run({ peer, scale }) {
    const size = Math.max(1, Math.round(SPEEDTEST_SIZE * scale));
    const db = await peer.open(":memory:");
    try {
      return await testsetMain(db, size);
    } finally {
      await settle(db.close());
    }
  },
};

/** Runs tests 100..990 on `db` at speedtest1 --size `szTest`; one Measured per test. */
export async function testsetMain(db: PeerDatabase, szTest: number): Promise<Measured[]> {
  const out: Measured[] = [];
  const rnd = new SpeedtestRandom();
  let stmt: PeerStatement | null = null;
  let slots: number[] = [];
  let sink: Row[] = [];

  // speedtest1's statements use numbered parameters (?1, and ?1 twice in 170 and 320);
  // better-sqlite3 rejects an argument list for those, so every statement is prepared with
  // anonymous `?` in their place and the values are passed in occurrence order.
  const anonymise = (text: string) => {
    slots = [];
    return text.replace(/\?(\d+)/g, (_, k: string) => {
      slots.push(Number(k) - 1);
      return "?";
    });
  };
  const run = async (...params: Value[]) => {
    const rows = await settle(stmt!.all(...slots.map((k) => params[k])));
    for (const r of rows) sink.push(r);
  };
  const sql = async (text: string) => {
    // speedtest1_exec(): one statement through sqlite3_exec, rows stepped and dropped.
    // Statements that return rows go through prepare+all so their rows are digested too.
    if (/^\s*(SELECT|PRAGMA integrity_check)/i.test(text)) {
      for (const r of await all(db, text)) sink.push(r);
    } else await exec(db, text);
  };
  const prep = async (text: string) => {
    if (stmt) await settle(stmt.close());
    stmt = await prepare(db, anonymise(text));
  };
  const test = async (num: number, ops: number, body: () => Promise<void>, verify: string[] = []) => {
    rnd.reset();
    sink = [];
    const id = `h${num}`;
    let ms: number;
    try {
      const t0 = performance.now();
      await body();
      ms = performance.now() - t0;
    } catch (e) {
      out.push({ id, error: String((e as Error)?.message ?? e) });
      try {
        await exec(db, "ROLLBACK");
      } catch {
        // not in a transaction
      }
      return;
    } finally {
      if (stmt) await settle((stmt as PeerStatement).close());
      stmt = null;
    }
    // Rows are digested as a multiset: without ORDER BY (DISTINCT, joins) the order is the
    // plan's. Likewise group_concat() concatenates in the plan's order (index or rowid), so
    // its parts are sorted first (no other text in this testset contains a comma).
    const d = new Digest();
    d.addRowsUnordered(sink.map((r) => r.map((v) => (typeof v === "string" && v.includes(",") ? v.split(",").sort().join(",") : v))));
    try {
      for (const v of verify) d.addRows(await all(db, v));
    } catch (e) {
      out.push({ id, error: `verification query failed: ${String((e as Error)?.message ?? e)}` });
      return;
    }
    out.push({ id, ops: rate(ops, ms), ms, check: d.toString() });
  };
  const digestOf = (t: string, cols = "count(*), sum(a), sum(b), sum(length(c))") => `SELECT ${cols} FROM ${t}`;

  let sz = szTest * 500;
  let n = sz;
  let maxb = roundupAllones(sz);

  await test(100, n, async () => {
    await sql("BEGIN");
    await sql("CREATE TABLE z1(a INTEGER , b INTEGER , c TEXT )");
    await prep("INSERT INTO z1 VALUES(?1,?2,?3)");
    for (let i = 1; i <= n; i++) {
      const x1 = swizzle(i, maxb);
      await run(x1, i, numbername(x1));
    }
    await sql("COMMIT");
  }, [digestOf("z1")]);

  await test(110, n, async () => {
    await sql("BEGIN");
    await sql("CREATE TABLE z2(a INTEGER  UNIQUE, b INTEGER , c TEXT ) ");
    await prep("INSERT INTO z2 VALUES(?1,?2,?3)");
    for (let i = 1; i <= n; i++) {
      const x1 = swizzle(i, maxb);
      await run(i, x1, numbername(x1));
    }
    await sql("COMMIT");
  }, [digestOf("z2")]);

  await test(120, n, async () => {
    await sql("BEGIN");
    await sql("CREATE TABLE t3(a INTEGER  UNIQUE, b INTEGER , c TEXT ) ");
    await prep("INSERT INTO t3 VALUES(?1,?2,?3)");
    for (let i = 1; i <= n; i++) {
      const x1 = swizzle(i, maxb);
      await run(x1, i, numbername(x1));
    }
    await sql("COMMIT");
  }, [digestOf("t3")]);

  const betweenSelects = async (num: number, count: number, text: string) =>
    test(num, count, async () => {
      await sql("BEGIN");
      await prep(text);
      for (let i = 1; i <= count; i++) {
        const x1 = rnd.next() % maxb;
        const x2 = (rnd.next() % 10) + Math.trunc(sz / 5000) + x1;
        await run(x1, x2);
      }
      await sql("COMMIT");
    });
  const likeSelects = async (num: number, text: string) =>
    test(num, 10, async () => {
      await sql("BEGIN");
      await prep(text);
      for (let i = 1; i <= 10; i++) {
        rnd.next(); // x1 = speedtest1_random()%maxb, unused but it advances the PRNG
        await run(`%${numbername(i)}%`);
      }
      await sql("COMMIT");
    });

  await betweenSelects(130, 25, "SELECT count(*), avg(b), sum(length(c)), group_concat(c) FROM z1\n WHERE b BETWEEN ?1 AND ?2");
  await likeSelects(140, "SELECT count(*), avg(b), sum(length(c)), group_concat(c) FROM z1\n WHERE c LIKE ?1");
  await likeSelects(142, "SELECT a, b, c FROM z1 WHERE c LIKE ?1\n ORDER BY a");
  await likeSelects(145, "SELECT a, b, c FROM z1 WHERE c LIKE ?1\n ORDER BY a LIMIT 10");

  await test(150, 1, async () => {
    await sql("BEGIN;");
    await sql("CREATE UNIQUE INDEX t1b ON z1(b);");
    await sql("CREATE INDEX t1c ON z1(c);");
    await sql("CREATE UNIQUE INDEX t2b ON z2(b);");
    await sql("CREATE INDEX t2c ON z2(c DESC);");
    await sql("CREATE INDEX t3bc ON t3(b,c);");
    await sql("COMMIT;");
  }, ["SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('t1b','t1c','t2b','t2c','t3bc')"]);

  n = Math.trunc(sz / 5);
  await betweenSelects(160, n, "SELECT count(*), avg(b), sum(length(c)), group_concat(a) FROM z1\n WHERE b BETWEEN ?1 AND ?2");
  await betweenSelects(161, n, "SELECT count(*), avg(b), sum(length(c)), group_concat(a) FROM z2\n WHERE a BETWEEN ?1 AND ?2");

  await test(170, n, async () => {
    await sql("BEGIN");
    await prep("SELECT count(*), avg(b), sum(length(c)), group_concat(a) FROM z1\n WHERE c BETWEEN ?1 AND (?1||'~')");
    for (let i = 1; i <= n; i++) await run(numbername(swizzle(i, maxb)));
    await sql("COMMIT");
  });

  n = sz;
  await test(180, n, async () => {
    await sql("BEGIN");
    await sql("CREATE TABLE t4(\n  a INTEGER  UNIQUE,\n  b INTEGER ,\n  c TEXT \n) ");
    await sql("CREATE INDEX t4b ON t4(b)");
    await sql("CREATE INDEX t4c ON t4(c)");
    await sql("INSERT INTO t4 SELECT * FROM z1");
    await sql("COMMIT");
  }, [digestOf("t4")]);

  await test(190, n, async () => {
    await sql("DELETE FROM z2;");
    await sql("INSERT INTO z2 SELECT * FROM z1;");
  }, [digestOf("z2")]);

  await test(200, 1, async () => sql("VACUUM"), [digestOf("z1"), digestOf("z2")]);

  await test(210, 1, async () => {
    await sql("ALTER TABLE z2 ADD COLUMN d INT DEFAULT 123");
    await sql("SELECT sum(d) FROM z2");
  });

  n = Math.trunc(sz / 5);
  await test(230, n, async () => {
    await sql("BEGIN");
    await prep("UPDATE z2 SET d=b*2 WHERE b BETWEEN ?1 AND ?2");
    for (let i = 1; i <= n; i++) {
      const x1 = rnd.next() % maxb;
      const x2 = (rnd.next() % 10) + Math.trunc(sz / 5000) + x1;
      await run(x1, x2);
    }
    await sql("COMMIT");
  }, ["SELECT count(*), sum(d) FROM z2"]);

  n = sz;
  await test(240, n, async () => {
    await sql("BEGIN");
    await prep("UPDATE z2 SET d=b*3 WHERE a=?1");
    for (let i = 1; i <= n; i++) await run((rnd.next() % sz) + 1);
    await sql("COMMIT");
  }, ["SELECT count(*), sum(d) FROM z2"]);

  await test(250, sz, async () => sql("UPDATE z2 SET d=b*4"), ["SELECT count(*), sum(d) FROM z2"]);
  await test(260, 1, async () => sql("SELECT sum(d) FROM z2"));

  n = Math.trunc(sz / 5);
  await test(270, n, async () => {
    await sql("BEGIN");
    await prep("DELETE FROM z2 WHERE b BETWEEN ?1 AND ?2");
    for (let i = 1; i <= n; i++) {
      const x1 = (rnd.next() % maxb) + 1;
      const x2 = (rnd.next() % 10) + Math.trunc(sz / 5000) + x1;
      await run(x1, x2);
    }
    await sql("COMMIT");
  }, [digestOf("z2")]);

  n = sz;
  await test(280, n, async () => {
    await sql("BEGIN");
    await prep("DELETE FROM t3 WHERE a=?1");
    for (let i = 1; i <= n; i++) await run((rnd.next() % sz) + 1);
    await sql("COMMIT");
  }, [digestOf("t3")]);

  await test(290, sz, async () => {
    await sql("REPLACE INTO z2(a,b,c) SELECT a,b,c FROM z1");
    await sql("REPLACE INTO t3(a,b,c) SELECT a,b,c FROM z1");
  }, [digestOf("z2"), digestOf("t3")]);

  await test(300, sz, async () => {
    await sql("DELETE FROM z2;");
    await sql("INSERT INTO z2(a,b,c)\n SELECT a,b,c FROM z1  WHERE (b&1)==(a&1);");
    await sql("INSERT INTO z2(a,b,c)\n SELECT a,b,c FROM z1  WHERE (b&1)<>(a&1);");
  }, [digestOf("z2")]);

  n = Math.trunc(sz / 5);
  await test(310, n, async () => {
    await sql("BEGIN");
    await prep("SELECT z1.c FROM z1, z2, t3, t4\n WHERE t4.a BETWEEN ?1 AND ?2\n   AND t3.a=t4.b\n   AND z2.a=t3.b\n   AND z1.c=z2.c;");
    for (let i = 1; i <= n; i++) {
      const x1 = (rnd.next() % sz) + 1;
      const x2 = (rnd.next() % 10) + x1 + 4;
      await run(x1, x2);
    }
    await sql("COMMIT");
  });

  await test(320, 1, async () => {
    await prep("SELECT sum(a), max(c),\n       avg((SELECT a FROM z2 WHERE 5+z2.b=z1.b) AND rowid<?1), max(c)\n FROM z1 WHERE rowid<?1;");
    await run(estSquareRoot(szTest) * 50);
  });

  sz = n = szTest * 700;
  maxb = roundupAllones(Math.trunc(sz / 3));
  await test(400, n, async () => {
    await sql("BEGIN");
    await sql("CREATE TABLE t5(a INTEGER PRIMARY KEY, b );");
    await prep("REPLACE INTO t5 VALUES(?1,?2)");
    for (let i = 1; i <= n; i++) await run(swizzle(i, maxb), numbername(i));
    await sql("COMMIT");
  }, ["SELECT count(*), sum(a), sum(length(b)) FROM t5"]);

  await test(410, n, async () => {
    await prep("SELECT b FROM t5 WHERE a=?1");
    for (let i = 1; i <= n; i++) await run(swizzle(i, maxb));
  });

  await test(500, n, async () => {
    await sql("BEGIN");
    await sql("CREATE TABLE t6(a TEXT PRIMARY KEY, b )WITHOUT ROWID;");
    await prep("REPLACE INTO t6 VALUES(?1,?2)");
    for (let i = 1; i <= n; i++) await run(numbername(swizzle(i, maxb)), i);
    await sql("COMMIT");
  }, ["SELECT count(*), sum(length(a)), sum(b) FROM t6"]);

  await test(510, n, async () => {
    await prep("SELECT b FROM t6 WHERE a=?1");
    for (let i = 1; i <= n; i++) await run(numbername(swizzle(i, maxb)));
  });

  await test(520, n, async () => {
    await sql("SELECT DISTINCT b FROM t5;");
    await sql("SELECT DISTINCT b FROM t6;");
  });
  await test(980, 1, async () => sql("PRAGMA integrity_check"));
  await test(990, 1, async () => sql("ANALYZE"));
  return out;
}
