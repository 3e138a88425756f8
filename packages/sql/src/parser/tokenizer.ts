/*
 * The tokenizer: SQL text to tokens, by SQLite's rules (src/tokenize.c,
 * https://sqlite.org/lang_keywords.html, https://sqlite.org/lang_expr.html#literal_values_constants_).
 *
 * Tokens are kept as three parallel arrays (kind, start, end) over the source string:
 * no token objects and no substrings on the hot path. A keyword is recognised by
 * comparing the source characters with the generated lookup of keywords.ts.
 *
 * Rules that matter for error compatibility:
 *  1. A malformed token (unterminated string/identifier, `1e`, `x'0g'`, a stray `^`)
 *     is an ILLEGAL token covering the text SQLite would quote in
 *     `unrecognized token: "X"`; the parser reports it only when it reaches it, so a
 *     syntax error earlier in the text wins, as in SQLite.
 *  2. Numbers may contain `_` digit separators (SQLite 3.46+): such a number is a
 *     QNUMBER token, checked when it becomes an expression.
 *  3. WINDOW, OVER and FILTER are keywords only where SQLite's tokenizer says so
 *     (analyzeWindowKeyword & co.): WINDOW before `name AS`, OVER after `)` before `(`
 *     or a name, FILTER after `)` before `(`. Elsewhere they are identifiers.
 *  4. A NUL character ends the text, as it ends a C string.
 *  5. `$name::x(y)` TCL-style variables are recognised (SQLite's default build).
 *     COMPAT: better-sqlite3 is built with SQLITE_OMIT_TCL_VARIABLE and rejects them.
 */
import { lookupKeyword, FALLBACK_KINDS, type TokenKind } from "./keywords.js";

/** A token as the public `tokenize` returns it. */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

// Character classes, indexed by char code < 128.
const C_SPACE = 1, C_DIGIT = 2, C_ALPHA = 4, C_IDCHAR = 8, C_HEX = 16;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  let v = 0;
  if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) v |= C_SPACE;
  if (c >= 48 && c <= 57) v |= C_DIGIT | C_IDCHAR | C_HEX;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) v |= C_ALPHA | C_IDCHAR;
  if (c === 36) v |= C_IDCHAR;
  if ((c >= 65 && c <= 70) || (c >= 97 && c <= 102)) v |= C_HEX;
  CLASS[c] = v;
}

function isIdChar(c: number): boolean {
  return c >= 128 || (c >= 0 && (CLASS[c] & C_IDCHAR) !== 0);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return c < 128 && c >= 0 && (CLASS[c] & C_HEX) !== 0;
}
function isSpace(c: number): boolean {
  return c < 128 && c >= 0 && (CLASS[c] & C_SPACE) !== 0;
}

