/*
 * SQLite's result codes: the one table of every primary and extended code, by the
 * names and numbers of sqlite3.h ("Result and Error Codes", rescode.html). An extended
 * code is its primary code in the low 8 bits plus a detail number shifted left by 8.
 *
 * Invariants:
 *  1. RESULT_CODES is the only place a code number is written down; everything else
 *     (SqliteError, primaryCode, the docs) is derived from it.
 *  2. primaryCode(x) === x & 0xff for every code.
 */

export const RESULT_CODES = {
  SQLITE_OK: 0,
  SQLITE_ERROR: 1,
  SQLITE_INTERNAL: 2,
  SQLITE_PERM: 3,
  SQLITE_ABORT: 4,
  SQLITE_BUSY: 5,
  SQLITE_LOCKED: 6,
  SQLITE_NOMEM: 7,
  SQLITE_READONLY: 8,
  SQLITE_INTERRUPT: 9,
  SQLITE_IOERR: 10,
  SQLITE_CORRUPT: 11,
  SQLITE_NOTFOUND: 12,
  SQLITE_FULL: 13,
  SQLITE_CANTOPEN: 14,
  SQLITE_PROTOCOL: 15,
  SQLITE_EMPTY: 16,
  SQLITE_SCHEMA: 17,
  SQLITE_TOOBIG: 18,
  SQLITE_CONSTRAINT: 19,
  SQLITE_MISMATCH: 20,
  SQLITE_MISUSE: 21,
  SQLITE_NOLFS: 22,
  SQLITE_AUTH: 23,
  SQLITE_FORMAT: 24,
  SQLITE_RANGE: 25,
  SQLITE_NOTADB: 26,
  SQLITE_NOTICE: 27,
  SQLITE_WARNING: 28,
  SQLITE_ROW: 100,
  SQLITE_DONE: 101,

  SQLITE_ERROR_MISSING_COLLSEQ: 1 | (1 << 8),
  SQLITE_ERROR_RETRY: 1 | (2 << 8),
  SQLITE_ERROR_SNAPSHOT: 1 | (3 << 8),
  SQLITE_IOERR_READ: 10 | (1 << 8),
  SQLITE_IOERR_SHORT_READ: 10 | (2 << 8),
  SQLITE_IOERR_WRITE: 10 | (3 << 8),
  SQLITE_IOERR_FSYNC: 10 | (4 << 8),
  SQLITE_IOERR_DIR_FSYNC: 10 | (5 << 8),
  SQLITE_IOERR_TRUNCATE: 10 | (6 << 8),
  SQLITE_IOERR_FSTAT: 10 | (7 << 8),
  SQLITE_IOERR_UNLOCK: 10 | (8 << 8),
  SQLITE_IOERR_RDLOCK: 10 | (9 << 8),
  SQLITE_IOERR_DELETE: 10 | (10 << 8),
  SQLITE_IOERR_BLOCKED: 10 | (11 << 8),
  SQLITE_IOERR_NOMEM: 10 | (12 << 8),
  SQLITE_IOERR_ACCESS: 10 | (13 << 8),
  SQLITE_IOERR_CHECKRESERVEDLOCK: 10 | (14 << 8),
  SQLITE_IOERR_LOCK: 10 | (15 << 8),
  SQLITE_IOERR_CLOSE: 10 | (16 << 8),
  SQLITE_IOERR_DIR_CLOSE: 10 | (17 << 8),
  SQLITE_IOERR_SHMOPEN: 10 | (18 << 8),
  SQLITE_IOERR_SHMSIZE: 10 | (19 << 8),
  SQLITE_IOERR_SHMLOCK: 10 | (20 << 8),
  SQLITE_IOERR_SHMMAP: 10 | (21 << 8),
  SQLITE_IOERR_SEEK: 10 | (22 << 8),
  SQLITE_IOERR_DELETE_NOENT: 10 | (23 << 8),
  SQLITE_IOERR_MMAP: 10 | (24 << 8),
  SQLITE_IOERR_GETTEMPPATH: 10 | (25 << 8),
  SQLITE_IOERR_CONVPATH: 10 | (26 << 8),
  SQLITE_IOERR_VNODE: 10 | (27 << 8),
  SQLITE_IOERR_AUTH: 10 | (28 << 8),
  SQLITE_IOERR_BEGIN_ATOMIC: 10 | (29 << 8),
  SQLITE_IOERR_COMMIT_ATOMIC: 10 | (30 << 8),
  SQLITE_IOERR_ROLLBACK_ATOMIC: 10 | (31 << 8),
  SQLITE_IOERR_DATA: 10 | (32 << 8),
  SQLITE_IOERR_CORRUPTFS: 10 | (33 << 8),
  SQLITE_LOCKED_SHAREDCACHE: 6 | (1 << 8),
  SQLITE_LOCKED_VTAB: 6 | (2 << 8),
  SQLITE_BUSY_RECOVERY: 5 | (1 << 8),
  SQLITE_BUSY_SNAPSHOT: 5 | (2 << 8),
  SQLITE_BUSY_TIMEOUT: 5 | (3 << 8),
  SQLITE_CANTOPEN_NOTEMPDIR: 14 | (1 << 8),
  SQLITE_CANTOPEN_ISDIR: 14 | (2 << 8),
  SQLITE_CANTOPEN_FULLPATH: 14 | (3 << 8),
  SQLITE_CANTOPEN_CONVPATH: 14 | (4 << 8),
  SQLITE_CANTOPEN_DIRTYWAL: 14 | (5 << 8),
  SQLITE_CANTOPEN_SYMLINK: 14 | (6 << 8),
  SQLITE_CORRUPT_VTAB: 11 | (1 << 8),
  SQLITE_CORRUPT_SEQUENCE: 11 | (2 << 8),
  SQLITE_CORRUPT_INDEX: 11 | (3 << 8),
  SQLITE_READONLY_RECOVERY: 8 | (1 << 8),
  SQLITE_READONLY_CANTLOCK: 8 | (2 << 8),
  SQLITE_READONLY_ROLLBACK: 8 | (3 << 8),
  SQLITE_READONLY_DBMOVED: 8 | (4 << 8),
  SQLITE_READONLY_CANTINIT: 8 | (5 << 8),
  SQLITE_READONLY_DIRECTORY: 8 | (6 << 8),
  SQLITE_ABORT_ROLLBACK: 4 | (2 << 8),
  SQLITE_CONSTRAINT_CHECK: 19 | (1 << 8),
  SQLITE_CONSTRAINT_COMMITHOOK: 19 | (2 << 8),
  SQLITE_CONSTRAINT_FOREIGNKEY: 19 | (3 << 8),
  SQLITE_CONSTRAINT_FUNCTION: 19 | (4 << 8),
  SQLITE_CONSTRAINT_NOTNULL: 19 | (5 << 8),
  SQLITE_CONSTRAINT_PRIMARYKEY: 19 | (6 << 8),
  SQLITE_CONSTRAINT_TRIGGER: 19 | (7 << 8),
  SQLITE_CONSTRAINT_UNIQUE: 19 | (8 << 8),
  SQLITE_CONSTRAINT_VTAB: 19 | (9 << 8),
  SQLITE_CONSTRAINT_ROWID: 19 | (10 << 8),
  SQLITE_CONSTRAINT_PINNED: 19 | (11 << 8),
  SQLITE_CONSTRAINT_DATATYPE: 19 | (12 << 8),
  SQLITE_NOTICE_RECOVER_WAL: 27 | (1 << 8),
  SQLITE_NOTICE_RECOVER_ROLLBACK: 27 | (2 << 8),
  SQLITE_NOTICE_RBU: 27 | (3 << 8),
  SQLITE_WARNING_AUTOINDEX: 28 | (1 << 8),
  SQLITE_AUTH_USER: 23 | (1 << 8),
  SQLITE_OK_LOAD_PERMANENTLY: 0 | (1 << 8),
  SQLITE_OK_SYMLINK: 0 | (2 << 8),
} as const;

