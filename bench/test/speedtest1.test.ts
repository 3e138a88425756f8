// The speedtest1 helpers against values of SQLite's test/speedtest1.c: the PRNG's first
// outputs after the per-test seed and swizzle/roundup_allones (from a C build of the same
// one-line definitions, unsigned 32-bit), numbername's documented example.
import { describe, expect, it } from "vitest";
import { SpeedtestRandom, estSquareRoot, numbername, roundupAllones, swizzle } from "../workloads/speedtest1-util.js";

describe("speedtest1 helpers", () => {
  it("PRNG: the first outputs after speedtest1_begin_test's seed", () => {
    const r = new SpeedtestRandom();
    expect(Array.from({ length: 6 }, () => r.next())).toEqual([1680579045, 3681383876, 3060294886, 402119333, 3077525620, 3957996903]);
    r.reset();
    expect(r.next()).toBe(1680579045);
  });

  it("roundup_allones and swizzle", () => {
    expect(roundupAllones(5000)).toBe(8191);
    expect(roundupAllones(50000)).toBe(65535);
    expect(roundupAllones(1)).toBe(1);
    const m = roundupAllones(50000);
    expect([1, 2, 3, 4, 5, 6].map((i) => swizzle(i, m))).toEqual([32768, 16384, 49152, 8192, 40960, 24576]);
    expect(swizzle(50000, m)).toBe(2755);
    expect(swizzle(12345, roundupAllones(Math.trunc(70000 / 3)))).toBe(19974);
    // A permutation of 0..m when `in` stays within the width of the limit.
    const seen = new Set(Array.from({ length: 256 }, (_, i) => swizzle(i, 255)));
    expect(seen.size).toBe(256);
  });

  it("numbername", () => {
    expect(numbername(123)).toBe("one hundred twenty three");
    expect(numbername(0)).toBe("zero");
    expect(numbername(7)).toBe("seven");
    expect(numbername(40)).toBe("forty");
    expect(numbername(1000)).toBe("one thousand");
    expect(numbername(50017)).toBe("fifty thousand seventeen");
    expect(numbername(1_234_567_890)).toBe("one billion two hundred thirty four million five hundred sixty seven thousand eight hundred ninety");
    expect(numbername(4_294_967_295)).toBe("four billion two hundred ninety four million nine hundred sixty seven thousand two hundred ninety five");
  });

  it("est_square_root", () => {
    expect(estSquareRoot(100)).toBe(10);
    expect(estSquareRoot(10)).toBe(3);
    expect(estSquareRoot(1)).toBe(0);
  });
});
