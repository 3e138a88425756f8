// The wal-index against a model: a plain array of frame -> pgno searched backwards.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { WalIndex } from "../src/index.js";

function modelFind(frames: number[], pgno: number, mx: number): number {
  for (let f = Math.min(mx, frames.length); f >= 1; f--) if (frames[f - 1] === pgno) return f;
  return 0;
}

describe("WalIndex", () => {
  it("find(pgno, mxFrame) is the newest frame <= mxFrame holding pgno, through appends and truncates", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("append" as const), pgno: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant("truncate" as const), to: fc.nat(60) }),
      fc.record({ kind: fc.constant("bulk" as const), n: fc.integer({ min: 1, max: 3000 }), mod: fc.integer({ min: 1, max: 5000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const idx = new WalIndex();
        let frames: number[] = [];
        for (const o of ops) {
          if (o.kind === "append") {
            frames.push(o.pgno);
            expect(idx.append(o.pgno)).toBe(frames.length);
          } else if (o.kind === "bulk") {
            for (let i = 0; i < o.n; i++) {
              const p = 1 + ((i * 7919) % o.mod);
              frames.push(p);
              idx.append(p);
            }
          } else {
            const to = Math.min(o.to, frames.length);
            idx.truncate(to);
            frames = frames.slice(0, to);
          }
          expect(idx.nFrame).toBe(frames.length);
        }
        const pgnos = new Set(frames.slice(-50));
        pgnos.add(41);
        for (const p of pgnos) {
          for (const mx of [0, 1, Math.floor(frames.length / 2), frames.length - 1, frames.length]) {
            expect(idx.find(p, mx)).toBe(modelFind(frames, p, mx));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("pagesIn lists each page once with its newest frame in the range, in pgno order", () => {
    const idx = new WalIndex();
    for (const p of [5, 3, 5, 9, 3, 1]) idx.append(p);
    const seen: [number, number][] = [];
    idx.pagesIn(1, 5, (p, f) => seen.push([p, f]));
    expect(seen).toEqual([[3, 5], [5, 3], [9, 4]]);
  });
});
