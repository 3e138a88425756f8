// `pnpm slt [ARGS]`: bundles cli.ts with esbuild straight from the workspace sources (the
// `source` condition of each package's exports map, as bench/run.mjs does, so nothing
// needs building first) into scripts/slt/.out/cli.mjs, then runs it in a node process
// with the same arguments and exits with its status. better-sqlite3 stays external (a
// native module, loaded from node_modules at run time).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, ".out", "cli.mjs");
await build({
  entryPoints: [join(here, "cli.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  conditions: ["source"],
  packages: "bundle",
  external: ["better-sqlite3"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
