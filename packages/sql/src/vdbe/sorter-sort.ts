/*
 * vdbe/sorter-sort.ts: the sort of a sorter's records (RecordSet.sort: ORDER BY, GROUP BY,
 * CREATE INDEX, DISTINCT), SQLite's vdbesort.c in-memory merge sort.
 *
 * The order is compareRecordRanges over the KeyInfo (common/compare.ts); the result is a
 * permutation of record numbers, stable (equal keys keep their insertion order).
 *
 * Most comparisons are decided by the first key field, so it is read once per record into
 * a number (SQLite's vdbesort.c has a fast comparison for an integer or a text first field,
 * vdbeSorterCompareInt / vdbeSorterCompareText):
 *   - class 1: a safe INTEGER or a non-NaN REAL, key = its value (exact as a double);
 *   - class 2: a TEXT under BINARY (memcmp order, any encoding), key1/key2 = the 6 bytes
 *     at offsets L..L+6 and L+6..L+12 of the text as big-endian integers (missing bytes 0),
 *     where L is a length that every text first field starts with the same L bytes of
 *     (their common prefix, at most MAX_PREFIX): ids like "row-0000042-..." differ only
 *     after a shared prefix;
 *   - class 0: anything else (NULL, BLOB, another collation, an int64 beyond 2^53).
 *
 * Invariants:
 *  1. For two records of the same class 1 or 2, key order agrees with compareRecordRanges
 *     on the first field: keys that differ decide it (DESC reverses it). Equal class 2 keys
 *     go on to memcmp the rest of the two texts. A first field found equal decides nothing,
 *     and the full comparison runs (except class 1 with one key field, where equal numbers
 *     are equal records).
 *  2. Records of class 0 or of different classes take the full comparison.
 *  3. The merge sort is stable: a run is taken from the left whenever the two heads compare
 *     equal; already ordered input costs one comparison per record (a presorted check, and
 *     merges whose halves are already in order are skipped).
 *  4. One key field whose records are all class 1 integers spanning at most 2n + 256 values
 *     is sorted by counting (countingOrder), stable as well; no comparisons.
 */
import { BINARY, compareRecordRanges, getReal, getVarint32, lastVarintLen, readSerialInt, SORT_DESC, type KeyInfo } from "@strata/common";

/** Longest common text prefix skipped before the key bytes (bounds the prefix scan). */
const MAX_PREFIX = 64;
const TWO_8 = 256;
const TWO_24 = 16777216;

/** Sorts records buf[starts[r]..ends[r]) for r < n; returns record numbers in key order. */
export function sortRecords(buf: Uint8Array, starts: Int32Array, ends: Int32Array, n: number, ki: KeyInfo): Int32Array {
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  if (n < 2) return order;
  const full = (a: number, b: number): number => compareRecordRanges(buf, starts[a], ends[a], buf, starts[b], ends[b], ki, 0);
  const keyed = ki.nField >= 1 ? firstFieldKeys(buf, starts, ends, n, ki) : null;
  let cmp = full;
  if (keyed !== null) {
    const { cls, key1, key2, textAt, textLen } = keyed;
    const desc = ((ki.sortFlags[0] ?? 0) & SORT_DESC) !== 0;
    const onlyField = ki.nField === 1;
    cmp = (a: number, b: number): number => {
      const c = cls[a];
      if (c !== 0 && c === cls[b]) {
        let x = key1[a];
        let y = key1[b];
        if (x === y) {
          if (c === 1) {
            if (onlyField) return 0;
            return full(a, b);
          }
          x = key2[a];
          y = key2[b];
          if (x === y) {
            // The texts agree on their first prefix + 12 bytes: memcmp the rest.
            const t = textTail(buf, textAt, textLen, a, b, keyed.skip);
            return t === 0 ? full(a, b) : (t < 0) !== desc ? -1 : 1;
          }
        }
        return (x < y) !== desc ? -1 : 1;
      }
      return full(a, b);
    };
  }
  // Already in order (rows read in index or rowid order): one pass, no merging.
  let sorted = process.env.NOPRE === undefined;
  for (let k = 1; k < n; k++) {
    if (cmp(k - 1, k) > 0) {
      sorted = false;
      break;
    }
  }
  if (sorted) return order;
  if (keyed !== null && ki.nField === 1) {
    const counted = countingOrder(keyed.cls, keyed.key1, n, ((ki.sortFlags[0] ?? 0) & SORT_DESC) !== 0);
    if (counted !== null) return counted;
  }
  // V8's TypedArray sort with a comparator is a stable merge sort; a merge sort written
  // here runs interpreted in a cold process and was ~1.5x slower (speedtest1 at size 4).
  return order.sort(cmp);
}

interface FirstFieldKeys {
  cls: Uint8Array;
  key1: Float64Array;
  key2: Float64Array;
  /** Class 2: where the text starts in buf and its length in bytes. */
  textAt: Int32Array;
  textLen: Int32Array;
  /** Bytes of every class 2 text that its keys cover (common prefix + 12). */
  skip: number;
}

/** With every key a class 1 integer and the keys spanning at most 2n + 256 values (GROUP BY
 *  or ORDER BY an INTEGER column of few distinct values), a counting sort: one pass to
 *  count, one to place, stable (records with equal keys keep their order). Null when some
 *  record does not qualify. */
