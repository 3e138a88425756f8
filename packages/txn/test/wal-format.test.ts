// The WAL format against WAL files real SQLite wrote (better-sqlite3, 3.53), and the
// fast checksum against a plain reference version of SQLite's algorithm.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fc from "fast-check";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import {
  WAL_FRAME_HDRSIZE,
  WAL_HDRSIZE,
  WAL_MAGIC,
  WalHeader,
  checkFrame,
  decodeWalHeader,
  encodeFrame,
  encodeWalHeader,
  frameCommitSize,
  walChecksum,
  walFrameOffset,
} from "../src/index.js";
import { tempDir } from "./helpers.js";

/** SQLite's walChecksumBytes, written the obvious way (the reference model). */
function referenceChecksum(bigEnd: boolean, data: Uint8Array, s1: number, s2: number): [number, number] {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < data.length; i += 8) {
    const x0 = dv.getUint32(i, !bigEnd);
    const x1 = dv.getUint32(i + 4, !bigEnd);
    s1 = Number((BigInt(s1) + BigInt(x0) + BigInt(s2)) % 4294967296n);
    s2 = Number((BigInt(s2) + BigInt(x1) + BigInt(s1)) % 4294967296n);
  }
  return [s1, s2];
}

let tmp: { dir: string; cleanup: () => void };
let wal: Uint8Array;
const TXNS = 12;

beforeAll(() => {
  tmp = tempDir("walfmt");
  const path = join(tmp.dir, "a.db");
  const db = new Database(path);
  db.pragma("page_size = 1024");
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT)");
  const ins = db.prepare("INSERT INTO t(y) VALUES (?)");
  for (let i = 1; i < TXNS; i++) db.transaction(() => { for (let j = 0; j < 20; j++) ins.run("row " + i + " " + "z".repeat(j * 7)); })();
  copyFileSync(path + "-wal", join(tmp.dir, "copy-wal"));
  db.close();
  wal = new Uint8Array(readFileSync(join(tmp.dir, "copy-wal")));
});
afterAll(() => tmp.cleanup());

describe("WAL written by SQLite", () => {
  it("has a header we decode and whose checksum we reproduce", () => {
    const h = decodeWalHeader(wal);
    expect(h).toBeInstanceOf(WalHeader);
    const hdr = h as WalHeader;
    expect(hdr.pageSize).toBe(1024);
    expect(hdr.bigEndCksum).toBe(false); // x86/arm64 SQLite writes little-endian checksums
    const again = new Uint8Array(WAL_HDRSIZE);
    encodeWalHeader(hdr, again);
    expect([...again]).toEqual([...wal.subarray(0, WAL_HDRSIZE)]);
  });

  it("validates every frame with the cumulative checksum and finds one commit frame per transaction", () => {
    const h = decodeWalHeader(wal) as WalHeader;
    const s = Uint32Array.of(h.cksum1, h.cksum2);
    const szFrame = h.pageSize + WAL_FRAME_HDRSIZE;
    const nFrames = (wal.length - WAL_HDRSIZE) / szFrame;
    expect(Number.isInteger(nFrames)).toBe(true);
    let commits = 0;
    for (let f = 1; f <= nFrames; f++) {
      const frame = wal.slice(walFrameOffset(f, h.pageSize), walFrameOffset(f, h.pageSize) + szFrame);
      expect(checkFrame(h, frame, h.pageSize, s)).toBeGreaterThan(0);
      if (frameCommitSize(frame) !== 0) commits++;
    }
    expect(commits).toBe(TXNS);
  });

  it("re-encodes every frame header byte for byte", () => {
    const h = decodeWalHeader(wal) as WalHeader;
    const s = Uint32Array.of(h.cksum1, h.cksum2);
    const szFrame = h.pageSize + WAL_FRAME_HDRSIZE;
    const nFrames = (wal.length - WAL_HDRSIZE) / szFrame;
    for (let f = 1; f <= nFrames; f++) {
      const off = walFrameOffset(f, h.pageSize);
      const theirs = wal.subarray(off, off + szFrame);
      const mine = theirs.slice();
      mine.fill(0, 0, WAL_FRAME_HDRSIZE);
      const pgno = new DataView(theirs.buffer, theirs.byteOffset).getUint32(0);
      encodeFrame(h, pgno, frameCommitSize(theirs), mine, h.pageSize, s);
      expect([...mine.subarray(0, WAL_FRAME_HDRSIZE)]).toEqual([...theirs.subarray(0, WAL_FRAME_HDRSIZE)]);
    }
  });

  it("rejects a frame with a flipped bit, a wrong salt, or a wrong seed", () => {
    const h = decodeWalHeader(wal) as WalHeader;
    const off = walFrameOffset(1, h.pageSize);
    const frame = wal.slice(off, off + h.pageSize + WAL_FRAME_HDRSIZE);
    const ok = Uint32Array.of(h.cksum1, h.cksum2);
    expect(checkFrame(h, frame, h.pageSize, ok)).toBeGreaterThan(0);
    const flipped = frame.slice();
    flipped[WAL_FRAME_HDRSIZE + 500] ^= 4;
    expect(checkFrame(h, flipped, h.pageSize, Uint32Array.of(h.cksum1, h.cksum2))).toBe(0);
    const salted = frame.slice();
    salted[9] ^= 1;
    expect(checkFrame(h, salted, h.pageSize, Uint32Array.of(h.cksum1, h.cksum2))).toBe(0);
    expect(checkFrame(h, frame, h.pageSize, Uint32Array.of(h.cksum1 + 1, h.cksum2))).toBe(0);
  });

  it("reports why a header is not usable", () => {
    const bad = wal.slice(0, WAL_HDRSIZE);
    bad[3] = 0x80;
    expect(decodeWalHeader(bad)).toBe("magic");
    const sum = wal.slice(0, WAL_HDRSIZE);
    sum[27] ^= 1;
    expect(decodeWalHeader(sum)).toBe("checksum");
    expect(decodeWalHeader(wal.subarray(0, 20))).toBe("short");
    const h = decodeWalHeader(wal) as WalHeader;
    h.pageSize = 1000;
    const ps = new Uint8Array(WAL_HDRSIZE);
    encodeWalHeader(h, ps);
    expect(decodeWalHeader(ps)).toBe("page-size");
  });
});

