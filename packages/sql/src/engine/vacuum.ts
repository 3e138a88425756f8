/*
 * engine/vacuum.ts: VACUUM and VACUUM INTO (https://sqlite.org/lang_vacuum.html; SQLite's
 * sqlite3RunVacuum in vacuum.c and sqlite3BtreeCopyFile in backup.c).
 *
 * The database is rebuilt through the engine's own layers: a new Pager and Btree over a
 * fresh PageStore (MemPageStore for VACUUM; the host's new file for VACUUM INTO), the
 * schema re-created in SQLite's order, every B-tree's entries copied in key order, then
 *  - VACUUM: the fresh image replaces every page of the main database in ONE write
 *    transaction (Pager.replaceImage + commit: a plain file is rewritten and truncated; a
 *    WAL gets all pages as frames of one commit whose commit frame carries the new size);
 *  - VACUUM INTO: the fresh pager commits straight into the new file.
 *
 * Invariants:
 *  1. Order of B-tree creation, as vacuum.c's three passes: (a) the sqlite_schema rows of
 *     type 'table' with a root (sqlite_sequence excepted), in rowid order, each followed by
 *     its automatic indexes (in rowid order) and, after the first AUTOINCREMENT table,
 *     sqlite_sequence; (b) the CREATE INDEX rows; (c) views and triggers (no root). The new
 *     sqlite_schema holds the same rows (new rowids 1.., new roots) in that order.
 *  2. Entries are copied as stored: a table's (rowid, record) cells and an index's keys,
 *     byte for byte, in key order; nothing is re-encoded except sqlite_schema's rootpage.
 *  3. Header fields kept (vacuum.c aCopy): schema cookie + 1, default cache size, text
 *     encoding, user version, application id; also the page size, reserved bytes and the
 *     auto-vacuum mode (PRAGMA page_size / auto_vacuum before VACUUM cannot change them in
 *     Strata yet: the pager fixes both at creation). The freelist is empty afterwards.
 *  4. Refused, as SQLite does, inside a transaction ("cannot VACUUM from within a
 *     transaction") and while another statement runs ("cannot VACUUM - SQL statements in
 *     progress"); VACUUM INTO a non-empty file fails with "output file already exists".
 */
import { SqliteError, encodeRecord, RecordReader, type SqlValue, type TextEncoding } from "@strata/common";
import { Btree, HDR, Pager, recordComparator, type PageStore } from "@strata/pager";
import type { Schema } from "../schema/schema.js";

/** An in-memory PageStore: the scratch database VACUUM builds before copying it back. */
export class MemPageStore implements PageStore {
  readonly readonly = false;
  readonly walMode = false;
  private pageSize = 0;
  readonly pages: Uint8Array[] = [];
  nPage = 0;
  setPageSize(pageSize: number): void {
    this.pageSize = pageSize;
  }
  beginRead(): boolean {
    return false;
  }
  endRead(): void {}
  readHeader(out: Uint8Array): number {
    if (this.nPage === 0) return 0;
    const n = Math.min(out.length, this.pageSize);
    out.set(this.pages[1].subarray(0, n));
    return n;
  }
  pageCount(): number {
    return this.nPage;
  }
  readPage(pgno: number, out: Uint8Array): void {
    const p = this.pages[pgno];
    if (p === undefined) out.fill(0);
    else out.set(p);
  }
  beginWrite(): void {}
  commit(pgnos: readonly number[], images: readonly Uint8Array[], nPage: number): void {
    for (let i = 0; i < pgnos.length; i++) this.pages[pgnos[i]] = images[i].slice();
    this.pages.length = Math.min(this.pages.length, nPage + 1);
    this.nPage = nPage;
  }
  endWrite(): void {}
  close(): void {}
}

/** What vacuum needs from the connection. */
export interface VacuumSource {
  readonly pager: Pager;
  readonly btree: Btree;
  readonly schema: Schema;
  readonly encoding: TextEncoding;
}

interface SchemaRow {
  values: SqlValue[];
  type: string;
  name: string;
  tbl: string;
  root: number;
  sql: string | null;
}

function readSchemaRows(src: VacuumSource): SchemaRow[] {
  const rows: SchemaRow[] = [];
  const c = src.btree.tableCursor(1);
  const r = new RecordReader(src.encoding);
  for (let ok = c.first(); ok; ok = c.next()) {
    r.reset(c.payload());
    const values = [0, 1, 2, 3, 4].map((i) => r.getTypedValue(i));
    const s = (v: SqlValue): string => (typeof v === "string" ? v : "");
    rows.push({
      values, type: s(values[0]), name: s(values[1]), tbl: s(values[2]),
      root: typeof values[3] === "number" ? values[3] : 0, sql: typeof values[4] === "string" ? values[4] : null,
    });
  }
  c.close();
  return rows;
}

/**
 * Builds the vacuumed image of `src` (inside its read transaction) into `dest`, a Pager
 * over an empty store, and commits it there (invariants 1-3).
 */
