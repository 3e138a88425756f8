// An interactive session in a pseudo-terminal (tmux): the prompt, a continuation prompt,
// an error, a result table, history written to the history file, and a clean exit on
// Ctrl-D. The shell runs as a real process: the bin itself (bin/strata.js) bundled with
// esbuild, its import of ../dist/index.js resolved to ../src/index.ts and the workspace
// packages to their sources, so the test needs no build and runs Strata's own engine.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { bundleBin } from "./support/bin.js";

const work = mkdtempSync(join(tmpdir(), "strata-tty-"));
const socket = `strata-cli-test-${process.pid}`;
const session = "shell";

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
}

/** Types a line, then Enter. A ";" goes as its hex code: tmux reads a trailing ";" as a separator. */
function typeLine(text: string): void {
  text.split(";").forEach((part, i) => {
    if (i > 0) tmux("send-keys", "-t", session, "-H", "3b");
    if (part.length > 0) tmux("send-keys", "-t", session, "-l", part);
  });
  tmux("send-keys", "-t", session, "Enter");
}

function screen(): string {
  return tmux("capture-pane", "-p", "-t", session);
}

async function waitFor(pred: (s: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 15000;
  let s = "";
  while (Date.now() < deadline) {
    s = screen();
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
}

let bundle = "";

beforeAll(async () => {
  bundle = await bundleBin("strata-tty");
});

afterAll(() => {
  spawnSync("tmux", ["-L", socket, "kill-server"]);
  rmSync(work, { recursive: true, force: true });
});

test("an interactive session through a pseudo-terminal", async () => {
  // The bin keeps its history in ~/.strata_history: HOME is the scratch directory.
  const history = join(work, ".strata_history");
  const db = join(work, "tty.db");
  const cmd = `HOME='${work}' node '${bundle}' '${db}'; echo "[exit status $?]"; sleep 60`;
  tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd);
  await waitFor((s) => s.includes("strata>"), "the prompt");
  expect(screen()).toContain('Enter ".help" for usage hints.');

  typeLine("CREATE TABLE t(a INTEGER, b TEXT);");
  typeLine("INSERT INTO t VALUES(1, 'one'),");
  await waitFor((s) => s.includes("   ...>"), "the continuation prompt");
  typeLine("(22, '日本語');");
  typeLine("selec 1;");
  await waitFor((s) => s.includes("Parse error: near"), "the error");
  typeLine(".mode box");
  typeLine("SELECT * FROM t;");
  const table = await waitFor((s) => s.includes("└"), "the result table");
  expect(table).toContain('Parse error: near "selec": syntax error');
  expect(table).toContain("  selec 1;\n  ^--- error here");
  // Widths count characters, as the 3.40 shell counts them (a wide character is one).
  expect(table).toContain("strata> INSERT INTO t VALUES(1, 'one'),\n   ...> (22, '日本語');");
  expect(table).toContain("┌────┬─────┐\n│ a  │  b  │\n├────┼─────┤\n│ 1  │ one │\n│ 22 │ 日本語 │\n└────┴─────┘");
  tmux("send-keys", "-t", session, "C-d");
  const end = await waitFor((s) => s.includes("[exit status"), "the exit");
  expect(end).toContain("[exit status 0]");
  expect(existsSync(history)).toBe(true);
  const lines = readFileSync(history, "utf8").split("\n");
  expect(lines).toContain("SELECT * FROM t;");
  expect(lines).toContain("selec 1;");
  const check = spawnSync("sqlite3", [db, "SELECT count(*) FROM t"]).stdout.toString();
  expect(check).toBe("2\n");
}, 60_000);
