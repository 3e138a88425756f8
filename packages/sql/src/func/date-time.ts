/*
 * The date and time value of SQLite's date functions (https://sqlite.org/lang_datefunc.html,
 * date.c): parsing a time value (§2 "Time Values"), applying modifiers (§3 "Modifiers"),
 * and the conversions between the julian day number and year/month/day hour:minute:second.
 * The SQL functions that use it are in date-funcs.ts.
 *
 * A DateTime holds, as date.c's struct does, a julian day number in milliseconds (iJD,
 * days since noon UTC on -4713-11-24 times 86,400,000) and/or the broken-down Y M D h m s,
 * each part with a valid flag; conversions fill in the missing side lazily. A bare number
 * is kept raw (rawS) until a modifier ('unixepoch', 'julianday', 'auto') or the end of the
 * modifiers says how to read it.
 *
 * Invariants:
 *  1. Every computation uses date.c's integer arithmetic (C division truncates toward
 *     zero: Math.trunc; 3.53's computeJD rounds its century terms down), so julian day numbers and calendar fields agree with SQLite to
 *     the millisecond, including the Gregorian calendar before 1582 and years -4713..9999.
 *  2. An invalid input, an unknown modifier, or a result outside 0000-01-01 ..
 *     9999-12-31 23:59:59.999 makes isDate() return false (the function returns NULL).
 *  3. 'now' is the statement's time (FuncContext.stmtTime(): sqlite3StmtCurrentTime),
 *     identical for every call within one run of a statement.
 *  4. 'localtime'/'utc' use the process's time zone (JavaScript's Date, as SQLite uses
 *     localtime_r); years outside 1970..2037 are first mapped to an equivalent year, as
 *     date.c does, so both engines agree for those years too.
 *  5. Text arguments stop at the first NUL character, as C strings do.
 *  6. COMPAT: SQLite's sqlite3NotPureFunc refuses 'now', 'localtime', 'utc' and 'subsec'
 *     in CHECK constraints, index expressions and generated columns; the engine does not
 *     tell a function where it runs, so they are always allowed (docs/compat.md).
 */
import { SQLITE_FLOAT, SQLITE_INTEGER } from "@strata/common";
import type { FuncArgs, FuncContext } from "./api.js";
import { isSpace, NUM, parseReal } from "../value/text-to-number.js";

/** iJD of 1970-01-01 00:00:00 (the unix epoch), in milliseconds. */
export const UNIX_EPOCH_MS = 210866760000000;
/** The largest valid iJD: 9999-12-31 23:59:59.999. */
const MAX_IJD = 464269060799999;

export class DateTime {
  iJD = 0;
  Y = 0;
  M = 0;
  D = 0;
  h = 0;
  m = 0;
  tz = 0;
  s = 0;
  validJD = false;
  validYMD = false;
  validHMS = false;
  /** Days to subtract for the 'floor' modifier (day-of-month overflow). */
  nFloor = 0;
  rawS = false;
  isError = false;
  useSubsec = false;
  isUtc = false;
  isLocal = false;

  clear(): void {
    this.iJD = 0;
    this.Y = this.M = this.D = this.h = this.m = this.tz = 0;
    this.s = 0;
    this.validJD = this.validYMD = this.validHMS = false;
    this.nFloor = 0;
    this.rawS = this.isError = this.useSubsec = this.isUtc = this.isLocal = false;
  }

  copyFrom(o: DateTime): void {
    this.iJD = o.iJD;
    this.Y = o.Y;
    this.M = o.M;
    this.D = o.D;
    this.h = o.h;
    this.m = o.m;
    this.tz = o.tz;
    this.s = o.s;
    this.validJD = o.validJD;
    this.validYMD = o.validYMD;
    this.validHMS = o.validHMS;
    this.nFloor = o.nFloor;
    this.rawS = o.rawS;
    this.isError = o.isError;
    this.useSubsec = o.useSubsec;
    this.isUtc = o.isUtc;
    this.isLocal = o.isLocal;
  }
}

const tr = Math.trunc;

/** sqlite3_stricmp's folding: ASCII letters only. */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parsed integers of getDigits(). */
const DIG = [0, 0, 0];

/**
 * date.c getDigits: fields of `nDigits` digits each, in [min, max], separated by the
 * given characters (the last separator ""), starting at z[i]. Returns how many fields
 * were read (into DIG).
 */
