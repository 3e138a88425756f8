// Rowids through cells: every int64, with the edges where the representation changes
// (safe integers, -2^53 and 2^53 just outside them, 2^56 where varints take 9 bytes, the
// int64 limits), is written into table cells through @strata/common's varint, read back
// exactly (rowidBig, rowid as a number only when safe), found by seekBig, and scanned in
// signed order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openMem } from "./helpers.js";

const EDGES: bigint[] = [];
for (const e of [0n, 1n << 7n, 1n << 14n, 1n << 32n, 1n << 49n, 1n << 53n, 1n << 56n, 1n << 63n]) {
  for (const d of [-2n, -1n, 0n, 1n]) for (const s of [1n, -1n]) EDGES.push(BigInt.asIntN(64, s * (e + d)));
}

const int64 = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 2, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 54n), max: 1n << 54n }) },
);

describe("rowids of every int64 round-trip through table cells", () => {
  it("insertBig / seekBig / rowidBig / scan order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(int64, { minLength: 1, maxLength: 300 }), (keys) => {
        const { pager, bt } = openMem({ pageSize: 512 });
        pager.beginWrite();
        const root = bt.createTree("table");
        const c = bt.tableCursor(root, true);
        for (const k of keys) c.insertBig(k, new Uint8Array([Number(BigInt.asUintN(8, k))]));
        for (const k of keys) {
          expect(c.seekBig(k)).toBe(0);
          expect(c.rowidBig()).toBe(k);
          const safe = k >= BigInt(Number.MIN_SAFE_INTEGER) && k <= BigInt(Number.MAX_SAFE_INTEGER);
          expect(c.rowidIsSafe()).toBe(safe);
          if (safe) expect(c.rowid()).toBe(Number(k));
          else expect(c.rowid()).toBeNaN();
          expect(c.payload()[0]).toBe(Number(BigInt.asUintN(8, k)));
        }
        const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const seen: bigint[] = [];
        if (c.first()) do seen.push(c.rowidBig());
        while (c.next());
        expect(seen).toEqual(sorted);
        c.close();
        pager.rollback();
      }),
      { numRuns: 150, seed: 0x5eed },
    );
  });
});
