/*
 * Built-in scalar functions on text and blobs (https://sqlite.org/lang_corefunc.html;
 * func.c): length, octet_length, lower, upper, ltrim, rtrim, trim, substr/substring,
 * replace, instr, hex, unhex, char, unicode, quote, unistr, unistr_quote, soundex,
 * concat, concat_ws, like, glob.
 *
 * Text is handled as JS strings; "characters" are Unicode code points, as SQLite counts
 * UTF-8 characters. Byte counts (octet_length, printf widths) are UTF-8 lengths.
 * upper()/lower() fold ASCII only (SQLite without ICU).
 *
 * Invariants:
 *  1. Results match SQLite 3.53 in value and storage class (tested against better-sqlite3).
 *  2. NULL in gives NULL out except where SQLite says otherwise: concat/concat_ws skip
 *     NULLs, char() reads NULL as 0 (U+0000), hex(NULL) is '', soundex(NULL) is '?000'.
 *  3. Text is read as C code does: a U+0000 inside a string ends it (cstr()).
 */
import { SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, encodeUtf8 } from "@strata/common";
import { MAX_LENGTH, resultTooBig, type FuncArgs, type FuncContext } from "./api.js";
import { intToText, realToSqlLiteral } from "../value/real-to-text.js";
import {
  GLOB_INFO, LIKE_INFO, LIKE_PATTERN_LIMIT, likeBytesPattern, patternMatch, patternMatchBytes, utf8CharLen,
  type CompareInfo,
} from "./like.js";

const HEX = "0123456789ABCDEF";

/** Number of code points in s. */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The UTF-16 index after advancing `n` code points from index i. */
function advance(s: string, i: number, n: number): number {
  while (n > 0 && i < s.length) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    n--;
  }
  return i;
}

/** SQLite's sqlite3_value_text cut at the first NUL, as C string functions see it. */
function cstr(s: string): string {
  const k = s.indexOf("\0");
  return k < 0 ? s : s.slice(0, k);
}

export function lengthFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  switch (args.type(0)) {
    case SQLITE_BLOB:
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      ctx.resultInt(args.bytes(0));
      return;
    case SQLITE_TEXT: {
      // Text read from a record is counted on its bytes (no decoding).
      const b = args.utf8(0);
      ctx.resultInt(b !== null ? utf8CharCount(b, args.utf8View(0), args.utf8Length(0)) : charLength(cstr(args.text(0) as string)));
      return;
    }
    default:
      ctx.resultNull();
  }
}

/** The characters of the UTF-8 text b[0..n) up to its first NUL, counted as SQLite's
 *  length() counts them (utf8CharLen: malformed bytes as SQLite groups them). */
function utf8CharCount(b: Uint8Array, dv: DataView, n: number): number {
  let count = 0;
  let i = 0;
  // Four ASCII bytes, none of them NUL, are four characters.
  while (i + 4 <= n) {
    const w = dv.getUint32(i);
    if ((w & 0x80808080) !== 0 || ((w - 0x01010101) & ~w & 0x80808080) !== 0) break;
    i += 4;
    count += 4;
  }
  while (i < n && b[i] !== 0) {
    i += utf8CharLen(b, i, n);
    count++;
  }
  return count;
}

export function octetLengthFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  if (args.type(0) === SQLITE_NULL) ctx.resultNull();
  else ctx.resultInt(args.bytes(0));
}

function foldAscii(s: string, upper: boolean): string {
  let out = "";
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (upper ? c >= 0x61 && c <= 0x7a : c >= 0x41 && c <= 0x5a) {
      out += s.slice(last, i) + String.fromCharCode(upper ? c - 0x20 : c + 0x20);
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

export function upperFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const s = args.text(0);
  if (s === null) ctx.resultNull();
  else ctx.resultText(foldAscii(s, true));
}

export function lowerFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const s = args.text(0);
  if (s === null) ctx.resultNull();
  else ctx.resultText(foldAscii(s, false));
}

