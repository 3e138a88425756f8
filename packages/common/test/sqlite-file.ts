/*
 * Test helper: builds small database files with better-sqlite3 (SQLite 3.53) and reads the
 * cells of a single-page B-tree straight from the file bytes (fileformat2.html §1.6), so
 * record bytes written by real SQLite can be checked against our codec.
 */
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getVarint, lastVarintLen } from "../src/index.js";

export interface LeafCell {
  rowid: number | null; // table leaf cells only
  payload: Uint8Array;
}

/** Runs `setup` on a fresh file database, closes it, and returns the file's bytes. */
export function buildDb(setup: (db: Database.Database) => void): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "strata-common-"));
  const path = join(dir, "t.db");
  try {
    const db = new Database(path);
    setup(db);
    db.close();
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The cells of leaf page `pgno` in key order (the page must be a leaf, no overflow). */
export function leafCells(file: Uint8Array, pgno: number): LeafCell[] {
  const pageSize = ((file[16] << 8) | file[17]) === 1 ? 65536 : (file[16] << 8) | file[17];
  const page = file.subarray((pgno - 1) * pageSize, pgno * pageSize);
  const hdr = pgno === 1 ? 100 : 0;
  const type = page[hdr];
  if (type !== 13 && type !== 10) throw new Error(`page ${pgno} is not a leaf (type ${type})`);
  const n = (page[hdr + 3] << 8) | page[hdr + 4];
  const cells: LeafCell[] = [];
  for (let i = 0; i < n; i++) {
    let p = (page[hdr + 8 + 2 * i] << 8) | page[hdr + 9 + 2 * i];
    const size = getVarint(page, p);
    p += lastVarintLen();
    let rowid: number | null = null;
    if (type === 13) {
      rowid = getVarint(page, p);
      p += lastVarintLen();
    }
    if (p + size > page.length) throw new Error("payload spills to overflow pages; keep test rows small");
    cells.push({ rowid, payload: page.slice(p, p + size) });
  }
  return cells;
}
