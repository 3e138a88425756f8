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
