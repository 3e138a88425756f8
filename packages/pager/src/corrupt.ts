/*
 * corrupt.ts: the storage layer's door to SQLITE_CORRUPT. It builds the error through
 * @strata/common's corrupt(), the one function through which every SQLITE_CORRUPT of the
 * engine is made (SQLite's SQLITE_CORRUPT_BKPT), so a fuzzer or a debugger needs one
 * breakpoint there.
 *
 * Invariants:
 *  1. Every corruption the pager or B-tree detects is thrown as `corrupt(pgno, detail)`;
 *     no other code of this package constructs a SQLITE_CORRUPT error.
 *  2. The message is SQLite's text, "database disk image is malformed"; the page number and
 *     a human-readable detail go into SqliteError.detail ("page N: ...") for debugging only.
 */
import { corrupt as corruptError, type SqliteError } from "@strata/common";

/** Builds (does not throw) the SQLITE_CORRUPT error: `throw corrupt(pgno, "why")`;
 *  pgno 0 when the corruption is not tied to a page. */
export function corrupt(pgno: number, detail: string): SqliteError {
  return corruptError(`page ${pgno}: ${detail}`);
}
