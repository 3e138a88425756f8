// The interactive prompt: node:readline with line editing and a history file.
//
//   strata> SELECT 1 +        prompt "strata> ", then "   ...> " while the SQL is pending
//      ...> 2;
//   3
//
// History: lines are kept in ~/.strata_history (newest last, as the sqlite3 shell keeps
// ~/.sqlite_history), loaded at start and appended as they are entered. Ctrl-C while a
// statement runs interrupts it (the shell checks between rows; an engine that can stop
// inside one step does so through ShellConnection.interrupt); Ctrl-C at the prompt drops
// the pending input; Ctrl-D at the prompt leaves.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { MainDeps } from "./main.js";
import type { Shell } from "./shell.js";
import { utf8Bytes } from "./text.js";

export const PROMPT = "strata> ";
export const CONTINUE_PROMPT = "   ...> ";

export async function runRepl(shell: Shell, deps: MainDeps): Promise<number> {
  const history: string[] = [];
  if (deps.historyFile !== null && existsSync(deps.historyFile)) {
    history.push(...readFileSync(deps.historyFile, "utf8").split("\n").filter((l) => l.length > 0).reverse());
  }
  const loc = shell.openOptions.location;
  let banner = `${deps.version}\nEnter ".help" for usage hints.\n`;
  if (loc === ":memory:" || loc === "") {
    banner += 'Connected to a transient in-memory database.\nUse ".open FILENAME" to reopen on a persistent database.\n';
  }
  deps.io.stdout(utf8Bytes(banner));
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    history: history.slice(0, 2000),
    historySize: 2000,
    removeHistoryDuplicates: false,
  });
  const session = shell.session();
  let busy = false;
  let closed = false;
  rl.on("SIGINT", () => {
    if (busy) {
      shell.interrupt();
      return;
    }
    // Drop the line being typed and any pending SQL; start over at the main prompt.
    process.stdout.write("^C\n");
    session.reset();
    rl.setPrompt(PROMPT);
    rl.write(null, { ctrl: true, name: "u" });
    rl.prompt();
  });
  rl.on("close", () => {
    closed = true;
  });
  rl.setPrompt(PROMPT);
  rl.prompt();
  for await (const line of rl) {
    if (line.trim().length > 0 && deps.historyFile !== null) {
      try {
        appendFileSync(deps.historyFile, line + "\n");
      } catch {
        // A history file we cannot write is not an error of the session.
      }
    }
    busy = true;
    rl.pause();
    try {
      await session.feed(utf8Bytes(line));
    } finally {
      busy = false;
    }
    if (shell.exitRequested) break;
    rl.setPrompt(session.pending ? CONTINUE_PROMPT : PROMPT);
    rl.resume();
    rl.prompt();
  }
  if (!shell.exitRequested) {
    if (closed) process.stdout.write("\n");
    await session.finish();
  }
  rl.close();
  return shell.exitCode ?? 0;
}
