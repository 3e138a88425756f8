/*
 * Runs one sqllogictest script (parsed by format.ts) against an SltEngine (engine.ts)
 * in validation mode, as the reference harness's `sqllogictest -verify` does, and
 * reports per-record outcomes. Rendering of values is render.ts.
 *
 * Per record, in file order (engine name: engine.name, normally "sqlite"):
 *   - conditions exclude it            -> skipped. A skipped query with a label still
 *     registers/checks its EXPECTED result under the label: the "N values hashing to H"
 *     line's H, or the md5 of its expected lines (each + "\n"); a mismatch is a failure.
 *   - statement ok|error               -> engine.execute; passes iff it threw exactly
 *     when `error` was expected.
 *   - query                            -> prepare (a throw fails it); column count must
 *     equal the type string's length (else fails, not stepped); run (a step error just
 *     ends the rows); render each value per type char; sort (rowsort: rows by strcmp on
 *     rendered columns, left to right; valuesort: all values alone); then
 *       hashed = label present || (threshold > 0 && values > threshold), where hashed
 *       means md5 over every value followed by "\n", shown as
 *       "<values> values hashing to <md5 hex>";
 *       a label stores the md5 the first time and must match it every later time;
 *       if threshold == 0 or values <= threshold the expected lines must equal the
 *       values, else the expected block must be exactly the hash line.
 *   - hash-threshold N                 -> threshold = N for the rest of the file
 *     (default 8); not counted as a record.
 *   - halt                             -> stop the file; not counted.
 *   - invalid                          -> a failure; a fatal one also stops the file.
 *
 * Deliberate differences from the C harness (stricter, never looser): it compares only
 * min(expected, got) lines, so a missing or extra row goes unnoticed; here the counts
 * must match. Labels are cut to 20 characters in both the run and skipped paths (the C
 * harness cuts only the run one).
 *
 * Invariants:
 *   1. run + skipped = statement and query records reached; passed + failed(run) = run.
 *      `failed` also counts invalid records and label mismatches of skipped queries.
 *   2. The engine is opened once per file and closed even when a record throws.
 */
import { createHash } from "node:crypto";
import { appliesTo, parseScript, type QueryRecord, type SltRecord } from "./format.js";
import { renderValue } from "./render.js";
import type { SqlValue } from "@strata/common";
import type { SltEngine } from "./engine.js";

export const DEFAULT_HASH_THRESHOLD = 8;

export interface SltFailure {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly sql: string;
  /** Expected lines (for a query) or "" (statement). */
  readonly expected: readonly string[];
  /** What the engine produced, rendered as the expected lines would be. */
  readonly got: readonly string[];
}

export interface FileResult {
  readonly file: string;
  run: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Queries whose rows ended on a step error (not failures by themselves). */
  stepErrors: number;
  halted: boolean;
  /** True when the run stopped early (max failures, stop-on-fail, fatal record). */
  stopped: boolean;
  seconds: number;
  readonly failures: SltFailure[];
}

export interface RunOptions {
  /** Stop this file after this many failures (default: never). */
  readonly maxFailures?: number;
  /** Called for each failure as it happens. */
  readonly onFailure?: (failure: SltFailure) => void;
}

function md5(values: readonly string[]): string {
  const h = createHash("md5");
  for (const v of values) h.update(v).update("\n");
  return h.digest("hex");
}

const HASH_LINE = /^[ \t\n\v\f\r]*[+-]?\d+[ \t\n\v\f\r]*values[ \t\n\v\f\r]+hashing[ \t\n\v\f\r]+to[ \t\n\v\f\r]+(\S{1,32})/;
const labelKey = (label: string): string => label.slice(0, 20);
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Renders, sorts and hashes a query's rows exactly as the harness compares them. */
export function resultLines(
  q: Pick<QueryRecord, "types" | "sort">, rows: readonly (readonly SqlValue[])[],
): string[] {
  const n = q.types.length;
  let table = rows.map((row) => {
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = renderValue(row[i] ?? null, q.types[i]);
    return out;
  });
  if (q.sort === "rowsort") {
    table = table.sort((a, b) => {
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return 0;
    });
  }
  const values = table.flat();
  if (q.sort === "valuesort") values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return values;
}

/** The "N values hashing to H" line for rendered values. */
export function hashLine(values: readonly string[], digest = md5(values)): string {
  return `${values.length} values hashing to ${digest}`;
}

