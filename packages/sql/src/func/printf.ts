/*
 * printf(FORMAT, ...) / format(FORMAT, ...): SQLite's own printf (printf.c
 * sqlite3_str_vappendf in SQLITE_PRINTF_SQLFUNC mode; https://sqlite.org/printf.html).
 *
 * Conversions: %d %i (signed), %u (the int64 as unsigned), %x %X %o (unsigned radix),
 * %p (as %X), %r (ordinal: 1st 2nd), %f %e %E %g %G (value/real-to-text.ts formatFloat),
 * %c (first character of the argument's text, repeated `precision` times), %s %z (text),
 * %q %Q %w (SQL quoting; %#q/%#Q with unistr() escapes), %n (nothing), %% ('%').
 * Flags: - + space 0 # ! , ; width and precision as digits or '*' (taken from the
 * arguments; a negative width left-justifies). The 'l' and 'll' length modifiers are
 * accepted and ignored. A missing argument reads as 0 / 0.0 / NULL text.
 * An unknown conversion (and %T %S, internal to SQLite) ends the output there.
 *
 * Widths and %s/%q precisions count UTF-8 bytes, as in SQLite; with the '!' flag they
 * count characters.
 *
 * Invariants:
 *  1. The result is NULL when nothing at all was appended (printf(''), printf('%y'),
 *     printf(NULL)); otherwise TEXT — exactly SQLite's StrAccum behaviour.
 *  2. No C library formatting: integers by digit loops, floats by formatFloat.
 */
import { SQLITE_NULL, encodeUtf8, decodeUtf8, utf8Length } from "@strata/common";
import { MAX_LENGTH, type FuncArgs, type FuncContext } from "./api.js";
import { ET_EXP, ET_FLOAT, ET_GENERIC, FloatSpec, formatFloat } from "../value/real-to-text.js";

const DIGITS_UPPER = "0123456789ABCDEF";
const DIGITS_LOWER = "0123456789abcdef";
const PRECISION_LIMIT = 100000000;
const MASK64 = (1n << 64n) - 1n;

/** Argument cursor over a FuncArgs (SQLite's PrintfArguments). */
class ArgCursor {
  args: FuncArgs | null = null;
  n = 0;
  used = 0;
  reset(args: FuncArgs, first: number, argc: number): void {
    this.args = args;
    this.used = first;
    this.n = argc;
  }
  /** The next argument as int64 (a bigint: printf is not a hot path for huge values). */
  int(): bigint {
    if (this.used >= this.n) return 0n;
    return (this.args as FuncArgs).bigint(this.used++);
  }
  intNumber(): number {
    if (this.used >= this.n) return 0;
    const a = this.args as FuncArgs;
    const i = this.used++;
    const v = a.int(i);
    return v === v ? v : Number(a.bigint(i));
  }
  real(): number {
    if (this.used >= this.n) return 0;
    return (this.args as FuncArgs).real(this.used++);
  }
  text(): string | null {
    if (this.used >= this.n) return null;
    const a = this.args as FuncArgs;
    const i = this.used++;
    if (a.type(i) === SQLITE_NULL) return null;
    const s = a.text(i) as string;
    const k = s.indexOf("\0");
    return k < 0 ? s : s.slice(0, k);
  }
}

const CURSOR = new ArgCursor();
const FSPEC = new FloatSpec();

