// The `strata` bin as a runnable file for tests: bin/strata.js bundled with esbuild, its
// import of ../dist/index.js resolved to ../src/index.ts and the workspace packages to
// their sources (the "source" export condition), so tests run the bin's exact code over
// Strata's own engine without a build step.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const CLI = join(import.meta.dirname, "..", "..");

/** Bundles the bin to test/.build/<name>.mjs and returns its path (one file per caller: test files run in parallel). */
export async function bundleBin(name: string): Promise<string> {
  const dir = join(CLI, "test", ".build");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(CLI, "bin", "strata.js")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    conditions: ["source"],
    plugins: [{
      name: "cli-dist-is-src",
      setup(b) {
        b.onResolve({ filter: /^\.\.\/dist\/index\.js$/ }, () => ({ path: join(CLI, "src", "index.ts") }));
      },
    }],
    logLevel: "warning",
  });
  return outfile;
}
