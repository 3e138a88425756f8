import { describe, expect, it } from "vitest";
import { SqliteError } from "@strata/common";
import { parse, printExpr, printStatement, type Expr, type SelectStmt } from "../src/index.js";

function expr(text: string): Expr {
  const s = parse(`SELECT ${text}`)[0] as SelectStmt;
  if (s.first.kind !== "selectCore" || s.first.columns[0].kind !== "resultExpr") throw new Error("not an expression");
  return s.first.columns[0].expr;
}
const grouped = (text: string) => printExpr(expr(text), { fullParens: true });

describe("precedence and associativity (SQLite's table)", () => {
  const cases: [string, string][] = [
    ["1 + 2 * 3", "1 + (2 * 3)"],
    ["1 - 2 - 3", "(1 - 2) - 3"],
    ["a OR b AND c", "a OR (b AND c)"],
    ["NOT a = b", "NOT (a = b)"],
    ["NOT a AND b", "(NOT a) AND b"],
    ["a = NOT b = c", "a = (NOT (b = c))"],
    ["a < b = c", "(a < b) = c"],
    ["a = b < c", "a = (b < c)"],
    ["a || b COLLATE x", "a || (b COLLATE x)"],
    ["-a COLLATE x", "(-a) COLLATE x"],
    ["a & b + c", "a & (b + c)"],
    ["a -> b || c", "(a -> b) || c"],
    ["a BETWEEN 1 AND 2 AND 3", "(a BETWEEN 1 AND 2) AND 3"],
    ["a BETWEEN b + 1 AND c = d", "(a BETWEEN (b + 1) AND c) = d"],
    ["a LIKE b ESCAPE c = d", "(a LIKE b ESCAPE c) = d"],
    ["a NOT LIKE b || c", "a NOT LIKE (b || c)"],
    ["a IS NOT NULL AND b", "(a IS NOT NULL) AND b"],
    ["a = b ISNULL", "(a = b) ISNULL"],
    ["a + b NOT NULL", "(a + b) NOT NULL"],
    ["a IN (1) = b", "(a IN (1)) = b"],
    ["a AND b NOT IN (1)", "a AND (b NOT IN (1))"],
    ["- - a", "-(-a)"],
    ["~a * b", "(~a) * b"],
    ["a IS DISTINCT FROM b = c", "(a IS DISTINCT FROM b) = c"],
  ];
  it.each(cases)("%s  groups as  %s", (text, want) => expect(grouped(text)).toBe(want));
});

