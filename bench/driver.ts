// The peers suite (`pnpm bench`, `pnpm bench --quick`): every workload of bench/workloads
// on every engine of bench/peers, each engine in its own child process per workload per
// run (bench/child.ts), N runs (default 3; --runs N); the median ops/s and the peak RSS
// per engine per workload; each engine's result digest compared with the reference
// engine's (better-sqlite3, else sql.js, else turso) in the same run, a mismatch recorded
// as that engine's error. Writes bench/results/latest.json and ratios.svg and prints the
// table (bench/report.ts). It reports; it never fails on speed.
//
// Options: --quick (a tenth of every size), --runs N, --engines a,b, --workloads a,h,
// --cpu-prof (node --cpu-prof for the Strata children, into bench/.out/prof/),
// --out DIR (default bench/results; --quick writes bench/results/quick/ so the committed
// full-run files stay).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { ChildResult } from "./child.js";
import { ENGINES, type EngineName } from "./peers/types.js";
import { PEERS } from "./peers/index.js";
import { WORKLOADS } from "./workloads/index.js";
import { COLD_PAYLOAD, coldRows } from "./workloads/i-cold-open.js";
import { SPEEDTEST_TESTS } from "./workloads/h-speedtest1.js";
import { median, renderSvg, renderTable, type Report, type WorkloadReport } from "./report.js";

const benchDir = process.env.STRATA_BENCH_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};
const quick = flag("--quick");
const runs = Number(option("--runs") ?? 3);
const scale = quick ? 0.1 : 1;
const engines = (option("--engines")?.split(",") ?? [...ENGINES]) as EngineName[];
const workloads = option("--workloads")?.split(",") ?? WORKLOADS.map((w) => w.id);
const cpuProf = flag("--cpu-prof");
const outDir = option("--out") ?? join(benchDir, "results", quick ? "quick" : "");
const timeoutMs = (quick ? 120 : 600) * 1000;
const childScript = join(benchDir, ".out", "child.mjs");
// Reference order: the first of these with a result is the truth for the digests.
const REFERENCE: EngineName[] = ["better-sqlite3", "sql.js", "turso", "strata", "strata-async"];
const order = REFERENCE.filter((e) => engines.includes(e));

const dataDir = join(benchDir, ".out", "data");
mkdirSync(dataDir, { recursive: true });
if (workloads.includes("i")) buildColdDatabase(coldRows(scale));