/** The tokens of one text, as parallel arrays. The last token is always EOF. */
export class TokenList {
  readonly kinds: TokenKind[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  constructor(readonly source: string) {}
  get length(): number {
    return this.kinds.length;
  }
  text(i: number): string {
    return this.source.slice(this.starts[i], this.ends[i]);
  }
}

/** True when a token of this kind can serve as an identifier (ID, or a fallback keyword). */
export function isIdLike(kind: TokenKind): boolean {
  return kind === "ID" || FALLBACK_KINDS.has(kind);
}

/** Scans `sql` into a TokenList (spaces and comments dropped; EOF appended). */
export function scan(sql: string): TokenList {
  const out = new TokenList(sql);
  const kinds = out.kinds, starts = out.starts, ends = out.ends;
  let n = sql.length;
  const nul = sql.indexOf("\0");
  if (nul >= 0) n = nul;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const start = i;
    let kind: TokenKind;
    if (c < 128 && (CLASS[c] & C_SPACE) !== 0) {
      i++;
      while (i < n && isSpace(sql.charCodeAt(i))) i++;
      continue;
    }
    switch (c) {
      case 45: /* - */
        if (sql.charCodeAt(i + 1) === 45) {
          i += 2;
          while (i < n && sql.charCodeAt(i) !== 10) i++;
          continue;
        }
        if (sql.charCodeAt(i + 1) === 62) {
          kind = "PTR";
          i += sql.charCodeAt(i + 2) === 62 ? 3 : 2;
        } else {
          kind = "MINUS";
          i++;
        }
        break;
      case 40: kind = "LP"; i++; break;
      case 41: kind = "RP"; i++; break;
      case 59: kind = "SEMI"; i++; break;
      case 43: kind = "PLUS"; i++; break;
      case 42: kind = "STAR"; i++; break;
      case 47: /* / */
        if (sql.charCodeAt(i + 1) === 42 && i + 2 < n) {
          i += 2;
          const close = sql.indexOf("*/", i);
          i = close < 0 || close >= n ? n : close + 2;
          continue;
        }
        kind = "SLASH";
        i++;
        break;
      case 37: kind = "REM"; i++; break;
      case 61: kind = "EQ"; i += sql.charCodeAt(i + 1) === 61 ? 2 : 1; break;
      case 60: { /* < */
        const d = sql.charCodeAt(i + 1);
        if (d === 61) { kind = "LE"; i += 2; }
        else if (d === 62) { kind = "NE"; i += 2; }
        else if (d === 60) { kind = "LSHIFT"; i += 2; }
        else { kind = "LT"; i++; }
        break;
      }
      case 62: { /* > */
        const d = sql.charCodeAt(i + 1);
        if (d === 61) { kind = "GE"; i += 2; }
        else if (d === 62) { kind = "RSHIFT"; i += 2; }
        else { kind = "GT"; i++; }
        break;
      }
      case 33: /* ! */
        if (sql.charCodeAt(i + 1) === 61) { kind = "NE"; i += 2; }
        else { kind = "ILLEGAL"; i++; }
        break;
      case 124: /* | */
        if (sql.charCodeAt(i + 1) === 124) { kind = "CONCAT"; i += 2; }
        else { kind = "BITOR"; i++; }
        break;
      case 44: kind = "COMMA"; i++; break;
      case 38: kind = "BITAND"; i++; break;
      case 126: kind = "BITNOT"; i++; break;
      case 39: case 34: case 96: { /* ' " ` */
        i++;
        let closed = false;
        while (i < n) {
          if (sql.charCodeAt(i) === c) {
            if (sql.charCodeAt(i + 1) === c && i + 1 < n) { i += 2; continue; }
            closed = true;
            i++;
            break;
          }
          i++;
        }
        kind = !closed ? "ILLEGAL" : c === 39 ? "STRING" : "ID";
        break;
      }
      case 91: { /* [ */
        const close = sql.indexOf("]", i + 1);
        if (close < 0 || close >= n) { kind = "ILLEGAL"; i = n; }
        else { kind = "ID"; i = close + 1; }
        break;
      }
      case 46: /* . */
        if (!isDigit(sql.charCodeAt(i + 1))) { kind = "DOT"; i++; break; }
        [kind, i] = scanNumber(sql, i, n);
        break;
      case 63: /* ? */
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        kind = "VARIABLE";
        break;
      case 36: case 64: case 58: case 35: { /* $ @ : # */
        [kind, i] = scanVariable(sql, i, n);
        break;
      }
      default:
        if ((c === 120 || c === 88) && sql.charCodeAt(i + 1) === 39 && i + 1 < n) {
          /* X'...' blob */
          i += 2;
          while (i < n && isHex(sql.charCodeAt(i))) i++;
          kind = "BLOB";
          if (sql.charCodeAt(i) !== 39 || i >= n || (i - start) % 2 === 1) {
            kind = "ILLEGAL";
            while (i < n && sql.charCodeAt(i) !== 39) i++;
          }
          if (i < n) i++;
        } else if (isDigit(c)) {
          [kind, i] = scanNumber(sql, i, n);
        } else if (c >= 128 || (CLASS[c] & C_ALPHA) !== 0) {
          i++;
          while (i < n && isIdChar(sql.charCodeAt(i))) i++;
          const kw = lookupKeyword(sql, start, i);
          kind = kw === null ? "ID" : kw.kind;
        } else {
          kind = "ILLEGAL";
          i++;
        }
    }
    kinds.push(kind);
    starts.push(start);
    ends.push(i);
  }
  kinds.push("EOF");
  starts.push(n);
  ends.push(n);
  classifyWindowKeywords(out);
  return out;
}