describe("statement families", () => {
  it("keeps each statement's source span", () => {
    const sql = "  CREATE TABLE t(a, b) ;\nSELECT 1;;  PRAGMA x  ";
    const [a, b, c] = parse(sql);
    expect(sql.slice(a.start, a.end)).toBe("CREATE TABLE t(a, b)");
    expect(sql.slice(b.start, b.end)).toBe("SELECT 1");
    expect(sql.slice(c.start, c.end)).toBe("PRAGMA x");
    expect(parse("  ;; ")).toEqual([]);
  });

  it("builds the SELECT AST", () => {
    const s = parse("WITH c AS (SELECT 1) SELECT DISTINCT a AS x, t.* FROM t LEFT JOIN u USING (id) WHERE a > 1 GROUP BY a HAVING count(*) > 1 ORDER BY 1 DESC NULLS LAST LIMIT 2, 3")[0] as SelectStmt;
    expect(s.with?.ctes[0].name).toBe("c");
    expect(s.first.kind).toBe("selectCore");
    if (s.first.kind !== "selectCore") return;
    expect(s.first.distinct).toBe("DISTINCT");
    expect(s.first.columns.map((c) => c.kind)).toEqual(["resultExpr", "resultStar"]);
    expect(s.first.from?.joins[0]).toMatchObject({ operator: { natural: false, type: "LEFT", outer: false }, using: ["id"] });
    expect(s.orderBy?.[0]).toMatchObject({ direction: "DESC", nulls: "LAST" });
    expect(s.limit?.count).toMatchObject({ value: "3" });
    expect(s.limit?.offset).toMatchObject({ value: "2" });
  });

  it("builds DML, DDL and utility statements", () => {
    const kinds = parse(`
      INSERT OR IGNORE INTO t(a) VALUES (1) ON CONFLICT (a) DO NOTHING RETURNING *;
      UPDATE t SET a = 1 FROM u WHERE t.id = u.id RETURNING a ORDER BY a LIMIT 1;
      DELETE FROM t WHERE a = 1 RETURNING *;
      CREATE TABLE t2(a INTEGER PRIMARY KEY AUTOINCREMENT, b AS (a * 2) STORED) STRICT;
      CREATE UNIQUE INDEX i ON t(a) WHERE a > 0;
      CREATE VIEW v AS SELECT 1;
      CREATE TRIGGER tr BEFORE UPDATE OF a ON t WHEN new.a > 0 BEGIN SELECT RAISE(ABORT, 'x'); END;
      CREATE VIRTUAL TABLE f USING fts5(a, b);
      DROP TABLE IF EXISTS t2; ALTER TABLE t ADD COLUMN c; BEGIN CONCURRENT; COMMIT; ROLLBACK TO s; SAVEPOINT s; RELEASE s;
      PRAGMA main.cache_size = -2000; ATTACH 'x.db' AS x; DETACH x; ANALYZE; VACUUM INTO 'y.db'; REINDEX; EXPLAIN QUERY PLAN SELECT 1
    `).map((s) => s.kind);
    expect(kinds).toEqual([
      "insert", "update", "delete", "createTable", "createIndex", "createView", "createTrigger", "createVirtualTable", "drop",
      "alterTable", "begin", "commit", "rollback", "savepoint", "release", "pragma", "attach", "detach", "analyze", "vacuum",
      "reindex", "explain",
    ]);
  });

  it("prints canonical SQL", () => {
    expect(printStatement(parse("select a from t left outer join u on 1 limit 1,2")[0])).toBe(
      "SELECT a FROM t LEFT OUTER JOIN u ON 1 LIMIT 2 OFFSET 1",
    );
    expect(printStatement(parse("create table t(\"select\" text, [a b] int)")[0])).toBe('CREATE TABLE t ("select" text, "a b" int)');
  });

  it("throws SqliteError SQLITE_ERROR with SQLite's wording", () => {
    const err = (sql: string) => {
      try {
        parse(sql);
      } catch (e) {
        expect(e).toBeInstanceOf(SqliteError);
        expect((e as SqliteError).code).toBe("SQLITE_ERROR");
        return (e as Error).message;
      }
      return null;
    };
    expect(err("SELECT * FORM t")).toBe('near "FORM": syntax error');
    expect(err("SELECT 1 +")).toBe("incomplete input");
    expect(err("SELECT 1e5x")).toBe('unrecognized token: "1e5x"');
    expect(err("SELECT 1; SELEC 2")).toBe('near "SELEC": syntax error');
    expect(err("SELECT 1 FROM t WHERE a = 1 ^ 2")).toBe('unrecognized token: "^"');
    expect(err("SELECT FROM ^")).toBe('near "FROM": syntax error');
    expect(err("SELECT (((((((((((1" + ")".repeat(11))).toBeNull();
    // Parentheses make no node (SQLite accepts 1200 of them); a chain of 1001 terms is too tall.
    expect(err("SELECT " + "(".repeat(1200) + "1" + ")".repeat(1200))).toBeNull();
    expect(err("SELECT " + Array(1001).fill("1").join("+"))).toBe("Expression tree is too large (maximum depth 1000)");
  });

  it("refuses a schema-qualified target in a trigger step, as SQLite does when the step ends", () => {
    const msg = "qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers";
    const head = "CREATE TRIGGER r AFTER INSERT ON t BEGIN ";
    expect(() => parse(head + "UPDATE main.t SET a = 1; END")).toThrow(msg);
    expect(() => parse(head + "DELETE FROM main.t AS x; END")).toThrow(msg);
    expect(() => parse(head + "INSERT INTO main.t AS x VALUES (1); END")).toThrow(msg);
    expect(() => parse(head + "DELETE FROM main.t")).toThrow(msg);
    // a syntax error before the step's end is reported first
    expect(() => parse(head + "DELETE FROM main.t ) END")).toThrow('near ")": syntax error');
    expect(() => parse(head + "UPDATE main.t INDEXED BY i SET a = 1; END")).toThrow("the INDEXED BY clause is not allowed");
    // outside a trigger, and for the trigger's own table, a schema is fine
    expect(parse("CREATE TRIGGER main.r AFTER INSERT ON main.t BEGIN UPDATE t AS x SET a = 1; END")).toHaveLength(1);
    expect(parse("UPDATE main.t SET a = 1")).toHaveLength(1);
  });
});