function build(src: VacuumSource, store: PageStore): Pager {
  const sp = src.pager;
  const av = sp.autoVacuum ? (sp.incrementalVacuum ? "incremental" : "full") : "none";
  const dest = Pager.open(store, {
    pageSize: sp.pageSize, reservedBytes: sp.reservedBytes, autoVacuum: av, textEncoding: src.encoding as 1 | 2 | 3,
  });
  const bt = new Btree(dest);
  dest.beginWrite();
  try {
    const rows = readSchemaRows(src);
    const lower = (s: string): string => s.toLowerCase();
    const out: SchemaRow[] = [];
    const copies: { kind: "table" | "index"; from: number; to: number; name: string }[] = [];
    const add = (row: SchemaRow, kind: "table" | "index"): void => {
      const to = bt.createTree(kind);
      out.push({ ...row, root: to });
      copies.push({ kind, from: row.root, to, name: row.name });
    };
    const seq = rows.find((r) => r.type === "table" && lower(r.name) === "sqlite_sequence" && r.root > 0) ?? null;
    let seqDone = seq === null;
    // (a) tables, their automatic indexes, sqlite_sequence after the first AUTOINCREMENT table.
    for (const r of rows) {
      if (r.type !== "table" || r.root <= 0 || r === seq) continue;
      add(r, src.schema.table(r.name)?.withoutRowid === true ? "index" : "table"); // WITHOUT ROWID: an index B-tree
      for (const ix of rows) {
        if (ix.type === "index" && ix.sql === null && ix.root > 0 && lower(ix.tbl) === lower(r.name)) add(ix, "index");
      }
      if (!seqDone && src.schema.table(r.name)?.autoincrement === true) {
        add(seq!, "table");
        seqDone = true;
      }
    }
    if (!seqDone) add(seq!, "table");
    // (b) CREATE INDEX; (c) views and triggers.
    for (const r of rows) if (r.type === "index" && r.sql !== null && r.root > 0) add(r, "index");
    for (const r of rows) if (r.root <= 0) out.push(r);
    const sc = bt.tableCursor(1, true);
    out.forEach((r, i) => {
      const v = r.values.slice();
      v[3] = r.root;
      sc.insert(i + 1, encodeRecord(v, { textEncoding: src.encoding, fileFormat: sp.getMeta("schemaFormat") }));
    });
    sc.close();
    // Invariant 2: copy every B-tree's entries in key order.
    for (const cp of copies) {
      if (cp.kind === "table") {
        const from = src.btree.tableCursor(cp.from);
        const to = bt.tableCursor(cp.to, true);
        for (let ok = from.first(); ok; ok = from.next()) {
          // A payload wholly on its page is passed as a view of the page (no copy).
          const info = from.cellInfo();
          const local = info.nLocal === info.nPayload;
          const buf = local ? from.pageData() : from.payload();
          const off = local ? info.payloadOff : 0;
          if (from.rowidIsSafe()) to.insert(from.rowid(), buf, off, info.nPayload);
          else to.insertBig(from.rowidBig(), buf, off, info.nPayload);
        }
        from.close();
        to.close();
      } else {
        const ix = src.schema.index(cp.name) ?? src.schema.table(cp.name)?.pkIndex ?? null;
        if (ix === null) throw new SqliteError("SQLITE_CORRUPT", `malformed database schema (${cp.name})`);
        const cmp = recordComparator(ix.keyInfo);
        const from = src.btree.indexCursor(cp.from, cmp);
        const to = bt.indexCursor(cp.to, cmp, true);
        for (let ok = from.first(); ok; ok = from.next()) {
          const info = from.cellInfo();
          if (info.nLocal === info.nPayload) to.insert(from.pageData(), info.payloadOff, info.nPayload);
          else to.insert(from.key());
        }
        from.close();
        to.close();
      }
    }
    // Invariant 3.
    dest.setMeta("schemaCookie", (sp.getMeta("schemaCookie") + 1) >>> 0);
    dest.setMeta("schemaFormat", sp.getMeta("schemaFormat"));
    dest.setMeta("defaultCacheSize", sp.getMeta("defaultCacheSize"));
    dest.setMeta("userVersion", sp.getMeta("userVersion"));
    dest.setMeta("applicationId", sp.getMeta("applicationId"));
    if (sp.incrementalVacuum) dest.setMeta("incrementalVacuum", 1);
    dest.commit();
  } catch (e) {
    dest.close();
    throw e;
  }
  return dest;
}

/** VACUUM: rebuilds the main database in place (the caller checked invariant 4). */
export function vacuumInPlace(src: VacuumSource): void {
  const sp = src.pager;
  if (!sp.inRead) sp.beginRead();
  const mem = new MemPageStore();
  try {
    const dest = build(src, mem);
    dest.close();
    sp.beginWrite();
    // Page 1 keeps the main database's change counter so commit() moves it forward.
    const counter = sp.getMeta("changeCounter");
    sp.replaceImage(mem.nPage, (pgno, out) => {
      out.set(mem.pages[pgno]);
      if (pgno === 1) {
        out[HDR.changeCounter] = counter >>> 24;
        out[HDR.changeCounter + 1] = (counter >>> 16) & 0xff;
        out[HDR.changeCounter + 2] = (counter >>> 8) & 0xff;
        out[HDR.changeCounter + 3] = counter & 0xff;
      }
    });
    sp.commit();
  } catch (e) {
    if (sp.inWrite) sp.rollback();
    else if (sp.inRead) sp.endRead();
    throw e;
  }
}

/** VACUUM INTO: writes the vacuumed copy into `store`, a new, empty database file (closed on return). */
export function vacuumInto(src: VacuumSource, store: PageStore): void {
  const sp = src.pager;
  const had = sp.inRead;
  if (!had) sp.beginRead();
  let owned = true;
  try {
    store.beginRead();
    const n = store.readHeader(new Uint8Array(100));
    store.endRead();
    if (n > 0) throw new SqliteError("SQLITE_ERROR", "output file already exists");
    owned = false; // the new pager closes the store
    build(src, store).close();
  } finally {
    if (owned) store.close();
    if (!had) sp.endRead();
  }
}
