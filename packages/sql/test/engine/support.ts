/*
 * Test support for the engine: an in-memory VfsFile (this package may not import
 * @strata/vfs, so tests bring their own), a node:fs Vfs for file databases (the WAL store
 * needs a Vfs), opening connections, running scripts on Strata and on better-sqlite3 and
 * normalising results (values with their storage classes) for exact comparison.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, fsyncSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { DirectFileStore } from "@strata/pager";
import { WalPageStore } from "@strata/txn";
import Database from "better-sqlite3";
import { Connection } from "../../src/engine/connection.js";
import type { Statement } from "../../src/engine/statement.js";

export class MemFile {
  readonly path = ":memory:";
  readonly readonly = false;
  buf = new Uint8Array(0);
  len = 0;
  read(out: Uint8Array, offset: number): number {
    const n = Math.max(0, Math.min(out.length, this.len - offset));
    out.set(this.buf.subarray(offset, offset + n));
    if (n < out.length) out.fill(0, n);
    return n;
  }
  write(data: Uint8Array, offset: number): void {
    const end = offset + data.length;
    if (end > this.buf.length) {
      const nb = new Uint8Array(Math.max(end, this.buf.length * 2));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.buf.set(data, offset);
    if (end > this.len) this.len = end;
  }
  truncate(size: number): void {
    if (size < this.len) this.len = size;
  }
  sync(): void {}
  size(): number {
    return this.len;
  }
  close(): void {}
}

class NodeFile {
  readonly readonly = false;
  private fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, existsSync(path) ? "r+" : "w+");
  }
  read(out: Uint8Array, offset: number): number {
    const n = readSync(this.fd, out, 0, out.length, offset);
    if (n < out.length) out.fill(0, n);
    return n;
  }
  write(data: Uint8Array, offset: number): void {
    writeSync(this.fd, data, 0, data.length, offset);
  }
  truncate(size: number): void {
    ftruncateSync(this.fd, size);
  }
  sync(): void {
    fsyncSync(this.fd);
  }
  size(): number {
    return fstatSync(this.fd).size;
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** A minimal node:fs Vfs (the shape of @strata/vfs's Vfs). */
export const nodeVfs = {
  name: "test-node",
  open(path: string): NodeFile {
    return new NodeFile(path);
  },
  delete(path: string): void {
    if (existsSync(path)) unlinkSync(path);
  },
  exists(path: string): boolean {
    return existsSync(path);
  },
};

export function openMemory(): Connection {
  return Connection.open(new DirectFileStore(new MemFile()));
}

/** A rollback-journal-less direct file database (what sqlite3 reads as a plain file). */
export function openDirectFile(path: string): Connection {
  return Connection.open(new DirectFileStore(new NodeFile(path)));
}

export function openWal(path: string): Connection {
  return Connection.open(WalPageStore.open(nodeVfs as never, path));
}

export type Cell = [string, unknown];
export type Outcome = { rows: Cell[][]; names: string[] } | { error: string; message: string };

function tag(v: unknown): Cell {
  if (v === null) return ["null", null];
  if (typeof v === "bigint") return ["integer", v.toString()];
  if (v instanceof Uint8Array) return ["blob", Buffer.from(v).toString("hex")];
  if (typeof v === "number") return [Number.isInteger(v) ? "number" : "real", Object.is(v, -0) ? 0 : v];
  return [typeof v, v];
}

/** Runs one statement on Strata; rows tagged by storage class. */
export function runStrata(conn: Connection, sql: string, params: unknown[] = []): Outcome {
  let st: Statement | null = null;
  try {
    st = conn.prepare(sql).statement;
    if (st === null) return { rows: [], names: [] };
    params.forEach((v, i) => st!.bind(i + 1, v as never));
    const rows: Cell[][] = [];
    while (st.step() === 100) {
      const row: Cell[] = [];
      for (let i = 0; i < st.columnCount; i++) {
        const t = st.columnType(i);
        const v = st.columnValue(i);
        row.push(t === 2 ? ["real", v] : t === 1 ? ["integer", typeof v === "bigint" ? v.toString() : v] : tag(v));
      }
      rows.push(row);
    }
    const names: string[] = [];
    for (let i = 0; i < st.columnCount; i++) names.push(st.columnName(i));
    return { rows, names };
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { error: err.code ?? "?", message: err.message };
  } finally {
    st?.finalize();
  }
}

/** Runs one statement on better-sqlite3 with storage classes from typeof(). */
export function runOracle(db: Database.Database, sql: string, params: unknown[] = []): Outcome {
  try {
    const st = db.prepare(sql);
    st.safeIntegers(true);
    if (!st.reader) {
      st.run(...(params as never[]));
      return { rows: [], names: [] };
    }
    const cols = st.columns();
    const raw = st.raw(true).all(...(params as never[])) as unknown[][];
    // Storage classes: re-run with typeof() around each column is not possible for '*';
    // better-sqlite3 gives bigint for INTEGER (safeIntegers) and number for REAL.
    const rows = raw.map((r) => r.map((v): Cell => {
      if (typeof v === "bigint") {
        const n = Number(v);
        return ["integer", Number.isSafeInteger(n) ? n : v.toString()];
      }
      if (typeof v === "number") return ["real", Object.is(v, -0) ? 0 : v];
      return tag(v);
    }));
    return { rows, names: cols.map((c) => c.name) };
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { error: err.code ?? "?", message: err.message };
  }
}
