// The corpus: every script in test/corpus/ run by `sqlite3 ARGS < script` (the machine's
// 3.40.1 shell) and by `strata ARGS < script` (the bin, bundled by support/bin.ts, over
// Strata's own engine) must print the same bytes on stdout and stderr, exit with the same
// status, and write the same files. ARGS come from the script's first line
// ("-- args: ..."); a script may name a database file there.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { bundleBin } from "./support/bin.js";
import { CORPUS_DIR, corpusScripts, runSqlite3, runStrata, scriptArgs } from "./support/corpus.js";

const scripts = corpusScripts();
let bin = "";

beforeAll(async () => {
  bin = await bundleBin("strata-corpus");
});

describe("corpus: strata < script prints what sqlite3 < script prints", () => {
  test("the corpus is not empty", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(20);
  });
  for (const name of scripts) {
    test(name, () => {
      const input = readFileSync(join(CORPUS_DIR, name));
      const args = scriptArgs(input.toString("utf8"));
      const want = runSqlite3(args, input);
      const got = runStrata(bin, args, input);
      expect(got.stdout.toString("latin1")).toBe(want.stdout.toString("latin1"));
      expect(got.stderr.toString("latin1")).toBe(want.stderr.toString("latin1"));
      expect(got.status).toBe(want.status);
      expect(got.files).toEqual(want.files);
      // A script that prints nothing would compare equal without testing anything.
      expect(want.stdout.length + want.stderr.length).toBeGreaterThan(0);
    });
  }
});
