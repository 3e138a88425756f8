/*
 * db-header.ts: the 100-byte database header at the start of page 1
 * (https://www.sqlite.org/fileformat2.html §1.3 "The Database Header"). Every field is
 * parsed and written; all multi-byte integers are big-endian.
 *
 *   0 magic "SQLite format 3\0"   16 page size (1 = 65536)   18/19 write/read version
 *  20 reserved bytes per page      21/22/23 payload fractions 64/32/32
 *  24 file change counter          28 database size in pages   32 first freelist trunk
 *  36 freelist page count          40 schema cookie            44 schema format (1..4)
 *  48 default page cache size      52 largest root b-tree page (auto-vacuum, else 0)
 *  56 text encoding (1 UTF-8, 2 UTF-16le, 3 UTF-16be)          60 user_version
 *  64 incremental-vacuum flag      68 application_id           72..91 zero
 *  92 version-valid-for            96 SQLITE_VERSION_NUMBER of the last writer
 *
 * Invariants:
 *  1. parseDbHeader rejects with SQLITE_NOTADB ("file is not a database") exactly what
 *     SQLite's lockBtree rejects at open: bad magic, a page size that is not a power of two
 *     in 512..65536, payload fractions other than 64/32/32, read version > 2, usable size
 *     (page size - reserved bytes) below 480.
 *  2. The in-header database size is trusted only when it is non-zero and the change
 *     counter equals version-valid-for (`dbSizeValid`); otherwise the file size decides.
 *  3. Reserved bytes are kept as found: they belong to the cipher layer (or an extension);
 *     the B-tree only ever uses the first `usableSize` bytes of a page.
 */
import { SqliteError } from "@strata/common";

export const HEADER_SIZE = 100;
/** SQLITE_VERSION_NUMBER we write at offset 96: the SQLite we follow (3.53.0). */
export const SQLITE_VERSION_NUMBER = 3053000;
export const MAGIC = new Uint8Array([
  0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00,
]);

/** Header offsets (SQLite's "meta" values are the u32s from offset 36 on, 4 bytes apart). */
export const HDR = {
  pageSize: 16,
  writeVersion: 18,
  readVersion: 19,
  reservedBytes: 20,
  maxPayloadFrac: 21,
  minPayloadFrac: 22,
  leafPayloadFrac: 23,
  changeCounter: 24,
  databaseSize: 28,
  firstFreelistTrunk: 32,
  freelistCount: 36,
  schemaCookie: 40,
  schemaFormat: 44,
  defaultCacheSize: 48,
  largestRootPage: 52,
  textEncoding: 56,
  userVersion: 60,
  incrementalVacuum: 64,
  applicationId: 68,
  versionValidFor: 92,
  sqliteVersion: 96,
} as const;

export interface DbHeader {
  pageSize: number;
  writeVersion: number;
  readVersion: number;
  reservedBytes: number;
  maxPayloadFrac: number;
  minPayloadFrac: number;
  leafPayloadFrac: number;
  changeCounter: number;
  databaseSize: number;
  firstFreelistTrunk: number;
  freelistCount: number;
  schemaCookie: number;
  schemaFormat: number;
  defaultCacheSize: number;
  largestRootPage: number;
  textEncoding: number;
  userVersion: number;
  incrementalVacuum: number;
  applicationId: number;
  versionValidFor: number;
  sqliteVersion: number;
}

export function get4(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}
export function put4(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = v >>> 16;
  b[off + 2] = v >>> 8;
  b[off + 3] = v;
}
export function get2(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}
export function put2(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 8;
  b[off + 1] = v;
}

function notADb(): SqliteError {
  return new SqliteError("SQLITE_NOTADB", "file is not a database");
}

/** Decodes the 2-byte page size field (1 means 65536); 0 when invalid. */
export function decodePageSize(raw: number): number {
  const size = raw === 1 ? 65536 : raw;
  if (size < 512 || size > 65536 || (size & (size - 1)) !== 0) return 0;
  return size;
}

/** True when `b` starts with the SQLite magic string. */
export function hasMagic(b: Uint8Array): boolean {
  if (b.length < 16) return false;
  for (let i = 0; i < 16; i++) if (b[i] !== MAGIC[i]) return false;
  return true;
}