function buildColdDatabase(rows: number): void {
  const path = join(dataDir, `cold-${rows}.db`);
  if (existsSync(path)) return;
  const db = new Database(`${path}.tmp`);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE u(id INTEGER PRIMARY KEY, a INTEGER, b TEXT)");
  const ins = db.prepare("INSERT INTO u VALUES (?, ?, ?)");
  const pad = "x".repeat(COLD_PAYLOAD);
  db.transaction(() => {
    for (let k = 1; k <= rows; k++) ins.run(k, (k * 7919) % 1000003, `${k}:${pad}`.slice(0, COLD_PAYLOAD));
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  rmSync(path, { force: true });
  writeFileSync(path, readFileSync(`${path}.tmp`));
  rmSync(`${path}.tmp`, { force: true });
}

function runChild(engine: EngineName, workload: string, run: number): ChildResult {
  const tmp = mkdtempSync(join(tmpdir(), `strata-bench-${workload}-`));
  const nodeArgs = ["--expose-gc"];
  if (cpuProf && engine.startsWith("strata")) {
    const profDir = join(benchDir, ".out", "prof");
    mkdirSync(profDir, { recursive: true });
    nodeArgs.push("--cpu-prof", "--cpu-prof-dir", profDir, "--cpu-prof-name", `${engine}-${workload}-${run}.cpuprofile`);
  }
  const r = spawnSync(process.execPath, [...nodeArgs, childScript, engine, workload, String(scale), tmp, dataDir], {
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  rmSync(tmp, { recursive: true, force: true });
  const line = r.stdout?.split("\n").find((l) => l.startsWith("@@result "));
  if (line) return JSON.parse(line.slice("@@result ".length)) as ChildResult;
  const why = r.error ? (r.signal === "SIGTERM" ? `timed out after ${timeoutMs / 1000} s` : String(r.error.message)) :
    `child exited ${r.status ?? r.signal}: ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ").slice(0, 300)}`;
  return { engine, workload, results: [{ id: workload, error: why }], rssMB: 0 };
}

interface Cell { ops: number[]; rss: number[]; error: string | null }
const cells = new Map<string, Map<EngineName, Cell>>();
const cell = (id: string, e: EngineName): Cell => {
  let m = cells.get(id);
  if (!m) cells.set(id, (m = new Map()));
  let c = m.get(e);
  if (!c) m.set(e, (c = { ops: [], rss: [], error: null }));
  return c;
};

const started = Date.now();
for (let run = 1; run <= runs; run++) {
  for (const w of WORKLOADS.filter((x) => workloads.includes(x.id))) {
    const got = new Map<EngineName, ChildResult>();
    for (const e of order) {
      if (w.skip?.(PEERS[e])) continue;
      const t0 = Date.now();
      const res = runChild(e, w.id, run);
      got.set(e, res);
      const errs = res.results.filter((m) => m.error).length;
      process.stderr.write(`run ${run}/${runs}  ${w.id}  ${e.padEnd(14)} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s${errs ? `  (${errs} error${errs > 1 ? "s" : ""})` : ""}\n`);
    }
    // Reference digest per entry id: the first engine in REFERENCE order that has one.
    const ref = new Map<string, { engine: EngineName; check: string }>();
    for (const e of order)
      for (const m of got.get(e)?.results ?? [])
        if (m.check !== undefined && !m.error && !ref.has(m.id)) ref.set(m.id, { engine: e, check: m.check });
    for (const [e, res] of got) {
      for (const m of res.results) {
        const c = cell(m.id, e);
        c.rss.push(res.rssMB);
        const r = ref.get(m.id);
        if (m.error) c.error ??= m.error;
        else if (r && m.check !== r.check) c.error ??= `result mismatch: digest ${m.check}, ${r.engine} gave ${r.check}`;
        else if (m.ops !== undefined) c.ops.push(m.ops);
      }
      // (h) as a whole: 1 / total seconds over all speedtest1 tests, only when all passed.
      if (w.id === "h") {
        const c = cell("h", e);
        c.rss.push(res.rssMB);
        const failed = SPEEDTEST_TESTS.map(([n]) => `h${n}`).filter((id) => {
          const m = res.results.find((x) => x.id === id);
          return !m || m.error || cell(id, e).error;
        });
        if (res.results.length === 1 && res.results[0].id === "h" && res.results[0].error) c.error ??= res.results[0].error;
        else if (failed.length) c.error ??= `${failed.length} of ${SPEEDTEST_TESTS.length} tests failed: ${failed.join(", ")}`;
        else c.ops.push(1000 / res.results.reduce((s, m) => s + (m.ms ?? 0), 0));
      }
    }
  }
}

// Assemble the report in workload order, h's tests right after h.
const report: Report = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    runs,
    quick,
    versions: versions(),
  },
  workloads: {},
};
for (const w of WORKLOADS.filter((x) => workloads.includes(x.id))) {
  const ids = w.id === "h" ? ["h", ...SPEEDTEST_TESTS.map(([n]) => `h${n}`)] : [w.id];
  for (const id of ids) {
    const byEngine = cells.get(id);
    if (!byEngine) continue;
    const title = id === "h" || id === w.id ? w.title : `speedtest1 ${id.slice(1)}: ${SPEEDTEST_TESTS.find(([n]) => `h${n}` === id)![1]}`;
    const unit = id === "h" ? "testsets/s" : id.startsWith("h") ? "ops/s" : w.unit;
    const wr: WorkloadReport = { title, unit, ops: {}, rssMB: {} };
    for (const e of ENGINES) {
      const c = byEngine.get(e);
      if (!c) continue;
      if (c.rss.length) wr.rssMB[e] = Math.round(Math.max(...c.rss) * 10) / 10;
      if (c.error !== null) (wr.errors ??= {})[e] = c.error;
      else if (c.ops.length) wr.ops[e] = Math.round(median(c.ops) * 100) / 100;
    }
    report.workloads[id] = wr;
  }
}

function versions(): Record<string, string> {
  const v: Record<string, string> = {};
  for (const [name, pkg] of [["better-sqlite3", "better-sqlite3"], ["sql.js", "sql.js"], ["turso", "@tursodatabase/database"]] as const) {
    try {
      v[name] = JSON.parse(readFileSync(join(benchDir, "..", "node_modules", pkg, "package.json"), "utf8")).version;
    } catch {
      v[name] = "?";
    }
  }
  try {
    const db = new Database(":memory:");
    v["better-sqlite3"] += ` (SQLite ${(db.prepare("select sqlite_version()").pluck().get() as string)})`;
    db.close();
  } catch {
    // version only
  }
  return v;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "latest.json"), JSON.stringify(report, null, 2) + "\n");
writeFileSync(join(outDir, "ratios.svg"), renderSvg(report));
console.log(renderTable(report));
console.log(`\n${runs} run(s)${quick ? " at a tenth of the sizes (--quick)" : ""} in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${join(outDir, "latest.json")} and ratios.svg`);