/** ltrim (flags 1), rtrim (2), trim (3); the character set defaults to a space. */
export function trimImpl(ctx: FuncContext, argc: number, args: FuncArgs, flags: number): void {
  if (args.type(0) === SQLITE_NULL) return ctx.resultNull();
  const s = args.text(0) as string;
  let set = " ";
  if (argc === 2) {
    const t = args.text(1);
    if (t === null) return ctx.resultNull();
    set = cstr(t);
  }
  let start = 0;
  let end = s.length;
  if (set.length > 0) {
    if (flags & 1) {
      while (start < end) {
        const cp = s.codePointAt(start) as number;
        if (!setHas(set, cp)) break;
        start += cp > 0xffff ? 2 : 1;
      }
    }
    if (flags & 2) {
      while (end > start) {
        let k = end - 1;
        if (k > start && (s.charCodeAt(k) & 0xfc00) === 0xdc00 && (s.charCodeAt(k - 1) & 0xfc00) === 0xd800) k--;
        const cp = s.codePointAt(k) as number;
        if (!setHas(set, cp)) break;
        end = k;
      }
    }
  }
  ctx.resultText(start === 0 && end === s.length ? s : s.slice(start, end));
}

function setHas(set: string, cp: number): boolean {
  if (set.length === 1) return set.charCodeAt(0) === cp;
  for (let i = 0; i < set.length; ) {
    const c = set.codePointAt(i) as number;
    if (c === cp) return true;
    i += c > 0xffff ? 2 : 1;
  }
  return false;
}

export function ltrimFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  trimImpl(ctx, argc, args, 1);
}
export function rtrimFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  trimImpl(ctx, argc, args, 2);
}
export function trimFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  trimImpl(ctx, argc, args, 3);
}

const LIMIT_LENGTH = 1000000000;

/** substr(X,Y[,Z]) / substring: characters of text, bytes of blobs; see func.c substrFunc. */
export function substrFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  const t0 = args.type(0);
  if (t0 === SQLITE_NULL) return ctx.resultNull();
  let p1 = args.int(1);
  if (p1 !== p1) p1 = args.bigint(1) < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  let p2: number;
  if (argc === 3) {
    if (args.type(2) === SQLITE_NULL) return ctx.resultNull();
    p2 = args.int(2);
    if (p2 !== p2) p2 = args.bigint(2) < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  } else {
    p2 = LIMIT_LENGTH;
  }
  if (p1 === 0 && args.type(1) === SQLITE_NULL) return ctx.resultNull();
  let s = "";
  let b: Uint8Array | null = null;
  let len = 0;
  if (t0 === SQLITE_BLOB) {
    b = args.blob(0) as Uint8Array;
    len = b.length;
    if (len === 0) return ctx.resultNull(); // sqlite3_value_blob gives NULL for an empty blob
  } else {
    s = cstr(args.text(0) as string);
    if (p1 < 0) len = charLength(s);
  }
  if (p1 < 0) {
    p1 += len;
    if (p1 < 0) {
      p2 = p2 < 0 ? 0 : p2 + p1;
      p1 = 0;
    }
  } else if (p1 > 0) {
    p1--;
  } else if (p2 > 0) {
    p2--;
  }
  if (p2 < 0) {
    if (p2 < -p1) p2 = p1;
    else p2 = -p2;
    p1 -= p2;
  }
  if (b === null) {
    const i = advance(s, 0, p1);
    const j = advance(s, i, p2);
    ctx.resultText(s.slice(i, j));
  } else {
    if (p1 >= len) p1 = p2 = 0;
    else if (p2 > len - p1) p2 = len - p1;
    ctx.resultBlob(b.slice(p1, p1 + p2));
  }
}

