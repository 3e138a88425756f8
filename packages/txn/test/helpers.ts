// Test helpers: temporary directories, and "database states" made by real SQLite
// (better-sqlite3 in rollback-journal mode), so that Strata's WAL can be fed page
// images SQLite itself wrote and sqlite3 can check the result.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Vfs } from "@strata/vfs";
import { Connection } from "../src/index.js";

export function tempDir(tag: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `strata-txn-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One committed state of the workload database: its pages and what SQL sees. */
export interface DbState {
  pages: Uint8Array[]; // pages[0] is page 1
  /** The pages that differ from the previous state (ascending), and the new size. */
  changed: number[];
  /** SELECT group_concat over the table, the logical content sqlite3 must report. */
  digest: string;
  rows: number;
}

export const DIGEST_SQL = "SELECT count(*) || ':' || coalesce(sum(id),0) || ':' || coalesce(sum(length(v)),0) || ':' || coalesce(group_concat(id || '=' || substr(v,1,6), ','),'') FROM (SELECT * FROM t ORDER BY id)";

/**
 * Runs `n` transactions on a scratch database with better-sqlite3 (journal_mode=DELETE),
 * recording every state's page images. Transaction 1 creates the table (and an index);
 * later ones insert, update and delete rows so the B-trees split and shrink.
 */
export function makeStates(n: number, pageSize = 1024, seed = 7): DbState[] {
  const { dir, cleanup } = tempDir("states");
  try {
    const path = join(dir, "scratch.db");
    const db = new Database(path);
    db.pragma(`page_size = ${pageSize}`);
    db.pragma("journal_mode = DELETE");
    const states: DbState[] = [{ pages: [], changed: [], digest: "", rows: 0 }];
    let rnd = seed;
    const next = () => ((rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) >>> 8);
    for (let i = 1; i <= n; i++) {
      if (i === 1) {
        db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX tv ON t(v);");
      } else {
        db.transaction(() => {
          // Every transaction changes something, so consecutive states differ.
          db.prepare("INSERT OR REPLACE INTO t(id, v) VALUES (?, ?)").run(1000 + (i % 40), `c${i}`);
          const k = next() % 3;
          for (let j = 0; j < k; j++) {
            const id = next() % 200;
            const op = next() % 10;
            const v = `r${i}-${j}-` + "x".repeat(next() % 150);
            if (op < 6) db.prepare("INSERT OR REPLACE INTO t(id, v) VALUES (?, ?)").run(id, v);
            else if (op < 8) db.prepare("UPDATE t SET v = ? WHERE id >= ? AND id < ?").run(v, id, id + 5);
            else db.prepare("DELETE FROM t WHERE id >= ? AND id < ?").run(id, id + 10);
          }
        })();
      }
      const bytes = readFileSync(path);
      const pages: Uint8Array[] = [];
      for (let p = 0; p * pageSize < bytes.length; p++) {
        pages.push(new Uint8Array(bytes.subarray(p * pageSize, (p + 1) * pageSize)));
      }
      const prev = states[i - 1].pages;
      const changed: number[] = [];
      for (let p = 0; p < pages.length; p++) {
        if (p >= prev.length || !equalBytes(prev[p], pages[p])) changed.push(p + 1);
      }
      const digest = (db.prepare(DIGEST_SQL).pluck().get() as string) ?? "";
      const rows = db.prepare("SELECT count(*) FROM t").pluck().get() as number;
      states.push({ pages, changed, digest, rows });
    }
    db.close();
    return states;
  } finally {
    cleanup();
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Commits state `i` (its changed pages) through `conn` as one transaction. */
export function applyState(conn: Connection, states: DbState[], i: number): void {
  const s = states[i];
  conn.begin("immediate");
  for (const p of s.changed) conn.writePage(p, s.pages[p - 1]);
  if (s.pages.length < conn.pageCount()) conn.truncate(s.pages.length);
  conn.commit();
}

/** Which state `conn` sees now (reads every page); -1 if it matches none. Page 1 bytes 18/19 are compared as 2 (WAL). */
export function whichState(conn: Connection, states: DbState[], candidates: number[]): number {
  conn.begin("deferred");
  try {
    const n = conn.pageCount();
    const buf = new Uint8Array(conn.pageSize || 1024);
    outer: for (const i of [...candidates].sort((a, b) => b - a)) {
      const s = states[i];
      if (s.pages.length !== n) continue;
      for (let p = 1; p <= n; p++) {
        conn.readPage(p, buf);
        const want = s.pages[p - 1];
        for (let k = 0; k < want.length; k++) {
          if (buf[k] !== want[k] && !(p === 1 && (k === 18 || k === 19))) continue outer;
        }
      }
      return i;
    }
    return -1;
  } finally {
    conn.rollback();
  }
}

/** Copies the files of a database (db, -wal, -journal) out of a Vfs into a real directory. */
export function exportToDisk(vfs: Vfs, path: string, dir: string, name = "x.db"): string {
  const out = join(dir, name);
  for (const suffix of ["", "-wal", "-journal"]) {
    const target = out + suffix;
    if (existsSync(target)) rmSync(target);
    if (!vfs.exists(path + suffix)) continue;
    const f = vfs.open(path + suffix, {});
    const buf = new Uint8Array(f.size());
    f.read(buf, 0);
    f.close();
    writeFileSync(target, buf);
  }
  for (const suffix of ["-shm"]) if (existsSync(out + suffix)) rmSync(out + suffix);
  return out;
}

/** Opens `file` with real SQLite and returns [integrity_check, digest] (digest "" when no table t). */
export function sqliteView(file: string): { integrity: string; digest: string } {
  const db = new Database(file);
  try {
    const integrity = (db.prepare("PRAGMA integrity_check").pluck().all() as string[]).join("\n");
    const hasT = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name='t'").pluck().get() as number;
    const digest = hasT ? ((db.prepare(DIGEST_SQL).pluck().get() as string) ?? "") : "";
    return { integrity, digest };
  } finally {
    db.close();
  }
}
