// What a workload is, and the helpers they share: deterministic data, result digests.
// A workload sets up its data untimed, times only the statements it is about, then checks
// its result (row counts, sums, a digest of every row returned) untimed. The driver compares
// each engine's `check` with the reference engine's (better-sqlite3), so an engine that is
// fast because it is wrong records an error, not a number.
import { isPromise, type MaybePromise, type Peer, type PeerDatabase, type PeerStatement, type Row, type Value } from "../peers/types.js";

export interface Measured {
  /** Workload id ("a".."i", or "h100", "h110", ... for speedtest1's tests). */
  id: string;
  /** Operations per second (the unit is the workload's). */
  ops?: number;
  /** Milliseconds timed (speedtest1's tests report it, to total the testset). */
  ms?: number;
  /** Digest of the results, compared across engines. */
  check?: string;
  error?: string;
}

export interface WorkloadContext {
  peer: Peer;
  /** 1 for the full suite, 0.1 for --quick. */
  scale: number;
  /** A private directory for this child's files. */
  tmpDir: string;
  /** Shared, prebuilt inputs (workload i's database). */
  dataDir: string;
}

export interface Workload {
  id: string;
  title: string;
  unit: string;
  /** Engines left out by design (not errors), e.g. sql.js for file-database writes. */
  skip?(peer: Peer): boolean;
  run(ctx: WorkloadContext): Promise<Measured[]>;
}

export async function settle<T>(v: MaybePromise<T>): Promise<T> {
  return isPromise(v) ? await v : v;
}

export function scaled(n: number, scale: number): number {
  return Math.max(1, Math.round(n * scale));
}

/** The ~30-character text column of the synthetic tables (a..g). */
export function text30(i: number): string {
  return `row-${String(i).padStart(7, "0")}-abcdefghijklmnopqr`;
}

/** Deterministic PRNG for workload parameters (xorshift32), independent of any engine. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** FNV-1a digest over rows, with numbers normalised so that engines agreeing to 10
 *  significant digits agree (reals summed in a different order may differ in the last bit). */
export class Digest {
  private h = 0x811c9dc5;
  count = 0;
  addValue(v: Value | undefined): void {
    let s: string;
    if (v === null || v === undefined) s = "N";
    else if (typeof v === "number") s = Number.isInteger(v) ? `i${v}` : `r${v.toPrecision(10)}`;
    else if (typeof v === "bigint") s = `i${v}`;
    else if (typeof v === "string") s = `t${v}`;
    else s = `b${Buffer.from(v).toString("hex")}`;
    let h = this.h;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    this.h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  addRow(row: Row | undefined): void {
    this.count++;
    if (row === undefined) {
      this.addValue(undefined);
      return;
    }
    for (const v of row) this.addValue(v);
  }
  addRows(rows: Row[]): void {
    for (const r of rows) this.addRow(r);
  }
  /** Rows as a multiset: each row's text, sorted, then digested. */
  addRowsUnordered(rows: Row[]): void {
    const keys = rows.map((r) => r.map((v) => (typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(10) : typeof v === "object" && v !== null ? Buffer.from(v).toString("hex") : String(v))).join("\u0001"));
    keys.sort();
    for (const k of keys) this.addValue(k);
    this.count += rows.length;
  }
  toString(): string {
    return `${this.count}:${(this.h >>> 0).toString(16).padStart(8, "0")}`;
  }
}

export async function exec(db: PeerDatabase, sql: string): Promise<void> {
  await settle(db.exec(sql));
}
export async function prepare(db: PeerDatabase, sql: string): Promise<PeerStatement> {
  return settle(db.prepare(sql));
}
export async function all(db: PeerDatabase, sql: string, ...params: Value[]): Promise<Row[]> {
  const s = await prepare(db, sql);
  const rows = await settle(s.all(...params));
  await settle(s.close());
  return rows;
}

/** Table t(a INTEGER, b TEXT, c REAL) with rows 1..n (rowid = i), untimed setup for b..f. */
export async function fillT(db: PeerDatabase, n: number, groups = 0): Promise<void> {
  await exec(db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)");
  const ins = await prepare(db, "INSERT INTO t(rowid, a, b, c) VALUES (?, ?, ?, ?)");
  await exec(db, "BEGIN");
  for (let i = 1; i <= n; i++) {
    const a = groups > 0 ? i % groups : (i * 7919) % 100003;
    await settle(ins.run(i, a, text30(i), i * 0.25));
  }
  await exec(db, "COMMIT");
  await settle(ins.close());
}

export function rate(ops: number, ms: number): number {
  return (ops / Math.max(ms, 1e-3)) * 1000;
}
