/*
 * fp-decode: SQLite's binary-to-decimal digit generator (util.c sqlite3FpDecode and its
 * helpers sqlite3Fp2Convert10 / powerOfTen), reproduced step for step so that every
 * REAL renders with exactly the digits SQLite 3.53 prints. SQLite does not use the C
 * library here: it multiplies the 64-bit significand by a 64-bit approximation of a power
 * of ten, keeps 18 digits (rounding half up on the last bit), then rounds that digit
 * string half-up to the requested precision. That double rounding and the truncated
 * powers of ten are what make its output differ from a correctly rounded printf (e.g.
 * printf('%.2f', 0.125) is 0.13), so we copy the method, not just the idea.
 *
 * Used by: real-to-text.ts (REAL -> TEXT, "%!.17g") and func/printf.ts (%f %e %g).
 *
 * Invariants:
 *  1. fpDecode() leaves its answer in the module-level `FP` object (no allocation per
 *     call apart from the digit string): FP.sign, FP.digits (no trailing zeros, at least
 *     one digit unless special), FP.iDP (position of the decimal point: value =
 *     0.DIGITS * 10^iDP), FP.special (0 finite, 1 infinity, 2 NaN).
 *  2. The power-of-ten table is derived at load time from exact integer arithmetic (the
 *     96-bit roundings of 10^(27k), exact 10^0..10^26, combined as SQLite combines them);
 *     nothing is copied from SQLite's tables.
 *  3. Zero (either sign) decodes as "+", "0", iDP 1, as SQLite's does.
 */

const MASK64 = (1n << 64n) - 1n;
const MASK32 = 0xffffffffn;

// ---------------------------------------------------------------------------------------
// Powers of ten: the top 64 bits of 10^p for p in [-348, 347], computed the way
// SQLite's powerOfTen() computes them (a 96-bit scale 10^(27g), times an exact 10^n).

const P10_FIRST = -348;
const P10_LAST = 347;

function bitLength(x: bigint): number {
  return x.toString(2).length;
}

/** 10^k to 96 significant bits, rounded to nearest (k != 0). */
function top96Rounded(k: number): bigint {
  const num = k >= 0 ? 10n ** BigInt(k) : 1n;
  const den = k >= 0 ? 1n : 10n ** BigInt(-k);
  let s = 96 - (bitLength(num) - bitLength(den));
  const q = (sh: number): bigint => (sh >= 0 ? (num << BigInt(sh)) / den : num / (den << BigInt(-sh)));
  while (q(s) >= 1n << 96n) s--;
  while (q(s) < 1n << 95n) s++;
  const d = s >= 0 ? den : den << BigInt(-s);
  const n = s >= 0 ? num << BigInt(s) : num;
  const t = n / d;
  return 2n * (n % d) >= d ? t + 1n : t;
}

let P10: BigInt64Array | null = null; // as unsigned bit patterns, index p - P10_FIRST

function buildPowersOfTen(): BigInt64Array {
  const base: bigint[] = [];
  for (let n = 0; n < 27; n++) {
    const x = 10n ** BigInt(n);
    base.push(x << BigInt(64 - bitLength(x)));
  }
  const scaleHi: bigint[] = [];
  const scaleLo: bigint[] = [];
  for (let i = 0; i < 26; i++) {
    if (i === 13) {
      // 10^-1, truncated (SQLite's special case).
      scaleHi.push(0xccccccccccccccccn);
      scaleLo.push(0xccccccccn);
      continue;
    }
    const t = top96Rounded(27 * (i - 13));
    scaleHi.push(t >> 32n);
    scaleLo.push(t & MASK32);
  }
  const out = new BigInt64Array(P10_LAST - P10_FIRST + 1);
  for (let p = P10_FIRST; p <= P10_LAST; p++) {
    let hi: bigint;
    if (p === -1) {
      hi = scaleHi[13];
    } else if (p >= 0 && p < 27) {
      hi = base[p];
    } else {
      let g = Math.trunc(p / 27);
      let n = p % 27;
      if (p < 0 && n !== 0) {
        g--;
        n += 27;
      }
      const s = scaleHi[g + 13];
      if (n === 0) {
        hi = s;
      } else {
        const b = base[n];
        const r = s * b + ((scaleLo[g + 13] * b) >> 32n);
        let lo = (r >> 32n) & MASK32;
        hi = r >> 64n;
        if ((hi & (1n << 63n)) === 0n) {
          hi = ((hi << 1n) | ((lo >> 31n) & 1n)) & MASK64;
          lo = ((lo << 1n) | 1n) & MASK32;
        }
      }
    }
    out[p - P10_FIRST] = BigInt.asIntN(64, hi);
  }
  return out;
}

function pow10Hi(p: number): bigint {
  if (P10 === null) P10 = buildPowersOfTen();
  return BigInt.asUintN(64, P10[p - P10_FIRST]);
}