function getDigits(z: string, i: number, spec: readonly (readonly [number, number, number, string])[]): number {
  let cnt = 0;
  for (const [n, min, max, sep] of spec) {
    let val = 0;
    for (let k = 0; k < n; k++) {
      const c = z.charCodeAt(i);
      if (!isDigit(c)) return cnt;
      val = val * 10 + c - 0x30;
      i++;
    }
    if (val < min || val > max || (sep !== "" && z[i] !== sep)) return cnt;
    DIG[cnt++] = val;
    i++;
  }
  return cnt;
}

const YMD4 = [[4, 0, 14712, "-"], [2, 1, 12, "-"], [2, 1, 31, ""]] as const;
const HM = [[2, 0, 24, ":"], [2, 0, 59, ""]] as const;
const TZHM = [[2, 0, 14, ":"], [2, 0, 59, ""]] as const;
const SS = [[2, 0, 59, ""]] as const;
const Y4 = [[4, 0, 14712, ""]] as const;
const Y5 = [[5, 0, 14712, ""]] as const;
const YMD4M = [[4, 0, 14712, "-"], [2, 0, 12, "-"], [2, 0, 31, ""]] as const;
const YMD5M = [[5, 0, 14712, "-"], [2, 0, 12, "-"], [2, 0, 31, ""]] as const;

function skipSpaces(z: string, i: number): number {
  while (i < z.length && isSpace(z.charCodeAt(i))) i++;
  return i;
}

/** parseTimezone: [+-]HH:MM or Z after a time; true on error. */
function parseTimezone(z: string, i: number, p: DateTime): boolean {
  i = skipSpaces(z, i);
  p.tz = 0;
  if (i >= z.length) return false;
  const c = z[i];
  let sgn: number;
  if (c === "-") sgn = -1;
  else if (c === "+") sgn = 1;
  else if (c === "Z" || c === "z") {
    p.isLocal = false;
    p.isUtc = true;
    return skipSpaces(z, i + 1) < z.length;
  } else return true;
  i++;
  if (getDigits(z, i, TZHM) !== 2) return true;
  p.tz = sgn * (DIG[1] + DIG[0] * 60);
  if (p.tz === 0) {
    // +00:00 marks the value as UTC, as Z does; another offset does so only once
    // computeJD has applied it (SQLite 3.53's behaviour, seen from 'utc')
    p.isLocal = false;
    p.isUtc = true;
  }
  return skipSpaces(z, i + 5) < z.length;
}

/** parseHhMmSs: HH:MM[:SS[.FFF]] then an optional time zone; true on error. */
function parseHhMmSs(z: string, i: number, p: DateTime): boolean {
  if (getDigits(z, i, HM) !== 2) return true;
  const h = DIG[0];
  const m = DIG[1];
  let s = 0;
  let ms = 0;
  i += 5;
  if (z[i] === ":") {
    i++;
    if (getDigits(z, i, SS) !== 1) return true;
    s = DIG[0];
    i += 2;
    if (z[i] === "." && isDigit(z.charCodeAt(i + 1))) {
      let scale = 1.0;
      i++;
      while (isDigit(z.charCodeAt(i))) {
        ms = ms * 10.0 + z.charCodeAt(i) - 0x30;
        scale *= 10.0;
        i++;
      }
      ms /= scale;
      if (ms > 0.999) ms = 0.999; // SQLite truncates so sub-millisecond rounding cannot carry into the next second
    }
  }
  p.validJD = false;
  p.rawS = false;
  p.validHMS = true;
  p.h = h;
  p.m = m;
  p.s = s + ms;
  return parseTimezone(z, i, p);
}

function datetimeError(p: DateTime): void {
  p.clear();
  p.isError = true;
}