export function replaceFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const s = args.text(0);
  if (s === null) return ctx.resultNull();
  const pat = args.text(1);
  if (pat === null) return ctx.resultNull();
  const str = cstr(s);
  const p = cstr(pat);
  if (p.length === 0) return ctx.resultText(str);
  const rep = args.text(2);
  if (rep === null) return ctx.resultNull();
  const parts = str.split(p);
  const r = cstr(rep);
  if (str.length + (parts.length - 1) * (r.length - p.length) > MAX_LENGTH) return resultTooBig(ctx);
  ctx.resultText(parts.join(r));
}

/** instr(X,Y): 1-based character (or byte, for two blobs) position of Y in X; 0 if absent. */
export function instrFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const th = args.type(0);
  const tn = args.type(1);
  if (th === SQLITE_NULL || tn === SQLITE_NULL) return ctx.resultNull();
  if (th === SQLITE_BLOB && tn === SQLITE_BLOB) {
    const h = args.blob(0) as Uint8Array;
    const n = args.blob(1) as Uint8Array;
    if (n.length === 0) return ctx.resultInt(1);
    outer: for (let i = 0; i + n.length <= h.length; i++) {
      for (let k = 0; k < n.length; k++) if (h[i + k] !== n[k]) continue outer;
      return ctx.resultInt(i + 1);
    }
    return ctx.resultInt(0);
  }
  const h = cstr(args.text(0) as string);
  const n = cstr(args.text(1) as string);
  if (args.bytes(1) === 0) return ctx.resultInt(1);
  const k = h.indexOf(n);
  ctx.resultInt(k < 0 ? 0 : charLength(h.slice(0, k)) + 1);
}

export function hexFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const b = args.blob(0);
  if (b === null) return ctx.resultText("");
  if (2 * b.length > MAX_LENGTH) return resultTooBig(ctx);
  ctx.resultText(hexOf(b));
}

/** Upper-case hex digits of b, built in flat chunks (a string grown a byte at a time is a
 *  chain of pieces that can take many times the memory of the result). */
function hexOf(b: Uint8Array): string {
  const chunks: string[] = [];
  for (let at = 0; at < b.length; at += 8192) {
    let s = "";
    const end = Math.min(b.length, at + 8192);
    for (let i = at; i < end; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15];
    chunks.push(s);
  }
  return chunks.length === 1 ? chunks[0] : chunks.join("");
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** unhex(X[,Y]): the blob X's hex digits spell; characters of Y may separate byte pairs. */
export function unhexFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  const hx = args.text(0);
  let pass = "";
  if (argc === 2) {
    const p = args.text(1);
    if (p === null) return ctx.resultNull();
    pass = cstr(p);
  }
  if (hx === null) return ctx.resultNull();
  const z = cstr(hx);
  const out = new Uint8Array(z.length >> 1);
  let n = 0;
  let i = 0;
  while (i < z.length) {
    let c = z.charCodeAt(i);
    while (hexVal(c) < 0) {
      const cp = z.codePointAt(i) as number;
      if (!setHas(pass, cp) || pass.length === 0) return ctx.resultNull();
      i += cp > 0xffff ? 2 : 1;
      if (i >= z.length) return ctx.resultBlob(out.slice(0, n));
      c = z.charCodeAt(i);
    }
    i++;
    const d = i < z.length ? hexVal(z.charCodeAt(i)) : -1;
    i++;
    if (d < 0) return ctx.resultNull();
    out[n++] = (hexVal(c) << 4) | d;
  }
  ctx.resultBlob(out.slice(0, n));
}

/** char(X1,...,XN): the string of those code points (out-of-range -> U+FFFD). */
export function charFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  let out = "";
  for (let i = 0; i < argc; i++) {
    let x = args.int(i);
    if (x !== x || x < 0 || x > 0x10ffff) x = 0xfffd;
    out += String.fromCodePoint(x);
  }
  ctx.resultText(out);
}

export function unicodeFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const s = args.text(0);
  if (s === null || s.length === 0 || s.charCodeAt(0) === 0) return ctx.resultNull();
  ctx.resultInt(s.codePointAt(0) as number);
}

