// Runs benchmarks: `pnpm bench [NAME...] [-- ARGS]`. Each bench/<name>.bench.ts is bundled
// with esbuild straight from the workspace sources (the `source` condition of each
// package's exports map, so no build is needed and nothing stale is measured) into
// bench/.out/, then run in its own node process. With no NAME, every bench runs.
// Benchmarks report numbers (ratios against the peers where there are peers); they never
// pass or fail on speed.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const dash = argv.indexOf("--");
const names = dash < 0 ? argv : argv.slice(0, dash);
const passThrough = dash < 0 ? [] : argv.slice(dash + 1);

const all = readdirSync(here).filter((f) => f.endsWith(".bench.ts")).map((f) => f.slice(0, -".bench.ts".length)).sort();
const chosen = names.length === 0 ? all : names;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`no benchmark "${name}" (have: ${all.join(", ")})`);
    process.exit(2);
  }
}

const outDir = join(here, ".out");
mkdirSync(outDir, { recursive: true });
let failures = 0;
for (const name of chosen) {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.bench.ts`)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    conditions: ["source"],
    packages: "bundle",
    external: ["better-sqlite3", "sql.js", "@tursodatabase/*", "fast-check"],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  console.log(`\n## ${name}`);
  const r = spawnSync(process.execPath, ["--expose-gc", outfile, ...passThrough], { stdio: "inherit", cwd: here });
  if (r.status !== 0) failures++;
}
process.exit(failures === 0 ? 0 : 1);
