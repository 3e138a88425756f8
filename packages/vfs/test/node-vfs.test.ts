// NodeVfs beyond the conformance suite: SQLite's error codes for each failing call
// (through an fs wrapper that fails chosen calls with a chosen errno, since tests run
// as root where chmod cannot make a file unwritable), directories, and fsync choice.
import * as fs from "node:fs";
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NodeVfs, type NodeFs } from "../src/node-vfs.js";
import { bytes, expectCode } from "./conformance.js";

type Method = keyof NodeFs;

/** Real node:fs, except that calls of `failing` methods (matching `when`) throw `errno`. */
function faultyFs(failing: Partial<Record<Method, string>>, calls: string[] = [], when: (args: unknown[]) => boolean = () => true): NodeFs {
  const real = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
  const out: Record<string, unknown> = {};
  for (const m of ["openSync", "closeSync", "readSync", "writeSync", "ftruncateSync", "fsyncSync", "fdatasyncSync", "fstatSync", "statSync", "unlinkSync"] as Method[]) {
    out[m] = (...args: unknown[]) => {
      calls.push(m);
      const errno = failing[m];
      if (errno !== undefined && when(args)) {
        throw Object.assign(new Error(`${errno}: injected (${m})`), { code: errno });
      }
      return real[m]!(...args);
    };
  }
  return out as unknown as NodeFs;
}