/** computeJD: Y-M-D h:m:s (default 2000-01-01) to iJD (Meeus p. 61). */
export function computeJD(p: DateTime): void {
  if (p.validJD) return;
  let Y: number;
  let M: number;
  let D: number;
  if (p.validYMD) {
    Y = p.Y;
    M = p.M;
    D = p.D;
  } else {
    Y = 2000;
    M = 1;
    D = 1;
  }
  if (Y < -4713 || Y > 9999 || p.rawS) {
    datetimeError(p);
    return;
  }
  if (M <= 2) {
    Y--;
    M += 12;
  }
  // SQLite 3.53 divides by 100 and 4 rounding down (proleptic Gregorian before year 0)
  const A = Math.floor(Y / 100);
  const B = 2 - A + Math.floor(A / 4);
  const X1 = tr((36525 * (Y + 4716)) / 100);
  const X2 = tr((306001 * (M + 1)) / 10000);
  p.iJD = tr((X1 + X2 + D + B - 1524.5) * 86400000);
  p.validJD = true;
  if (p.validHMS) {
    p.iJD += p.h * 3600000 + p.m * 60000 + tr(p.s * 1000 + 0.5);
    if (p.tz !== 0) {
      p.iJD -= p.tz * 60000;
      p.validYMD = false;
      p.validHMS = false;
      p.tz = 0;
      p.isUtc = true;
      p.isLocal = false;
    }
  }
}

/** computeFloor: how many days 'floor' takes back for a day-of-month overflow. */
function computeFloor(p: DateTime): void {
  if (p.D <= 28) p.nFloor = 0;
  else if (((1 << p.M) & 0x15aa) !== 0) p.nFloor = 0;
  else if (p.M !== 2) p.nFloor = p.D === 31 ? 1 : 0;
  else if (p.Y % 4 !== 0 || (p.Y % 100 === 0 && p.Y % 400 !== 0)) p.nFloor = p.D - 28;
  else p.nFloor = p.D - 29;
}

/** parseYyyyMmDd: [-]YYYY-MM-DD[( |T)time]; true on error. */
function parseYyyyMmDd(z: string, p: DateTime): boolean {
  let i = 0;
  let neg = false;
  if (z[0] === "-") {
    i = 1;
    neg = true;
  }
  if (getDigits(z, i, YMD4) !== 3) return true;
  const Y = DIG[0];
  const M = DIG[1];
  const D = DIG[2];
  i += 10;
  while (i < z.length && (isSpace(z.charCodeAt(i)) || z[i] === "T")) i++;
  if (!parseHhMmSs(z, i, p)) {
    // the time
  } else if (i >= z.length) {
    p.validHMS = false;
  } else return true;
  p.validJD = false;
  p.validYMD = true;
  p.Y = neg ? -Y : Y;
  p.M = M;
  p.D = D;
  computeFloor(p);
  if (p.tz !== 0) computeJD(p);
  return false;
}

function clearYMD_HMS_TZ(p: DateTime): void {
  p.validYMD = false;
  p.validHMS = false;
  p.tz = 0;
}

function setDateTimeToCurrent(ctx: FuncContext, p: DateTime): boolean {
  p.iJD = ctx.stmtTime();
  if (p.iJD > 0) {
    p.validJD = true;
    p.isUtc = true;
    p.isLocal = false;
    clearYMD_HMS_TZ(p);
    return false;
  }
  return true;
}

/** A bare number: a julian day if in range, and kept raw for 'unixepoch'/'auto'. */
function setRawDateNumber(p: DateTime, r: number): void {
  p.s = r;
  p.rawS = true;
  if (r >= 0.0 && r < 5373484.5) {
    p.iJD = tr(r * 86400000.0 + 0.5);
    p.validJD = true;
  }
}

/** sqlite3AtoF(z, n) > 0 (a well-formed number, spaces allowed around it); NUM.real holds it. */
function atof(z: string): boolean {
  return parseReal(z) > 0;
}

function parseDateOrTime(ctx: FuncContext, z: string, p: DateTime): boolean {
  if (!parseYyyyMmDd(z, p)) return false;
  if (!parseHhMmSs(z, 0, p)) return false;
  const lower = lowerAscii(z);
  if (lower === "now") return setDateTimeToCurrent(ctx, p);
  if (atof(z)) {
    setRawDateNumber(p, NUM.real);
    return false;
  }
  if (lower === "subsec" || lower === "subsecond") {
    p.useSubsec = true;
    return setDateTimeToCurrent(ctx, p);
  }
  return true;
}

export function validJulianDay(iJD: number): boolean {
  return iJD >= 0 && iJD <= MAX_IJD;
}

