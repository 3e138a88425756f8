/*
 * INDEXED BY and NOT INDEXED (lang_indexedby.html) vs SQLite 3.53: NOT INDEXED makes the
 * planner scan the table in rowid order even where an index would serve (visible in the
 * order group_concat sees rows), INDEXED BY names the only index a loop may use, and a
 * missing index is "no such index: x". Rows compared in order, with storage classes.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE t1(x INTEGER, y VARCHAR(8));
INSERT INTO t1 VALUES(1, 'true'), (0, 'false'), (2, 'two'), (2, 'deux'), (NULL, 'null');
CREATE INDEX t1i1 ON t1(x);
CREATE INDEX t1i2 ON t1(y)
`;

const QUERIES: string[] = [
  "SELECT group_concat(x) FROM t1 NOT INDEXED",
  "SELECT group_concat(DISTINCT x) FROM t1 NOT INDEXED",
  "SELECT group_concat(x, ':') FROM t1 NOT INDEXED WHERE x > 0",
  "SELECT x, y FROM t1 NOT INDEXED WHERE x = 2",
  "SELECT x, y FROM t1 INDEXED BY t1i1 WHERE x = 2 ORDER BY y",
  "SELECT group_concat(y) FROM t1 INDEXED BY t1i2 WHERE y > 'f'",
  "SELECT x FROM t1 INDEXED BY nosuch WHERE x = 1",
  "SELECT rowid, x FROM t1 NOT INDEXED WHERE rowid = 3",
];

describe("INDEXED BY / NOT INDEXED vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec(SETUP);
  afterAll(() => pair.close());
  for (const q of QUERIES) {
    it(q, () => {
      const [mine, theirs] = pair.both(q, false);
      expect(mine).toEqual(theirs);
    });
  }
});
