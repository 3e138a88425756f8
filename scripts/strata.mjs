// `pnpm strata [ARGS]`: builds the workspace packages if their sources changed (turbo
// caches, so a second run costs about a second), then runs the `strata` shell
// (packages/cli/bin/strata.js) with the arguments, attached to this terminal.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const build = spawnSync(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
if (build.status !== 0) {
  process.stderr.write(build.stdout);
  process.exit(build.status ?? 1);
}
const shell = spawnSync(process.execPath, [join(root, "packages", "cli", "bin", "strata.js"), ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(shell.status ?? 1);
