/*
 * The date and time SQL functions (https://sqlite.org/lang_datefunc.html, date.c): date,
 * time, datetime, julianday, unixepoch, strftime, timediff, and current_date /
 * current_time / current_timestamp (the code generator calls date/time/datetime with no
 * argument for the CURRENT_* keywords). Parsing and modifiers are in date-time.ts.
 *
 * Invariants:
 *  1. Output text is byte-for-byte date.c's: years as 4 digits with a leading '-' when
 *     negative, 'subsec' adding .SSS, strftime's %-conversions formatted as date.c's
 *     printf formats ("%02d", "%2d", "%06.3f", "%.16g", "%lld"); an unknown conversion
 *     makes strftime() NULL.
 *  2. julianday() is a REAL; unixepoch() an INTEGER, a REAL with 'subsec'.
 *  3. NULL whenever isDate() fails (date-time.ts invariant 2).
 *  4. Scratch DateTime objects are module-level and reused: no allocation per call other
 *     than the result text.
 */
import type { FuncArgs, FuncContext } from "./api.js";
import { DateTime, UNIX_EPOCH_MS, computeJD, computeYMD, computeYMD_HMS, computeHMS, isDate } from "./date-time.js";
import { ET_FLOAT, ET_GENERIC, FloatSpec, formatFloat } from "../value/real-to-text.js";

const tr = Math.trunc;
const X = new DateTime();
const Y2 = new DateTime();
const JAN = new DateTime();
const D2 = new DateTime();

/** C's "%0Nd" (zero) or "%Nd" (space) of an int. */
function pad(n: number, width: number, zero: boolean): string {
  let s = String(Math.abs(n));
  const neg = n < 0;
  const room = width - (neg ? 1 : 0);
  if (zero) {
    while (s.length < room) s = "0" + s;
    return neg ? "-" + s : s;
  }
  if (neg) s = "-" + s;
  while (s.length < width) s = " " + s;
  return s;
}

const F3 = new FloatSpec(); // "%.3f"
F3.xtype = ET_FLOAT;
F3.precision = 3;
const F063 = new FloatSpec(); // "%06.3f"
F063.xtype = ET_FLOAT;
F063.precision = 3;
F063.width = 6;
F063.zeroPad = true;
const G16 = new FloatSpec(); // "%.16g"
G16.xtype = ET_GENERIC;
G16.precision = 16;

/** date.c's '0' + v: a digit, or the character beside '0' when v is out of range (negative seconds). */
function dig(v: number): string {
  return String.fromCharCode(48 + v);
}

function yearText(Y: number): string {
  const a = Y < 0 ? -Y : Y;
  const s = dig(tr(a / 1000) % 10) + dig(tr(a / 100) % 10) + dig(tr(a / 10) % 10) + dig(a % 10);
  return Y < 0 ? "-" + s : s;
}

function two(n: number): string {
  return dig(tr(n / 10) % 10) + dig(n % 10);
}

/** hh:mm:ss or hh:mm:ss.sss (date.c's datetime and time formatting). */
function hmsText(x: DateTime): string {
  let out = two(x.h) + ":" + two(x.m) + ":";
  if (x.useSubsec) {
    const s = tr(1000.0 * x.s + 0.5);
    out += dig(tr(s / 10000) % 10) + dig(tr(s / 1000) % 10) + "." + dig(tr(s / 100) % 10) + dig(tr(s / 10) % 10) + dig(s % 10);
  } else {
    out += two(tr(x.s));
  }
  return out;
}

export function juliandayFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (!isDate(ctx, args, 0, argc, X)) return ctx.resultNull();
  computeJD(X);
  ctx.resultReal(X.iJD / 86400000.0);
}

export function unixepochFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (!isDate(ctx, args, 0, argc, X)) return ctx.resultNull();
  computeJD(X);
  if (X.useSubsec) ctx.resultReal((X.iJD - UNIX_EPOCH_MS) / 1000.0);
  else ctx.resultInt(tr(X.iJD / 1000) - 210866760000);
}

export function datetimeFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (!isDate(ctx, args, 0, argc, X)) return ctx.resultNull();
  computeYMD_HMS(X);
  ctx.resultText(yearText(X.Y) + "-" + two(X.M) + "-" + two(X.D) + " " + hmsText(X));
}

export function timeFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (!isDate(ctx, args, 0, argc, X)) return ctx.resultNull();
  computeHMS(X);
  ctx.resultText(hmsText(X));
}

export function dateFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (!isDate(ctx, args, 0, argc, X)) return ctx.resultNull();
  computeYMD(X);
  ctx.resultText(yearText(X.Y) + "-" + two(X.M) + "-" + two(X.D));
}

/** Days since the most recent January 1 (0-based day of the year). */
function daysAfterJan01(p: DateTime): number {
  JAN.copyFrom(p);
  JAN.validJD = false;
  JAN.M = 1;
  JAN.D = 1;
  computeJD(JAN);
  return tr((p.iJD - JAN.iJD + 43200000) / 86400000);
}

/** 0 = Monday .. 6 = Sunday. */
function daysAfterMonday(p: DateTime): number {
  return tr((p.iJD + 43200000) / 86400000) % 7;
}

/** 0 = Sunday .. 6 = Saturday. */
function daysAfterSunday(p: DateTime): number {
  return tr((p.iJD + 129600000) / 86400000) % 7;
}

/** Y2 := the Thursday of x's ISO week, with its Y-M-D. */
function isoThursday(x: DateTime): DateTime {
  Y2.copyFrom(x);
  Y2.iJD += (3 - daysAfterMonday(x)) * 86400000;
  Y2.validYMD = false;
  computeYMD(Y2);
  return Y2;
}

