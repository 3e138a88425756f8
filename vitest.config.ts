// Test runner configuration. Workspace packages resolve to their TypeScript sources
// (the `source` condition of each package's exports map), so tests never need a build.
import { defineConfig } from "vitest/config";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";

const root = import.meta.dirname;
const alias: { find: string | RegExp; replacement: string }[] = [];
for (const dir of readdirSync(join(root, "packages"))) {
  const manifestPath = join(root, "packages", dir, "package.json");
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  for (const [subpath, target] of Object.entries<Record<string, string>>(manifest.exports ?? {})) {
    const spec = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const escaped = spec.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    alias.push({ find: new RegExp(`^${escaped}$`), replacement: resolve(root, "packages", dir, target.source) });
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts", "bench/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
