// Corruption, handcrafted: each case damages a valid sqlite3-written database (page size
// 1024, the interop fixture: tables with overflow chains, indexes with NOCASE/RTRIM/DESC,
// a WITHOUT ROWID table, int64 rowids, a freelist) in one precise way, then runs the probe
// (support/probe.ts) in a worker thread with a time limit: open + schema, forward and
// backward scans and seeks of every tree, the pager's integrity checker, deletes and
// inserts that touch every leaf and drain the freelist, and scans after the write. Every step must either throw SqliteError with the case's code (SQLITE_CORRUPT;
// SQLITE_NOTADB for a header that is not a database's), or give exactly the undamaged
// file's answer; any other exception, a hang, or a different answer fails. Each case also
// names the steps that must detect the damage.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFixture, type Fixture } from "./support/sqlite-fixtures.js";
import { pageOf, rawWalk, schemaRoots, type RawDb, type RawPage } from "./support/strata-read.js";
import { ProbeRunner } from "./support/isolate.js";
import { type ProbePlan, type ProbeReport } from "./support/probe.js";
import { makePlan } from "./support/plan.js";

const PS = 1024;

interface Ctx {
  fx: Fixture;
  raw: RawDb;
  roots: Map<string, number>;
}

interface Case {
  name: string;
  /** Returns the damaged image (b is a private copy of the file). */
  damage: (b: Uint8Array, ctx: Ctx) => Uint8Array;
  /** Steps that must fail with `code` ("integrity" = the checker must report a problem). */
  mustFail: string[];
  code?: "SQLITE_CORRUPT" | "SQLITE_NOTADB";
  /** When set, the error of every mustFail step (but "integrity") has a matching detail:
   *  the check meant for this damage fired, not a later one. */
  detail?: RegExp;
}

const put2 = (b: Uint8Array, off: number, v: number) => {
  b[off] = (v >>> 8) & 255;
  b[off + 1] = v & 255;
};
const put4 = (b: Uint8Array, off: number, v: number) => {
  b[off] = v >>> 24;
  b[off + 1] = (v >>> 16) & 255;
  b[off + 2] = (v >>> 8) & 255;
  b[off + 3] = v & 255;
};
const get2 = (b: Uint8Array, off: number) => (b[off] << 8) | b[off + 1];
const get4 = (b: Uint8Array, off: number) => ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
const at = (pgno: number, off = 0) => (pgno - 1) * PS + off;

function pagesOf(ctx: Ctx, name: string): RawPage[] {
  const root = ctx.roots.get(name)!;
  const rootOf = (p: RawPage): number => (p.parent === 0 ? p.pgno : rootOf(ctx.raw.treePages.get(p.parent)!));
  return [...ctx.raw.treePages.values()].filter((p) => rootOf(p) === root);
}
/** A non-root leaf of tree `name` with at least `minCells` cells. */
function leafOf(ctx: Ctx, name: string, minCells = 1, pred: (p: RawPage) => boolean = () => true): RawPage {
  const p = pagesOf(ctx, name).find((p) => (p.type === 13 || p.type === 10) && p.parent !== 0 && p.nCell >= minCells && pred(p));
  if (!p) throw new Error(`fixture has no suitable leaf in ${name}`);
  return p;
}
function interiorOf(ctx: Ctx, name: string): RawPage {
  const ps = pagesOf(ctx, name).filter((p) => p.type === 5 || p.type === 2);
  if (ps.length === 0) throw new Error(`fixture has no interior page in ${name}`);
  // Prefer a non-root interior page (its child pointing at the root is a real cycle).
  return ps.find((p) => p.parent !== 0) ?? ps[0];
}
function longestChain(ctx: Ctx, name: string) {
  let best: { page: RawPage; cell: RawPage["cells"][number] } | null = null;
  for (const p of pagesOf(ctx, name)) for (const c of p.cells) if (!best || c.ovfl.length > best.cell.ovfl.length) best = { page: p, cell: c };
  if (!best || best.cell.ovfl.length < 3) throw new Error("fixture has no overflow chain of 3+ pages");
  return best;
}
function withFreeblock(ctx: Ctx, name: string): RawPage {
  return leafOf(ctx, name, 8, (p) => get2(pageOf(ctx.raw, p.pgno), p.hdrOff + 1) !== 0);
}
const T_READS = ["scan-fwd:t", "scan-back:t"];