/** computeYMD: iJD to Y-M-D (Meeus p. 63). */
export function computeYMD(p: DateTime): void {
  if (p.validYMD) return;
  if (!p.validJD) {
    p.Y = 2000;
    p.M = 1;
    p.D = 1;
  } else if (!validJulianDay(p.iJD)) {
    datetimeError(p);
    return;
  } else {
    const Z = tr((p.iJD + 43200000) / 86400000);
    let A = tr((Z - 1867216.25) / 36524.25);
    A = Z + 1 + A - tr(A / 4);
    const B = A + 1524;
    const C = tr((B - 122.1) / 365.25);
    const D = tr((36525 * (C & 32767)) / 100);
    const E = tr((B - D) / 30.6001);
    const X1 = tr(30.6001 * E);
    p.D = B - D - X1;
    p.M = E < 14 ? E - 1 : E - 13;
    p.Y = p.M > 2 ? C - 4716 : C - 4715;
  }
  p.validYMD = true;
}

/** computeHMS: iJD to h:m:s. */
export function computeHMS(p: DateTime): void {
  if (p.validHMS) return;
  computeJD(p);
  const dayMs = (p.iJD + 43200000) % 86400000;
  p.s = (dayMs % 60000) / 1000.0;
  const dayMin = tr(dayMs / 60000);
  p.m = dayMin % 60;
  p.h = tr(dayMin / 60);
  p.rawS = false;
  p.validHMS = true;
}

export function computeYMD_HMS(p: DateTime): void {
  computeYMD(p);
  computeHMS(p);
}

const LT = new DateTime();

/** toLocaltime: a UTC time to the process's local time (invariant 4). */
function toLocaltime(p: DateTime): void {
  computeJD(p);
  let iYearDiff: number;
  let t: number;
  if (p.iJD < 210866760000000 || p.iJD > 213014145600000) {
    const x = LT;
    x.copyFrom(p);
    computeYMD_HMS(x);
    iYearDiff = 2000 + (x.Y % 4) - x.Y;
    x.Y += iYearDiff;
    x.validJD = false;
    computeJD(x);
    t = tr(x.iJD / 1000) - 210866760000;
  } else {
    iYearDiff = 0;
    t = tr(p.iJD / 1000) - 210866760000;
  }
  const d = new Date(t * 1000);
  p.Y = d.getFullYear() - iYearDiff;
  p.M = d.getMonth() + 1;
  p.D = d.getDate();
  p.h = d.getHours();
  p.m = d.getMinutes();
  p.s = d.getSeconds() + (p.iJD % 1000) * 0.001;
  p.validYMD = true;
  p.validHMS = true;
  p.validJD = false;
  p.rawS = false;
  p.tz = 0;
  p.isError = false;
}

/** aXformType: unit name, limit (a C float), seconds per unit. */
const XFORM: readonly [string, number, number][] = [
  ["second", Math.fround(4.6427e14), 1.0],
  ["minute", Math.fround(7.7379e12), 60.0],
  ["hour", Math.fround(1.2897e11), 3600.0],
  ["day", Math.fround(5373485.0), 86400.0],
  ["month", Math.fround(176546.0), 30.0 * 86400.0],
  ["year", Math.fround(14713.0), 365.0 * 86400.0],
];

/** 'auto': a raw number is a julian day if in range, else unix seconds if in range. */
function autoAdjustDate(p: DateTime): void {
  if (!p.rawS || p.validJD) {
    p.rawS = false;
  } else if (p.s >= -210866760000 && p.s <= 253402300799) {
    const r = p.s * 1000.0 + 210866760000000.0;
    clearYMD_HMS_TZ(p);
    p.iJD = tr(r + 0.5);
    p.validJD = true;
    p.rawS = false;
  }
}

const TX = new DateTime();
const NEW = new DateTime();

