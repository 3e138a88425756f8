// The shell's only view of a database: a ShellConnection.
//
// The shell (shell.ts) never talks to an engine directly. It opens a connection through a
// `ConnectionOpener`, prepares ONE statement at a time from the front of a script (getting
// back the unconsumed tail, as sqlite3_prepare_v2's pzTail does), steps rows as typed
// values, and asks the connection how the engine renders a REAL as text. That is all the
// sqlite3 shell needs from the C API (sqlite3_prepare_v2, sqlite3_column_name,
// sqlite3_column_decltype, sqlite3_column_type/_text, sqlite3_changes64,
// sqlite3_total_changes64, sqlite3_error_offset), and it is small enough to be implemented
// over more than one engine:
//
//   - locally over @strata/database (the embedded engine: local-connection.ts; the bin's),
//   - remotely over @strata/client (Hrana: a statement at a time, rows as typed values),
//     when that client exists.
//
// Invariants a connection keeps:
//   1. A value's JavaScript type is its SQLite storage class: null = NULL, bigint = INTEGER
//      (always, even when small), number = REAL, string = TEXT, Uint8Array = BLOB. So the
//      shell never confuses 1 with 1.0.
//   2. `prepare` consumes exactly one statement (or only whitespace/comments, giving a
//      null statement) and returns the rest of the text as `tail`. An empty `sql` gives
//      `{ statement: null, tail: "" }`.
//   3. Failures are thrown as ShellSqlError with SQLite's primary result code and message,
//      and, for prepare errors, the byte offset in the UTF-8 of the `sql` passed to prepare
//      at which SQLite places the error (sqlite3_error_offset), or -1.

/** A value as the shell sees it; its JavaScript type is its storage class (invariant 1). */
export type ShellValue = null | bigint | number | string | Uint8Array;

/** An error from the engine, as the sqlite3 C API reports it. */
export class ShellSqlError extends Error {
  /** SQLite's primary result code (SQLITE_ERROR = 1, SQLITE_CONSTRAINT = 19, ...). */
  readonly code: number;
  /** Byte offset of the error in the prepared text (sqlite3_error_offset), or -1. */
  readonly offset: number;
  constructor(message: string, code: number, offset = -1) {
    super(message);
    this.name = "ShellSqlError";
    this.code = code;
    this.offset = offset;
  }
}

/** One prepared statement: column metadata, then rows until `step` returns null. */
export interface ShellStatement {
  /** sqlite3_column_name for each result column (empty for statements without rows). */
  readonly columnNames: readonly string[];
  /** sqlite3_column_decltype for each result column (null for expressions). */
  readonly declaredTypes: readonly (string | null)[];
  /** sqlite3_stmt_isexplain: 0 = plain, 1 = EXPLAIN, 2 = EXPLAIN QUERY PLAN. */
  readonly explain: 0 | 1 | 2;
  /** sqlite3_stmt_readonly. */
  readonly readonly: boolean;
  /** The next row (one value per column), or null when done. Throws ShellSqlError. */
  step(): ShellValue[] | null;
  /** Releases the statement; safe to call more than once. */
  finalize(): void;
}

/** The result of preparing the first statement of a script. */
export interface PrepareResult {
  /** Null when the text held only whitespace, comments or a lone semicolon. */
  readonly statement: ShellStatement | null;
  /** The text after the statement (after its terminating semicolon). */
  readonly tail: string;
}

/** An open database as the shell uses it. */
export interface ShellConnection {
  /** The name the database was opened with ("" or ":memory:" for in-memory). */
  readonly filename: string;
  /** Prepares the first statement of `sql` (invariant 2). Throws ShellSqlError. */
  prepare(sql: string): PrepareResult;
  /** sqlite3_changes64: rows changed by the last INSERT/UPDATE/DELETE. */
  changes(): bigint;
  /** sqlite3_total_changes64: rows changed since the connection opened. */
  totalChanges(): bigint;
  /** A REAL as the engine's sqlite3_column_text renders it (SQLite 3.53's rules). */
  realToText(value: number): string;
  /** A REAL as the engine's printf("%!.20g") renders it: quote, insert, json, .dump. */
  realToLiteral(value: number): string;
  /** Asks a running statement to stop with SQLITE_INTERRUPT, where the engine can. */
  interrupt(): void;
  /** Closes the connection; statements must not be used afterwards. */
  close(): void;
}

/** How a database is to be opened; built by args.ts and by `.open`. */
export interface OpenOptions {
  /** A file name, ":memory:" / "" for in-memory, or a remote URL (libsql://, http(s)://, ws(s)://). */
  readonly location: string;
  readonly readonly: boolean;
  /** Encryption key (hex or passphrase, as the engine accepts it), or null. */
  readonly key: string | null;
  /** Cipher name (aegis256, aes256gcm, ...), or null for the engine's default. */
  readonly cipher: string | null;
  /** Auth token for a remote database, or null. */
  readonly authToken: string | null;
  /** Create the file if missing (false for `.open --readonly` and `-readonly`). */
  readonly create: boolean;
}

/** Opens connections; the bin hands the shell one backed by the real engine. */
export type ConnectionOpener = (options: OpenOptions) => ShellConnection;

/** True when `location` names a remote database rather than a file. */
export function isRemoteLocation(location: string): boolean {
  return /^(libsql|https?|wss?):\/\//i.test(location);
}
