/*
 * journal.ts: SQLite's rollback journal (`<db>-journal`), read to roll back a hot
 * journal left by a crashed SQLite, and written for the one rollback-journal
 * transaction Strata ever makes: switching a database to WAL (file format bytes 18/19
 * from 1 to 2, as `PRAGMA journal_mode=WAL` does through sqlite3BtreeSetVersion).
 * Format: fileformat2.html §1.3 "The Rollback Journal", atomiccommit.html §4 "Hot
 * journals"; the record checksum as in pager.c's pager_cksum().
 *
 *   journal header (one sector, padded with zeros; big-endian u32 after the magic)
 *     0 magic d9 d5 05 f9 20 a1 63 d7      8 nRec: records in this segment
 *    12 nonce (seeds the checksums)        16 db size in pages before the transaction
 *    20 sector size                        24 page size
 *   records: u32 pgno, the original page, u32 checksum = nonce + the bytes at page offsets
 *   pageSize-200, pageSize-400, ... (> 0). Segments repeat at sector-aligned offsets.
 *   nRec 0xffffffff means "as many records as the file holds" (journal never synced).
 *   A super-journal name may follow the last record: u32 pgno of the lock-byte page,
 *   the name, u32 name length, u32 name checksum, the 8-byte magic.
 *
 * Invariants:
 *  1. A journal is hot when it exists, is not empty, its first byte is not 0 and the
 *     database file is not empty (hasHotJournal() in pager.c). Strata owns the
 *     database through the process lock, so no other live writer can be using it.
 *  2. Playback stops at the first record whose checksum fails or whose pgno is 0 or the
 *     lock-byte page: a torn tail is never copied into the database.
 *  3. Rollback = copy every valid record's page back, truncate the database to the
 *     size in the first header, sync the database, then delete the journal. A crash
 *     anywhere in between leaves the journal hot, and replaying it again is harmless.
 *  4. If the journal names a super-journal that does not exist, the multi-database
 *     transaction committed: the journal is deleted without playback.
 *  5. writeVersionJournal() makes the journal durable with nRec=0 first and nRec=1 after
 *     a second sync (SQLite's FULL ordering), so a torn record is never replayed.
 */
import type { Vfs, VfsFile } from "@strata/vfs";
import { get32, put32 } from "./wal-format.js";

export const JOURNAL_MAGIC = Uint8Array.of(0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7);
const JOURNAL_SECTOR = 512;
/** Page number of the lock-byte page (the page holding byte offset 2^30). */
export function lockBytePage(pageSize: number): number {
  return Math.floor(0x40000000 / pageSize) + 1;
}

function hasMagic(b: Uint8Array, off: number): boolean {
  for (let i = 0; i < 8; i++) if (b[off + i] !== JOURNAL_MAGIC[i]) return false;
  return true;
}

/** pager_cksum(): the nonce plus a sparse sample of the page's bytes. */
export function journalChecksum(nonce: number, page: Uint8Array): number {
  let ck = nonce >>> 0;
  for (let i = page.length - 200; i > 0; i -= 200) ck = (ck + page[i]) >>> 0;
  return ck;
}

export interface RollbackResult {
  /** Pages copied back into the database. */
  pagesRestored: number;
  /** True when the journal was deleted without playback (invariant 4, or no valid header). */
  skipped: boolean;
}

/** Reads the super-journal name at the end of a journal of `size` bytes, or "" if none. */
function superJournalName(j: VfsFile, size: number): string {
  if (size < 16) return "";
  const tail = new Uint8Array(16);
  j.read(tail, size - 16);
  if (!hasMagic(tail, 8)) return "";
  const len = get32(tail, 0);
  if (len === 0 || len > 4096 || len + 20 > size) return "";
  const name = new Uint8Array(len);
  j.read(name, size - 16 - len);
  let ck = 0;
  for (const b of name) ck = (ck + b) >>> 0;
  if (ck !== get32(tail, 4)) return "";
  let end = name.indexOf(0);
  if (end < 0) end = len;
  return new TextDecoder().decode(name.subarray(0, end));
}

/**
 * If `journalPath` is a hot journal for `db` (invariant 1), rolls it back and deletes it;
 * returns null when there was no hot journal. A journal that is not hot (empty, zeroed
 * header, empty database) is deleted, as SQLite does.
 */