const CASES: Case[] = [
  { name: "file truncated mid-page (header size kept)", damage: (b) => b.slice(0, b.length - PS / 2), mustFail: ["open"] },
  { name: "file truncated at a page boundary (header size kept)", damage: (b) => b.slice(0, b.length - 3 * PS), mustFail: ["open"] },
  {
    name: "truncated at a page boundary, in-header size not trusted: t's pages referenced beyond the end",
    damage: (b, ctx) => {
      put4(b, 92, get4(b, 24) + 1); // version-valid-for != change counter: the file size decides
      const maxT = Math.max(...pagesOf(ctx, "t").map((p) => p.pgno));
      return b.slice(0, (maxT - 1) * PS);
    },
    mustFail: [...T_READS, "integrity"],
  },
  {
    // The longest chain of table t (the probe scans t, so the cycle is met): ovfl[1] -> ovfl[0].
    name: "cycle in an overflow chain of t",
    damage: (b, ctx) => {
      const { cell } = longestChain(ctx, "t");
      put4(b, at(cell.ovfl[1]), cell.ovfl[0]);
      return b;
    },
    mustFail: [...T_READS, "integrity"],
    detail: /cycle in an overflow chain/,
  },
  {
    name: "overflow page number beyond the file",
    damage: (b, ctx) => {
      const { page, cell } = longestChain(ctx, "t");
      put4(b, at(page.pgno, cell.payloadOff + cell.nLocal), ctx.raw.nPage + 10);
      return b;
    },
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "overflow page number 0 in the middle of a chain",
    damage: (b, ctx) => {
      const { cell } = longestChain(ctx, "t");
      put4(b, at(cell.ovfl[0]), 0);
      return b;
    },
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "cycle in the freelist trunk chain",
    damage: (b, ctx) => {
      const trunks = ctx.raw.freelistTrunks;
      put4(b, at(trunks[trunks.length - 1]), trunks[0]);
      return b;
    },
    mustFail: ["integrity"],
  },
  { name: "freelist count too large", damage: (b) => (put4(b, 36, get4(b, 36) + 7), b), mustFail: ["integrity"] },
  { name: "freelist count too small", damage: (b) => (put4(b, 36, get4(b, 36) - 7), b), mustFail: ["integrity"] },
  {
    name: "freelist trunk pointing past the end of the file",
    damage: (b, ctx) => (put4(b, 32, ctx.raw.nPage + 3), b),
    mustFail: ["integrity", "write"],
  },
  {
    name: "cell offset pointing into the page header",
    damage: (b, ctx) => (put2(b, at(leafOf(ctx, "t").pgno, 8), 3), b),
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "cell offset pointing past the page end",
    damage: (b, ctx) => (put2(b, at(leafOf(ctx, "t").pgno, 8), 0xfff0), b),
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "cell offset in the last 3 bytes of the page",
    damage: (b, ctx) => (put2(b, at(leafOf(ctx, "t").pgno, 8), PS - 2), b),
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "cell whose payload size runs past the page",
    damage: (b, ctx) => {
      // A junk row with a 2-byte payload-size varint, all local: make it claim maxLocal bytes.
      const leaf = leafOf(ctx, "junk", 1, (p) => p.cells.some((c) => c.nPayload >= 128 && c.nLocal === c.nPayload));
      const cell = leaf.cells.find((c) => c.nPayload >= 128 && c.nLocal === c.nPayload)!;
      const maxLocal = PS - 35;
      b[at(leaf.pgno, cell.off)] = 0x80 | (maxLocal >>> 7);
      b[at(leaf.pgno, cell.off + 1)] = maxLocal & 0x7f;
      return b;
    },
    mustFail: ["scan-fwd:junk", "scan-back:junk", "integrity"],
  },
  {
    name: "wrong page type byte: an index leaf inside a table tree",
    damage: (b, ctx) => ((b[at(leafOf(ctx, "t").pgno)] = 10), b),
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "wrong page type byte: not a b-tree page type",
    damage: (b, ctx) => ((b[at(leafOf(ctx, "t_bad").pgno)] = 7), b),
    mustFail: ["scan-fwd:t_bad", "scan-back:t_bad", "integrity"],
  },
  {
    name: "wrong page type byte: a table leaf inside an index tree",
    damage: (b, ctx) => ((b[at(leafOf(ctx, "w").pgno)] = 13), b),
    mustFail: ["scan-fwd:w", "scan-back:w", "integrity"],
  },
  {
    name: "child pointer to an ancestor (a tree cycle)",
    damage: (b, ctx) => {
      const p = interiorOf(ctx, "t");
      const ancestor = p.parent !== 0 ? p.parent : p.pgno;
      put4(b, at(p.pgno, p.cells[0].off), ancestor);
      return b;
    },
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "right-child pointer to its own page",
    damage: (b, ctx) => {
      const p = interiorOf(ctx, "t_bad");
      put4(b, at(p.pgno, p.hdrOff + 8), p.pgno);
      return b;
    },
    mustFail: ["scan-fwd:t_bad", "scan-back:t_bad", "integrity"],
  },
  {
    name: "child pointer to page 0",
    damage: (b, ctx) => {
      const p = interiorOf(ctx, "t");
      put4(b, at(p.pgno, p.cells[0].off), 0);
      return b;
    },
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "child pointer past the end of the file",
    damage: (b, ctx) => {
      const p = interiorOf(ctx, "t");
      put4(b, at(p.pgno, p.hdrOff + 8), ctx.raw.nPage + 100);
      return b;
    },
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "cell count 65535",
    damage: (b, ctx) => (put2(b, at(leafOf(ctx, "t").pgno, 3), 0xffff), b),
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "cell count so large the pointer array runs into the cell content",
    damage: (b, ctx) => {
      const p = leafOf(ctx, "t");
      const top = get2(b, at(p.pgno, 5));
      put2(b, at(p.pgno, 3), Math.floor((top - 8) / 2) + 1);
      return b;
    },
    mustFail: [...T_READS, "integrity"],
  },
  {
    name: "first freeblock offset inside the page header",
    damage: (b, ctx) => (put2(b, at(withFreeblock(ctx, "t").pgno, 1), 5), b),
    mustFail: ["integrity", "write"],
  },
  {
    name: "first freeblock offset past the page end",
    damage: (b, ctx) => (put2(b, at(withFreeblock(ctx, "t").pgno, 1), PS - 2), b),
    mustFail: ["integrity", "write"],
  },
  {
    name: "freeblock chain loop",
    damage: (b, ctx) => {
      const p = withFreeblock(ctx, "t");
      const fb = get2(b, at(p.pgno, 1));
      put2(b, at(p.pgno, fb), fb);
      return b;
    },
    mustFail: ["integrity", "write"],
  },
  {
    name: "page size field not a power of two",
    damage: (b) => (put2(b, 16, 1000), b),
    mustFail: ["open"],
    code: "SQLITE_NOTADB",
  },
  {
    name: "bad header magic",
    damage: (b) => ((b[0] = 0x58), b),
    mustFail: ["open"],
    code: "SQLITE_NOTADB",
  },
];

