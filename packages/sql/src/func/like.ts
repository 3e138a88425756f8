/*
 * LIKE and GLOB pattern matching (https://sqlite.org/lang_expr.html#like; func.c
 * patternCompare, likeFunc). Works on code points of JS strings.
 *
 *  GLOB: * any run, ? one character, [...] a set ([^...] inverted, ranges a-z, ']' first
 *        is literal), case-sensitive; no escape character.
 *  LIKE: % any run, _ one character, optional ESCAPE character; ASCII letters match
 *        either case (SQLite without ICU, case_sensitive_like off). With an ESCAPE equal
 *        to % or _ that wildcard loses its meaning, as in SQLite.
 *
 * Invariants:
 *  1. Same answers as SQLite's patternCompare for all patterns (property-tested), including
 *     its three-way result used to stop early after a failed wildcard (NOWILDCARDMATCH).
 *  2. The pattern byte length limit is SQLite's default SQLITE_MAX_LIKE_PATTERN_LENGTH
 *     (50000); longer patterns give "LIKE or GLOB pattern too complex".
 *  3. patternMatchBytes (LIKE of an ASCII pattern on the subject's UTF-8 bytes, without
 *     decoding it) follows SQLite's byte-level rules, malformed UTF-8 included (where it
 *     can differ from patternMatch on the decoded string, which sees U+FFFD);
 *     differential-tested through the VM against SQLite.
 */

const MATCH = 0;
const NOMATCH = 1;
const NOWILDCARDMATCH = 2;

export const LIKE_PATTERN_LIMIT = 50000;

export interface CompareInfo {
  matchAll: number;
  matchOne: number;
  matchSet: number;
  noCase: boolean;
}

export const GLOB_INFO: CompareInfo = { matchAll: 0x2a, matchOne: 0x3f, matchSet: 0x5b, noCase: false };
export const LIKE_INFO: CompareInfo = { matchAll: 0x25, matchOne: 0x5f, matchSet: 0, noCase: true };
export const LIKE_INFO_CASE: CompareInfo = { matchAll: 0x25, matchOne: 0x5f, matchSet: 0, noCase: false };

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

// Reads the code point at pattern/string position; returns it and advances via `pos`.
let pos = 0;
function readCp(s: string, i: number): number {
  if (i >= s.length) {
    pos = i;
    return 0;
  }
  const c = s.codePointAt(i) as number;
  pos = i + (c > 0xffff ? 2 : 1);
  return c;
}

function compare(p: string, pi: number, s: string, si: number, info: CompareInfo, matchOther: number): number {
  const matchOne = info.matchOne;
  const matchAll = info.matchAll;
  const noCase = info.noCase;
  let escapedAt = -1;
  for (;;) {
    let c = readCp(p, pi);
    pi = pos;
    if (c === 0) break;
    if (c === matchAll) {
      for (;;) {
        c = readCp(p, pi);
        pi = pos;
        if (c === matchAll) continue;
        if (c === matchOne && matchOne !== 0) {
          const c2 = readCp(s, si);
          si = pos;
          if (c2 === 0) return NOWILDCARDMATCH;
          continue;
        }
        break;
      }
      if (c === 0) return MATCH;
      if (c === matchOther) {
        if (info.matchSet === 0) {
          c = readCp(p, pi);
          pi = pos;
          if (c === 0) return NOWILDCARDMATCH;
        } else {
          const setStart = pi - 1;
          while (si < s.length) {
            const b = compare(p, setStart, s, si, info, matchOther);
            if (b !== NOMATCH) return b;
            readCp(s, si);
            si = pos;
          }
          return NOWILDCARDMATCH;
        }
      }
      if (c < 0x80 && noCase) {
        const lc = lowerAscii(c);
        while (si < s.length) {
          const c2 = readCp(s, si);
          si = pos;
          if (c2 === c || (c2 < 0x80 && lowerAscii(c2) === lc)) {
            const b = compare(p, pi, s, si, info, matchOther);
            if (b !== NOMATCH) return b;
          }
        }
      } else {
        while (si < s.length) {
          const c2 = readCp(s, si);
          si = pos;
          if (c2 !== c) continue;
          const b = compare(p, pi, s, si, info, matchOther);
          if (b !== NOMATCH) return b;
        }
      }
      return NOWILDCARDMATCH;
    }
    if (c === matchOther) {
      if (info.matchSet === 0) {
        c = readCp(p, pi);
        pi = pos;
        if (c === 0) return NOMATCH;
        escapedAt = pi;
      } else {
        let priorC = 0;
        let seen = false;
        let invert = false;
        const sc = readCp(s, si);
        si = pos;
        if (sc === 0) return NOMATCH;
        let c2 = readCp(p, pi);
        pi = pos;
        if (c2 === 0x5e) {
          invert = true;
          c2 = readCp(p, pi);
          pi = pos;
        }
        if (c2 === 0x5d) {
          if (sc === 0x5d) seen = true;
          c2 = readCp(p, pi);
          pi = pos;
        }
        while (c2 !== 0 && c2 !== 0x5d) {
          if (c2 === 0x2d && pi < p.length && p.charCodeAt(pi) !== 0x5d && priorC > 0) {
            c2 = readCp(p, pi);
            pi = pos;
            if (sc >= priorC && sc <= c2) seen = true;
            priorC = 0;
          } else {
            if (sc === c2) seen = true;
            priorC = c2;
          }
          c2 = readCp(p, pi);
          pi = pos;
        }
        if (c2 === 0 || seen === invert) return NOMATCH;
        continue;
      }
    }
    const c2 = readCp(s, si);
    si = pos;
    if (c === c2) continue;
    if (noCase && c < 0x80 && c2 < 0x80 && lowerAscii(c) === lowerAscii(c2)) continue;
    if (c === matchOne && pi !== escapedAt && c2 !== 0) continue;
    return NOMATCH;
  }
  return si >= s.length ? MATCH : NOMATCH;
}

