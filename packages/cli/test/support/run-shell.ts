// Runs the shell in-process over Strata's engine (openLocal, as the bin does) and captures
// its bytes, for tests that need no separate process.
import { main } from "../../src/main.js";
import { openLocal } from "../../src/local-connection.js";

export interface RunResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly status: number;
}

export const TEST_VERSION = "Strata 0.0.0 (test shell)";

export async function runShell(argv: readonly string[], stdin: Uint8Array | string = ""): Promise<RunResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const status = await main(argv, {
    opener: openLocal,
    io: {
      stdout: (b) => out.push(Buffer.from(b, "latin1")),
      stderr: (b) => err.push(Buffer.from(b, "latin1")),
    },
    stdinIsTTY: false,
    readStdin: async () => (typeof stdin === "string" ? Buffer.from(stdin, "utf8") : stdin),
    version: TEST_VERSION,
    historyFile: null,
  });
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), status };
}