// floor(log2(10^p)) and floor(log10(2^p)), SQLite's integer approximations.
function pwr10to2(p: number): number {
  return (p * 108853) >> 15;
}
function pwr2to10(p: number): number {
  return (p * 78913) >> 18;
}

// ---------------------------------------------------------------------------------------
// Decimal -> binary for the round-trip checks: the double nearest d * 10^p.

const EXACT_P10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
  1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** The double nearest d * 10^p, for a non-negative safe integer d (correctly rounded). */
export function decimalToDouble(d: number, p: number): number {
  if (d === 0) return 0;
  if (d <= 9007199254740992 && p >= -22 && p <= 22) return p >= 0 ? d * EXACT_P10[p] : d / EXACT_P10[-p];
  return Number(`${d}e${p}`);
}

// ---------------------------------------------------------------------------------------
// The decoder

/** The result of the last fpDecode() call (one shared object: see invariant 1). */
export const FP = {
  /** "+" or "-". */
  sign: "+",
  /** Significant digits, no trailing zeros. */
  digits: "0",
  /** Decimal point position: value = 0.digits x 10^iDP. */
  iDP: 1,
  /** 0 finite, 1 infinity, 2 NaN. */
  special: 0,
};

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function clz64(v: bigint): number {
  return 64 - bitLength(v);
}

/**
 * Decodes `r` into FP (sqlite3FpDecode). iRound > 0: round to min(iRound, mxRound)
 * significant digits; iRound <= 0: round to -iRound digits after the decimal point, at
 * most mxRound significant digits.
 */
export function fpDecode(r: number, iRound: number, mxRound: number): void {
  FP.special = 0;
  if (r < 0) {
    FP.sign = "-";
    r = -r;
  } else if (r === 0) {
    FP.sign = "+";
    FP.digits = "0";
    FP.iDP = 1;
    return;
  } else {
    FP.sign = "+";
  }
  if (r !== r || r === Infinity) {
    FP.special = r === Infinity ? 1 : 2;
    if (FP.special === 2) FP.sign = "+";
    FP.digits = "";
    FP.iDP = 0;
    return;
  }
  f64[0] = r;
  let v = u64[0];
  let e = Number((v >> 52n) & 0x7ffn);
  v &= 0xfffffffffffffn;
  if (e === 0) {
    const nn = clz64(v);
    v <<= BigInt(nn);
    e = -1074 - nn;
  } else {
    v = ((v << 11n) | (1n << 63n)) & MASK64;
    e -= 1086;
  }
  // sqlite3Fp2Convert10
  const want = iRound <= 0 || iRound >= 18 ? 18 : iRound + 1;
  const p = want - 1 - pwr2to10(e + 63);
  let h = (v * pow10Hi(p)) >> 64n;
  let d: bigint;
  if (want === 18) {
    h >>= BigInt(-(e + pwr10to2(p) + 2));
    d = (h >> 1n) + (h & 1n);
  } else {
    d = h >> BigInt(-(e + pwr10to2(p) + 1));
  }
  const exp = -p;
  let z = d.toString();
  let n = z.length;
  let iDP = n + exp;
  if (iRound <= 0) {
    iRound = iDP - iRound;
    if (iRound === 0 && z.charCodeAt(0) >= 0x35) {
      iRound = 1;
      z = "0" + z;
      n++;
      iDP++;
    }
  }
  if (iRound > 0 && (iRound < n || n > mxRound)) {
    if (iRound > mxRound) iRound = mxRound;
    if (iRound === 17) {
      // Try fewer digits when they round-trip (49.47 rather than 49.469999999999999).
      const n0 = d.toString().length;
      if (z[15] === "9" && z[14] === "9") {
        let jj = 14;
        while (jj > 0 && z[jj - 1] === "9") jj--;
        const v2 = jj === 0 ? 1 : Number(z.slice(0, jj)) + 1;
        if (r === decimalToDouble(v2, exp + n0 - jj)) iRound = jj + 1;
      } else if (iDP >= n || (z[15] === "0" && z[14] === "0" && z[13] === "0")) {
        let jj = 13;
        while (z[jj - 1] === "0") jj--;
        const v2 = Number(z.slice(0, jj));
        if (r === decimalToDouble(v2, exp + n0 - jj)) iRound = jj + 1;
      }
    }
    n = iRound;
    if (z.charCodeAt(iRound) >= 0x35) {
      // Round the first iRound digits up, half-up on the digit string.
      let j = iRound - 1;
      while (j >= 0 && z[j] === "9") j--;
      if (j < 0) {
        z = "1" + "0".repeat(iRound);
        n++;
        iDP++;
      } else {
        z = z.slice(0, j) + String.fromCharCode(z.charCodeAt(j) + 1) + "0".repeat(iRound - 1 - j);
      }
    }
  }
  while (n > 1 && z.charCodeAt(n - 1) === 0x30) n--;
  FP.digits = n === z.length ? z : z.slice(0, n);
  FP.iDP = iDP;
}
