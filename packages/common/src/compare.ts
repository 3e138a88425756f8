/*
 * SQLite's value ordering (datatype3.html §4.1 "Sort Order") and the key comparison of
 * index B-trees (fileformat2.html §2.1 "Record Format", §1.6: index cells hold records
 * ordered by this comparison; SQLite's sqlite3VdbeRecordCompare).
 *
 *   NULL < INTEGER and REAL (numerically, exactly) < TEXT (by collation) < BLOB (memcmp)
 *
 * INTEGER vs REAL is exact for every int64 (as sqlite3IntFloatCompare): 2^63-1 vs
 * 9223372036854775807.0 (which is 2^63) is "less", which comparing doubles would get wrong.
 * A REAL NaN counts as NULL (SQLite never stores one: it stores NULL instead).
 *
 * Key comparison. compareRecords(a, b, keyInfo, defaultRc) compares two records field by
 * field, directly on their bytes (headers walked in lockstep; nothing allocated for UTF-8
 * data), over at most keyInfo.nField fields. When every field present in BOTH records
 * (and within nField) is equal, it returns `defaultRc`: so when one record is a prefix of
 * the other, the answer is the caller's. SQLite's "default_rc" idea: with `b` the search
 * key (possibly a prefix) and `a` a tree entry,
 *   defaultRc =  0   exact match semantics (full keys; a prefix matches its extensions)
 *   defaultRc = +1   entries matching the prefix compare as GREATER than the key: a seek
 *                    lands BEFORE all of them (SeekGE / SeekLT on a partial key)
 *   defaultRc = -1   entries matching the prefix compare as LESS than the key: a seek
 *                    lands AFTER all of them (SeekGT / SeekLE on a partial key)
 * The result is < 0 when a sorts before b (in the index's order, DESC applied), > 0 after.
 *
 * Sort flags per key column (KeyInfo.sortFlags): SORT_DESC reverses the column;
 * SORT_BIGNULL puts NULLs after non-NULLs (NULLS LAST on ASC, NULLS FIRST on DESC), as
 * SQLite's KEYINFO_ORDER_BIGNULL.
 *
 * Invariants:
 *  1. compareValues is a total preorder, and sign(compareRecords(enc(x), enc(y))) ===
 *     sign(compareValues column by column) for records of equal length.
 *  2. compareRecords and compareRecordToParsed allocate nothing for UTF-8 databases with
 *     built-in collations; UTF-16 text under a non-BINARY collation, and user-defined
 *     collations, decode to strings.
 *  3. Malformed records throw corrupt() exactly as RecordReader would (header size,
 *     serial type 10/11, header varint or body past the end); they never read outside
 *     their [start, end) range.
 *  4. In a UTF-16 database BINARY compares the UTF-16 bytes with memcmp (SQLite registers
 *     BINARY for each encoding); NOCASE and RTRIM work on the text converted to UTF-8,
 *     i.e. in code point order.
 */
import { corrupt } from "./sqlite-error.js";
import { getVarint32, lastVarintLen } from "./varint.js";
import {
  getReal, intLastHi, intLastLo, readSerialInt, Real, serialTypeLen, type SqlValue,
} from "./record.js";
import { BINARY, memcmp, memcmpViews, type Collation } from "./collation.js";
import { decodeText, TEXT_ENCODING_UTF8, type TextEncoding } from "./utf.js";

export const SORT_DESC = 1;
export const SORT_BIGNULL = 2;

/** What the B-tree needs to order index keys (SQLite's KeyInfo). */
export interface KeyInfo {
  /** At most this many leading fields are compared. */
  nField: number;
  /** Collation per field; a missing entry (or null) is BINARY. */
  collations: readonly (Collation | null)[];
  /** SORT_DESC / SORT_BIGNULL bits per field; missing entries are 0. */
  sortFlags: ArrayLike<number>;
  /** Text encoding of the database (1 UTF-8, 2 UTF-16le, 3 UTF-16be). */
  encoding: TextEncoding;
}

/** A KeyInfo with `nField` fields; collations and flags default to BINARY / ascending. */
export function makeKeyInfo(
  nField: number,
  opts?: { collations?: readonly (Collation | null)[]; sortFlags?: ArrayLike<number>; encoding?: TextEncoding },
): KeyInfo {
  return {
    nField,
    collations: opts?.collations ?? [],
    sortFlags: opts?.sortFlags ?? [],
    encoding: opts?.encoding ?? TEXT_ENCODING_UTF8,
  };
}

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const TWO_63 = 9223372036854775808;

