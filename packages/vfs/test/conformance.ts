/*
 * The conformance suite every Vfs backend passes (vfs.ts invariants 1-6 and the
 * open/delete/exists contract). Not a test file itself: conformance.test.ts runs it
 * against each backend.
 */
import { describe, expect, it, beforeEach, afterEach } from "vitest";
import { SqliteError } from "@strata/common";
import type { Vfs, VfsFile } from "../src/index.js";

export interface Backend {
  vfs: Vfs;
  /** A path for a file named `name` inside this backend's scratch space. */
  path(name: string): string;
  cleanup(): void;
}

export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

export function fill(n: number, value: number): Uint8Array {
  return new Uint8Array(n).fill(value);
}

export function expectCode(fn: () => unknown, code: string): SqliteError {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SqliteError);
  expect((caught as SqliteError).code).toBe(code);
  return caught as SqliteError;
}

function readAll(f: VfsFile): Uint8Array {
  const out = new Uint8Array(f.size());
  expect(f.read(out, 0)).toBe(out.length);
  return out;
}

export function defineConformance(label: string, make: () => Backend): void {
  describe(`Vfs conformance: ${label}`, () => {
    let b: Backend;
    const open: VfsFile[] = [];
    const openFile = (name: string, options: Parameters<Vfs["open"]>[1] = { create: true }): VfsFile => {
      const f = b.vfs.open(b.path(name), options);
      open.push(f);
      return f;
    };
    beforeEach(() => {
      b = make();
    });
    afterEach(() => {
      for (const f of open.splice(0)) f.close();
      b.cleanup();
    });

    it("refuses a missing file without create, with SQLITE_CANTOPEN and SQLite's text", () => {
      const err = expectCode(() => b.vfs.open(b.path("missing.db")), "SQLITE_CANTOPEN");
      expect(err.message).toMatch(/^unable to open database file/);
      expectCode(() => b.vfs.open(b.path("missing.db"), { readonly: true }), "SQLITE_CANTOPEN");
      expect(b.vfs.exists(b.path("missing.db"))).toBe(false);
    });

    it("creates an empty file with create", () => {
      const f = openFile("a.db");
      expect(f.size()).toBe(0);
      expect(f.readonly).toBe(false);
      expect(f.path).toBe(b.path("a.db"));
      expect(b.vfs.exists(b.path("a.db"))).toBe(true);
    });

    it("reads back what it wrote, at any offset", () => {
      const f = openFile("a.db");
      f.write(bytes(1, 2, 3, 4, 5), 0);
      f.write(bytes(9, 9), 2);
      const out = new Uint8Array(5);
      expect(f.read(out, 0)).toBe(5);
      expect([...out]).toEqual([1, 2, 9, 9, 5]);
      const mid = new Uint8Array(2);
      expect(f.read(mid, 1)).toBe(2);
      expect([...mid]).toEqual([2, 9]);
      expect(f.size()).toBe(5);
    });

    it("extends the file on a write past the end, and the gap reads as zeros", () => {
      const f = openFile("a.db");
      f.write(bytes(7), 0);
      f.write(bytes(8, 8), 10);
      expect(f.size()).toBe(12);
      expect([...readAll(f)]).toEqual([7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8]);
    });

    it("an empty write changes nothing, even past the end", () => {
      const f = openFile("a.db");
      f.write(bytes(1, 2), 0);
      f.write(new Uint8Array(0), 100);
      expect(f.size()).toBe(2);
    });

    it("a short read returns the count and zero-fills the rest of the buffer", () => {
      const f = openFile("a.db");
      f.write(bytes(1, 2, 3), 0);
      const out = fill(8, 0xff);
      expect(f.read(out, 1)).toBe(2);
      expect([...out]).toEqual([2, 3, 0, 0, 0, 0, 0, 0]);
      const past = fill(4, 0xff);
      expect(f.read(past, 3)).toBe(0);
      expect(f.read(past, 1000)).toBe(0);
      expect([...past]).toEqual([0, 0, 0, 0]);
    });

    it("truncate shrinks and zero-extends; shrinking forgets the old tail", () => {
      const f = openFile("a.db");
      f.write(fill(100, 0xab), 0);
      f.truncate(10);
      expect(f.size()).toBe(10);
      f.truncate(20);
      expect(f.size()).toBe(20);
      const got = readAll(f);
      expect([...got.subarray(0, 10)]).toEqual([...fill(10, 0xab)]);
      expect([...got.subarray(10)]).toEqual([...fill(10, 0)]);
      f.write(bytes(5), 30);
      expect(f.size()).toBe(31);
      expect([...readAll(f).subarray(20, 30)]).toEqual([...fill(10, 0)]);
      f.truncate(0);
      expect(f.size()).toBe(0);
    });

    it("a large write round-trips (spans many sectors and growth steps)", () => {
      const f = openFile("a.db");
      const big = new Uint8Array(300_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      f.write(big, 12_345);
      const out = new Uint8Array(big.length);
      expect(f.read(out, 12_345)).toBe(big.length);
      expect(Buffer.compare(out, big)).toBe(0);
      expect(f.size()).toBe(12_345 + big.length);
    });

    it("sync in both modes keeps the contents", () => {
      const f = openFile("a.db", { create: true, kind: "wal" });
      f.write(bytes(1, 2, 3), 0);
      f.sync();
      f.sync("full");
      f.sync("normal");
      expect([...readAll(f)]).toEqual([1, 2, 3]);
    });

    it("two opens of one path see each other's writes", () => {
      const a = openFile("shared.db");
      const c = openFile("shared.db", {});
      a.write(bytes(1, 2, 3), 0);
      expect(c.size()).toBe(3);
      c.write(bytes(9), 1);
      const out = new Uint8Array(3);
      a.read(out, 0);
      expect([...out]).toEqual([1, 9, 3]);
      c.truncate(1);
      expect(a.size()).toBe(1);
    });

    it("data survives close and reopen", () => {
      const f = b.vfs.open(b.path("a.db"), { create: true });
      f.write(bytes(4, 5, 6), 0);
      f.sync();
      f.close();
      const g = openFile("a.db", {});
      expect([...readAll(g)]).toEqual([4, 5, 6]);
    });

    it("read-only: reads work; write and truncate fail with SQLITE_READONLY", () => {
      const w = b.vfs.open(b.path("a.db"), { create: true });
      w.write(bytes(1, 2), 0);
      w.close();
      const r = openFile("a.db", { readonly: true });
      expect(r.readonly).toBe(true);
      expect([...readAll(r)]).toEqual([1, 2]);
      const err = expectCode(() => r.write(bytes(3), 0), "SQLITE_READONLY");
      expect(err.message).toMatch(/^attempt to write a readonly database/);
      expectCode(() => r.truncate(0), "SQLITE_READONLY");
      expect([...readAll(r)]).toEqual([1, 2]);
    });

    it("a closed file throws SQLITE_MISUSE; a second close does nothing", () => {
      const f = b.vfs.open(b.path("a.db"), { create: true });
      f.close();
      f.close();
      expectCode(() => f.read(new Uint8Array(1), 0), "SQLITE_MISUSE");
      expectCode(() => f.write(bytes(1), 0), "SQLITE_MISUSE");
      expectCode(() => f.size(), "SQLITE_MISUSE");
      expectCode(() => f.sync(), "SQLITE_MISUSE");
      expectCode(() => f.truncate(0), "SQLITE_MISUSE");
    });

    it("bad offsets and sizes are SQLITE_MISUSE", () => {
      const f = openFile("a.db");
      expectCode(() => f.write(bytes(1), -1), "SQLITE_MISUSE");
      expectCode(() => f.read(new Uint8Array(1), -5), "SQLITE_MISUSE");
      expectCode(() => f.truncate(-1), "SQLITE_MISUSE");
      expectCode(() => f.write(bytes(1), 1.5), "SQLITE_MISUSE");
      expect(f.size()).toBe(0);
    });

    it("delete removes the file; deleting a missing file is fine", () => {
      const f = b.vfs.open(b.path("a.db"), { create: true });
      f.write(bytes(1), 0);
      f.close();
      expect(b.vfs.exists(b.path("a.db"))).toBe(true);
      b.vfs.delete(b.path("a.db"));
      expect(b.vfs.exists(b.path("a.db"))).toBe(false);
      b.vfs.delete(b.path("a.db"));
      b.vfs.delete(b.path("never.db"), { syncDir: true });
      expectCode(() => b.vfs.open(b.path("a.db")), "SQLITE_CANTOPEN");
      const again = openFile("a.db");
      expect(again.size()).toBe(0);
    });

    it("deleting an open file leaves the handle working on the nameless file", () => {
      const f = openFile("a.db");
      f.write(bytes(1, 2, 3), 0);
      b.vfs.delete(b.path("a.db"), { syncDir: true });
      expect(b.vfs.exists(b.path("a.db"))).toBe(false);
      f.write(bytes(4), 3);
      expect([...readAll(f)]).toEqual([1, 2, 3, 4]);
      const fresh = openFile("a.db");
      expect(fresh.size()).toBe(0);
    });
  });
}
