/*
 * wal-format.ts: the bytes of a WAL file, exactly as SQLite writes them
 * (walformat.html §1 "The WAL File", fileformat2.html §4.1 "WAL File Format").
 * Owns: the 32-byte WAL header, the 24-byte frame header, and the cumulative
 * checksum in both byte orders. Knows nothing about files, locks or snapshots.
 *
 *   WAL header (all big-endian u32)         frame header (all big-endian u32)
 *    0 magic 0x377f0682 | bigEndCksum          0 pgno
 *    4 format version 3007000                  4 db size in pages after commit (commit
 *    8 page size (65536 stored as 65536)         frame), or 0 (any other frame)
 *   12 checkpoint sequence number              8 salt-1 (copied from the WAL header)
 *   16 salt-1                                 12 salt-2
 *   20 salt-2                                 16 checksum-1  (cumulative, see below)
 *   24 checksum-1 over bytes 0..23            20 checksum-2
 *   28 checksum-2
 *
 * The checksum runs over 32-bit words x[0..n) taken in the byte order the magic names
 * (bit 0 of the magic set = big-endian words), two at a time:
 *     s1 += x[i] + s2;  s2 += x[i+1] + s1        (mod 2^32), starting from a seed.
 * The header's seed is (0,0). Frame k's seed is the checksum of frame k-1 (frame 1's is
 * the header checksum); it covers frame header bytes 0..7 and then the page image.
 *
 * Invariants:
 *  1. encodeWalHeader() always writes a header that decodeWalHeader() accepts, with the
 *     checksum computed in the byte order its own magic names.
 *  2. A frame is valid for a header iff its salts equal the header's, its pgno is not
 *     0, and its stored checksum equals the running checksum (checkFrame()).
 *  3. Checksum state lives in a caller's Uint32Array(2) [s1, s2]; nothing here
 *     allocates per frame.
 *  4. Salts are handled as the big-endian u32 read of their bytes, so "salt-1 + 1" on
 *     a WAL restart means what it means in SQLite's walRestartHdr().
 */

export const WAL_HDRSIZE = 32;
export const WAL_FRAME_HDRSIZE = 24;
/** The magic with bit 0 clear: little-endian checksum words. */
export const WAL_MAGIC = 0x377f0682;
export const WAL_MAX_VERSION = 3007000;

/** True when this machine stores a Uint32Array little-endian (all platforms Node runs on do). */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The decoded WAL header. */
export class WalHeader {
  /** True when checksum words are big-endian (magic 0x377f0683). */
  bigEndCksum: boolean;
  version: number;
  pageSize: number;
  checkpointSeq: number;
  salt1: number;
  salt2: number;
  cksum1: number;
  cksum2: number;

  constructor() {
    this.bigEndCksum = false;
    this.version = WAL_MAX_VERSION;
    this.pageSize = 0;
    this.checkpointSeq = 0;
    this.salt1 = 0;
    this.salt2 = 0;
    this.cksum1 = 0;
    this.cksum2 = 0;
  }
}

/** A page size SQLite accepts: a power of two in 512..65536. */
export function isValidPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/** Byte offset of frame `iFrame` (1-based) in a WAL of `pageSize` pages. */
export function walFrameOffset(iFrame: number, pageSize: number): number {
  return WAL_HDRSIZE + (iFrame - 1) * (pageSize + WAL_FRAME_HDRSIZE);
}

let cachedBuffer: ArrayBufferLike | null = null;
let cachedWords: Uint32Array | null = null;

/** A Uint32Array over all of `buf`, the last one made reused; null if buf is not word-sized. */
function wordsOf(buf: ArrayBuffer): Uint32Array | null {
  if (buf === cachedBuffer) return cachedWords;
  if ((buf.byteLength & 3) !== 0) return null;
  cachedBuffer = buf;
  cachedWords = new Uint32Array(buf);
  return cachedWords;
}

/**
 * Adds `len` bytes of `data` at `off` to the running checksum `s` ([s1, s2], updated in
 * place). `len` must be a multiple of 8. Word order is big-endian when `bigEnd`.
 */
export function walChecksum(bigEnd: boolean, data: Uint8Array, off: number, len: number, s: Uint32Array): void {
  let s1 = s[0];
  let s2 = s[1];
  const abs = data.byteOffset + off;
  if (!bigEnd && HOST_LITTLE_ENDIAN && (abs & 3) === 0 && len >= 64) {
    // Fast path: native little-endian words straight from the buffer, through a
    // word view cached per ArrayBuffer (callers reuse one frame buffer: no allocation).
    const words = wordsOf(data.buffer as ArrayBuffer);
    if (words !== null) {
      const end = (abs + len) >>> 2;
      for (let i = abs >>> 2; i < end; i += 2) {
        s1 = (s1 + words[i] + s2) >>> 0;
        s2 = (s2 + words[i + 1] + s1) >>> 0;
      }
      s[0] = s1;
      s[1] = s2;
      return;
    }
  }
  {
    const end = off + len;
    if (bigEnd) {
      for (let i = off; i < end; i += 8) {
        const x0 = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
        const x1 = ((data[i + 4] << 24) | (data[i + 5] << 16) | (data[i + 6] << 8) | data[i + 7]) >>> 0;
        s1 = (s1 + x0 + s2) >>> 0;
        s2 = (s2 + x1 + s1) >>> 0;
      }
    } else {
      for (let i = off; i < end; i += 8) {
        const x0 = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
        const x1 = (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24)) >>> 0;
        s1 = (s1 + x0 + s2) >>> 0;
        s2 = (s2 + x1 + s1) >>> 0;
      }
    }
  }
  s[0] = s1;
  s[1] = s2;
}

