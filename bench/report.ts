// The report of the peers suite: bench/results/latest.json (a stable shape other tools
// read), a table on stdout, and bench/results/ratios.svg (Strata's ratio to better-sqlite3
// per workload, log scale, hand-written SVG). Pure functions of the numbers, so the tests
// run them on fake numbers.
//
// latest.json: {"meta": {...}, "workloads": {"a": {"title", "unit", "ops": {engine: N},
//   "rssMB": {engine: N}, "errors": {engine: "message"}}, ..., "h": ..., "h100": ..., "i": ...}}
// An engine left out by design (sql.js for g) is absent from ops, rssMB and errors alike.
import { ENGINES, type EngineName } from "./peers/types.js";

export const PEER_NAMES: EngineName[] = ["better-sqlite3", "sql.js", "turso"];
export const STRATA_NAMES: EngineName[] = ["strata", "strata-async"];

export interface WorkloadReport {
  title: string;
  unit: string;
  ops: Partial<Record<EngineName, number>>;
  rssMB: Partial<Record<EngineName, number>>;
  errors?: Partial<Record<EngineName, string>>;
}

export interface Report {
  meta: { date: string; node: string; platform: string; runs: number; quick: boolean; versions: Record<string, string> };
  workloads: Record<string, WorkloadReport>;
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Strata's ratio to a peer (>1 = Strata faster), or null when either side has no number. */
export function ratio(w: WorkloadReport, strata: EngineName, peer: EngineName): number | null {
  const s = w.ops[strata];
  const p = w.ops[peer];
  return s === undefined || p === undefined || p === 0 ? null : s / p;
}

function fmtOps(v: number | undefined, err: string | undefined, absent: boolean): string {
  if (err !== undefined) return "n/a";
  if (v === undefined) return absent ? "-" : "n/a";
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (v >= 10) return v.toFixed(0);
  return v.toFixed(2);
}

export function fmtRatio(r: number | null): string {
  if (r === null) return "n/a";
  if (r >= 10) return `${r.toFixed(0)}x`;
  if (r >= 0.1) return `${r.toFixed(2)}x`;
  return `1/${(1 / r).toFixed(0)}`;
}

/** The table printed at the end of `pnpm bench`. */
export function renderTable(report: Report): string {
  const cols = ["workload", "unit", ...ENGINES, ...PEER_NAMES.map((p) => `S/${p}`), "rssMB S/bsq"];
  const rows: string[][] = [];
  for (const [id, w] of Object.entries(report.workloads)) {
    const row = [id, w.unit];
    for (const e of ENGINES) row.push(fmtOps(w.ops[e], w.errors?.[e], !(e in w.ops) && !(e in (w.errors ?? {})) && !(e in w.rssMB)));
    for (const p of PEER_NAMES) row.push(fmtRatio(ratio(w, "strata", p)));
    const rs = w.rssMB.strata;
    const rb = w.rssMB["better-sqlite3"];
    row.push(rs !== undefined && rb !== undefined ? `${rs.toFixed(0)}/${rb.toFixed(0)}` : "");
    rows.push(row);
  }
  const width = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join("  ");
  const out = [line(cols), width.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)];
  const errs: string[] = [];
  for (const [id, w] of Object.entries(report.workloads))
    for (const [e, msg] of Object.entries(w.errors ?? {})) errs.push(`  ${id} ${e}: ${msg}`);
  if (errs.length) out.push("", "n/a (errors recorded in latest.json):", ...errs);
  out.push("", "ops/s per engine (median of runs); S/peer = Strata (sync) ops / peer ops (>1 = Strata faster); rssMB = peak RSS of the child, Strata/better-sqlite3.");
  return out.join("\n");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Horizontal bars of Strata's ratio to better-sqlite3 per workload, log10 axis. */
export function renderSvg(report: Report, peer: EngineName = "better-sqlite3"): string {
  const entries = Object.entries(report.workloads).map(([id, w]) => ({ id, title: w.title, r: ratio(w, "strata", peer), err: w.errors?.strata }));
  const ratios = entries.map((e) => e.r).filter((r): r is number => r !== null && r > 0);
  const lo = Math.min(-1, Math.floor(Math.log10(Math.min(1, ...ratios))));
  const hi = Math.max(0, Math.ceil(Math.log10(Math.max(1, ...ratios))));
  const rowH = 18;
  const left = 300;
  const plotW = 440;
  const top = 40;
  const height = top + entries.length * rowH + 40;
  const width = left + plotW + 80;
  const x = (r: number) => left + ((Math.log10(r) - lo) / (hi - lo)) * plotW;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${left}" y="16" font-size="13" font-weight="bold">Strata / ${esc(peer)} (ops/s ratio, log scale; 1 = same speed)</text>`);
  for (let k = lo; k <= hi; k++) {
    const gx = x(10 ** k);
    parts.push(`<line x1="${gx.toFixed(1)}" y1="${top - 6}" x2="${gx.toFixed(1)}" y2="${top + entries.length * rowH}" stroke="${k === 0 ? "#333" : "#ddd"}"/>`);
    const label = k >= 0 ? `${10 ** k}x` : `1/${10 ** -k}`;
    parts.push(`<text x="${gx.toFixed(1)}" y="${top + entries.length * rowH + 14}" text-anchor="middle" fill="#555">${label}</text>`);
  }
  entries.forEach((e, n) => {
    const y = top + n * rowH;
    parts.push(`<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(`${e.id}  ${e.title}`.slice(0, 52))}</text>`);
    if (e.r === null || e.r <= 0) {
      parts.push(`<text x="${left + 4}" y="${y + 12}" fill="#b00">n/a${e.err ? ` (${esc(e.err.slice(0, 60))})` : ""}</text>`);
      return;
    }
    const x0 = x(1);
    const x1 = x(e.r);
    const bx = Math.min(x0, x1);
    const bw = Math.max(1, Math.abs(x1 - x0));
    parts.push(`<rect x="${bx.toFixed(1)}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 6}" fill="${e.r >= 1 ? "#2a9d4b" : "#d9822b"}"/>`);
    const tx = Math.max(x0, x1) + 4;
    parts.push(`<text x="${tx.toFixed(1)}" y="${y + 12}" fill="#222">${esc(fmtRatio(e.r))}</text>`);
  });
  parts.push(`<text x="${left}" y="${height - 6}" fill="#777">${esc(`${report.meta.date.slice(0, 10)} · node ${report.meta.node} · median of ${report.meta.runs} run(s)${report.meta.quick ? " · --quick" : ""}`)}</text>`);
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
