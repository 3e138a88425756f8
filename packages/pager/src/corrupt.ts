/*
 * corrupt.ts: the one door through which every SQLITE_CORRUPT error of the storage layer is
 * built (SQLite's SQLITE_CORRUPT_BKPT). A fuzzer or a debugger needs one breakpoint here.
 *
 * Invariants:
 *  1. Every corruption the pager or B-tree detects is thrown as `corrupt(pgno, detail)`;
 *     no other code constructs a SQLITE_CORRUPT error.
 *  2. The message is SQLite's text, "database disk image is malformed"; the page number and
 *     a human-readable detail are kept as properties for debugging only.
 */
import { SqliteError } from "@strata/common";

export class CorruptError extends SqliteError {
  /** The page on which the corruption was noticed (0 when not tied to a page). */
  readonly pgno: number;

  constructor(pgno: number, detail: string) {
    // `detail` (SqliteError's debugging field) says what was wrong, never the message.
    super("SQLITE_CORRUPT", "database disk image is malformed", `page ${pgno}: ${detail}`);
    this.pgno = pgno;
  }
}

/** Builds (does not throw) the SQLITE_CORRUPT error: `throw corrupt(pgno, "why")`. */
export function corrupt(pgno: number, detail: string): CorruptError {
  return new CorruptError(pgno, detail);
}
