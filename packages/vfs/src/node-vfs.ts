/*
 * NodeVfs: files on disk through node:fs, synchronous calls only (openSync, readSync,
 * writeSync, ftruncateSync, fsyncSync/fdatasyncSync, fstatSync, unlinkSync), as
 * SQLite's os_unix.c does through open/pread/pwrite/ftruncate/fdatasync/fstat/unlink.
 *
 * This file and lock.ts are the only ones in the package that import node:*; they are
 * reached through the "@strata/vfs/node" entry, so "@strata/vfs" stays loadable in a
 * browser.
 *
 * Error mapping (SQLite's, from unixOpen / unixRead / unixWrite / unixSync / unixTruncate):
 *   open   ENOENT (no create)          -> SQLITE_CANTOPEN      "unable to open database file"
 *          EISDIR, or a directory       -> SQLITE_CANTOPEN_ISDIR
 *          EACCES/EPERM/EROFS on an existing file opened read-write
 *                                       -> retried read-only; the file reports readonly=true
 *                                          and every write is SQLITE_READONLY (as unixOpen
 *                                          falls back to O_RDONLY)
 *          EACCES creating a journal or WAL in an unwritable directory
 *                                       -> SQLITE_READONLY_DIRECTORY
 *          anything else                -> SQLITE_CANTOPEN
 *   read   -> SQLITE_IOERR_READ   (a short read is not an error: vfs.ts invariant 1)
 *   write  ENOSPC/EDQUOT/EFBIG -> SQLITE_FULL, else SQLITE_IOERR_WRITE
 *   sync   -> SQLITE_IOERR_FSYNC; directory fsync -> SQLITE_IOERR_DIR_FSYNC
 *   truncate -> SQLITE_IOERR_TRUNCATE (ENOSPC/EFBIG when growing -> SQLITE_FULL)
 *   size   -> SQLITE_IOERR_FSTAT;  close -> SQLITE_IOERR_CLOSE
 *   delete -> SQLITE_IOERR_DELETE (a missing file is fine);  exists -> SQLITE_IOERR_ACCESS
 * Each error's message is SQLite's text for the code plus "(<op> <path>: <errno>)", and
 * its `cause` is the node error.
 *
 * Invariants:
 *  1. A handle owns exactly one fd from open() until close(); close() releases it even
 *     when the close call fails.
 *  2. The first sync() of a journal or WAL that this open created also fsyncs the
 *     directory (SQLite's UNIXFILE_DIRSYNC), so the new file's name is durable too.
 *  3. sync("normal") is fdatasync, sync("full") is fsync (os_unix.c uses fdatasync for
 *     both on Linux; we keep the stronger call for "full").
 */
import * as nodeFs from "node:fs";
import { dirname } from "node:path";
import type { SqliteError, ResultCodeName } from "@strata/common";
import type { DeleteOptions, FileKind, OpenOptions, SyncMode, Vfs, VfsFile } from "./vfs.js";
import { checkOffset, closedFileError, errnoOf, readonlyFileError, vfsError } from "./errors.js";

export { acquireProcessLock, readLockHolder, lockPathFor, type ProcessLock, type LockHolder, type AcquireLockOptions } from "./lock.js";

/** The part of node:fs NodeVfs uses; tests hand in a wrapper that fails chosen calls. */
export interface NodeFs {
  openSync: typeof nodeFs.openSync;
  closeSync: typeof nodeFs.closeSync;
  readSync: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => number;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => number;
  ftruncateSync: typeof nodeFs.ftruncateSync;
  fsyncSync: typeof nodeFs.fsyncSync;
  fdatasyncSync: typeof nodeFs.fdatasyncSync;
  fstatSync: (fd: number) => nodeFs.Stats;
  statSync: (path: string, options: { throwIfNoEntry: false }) => nodeFs.Stats | undefined;
  unlinkSync: typeof nodeFs.unlinkSync;
}

export interface NodeVfsOptions {
  /** The fs implementation (default node:fs); for tests that inject failures. */
  fs?: NodeFs;
}