export function rollbackHotJournal(vfs: Vfs, db: VfsFile, journalPath: string): RollbackResult | null {
  if (!vfs.exists(journalPath)) return null;
  const j = vfs.open(journalPath, { kind: "journal" });
  let result: RollbackResult | null = null;
  try {
    const size = j.size();
    const first = new Uint8Array(28);
    j.read(first, 0);
    if (size === 0 || first[0] === 0 || db.size() === 0) {
      result = null; // not hot: nothing to undo
    } else {
      result = playback(vfs, db, j, size);
    }
  } finally {
    j.close();
  }
  vfs.delete(journalPath, { syncDir: true });
  return result;
}

function playback(vfs: Vfs, db: VfsFile, j: VfsFile, size: number): RollbackResult {
  const hdr = new Uint8Array(28);
  j.read(hdr, 0);
  if (!hasMagic(hdr, 0)) return { pagesRestored: 0, skipped: true };
  const superName = superJournalName(j, size);
  if (superName !== "" && !vfs.exists(superName)) return { pagesRestored: 0, skipped: true };
  const origPages = get32(hdr, 16);
  const sectorSize = get32(hdr, 20);
  const pageSize = get32(hdr, 24);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { pagesRestored: 0, skipped: true };
  }
  const hdrSize = sectorSize >= 32 && sectorSize <= 65536 && (sectorSize & (sectorSize - 1)) === 0
    ? sectorSize
    : JOURNAL_SECTOR;
  const recSize = pageSize + 8;
  const lockPage = lockBytePage(pageSize);
  const rec = new Uint8Array(recSize);
  const page = rec.subarray(4, 4 + pageSize);
  let restored = 0;
  let off = 0;
  let done = false;
  while (!done && off + 28 <= size) {
    j.read(hdr, off);
    if (!hasMagic(hdr, 0)) break;
    let nRec = get32(hdr, 8);
    const nonce = get32(hdr, 12);
    const recStart = off + hdrSize;
    if (nRec === 0xffffffff) nRec = Math.floor((size - recStart) / recSize);
    let p = recStart;
    for (let i = 0; i < nRec; i++, p += recSize) {
      if (p + recSize > size) { done = true; break; }
      j.read(rec, p);
      const pgno = get32(rec, 0);
      if (pgno === 0 || pgno === lockPage) { done = true; break; }
      if (journalChecksum(nonce, page) !== get32(rec, 4 + pageSize)) { done = true; break; } // invariant 2
      db.write(page, (pgno - 1) * pageSize);
      restored++;
    }
    if (nRec === 0) break;
    off = Math.ceil(p / hdrSize) * hdrSize;
  }
  db.truncate(origPages * pageSize);
  db.sync("normal");
  return { pagesRestored: restored, skipped: false };
}

/**
 * Runs the rollback-journal transaction that turns page 1's format bytes 18/19 into
 * `version` (1 = rollback journal, 2 = WAL), as sqlite3BtreeSetVersion does. `page1`
 * is the current page 1 image; it is modified in place.
 */
export function setFileFormatVersion(
  vfs: Vfs,
  db: VfsFile,
  journalPath: string,
  page1: Uint8Array,
  dbPages: number,
  version: number,
  sync: boolean,
  randomU32: () => number,
): void {
  const pageSize = page1.length;
  if (page1[18] === version && page1[19] === version) return;
  const j = vfs.open(journalPath, { create: true, kind: "journal" });
  try {
    const nonce = randomU32();
    const buf = new Uint8Array(JOURNAL_SECTOR + pageSize + 8);
    buf.set(JOURNAL_MAGIC, 0);
    put32(buf, 8, 0); // nRec = 0 until the record is durable (invariant 5)
    put32(buf, 12, nonce);
    put32(buf, 16, dbPages);
    put32(buf, 20, JOURNAL_SECTOR);
    put32(buf, 24, pageSize);
    put32(buf, JOURNAL_SECTOR, 1);
    buf.set(page1, JOURNAL_SECTOR + 4);
    put32(buf, JOURNAL_SECTOR + 4 + pageSize, journalChecksum(nonce, page1));
    j.write(buf, 0);
    if (sync) j.sync("normal");
    const nRec = new Uint8Array(4);
    put32(nRec, 0, 1);
    j.write(nRec, 8);
    if (sync) j.sync("normal");
  } finally {
    j.close();
  }
  page1[18] = version;
  page1[19] = version;
  db.write(page1, 0);
  if (sync) db.sync("normal");
  vfs.delete(journalPath, { syncDir: sync });
}