/** The SQL literal of text: '...' with quotes doubled. */
export function quoteText(s: string): string {
  return "'" + cstr(s).replaceAll("'", "''") + "'";
}

/** unistr()-style literal (%#Q): backslashes doubled, control characters as \u00XX. */
function quoteTextEscaped(s: string): string {
  s = cstr(s);
  let ctrl = false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) <= 0x1f) ctrl = true;
  if (!ctrl) return quoteText(s);
  let out = "unistr('";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x27) out += "''";
    else if (c === 0x5c) out += "\\\\";
    else if (c <= 0x1f) out += "\\u00" + (c >= 0x10 ? "1" : "0") + "0123456789abcdef"[c & 15];
    else out += s[i];
  }
  return out + "')";
}

/** sqlite3QuoteValue: the SQL literal of any value. */
/** The SQL literal of argument i; null when it would be longer than MAX_LENGTH. */
export function quoteValue(args: FuncArgs, i: number, escape: boolean): string | null {
  switch (args.type(i)) {
    case SQLITE_FLOAT: return realToSqlLiteral(args.real(i));
    case SQLITE_INTEGER: {
      const n = args.int(i);
      return n === n ? intToText(n) : intToText(args.bigint(i));
    }
    case SQLITE_BLOB: {
      const b = args.blob(i) as Uint8Array;
      if (2 * b.length + 3 > MAX_LENGTH) return null;
      return "X'" + hexOf(b) + "'";
    }
    case SQLITE_TEXT: {
      const s = args.text(i) as string;
      return escape ? quoteTextEscaped(s) : quoteText(s);
    }
    default: return "NULL";
  }
}

export function quoteFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const q = quoteValue(args, 0, false);
  if (q === null) return resultTooBig(ctx);
  ctx.resultText(q);
}

export function unistrQuoteFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const q = quoteValue(args, 0, true);
  if (q === null) return resultTooBig(ctx);
  ctx.resultText(q);
}

function nHex(s: string, at: number, n: number): number {
  if (at + n > s.length) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = hexVal(s.charCodeAt(at + i));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** unistr(X): X with \XXXX, \uXXXX, \+XXXXXX, \UXXXXXXXX and \\ escapes decoded. */
export function unistrFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const t = args.text(0);
  if (t === null) return ctx.resultNull();
  const s = cstr(t);
  let out = "";
  let i = 0;
  while (i < s.length) {
    const k = s.indexOf("\\", i);
    if (k < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, k);
    i = k;
    const c = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    let v: number;
    if (c === 0x5c) {
      out += "\\";
      i += 2;
      continue;
    } else if (hexVal(c) >= 0) {
      v = nHex(s, i + 1, 4);
      i += 5;
    } else if (c === 0x2b) {
      v = nHex(s, i + 2, 6);
      i += 8;
    } else if (c === 0x75) {
      v = nHex(s, i + 2, 4);
      i += 6;
    } else if (c === 0x55) {
      v = nHex(s, i + 2, 8);
      i += 10;
    } else v = -1;
    if (v < 0) return ctx.resultError("invalid Unicode escape");
    out += appendCodePoint(v);
  }
  ctx.resultText(out);
}

// sqlite3AppendOneUtf8Character: values past U+10FFFF (and surrogates) are written as
// UTF-8 anyway in SQLite; JS strings cannot hold them, so they become U+FFFD.
function appendCodePoint(v: number): string {
  if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return "\ufffd";
  return String.fromCodePoint(v);
}

const SOUNDEX_CODE = [
  0, 1, 2, 3, 0, 1, 2, 0, 0, 2, 2, 4, 5, 5, 0, 1, 2, 6, 2, 3, 0, 1, 0, 2, 0, 2,
];

function soundexCode(c: number): number {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a && c < 0x80 ? SOUNDEX_CODE[l - 0x61] : 0;
}