/** The name of a result code, e.g. `"SQLITE_CONSTRAINT_UNIQUE"`. */
export type ResultCodeName = keyof typeof RESULT_CODES;

const NAME_BY_NUMBER = new Map<number, ResultCodeName>();
for (const [name, value] of Object.entries(RESULT_CODES) as [ResultCodeName, number][]) {
  NAME_BY_NUMBER.set(value, name);
}

/** The name of a result code number (`sqlite3ErrName`), or undefined for an unknown number. */
export function resultCodeName(code: number): ResultCodeName | undefined {
  return NAME_BY_NUMBER.get(code);
}

/** The primary code of any result code (its low 8 bits). */
export function primaryCode(code: number): number {
  return code & 0xff;
}

/**
 * The generic English text of a primary result code, as `sqlite3_errstr()` gives it.
 * Used when an error has no more specific message.
 */
export function errorString(code: number): string {
  switch (code) {
    case RESULT_CODES.SQLITE_ABORT_ROLLBACK: return "abort due to ROLLBACK";
    case RESULT_CODES.SQLITE_ROW: return "another row available";
    case RESULT_CODES.SQLITE_DONE: return "no more rows available";
  }
  switch (primaryCode(code)) {
    case 0: return "not an error";
    case 1: return "SQL logic error";
    case 3: return "access permission denied";
    case 4: return "query aborted";
    case 5: return "database is locked";
    case 6: return "database table is locked";
    case 7: return "out of memory";
    case 8: return "attempt to write a readonly database";
    case 9: return "interrupted";
    case 10: return "disk I/O error";
    case 11: return "database disk image is malformed";
    case 12: return "unknown operation";
    case 13: return "database or disk is full";
    case 14: return "unable to open database file";
    case 15: return "locking protocol";
    case 17: return "database schema has changed";
    case 18: return "string or blob too big";
    case 19: return "constraint failed";
    case 20: return "datatype mismatch";
    case 21: return "bad parameter or other API misuse";
    case 22: return "large file support is disabled";
    case 23: return "authorization denied";
    case 25: return "column index out of range";
    case 26: return "file is not a database";
    case 27: return "notification message";
    case 28: return "warning message";
    default: return "unknown error";
  }
}
