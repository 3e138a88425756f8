// The shell over Strata's own engine (openLocal, @strata/database): corpus scripts that use
// only what the engine supports today print exactly what sqlite3 prints. More scripts join
// this list as the engine grows (views, triggers, RETURNING, WITH, PRAGMA are not there yet).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { main } from "../src/main.js";
import { openLocal } from "../src/local-connection.js";
import { CORPUS_DIR, runSqlite3, scriptArgs } from "./support/corpus.js";

const ON_ENGINE = ["01-values.sql", "03-nulls.sql", "06-unicode.sql", "08-bail.sql"];

for (const name of ON_ENGINE) {
  test(`over @strata/database: ${name}`, async () => {
    const input = readFileSync(join(CORPUS_DIR, name));
    const args = scriptArgs(input.toString("utf8"));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const status = await main(args, {
      opener: openLocal,
      io: { stdout: (b) => out.push(Buffer.from(b, "latin1")), stderr: (b) => err.push(Buffer.from(b, "latin1")) },
      stdinIsTTY: false,
      readStdin: async () => input,
      version: "test",
      historyFile: null,
    });
    const want = runSqlite3(args, input);
    expect(Buffer.concat(out).toString("latin1")).toBe(want.stdout.toString("latin1"));
    expect(Buffer.concat(err).toString("latin1")).toBe(want.stderr.toString("latin1"));
    expect(status).toBe(want.status);
  });
}
