// A runnable shell over better-sqlite3, for tests that need a real process: the tmux
// interactive test bundles this file with esbuild and runs it in a pseudo-terminal.
// It is the bin's code path (main) with the test connection in place of the engine.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/main.js";
import { openBsqlite } from "./bsqlite-connection.js";
import { TEST_VERSION } from "./run-shell.js";

const status = await main(process.argv.slice(2), {
  opener: openBsqlite,
  io: {
    stdout: (b) => process.stdout.write(Buffer.from(b, "latin1")),
    stderr: (b) => process.stderr.write(Buffer.from(b, "latin1")),
  },
  stdinIsTTY: process.stdin.isTTY === true,
  readStdin: async () => readFileSync(0),
  version: TEST_VERSION,
  historyFile: process.env.STRATA_HISTORY ?? join(homedir(), ".strata_history"),
});
process.exitCode = status;
