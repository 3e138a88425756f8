// Every backend passes the one conformance suite: node:fs in a temp dir, memory, and
// the fault wrapper with no faults over each of them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryVfs, FaultyVfs } from "../src/index.js";
import { NodeVfs } from "../src/node-vfs.js";
import { defineConformance, type Backend } from "./conformance.js";

function nodeBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "strata-vfs-"));
  return { vfs: new NodeVfs(), path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function memoryBackend(): Backend {
  return { vfs: new MemoryVfs(), path: (n) => n, cleanup: () => {} };
}

defineConformance("node", nodeBackend);
defineConformance("memory", memoryBackend);
defineConformance("faulty(memory), no faults", () => {
  const b = memoryBackend();
  return { ...b, vfs: new FaultyVfs(b.vfs) };
});
defineConformance("faulty(node), no faults", () => {
  const b = nodeBackend();
  return { ...b, vfs: new FaultyVfs(b.vfs) };
});
