// Corruption, fuzzed (fast-check, seeded): random byte flips (1-4 bytes XORed with a random
// non-zero mask) and truncations of a valid multi-page sqlite3-written database (page size
// 512: tables with overflow chains, NOCASE/RTRIM/DESC indexes, WITHOUT ROWID, int64 rowids,
// a freelist). Each damaged image goes through the read probe (open + schema, forward and
// backward scans and seeks of every tree, the pager's integrity checker when exported) in a
// worker thread with a time limit.
//
// What each read step may do (exactly):
//  - throw SqliteError with code SQLITE_CORRUPT, or SQLITE_NOTADB from "open";
//  - return exactly what it returns on the undamaged file;
//  - return something else ONLY when the difference comes from flipped bytes a reader takes as
//    data without any redundancy to check them against, the same bytes SQLite itself
//    cannot tell are wrong: inside a cell on a b-tree page (its payload, size and rowid
//    varints, child pointer, overflow pointer), in the cell pointer array, in the cell
//    count or right-child pointer of a b-tree page header, anywhere in an overflow page,
//    or in the header's text encoding (offset 56..59, which changes how text decodes).
//    (A changed cell pointer, cell count or child pointer can make a scan return other
//    cells of the same tree; SQLite's own scans do the same unless cell_size_check is on.)
//    With several flips, the flips outside those bytes are applied again alone and must then
//    give no different answer.
// Flips anywhere else (other header bytes, unused space and freeblocks of b-tree pages,
// freelist trunk and leaf pages) and every truncation must give the undamaged answer or
// the error. Any other exception (RangeError, TypeError, stack overflow), a hang, or a
// worker crash fails the property. The integrity checker must report a
// problem whenever another step threw the pager's own SQLITE_CORRUPT (not a malformed record
// found by @strata/common's record decoder, which the pager's checker does not decode).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildFixture, type Fixture } from "./support/sqlite-fixtures.js";
import { rawWalk, schemaRoots, type RawDb } from "./support/strata-read.js";
import { ProbeRunner } from "./support/isolate.js";
import { type ProbePlan, type ProbeReport } from "./support/probe.js";
import { makePlan } from "./support/plan.js";

const PS = 512;

/** True when byte `off` of the file is one whose change a reader cannot detect (see above). */
function isDataByte(raw: RawDb, off: number): boolean {
  if (off >= 56 && off < 60) return true;
  const pgno = Math.floor(off / raw.pageSize) + 1;
  const o = off % raw.pageSize;
  if (raw.overflow.has(pgno)) return true;
  const tp = raw.treePages.get(pgno);
  if (!tp) return false;
  const h = tp.hdrOff;
  const leaf = tp.type === 10 || tp.type === 13;
  if (o >= h + 3 && o < h + 5) return true;
  if (!leaf && o >= h + 8 && o < h + 12) return true;
  const arr = h + (leaf ? 8 : 12);
  if (o >= arr && o < arr + 2 * tp.nCell) return true;
  return tp.cells.some((c) => o >= c.off && o < c.off + c.size);
}

type Damage = { kind: "flip"; flips: { at: number; mask: number }[] } | { kind: "truncate"; at: number; trustFileSize: boolean };

function apply(bytes: Uint8Array, d: Damage): Uint8Array {
  if (d.kind === "truncate") {
    const b = bytes.slice(0, d.at);
    if (d.trustFileSize && b.length >= 96) {
      // version-valid-for != change counter: the in-header size is ignored, the file size rules.
      const v = ((b[24] << 24) | (b[25] << 16) | (b[26] << 8) | b[27]) + 1;
      b[92] = v >>> 24;
      b[93] = v >>> 16;
      b[94] = v >>> 8;
      b[95] = v;
    }
    return b;
  }
  const b = bytes.slice();
  for (const f of d.flips) b[f.at] ^= f.mask;
  return b;
}

