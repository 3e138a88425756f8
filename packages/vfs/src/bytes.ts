/*
 * GrowableBytes: the contents of one in-memory file (a MemoryVfs file, a durable image
 * in the FaultyVfs). One Uint8Array with spare capacity, grown by doubling, so a run
 * of appends costs amortised O(bytes) and a write inside the file copies only itself.
 *
 * Invariants:
 *  1. 0 <= size <= buf.length.
 *  2. Every byte of buf at index >= size is zero, so growing the file (by a write past
 *     the end or by truncate) exposes zeros without clearing anything.
 */

const MIN_CAPACITY = 4096;

export class GrowableBytes {
  buf: Uint8Array;
  size: number;

  constructor(initial?: Uint8Array) {
    if (initial && initial.length > 0) {
      this.buf = new Uint8Array(Math.max(MIN_CAPACITY, initial.length));
      this.buf.set(initial);
      this.size = initial.length;
    } else {
      this.buf = new Uint8Array(0);
      this.size = 0;
    }
  }

  /** Copies into `out` the bytes at `offset`; returns how many there were (the rest of `out` is zeroed). */
  read(out: Uint8Array, offset: number): number {
    const n = offset >= this.size ? 0 : Math.min(out.length, this.size - offset);
    if (n > 0) out.set(this.buf.subarray(offset, offset + n));
    if (n < out.length) out.fill(0, n);
    return n;
  }

  /** Writes `data` at `offset`; an empty write changes nothing (as pwrite of 0 bytes). */
  write(data: Uint8Array, offset: number): void {
    if (data.length === 0) return;
    const end = offset + data.length;
    if (end > this.buf.length) this.reserve(end);
    this.buf.set(data, offset);
    if (end > this.size) this.size = end;
  }

  truncate(size: number): void {
    if (size < this.size) {
      this.buf.fill(0, size, this.size); // invariant 2
    } else if (size > this.buf.length) {
      this.reserve(size);
    }
    this.size = size;
  }

  /** A copy of the contents. */
  snapshot(): Uint8Array {
    return this.buf.slice(0, this.size);
  }

  private reserve(needed: number): void {
    let cap = Math.max(MIN_CAPACITY, this.buf.length);
    while (cap < needed) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }
}