/** soundex(X): the 4-character Soundex code; "?000" when X has no ASCII letter. */
export function soundexFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const b = encodeUtf8(cstr(args.text(0) ?? ""));
  let i = 0;
  const isAlpha = (c: number) => ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
  while (i < b.length && !isAlpha(b[i])) i++;
  if (i >= b.length) return ctx.resultText("?000");
  let prev = soundexCode(b[i] & 0x7f);
  let out = String.fromCharCode(b[i] & ~0x20);
  for (; out.length < 4 && i < b.length; i++) {
    const code = soundexCode(b[i] & 0x7f);
    if (code > 0) {
      if (code !== prev) {
        prev = code;
        out += String.fromCharCode(0x30 + code);
      }
    } else {
      prev = 0;
    }
  }
  while (out.length < 4) out += "0";
  ctx.resultText(out);
}

function concatCore(ctx: FuncContext, argc: number, args: FuncArgs, from: number, sep: string): void {
  let out = "";
  let any = false;
  for (let i = from; i < argc; i++) {
    if (args.type(i) === SQLITE_NULL) continue;
    const s = cstr(args.text(i) as string);
    if (out.length + sep.length + s.length > MAX_LENGTH) return resultTooBig(ctx);
    if (any) out += sep;
    out += s;
    any = true;
  }
  ctx.resultText(out);
}

export function concatFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  concatCore(ctx, argc, args, 0, "");
}

export function concatWsFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  const sep = args.text(0);
  if (sep === null) return ctx.resultNull();
  concatCore(ctx, argc, args, 1, cstr(sep));
}

// The last LIKE pattern seen (it passed the length limit) and its likeBytesPattern: a
// statement's pattern is usually the same string on every row.
let lastPattern: string | null = null;
let lastPatternBytes: Uint8Array | null = null;

function likeImpl(ctx: FuncContext, argc: number, args: FuncArgs, base: CompareInfo): void {
  // SQLITE_LIKE_DOESNT_MATCH_BLOBS, as both reference builds (SQLite 3.53 of better-sqlite3
  // and the 3.40 shell) are compiled: a BLOB pattern or subject never matches.
  if (args.type(0) === SQLITE_BLOB || args.type(1) === SQLITE_BLOB) return ctx.resultInt(0);
  const pat = args.text(0);
  if (pat !== lastPattern) {
    if (args.bytes(0) > LIKE_PATTERN_LIMIT) return ctx.resultError("LIKE or GLOB pattern too complex");
    if (pat !== null) {
      lastPattern = pat;
      lastPatternBytes = likeBytesPattern(pat);
    }
  }
  let info = base;
  let escape = base.matchSet;
  if (argc === 3) {
    const e = args.text(2);
    if (e === null) return ctx.resultNull();
    const ec = cstr(e);
    if (charLength(ec) !== 1) return ctx.resultError("ESCAPE expression must be a single character");
    escape = ec.codePointAt(0) as number;
    if (escape === info.matchAll || escape === info.matchOne) {
      info = { ...info };
      if (escape === info.matchAll) info.matchAll = 0;
      if (escape === info.matchOne) info.matchOne = 0;
    }
  }
  if (pat === null) return ctx.resultNull();
  // LIKE (not GLOB) of an ASCII pattern on text held as bytes: no decoding (like.ts invariant 3).
  if (info.matchSet === 0 && lastPatternBytes !== null) {
    const sb = args.utf8(1);
    if (sb !== null) return ctx.resultInt(patternMatchBytes(lastPatternBytes, sb, args.utf8View(1), args.utf8Length(1), info, escape) ? 1 : 0);
  }
  const str = args.text(1);
  if (str === null) return ctx.resultNull();
  ctx.resultInt(patternMatch(cstr(pat), cstr(str), info, escape) ? 1 : 0);
}

/** like(P,S[,E]) — note the argument order: the pattern first, as SQLite's function. */
export function likeFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  likeImpl(ctx, argc, args, LIKE_INFO);
}

/** glob(P,S). */
export function globFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  likeImpl(ctx, argc, args, GLOB_INFO);
}