/** parseModifier: applies modifier `z` (argument number idx); true on error. */
function parseModifier(ctx: FuncContext, z: string, p: DateTime, idx: number): boolean {
  const lower = lowerAscii(z);
  switch (lower[0]) {
    case "a":
      if (lower === "auto") {
        if (idx > 1) return true;
        autoAdjustDate(p);
        return false;
      }
      return true;
    case "c":
      if (lower === "ceiling") {
        computeJD(p);
        clearYMD_HMS_TZ(p);
        p.nFloor = 0;
        return false;
      }
      return true;
    case "f":
      if (lower === "floor") {
        computeJD(p);
        p.iJD -= p.nFloor * 86400000;
        clearYMD_HMS_TZ(p);
        return false;
      }
      return true;
    case "j":
      if (lower === "julianday") {
        if (idx > 1) return true;
        if (p.validJD && p.rawS) {
          p.rawS = false;
          return false;
        }
      }
      return true;
    case "l":
      if (lower === "localtime") {
        if (!p.isLocal) toLocaltime(p);
        p.isUtc = false;
        p.isLocal = true;
        return false;
      }
      return true;
    case "u":
      if (lower === "unixepoch" && p.rawS) {
        if (idx > 1) return true;
        const r = p.s * 1000.0 + 210866760000000.0;
        if (r >= 0.0 && r < 464269060800000.0) {
          clearYMD_HMS_TZ(p);
          p.iJD = tr(r + 0.5);
          p.validJD = true;
          p.rawS = false;
          return false;
        }
        return true;
      }
      if (lower === "utc") {
        if (!p.isUtc) {
          computeJD(p);
          const iOrigJD = p.iJD;
          let iGuess = iOrigJD;
          let iErr = 0;
          let cnt = 0;
          do {
            NEW.clear();
            iGuess -= iErr;
            NEW.iJD = iGuess;
            NEW.validJD = true;
            toLocaltime(NEW);
            computeJD(NEW);
            iErr = NEW.iJD - iOrigJD;
          } while (iErr !== 0 && cnt++ < 3);
          p.clear();
          p.iJD = iGuess;
          p.validJD = true;
          p.isUtc = true;
          p.isLocal = false;
        }
        return false;
      }
      return true;
    case "w": {
      if (!lower.startsWith("weekday ") || !atof(z.slice(8))) return true;
      const r = NUM.real;
      const n = tr(r);
      if (!(r >= 0.0 && r < 7.0 && n === r)) return true;
      computeYMD_HMS(p);
      p.tz = 0;
      p.validJD = false;
      computeJD(p);
      let Z = tr((p.iJD + 129600000) / 86400000) % 7;
      if (Z > n) Z -= 7;
      p.iJD += (n - Z) * 86400000;
      clearYMD_HMS_TZ(p);
      return false;
    }
    case "s": {
      if (!lower.startsWith("start of ")) {
        if (lower === "subsec" || lower === "subsecond") {
          p.useSubsec = true;
          return false;
        }
        return true;
      }
      if (!p.validJD && !p.validYMD && !p.validHMS) return true;
      const unit = lower.slice(9);
      computeYMD(p);
      p.validHMS = true;
      p.h = p.m = 0;
      p.s = 0.0;
      p.rawS = false;
      p.tz = 0;
      p.validJD = false;
      if (unit === "month") {
        p.D = 1;
        return false;
      }
      if (unit === "year") {
        p.M = 1;
        p.D = 1;
        return false;
      }
      return unit !== "day";
    }
    case "+": case "-": case "0": case "1": case "2": case "3": case "4":
    case "5": case "6": case "7": case "8": case "9":
      return shiftModifier(z, p);
    default:
      return true;
  }
}

