// Running a corpus script through the sqlite3 shell and through Strata's `strata` bin, each
// as a process in a fresh directory holding the corpus's data files, and collecting what
// each printed and wrote.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CORPUS_DIR = join(import.meta.dirname, "..", "corpus");

/** Files a script may write (compared too). */
const OUTPUT_FILES = ["out.txt", "once.txt"];

export interface Outcome {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly status: number;
  readonly files: Record<string, string | null>;
}

/** The corpus scripts, by name. */
export function corpusScripts(): string[] {
  return readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".sql") && f !== "sub.sql").sort();
}

/** Splits "-- args: a "b c"" into ["a", "b c"]. */
export function scriptArgs(script: string): string[] {
  const m = /^-- args: (.*)$/m.exec(script.split("\n")[0]);
  if (!m) return [];
  const out: string[] = [];
  for (const t of m[1].matchAll(/"([^"]*)"|(\S+)/g)) out.push(t[1] ?? t[2]);
  return out;
}

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "strata-cli-"));
  for (const f of readdirSync(CORPUS_DIR)) {
    if (!f.endsWith(".sql") || f === "sub.sql") copyFileSync(join(CORPUS_DIR, f), join(dir, f));
  }
  return dir;
}

/** The bytes with the scratch directory's path (where each shell ran) spelled "$DIR", so `.databases` compares. */
function withoutDir(bytes: Buffer, dir: string): Buffer {
  let text = bytes.toString("latin1");
  for (const d of new Set([realpathSync(dir), dir])) text = text.split(d).join("$DIR");
  return Buffer.from(text, "latin1");
}

function collectFiles(dir: string): Record<string, string | null> {
  const files: Record<string, string | null> = {};
  for (const f of OUTPUT_FILES) files[f] = existsSync(join(dir, f)) ? readFileSync(join(dir, f), "latin1") : null;
  return files;
}

export function runSqlite3(args: readonly string[], input: Buffer): Outcome {
  const dir = freshDir();
  try {
    const r = spawnSync("sqlite3", [...args], { cwd: dir, input, maxBuffer: 1 << 26 });
    return { stdout: withoutDir(r.stdout, dir), stderr: withoutDir(r.stderr, dir), status: r.status ?? -1, files: collectFiles(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the bundled bin (support/bin.ts) as `node BIN ARGS < input` in a fresh directory. */
export function runStrata(bin: string, args: readonly string[], input: Buffer): Outcome {
  const dir = freshDir();
  try {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, input, maxBuffer: 1 << 26 });
    return { stdout: withoutDir(r.stdout, dir), stderr: withoutDir(r.stderr, dir), status: r.status ?? -1, files: collectFiles(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
