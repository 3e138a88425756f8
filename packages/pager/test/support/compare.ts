// Test support: checking a cursor's position after a seek against the expected sorted list.
import { expect } from "vitest";

/**
 * The contract of TableCursor.seek / IndexCursor.seek (cursor.ts header, SQLite's
 * sqlite3BtreeTableMoveto / IndexMoveto): with E the entries in order and `cmpAt(i)` the
 * sign of (E[i] compared with the search key), a result r and the position p the cursor
 * landed on must satisfy
 *   r == 0: E[p] equals the key;
 *   r <  0: E[p] < key and (p is last or E[p+1] > key);
 *   r >  0: E[p] > key and (p is first or E[p-1] < key);
 * and an empty tree gives r < 0 at eof.
 */
export function checkSeek(r: number, p: number, n: number, cmpAt: (i: number) => number, what: string): void {
  expect(p, `${what}: landed on an entry`).toBeGreaterThanOrEqual(0);
  expect(p, what).toBeLessThan(n);
  const c = Math.sign(cmpAt(p));
  expect(Math.sign(r), `${what}: result sign vs entry at ${p}`).toBe(c);
  if (r < 0 && p + 1 < n) expect(Math.sign(cmpAt(p + 1)), `${what}: next entry`).toBe(1);
  if (r > 0 && p > 0) expect(Math.sign(cmpAt(p - 1)), `${what}: previous entry`).toBe(-1);
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
