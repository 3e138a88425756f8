/*
 * TEXT -> number, by SQLite 3.53's rules (util.c sqlite3AtoF and sqlite3Atoi64,
 * vdbemem.c sqlite3VdbeIntValue / sqlite3VdbeRealValue / sqlite3VdbeMemNumerify,
 * vdbe.c applyNumericAffinity). See https://sqlite.org/datatype3.html §3-4.
 *
 *  parseReal(s)     sqlite3AtoF: optional spaces, [+-], digits, [. digits], [e [+-] digits],
 *                   spaces. Returns the parse flags (below) and leaves the value in
 *                   NUM.real. No hex. Only about the first 19 significant digits count (as
 *                   SQLite's u64 mantissa); the value is the double nearest mantissa*10^exp.
 *  parseInt64(s)    sqlite3Atoi64: spaces, [+-], decimal digits, spaces. Returns 0 (exact
 *                   integer), 1 (extra text after a prefix), 2 (overflow: clamped), 3
 *                   (exactly 9223372036854775808: clamped), -1 (no digits). The value, clamped
 *                   to int64, is left in NUM.int (a number, NaN when not safe) and NUM.big.
 *  textToReal(s)    the REAL value of a TEXT (sqlite3_value_double): the prefix that parses.
 *  textToInt(s)     the INTEGER value of a TEXT (sqlite3_value_int64): the integer prefix
 *                   ('1e5' -> 1, ' 12abc' -> 12, '0x10' -> 0); NUM.big holds it when unsafe.
 *
 * Whitespace is SQLite's sqlite3Isspace: space, \t \n \v \f \r.
 *
 * parseReal flags (the C return value): bit 0 a numeric prefix exists; bit 1 the text has
 * a "." or an exponent; bit 2 the value is exactly 0; the result is negative (0xfffffff0
 * set) when there is extra text after the number. 0 means no numeric prefix at all.
 *
 * Invariants:
 *  1. No regular expressions and no allocation on the common path (values of up to 15
 *     significant digits); longer mantissas use a bigint, exponents beyond ±22 build one
 *     short string for Number().
 *  2. Results are written to the shared NUM object; callers read them immediately.
 */

/** Out-parameters of the parsers (one shared object). */
export const NUM = {
  real: 0,
  /** int64 result as a number; NaN when it is not a safe integer (then see `big`). */
  int: 0,
  /** int64 result as a bigint, valid when `int` is NaN. */
  big: 0n,
};

export const ATOF_PREFIX = 1;
export const ATOF_REAL_SYNTAX = 2;
export const ATOF_ZERO = 4;
export const ATOF_EXTRA = 0xfffffff0 | 0; // as a negative int32

