// The one table of which workspace package may import which (../shared/design.md,
// "Packages and the direction of dependencies"), and the checker that enforces it.
// A package may import only the packages listed for it, only through their
// `exports` map (never `@strata/x/src/...`), and never by a relative path that
// leaves its own folder. Tests of a package obey the same rule as its sources, except
// that a test may import its own package by name (its public entry points).
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve, dirname, sep } from "node:path";

export const LAYERS = {
  common: [],
  vfs: ["common"],
  cipher: ["common"],
  pager: ["common", "vfs"],
  txn: ["common", "vfs", "pager"],
  sql: ["common", "pager", "txn"],
  database: ["sql", "txn", "vfs", "cipher"],
  client: ["common"],
  sync: ["database", "client"],
  server: ["database"],
  cli: ["database", "client", "sync", "server"],
};

// Third-party runtime packages an engine package may import (design: the engine's only
// runtime dependencies are @noble/ciphers and @noble/hashes). Edge packages (client, sync,
// server, cli) may add small libraries named in docs/architecture.md.
export const ENGINE = ["common", "vfs", "cipher", "pager", "txn", "sql", "database"];
export const ENGINE_RUNTIME_DEPS = ["@noble/ciphers", "@noble/hashes"];

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Every import specifier in a source text. */
export function importsOf(text) {
  const found = [];
  for (const m of text.matchAll(IMPORT_RE)) found.push(m[1] ?? m[2] ?? m[3]);
  return found;
}

/** Checks one import of a file in package `pkg`; returns a violation message or null. */
export function checkImport(pkg, file, spec, root) {
  if (spec.startsWith("@strata/")) {
    const [, name, ...rest] = spec.split("/");
    if (name === pkg) {
      // A test may use its package's public entry points, as a user would; a source file
      // imports its siblings by relative path (a self-import by name is a cycle through
      // the exports map).
      if (file.split(sep).includes("test")) return null;
      return `${file}: imports its own package by name (${spec}); use a relative path`;
    }
    if (!(pkg in LAYERS)) return `${file}: package "${pkg}" is not in the layer table`;
    if (!LAYERS[pkg].includes(name)) return `${file}: package "${pkg}" may not import @strata/${name}`;
    if (rest[0] === "src" || rest[0] === "dist" || rest[0] === "test") {
      return `${file}: reaches into @strata/${name}'s internals (${spec}); import its exports only`;
    }
    return null;
  }
  if (spec.startsWith(".")) {
    const target = resolve(dirname(join(root, file)), spec);
    const pkgDir = resolve(root, "packages", pkg);
    if (!(target + sep).startsWith(pkgDir + sep)) {
      return `${file}: relative import ${spec} leaves package "${pkg}"`;
    }
  }
  return null;
}

/** All layering violations under `root` (the repository root). */
export function checkLayers(root) {
  const problems = [];
  const pkgsDir = join(root, "packages");
  for (const pkg of readdirSync(pkgsDir)) {
    const dir = join(pkgsDir, pkg);
    if (!statSync(dir).isDirectory()) continue;
    if (!(pkg in LAYERS)) {
      problems.push(`packages/${pkg}: not in the layer table (scripts/layers.mjs)`);
      continue;
    }
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const declared = new Set(Object.keys(manifest.dependencies ?? {}));
    const files = [...walk(join(dir, "src"), []), ...walk(join(dir, "test"), [])];
    for (const abs of files) {
      const file = relative(root, abs);
      for (const spec of importsOf(readFileSync(abs, "utf8"))) {
        const v = checkImport(pkg, file, spec, root);
        if (v) problems.push(v);
        // A source file's workspace import must be a declared dependency, or the
        // package's own build (and any consumer outside this repository) cannot resolve it.
        const dep = spec.startsWith("@strata/") ? spec.split("/").slice(0, 2).join("/") : null;
        if (!v && dep && file.includes(`${sep}src${sep}`) && !declared.has(dep)) {
          problems.push(`${file}: imports ${dep}, which packages/${pkg}/package.json does not list in dependencies`);
        }
      }
    }
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (dep.startsWith("@strata/")) {
        const name = dep.slice("@strata/".length);
        if (!LAYERS[pkg].includes(name)) problems.push(`packages/${pkg}/package.json: may not depend on ${dep}`);
      } else if (ENGINE.includes(pkg) && !ENGINE_RUNTIME_DEPS.includes(dep)) {
        problems.push(`packages/${pkg}/package.json: engine package may not have runtime dependency ${dep}`);
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
  const problems = checkLayers(root);
  for (const p of problems) console.error(p);
  console.log(problems.length === 0 ? "layers: ok" : `layers: ${problems.length} violation(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
