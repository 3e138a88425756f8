/*
 * CREATE TABLE ... AS SELECT vs SQLite 3.53: column names, declared types (from
 * affinities), the CREATE TABLE text SQLite writes into sqlite_schema, and the rows.
 */
import { describe, it } from "vitest";
import { scripts } from "./support.js";

const BASE = [
  "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d VARCHAR(10), e BLOB, f, g NUMERIC, h BOOLEAN)",
  "INSERT INTO t VALUES(1, 'x', 1.5, 'd1', x'01', 7, '12', 1), (2, '20', 2, 'd2', NULL, 'f', 3.0, 0), (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
];

describe("CREATE TABLE AS SELECT vs SQLite 3.53", () => {
  scripts({
    "column types from a table": [...BASE,
      "CREATE TABLE c1 AS SELECT * FROM t",
      "CREATE TABLE c2 AS SELECT a, b AS bb, c + 1, d || 'x', e, f, g, h, rowid, t.rowid AS r FROM t",
      "CREATE TABLE c3 AS SELECT CAST(b AS INTEGER) AS i, CAST(c AS TEXT) t2, CAST(f AS NUMERIC), CAST(f AS REAL), CAST(f AS BLOB), CAST(f AS x) FROM t",
      "CREATE TABLE c4 AS SELECT 1, 'a', x'00', NULL, 1.5, -1, +b, b COLLATE nocase, (SELECT c FROM t LIMIT 1) AS sub FROM t",
      "CREATE TABLE c5 AS SELECT count(*), max(a), sum(c) FROM t",
      "CREATE TABLE c6 AS SELECT likely(b), unlikely(t.c), t.d COLLATE binary, ROWID, _rowid_, oid FROM t",
      "CREATE TABLE c7 AS SELECT x.rowid, y.* FROM t AS x JOIN t AS y USING (a)",
      "CREATE TABLE c8 AS SELECT a, b FROM t UNION SELECT a, b FROM t ORDER BY 2",
    ],
    "names: duplicates, quoting, keywords, long lists": [...BASE,
      "CREATE TABLE d1 AS SELECT a, a, a, b AS a, b AS \"a:1\" FROM t",
      "CREATE TABLE \"my table\" AS SELECT a AS \"x y\", b AS \"q\"\"uote\", c AS \"select\", d AS \"1abc\", e AS key, f AS _u, g AS \"é\" FROM t",
      "CREATE TABLE [order] AS SELECT a AS abort, b AS [group] FROM t",
      "CREATE TABLE long_named_table_for_the_newline_rule AS SELECT a AS aaaaaaaaaa, b AS bbbbbbbbbbbb FROM t",
      "CREATE TABLE shorter AS SELECT a AS x, b AS y FROM t",
      "CREATE TABLE edge49 AS SELECT a AS aaaaaaaaaaaaaaaaaaaaaaaaa, b AS bbbbbb FROM t",
      "CREATE TABLE edge50 AS SELECT a AS aaaaaaaaaaaaaaaaaaaaaaaaaa, b AS bbbbbb FROM t",
    ],
    "compound selects and VALUES": [...BASE,
      "CREATE TABLE u1 AS SELECT b FROM t UNION ALL SELECT 1",
      "CREATE TABLE u2 AS SELECT c FROM t UNION ALL SELECT 'x'",
      "CREATE TABLE u3 AS SELECT NULL UNION ALL SELECT c FROM t",
      "CREATE TABLE u4 AS SELECT 1 UNION SELECT b FROM t",
      "CREATE TABLE u5 AS SELECT CAST(f AS INT) FROM t UNION ALL SELECT a FROM t",
      "CREATE TABLE u6 AS SELECT a FROM t UNION ALL SELECT NULL UNION ALL SELECT x'00'",
      "CREATE TABLE u7 AS SELECT b FROM t UNION ALL SELECT CASE WHEN a THEN 1 ELSE 'x' END FROM t",
      "CREATE TABLE v1 AS VALUES(1, 'a', NULL), (2.5, x'01', 3)",
      "CREATE TABLE w1 AS WITH q(x) AS (SELECT a FROM t) SELECT x, x * 2 FROM q",
      "CREATE TABLE e1 AS SELECT * FROM t WHERE 0",
    ],
    "errors and IF NOT EXISTS": [...BASE,
      "CREATE TABLE t AS SELECT 1",
      "CREATE TABLE IF NOT EXISTS t AS SELECT 1",
      "CREATE TABLE sqlite_x AS SELECT 1",
      "CREATE TABLE n1 AS SELECT * FROM nosuch",
      "CREATE TABLE n2 AS SELECT *",
      "CREATE TABLE n3 AS SELECT zz FROM t",
      "CREATE TABLE n4 AS SELECT * FROM t ORDER BY a DESC LIMIT 2",
      "INSERT INTO n4 VALUES(9, 9, 9, 9, 9, 9, 9, 9)",
      "SELECT * FROM n4",
    ],
    "in a transaction, rolled back": [...BASE,
      "BEGIN",
      "CREATE TABLE r1 AS SELECT * FROM t",
      "ROLLBACK",
      "CREATE TABLE r1 AS SELECT a FROM t",
    ],
  }, it);
});
