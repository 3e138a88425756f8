#!/usr/bin/env node
// The `strata` command: the shell of ../src (built to ../dist) over the embedded engine
// (@strata/database, through openLocal). Run `pnpm build` at the repository root first.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

let cli;
try {
  cli = await import("../dist/index.js");
} catch (e) {
  process.stderr.write(
    "strata: the shell or the engine it runs on is not built (" + (e && e.message ? e.message : e) + ").\n" +
      "Run `pnpm build` at the repository root (packages/cli needs @strata/database's dist).\n",
  );
  process.exit(2);
}
const { main, openLocal } = cli;
const version = "Strata 0.0.0 (SQLite 3.53 compatible)";
process.exitCode = await main(process.argv.slice(2), {
  opener: openLocal,
  io: {
    stdout: (b) => process.stdout.write(Buffer.from(b, "latin1")),
    stderr: (b) => process.stderr.write(Buffer.from(b, "latin1")),
  },
  stdinIsTTY: process.stdin.isTTY === true,
  readStdin: async () => readFileSync(0),
  version,
  historyFile: join(homedir(), ".strata_history"),
});