describe("checksum", () => {
  it("matches the reference model in both byte orders, at any alignment", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.boolean(), fc.nat(7), fc.nat(), fc.nat(), (raw, bigEnd, shift, a, b) => {
        const len = raw.length - (raw.length % 8);
        const backing = new Uint8Array(len + 8);
        backing.set(raw.subarray(0, len), shift);
        const data = backing.subarray(shift, shift + len);
        const s = Uint32Array.of(a >>> 0, b >>> 0);
        walChecksum(bigEnd, data, 0, len, s);
        const [r1, r2] = referenceChecksum(bigEnd, data.slice(), a >>> 0, b >>> 0);
        expect([s[0], s[1]]).toEqual([r1, r2]);
      }),
    );
  });

  it("round-trips headers and frames with big-endian checksums", () => {
    const h = new WalHeader();
    h.bigEndCksum = true;
    h.pageSize = 512;
    h.checkpointSeq = 3;
    h.salt1 = 0xdeadbeef;
    h.salt2 = 0x01020304;
    const buf = new Uint8Array(WAL_HDRSIZE);
    encodeWalHeader(h, buf);
    expect(new DataView(buf.buffer).getUint32(0)).toBe(WAL_MAGIC | 1);
    const back = decodeWalHeader(buf) as WalHeader;
    expect(back.bigEndCksum).toBe(true);
    expect(back.salt1).toBe(0xdeadbeef);
    const frame = new Uint8Array(512 + WAL_FRAME_HDRSIZE);
    for (let i = WAL_FRAME_HDRSIZE; i < frame.length; i++) frame[i] = i * 7;
    const s = Uint32Array.of(back.cksum1, back.cksum2);
    encodeFrame(back, 9, 12, frame, 512, s);
    const v = Uint32Array.of(back.cksum1, back.cksum2);
    expect(checkFrame(back, frame, 512, v)).toBe(9);
    expect([v[0], v[1]]).toEqual([s[0], s[1]]);
    // The same bytes under little-endian words do not validate.
    const le = decodeWalHeader(buf) as WalHeader;
    le.bigEndCksum = false;
    expect(checkFrame(le, frame, 512, Uint32Array.of(back.cksum1, back.cksum2))).toBe(0);
  });
});