/** strftime(FORMAT, TIMEVALUE, MODIFIER...). */
export function strftimeFunc(ctx: FuncContext, argc: number, args: FuncArgs): void {
  if (argc === 0) return ctx.resultNull();
  let fmt = args.text(0);
  if (fmt === null || !isDate(ctx, args, 1, argc - 1, X)) return ctx.resultNull();
  const nul = fmt.indexOf("\0");
  if (nul >= 0) fmt = fmt.slice(0, nul);
  const x = X;
  computeJD(x);
  computeYMD_HMS(x);
  let out = "";
  let j = 0;
  for (let i = 0; i < fmt.length; i++) {
    if (fmt.charCodeAt(i) !== 0x25) continue;
    if (j < i) out += fmt.slice(j, i);
    i++;
    j = i + 1;
    const cf = fmt[i];
    switch (cf) {
      case "d": case "e":
        out += pad(x.D, 2, cf === "d");
        break;
      case "f": {
        let s = x.s;
        if (s > 59.999) s = 59.999;
        out += formatFloat(s, F063);
        break;
      }
      case "F":
        out += pad(x.Y, 4, true) + "-" + pad(x.M, 2, true) + "-" + pad(x.D, 2, true);
        break;
      case "G": case "g": {
        const y = isoThursday(x);
        out += cf === "g" ? pad(y.Y % 100, 2, true) : pad(y.Y, 4, true);
        break;
      }
      case "H": case "k":
        out += pad(x.h, 2, cf === "H");
        break;
      case "I": case "l": {
        let h = x.h;
        if (h > 12) h -= 12;
        if (h === 0) h = 12;
        out += pad(h, 2, cf === "I");
        break;
      }
      case "j":
        out += pad(daysAfterJan01(x) + 1, 3, true);
        break;
      case "J":
        out += formatFloat(x.iJD / 86400000.0, G16);
        break;
      case "m":
        out += pad(x.M, 2, true);
        break;
      case "M":
        out += pad(x.m, 2, true);
        break;
      case "p": case "P":
        if (x.h >= 12) out += cf === "p" ? "PM" : "pm";
        else out += cf === "p" ? "AM" : "am";
        break;
      case "R":
        out += pad(x.h, 2, true) + ":" + pad(x.m, 2, true);
        break;
      case "s":
        if (x.useSubsec) out += formatFloat((x.iJD - UNIX_EPOCH_MS) / 1000.0, F3);
        else out += String(tr(x.iJD / 1000) - 210866760000);
        break;
      case "S":
        out += pad(tr(x.s), 2, true);
        break;
      case "T":
        out += pad(x.h, 2, true) + ":" + pad(x.m, 2, true) + ":" + pad(tr(x.s), 2, true);
        break;
      case "u": case "w": {
        let c = daysAfterSunday(x);
        if (c === 0 && cf === "u") c = 7;
        out += String(c);
        break;
      }
      case "U":
        out += pad(tr((daysAfterJan01(x) - daysAfterSunday(x) + 7) / 7), 2, true);
        break;
      case "V": {
        const y = isoThursday(x);
        out += pad(tr(daysAfterJan01(y) / 7) + 1, 2, true);
        break;
      }
      case "W":
        out += pad(tr((daysAfterJan01(x) - daysAfterMonday(x) + 7) / 7), 2, true);
        break;
      case "Y":
        out += pad(x.Y, 4, true);
        break;
      case "%":
        out += "%";
        break;
      default:
        return ctx.resultNull();
    }
  }
  if (j < fmt.length) out += fmt.slice(j);
  ctx.resultText(out);
}

/** timediff(A, B): +YYYY-MM-DD HH:MM:SS.SSS to add to B to reach A. */
export function timediffFunc(ctx: FuncContext, _argc: number, args: FuncArgs): void {
  const d1 = X;
  const d2 = D2;
  if (!isDate(ctx, args, 0, 1, d1)) return ctx.resultNull();
  if (!isDate(ctx, args, 1, 1, d2)) return ctx.resultNull();
  computeYMD_HMS(d1);
  computeYMD_HMS(d2);
  // Whole years, then whole months, are taken off the span by moving d2 toward d1 (dir
  // +1 when A >= B: d2 moves up; -1: down), stepping back a month while d2 overshoots;
  // what is left is a span of days and time.
  const dir = d1.iJD >= d2.iJD ? 1 : -1;
  const sign = dir > 0 ? "+" : "-";
  let Y = dir * (d1.Y - d2.Y);
  if (Y !== 0) {
    d2.Y = d1.Y;
    d2.validJD = false;
    computeJD(d2);
  }
  let M = dir * (d1.M - d2.M);
  if (M < 0) {
    Y--;
    M += 12;
  }
  if (M !== 0) {
    d2.M = d1.M;
    d2.validJD = false;
    computeJD(d2);
  }
  while (dir * (d1.iJD - d2.iJD) < 0) {
    M--;
    if (M < 0) {
      M = 11;
      Y--;
    }
    d2.M -= dir;
    if (d2.M < 1) {
      d2.M = 12;
      d2.Y--;
    } else if (d2.M > 12) {
      d2.M = 1;
      d2.Y++;
    }
    d2.validJD = false;
    computeJD(d2);
  }
  d1.iJD = dir * (d1.iJD - d2.iJD);
  d1.iJD += 148699540800000;
  d1.validYMD = false;
  d1.validHMS = false;
  d1.tz = 0;
  computeYMD_HMS(d1);
  ctx.resultText(sign + pad(Y, 4, true) + "-" + pad(M, 2, true) + "-" + pad(d1.D - 1, 2, true) + " " +
    pad(d1.h, 2, true) + ":" + pad(d1.m, 2, true) + ":" + formatFloat(d1.s, F063));
}