describe("NodeVfs", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "strata-nodevfs-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const p = (n: string) => join(dir, n);
  const seed = (n: string, content = "hello") => writeFileSync(p(n), content);

  it("writes real bytes to disk", () => {
    const f = new NodeVfs().open(p("a.db"), { create: true });
    f.write(bytes(0x53, 0x51, 0x4c), 0);
    f.sync();
    f.close();
    expect(readFileSync(p("a.db")).toString("latin1")).toBe("SQL");
  });

  it("a directory is SQLITE_CANTOPEN_ISDIR, read-write or read-only", () => {
    mkdirSync(p("d"));
    expectCode(() => new NodeVfs().open(p("d")), "SQLITE_CANTOPEN_ISDIR");
    expectCode(() => new NodeVfs().open(p("d"), { readonly: true }), "SQLITE_CANTOPEN_ISDIR");
    expectCode(() => new NodeVfs().open(p("d"), { create: true }), "SQLITE_CANTOPEN_ISDIR");
  });

  it("a missing directory on the path is SQLITE_CANTOPEN even with create", () => {
    const err = expectCode(() => new NodeVfs().open(p("no/such/dir.db"), { create: true }), "SQLITE_CANTOPEN");
    expect(err.message).toBe(`unable to open database file (open ${p("no/such/dir.db")}: ENOENT)`);
    expect((err.cause as { code: string }).code).toBe("ENOENT");
  });

  for (const errno of ["EACCES", "EROFS", "EPERM"]) {
    it(`an existing file that cannot be opened read-write (${errno}) opens read-only, as unixOpen does`, () => {
      seed("a.db");
      const vfs = new NodeVfs({ fs: faultyFs({ openSync: errno }, [], (a) => a[1] !== fs.constants.O_RDONLY) });
      const f = vfs.open(p("a.db"));
      expect(f.readonly).toBe(true);
      const out = new Uint8Array(5);
      expect(f.read(out, 0)).toBe(5);
      expect(Buffer.from(out).toString()).toBe("hello");
      expectCode(() => f.write(bytes(1), 0), "SQLITE_READONLY");
      f.close();
    });
  }

  it("EACCES creating a journal or WAL is SQLITE_READONLY_DIRECTORY; a main db is SQLITE_CANTOPEN", () => {
    // An unwritable directory: opening a missing file is ENOENT, creating it EACCES.
    const creating = (a: unknown[]) => ((a[1] as number) & fs.constants.O_CREAT) !== 0;
    const vfs = new NodeVfs({ fs: faultyFs({ openSync: "EACCES" }, [], creating) });
    expectCode(() => vfs.open(p("a.db-journal"), { create: true, kind: "journal" }), "SQLITE_READONLY_DIRECTORY");
    expectCode(() => vfs.open(p("a.db-wal"), { create: true, kind: "wal" }), "SQLITE_READONLY_DIRECTORY");
    expectCode(() => vfs.open(p("a.db"), { create: true, kind: "main-db" }), "SQLITE_CANTOPEN");
  });

  it("EMFILE on open is SQLITE_CANTOPEN", () => {
    seed("a.db");
    expectCode(() => new NodeVfs({ fs: faultyFs({ openSync: "EMFILE" }) }).open(p("a.db")), "SQLITE_CANTOPEN");
  });

  const ioCases: { name: string; method: Method; errno: string; code: string; run: (f: ReturnType<NodeVfs["open"]>) => unknown }[] = [
    { name: "read error", method: "readSync", errno: "EIO", code: "SQLITE_IOERR_READ", run: (f) => f.read(new Uint8Array(4), 0) },
    { name: "write error", method: "writeSync", errno: "EIO", code: "SQLITE_IOERR_WRITE", run: (f) => f.write(bytes(1, 2), 0) },
    { name: "full disk", method: "writeSync", errno: "ENOSPC", code: "SQLITE_FULL", run: (f) => f.write(bytes(1, 2), 0) },
    { name: "quota", method: "writeSync", errno: "EDQUOT", code: "SQLITE_FULL", run: (f) => f.write(bytes(1, 2), 0) },
    { name: "fdatasync error", method: "fdatasyncSync", errno: "EIO", code: "SQLITE_IOERR_FSYNC", run: (f) => f.sync() },
    { name: "fsync error", method: "fsyncSync", errno: "EIO", code: "SQLITE_IOERR_FSYNC", run: (f) => f.sync("full") },
    { name: "truncate error", method: "ftruncateSync", errno: "EIO", code: "SQLITE_IOERR_TRUNCATE", run: (f) => f.truncate(1) },
    { name: "truncate growing on a full disk", method: "ftruncateSync", errno: "ENOSPC", code: "SQLITE_FULL", run: (f) => f.truncate(1 << 20) },
    { name: "fstat error", method: "fstatSync", errno: "EIO", code: "SQLITE_IOERR_FSTAT", run: (f) => f.size() },
    { name: "close error", method: "closeSync", errno: "EIO", code: "SQLITE_IOERR_CLOSE", run: (f) => f.close() },
  ];
  for (const c of ioCases) {
    it(`${c.name} (${c.errno}) is ${c.code} with SQLite's text`, () => {
      seed("a.db");
      let armed = false;
      const vfs = new NodeVfs({ fs: faultyFs({ [c.method]: c.errno }, [], () => armed) });
      const f = vfs.open(p("a.db"));
      armed = true;
      const err = expectCode(() => c.run(f), c.code);
      expect(err.message).toContain(p("a.db"));
      expect(err.message).toContain(c.errno);
      armed = false;
      f.close();
    });
  }

  it("a write that makes no progress is SQLITE_FULL", () => {
    seed("a.db");
    const stuck = { ...(fs as unknown as NodeFs), writeSync: () => 0 } as NodeFs;
    const f = new NodeVfs({ fs: stuck }).open(p("a.db"));
    expectCode(() => f.write(bytes(1, 2, 3), 0), "SQLITE_FULL");
    f.close();
  });

  it("a file whose close failed is still closed (its fd is released once)", () => {
    seed("a.db");
    const calls: string[] = [];
    const f = new NodeVfs({ fs: faultyFs({ closeSync: "EIO" }, calls) }).open(p("a.db"));
    expectCode(() => f.close(), "SQLITE_IOERR_CLOSE");
    f.close();
    expect(calls.filter((c) => c === "closeSync")).toHaveLength(1);
    expectCode(() => f.size(), "SQLITE_MISUSE");
  });

  it("delete errors other than ENOENT are SQLITE_IOERR_DELETE; stat errors SQLITE_IOERR_ACCESS", () => {
    seed("a.db");
    expectCode(() => new NodeVfs({ fs: faultyFs({ unlinkSync: "EBUSY" }) }).delete(p("a.db")), "SQLITE_IOERR_DELETE");
    new NodeVfs({ fs: faultyFs({ unlinkSync: "ENOENT" }) }).delete(p("a.db"));
    expectCode(() => new NodeVfs({ fs: faultyFs({ statSync: "EACCES" }) }).exists(p("a.db")), "SQLITE_IOERR_ACCESS");
  });

  it("sync('normal') is fdatasync, sync('full') is fsync; a new journal's first sync also syncs its directory", () => {
    const calls: string[] = [];
    const vfs = new NodeVfs({ fs: faultyFs({}, calls) });
    const j = vfs.open(p("a.db-journal"), { create: true, kind: "journal" });
    j.write(bytes(1), 0);
    calls.length = 0;
    j.sync();
    // fdatasync of the file, then open + fsync + close of the directory.
    expect(calls).toEqual(["fdatasyncSync", "openSync", "fsyncSync", "closeSync"]);
    calls.length = 0;
    j.sync("full");
    expect(calls).toEqual(["fsyncSync"]);
    j.close();

    seed("b.db");
    const db = vfs.open(p("b.db"), { kind: "main-db" });
    calls.length = 0;
    db.sync();
    expect(calls).toEqual(["fdatasyncSync"]);
    db.close();
  });

  it("a failed directory fsync is SQLITE_IOERR_DIR_FSYNC; delete with syncDir syncs the directory", () => {
    seed("a.db");
    const calls: string[] = [];
    new NodeVfs({ fs: faultyFs({}, calls) }).delete(p("a.db"), { syncDir: true });
    expect(calls).toEqual(["unlinkSync", "openSync", "fsyncSync", "closeSync"]);
    seed("a.db");
    expectCode(() => new NodeVfs({ fs: faultyFs({ fsyncSync: "EIO" }) }).delete(p("a.db"), { syncDir: true }), "SQLITE_IOERR_DIR_FSYNC");
    expect(fs.existsSync(p("a.db"))).toBe(false);
  });
});
