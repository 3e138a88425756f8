/*
 * `pnpm slt [OPTIONS] [FILES...]`: runs sqllogictest scripts (runner.ts) on an engine and
 * prints one line per file and a total line; exits 1 when anything failed, 2 on a usage
 * error. A FILE may be a directory (every *.test below it, recursively, sorted); with no
 * FILE, every script under ../shared/slt/ (the corpus) runs. Relative paths resolve
 * against the directory pnpm was started in (INIT_CWD).
 *
 *   --engine NAME       strata (the default) or better-sqlite3 (the oracle)
 *   --verbose           print each failure: file:line, message, SQL, expected vs got
 *   --stop-on-fail      stop the whole run at the first failure
 *   --max-failures N    stop a file after N failures (the run goes on with the next file)
 *   --json FILE         write per-file results (and every failure) as JSON
 *
 * Output, per file:  <file>: <run> run, <passed> passed, <failed> failed, <skipped> skipped, <s> s
 * and last:          slt: <passed> passed, <failed> failed, <skipped> skipped (<F> files, <s> s)
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SltEngine } from "./engine.js";
import { betterSqlite3Engine } from "./engines/better-sqlite3.js";
import { strataEngine } from "./engines/strata.js";
import { runScript, type FileResult, type SltFailure } from "./runner.js";

/** Engine adapters by --engine name. */
const ENGINES: Record<string, () => SltEngine> = {
  strata: strataEngine,
  "better-sqlite3": betterSqlite3Engine,
};
const DEFAULT_ENGINE = "strata";

interface Options {
  engine: string;
  verbose: boolean;
  stopOnFail: boolean;
  maxFailures: number;
  json: string | null;
  paths: string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { engine: DEFAULT_ENGINE, verbose: false, stopOnFail: false, maxFailures: Infinity, json: null, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "--engine": o.engine = value(); break;
      case "--verbose": o.verbose = true; break;
      case "--stop-on-fail": o.stopOnFail = true; break;
      case "--max-failures": {
        const v = value();
        o.maxFailures = Number(v);
        if (!Number.isInteger(o.maxFailures) || o.maxFailures < 1) throw new UsageError(`--max-failures wants a positive integer, not ${v}`);
        break;
      }
      case "--json": o.json = value(); break;
      case "--": break;
      default:
        if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
        o.paths.push(a);
    }
  }
  if (!(o.engine in ENGINES)) {
    throw new UsageError(`unknown or unavailable engine "${o.engine}" (have: ${Object.keys(ENGINES).join(", ")})`);
  }
  return o;
}

function* testFiles(path: string): Generator<string> {
  if (!statSync(path).isDirectory()) { yield path; return; }
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name);
    if (statSync(p).isDirectory()) yield* testFiles(p);
    else if (name.endsWith(".test")) yield p;
  }
}

/** The nearest directory at or above `dir` holding pnpm-workspace.yaml (this file may run bundled). */
function workspaceRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "pnpm-workspace.yaml"))) return d;
    if (dirname(d) === d) throw new Error(`no pnpm-workspace.yaml above ${dir}`);
  }
}

function printFailure(f: SltFailure): void {
  const lines = [`FAIL ${f.file}:${f.line}: ${f.message}`];
  if (f.sql !== "") lines.push(...f.sql.split("\n").map((l) => `  sql:      ${l}`));
  if (f.expected.length > 0 || f.got.length > 0) {
    const show = (xs: readonly string[]) => (xs.length > 12 ? [...xs.slice(0, 12), `… (${xs.length} lines)`] : xs).join(" | ");
    lines.push(`  expected: ${show(f.expected)}`, `  got:      ${show(f.got)}`);
  }
  console.log(lines.join("\n"));
}

function main(argv: readonly string[]): number {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`slt: ${e.message}`);
    console.error("usage: pnpm slt [--engine NAME] [--verbose] [--stop-on-fail] [--max-failures N] [--json FILE] [FILES...]");
    return 2;
  }
  const repo = workspaceRoot(dirname(fileURLToPath(import.meta.url)));
  const corpus = resolve(repo, "../shared/slt");
  const base = process.env.INIT_CWD ?? process.cwd();
  const roots = o.paths.length > 0 ? o.paths.map((p) => (isAbsolute(p) ? p : resolve(base, p))) : [corpus];
  const files: string[] = [];
  for (const root of roots) {
    if (!existsSync(root)) { console.error(`slt: no such file or directory: ${root}`); return 2; }
    files.push(...testFiles(root));
  }
  const display = (f: string): string => {
    const r = relative(join(corpus, "test"), f);
    return r.startsWith("..") ? relative(base, f) : r;
  };

  const engine = ENGINES[o.engine]();
  const results: FileResult[] = [];
  const started = performance.now();
  for (const file of files) {
    const name = display(file);
    let stopRun = false;
    const r = runScript(readFileSync(file, "utf8"), name, engine, {
      maxFailures: o.stopOnFail ? 1 : o.maxFailures,
      onFailure: (f) => { if (o.verbose) printFailure(f); if (o.stopOnFail) stopRun = true; },
    });
    results.push(r);
    const notes = [r.halted ? ", halted" : "", r.stopped ? ", stopped early" : ""].join("");
    console.log(`${name}: ${r.run} run, ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${r.seconds.toFixed(2)} s${notes}`);
    if (stopRun) break;
  }
  const sum = (k: "passed" | "failed" | "skipped" | "run") => results.reduce((n, r) => n + r[k], 0);
  const seconds = (performance.now() - started) / 1000;
  if (o.json !== null) {
    const out = isAbsolute(o.json) ? o.json : resolve(base, o.json);
    writeFileSync(out, JSON.stringify({
      engine: o.engine,
      totals: { files: results.length, run: sum("run"), passed: sum("passed"), failed: sum("failed"), skipped: sum("skipped"), seconds },
      files: results,
    }, null, 2) + "\n");
  }
  console.log(`slt: ${sum("passed")} passed, ${sum("failed")} failed, ${sum("skipped")} skipped (${results.length} files, ${seconds.toFixed(1)} s)`);
  return sum("failed") === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
