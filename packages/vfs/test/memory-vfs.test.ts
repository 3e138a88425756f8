// MemoryVfs beyond the conformance suite: files shared between opens, amortised
// growth, and the copy-in/copy-out helpers (snapshot, readFile, writeFile, clone).
import { describe, expect, it } from "vitest";
import { MemoryVfs } from "../src/index.js";
import { GrowableBytes } from "../src/bytes.js";
import { bytes, expectCode } from "./conformance.js";

describe("MemoryVfs", () => {
  it("two connections (opens) of one path share one file; two MemoryVfs do not", () => {
    const vfs = new MemoryVfs();
    const a = vfs.open("x", { create: true });
    const b = vfs.open("x");
    a.write(bytes(1, 2, 3), 0);
    const out = new Uint8Array(3);
    expect(b.read(out, 0)).toBe(3);
    expect([...out]).toEqual([1, 2, 3]);
    const other = new MemoryVfs();
    expect(other.exists("x")).toBe(false);
  });

  it("grows by doubling: many small appends reallocate O(log n) times", () => {
    const g = new GrowableBytes();
    const chunk = new Uint8Array(100).fill(1);
    const buffers = new Set<Uint8Array>();
    for (let i = 0; i < 20_000; i++) {
      g.write(chunk, i * 100);
      buffers.add(g.buf);
    }
    expect(g.size).toBe(2_000_000);
    expect(buffers.size).toBeLessThanOrEqual(Math.ceil(Math.log2(2_000_000 / 4096)) + 1);
    // A write inside the file never reallocates.
    const before = g.buf;
    g.write(new Uint8Array(5000), 12345);
    expect(g.buf).toBe(before);
  });

  it("keeps bytes past the end zero after a shrink (GrowableBytes invariant 2)", () => {
    const g = new GrowableBytes(new Uint8Array(100).fill(9));
    g.truncate(10);
    expect(g.buf.subarray(10, 100).every((v) => v === 0)).toBe(true);
    g.truncate(50);
    expect([...g.snapshot().subarray(8, 12)]).toEqual([9, 9, 0, 0]);
  });

  it("constructor, writeFile and readFile copy, so callers' arrays are never aliased", () => {
    const src = bytes(1, 2, 3);
    const vfs = new MemoryVfs([["a", src]]);
    src[0] = 99;
    expect([...vfs.readFile("a")]).toEqual([1, 2, 3]);
    const got = vfs.readFile("a");
    got[1] = 99;
    expect([...vfs.readFile("a")]).toEqual([1, 2, 3]);
    const w = bytes(7, 7);
    vfs.writeFile("b", w);
    w[0] = 0;
    expect([...vfs.readFile("b")]).toEqual([7, 7]);
    expectCode(() => vfs.readFile("missing"), "SQLITE_CANTOPEN");
  });

  it("writeFile rewrites an open file in place; list and snapshot are sorted copies; clone is independent", () => {
    const vfs = new MemoryVfs();
    const f = vfs.open("z", { create: true });
    f.write(bytes(1, 2, 3, 4), 0);
    vfs.writeFile("z", bytes(5));
    expect(f.size()).toBe(1);
    vfs.writeFile("a", bytes(6));
    expect(vfs.list()).toEqual(["a", "z"]);
    expect([...vfs.snapshot().keys()]).toEqual(["a", "z"]);
    const copy = vfs.clone();
    f.write(bytes(8), 0);
    expect([...copy.readFile("z")]).toEqual([5]);
    expect([...vfs.readFile("z")]).toEqual([8]);
  });

  it("readonly with create on a missing file is SQLITE_CANTOPEN (nothing is created)", () => {
    const vfs = new MemoryVfs();
    expectCode(() => vfs.open("a", { readonly: true, create: true }), "SQLITE_CANTOPEN");
    expect(vfs.exists("a")).toBe(false);
  });
});