/** Parses and validates the header at b[0..100) (invariant 1). */
export function parseDbHeader(b: Uint8Array): DbHeader {
  if (b.length < HEADER_SIZE || !hasMagic(b)) throw notADb();
  const pageSize = decodePageSize(get2(b, HDR.pageSize));
  if (pageSize === 0) throw notADb();
  const h: DbHeader = {
    pageSize,
    writeVersion: b[HDR.writeVersion],
    readVersion: b[HDR.readVersion],
    reservedBytes: b[HDR.reservedBytes],
    maxPayloadFrac: b[HDR.maxPayloadFrac],
    minPayloadFrac: b[HDR.minPayloadFrac],
    leafPayloadFrac: b[HDR.leafPayloadFrac],
    changeCounter: get4(b, HDR.changeCounter),
    databaseSize: get4(b, HDR.databaseSize),
    firstFreelistTrunk: get4(b, HDR.firstFreelistTrunk),
    freelistCount: get4(b, HDR.freelistCount),
    schemaCookie: get4(b, HDR.schemaCookie),
    schemaFormat: get4(b, HDR.schemaFormat),
    defaultCacheSize: get4(b, HDR.defaultCacheSize),
    largestRootPage: get4(b, HDR.largestRootPage),
    textEncoding: get4(b, HDR.textEncoding),
    userVersion: get4(b, HDR.userVersion),
    incrementalVacuum: get4(b, HDR.incrementalVacuum),
    applicationId: get4(b, HDR.applicationId),
    versionValidFor: get4(b, HDR.versionValidFor),
    sqliteVersion: get4(b, HDR.sqliteVersion),
  };
  if (h.readVersion > 2) throw notADb();
  if (h.maxPayloadFrac !== 64 || h.minPayloadFrac !== 32 || h.leafPayloadFrac !== 32) throw notADb();
  if (pageSize - h.reservedBytes < 480) throw notADb();
  return h;
}

/** Writes every field of `h` into b[0..100) (bytes 72..91 are zeroed). */
export function writeDbHeader(b: Uint8Array, h: DbHeader): void {
  b.set(MAGIC, 0);
  put2(b, HDR.pageSize, h.pageSize === 65536 ? 1 : h.pageSize);
  b[HDR.writeVersion] = h.writeVersion;
  b[HDR.readVersion] = h.readVersion;
  b[HDR.reservedBytes] = h.reservedBytes;
  b[HDR.maxPayloadFrac] = h.maxPayloadFrac;
  b[HDR.minPayloadFrac] = h.minPayloadFrac;
  b[HDR.leafPayloadFrac] = h.leafPayloadFrac;
  put4(b, HDR.changeCounter, h.changeCounter);
  put4(b, HDR.databaseSize, h.databaseSize);
  put4(b, HDR.firstFreelistTrunk, h.firstFreelistTrunk);
  put4(b, HDR.freelistCount, h.freelistCount);
  put4(b, HDR.schemaCookie, h.schemaCookie);
  put4(b, HDR.schemaFormat, h.schemaFormat);
  put4(b, HDR.defaultCacheSize, h.defaultCacheSize);
  put4(b, HDR.largestRootPage, h.largestRootPage);
  put4(b, HDR.textEncoding, h.textEncoding);
  put4(b, HDR.userVersion, h.userVersion);
  put4(b, HDR.incrementalVacuum, h.incrementalVacuum);
  put4(b, HDR.applicationId, h.applicationId);
  b.fill(0, 72, 92);
  put4(b, HDR.versionValidFor, h.versionValidFor);
  put4(b, HDR.sqliteVersion, h.sqliteVersion);
}

/** A fresh header as SQLite's newDatabase() writes it (database size filled in by the caller). */
export function newDbHeader(pageSize: number, reservedBytes: number): DbHeader {
  return {
    pageSize,
    writeVersion: 1,
    readVersion: 1,
    reservedBytes,
    maxPayloadFrac: 64,
    minPayloadFrac: 32,
    leafPayloadFrac: 32,
    changeCounter: 0,
    databaseSize: 0,
    firstFreelistTrunk: 0,
    freelistCount: 0,
    schemaCookie: 0,
    schemaFormat: 4,
    defaultCacheSize: 0,
    largestRootPage: 0,
    textEncoding: 1,
    userVersion: 0,
    incrementalVacuum: 0,
    applicationId: 0,
    versionValidFor: 0,
    sqliteVersion: SQLITE_VERSION_NUMBER,
  };
}

/** Invariant 2: the in-header database size, or 0 when it must not be trusted. */
export function headerDbSize(h: DbHeader): number {
  return h.databaseSize !== 0 && h.changeCounter === h.versionValidFor ? h.databaseSize : 0;
}

/** Page number of the lock-byte page (the page holding byte offset 1073741824). */
export function pendingBytePage(pageSize: number): number {
  return Math.floor(1073741824 / pageSize) + 1;
}
