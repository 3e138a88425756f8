// The report on fake numbers: the JSON shape other tools read, the table, the SVG.
import { describe, expect, it } from "vitest";
import { fmtRatio, median, ratio, renderSvg, renderTable, type Report } from "../report.js";

const fake: Report = {
  meta: { date: "2026-01-01T00:00:00.000Z", node: "v20.0.0", platform: "linux-x64", runs: 3, quick: false, versions: {} },
  workloads: {
    a: { title: "inserts", unit: "rows/s", ops: { strata: 50_000, "strata-async": 40_000, "better-sqlite3": 500_000, "sql.js": 100_000, turso: 250_000 }, rssMB: { strata: 80, "better-sqlite3": 60 } },
    g: { title: "autocommit", unit: "commits/s", ops: { strata: 3000, "better-sqlite3": 1500, turso: 1000 }, rssMB: { strata: 70 } },
    h200: { title: "speedtest1 200: VACUUM", unit: "ops/s", ops: { "better-sqlite3": 10 }, rssMB: {}, errors: { strata: "no such statement: VACUUM" } },
  },
};

describe("report", () => {
  it("median and ratios", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(ratio(fake.workloads.a, "strata", "better-sqlite3")).toBeCloseTo(0.1);
    expect(ratio(fake.workloads.g, "strata", "sql.js")).toBeNull();
    expect(ratio(fake.workloads.h200, "strata", "better-sqlite3")).toBeNull();
    expect(fmtRatio(0.01)).toBe("1/100");
    expect(fmtRatio(2)).toBe("2.00x");
  });

  it("the JSON has the shape other tools read", () => {
    const json = JSON.parse(JSON.stringify(fake)) as Report;
    for (const [id, w] of Object.entries(json.workloads)) {
      expect(id).toMatch(/^([a-i]|h\d{3})$/);
      expect(typeof w.unit).toBe("string");
      for (const v of Object.values(w.ops)) expect(typeof v).toBe("number");
      for (const v of Object.values(w.rssMB)) expect(typeof v).toBe("number");
      for (const v of Object.values(w.errors ?? {})) expect(typeof v).toBe("string");
    }
    expect("sql.js" in json.workloads.g.ops).toBe(false); // absent, not null
  });

  it("the table shows n/a for errors and '-' for engines left out", () => {
    const t = renderTable(fake);
    const h200 = t.split("\n").find((l) => l.startsWith("h200"))!;
    expect(h200).toContain("n/a");
    expect(t).toContain("h200 strata: no such statement: VACUUM");
    const g = t.split("\n").find((l) => l.startsWith("g "))!;
    expect(g).toContain("2.00x"); // 3000 / 1500
    expect(g).toMatch(/ - /);
  });

  it("the SVG is well-formed, one bar per workload with a ratio, log scale", () => {
    const svg = renderSvg(fake);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    const bars = svg.match(/<rect x=/g) ?? [];
    expect(bars.length).toBe(2); // a and g; h200 is n/a
    expect(svg).toContain("n/a (no such statement: VACUUM)");
    expect(svg).toContain("1/10"); // axis ticks on a log scale
    expect(svg).toContain("0.10x");
    // every opened tag is closed or self-closing
    const open = (svg.match(/<(svg|text)\b/g) ?? []).length;
    const close = (svg.match(/<\/(svg|text)>/g) ?? []).length;
    expect(open).toBe(close);
  });
});