function countingOrder(cls: Uint8Array, key1: Float64Array, n: number, desc: boolean): Int32Array | null {
  let lo = key1[0];
  let hi = lo;
  for (let r = 0; r < n; r++) {
    const k = key1[r];
    if (cls[r] !== 1 || Math.floor(k) !== k) return null;
    if (k < lo) lo = k;
    else if (k > hi) hi = k;
  }
  const span = hi - lo + 1;
  if (!(span <= 2 * n + 256)) return null;
  const start = new Int32Array(span + 1);
  for (let r = 0; r < n; r++) start[(desc ? hi - key1[r] : key1[r] - lo) + 1]++;
  for (let i = 1; i <= span; i++) start[i] += start[i - 1];
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[start[desc ? hi - key1[r] : key1[r] - lo]++] = r;
  return order;
}

/** memcmp of two class 2 texts past their first `skip` bytes (sign only). */
function textTail(buf: Uint8Array, textAt: Int32Array, textLen: Int32Array, a: number, b: number, skip: number): number {
  const la = textLen[a];
  const lb = textLen[b];
  const pa = textAt[a];
  const pb = textAt[b];
  const m = la < lb ? la : lb;
  for (let k = skip; k < m; k++) {
    const d = buf[pa + k] - buf[pb + k];
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Class and keys of each record's first field (see the header), or null when fewer
 *  than two records have a keyed class. Each loop is its own function: V8 optimises a
 *  hot loop on its own (on-stack replacement) and would otherwise throw that code away on
 *  reaching the next, not yet run, loop. */
function firstFieldKeys(buf: Uint8Array, starts: Int32Array, ends: Int32Array, n: number, ki: KeyInfo): FirstFieldKeys | null {
  const coll = ki.collations.length > 0 ? ki.collations[0] : null;
  const k: FirstFieldKeys = {
    cls: new Uint8Array(n), key1: new Float64Array(n), key2: new Float64Array(n),
    textAt: new Int32Array(n), textLen: new Int32Array(n), skip: 0,
  };
  const prefix = classify(buf, starts, ends, n, coll === null || coll === BINARY, k);
  if (prefix < 0) return null;
  if (prefix <= MAX_PREFIX) textKeys(buf, n, prefix, k);
  k.skip = prefix + 12;
  return k;
}

/** Fills k.cls, numeric keys and text positions; returns the texts' common prefix length
 *  (capped at MAX_PREFIX; MAX_PREFIX + 1 when there is no text), or -1 when fewer than
 *  two records have a keyed class. */
function classify(buf: Uint8Array, starts: Int32Array, ends: Int32Array, n: number, texts: boolean, k: FirstFieldKeys): number {
  const { cls, key1, textAt, textLen } = k;
  let keyed = 0;
  let first = -1;
  let prefix = MAX_PREFIX;
  for (let r = 0; r < n; r++) {
    const start = starts[r];
    // One-byte varints (headers under 128 bytes, texts under 58 bytes) without a call.
    let hdrSize = buf[start];
    let p = start + 1;
    if (hdrSize >= 0x80) {
      hdrSize = getVarint32(buf, start);
      p = start + lastVarintLen();
    }
    const body = start + hdrSize;
    if (p >= body || body > ends[r]) continue;
    let st = buf[p];
    if (st >= 0x80) st = getVarint32(buf, p);
    if (st === 7) {
      const v = getReal(buf, body);
      if (v !== v) continue;
      key1[r] = v;
      cls[r] = 1;
    } else if (st >= 1 && st <= 9) {
      const v = st === 1 ? (buf[body] << 24) >> 24 : st === 2 ? (((buf[body] << 24) >> 16) | buf[body + 1]) : readSerialInt(buf, body, st);
      if (v !== v) continue;
      key1[r] = v;
      cls[r] = 1;
    } else if (st >= 13 && (st & 1) === 1 && texts) {
      const len = (st - 13) >>> 1;
      if (body + len > ends[r]) continue;
      textAt[r] = body;
      textLen[r] = len;
      if (first < 0) {
        first = r;
        if (len < prefix) prefix = len;
      } else {
        const f = textAt[first];
        let i = 0;
        const m = len < prefix ? len : prefix;
        while (i < m && buf[body + i] === buf[f + i]) i++;
        prefix = i;
      }
      cls[r] = 2;
    } else continue;
    keyed++;
  }
  if (keyed < 2) return -1;
  return first < 0 ? MAX_PREFIX + 1 : prefix;
}

/** The keys of class 2 records: the 12 bytes after the common prefix. */
function textKeys(buf: Uint8Array, n: number, prefix: number, k: FirstFieldKeys): void {
  const { cls, key1, key2, textAt, textLen } = k;
  for (let r = 0; r < n; r++) {
    if (cls[r] !== 2) continue;
    const at = textAt[r] + prefix;
    const end = textAt[r] + textLen[r];
    if (at + 12 <= end) {
      key1[r] = (((buf[at] << 16) | (buf[at + 1] << 8) | buf[at + 2]) * TWO_24) + ((buf[at + 3] << 16) | (buf[at + 4] << 8) | buf[at + 5]);
      key2[r] = (((buf[at + 6] << 16) | (buf[at + 7] << 8) | buf[at + 8]) * TWO_24) + ((buf[at + 9] << 16) | (buf[at + 10] << 8) | buf[at + 11]);
    } else {
      key1[r] = bytesKey(buf, at, end);
      key2[r] = bytesKey(buf, at + 6, end);
    }
  }
}

/** buf[at..at+6) as a big-endian integer, bytes at or past `end` counting as 0. */
function bytesKey(buf: Uint8Array, at: number, end: number): number {
  let v = 0;
  for (let k = 0; k < 6; k++) {
    const i = at + k;
    v = v * TWO_8 + (i < end ? buf[i] : 0);
  }
  return v;
}