describe("handcrafted corruption of a sqlite3-written file", () => {
  let ctx: Ctx;
  let plan: ProbePlan;
  let runner: ProbeRunner;
  let pristine: ProbeReport;

  beforeAll(async () => {
    const fx = buildFixture({ pageSize: PS, seed: 4242, rows: 300, bigFraction: 0.08 });
    const schema = schemaRoots(fx.bytes);
    const roots = new Map(schema.map((s) => [s.name, s.rootpage]));
    ctx = { fx, raw: rawWalk(fx.bytes, [...roots.values()]), roots };
    plan = makePlan(fx, true);
    runner = await ProbeRunner.start();
    const r = await runner.run(fx.bytes, plan, 20_000);
    if (r.timedOut) throw new Error("the undamaged file timed out");
    pristine = r.report;
  });
  afterAll(async () => {
    await runner?.stop();
  });

  it("the undamaged file passes every step", () => {
    for (const [step, o] of Object.entries(pristine.steps)) expect(o, step).toMatchObject({ ok: true });
    expect(pristine.steps["write"]).toMatchObject({ ok: true });
    expect(pristine.steps["integrity"]).toEqual({ ok: true, digest: "ok" });
    expect(ctx.raw.freelistTrunks.length).toBeGreaterThan(0);
  });

  it.each(CASES)("$name", async (c) => {
    const damaged = c.damage(ctx.fx.bytes.slice(), ctx);
    const r = await runner.run(damaged, plan, 5000);
    expect(r.timedOut, "the probe hung").toBe(false);
    if (r.timedOut) return;
    const code = c.code ?? "SQLITE_CORRUPT";
    const steps = r.report.steps;
    for (const [step, o] of Object.entries(steps)) {
      if (step === "integrity") continue;
      if (o.ok) {
        const want = pristine.steps[step];
        expect(want, `step ${step} exists for the undamaged file`).toBeDefined();
        if (step === "open") continue; // the page count may differ (truncation); the schema is checked by scans
        expect(o.digest === (want as { digest: string }).digest, `step ${step}: a wrong answer`).toBe(true);
      } else {
        expect({ step, code: o.code, name: o.name, message: o.message }, o.detail).toMatchObject({ code });
      }
    }
    for (const step of c.mustFail) {
      if (step === "integrity") {
        if (steps["open"]?.ok === false) continue; // nothing opened, nothing to check
        const o = steps["integrity"];
        expect(o.ok ? o.digest : o.code, "the integrity checker notices").toBe(o.ok ? "problems" : code);
        continue;
      }
      const o = steps[step];
      expect(o, `step ${step} ran`).toBeDefined();
      expect(o.ok ? `answered` : o.code, `step ${step} must detect the damage`).toBe(code);
      if (c.detail && !o.ok) expect(o.detail, `step ${step}: the error's detail`).toMatch(c.detail);
    }
  });
});
