/*
 * SqliteError: the one error type every Strata layer throws. It carries SQLite's result
 * code by name (`code`, as better-sqlite3 and @libsql/client expose it) and by number
 * (`rawCode`, the extended code), and SQLite's message text.
 *
 * Invariants:
 *  1. `code` is always a key of RESULT_CODES and `rawCode === RESULT_CODES[code]`.
 *  2. `message` is SQLite's wording where SQLite has one (e.g. `no such table: t`);
 *     without a message, sqlite3_errstr()'s text for the code.
 *  3. `offset` is sqlite3_error_offset's answer for an error raised while preparing: where
 *     in the SQL text the error was found, as an index into the JavaScript string passed
 *     to prepare (UTF-16 code units; SQLite's C API counts UTF-8 bytes), or -1 when the
 *     error has no position (runtime errors, and the errors SQLite words without a token).
 */
import { RESULT_CODES, errorString, type ResultCodeName } from "./result-codes.js";

export class SqliteError extends Error {
  /** The (extended) result code's name, e.g. `SQLITE_CONSTRAINT_UNIQUE`. */
  readonly code: ResultCodeName;
  /** The (extended) result code's number, e.g. 2067. */
  readonly rawCode: number;
  /** Where the error was detected, for debugging (not part of SQLite's message); null if unknown. */
  readonly detail: string | null;
  /** sqlite3_error_offset (invariant 3); set by the parser, the compiler and prepare. */
  offset = -1;

  constructor(code: ResultCodeName, message?: string, detail?: string) {
    const rawCode = RESULT_CODES[code];
    super(message ?? errorString(rawCode));
    this.name = "SqliteError";
    this.code = code;
    this.rawCode = rawCode;
    this.detail = detail ?? null;
  }
}

/**
 * The one door for corruption (style.md): every layer builds its SQLITE_CORRUPT error
 * here, so a fuzzer or debugger has one breakpoint. The message is SQLite's
 * ("database disk image is malformed"); `detail` says what was wrong. Returns the
 * error so the caller writes `throw corrupt("...")`.
 */
export function corrupt(detail?: string): SqliteError {
  return new SqliteError("SQLITE_CORRUPT", undefined, detail);
}

/** True when `e` is a SqliteError whose primary code is `primary` (e.g. SQLITE_CONSTRAINT). */
export function isPrimary(e: unknown, primary: ResultCodeName): e is SqliteError {
  return e instanceof SqliteError && (e.rawCode & 0xff) === RESULT_CODES[primary];
}