/** sqlite3Isspace. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

const EXACT_P10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
  1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MANT_LIMIT = 1844674407370955160n; // (2^64 - 1 - 9) / 10
const TWO53 = 9007199254740992;

/** sqlite3AtoF. See the header for the flags; the value goes to NUM.real. */
export function parseReal(s: string): number {
  const len = s.length;
  let i = 0;
  let neg = false;
  let m = 0; // mantissa while < 2^53
  let big = 0n; // mantissa once it has grown past 2^53
  let isBig = false;
  let d = 0; // decimal exponent
  let state = 0;
  let c = 0;
  while (i < len && isSpace(s.charCodeAt(i))) i++;
  if (i < len) {
    c = s.charCodeAt(i);
    if (c === 0x2d) {
      neg = true;
      i++;
    } else if (c === 0x2b) {
      i++;
    }
  }
  const startDigits = i;
  // integer part
  while (i < len) {
    c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    i++;
    if (!isBig) {
      const m2 = m * 10 + c;
      if (m2 < TWO53) {
        m = m2;
        continue;
      }
      big = BigInt(m) * 10n + BigInt(c);
      isBig = true;
    } else {
      big = big * 10n + BigInt(c);
    }
    if (big >= MANT_LIMIT) {
      // Further integer digits only scale.
      while (i < len) {
        c = s.charCodeAt(i) - 0x30;
        if (c < 0 || c > 9) break;
        i++;
        d++;
      }
      state = 9;
      break;
    }
  }
  if (i > startDigits && state === 0) state = 1;
  // fraction
  if (i < len && s.charCodeAt(i) === 0x2e) {
    i++;
    c = i < len ? s.charCodeAt(i) - 0x30 : -1;
    if (c >= 0 && c <= 9) {
      state |= 1;
      do {
        if (!isBig) {
          const m2 = m * 10 + c;
          if (m2 < TWO53) m = m2;
          else {
            big = BigInt(m) * 10n + BigInt(c);
            isBig = true;
          }
          d--;
        } else if (big < MANT_LIMIT) {
          big = big * 10n + BigInt(c);
          d--;
        } else {
          state = 11;
        }
        i++;
        c = i < len ? s.charCodeAt(i) - 0x30 : -1;
      } while (c >= 0 && c <= 9);
    } else if (state === 0) {
      NUM.real = 0;
      return 0;
    }
    state |= 2;
  } else if (state === 0) {
    NUM.real = 0;
    return 0;
  }
  // exponent
  if (i < len && (s.charCodeAt(i) | 0x20) === 0x65) {
    const save = i;
    i++;
    let esign = 1;
    if (i < len && s.charCodeAt(i) === 0x2d) {
      esign = -1;
      i++;
    } else if (i < len && s.charCodeAt(i) === 0x2b) {
      i++;
    }
    c = i < len ? s.charCodeAt(i) - 0x30 : -1;
    if (c >= 0 && c <= 9) {
      let exp = c;
      i++;
      state |= 2;
      while (i < len) {
        c = s.charCodeAt(i) - 0x30;
        if (c < 0 || c > 9) break;
        exp = exp < 10000 ? exp * 10 + c : 10000;
        i++;
      }
      d += esign * exp;
    } else {
      // "e" without digits: the number ends before the "e", which is extra text.
      i = save;
    }
  }
  // value
  let r: number;
  if (!isBig && m === 0) {
    r = 0;
    state |= 4;
  } else if (!isBig && d >= -22 && d <= 22) {
    r = d >= 0 ? m * EXACT_P10[d] : m / EXACT_P10[-d];
  } else if (d < -348) {
    r = 0;
  } else if (d > 347) {
    r = Infinity;
  } else {
    r = Number((isBig ? big.toString() : String(m)) + "e" + d);
  }
  NUM.real = neg ? -r : r;
  if (i >= len) return state;
  if (isSpace(s.charCodeAt(i))) {
    do i++;
    while (i < len && isSpace(s.charCodeAt(i)));
    if (i >= len) return state;
  }
  return ATOF_EXTRA | state;
}

const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;

/** sqlite3Atoi64 on a whole string. See the header for the result codes. */
export function parseInt64(s: string): number {
  const len = s.length;
  let i = 0;
  let neg = false;
  while (i < len && isSpace(s.charCodeAt(i))) i++;
  if (i < len) {
    const c = s.charCodeAt(i);
    if (c === 0x2d) {
      neg = true;
      i++;
    } else if (c === 0x2b) {
      i++;
    }
  }
  const zStart = i;
  while (i < len && s.charCodeAt(i) === 0x30) i++;
  const zNum = i;
  let u = 0;
  while (i < len) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    if (i - zNum < 15) u = u * 10 + c;
    i++;
  }
  const nDigits = i - zNum;
  let rc = 0;
  if (nDigits === 0 && zStart === zNum) {
    rc = -1;
  } else if (i < len) {
    for (let jj = i; jj < len; jj++) {
      if (!isSpace(s.charCodeAt(jj))) {
        rc = 1;
        break;
      }
    }
  }
  if (nDigits <= 15) {
    NUM.int = neg ? (u === 0 ? 0 : -u) : u;
    return rc;
  }
  // 16 digits or more: exact with a bigint.
  if (nDigits > 19) {
    NUM.int = NaN;
    NUM.big = neg ? I64_MIN : I64_MAX;
    return 2;
  }
  let v = BigInt(s.slice(zNum, i));
  if (neg) v = -v;
  if (v > I64_MAX) {
    NUM.int = NaN;
    NUM.big = I64_MAX;
    return v === I64_MAX + 1n ? 3 : 2;
  }
  if (v < I64_MIN) {
    NUM.int = NaN;
    NUM.big = I64_MIN;
    return 2;
  }
  setInt(v);
  return rc;
}