const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL } = nodeFs.constants;

function nodeError(code: ResultCodeName, op: string, path: string, e: unknown): SqliteError {
  return vfsError(code, `${op} ${path}: ${errnoOf(e)}`, e);
}

const FULL_ERRNOS = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);
const PERMISSION_ERRNOS = new Set(["EACCES", "EPERM", "EROFS"]);

export class NodeVfs implements Vfs {
  readonly name: string = "node";
  private readonly fs: NodeFs;

  constructor(options: NodeVfsOptions = {}) {
    this.fs = options.fs ?? (nodeFs as unknown as NodeFs);
  }

  open(path: string, options: OpenOptions = {}): VfsFile {
    const fs = this.fs;
    const kind: FileKind = options.kind ?? "other";
    if (options.readonly) {
      const fd = this.openFd(path, O_RDONLY, kind, false);
      return this.finishOpen(fd, path, true, false, kind);
    }
    try {
      return this.finishOpen(fs.openSync(path, O_RDWR), path, false, false, kind);
    } catch (e) {
      const errno = errnoOf(e);
      if (errno === "ENOENT" && options.create) {
        try {
          return this.finishOpen(fs.openSync(path, O_RDWR | O_CREAT | O_EXCL, 0o644), path, false, true, kind);
        } catch (e2) {
          // Lost a race with another creator: the file exists now, open it plainly.
          if (errnoOf(e2) === "EEXIST") return this.finishOpen(this.openFd(path, O_RDWR, kind, false), path, false, false, kind);
          throw this.openError(e2, path, kind, true);
        }
      }
      if (PERMISSION_ERRNOS.has(errno)) {
        // As unixOpen: a file we may not write is opened read-only instead.
        const fd = this.openFd(path, O_RDONLY, kind, false);
        return this.finishOpen(fd, path, true, false, kind);
      }
      throw this.openError(e, path, kind, false);
    }
  }

  delete(path: string, options: DeleteOptions = {}): void {
    try {
      this.fs.unlinkSync(path);
    } catch (e) {
      if (errnoOf(e) === "ENOENT") return;
      throw nodeError("SQLITE_IOERR_DELETE", "unlink", path, e);
    }
    if (options.syncDir) syncDirectory(this.fs, path);
  }

  exists(path: string): boolean {
    try {
      return this.fs.statSync(path, { throwIfNoEntry: false }) !== undefined;
    } catch (e) {
      throw nodeError("SQLITE_IOERR_ACCESS", "stat", path, e);
    }
  }

  private openFd(path: string, flags: number, kind: FileKind, creating: boolean): number {
    try {
      return this.fs.openSync(path, flags);
    } catch (e) {
      throw this.openError(e, path, kind, creating);
    }
  }

  private openError(e: unknown, path: string, kind: FileKind, creating: boolean): SqliteError {
    const errno = errnoOf(e);
    if (errno === "EISDIR") return nodeError("SQLITE_CANTOPEN_ISDIR", "open", path, e);
    if (creating && errno === "EACCES" && (kind === "journal" || kind === "wal")) {
      return nodeError("SQLITE_READONLY_DIRECTORY", "open", path, e);
    }
    return nodeError("SQLITE_CANTOPEN", "open", path, e);
  }

  private finishOpen(fd: number, path: string, readonly: boolean, created: boolean, kind: FileKind): VfsFile {
    let isDir = false;
    try {
      isDir = this.fs.fstatSync(fd).isDirectory();
    } catch (e) {
      closeQuietly(this.fs, fd);
      throw nodeError("SQLITE_CANTOPEN", "fstat", path, e);
    }
    if (isDir) {
      closeQuietly(this.fs, fd);
      throw vfsError("SQLITE_CANTOPEN_ISDIR", `open ${path}: EISDIR`);
    }
    const syncDir = created && (kind === "journal" || kind === "wal");
    return new NodeFile(this.fs, fd, path, readonly, syncDir);
  }
}

