// Parse throughput: statements per second on one core, over a realistic mix of
// short statements (point queries, inserts, updates, joins, DDL), parsed one at a
// time as prepare() would. Run: pnpm bench parse
// Optionally compares with better-sqlite3's prepare (parse + plan + codegen, so an
// upper bound on what SQLite spends), when it is installed.
import { parse } from "@strata/sql";

const MIX = [
  "SELECT * FROM users WHERE id = ?",
  "SELECT name, email FROM users WHERE id = ?1 LIMIT 1",
  "INSERT INTO users (name, email, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
  "UPDATE users SET name = :name, updated_at = datetime('now') WHERE id = :id",
  "DELETE FROM sessions WHERE expires < ?",
  "SELECT u.id, count(o.id) AS n FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id HAVING n > 2 ORDER BY n DESC LIMIT 10",
  "SELECT * FROM t1 WHERE a BETWEEN 10 AND 20 AND b IN (1, 2, 3) OR c LIKE 'abc%'",
  "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
  "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL DEFAULT 0, UNIQUE (name))",
  "SELECT CASE WHEN x > 0 THEN 'pos' WHEN x < 0 THEN 'neg' ELSE 'zero' END FROM t2",
  "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10) SELECT sum(n) FROM c",
  "SELECT a, row_number() OVER (PARTITION BY b ORDER BY c) FROM t3",
  "BEGIN IMMEDIATE",
  "COMMIT",
  "PRAGMA journal_mode = WAL",
  "SELECT count(*) FROM orders WHERE status = 'open' AND created_at > ?",
];

function run(seconds: number): number {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) {
      parse(MIX[i % MIX.length]);
      n++;
    }
  }
  return n / seconds;
}

run(1); // warm up
const rate = run(3);
const bytes = MIX.reduce((a, s) => a + s.length, 0) / MIX.length;
console.log(`strata parse: ${Math.round(rate).toLocaleString("en-US")} statements/s (mix of ${MIX.length}, mean ${Math.round(bytes)} chars)`);

try {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(":memory:");
  db.exec(`CREATE TABLE users(id INTEGER PRIMARY KEY, name, email, created_at, updated_at);
    CREATE TABLE sessions(expires); CREATE TABLE orders(id, user_id, status, created_at);
    CREATE TABLE t1(a, b, c); CREATE TABLE t2(x); CREATE TABLE t3(a, b, c); CREATE TABLE kv(k PRIMARY KEY, v);`);
  const prepMix = MIX.filter((s) => !/^(BEGIN|COMMIT|PRAGMA|CREATE)/.test(s));
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    for (let i = 0; i < 200; i++) {
      db.prepare(prepMix[i % prepMix.length]);
      n++;
    }
  }
  console.log(`better-sqlite3 prepare (parse+plan+codegen): ${Math.round(n / ((performance.now() - t0) / 1000)).toLocaleString("en-US")} statements/s`);
} catch {
  // better-sqlite3 not available: the Strata figure stands alone.
}
