// Runs benchmarks. Everything is bundled with esbuild straight from the workspace sources
// (the `source` condition of each package's exports map, so no build is needed and nothing
// stale is measured) into bench/.out/, then run in its own node process.
//   pnpm bench [--quick] [--runs N] [--engines a,b] [--workloads a,h] [--cpu-prof]
//       the peers suite (bench/driver.ts): workloads a..i on Strata (sync and async),
//       better-sqlite3, sql.js and Turso, one child process per engine per workload per
//       run; writes bench/results/latest.json and ratios.svg (--quick: bench/results/quick/).
//   pnpm bench NAME... [-- ARGS]
//       the single-file benches bench/<name>.bench.ts (parse, commit-rate, ...).
// Benchmarks report numbers (ratios against the peers where there are peers); they never
// pass or fail on speed.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const dash = argv.indexOf("--");
const names = dash < 0 ? argv : argv.slice(0, dash);
const passThrough = dash < 0 ? [] : argv.slice(dash + 1);

const outDir = join(here, ".out");
mkdirSync(outDir, { recursive: true });
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  conditions: ["source"],
  packages: "bundle",
  external: ["better-sqlite3", "sql.js", "@tursodatabase/*", "fast-check"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
};

if (names.length === 0 || names[0] === "peers" || names[0].startsWith("--")) {
  // The async entry of @strata/database may not exist yet in this checkout: then bundle a
  // stub whose connect() throws, so strata-async records that error in every workload.
  const asyncEntry = join(here, "..", "packages", "database", "src", "index.ts");
  const stubAsync = {
    name: "strata-async-stub",
    setup(b) {
      if (existsSync(asyncEntry)) return;
      b.onResolve({ filter: /^@strata\/database$/ }, () => ({ path: "strata-async-stub", namespace: "stub" }));
      b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
        contents: "export async function connect() { throw new Error('@strata/database async entry not there yet (packages/database/src/index.ts)'); }",
        loader: "js",
      }));
    },
  };
  await build({ ...common, entryPoints: [join(here, "child.ts")], outfile: join(outDir, "child.mjs"), plugins: [stubAsync] });
  await build({ ...common, entryPoints: [join(here, "driver.ts")], outfile: join(outDir, "driver.mjs") });
  const flags = argv.filter((a) => a !== "peers" && a !== "--");
  const r = spawnSync(process.execPath, [join(outDir, "driver.mjs"), ...flags], { stdio: "inherit", cwd: here });
  process.exit(r.status ?? 1);
}

const all = readdirSync(here).filter((f) => f.endsWith(".bench.ts")).map((f) => f.slice(0, -".bench.ts".length)).sort();
const chosen = names;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`no benchmark "${name}" (have: ${all.join(", ")})`);
    process.exit(2);
  }
}

let failures = 0;
for (const name of chosen) {
  const outfile = join(outDir, `${name}.mjs`);
  await build({ ...common, entryPoints: [join(here, `${name}.bench.ts`)], outfile });
  console.log(`\n## ${name}`);
  const r = spawnSync(process.execPath, ["--expose-gc", outfile, ...passThrough], { stdio: "inherit", cwd: here });
  if (r.status !== 0) failures++;
}
process.exit(failures === 0 ? 0 : 1);
