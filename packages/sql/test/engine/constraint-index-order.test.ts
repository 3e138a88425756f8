/*
 * The sort order of the indexes UNIQUE and PRIMARY KEY constraints make, against SQLite
 * 3.53: `UNIQUE(d DESC)` and a rowid table's `PRIMARY KEY(d DESC)` keep DESC (they were
 * built ASC, so a file written by one engine was out of order for the other); a UNIQUE
 * index that becomes a WITHOUT ROWID table's PRIMARY KEY keeps its own order. Each schema:
 * the index columns' order (PRAGMA index_xinfo), then rows, lookups, ordered scans and
 * integrity_check.
 */
import { describe, it } from "vitest";
import { withPair } from "./diff-helper.js";

const SCHEMAS = [
  "CREATE TABLE r(d INT, e, PRIMARY KEY(d DESC))",
  "CREATE TABLE r(d INT, e, UNIQUE(d DESC))",
  "CREATE TABLE r(d TEXT PRIMARY KEY DESC, e)",
  "CREATE TABLE r(d, e, UNIQUE(d DESC, e), UNIQUE(e DESC))",
  "CREATE TABLE r(d INT UNIQUE, e, PRIMARY KEY(d DESC)) WITHOUT ROWID",
  "CREATE TABLE r(d INT, e, UNIQUE(d, e), PRIMARY KEY(d DESC, e)) WITHOUT ROWID",
  "CREATE TABLE r(d INT PRIMARY KEY DESC, e, UNIQUE(d)) WITHOUT ROWID",
];

describe("constraint index sort order vs SQLite 3.53", () => {
  for (const schema of SCHEMAS) {
    it(schema, () => withPair((pair) => {
      pair.exec(schema);
      pair.exec("INSERT INTO r VALUES (2.5, 'b'), (2, 'a'), (3, 'c'), (-1, 'z'), ('x', 'y')");
      for (const q of [
        "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name",
        "SELECT * FROM r",
        "SELECT * FROM r ORDER BY d",
        "SELECT * FROM r ORDER BY d DESC",
        "SELECT e FROM r WHERE d = 2",
        "SELECT d FROM r WHERE d > 0 ORDER BY d",
        "PRAGMA integrity_check",
      ]) pair.expectSame(q);
      for (const ix of ["sqlite_autoindex_r_1", "sqlite_autoindex_r_2"]) pair.expectSame(`PRAGMA index_xinfo(${ix})`, ix);
    }));
  }
});
