/*
 * MemoryVfs: files that live in one JavaScript object. Used for `:memory:`-style
 * databases, for tests, and as the image a crashed FaultyVfs leaves behind
 * (FaultyVfs.crashImage()).
 *
 * Owns: a map from path to file contents (GrowableBytes). Paths are plain keys: no
 * directories, no normalisation ("a/../b" and "b" are different files).
 *
 * Invariants (besides those of vfs.ts, which it keeps):
 *  1. Every open of the same path within one MemoryVfs shares one GrowableBytes, so
 *     two connections see each other's writes at once, as two fds on one inode do.
 *  2. delete() unlinks the path only: handles already open keep the old contents
 *     (POSIX unlink semantics); a later open with `create` starts a new, empty file.
 *  3. sync() does nothing: memory is as durable as it gets. (A crash is simulated by
 *     wrapping a MemoryVfs in a FaultyVfs, not here.)
 *  4. readFile()/snapshot() return copies; writeFile() and the constructor copy in, so
 *     no caller's array is ever aliased by a file.
 */
import type { DeleteOptions, OpenOptions, SyncMode, Vfs, VfsFile } from "./vfs.js";
import { GrowableBytes } from "./bytes.js";
import { checkOffset, closedFileError, readonlyFileError, vfsError } from "./errors.js";

export class MemoryVfs implements Vfs {
  readonly name: string = "memory";
  private readonly files = new Map<string, GrowableBytes>();

  /** A MemoryVfs holding copies of the given files (e.g. another MemoryVfs's snapshot()). */
  constructor(files?: Iterable<readonly [string, Uint8Array]>) {
    if (files) for (const [path, bytes] of files) this.files.set(path, new GrowableBytes(bytes));
  }

  open(path: string, options: OpenOptions = {}): VfsFile {
    const readonly = options.readonly === true;
    let data = this.files.get(path);
    if (data === undefined) {
      if (!options.create || readonly) throw vfsError("SQLITE_CANTOPEN", `no such file: ${path}`);
      data = new GrowableBytes();
      this.files.set(path, data);
    }
    return new MemoryFile(path, readonly, data);
  }

  delete(path: string, _options?: DeleteOptions): void {
    this.files.delete(path);
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  /** Every path, sorted. */
  list(): string[] {
    return [...this.files.keys()].sort();
  }

  /** A copy of one file's bytes; SQLITE_CANTOPEN if it does not exist. */
  readFile(path: string): Uint8Array {
    const data = this.files.get(path);
    if (data === undefined) throw vfsError("SQLITE_CANTOPEN", `no such file: ${path}`);
    return data.snapshot();
  }

  /**
   * Replaces (or creates) a file with a copy of `bytes`. Handles already open on the
   * path see the new contents (it is the same file, rewritten in place).
   */
  writeFile(path: string, bytes: Uint8Array): void {
    const data = this.files.get(path);
    if (data === undefined) {
      this.files.set(path, new GrowableBytes(bytes));
    } else {
      data.truncate(0);
      data.write(bytes, 0);
    }
  }

  /** A copy of every file, by path (sorted). */
  snapshot(): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (const path of this.list()) out.set(path, this.files.get(path)!.snapshot());
    return out;
  }

  /** An independent MemoryVfs with copies of every file. */
  clone(): MemoryVfs {
    return new MemoryVfs(this.snapshot());
  }
}

class MemoryFile implements VfsFile {
  readonly path: string;
  readonly readonly: boolean;
  private data: GrowableBytes | null;

  constructor(path: string, readonly: boolean, data: GrowableBytes) {
    this.path = path;
    this.readonly = readonly;
    this.data = data;
  }

  read(buf: Uint8Array, offset: number): number {
    const data = this.live();
    checkOffset(offset, "offset", this.path);
    return data.read(buf, offset);
  }

  write(data: Uint8Array, offset: number): void {
    const bytes = this.writable();
    checkOffset(offset, "offset", this.path);
    checkOffset(offset + data.length, "end", this.path);
    bytes.write(data, offset);
  }

  truncate(size: number): void {
    const bytes = this.writable();
    checkOffset(size, "size", this.path);
    bytes.truncate(size);
  }

  sync(_mode?: SyncMode): void {
    this.live();
  }

  size(): number {
    return this.live().size;
  }

  close(): void {
    this.data = null;
  }

  private live(): GrowableBytes {
    if (this.data === null) throw closedFileError(this.path);
    return this.data;
  }

  private writable(): GrowableBytes {
    const data = this.live();
    if (this.readonly) throw readonlyFileError(this.path);
    return data;
  }
}