/** Scans a number starting at `i` (a digit, or `.` before a digit). */
function scanNumber(sql: string, i: number, n: number): [TokenKind, number] {
  let kind: TokenKind = "INTEGER";
  const c0 = sql.charCodeAt(i);
  const c1 = sql.charCodeAt(i + 1);
  if (c0 === 48 && (c1 === 120 || c1 === 88) && isHex(sql.charCodeAt(i + 2))) {
    i += 3;
    for (;;) {
      const c = sql.charCodeAt(i);
      if (i < n && isHex(c)) i++;
      else if (i < n && c === 95) { kind = "QNUMBER"; i++; }
      else break;
    }
  } else {
    const digits = (): void => {
      for (;;) {
        const c = sql.charCodeAt(i);
        if (i < n && isDigit(c)) i++;
        else if (i < n && c === 95) { kind = "QNUMBER"; i++; }
        else break;
      }
    };
    digits();
    if (sql.charCodeAt(i) === 46 && i < n) {
      if (kind === "INTEGER") kind = "FLOAT";
      i++;
      digits();
    }
    const e = sql.charCodeAt(i);
    if ((e === 101 || e === 69) && i < n) {
      const s = sql.charCodeAt(i + 1);
      if ((isDigit(s) && i + 1 < n) || ((s === 43 || s === 45) && isDigit(sql.charCodeAt(i + 2)) && i + 2 < n)) {
        if (kind === "INTEGER") kind = "FLOAT";
        i += 2;
        digits();
      }
    }
  }
  while (i < n && isIdChar(sql.charCodeAt(i))) {
    kind = "ILLEGAL";
    i++;
  }
  return [kind, i];
}

/** Scans a `$name`, `@name`, `:name` or `#name` parameter starting at `i`. */
function scanVariable(sql: string, i: number, n: number): [TokenKind, number] {
  let named = 0;
  let kind: TokenKind = "VARIABLE";
  i++;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isIdChar(c)) {
      named++;
      i++;
    } else if (c === 40 && named > 0) {
      let d = 0;
      do {
        i++;
        d = i < n ? sql.charCodeAt(i) : 0;
      } while (i < n && !isSpace(d) && d !== 41);
      if (i < n && d === 41) i++;
      else kind = "ILLEGAL";
      break;
    } else if (c === 58 && sql.charCodeAt(i + 1) === 58 && i + 1 < n) {
      i += 2;
    } else {
      break;
    }
  }
  if (named === 0) kind = "ILLEGAL";
  return [kind, i];
}

/** The kinds SQLite's getToken() treats as an identifier when looking ahead. */
function looksLikeId(kind: TokenKind): boolean {
  return kind === "ID" || kind === "STRING" || kind === "JOIN_KW" || kind === "WINDOW" || kind === "OVER" || FALLBACK_KINDS.has(kind);
}

/** Rule 3: decides whether each WINDOW, OVER and FILTER is a keyword or an identifier. */
function classifyWindowKeywords(t: TokenList): void {
  const k = t.kinds;
  for (let i = 0; i < k.length; i++) {
    const kind = k[i];
    if (kind === "WINDOW") {
      if (!(looksLikeId(k[i + 1]) && k[i + 2] === "AS")) k[i] = "ID";
    } else if (kind === "OVER") {
      if (!(i > 0 && k[i - 1] === "RP" && (k[i + 1] === "LP" || looksLikeId(k[i + 1])))) k[i] = "ID";
    } else if (kind === "FILTER") {
      if (!(i > 0 && k[i - 1] === "RP" && k[i + 1] === "LP")) k[i] = "ID";
    }
  }
}

/** The tokens of `sql` (without spaces and comments, ending with an EOF token). */
export function tokenize(sql: string): Token[] {
  const t = scan(sql);
  const out: Token[] = [];
  for (let i = 0; i < t.length; i++) out.push({ kind: t.kinds[i], start: t.starts[i], end: t.ends[i], text: t.text(i) });
  return out;
}