export function get32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = v >>> 16;
  b[off + 2] = v >>> 8;
  b[off + 3] = v;
}

/**
 * Writes `h` into out[0..32), computing the header checksum (stored back into h.cksum1/2)
 * in the byte order h.bigEndCksum names.
 */
export function encodeWalHeader(h: WalHeader, out: Uint8Array): void {
  put32(out, 0, WAL_MAGIC | (h.bigEndCksum ? 1 : 0));
  put32(out, 4, h.version);
  put32(out, 8, h.pageSize);
  put32(out, 12, h.checkpointSeq);
  put32(out, 16, h.salt1);
  put32(out, 20, h.salt2);
  const s = new Uint32Array(2);
  walChecksum(h.bigEndCksum, out, 0, 24, s);
  h.cksum1 = s[0];
  h.cksum2 = s[1];
  put32(out, 24, s[0]);
  put32(out, 28, s[1]);
}

/** Why a WAL header was rejected (null from decodeWalHeader's point of view, named for tests). */
export type WalHeaderProblem = "short" | "magic" | "version" | "page-size" | "checksum";

/**
 * Decodes the 32-byte header at buf[0..32). Returns the header, or the reason it is not
 * a usable WAL header (SQLite then treats the WAL as empty; a wrong format version is
 * SQLITE_CANTOPEN there, which the caller decides).
 */
export function decodeWalHeader(buf: Uint8Array): WalHeader | WalHeaderProblem {
  if (buf.length < WAL_HDRSIZE) return "short";
  const magic = get32(buf, 0);
  if ((magic & 0xfffffffe) >>> 0 !== WAL_MAGIC) return "magic";
  const h = new WalHeader();
  h.bigEndCksum = (magic & 1) === 1;
  h.version = get32(buf, 4);
  h.pageSize = get32(buf, 8);
  h.checkpointSeq = get32(buf, 12);
  h.salt1 = get32(buf, 16);
  h.salt2 = get32(buf, 20);
  h.cksum1 = get32(buf, 24);
  h.cksum2 = get32(buf, 28);
  if (!isValidPageSize(h.pageSize)) return "page-size";
  const s = new Uint32Array(2);
  walChecksum(h.bigEndCksum, buf, 0, 24, s);
  if (s[0] !== h.cksum1 || s[1] !== h.cksum2) return "checksum";
  if (h.version !== WAL_MAX_VERSION) return "version";
  return h;
}

/**
 * Fills in the frame header at frame[0..24) for the page image already at
 * frame[24..24+pageSize), and advances the running checksum `s` over it.
 * `commitSize` is the database size in pages for a commit frame, else 0.
 */
export function encodeFrame(
  h: WalHeader,
  pgno: number,
  commitSize: number,
  frame: Uint8Array,
  pageSize: number,
  s: Uint32Array,
): void {
  put32(frame, 0, pgno);
  put32(frame, 4, commitSize);
  put32(frame, 8, h.salt1);
  put32(frame, 12, h.salt2);
  walChecksum(h.bigEndCksum, frame, 0, 8, s);
  walChecksum(h.bigEndCksum, frame, WAL_FRAME_HDRSIZE, pageSize, s);
  put32(frame, 16, s[0]);
  put32(frame, 20, s[1]);
}

/**
 * Checks the frame at frame[0..24+pageSize) against header `h` and the running checksum
 * `s` (invariant 2). When valid, `s` has advanced over the frame and the result is the
 * frame's pgno; when not, the result is 0 and `s` is unspecified.
 */
export function checkFrame(h: WalHeader, frame: Uint8Array, pageSize: number, s: Uint32Array): number {
  const pgno = get32(frame, 0);
  if (pgno === 0) return 0;
  if (get32(frame, 8) !== h.salt1 || get32(frame, 12) !== h.salt2) return 0;
  walChecksum(h.bigEndCksum, frame, 0, 8, s);
  walChecksum(h.bigEndCksum, frame, WAL_FRAME_HDRSIZE, pageSize, s);
  if (s[0] !== get32(frame, 16) || s[1] !== get32(frame, 20)) return 0;
  return pgno;
}

/** The commit field of a frame header: the db size in pages for a commit frame, else 0. */
export function frameCommitSize(frame: Uint8Array): number {
  return get32(frame, 4);
}
