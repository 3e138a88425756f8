/*
 * The few SqliteErrors every backend raises for the same reasons, so the text is
 * written once: use of a closed file, a write to a read-only file, a bad offset.
 * I/O failures proper (SQLITE_IOERR_*) are raised by each backend with its cause.
 *
 * Invariant: every message here is SQLite's own text for the code (sqlite3_errstr),
 * followed by a parenthesised detail naming the file, so a test can match either.
 */
import { SqliteError, errorString, RESULT_CODES, type ResultCodeName } from "@strata/common";

/** A SqliteError with SQLite's text for `code` and a detail, e.g. `disk I/O error (write x.db)`. */
export function vfsError(code: ResultCodeName, detail: string, cause?: unknown): SqliteError {
  const err = new SqliteError(code, `${errorString(RESULT_CODES[code])} (${detail})`);
  if (cause !== undefined) err.cause = cause;
  return err;
}

export function closedFileError(path: string): SqliteError {
  return vfsError("SQLITE_MISUSE", `file is closed: ${path}`);
}

export function readonlyFileError(path: string): SqliteError {
  return vfsError("SQLITE_READONLY", `file opened read-only: ${path}`);
}

/** Throws SQLITE_MISUSE unless `n` is a non-negative safe integer (invariant 6 of vfs.ts). */
export function checkOffset(n: number, what: string, path: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw vfsError("SQLITE_MISUSE", `bad ${what} ${n}: ${path}`);
}

/** The errno name of a node error (`ENOENT`), or "EUNKNOWN". */
export function errnoOf(e: unknown): string {
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string"
    ? (e as { code: string }).code
    : "EUNKNOWN";
}