function closeQuietly(fs: NodeFs, fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The open already failed; its error is the one to report.
  }
}

/**
 * fsyncs the directory holding `path`, as SQLite's unixSync/unixDelete do. Failing to
 * open the directory is ignored (SQLite does the same: some systems cannot); a failed
 * fsync is SQLITE_IOERR_DIR_FSYNC.
 */
function syncDirectory(fs: NodeFs, path: string): void {
  const dir = dirname(path);
  let fd: number;
  try {
    fd = fs.openSync(dir, O_RDONLY);
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    throw nodeError("SQLITE_IOERR_DIR_FSYNC", "fsync", dir, e);
  } finally {
    closeQuietly(fs, fd);
  }
}

class NodeFile implements VfsFile {
  readonly path: string;
  readonly readonly: boolean;
  private fd: number;
  private syncDir: boolean;
  private readonly fs: NodeFs;

  constructor(fs: NodeFs, fd: number, path: string, readonly: boolean, syncDir: boolean) {
    this.fs = fs;
    this.fd = fd;
    this.path = path;
    this.readonly = readonly;
    this.syncDir = syncDir;
  }

  read(buf: Uint8Array, offset: number): number {
    const fd = this.live();
    checkOffset(offset, "offset", this.path);
    let done = 0;
    try {
      while (done < buf.length) {
        const n = this.fs.readSync(fd, buf, done, buf.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
    } catch (e) {
      throw nodeError("SQLITE_IOERR_READ", "read", this.path, e);
    }
    if (done < buf.length) buf.fill(0, done);
    return done;
  }

  write(data: Uint8Array, offset: number): void {
    const fd = this.writableFd();
    checkOffset(offset, "offset", this.path);
    let done = 0;
    try {
      while (done < data.length) {
        const n = this.fs.writeSync(fd, data, done, data.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
    } catch (e) {
      throw nodeError(FULL_ERRNOS.has(errnoOf(e)) ? "SQLITE_FULL" : "SQLITE_IOERR_WRITE", "write", this.path, e);
    }
    if (done < data.length) {
      // pwrite made no progress without an error: unixWrite reports that as a full disk.
      throw vfsError("SQLITE_FULL", `write ${this.path}: wrote ${done} of ${data.length} bytes`);
    }
  }

  truncate(size: number): void {
    const fd = this.writableFd();
    checkOffset(size, "size", this.path);
    try {
      this.fs.ftruncateSync(fd, size);
    } catch (e) {
      throw nodeError(FULL_ERRNOS.has(errnoOf(e)) ? "SQLITE_FULL" : "SQLITE_IOERR_TRUNCATE", "ftruncate", this.path, e);
    }
  }

  sync(mode: SyncMode = "normal"): void {
    const fd = this.live();
    try {
      if (mode === "full") this.fs.fsyncSync(fd);
      else this.fs.fdatasyncSync(fd);
    } catch (e) {
      throw nodeError("SQLITE_IOERR_FSYNC", mode === "full" ? "fsync" : "fdatasync", this.path, e);
    }
    if (this.syncDir) {
      syncDirectory(this.fs, this.path);
      this.syncDir = false;
    }
  }

  size(): number {
    const fd = this.live();
    try {
      return this.fs.fstatSync(fd).size;
    } catch (e) {
      throw nodeError("SQLITE_IOERR_FSTAT", "fstat", this.path, e);
    }
  }

  close(): void {
    const fd = this.fd;
    if (fd < 0) return;
    this.fd = -1; // invariant 1: released even if closeSync throws
    try {
      this.fs.closeSync(fd);
    } catch (e) {
      throw nodeError("SQLITE_IOERR_CLOSE", "close", this.path, e);
    }
  }

  private live(): number {
    if (this.fd < 0) throw closedFileError(this.path);
    return this.fd;
  }

  private writableFd(): number {
    const fd = this.live();
    if (this.readonly) throw readonlyFileError(this.path);
    return fd;
  }
}