// ---------------------------------------------------------------------------------------
// Numeric helpers

/**
 * Compares a "big" int64 (value >= 2^53 or < -2^53, given as signed hi / unsigned lo
 * halves) with a double (not NaN).
 */
function compareBigToReal(hi: number, lo: number, r: number): number {
  if (r >= TWO_63) return -1;
  if (r < -TWO_63) return 1;
  if (r > -TWO_53 && r < TWO_53) return hi < 0 ? -1 : 1;
  // |r| >= 2^53: r is an integer, split exactly.
  const rh = Math.floor(r / TWO_32);
  const rl = r - rh * TWO_32;
  if (hi !== rh) return hi < rh ? -1 : 1;
  return lo < rl ? -1 : lo > rl ? 1 : 0;
}

function sign(d: number): number {
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// In-memory values

// Classes: 0 NULL, 1 numeric, 2 text, 3 blob.
function valueClass(v: SqlValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case "number": return v !== v ? 0 : 1;
    case "bigint": return 1;
    case "string": return 2;
    default:
      if (v instanceof Real) return v.value !== v.value ? 0 : 1;
      return 3;
  }
}

function numericCompare(a: number | bigint | Real, b: number | bigint | Real): number {
  const x = a instanceof Real ? a.value : a;
  const y = b instanceof Real ? b.value : b;
  if (typeof x === "number" && typeof y === "number") return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === "bigint" && typeof y === "bigint") return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === "bigint") return bigintVsNumber(x, y as number);
  return -bigintVsNumber(y as bigint, x);
}

function bigintVsNumber(i: bigint, r: number): number {
  if (i >= -9007199254740991n && i <= 9007199254740991n) {
    const n = Number(i);
    return n < r ? -1 : n > r ? 1 : 0;
  }
  if (r >= TWO_63) return -1;
  if (r < -TWO_63) return 1;
  if (!Number.isInteger(r)) return i < 0n ? -1 : 1; // |i| > 2^53 > |r| (non-integral doubles are below 2^52)
  const ri = BigInt(r);
  return i < ri ? -1 : i > ri ? 1 : 0;
}

/**
 * Compares two values in SQLite's sort order; TEXT by `coll` (default BINARY). A plain
 * number, a Real and a bigint are all numeric; NaN counts as NULL. Returns <0, 0, >0.
 */
