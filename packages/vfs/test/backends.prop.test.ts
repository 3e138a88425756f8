// Random sequences of file operations give the same results on the memory backend,
// on node:fs, and through the fault wrapper with no faults (the memory backend is a
// faithful stand-in for a disk in every test above it).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { FaultyVfs, MemoryVfs, type Vfs, type VfsFile } from "../src/index.js";
import { NodeVfs } from "../src/node-vfs.js";

type Op =
  | { t: "write"; h: number; offset: number; len: number; byte: number }
  | { t: "read"; h: number; offset: number; len: number }
  | { t: "truncate"; h: number; size: number }
  | { t: "sync"; h: number }
  | { t: "size"; h: number }
  | { t: "reopen"; h: number }
  | { t: "delete" };

const h = fc.nat(2); // three handles: two on file 0, one on file 1
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("write" as const), h, offset: fc.nat(20_000), len: fc.nat(5000), byte: fc.nat(255) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("read" as const), h, offset: fc.nat(26_000), len: fc.nat(6000) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("truncate" as const), h, size: fc.nat(24_000) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("sync" as const), h }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("size" as const), h }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("reopen" as const), h }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("delete" as const)}) },
);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs ops on one Vfs and returns everything observable, as a transcript. */
function transcript(vfs: Vfs, path: (n: string) => string, ops: Op[]): unknown[] {
  const names = [path("f0"), path("f0"), path("f1")];
  const handles: VfsFile[] = names.map((n) => vfs.open(n, { create: true }));
  const out: unknown[] = [];
  for (const op of ops) {
    if (op.t === "delete") {
      vfs.delete(names[2]!);
      out.push(vfs.exists(names[2]!));
      continue;
    }
    const f = handles[op.h]!;
    switch (op.t) {
      case "write":
        f.write(new Uint8Array(op.len).fill(op.byte), op.offset);
        break;
      case "read": {
        const buf = new Uint8Array(op.len).fill(0xee);
        out.push(f.read(buf, op.offset), Buffer.from(buf).toString("base64"));
        break;
      }
      case "truncate":
        f.truncate(op.size);
        break;
      case "sync":
        f.sync();
        break;
      case "size":
        out.push(f.size());
        break;
      case "reopen":
        f.close();
        handles[op.h] = vfs.open(names[op.h]!, { create: true });
        break;
    }
  }
  for (const f of handles) {
    const buf = new Uint8Array(f.size());
    f.read(buf, 0);
    out.push(Buffer.from(buf).toString("base64"));
    f.close();
  }
  return out;
}

describe("backends agree (property)", () => {
  it("memory, node and faulty(memory) give the same transcript for any op sequence", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const dir = mkdtempSync(join(tmpdir(), "strata-vfs-prop-"));
        dirs.push(dir);
        const onNode = transcript(new NodeVfs(), (n) => join(dir, n), ops);
        const onMemory = transcript(new MemoryVfs(), (n) => n, ops);
        const onFaulty = transcript(new FaultyVfs(new MemoryVfs()), (n) => n, ops);
        rmSync(dir, { recursive: true, force: true });
        expect(onMemory).toEqual(onNode);
        expect(onFaulty).toEqual(onNode);
      }),
      { numRuns: 150 },
    );
  });
});
