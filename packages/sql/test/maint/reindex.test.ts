// REINDEX (codegen/reindex.ts): differential against SQLite 3.53 for the statement forms
// and their errors, and checks that the index B-trees really are rebuilt (a collation
// redefined after the index was built: REINDEX puts the keys back in the new order, and
// a UNIQUE index that now sees duplicates fails as SQLite does).
import { describe, expect, it } from "vitest";
import { recordComparator } from "@strata/pager";
import type { Connection } from "../../src/engine/connection.js";
import { Pair } from "../engine/diff-helper.js";
import { openMemory, runStrata } from "../engine/support.js";

/** The first column (TEXT) of every key of index `name`, in B-tree order. */
function indexTexts(conn: Connection, name: string): string[] {
  const ix = conn.schema.index(name)!;
  conn.pager.beginRead();
  try {
    const c = conn.btree.indexCursor(ix.root, recordComparator(ix.keyInfo));
    const out: string[] = [];
    for (let ok = c.first(); ok; ok = c.next()) {
      const k = c.key();
      // Record header: size byte, serial types; texts here are short (one-byte serial types).
      const hdr = k[0];
      const st = k[1];
      out.push(Buffer.from(k.subarray(hdr, hdr + (st - 13) / 2)).toString("utf8"));
    }
    c.close();
    return out;
  } finally {
    conn.pager.endRead();
  }
}

describe("REINDEX", () => {
  it("matches SQLite for every form and error", () => {
    const pair = new Pair();
    pair.exec(`CREATE TABLE t1(x INTEGER, y VARCHAR(8) UNIQUE); CREATE TABLE t2(a TEXT COLLATE NOCASE, b);
      INSERT INTO t1 VALUES(1,'true'),(0,'false'),(NULL,'NULL');
      INSERT INTO t2 VALUES('b',1),('A',2),('a',3),(NULL,4);
      CREATE INDEX t1i1 ON t1(x); CREATE INDEX t2a ON t2(a); CREATE INDEX t2ba ON t2(b, a COLLATE RTRIM) WHERE b > 1`);
    const stmts = [
      "REINDEX", "REINDEX t1i1", "REINDEX tXiX", "REINDEX t1", "REINDEX main.t2", "REINDEX main.t2ba",
      "REINDEX nocase", "REINDEX rtrim", "REINDEX binary", "REINDEX main.nocase", "REINDEX aux.t1",
      "SELECT x FROM t1 WHERE x >= 0 ORDER BY x", "SELECT y FROM t1 WHERE y = 'NULL'",
      "SELECT a, b FROM t2 WHERE a = 'A' ORDER BY b", "SELECT b FROM t2 WHERE b > 1 ORDER BY b, a",
    ];
    for (const s of stmts) {
      const [a, b] = pair.both(s);
      expect(a, s).toEqual(b);
    }
    pair.close();
  });

  it("rebuilds an index in its collation's current order", () => {
    const conn = openMemory();
    conn.createCollation("rev", (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    conn.exec("CREATE TABLE t(x TEXT COLLATE rev, y); CREATE INDEX tx ON t(x); CREATE INDEX ty ON t(y);");
    conn.exec("INSERT INTO t VALUES('b',1),('d',2),('a',3),('c',4)");
    expect(indexTexts(conn, "tx")).toEqual(["a", "b", "c", "d"]);
    conn.createCollation("rev", (a, b) => (a < b ? 1 : a > b ? -1 : 0));
    // A collation name wins over a table of the same name (lang_reindex.html).
    conn.exec("CREATE TABLE rev(z)");
    conn.exec("REINDEX rev");
    expect(indexTexts(conn, "tx")).toEqual(["d", "c", "b", "a"]);
    conn.createCollation("rev", (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    conn.exec("REINDEX t");
    expect(indexTexts(conn, "tx")).toEqual(["a", "b", "c", "d"]);
    conn.close();
  });

  it("fails with SQLite's UNIQUE message when the rebuilt UNIQUE index has duplicates, undoing the rebuild", () => {
    const conn = openMemory();
    conn.createCollation("c1", (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    conn.exec("CREATE TABLE t(x TEXT COLLATE c1 UNIQUE); INSERT INTO t VALUES('b'),('a'),('B')");
    conn.createCollation("c1", (a, b) => { const x = a.toLowerCase(), y = b.toLowerCase(); return x < y ? -1 : x > y ? 1 : 0; });
    expect(runStrata(conn, "REINDEX c1")).toEqual({ error: "SQLITE_CONSTRAINT_UNIQUE", message: "UNIQUE constraint failed: t.x" });
    expect(indexTexts(conn, "sqlite_autoindex_t_1")).toEqual(["B", "a", "b"]);
    conn.close();
  });
});
