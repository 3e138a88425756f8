// Runs commit-rate.bench.ts: bundles it (and Strata's TypeScript sources, through the
// "source" export condition) with esbuild into a temporary file, then imports it.
import { buildSync } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const here = import.meta.dirname;
// Inside the repository's node_modules, so that the bundle resolves better-sqlite3.
const out = join(mkdtempSync(join(here, "..", "..", "..", "node_modules", ".strata-bench-")), "commit-rate.mjs");
buildSync({
  entryPoints: [join(here, "commit-rate.bench.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: out,
  conditions: ["source"],
  external: ["better-sqlite3"],
  absWorkingDir: join(here, ".."),
  logLevel: "error",
});
try {
  await import(pathToFileURL(out).href);
} finally {
  rmSync(join(out, ".."), { recursive: true, force: true });
}
