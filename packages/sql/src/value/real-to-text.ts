/*
 * REAL -> TEXT exactly as SQLite 3.53 renders it, and the floating-point conversions of
 * its printf (%f %e %E %g %G, with the + space 0 # ! , flags, width and precision).
 *
 * SQLite (vdbemem.c vdbeMemRenderNum) turns a REAL into text with "%!.17g" through its own
 * printf (printf.c sqlite3_str_vappendf, etFLOAT/etEXP/etGENERIC) on the digits of
 * sqlite3FpDecode (fp-decode.ts). The "!" flag keeps a ".0" on whole numbers (1.0,
 * 1.0e+100) and the precision 17 is reduced to the shortest of 15..17 digits that
 * round-trips when the 16th/17th digits are 9s or 0s (0.1 -> 0.1, 0.1+0.2 ->
 * 0.30000000000000004, 5e-324 -> 4.9406564584124654e-324). Infinity renders as "Inf" /
 * "-Inf"; NaN as "NaN" (SQLite stores NULL instead of a NaN, so only printf sees one).
 *
 * See https://sqlite.org/printf.html for the format language.
 *
 * Invariants:
 *  1. realToText(x) === SQLite's CAST(x AS TEXT) for every double x (property-tested
 *     against better-sqlite3 over random bit patterns).
 *  2. formatFloat() is the only implementation of the float conversions; printf.ts and
 *     realToText() both call it.
 */
import { FP, fpDecode } from "./fp-decode.js";

export const ET_FLOAT = 1; // %f
export const ET_EXP = 2; // %e %E
export const ET_GENERIC = 3; // %g %G

/** Options of one float conversion; a reusable object (printf keeps one). */
export class FloatSpec {
  xtype = ET_GENERIC;
  /** -1 = default (6). */
  precision = -1;
  width = 0;
  leftJustify = false;
  /** "+", " " or "" (the sign shown for non-negative values). */
  prefix = "";
  alternateForm = false;
  altForm2 = false;
  zeroPad = false;
  /** "," or "". */
  thousands = "";
  /** Upper-case exponent letter (%E %G). */
  upper = false;
}

/** Formats `value` by `spec` as SQLite's printf does (the etFLOAT/etEXP/etGENERIC case). */
export function formatFloat(value: number, spec: FloatSpec): string {
  let precision = spec.precision < 0 ? 6 : spec.precision;
  if (precision > 100000000) precision = 100000000;
  let xtype = spec.xtype;
  let iRound: number;
  if (xtype === ET_FLOAT) iRound = -precision;
  else if (xtype === ET_GENERIC) {
    if (precision === 0) precision = 1;
    iRound = precision;
  } else iRound = precision + 1;
  fpDecode(value, iRound, spec.altForm2 ? 20 : 16);
  let digits = FP.digits;
  let iDP = FP.iDP;
  let width = spec.width;
  if (FP.special !== 0) {
    if (FP.special === 2) return pad(spec.zeroPad ? "null" : "NaN", width, spec.leftJustify);
    if (spec.zeroPad) {
      digits = "9";
      iDP = 1000;
    } else {
      let s: string;
      if (FP.sign === "-") s = "-Inf";
      else if (spec.prefix !== "") s = spec.prefix + "Inf";
      else s = "Inf";
      return pad(s, width, spec.leftJustify);
    }
  }
  let prefix: string;
  if (FP.sign === "-") {
    prefix = spec.alternateForm && spec.prefix === "" && xtype === ET_FLOAT && iDP <= iRound ? "" : "-";
  } else {
    prefix = spec.prefix;
  }
  let flagRtz: boolean;
  if (xtype === ET_GENERIC) {
    precision--;
    flagRtz = !spec.alternateForm;
    const exp = iDP - 1;
    if (exp < -4 || exp > precision) {
      xtype = ET_EXP;
    } else {
      precision = precision - exp;
      xtype = ET_FLOAT;
    }
  } else {
    flagRtz = spec.altForm2;
  }
  let e2 = xtype === ET_EXP ? 0 : iDP - 1;
  const flagDp = precision > 0 || spec.alternateForm || spec.altForm2;
  const n = digits.length;
  let out = prefix;
  let j = 0;
  if (e2 < 0) {
    out += "0";
  } else if (spec.thousands !== "") {
    for (; e2 >= 0; e2--) {
      out += j < n ? digits[j++] : "0";
      if (e2 % 3 === 0 && e2 > 1) out += spec.thousands;
    }
  } else {
    j = e2 + 1;
    if (j > n) j = n;
    out += digits.slice(0, j);
    e2 -= j;
    if (e2 >= 0) {
      out += "0".repeat(e2 + 1);
      e2 = -1;
    }
  }
  if (flagDp) out += ".";
  if (e2 < -1 && precision > 0) {
    let nn = -1 - e2;
    if (nn > precision) nn = precision;
    out += "0".repeat(nn);
    precision -= nn;
  }
  if (precision > 0) {
    let nn = n - j;
    if (nn > precision) nn = precision;
    if (nn > 0) {
      out += digits.slice(j, j + nn);
      precision -= nn;
    }
    if (precision > 0 && !flagRtz) out += "0".repeat(precision);
  }
  if (flagRtz && flagDp) {
    let end = out.length;
    while (out.charCodeAt(end - 1) === 0x30) end--;
    out = out.slice(0, end);
    if (out.charCodeAt(end - 1) === 0x2e) {
      out = spec.altForm2 ? out + "0" : out.slice(0, end - 1);
    }
  }
  if (xtype === ET_EXP) {
    let exp = iDP - 1;
    out += spec.upper ? "E" : "e";
    if (exp < 0) {
      out += "-";
      exp = -exp;
    } else {
      out += "+";
    }
    if (exp >= 100) {
      out += String.fromCharCode(0x30 + Math.trunc(exp / 100));
      exp %= 100;
    }
    out += String.fromCharCode(0x30 + Math.trunc(exp / 10), 0x30 + (exp % 10));
  }
  const length = out.length;
  if (length < width) {
    const nPad = width - length;
    if (spec.leftJustify) out += " ".repeat(nPad);
    else if (!spec.zeroPad) out = " ".repeat(nPad) + out;
    else {
      const adj = prefix !== "" ? 1 : 0;
      out = out.slice(0, adj) + "0".repeat(nPad) + out.slice(adj);
    }
  }
  return out;
}

function pad(s: string, width: number, left: boolean): string {
  if (s.length >= width) return s;
  return left ? s + " ".repeat(width - s.length) : " ".repeat(width - s.length) + s;
}

const RENDER = new FloatSpec();
RENDER.xtype = ET_GENERIC;
RENDER.precision = 17;
RENDER.altForm2 = true;

const QUOTE = new FloatSpec();
QUOTE.xtype = ET_GENERIC;
QUOTE.precision = 17;
QUOTE.altForm2 = true;
QUOTE.zeroPad = true;

/** A REAL as SQLite renders it as TEXT ("%!.17g"): CAST(x AS TEXT), x || '', etc. */
export function realToText(x: number): string {
  return formatFloat(x, RENDER);
}

/** A REAL as quote() renders it ("%!0.17g": infinity becomes 9.0e+999). */
export function realToSqlLiteral(x: number): string {
  return formatFloat(x, QUOTE);
}

/** An INTEGER as text (sqlite3Int64ToText). */
export function intToText(x: number | bigint): string {
  return typeof x === "number" ? (x === 0 ? "0" : String(x)) : x.toString();
}
