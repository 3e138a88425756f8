/*
 * The deterministic pseudo-random numbers of the fault injector: mulberry32, a 32-bit
 * generator that is small, fast and good enough to pick crash outcomes. Same seed,
 * same sequence, on every platform (only 32-bit integer arithmetic).
 */

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next value, uniform in [0, 2^32). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A value in [0, n), for n >= 1. */
  below(n: number): number {
    return this.next() % n;
  }

  /** Fills `out` with random bytes. */
  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.next() & 0xff;
  }
}

/** FNV-1a of a string's UTF-16 code units, mixed into `seed`: one stream per (seed, name). */
export function seedFor(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
