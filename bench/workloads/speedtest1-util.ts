// The helpers of SQLite's test/speedtest1.c, ported so that our (h) issues the same
// statement and parameter stream: its PRNG (re-seeded at every test start), swizzle (bit
// reversal within the width of a limit), roundup_allones and numbername (English words).
// All arithmetic is on unsigned 32-bit values, as in the C.

export class SpeedtestRandom {
  x = 0xad131d0b;
  y = 0x44f9eac8;
  /** speedtest1_begin_test() re-seeds with these constants. */
  reset(): void {
    this.x = 0xad131d0b;
    this.y = 0x44f9eac8;
  }
  /** speedtest1_random(): x = (x>>1) ^ ((1+~(x&1)) & 0xd0000001); y = y*1103515245+12345; x^y. */
  next(): number {
    const x = this.x;
    this.x = ((x >>> 1) ^ ((1 + ~(x & 1)) & 0xd0000001)) >>> 0;
    this.y = (Math.imul(this.y, 1103515245) + 12345) >>> 0;
    return (this.x ^ this.y) >>> 0;
  }
}

/** swizzle(in, limit): the low bits of `in`, as many as `limit` has, in reverse order. */
export function swizzle(input: number, limit: number): number {
  let out = 0;
  let i = input >>> 0;
  let l = limit >>> 0;
  while (l) {
    out = ((out << 1) | (i & 1)) >>> 0;
    i >>>= 1;
    l >>>= 1;
  }
  return out;
}

/** The smallest 2^k - 1 that is >= limit (1 for limit <= 1). */
export function roundupAllones(limit: number): number {
  let m = 1;
  while (m < limit) m = m * 2 + 1;
  return m;
}

const ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
  "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS = ["", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/** speedtest1_numbername(): 123 -> "one hundred twenty three"; 0 -> "zero". */
export function numbername(n: number): string {
  const parts: string[] = [];
  let v = n >>> 0;
  if (v >= 1_000_000_000) {
    parts.push(`${numbername(Math.floor(v / 1_000_000_000))} billion`);
    v %= 1_000_000_000;
  }
  if (v >= 1_000_000) {
    parts.push(`${numbername(Math.floor(v / 1_000_000))} million`);
    v %= 1_000_000;
  }
  if (v >= 1000) {
    parts.push(`${numbername(Math.floor(v / 1000))} thousand`);
    v %= 1000;
  }
  if (v >= 100) {
    parts.push(`${ONES[Math.floor(v / 100)]} hundred`);
    v %= 100;
  }
  if (v >= 20) {
    parts.push(TENS[Math.floor(v / 10)]);
    v %= 10;
  }
  if (v > 0) parts.push(ONES[v]);
  return parts.length === 0 ? "zero" : parts.join(" ");
}

/** est_square_root(): Newton's method from x/2, at most 10 steps, integer division. */
export function estSquareRoot(x: number): number {
  let y0 = Math.trunc(x / 2);
  for (let n = 0; y0 > 0 && n < 10; n++) {
    const y1 = Math.trunc((y0 + Math.trunc(x / y0)) / 2);
    if (y1 === y0) break;
    y0 = y1;
  }
  return y0;
}