function setInt(v: bigint): void {
  if (v >= -9007199254740991n && v <= 9007199254740991n) {
    NUM.int = Number(v);
  } else {
    NUM.int = NaN;
    NUM.big = v;
  }
}

/** The REAL value of a TEXT (sqlite3_value_double on text). */
export function textToReal(s: string): number {
  parseReal(s);
  return NUM.real;
}

/**
 * The INTEGER value of a TEXT (sqlite3_value_int64 on text): the value of its integer
 * prefix, clamped to int64. Returns a number, or NaN when NUM.big holds an unsafe value.
 */
export function textToInt(s: string): number {
  parseInt64(s);
  return NUM.int;
}

/**
 * sqlite3RealToI64: a double to int64, truncating, clamped. Returns a number, or NaN
 * when NUM.big holds the (unsafe) value.
 */
export function realToInt(r: number): number {
  if (r > -9007199254740992 && r < 9007199254740992) return r < 0 ? Math.ceil(r) || 0 : Math.floor(r);
  if (r !== r) {
    NUM.big = I64_MIN;
    return NaN;
  }
  if (r < -9223372036854774784) NUM.big = I64_MIN;
  else if (r > 9223372036854774784) NUM.big = I64_MAX;
  else NUM.big = BigInt(r);
  return NaN;
}

/** sqlite3RealSameAsInt; `i` is realToInt(r) (NaN for unsafe values, never in range). */
function realSameAsInt(r: number, i: number): boolean {
  if (r === 0) return true;
  return r === i && i >= -2251799813685248 && i < 2251799813685248;
}

/** Result of a numeric conversion of TEXT: which storage class it produced. */
export const NUMERIC_TEXT = 0; // stays TEXT (no numeric prefix / extra text under affinity)
export const NUMERIC_INT = 1; // NUM.int (or NUM.big)
export const NUMERIC_REAL = 2; // NUM.real

/**
 * Numeric affinity on a TEXT (applyNumericAffinity, bTryForInt as given): well-formed
 * numeric text (spaces allowed around it) becomes INTEGER or REAL; anything else stays
 * TEXT. With tryForInt (column affinity NUMERIC/INTEGER), a REAL that is a whole number in
 * range becomes INTEGER; sqlite3_value_numeric_type (used by sum()) passes false.
 */
export function numericAffinity(s: string, tryForInt: boolean): number {
  const rc = parseReal(s);
  if (rc <= 0) return NUMERIC_TEXT;
  const r = NUM.real;
  if ((rc & ATOF_REAL_SYNTAX) === 0) {
    const i = realToInt(r);
    if (realSameAsInt(r, i)) {
      NUM.int = i;
      return NUMERIC_INT;
    }
    if (parseInt64(s) === 0) return NUMERIC_INT;
  }
  NUM.real = r;
  if (tryForInt) return integerAffinity(r);
  return NUMERIC_REAL;
}

/**
 * sqlite3VdbeIntegerAffinity on a REAL: INTEGER when it is a whole number strictly
 * inside the int64 range, else REAL. Leaves NUM.int / NUM.real.
 */
export function integerAffinity(r: number): number {
  const i = realToInt(r);
  if (i === i) {
    if (r === i) {
      NUM.int = i;
      return NUMERIC_INT;
    }
  } else if (r === Number(NUM.big) && NUM.big > I64_MIN && NUM.big < I64_MAX) {
    NUM.int = NaN;
    return NUMERIC_INT;
  }
  NUM.real = r;
  return NUMERIC_REAL;
}

/**
 * CAST(text AS NUMERIC) (sqlite3VdbeMemNumerify): always numeric. INTEGER when the text
 * has integer syntax and fits, or its value is a small whole number; otherwise REAL.
 */
export function textToNumeric(s: string): number {
  const rc = parseReal(s);
  const r = NUM.real;
  if ((rc & ATOF_REAL_SYNTAX) === 0 && parseInt64(s) < 2) return NUMERIC_INT;
  const i = realToInt(r);
  if (realSameAsInt(r, i)) {
    NUM.int = i;
    return NUMERIC_INT;
  }
  NUM.real = r;
  return NUMERIC_REAL;
}
