/*
 * The sqllogictest script format: parse a `.test` file into records, each with the line
 * number it starts on. Nothing here runs SQL; runner.ts does that.
 *
 * Format (../shared/slt/about.wiki, and what the reference harness sqllogictest.c really
 * does, which is what this parser follows where the two differ):
 *
 *   - A file is lines separated by "\n"; a trailing "\r" is dropped (CRLF files work).
 *     A line holding only whitespace (C's isspace: " \t\n\v\f\r") is blank.
 *   - A line whose FIRST character is '#' is a comment. Comments are removed before
 *     anything else looks at the file: they never separate records, and a comment in
 *     the middle of SQL or of expected results simply disappears. (An indented '#' is
 *     not a comment.)
 *   - Records are runs of non-blank lines separated by one or more blank lines.
 *   - A record opens with zero or more condition lines, `skipif <engine>` or
 *     `onlyif <engine>`, then its head line, split on whitespace into tokens:
 *       statement ok|error          SQL on the following lines (joined with "\n")
 *       query <types> [<sort>] [<label>]
 *                                   SQL up to a line "----", then expected values,
 *                                   one per line; no "----" means "no rows expected"
 *       hash-threshold <N>          N parsed like C's atoi (junk gives 0)
 *       halt                        stop the file here
 *   - types is one or more of T, I, R; sort is nosort (default), rowsort or valuesort.
 *
 * Invariants:
 *   1. Every record carries `line`, the 1-based line number of its head line in the
 *      original file (comments included in the count), and the conditions before it.
 *   2. A malformed record is not dropped: it becomes `{ kind: "invalid" }` with the
 *      harness's message, so the runner counts it as a failure. An unknown head word is
 *      `fatal` (the harness stops reading the file there); the others are not.
 *   3. Parsing never throws.
 */

/** One `skipif`/`onlyif` line in front of a record. */
export interface Condition {
  readonly kind: "skipif" | "onlyif";
  readonly engine: string;
}

export type SortMode = "nosort" | "rowsort" | "valuesort";

export interface StatementRecord {
  readonly kind: "statement";
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly expectError: boolean;
  readonly sql: string;
}

export interface QueryRecord {
  readonly kind: "query";
  readonly line: number;
  readonly conditions: readonly Condition[];
  /** One of 'T', 'I', 'R' per result column. */
  readonly types: string;
  readonly sort: SortMode;
  /** The label, or null when the head line has none. */
  readonly label: string | null;
  readonly sql: string;
  /** The lines after "----" (empty when there is no "----"). */
  readonly expected: readonly string[];
  /** Line number of the first expected value (0 when there is none). */
  readonly expectedLine: number;
}

export interface HashThresholdRecord {
  readonly kind: "hash-threshold";
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly threshold: number;
}

export interface HaltRecord {
  readonly kind: "halt";
  readonly line: number;
  readonly conditions: readonly Condition[];
}

export interface InvalidRecord {
  readonly kind: "invalid";
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly message: string;
  /** True when the reference harness stops reading the file at this record. */
  readonly fatal: boolean;
}

export type SltRecord = StatementRecord | QueryRecord | HashThresholdRecord | HaltRecord | InvalidRecord;

/** A source line with its 1-based number in the file. */
interface Line {
  readonly text: string;
  readonly n: number;
}

const SPACE = /^[ \t\n\v\f\r]*$/;

/** Splits a head line into whitespace-separated tokens, as the harness's tokenizeLine. */
function tokens(text: string): string[] {
  return text.split(/[ \t\n\v\f\r]+/).filter((t) => t !== "");
}

/** C's atoi: optional whitespace and sign, then the longest run of digits; else 0. */
export function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m === null ? 0 : Number.parseInt(m[1], 10);
}

/** The records of one script, in file order. */
export function parseScript(text: string): SltRecord[] {
  const records: SltRecord[] = [];
  let block: Line[] = [];
  const raw = text.split("\n");
  for (let i = 0; i <= raw.length; i++) {
    let t = i < raw.length ? raw[i] : "";
    if (t.endsWith("\r")) t = t.slice(0, -1);
    if (SPACE.test(t)) t = "";
    if (t.startsWith("#")) continue;
    if (t === "") {
      if (block.length > 0) records.push(parseRecord(block));
      block = [];
    } else {
      block.push({ text: t, n: i + 1 });
    }
  }
  return records;
}

function parseRecord(block: readonly Line[]): SltRecord {
  const conditions: Condition[] = [];
  let i = 0;
  let head = tokens(block[0].text);
  while (head[0] === "skipif" || head[0] === "onlyif") {
    conditions.push({ kind: head[0], engine: head[1] ?? "" });
    i++;
    head = i < block.length ? tokens(block[i].text) : [];
  }
  const line = i < block.length ? block[i].n : block[block.length - 1].n;
  const body = block.slice(i + 1);
  const invalid = (message: string, fatal = false): InvalidRecord =>
    ({ kind: "invalid", line, conditions, message, fatal });

  switch (head[0]) {
    case "statement": {
      const sql = body.map((l) => l.text).join("\n");
      if (head[1] !== "ok" && head[1] !== "error") return invalid("statement argument should be 'ok' or 'error'");
      return { kind: "statement", line, conditions, expectError: head[1] === "error", sql };
    }
    case "query": {
      const types = head[1] ?? "";
      if (types === "") return invalid("missing type string");
      const bad = /[^TIR]/.exec(types);
      if (bad !== null) return invalid(`unknown type character '${bad[0]}' in type string`);
      const sort = head[2] ?? "nosort";
      if (sort !== "nosort" && sort !== "rowsort" && sort !== "valuesort") {
        return invalid(`unknown sort method: '${sort}'`);
      }
      const dash = body.findIndex((l) => l.text === "----");
      const sqlLines = dash < 0 ? body : body.slice(0, dash);
      const expected = dash < 0 ? [] : body.slice(dash + 1);
      return {
        kind: "query", line, conditions, types, sort, label: head[3] ?? null,
        sql: sqlLines.map((l) => l.text).join("\n"),
        expected: expected.map((l) => l.text),
        expectedLine: expected.length > 0 ? expected[0].n : 0,
      };
    }
    case "hash-threshold":
      return { kind: "hash-threshold", line, conditions, threshold: atoi(head[1] ?? "") };
    case "halt":
      return { kind: "halt", line, conditions };
    default:
      return invalid(`unknown record type: '${head[0] ?? ""}'`, true);
  }
}

/**
 * Whether an engine called `engine` runs a record with these conditions: not if any
 * `skipif` names it, and not if any `onlyif` names another engine. Names compare
 * case-insensitively (the harness uses stricmp).
 */
export function appliesTo(conditions: readonly Condition[], engine: string): boolean {
  const me = engine.toLowerCase();
  for (const c of conditions) {
    const match = c.engine.toLowerCase() === me;
    if (c.kind === "skipif" ? match : !match) return false;
  }
  return true;
}