/** True when `str` matches `pattern` (SQLite's patternCompare(...) == SQLITE_MATCH). */
export function patternMatch(pattern: string, str: string, info: CompareInfo, escape: number): boolean {
  return compare(pattern, 0, str, 0, info, escape) === MATCH;
}

// ---------------------------------------------------------------------------------------
// LIKE on UTF-8 bytes (no decoding of the subject)

/**
 * The bytes of the character starting at s[i] (i < n) as SQLite's sqlite3Utf8Read and
 * SQLITE_SKIP_UTF8 delimit it: a byte >= 0xC0 and every continuation byte (0x80..0xBF)
 * after it; any other byte alone. On well-formed UTF-8 that is one code point; on
 * malformed bytes it is how SQLite counts (length()) and steps (LIKE's '_').
 */
export function utf8CharLen(s: Uint8Array, i: number, n: number): number {
  let k = i + 1;
  if (s[i] >= 0xc0) while (k < n && (s[k] & 0xc0) === 0x80) k++;
  return k - i;
}

/**
 * compare() over bytes, as SQLite's patternCompare runs on UTF-8: the pattern p[0..pn) is
 * ASCII without NUL (likeBytesPattern), the subject s[0..sn) ends early at a NUL byte (the
 * C string SQLite sees). A non-ASCII character never equals an ASCII one (sqlite3Utf8Read
 * turns overlong forms of ASCII into U+FFFD), so literals, ASCII case folding and the '%'
 * scan compare single bytes; '_' steps over one character (utf8CharLen). LIKE only (no
 * [...] sets).
 */
function compareBytes(p: Uint8Array, pn: number, pi: number, s: Uint8Array, sv: DataView, sn: number, si: number, info: CompareInfo, matchOther: number): number {
  const matchOne = info.matchOne;
  const matchAll = info.matchAll;
  const noCase = info.noCase;
  let escapedAt = -1;
  while (pi < pn) {
    let c = p[pi++];
    if (c === matchAll) {
      c = 0;
      while (pi < pn) {
        c = p[pi++];
        if (c === matchAll) { c = 0; continue; }
        if (c === matchOne && matchOne !== 0) {
          c = 0;
          if (si >= sn || s[si] === 0) return NOWILDCARDMATCH;
          si += utf8CharLen(s, si, sn);
          continue;
        }
        break;
      }
      if (c === 0) return MATCH;
      if (c === matchOther) {
        if (pi >= pn) return NOWILDCARDMATCH;
        c = p[pi++];
      }
      // The other case of an ASCII letter (SQLite's zStop pair for strcspn).
      const lc = c | 0x20;
      const cu = noCase && lc >= 0x61 && lc <= 0x7a ? c ^ 0x20 : c;
      const cx = c * 0x01010101;
      const ux = cu * 0x01010101;
      while (si < sn) {
        // Four bytes with neither case of c nor a NUL among them are passed at once.
        if (si + 4 <= sn) {
          const w = sv.getUint32(si);
          if (!hasZeroByte(w ^ cx) && !hasZeroByte(w ^ ux) && !hasZeroByte(w)) {
            si += 4;
            continue;
          }
        }
        const c2 = s[si++];
        if (c2 === c || c2 === cu) {
          const b = compareBytes(p, pn, pi, s, sv, sn, si, info, matchOther);
          if (b !== NOMATCH) return b;
        } else if (c2 === 0) break;
      }
      return NOWILDCARDMATCH;
    }
    if (c === matchOther) {
      if (pi >= pn) return NOMATCH;
      c = p[pi++];
      escapedAt = pi;
    }
    const c2 = si < sn ? s[si] : 0;
    if (c2 >= 0x80) {
      // Not ASCII: only an unescaped '_' matches it.
      if (c !== matchOne || pi === escapedAt) return NOMATCH;
      si += utf8CharLen(s, si, sn);
      continue;
    }
    if (c2 !== 0) si++;
    if (c === c2) continue;
    if (noCase && lowerAscii(c) === lowerAscii(c2)) continue;
    if (c === matchOne && pi !== escapedAt && c2 !== 0) continue;
    return NOMATCH;
  }
  return si >= sn || s[si] === 0 ? MATCH : NOMATCH;
}

/** Whether one of the four bytes of the 32-bit word x is 0 (exact). */
function hasZeroByte(x: number): boolean {
  return ((x - 0x01010101) & ~x & 0x80808080) !== 0;
}

/** The pattern as bytes for patternMatchBytes when every character is ASCII (after the
 *  cut at the first NUL), else null. */
export function likeBytesPattern(pattern: string): Uint8Array | null {
  let n = pattern.indexOf("\0");
  if (n < 0) n = pattern.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = pattern.charCodeAt(i);
    if (c >= 0x80) return null;
    out[i] = c;
  }
  return out;
}

/** LIKE of the UTF-8 subject s[0..sn) (sv: a DataView over s with the same offsets)
 *  against a likeBytesPattern (SQLite's
 *  patternCompare(...) == SQLITE_MATCH on those bytes). */
export function patternMatchBytes(p: Uint8Array, s: Uint8Array, sv: DataView, sn: number, info: CompareInfo, escape: number): boolean {
  return compareBytes(p, p.length, 0, s, sv, sn, 0, info, escape) === MATCH;
}
