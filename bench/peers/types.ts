// The one small interface every engine is driven through in the peers suite: open a file or
// `:memory:`, exec, prepare -> run/get/all/iterate, close. Rows are arrays (each engine's
// "raw" mode), so no engine pays for building objects the others do not build.
// Sync engines return plain values; async engines return promises, and a workload awaits
// each call exactly as a user would (`await stmt.get(id)`). A workload written against this
// interface awaits only when the value is a promise (`isPromise`), so a sync engine pays
// no microtask per call that its real users would not pay.

export type Value = number | bigint | string | Uint8Array | null;
export type Row = Value[];
export type MaybePromise<T> = T | Promise<T>;

export const ENGINES = ["strata", "strata-async", "better-sqlite3", "sql.js", "turso"] as const;
export type EngineName = (typeof ENGINES)[number];

export interface PeerStatement {
  run(...params: Value[]): MaybePromise<void>;
  /** The first row, or undefined when there is none. */
  get(...params: Value[]): MaybePromise<Row | undefined>;
  all(...params: Value[]): MaybePromise<Row[]>;
  iterate(...params: Value[]): Iterable<Row> | AsyncIterable<Row>;
  close(): MaybePromise<void>;
}

export interface PeerDatabase {
  exec(sql: string): MaybePromise<void>;
  prepare(sql: string): MaybePromise<PeerStatement>;
  close(): MaybePromise<void>;
}

export interface Peer {
  readonly name: EngineName;
  /** Calls return promises (awaited per call). */
  readonly async: boolean;
  /** Can persist to a file database (sql.js cannot: it loads a file into memory at best). */
  readonly files: boolean;
  /** Opens `:memory:` or a file path. */
  open(path: string): Promise<PeerDatabase>;
}

export function isPromise<T>(v: MaybePromise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}