/** Runs one script's text on `engine`; `file` names it in failures. */
export function runScript(text: string, file: string, engine: SltEngine, options: RunOptions = {}): FileResult {
  const started = performance.now();
  const result: FileResult = {
    file, run: 0, passed: 0, failed: 0, skipped: 0, stepErrors: 0,
    halted: false, stopped: false, seconds: 0, failures: [],
  };
  const labels = new Map<string, string>();
  let threshold = DEFAULT_HASH_THRESHOLD;
  const maxFailures = options.maxFailures ?? Infinity;

  const fail = (r: SltRecord, message: string, sql = "", expected: readonly string[] = [], got: readonly string[] = []) => {
    const f: SltFailure = { file, line: r.line, message, sql, expected, got };
    result.failed++;
    result.failures.push(f);
    options.onFailure?.(f);
  };
  /** Registers a label's hash, or checks it against the one registered first. */
  const checkLabel = (label: string, hash: string): boolean => {
    const key = labelKey(label);
    const prior = labels.get(key);
    if (prior === undefined) labels.set(key, hash);
    return prior === undefined || prior === hash;
  };

  engine.open();
  try {
    for (const r of parseScript(text)) {
      if (result.failed >= maxFailures) { result.stopped = true; break; }
      if (!appliesTo(r.conditions, engine.name)) {
        result.skipped++;
        if (r.kind === "query" && r.label !== null && r.expected.length > 0) {
          const m = HASH_LINE.exec(r.expected[0]);
          const hash = m !== null ? m[1] : md5(r.expected);
          if (!checkLabel(r.label, hash)) {
            fail(r, `labeled result [${labelKey(r.label)}] does not agree with previous values (skipped query)`, r.sql, r.expected);
          }
        }
        continue;
      }
      switch (r.kind) {
        case "hash-threshold": threshold = r.threshold; break;
        case "halt": result.halted = true; break;
        case "invalid":
          fail(r, r.message);
          if (r.fatal) result.stopped = true;
          break;
        case "statement": {
          result.run++;
          let error: string | null = null;
          try { engine.execute(r.sql); } catch (e) { error = errorText(e); }
          if ((error !== null) === r.expectError) result.passed++;
          else fail(r, r.expectError ? "statement succeeded but an error was expected" : `statement failed: ${error}`, r.sql);
          break;
        }
        case "query": {
          result.run++;
          const before = result.failed;
          runQuery(r, engine, threshold, checkLabel, (message, got) => fail(r, message, r.sql, r.expected, got), result);
          if (result.failed === before) result.passed++;
          break;
        }
      }
      if (result.halted || result.stopped) break;
    }
  } finally {
    engine.close();
    result.seconds = (performance.now() - started) / 1000;
  }
  return result;
}

function runQuery(
  q: QueryRecord, engine: SltEngine, threshold: number,
  checkLabel: (label: string, hash: string) => boolean,
  fail: (message: string, got?: readonly string[]) => void, result: FileResult,
): void {
  let stmt;
  try {
    stmt = engine.prepare(q.sql);
  } catch (e) {
    fail(`query failed: ${errorText(e)}`);
    return;
  }
  if (stmt.columnCount !== q.types.length) {
    fail(`wrong number of result columns: expected ${q.types.length} but got ${stmt.columnCount}`);
    return;
  }
  const { rows, error } = stmt.run();
  if (error !== null) result.stepErrors++;
  const values = resultLines(q, rows);
  const hashed = q.label !== null || (threshold > 0 && values.length > threshold);
  const digest = hashed ? md5(values) : "";
  const hash = hashed ? hashLine(values, digest) : "";
  if (q.label !== null && !checkLabel(q.label, digest)) {
    fail(`labeled result [${labelKey(q.label)}] does not agree with previous values`, [hash]);
    return;
  }
  if (threshold === 0 || values.length <= threshold) {
    const same = values.length === q.expected.length && values.every((v, i) => v === q.expected[i]);
    if (!same) fail(error === null ? "wrong result" : `wrong result (rows ended by: ${error})`, values);
  } else if (q.expected.length !== 1 || q.expected[0] !== hash) {
    fail(error === null ? "wrong result hash" : `wrong result hash (rows ended by: ${error})`, [hash]);
  }
}