/** The modifiers that start with a sign or digit: ±NNN units, ±YYYY-MM-DD[ HH:MM...], ±HH:MM[:SS.SSS]. */
function shiftModifier(z: string, p: DateTime): boolean {
  const z0 = z[0];
  let n = 1;
  for (; n < z.length; n++) {
    const c = z[n];
    if (c === ":" || isSpace(z.charCodeAt(n))) break;
    if (c === "-") {
      if (n === 5 && getDigits(z, 1, Y4) === 1) break;
      if (n === 6 && getDigits(z, 1, Y5) === 1) break;
    }
  }
  if (!atof(z.slice(0, n))) return true;
  let r = NUM.real;
  let z2 = z;
  let o2 = 0; // z2 = z2.slice(o2)
  if (z[n] === "-") {
    // (+|-)YYYY-MM-DD adds or subtracts years, months (0-11) and days (0-30)
    if (z0 !== "+" && z0 !== "-") return true;
    let base = 0;
    if (n === 5) {
      if (getDigits(z, 1, YMD4M) !== 3) return true;
    } else {
      if (getDigits(z, 1, YMD5M) !== 3) return true;
      base = 1;
    }
    const Y = DIG[0];
    const M = DIG[1];
    let D = DIG[2];
    if (M >= 12 || D >= 31) return true;
    computeYMD_HMS(p);
    p.validJD = false;
    if (z0 === "-") {
      p.Y -= Y;
      p.M -= M;
      D = -D;
    } else {
      p.Y += Y;
      p.M += M;
    }
    const x = p.M > 0 ? tr((p.M - 1) / 12) : tr((p.M - 12) / 12);
    p.Y += x;
    p.M -= x * 12;
    computeFloor(p);
    computeJD(p);
    p.validHMS = false;
    p.validYMD = false;
    p.iJD += D * 86400000;
    const at = base + 11;
    if (at >= z.length) return false;
    if (isSpace(z.charCodeAt(at)) && getDigits(z, at + 1, HM) === 2) {
      z2 = z;
      o2 = at + 1;
      n = 2;
    } else return true;
  }
  if (z2[o2 + n] === ":") {
    // (+|-)HH:MM[:SS[.FFF]] adds or subtracts a time
    if (!isDigit(z2.charCodeAt(o2))) o2++;
    const tx = TX;
    tx.clear();
    if (parseHhMmSs(z2, o2, tx)) return true;
    computeJD(tx);
    tx.iJD -= 43200000;
    const day = tr(tx.iJD / 86400000);
    tx.iJD -= day * 86400000;
    if (z0 === "-") tx.iJD = -tx.iJD;
    computeJD(p);
    clearYMD_HMS_TZ(p);
    p.iJD += tx.iJD;
    return false;
  }
  // NNN units
  let i = skipSpaces(z, n);
  let unit = z.slice(i);
  let len = unit.length;
  if (len < 3 || len > 10) return true;
  if (unit[len - 1] === "s" || unit[len - 1] === "S") len--;
  unit = lowerAscii(unit.slice(0, len));
  computeJD(p);
  const rounder = r < 0 ? -0.5 : 0.5;
  p.nFloor = 0;
  let rc = true;
  for (i = 0; i < XFORM.length; i++) {
    const [name, limit, xform] = XFORM[i];
    if (name.length === len && name === unit && r > -limit && r < limit) {
      if (i === 4) {
        computeYMD_HMS(p);
        p.M += tr(r);
        const x = p.M > 0 ? tr((p.M - 1) / 12) : tr((p.M - 12) / 12);
        p.Y += x;
        p.M -= x * 12;
        computeFloor(p);
        p.validJD = false;
        r -= tr(r);
      } else if (i === 5) {
        computeYMD_HMS(p);
        p.Y += tr(r);
        computeFloor(p);
        p.validJD = false;
        r -= tr(r);
      }
      computeJD(p);
      p.iJD += tr(r * 1000.0 * xform + rounder);
      rc = false;
      break;
    }
  }
  clearYMD_HMS_TZ(p);
  return rc;
}

/** sqlite3_value_text, cut at the first NUL (invariant 5). */
function argText(args: FuncArgs, i: number): string | null {
  const s = args.text(i);
  if (s === null) return null;
  const k = s.indexOf("\0");
  return k < 0 ? s : s.slice(0, k);
}

/**
 * isDate: the time value args[first] and the modifiers args[first+1 .. first+argc)
 * into p (no arguments: 'now'); false when the result is NULL (invariant 2).
 */
export function isDate(ctx: FuncContext, args: FuncArgs, first: number, argc: number, p: DateTime): boolean {
  p.clear();
  if (argc === 0) return !setDateTimeToCurrent(ctx, p);
  const t = args.type(first);
  if (t === SQLITE_FLOAT || t === SQLITE_INTEGER) {
    setRawDateNumber(p, args.real(first));
  } else {
    const z = argText(args, first);
    if (z === null || parseDateOrTime(ctx, z, p)) return false;
  }
  for (let i = 1; i < argc; i++) {
    const z = argText(args, first + i);
    if (z === null || parseModifier(ctx, z, p, i)) return false;
  }
  computeJD(p);
  if (p.isError || !validJulianDay(p.iJD)) return false;
  if (argc === 1 && p.validYMD && p.D > 28) p.validYMD = false; // normalise 2023-02-31 to 2023-03-03
  return true;
}