export function compareValues(a: SqlValue, b: SqlValue, coll: Collation = BINARY): number {
  const ca = valueClass(a);
  const cb = valueClass(b);
  if (ca !== cb) return ca - cb;
  switch (ca) {
    case 0: return 0;
    case 1: return numericCompare(a as number | bigint | Real, b as number | bigint | Real);
    case 2: return sign(coll.compareStrings(a as string, b as string));
    default: {
      const x = a as Uint8Array;
      const y = b as Uint8Array;
      return sign(memcmp(x, 0, x.length, y, 0, y.length));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Record bytes vs record bytes

// Compares field bodies of serial types sa (at a[pa]) and sb (at b[pb]); direction not applied.
// Serial type 7 holding NaN has been mapped to 0 by the caller.
function compareFieldBytes(
  a: Uint8Array, pa: number, sa: number, b: Uint8Array, pb: number, sb: number,
  coll: Collation | null, enc: TextEncoding,
): number {
  // Numeric vs numeric.
  if (sa <= 9 && sb <= 9) {
    if (sa === 7) {
      const x = getReal(a, pa);
      if (sb === 7) {
        const y = getReal(b, pb);
        return x < y ? -1 : x > y ? 1 : 0;
      }
      const y = readSerialInt(b, pb, sb);
      if (y === y) return x < y ? -1 : x > y ? 1 : 0;
      return -compareBigToReal(intLastHi(), intLastLo(), x);
    }
    const x = readSerialInt(a, pa, sa);
    if (x !== x) {
      const xh = intLastHi();
      const xl = intLastLo();
      if (sb === 7) return compareBigToReal(xh, xl, getReal(b, pb));
      const y = readSerialInt(b, pb, sb);
      if (y === y) return xh < 0 ? -1 : 1;
      const yh = intLastHi();
      const yl = intLastLo();
      if (xh !== yh) return xh < yh ? -1 : 1;
      return xl < yl ? -1 : xl > yl ? 1 : 0;
    }
    if (sb === 7) {
      const y = getReal(b, pb);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    const y = readSerialInt(b, pb, sb);
    if (y === y) return x < y ? -1 : x > y ? 1 : 0;
    return intLastHi() < 0 ? 1 : -1;
  }
  // Class order for the rest: numeric (<=9) < text (odd >= 13) < blob (even >= 12).
  const ka = sa <= 9 ? 1 : (sa & 1) === 1 ? 2 : 3;
  const kb = sb <= 9 ? 1 : (sb & 1) === 1 ? 2 : 3;
  if (ka !== kb) return ka - kb;
  const ea = pa + ((sa - 12) >>> 1);
  const eb = pb + ((sb - 12) >>> 1);
  if (ka === 3 || coll === null || coll === BINARY) return sign(memcmp(a, pa, ea, b, pb, eb));
  if (enc === TEXT_ENCODING_UTF8) return sign(coll.compareUtf8(a, pa, ea, b, pb, eb));
  return sign(coll.compareStrings(decodeText(a, pa, ea, enc), decodeText(b, pb, eb, enc)));
}

// Applies a column's sort flags to a non-zero field result (SQLite's rule: with BIGNULL,
// negate exactly when DESC differs from "a NULL was involved").
function applyFlags(rc: number, flags: number, nullInvolved: boolean): number {
  if (flags === 0) return rc;
  if ((flags & SORT_BIGNULL) === 0 || ((flags & SORT_DESC) !== 0) !== nullInvolved) return -rc;
  return rc;
}

// Header walk state for record a and b (module scratch: compare is not re-entrant, and
// the core is synchronous).
let hdrEndScratch = 0;

function readHeaderSize(buf: Uint8Array, start: number, end: number): number {
  if (end > buf.length || start >= end) throw corrupt("record: empty or outside its buffer");
  const hdr = getVarint32(buf, start);
  const n = lastVarintLen();
  if (hdr < n || hdr > end - start) throw corrupt("record: header size out of range");
  hdrEndScratch = start + hdr;
  return start + n;
}

// readField's other results (module scratch, as hdrEndScratch).
let fieldNext = 0;
let fieldLen = 0;

/**
 * The serial type at buf[h] of a header ending at hEnd, for a field whose body starts at
 * d in a record ending at end; checked as RecordReader checks it (invariant 3), a REAL
 * NaN read as NULL (0). Leaves the next header position in fieldNext, the body's length
 * in fieldLen.
 */
function readField(buf: Uint8Array, h: number, hEnd: number, d: number, end: number): number {
  let st = getVarint32(buf, h);
  fieldNext = h + lastVarintLen();
  if (fieldNext > hEnd) throw corrupt("record: serial type runs past the header");
  if (st === 10 || st === 11) throw corrupt("record: reserved serial type");
  const len = serialTypeLen(st);
  if (d + len > end) throw corrupt("record: column body past the end of the record");
  if (st === 7 && getReal(buf, d) !== getReal(buf, d)) st = 0;
  fieldLen = len;
  return st;
}

/**
 * Compares record a[aStart..aEnd) with record b[bStart..bEnd) as index keys. See the file
 * header for `defaultRc` and prefixes. Returns <0 if a sorts first, >0 if b does.
 */
export function compareRecordRanges(
  a: Uint8Array, aStart: number, aEnd: number,
  b: Uint8Array, bStart: number, bEnd: number,
  keyInfo: KeyInfo, defaultRc = 0,
): number {
  let ha = readHeaderSize(a, aStart, aEnd);
  const hEndA = hdrEndScratch;
  let hb = readHeaderSize(b, bStart, bEnd);
  const hEndB = hdrEndScratch;
  let da = hEndA;
  let db = hEndB;
  const nField = keyInfo.nField;
  const colls = keyInfo.collations;
  const flags = keyInfo.sortFlags;
  const enc = keyInfo.encoding;
  for (let i = 0; i < nField; i++) {
    if (ha >= hEndA || hb >= hEndB) break;
    const sa = readField(a, ha, hEndA, da, aEnd);
    ha = fieldNext;
    const la = fieldLen;
    const sb = readField(b, hb, hEndB, db, bEnd);
    hb = fieldNext;
    const lb = fieldLen;
    let rc: number;
    if (sa === 0 || sb === 0) {
      rc = sa === 0 ? (sb === 0 ? 0 : -1) : 1;
      if (rc !== 0) return applyFlags(rc, i < flags.length ? flags[i] : 0, true);
    } else {
      const coll = i < colls.length ? colls[i] : null;
      rc = compareFieldBytes(a, da, sa, b, db, sb, coll, enc);
      if (rc !== 0) return applyFlags(rc, i < flags.length ? flags[i] : 0, false);
    }
    da += la;
    db += lb;
  }
  return defaultRc;
}

/** compareRecordRanges over two whole arrays. */
export function compareRecords(a: Uint8Array, b: Uint8Array, keyInfo: KeyInfo, defaultRc = 0): number {
  return compareRecordRanges(a, 0, a.length, b, 0, b.length, keyInfo, defaultRc);
}

// ---------------------------------------------------------------------------------------
// Record bytes vs a search key parsed once

/**
 * A search key record whose header is walked once (serial types and body offsets), then
 * compared against many tree records with compareRecordToParsed: a B-tree seek compares
 * the same key ~log2(n) times, and compareRecordRanges would walk its header each time.
 * Holds a reference to the key's bytes: valid until they change. Reuse one per comparator.
 */
export class ParsedKey {
  buf: Uint8Array = EMPTY;
  /** A DataView over buf (same offsets), for four-byte text/blob compares. */
  view: DataView = EMPTY_VIEW;
  end = 0;
  /** Fields parsed (at most the KeyInfo's nField). */
  n = 0;
  /** Serial type of field i (a REAL NaN mapped to 0, NULL, as compareRecordRanges does). */
  types = new Int32Array(8);
  /** Offset of field i's body in buf. */
  offs = new Int32Array(8);
  /** Length of field i's body. */
  lens = new Int32Array(8);

  /** Walks the header of buf[start..end) for at most maxFields fields; throws corrupt() as
   *  compareRecordRanges would on the fields it reaches. */
  parse(buf: Uint8Array, start: number, end: number, maxFields: number): void {
    let h = readHeaderSize(buf, start, end);
    const hEnd = hdrEndScratch;
    let d = hEnd;
    if (maxFields > this.types.length) {
      const m = Math.max(maxFields, this.types.length * 2);
      this.types = new Int32Array(m);
      this.offs = new Int32Array(m);
      this.lens = new Int32Array(m);
    }
    let n = 0;
    while (n < maxFields && h < hEnd) {
      const st = readField(buf, h, hEnd, d, end);
      h = fieldNext;
      const len = fieldLen;
      this.types[n] = st;
      this.offs[n] = d;
      this.lens[n] = len;
      d += len;
      n++;
    }
    if (buf !== this.buf) this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.buf = buf;
    this.end = end;
    this.n = n;
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

/**
 * compareRecordRanges(a[aStart..aEnd), key's record, keyInfo, defaultRc) with the key's
 * header already walked (ParsedKey.parse with keyInfo.nField). `av`, when not null, is a
 * DataView over a's bytes (same offsets): memcmp-ordered fields then compare four bytes
 * at a time.
 */
export function compareRecordToParsed(
  a: Uint8Array, av: DataView | null, aStart: number, aEnd: number, key: ParsedKey, keyInfo: KeyInfo, defaultRc = 0,
): number {
  let ha = readHeaderSize(a, aStart, aEnd);
  const hEndA = hdrEndScratch;
  let da = hEndA;
  const n = keyInfo.nField < key.n ? keyInfo.nField : key.n;
  const colls = keyInfo.collations;
  const flags = keyInfo.sortFlags;
  const enc = keyInfo.encoding;
  const b = key.buf;
  const types = key.types;
  const offs = key.offs;
  for (let i = 0; i < n; i++) {
    if (ha >= hEndA) break;
    const sa = readField(a, ha, hEndA, da, aEnd);
    ha = fieldNext;
    const la = fieldLen;
    const sb = types[i];
    if (sa === 0 || sb === 0) {
      const rc = sa === 0 ? (sb === 0 ? 0 : -1) : 1;
      if (rc !== 0) return applyFlags(rc, i < flags.length ? flags[i] : 0, true);
    } else {
      const coll = i < colls.length ? colls[i] : null;
      let rc: number;
      if (av !== null && sa >= 12 && sb >= 12 && ((sa ^ sb) & 1) === 0 && ((sa & 1) === 0 || coll === null || coll === BINARY)) {
        const ob = offs[i];
        rc = memcmpViews(av, da, da + la, key.view, ob, ob + key.lens[i]);
      } else {
        rc = compareFieldBytes(a, da, sa, b, offs[i], sb, coll, enc);
      }
      if (rc !== 0) return applyFlags(rc < 0 ? -1 : 1, i < flags.length ? flags[i] : 0, false);
    }
    da += la;
  }
  return defaultRc;
}

