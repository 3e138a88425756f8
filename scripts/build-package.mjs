// Builds the package in the current directory with esbuild: every entry of its
// `exports` map that has a `source` condition is bundled (ESM, ES2022) to the path
// of its `default` condition. Dependencies stay external, so a package's dist/
// holds only its own code. Run from a package directory (`pnpm build` does this
// through turbo).
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const entries = [];
for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
  if (typeof target !== "object" || !target.source || !target.default) {
    throw new Error(`${pkg.name}: export "${subpath}" needs "source" and "default" conditions`);
  }
  entries.push({ in: join(dir, target.source), out: join(dir, target.default).replace(/\.js$/, "") });
}
rmSync(join(dir, "dist"), { recursive: true, force: true });
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  "node:*",
];
await build({
  entryPoints: entries,
  outdir: dir,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  sourcemap: true,
  external,
  dropLabels: ["DEBUG"],
  logLevel: "warning",
});
