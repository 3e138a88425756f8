/*
 * The seam between the sqllogictest runner and a database engine. An adapter is a small
 * file in engines/ that wraps one engine (better-sqlite3 today, Strata later) in this
 * interface; the runner does everything else (conditions, rendering, sorting, hashing,
 * labels, comparison).
 *
 * The shape follows the reference harness's DbEngine (slt_sqlite.c), with one change:
 * a query is two calls, prepare then run, because the harness's rules depend on which
 * of the two fails:
 *   - a prepare (compile) error fails the query;
 *   - a prepared query whose column count differs from the type string fails WITHOUT
 *     being stepped (so a mistyped record never executes);
 *   - an error while stepping just ends the rows: the rows before it are the result.
 *
 * Invariants an adapter keeps:
 *   1. `open` gives a fresh, empty database; `close` releases it. One open per file.
 *   2. `execute` runs every statement in its text (sqlite3_exec) and throws on the first
 *      error; nothing else is reported.
 *   3. `prepare` compiles the (single) statement and throws on a compile error.
 *   4. `run` steps to the end and never throws: a step error comes back in `error`,
 *      with the complete rows produced before it.
 *   5. Values carry their storage class as @strata/common's SqlValue: null, number for
 *      an INTEGER in the safe range, bigint for a larger INTEGER, Real for a REAL (even
 *      a whole one), string for TEXT, Uint8Array for a BLOB.
 */
import type { SqlValue } from "@strata/common";

export interface SltEngine {
  /** The name `skipif`/`onlyif` lines are matched against ("sqlite" for ours). */
  readonly name: string;
  open(): void;
  execute(sql: string): void;
  prepare(sql: string): SltStatement;
  close(): void;
}

export interface SltStatement {
  /** Number of result columns (0 for a statement that returns no data). */
  readonly columnCount: number;
  /** Steps to the end (at most once per statement). */
  run(): SltRows;
}

export interface SltRows {
  /** Every complete row produced, each with `columnCount` values. */
  readonly rows: SqlValue[][];
  /** The error that ended stepping early, or null. */
  readonly error: string | null;
}