/** Number of bytes of the first `n` characters of s (or all of it). */
function charsToBytes(s: string, n: number): number {
  let bytes = 0;
  for (let i = 0; i < s.length && n > 0; n--) {
    const cp = s.codePointAt(i) as number;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return bytes;
}

/** The first `n` UTF-8 bytes of s (a cut inside a character decodes as U+FFFD, as a driver would). */
function truncateBytes(s: string, n: number): string {
  if (n >= s.length * 3) return s;
  const b = encodeUtf8(s);
  if (n >= b.length) return s;
  return decodeUtf8(b, 0, n);
}

/** Pads `body` (whose width in the counted unit is `len`) to `width`. */
function padTo(body: string, len: number, width: number, left: boolean): string {
  if (width <= len) return body;
  // SQLite's accumulator stops at SQLITE_MAX_LENGTH and printf() then returns NULL.
  if (width > MAX_LENGTH) throw PRINTF_TOO_BIG;
  const sp = " ".repeat(width - len);
  return left ? body + sp : sp + body;
}

/**
 * Formats like SQLite's printf. Returns null when nothing was appended (the SQL result
 * is then NULL).
 */
export function sqlPrintf(fmt: string, args: FuncArgs, first: number, argc: number): string | null {
  try {
    return format(fmt, args, first, argc);
  } catch (e) {
    if (e === PRINTF_TOO_BIG) return null;
    throw e;
  }
}

/** Thrown by padTo for a width past SQLITE_MAX_LENGTH (sqlPrintf then gives NULL). */
const PRINTF_TOO_BIG = new Error("printf: string or blob too big");

function format(fmt: string, args: FuncArgs, first: number, argc: number): string | null {
  const a = CURSOR;
  a.reset(args, first, argc);
  let out = "";
  let touched = false;
  const len = fmt.length;
  let i = 0;
  while (i < len) {
    let c = fmt.charCodeAt(i);
    if (c !== 0x25) {
      let k = fmt.indexOf("%", i);
      if (k < 0) k = len;
      out += fmt.slice(i, k);
      touched = true;
      i = k;
      if (i >= len) break;
    }
    // at '%'
    i++;
    if (i >= len) {
      out += "%";
      touched = true;
      break;
    }
    c = fmt.charCodeAt(i);
    let leftJustify = false;
    let prefix = "";
    let alternateForm = false;
    let altForm2 = false;
    let zeroPad = false;
    let thousands = "";
    let width = 0;
    let precision = -1;
    let done = false;
    do {
      switch (c) {
        case 0x2d: leftJustify = true; break;
        case 0x2b: prefix = "+"; break;
        case 0x20: prefix = " "; break;
        case 0x23: alternateForm = true; break;
        case 0x21: altForm2 = true; break;
        case 0x30: zeroPad = true; break;
        case 0x2c: thousands = ","; break;
        case 0x6c: // 'l' / 'll'
          i++;
          c = i < len ? fmt.charCodeAt(i) : 0;
          if (c === 0x6c) {
            i++;
            c = i < len ? fmt.charCodeAt(i) : 0;
          }
          done = true;
          break;
        case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
        case 0x36: case 0x37: case 0x38: case 0x39: {
          let wx = c - 0x30;
          for (;;) {
            i++;
            c = i < len ? fmt.charCodeAt(i) : 0;
            if (c < 0x30 || c > 0x39) break;
            wx = (wx * 10 + c - 0x30) % 4294967296;
          }
          width = wx & 0x7fffffff;
          if (c !== 0x2e && c !== 0x6c) done = true;
          else i--;
          break;
        }
        case 0x2a: {
          let w = a.intNumber() | 0;
          if (w < 0) {
            leftJustify = true;
            w = w >= -2147483647 ? -w : 0;
          }
          width = w;
          const nx = i + 1 < len ? fmt.charCodeAt(i + 1) : 0;
          if (nx !== 0x2e && nx !== 0x6c) {
            i++;
            c = nx;
            done = true;
          }
          break;
        }
        case 0x2e: {
          i++;
          c = i < len ? fmt.charCodeAt(i) : 0;
          if (c === 0x2a) {
            let p = a.intNumber() | 0;
            if (p < 0) p = p >= -2147483647 ? -p : -1;
            precision = p;
            i++;
            c = i < len ? fmt.charCodeAt(i) : 0;
          } else {
            let px = 0;
            while (c >= 0x30 && c <= 0x39) {
              px = (px * 10 + c - 0x30) % 4294967296;
              i++;
              c = i < len ? fmt.charCodeAt(i) : 0;
            }
            precision = px & 0x7fffffff;
          }
          if (precision > PRECISION_LIMIT) precision = PRECISION_LIMIT;
          if (c === 0x6c) i--;
          else done = true;
          break;
        }
        default:
          done = true;
      }
      if (!done) {
        i++;
        c = i < len ? fmt.charCodeAt(i) : 0;
      }
    } while (!done && c !== 0);
    // `c` is the conversion character at fmt[i].
    i++;
    let body: string;
    let bodyLen = -1; // in the unit widths count; -1 = body.length is right
    switch (c) {
      case 0x64: case 0x69: case 0x75: case 0x78: case 0x58: case 0x6f: case 0x70: case 0x72: {
        const signed = c === 0x64 || c === 0x69 || c === 0x72;
        let base = 10;
        let digitsSet = DIGITS_LOWER;
        let altPrefix = "";
        if (c === 0x78) { base = 16; altPrefix = "0x"; }
        else if (c === 0x58) { base = 16; digitsSet = DIGITS_UPPER; altPrefix = "0X"; }
        else if (c === 0x6f) { base = 8; altPrefix = "0"; }
        else if (c === 0x70) { base = 16; digitsSet = DIGITS_UPPER; altPrefix = "0x"; }
        if (c !== 0x64 && c !== 0x69 && c !== 0x75) thousands = "";
        const v = a.int();
        let u: bigint;
        let sign = "";
        if (signed) {
          if (v < 0n) {
            u = -v;
            sign = "-";
          } else {
            u = v;
            sign = prefix;
          }
        } else {
          u = v & MASK64;
        }
        if (u === 0n) alternateForm = false;
        if (zeroPad && precision < width - (sign !== "" ? 1 : 0)) precision = width - (sign !== "" ? 1 : 0);
        let digits = base === 10 ? u.toString() : u.toString(base);
        if (digitsSet === DIGITS_UPPER) digits = digits.toUpperCase();
        if (c === 0x72) {
          const x = Number(u % 10n);
          const suffix = x >= 4 || (u / 10n) % 10n === 1n ? "th" : ["th", "st", "nd", "rd"][x];
          digits += suffix;
        }
        if (precision > digits.length) digits = "0".repeat(precision - digits.length) + digits;
        if (thousands !== "") {
          let t = "";
          const L = digits.length;
          for (let k = 0; k < L; k++) {
            t += digits[k];
            const rest = L - 1 - k;
            if (rest > 0 && rest % 3 === 0) t += ",";
          }
          digits = t;
        }
        body = sign + digits;
        if (alternateForm && altPrefix !== "") body = altPrefix + body;
        break;
      }
      case 0x66: case 0x65: case 0x45: case 0x67: case 0x47: {
        FSPEC.xtype = c === 0x66 ? ET_FLOAT : c === 0x65 || c === 0x45 ? ET_EXP : ET_GENERIC;
        FSPEC.precision = precision;
        FSPEC.width = width;
        FSPEC.leftJustify = leftJustify;
        FSPEC.prefix = prefix;
        FSPEC.alternateForm = alternateForm;
        FSPEC.altForm2 = altForm2;
        FSPEC.zeroPad = zeroPad;
        FSPEC.thousands = thousands;
        FSPEC.upper = c === 0x45 || c === 0x47;
        out += formatFloat(a.real(), FSPEC);
        touched = true;
        continue;
      }
      case 0x6e: // %n
        body = "";
        width = 0;
        break;
      case 0x25:
        body = "%";
        break;
      case 0x63: { // %c
        const t = a.text();
        // SQLite copies the first UTF-8 character, or a NUL byte when there is none.
        const ch = t === null || t.length === 0 ? "\0" : String.fromCodePoint(t.codePointAt(0) as number);
        let w = width;
        if (precision > 1) {
          w -= precision - 1;
          let rep = "";
          if (w > 1 && !leftJustify) {
            rep = " ".repeat(w - 1);
            w = 0;
          }
          out += rep + ch.repeat(precision - 1);
          touched = true;
        }
        body = ch;
        width = w;
        bodyLen = 1; // %c widths count characters
        break;
      }
      case 0x73: case 0x7a: { // %s %z
        let t = a.text() ?? "";
        if (precision >= 0) {
          if (altForm2) {
            const k = charsToBytes(t, precision);
            t = truncateBytes(t, k);
          } else {
            t = truncateBytes(t, precision);
          }
        }
        body = t;
        bodyLen = altForm2 ? countChars(t) : utf8Length(t);
        break;
      }
      case 0x71: case 0x51: case 0x77: { // %q %Q %w
        const xtype = c;
        let t = a.text();
        let needQuote = 0;
        if (t === null) t = xtype === 0x51 ? "NULL" : "(NULL)";
        else if (xtype === 0x51) needQuote = 1;
        const q = xtype === 0x77 ? "\"" : "'";
        if (xtype === 0x77) alternateForm = false;
        if (precision >= 0) {
          t = altForm2 ? truncateBytes(t, charsToBytes(t, precision)) : truncateBytes(t, precision);
        }
        let escaped = false;
        if (alternateForm) {
          let ctrl = false;
          for (let k = 0; k < t.length; k++) if (t.charCodeAt(k) <= 0x1f) ctrl = true;
          if (ctrl || xtype === 0x71) {
            escaped = true;
            if (xtype === 0x51) needQuote = 2;
          }
        }
        let s = "";
        for (let k = 0; k < t.length; k++) {
          const ch = t[k];
          const cc = t.charCodeAt(k);
          if (ch === q) s += ch + ch;
          else if (escaped && cc === 0x5c) s += "\\\\";
          else if (escaped && cc <= 0x1f) s += "\\u00" + (cc >= 0x10 ? "1" : "0") + DIGITS_LOWER[cc & 15];
          else s += ch;
        }
        if (needQuote === 1) s = "'" + s + "'";
        else if (needQuote === 2) s = "unistr('" + s + "')";
        body = s;
        bodyLen = altForm2 ? countChars(s) : utf8Length(s);
        break;
      }
      default:
        // Unknown conversions and SQLite-internal ones (%T %S) end the output.
        return touched ? out : null;
    }
    if (bodyLen < 0) bodyLen = body.length;
    out += padTo(body, bodyLen, width, leftJustify);
    touched = true;
  }
  return touched ? out : null;
}

function countChars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) i += (s.codePointAt(i) as number) > 0xffff ? 2 : 1;
  return n;
}

/** printf(FORMAT, ...) and format(FORMAT, ...). */
export function printfFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (argc < 1 || args.type(0) === SQLITE_NULL) return ctx.resultNull();
  const f = args.text(0) as string;
  const k = f.indexOf("\0");
  const r = sqlPrintf(k < 0 ? f : f.slice(0, k), args, 1, argc);
  if (r === null) ctx.resultNull();
  else ctx.resultText(r);
}