describe("fuzzed corruption of a sqlite3-written file", () => {
  let fx: Fixture;
  let raw: RawDb;
  let plan: ProbePlan;
  let runner: ProbeRunner;
  let pristine: ProbeReport;

  beforeAll(async () => {
    fx = buildFixture({ pageSize: PS, seed: 777, rows: 120, bigFraction: 0.06, scale: 0.25 });
    raw = rawWalk(fx.bytes, schemaRoots(fx.bytes).map((s) => s.rootpage));
    plan = makePlan(fx, false);
    runner = await ProbeRunner.start();
    const r = await runner.run(fx.bytes, plan, 20_000);
    if (r.timedOut) throw new Error("the undamaged file timed out");
    pristine = r.report;
  });
  afterAll(async () => {
    await runner?.stop();
  });

  it("the fixture is multi-page with every kind of page, and the undamaged file passes", () => {
    expect(raw.nPage).toBeGreaterThan(40);
    expect(raw.overflow.size).toBeGreaterThan(5);
    expect(raw.freelistTrunks.length + raw.freelistLeaves.length).toBeGreaterThan(5);
    expect([...raw.treePages.values()].some((p) => p.type === 5)).toBe(true);
    expect([...raw.treePages.values()].some((p) => p.type === 2)).toBe(true);
    for (const [step, o] of Object.entries(pristine.steps)) expect(o, step).toMatchObject({ ok: true });
  });

  it("random flips and truncations give the original rows or SQLITE_CORRUPT/NOTADB, never anything else", async () => {
    const len = fx.bytes.length;
    const damage: fc.Arbitrary<Damage> = fc.oneof(
      { weight: 5, arbitrary: fc.record({
        kind: fc.constant("flip" as const),
        flips: fc.array(fc.record({ at: fc.integer({ min: 0, max: len - 1 }), mask: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }),
      }) },
      { weight: 1, arbitrary: fc.record({
        kind: fc.constant("truncate" as const), at: fc.integer({ min: 0, max: len - 1 }), trustFileSize: fc.boolean(),
      }) },
    );
    /** Checks error codes; returns whether CORRUPT was seen and which steps answered differently. */
    const judge = (report: ProbeReport, truncated: boolean): { sawCorrupt: boolean; anyCorrupt: boolean; differs: string[] } => {
      let sawCorrupt = false;
      let anyCorrupt = false;
      const differs: string[] = [];
      for (const [step, o] of Object.entries(report.steps)) {
        if (step === "integrity") continue;
        if (!o.ok) {
          const allowed = o.code === "SQLITE_CORRUPT" || (o.code === "SQLITE_NOTADB" && step === "open");
          if (!allowed) throw new Error(`step ${step}: ${o.code} ${o.name}: ${o.message}\n${o.detail}`);
          // Only the pager's own corruption errors ("page N: ..."), not a malformed record found
          // by the record decoder above it: the pager's checker does not decode records.
          if (o.code === "SQLITE_CORRUPT" && o.detail.startsWith("page ")) sawCorrupt = true;
          if (o.code === "SQLITE_CORRUPT") anyCorrupt = true;
          continue;
        }
        if (step === "open" && truncated) continue; // the page count differs; the scans decide
        const want = pristine.steps[step];
        if (!want || !want.ok || want.digest !== o.digest) differs.push(step);
      }
      return { sawCorrupt, anyCorrupt, differs };
    };
    let detected = 0;
    let equal = 0;
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const r = await runner.run(apply(fx.bytes, d), plan, 5000);
        if (r.timedOut) throw new Error("the probe hung");
        const { sawCorrupt, anyCorrupt, differs } = judge(r.report, d.kind === "truncate");
        if (differs.length > 0) {
          // A different answer is allowed only when it comes from flips of data bytes: the
          // flips outside data bytes, applied alone, must give no different answer.
          const rest = d.kind === "flip" ? d.flips.filter((f) => !isDataByte(raw, f.at)) : null;
          if (rest === null || d.kind !== "flip" || rest.length === d.flips.length) {
            throw new Error(`${differs.join(", ")}: a different answer after damage outside data bytes`);
          }
          if (rest.length > 0) {
            const r2 = await runner.run(apply(fx.bytes, { kind: "flip", flips: rest }), plan, 5000);
            if (r2.timedOut) throw new Error("the probe hung");
            const j2 = judge(r2.report, false);
            if (j2.differs.length > 0) throw new Error(`${j2.differs.join(", ")}: a different answer after damage outside data bytes`);
          }
        }
        if (sawCorrupt && r.report.steps["integrity"]) {
          const i = r.report.steps["integrity"];
          if (i.ok && i.digest !== "problems") throw new Error("a cursor found corruption that the integrity checker missed");
        }
        if (anyCorrupt || r.report.steps["open"]?.ok === false) detected++;
        else equal++;
      }),
      { seed: 0x5eed, numRuns: 300 },
    );
    // The runs exercised both outcomes.
    expect(detected).toBeGreaterThan(10);
    expect(equal).toBeGreaterThan(10);
  }, 120_000);
});
