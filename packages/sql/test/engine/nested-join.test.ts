/*
 * Parenthesised join lists in FROM vs SQLite 3.53: a list of inner joins without NATURAL or
 * USING, inner-joined to what precedes it, means the same as its members written inline
 * (codegen/from.ts flattenInto). Rows compared as multisets unless ordered.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Pair } from "./diff-helper.js";

const SETUP = `
CREATE TABLE tab1(col0 INTEGER, col1 INTEGER, col2 INTEGER);
INSERT INTO tab1 VALUES(51, 14, 96), (85, 5, 59), (91, 47, 68);
CREATE TABLE tab2(col0 INTEGER, col1 INTEGER, col2 INTEGER);
INSERT INTO tab2 VALUES(64, 77, 40), (75, 67, 58), (46, 51, 23)
`;

const QUERIES: string[] = [
  "SELECT ALL + 99 FROM ( tab1 AS cor0 CROSS JOIN tab1 AS cor1 )",
  "SELECT DISTINCT * FROM ( tab1 cor0 CROSS JOIN tab1 )",
  "SELECT cor0.col0, cor1.col1 FROM ( tab1 AS cor0 JOIN tab2 AS cor1 ON cor0.col0 > cor1.col0 ) ORDER BY 1, 2",
  "SELECT count(*) FROM tab2, ( tab1 AS a CROSS JOIN tab1 AS b ) WHERE a.col0 = b.col0",
  "SELECT * FROM ( tab1 AS a, tab2 AS b ) CROSS JOIN tab1 AS c WHERE c.col1 = a.col1 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
];

describe("parenthesised inner joins vs SQLite 3.53", () => {
  const pair = new Pair();
  pair.exec(SETUP);
  afterAll(() => pair.close());
  for (const q of QUERIES) {
    it(q, () => {
      const [mine, theirs] = pair.both(q, !q.includes("ORDER BY"));
      expect(mine).toEqual(theirs);
    });
  }
});
