/*
 * The process lock: "One process owns a file" (../../../shared/design.md). Node has no
 * POSIX byte-range locks, so instead of SQLite's fcntl locks a database is owned by
 * one process through a lock file beside it, `<db>-lock`, created with O_CREAT|O_EXCL
 * and holding the owner's pid, hostname, start time and a random token (JSON). Inside
 * the owning process, connections share the lock (reference counted); the layers
 * above do their own finer locking between those connections.
 *
 * Node-only (node:fs, node:os); reached through "@strata/vfs/node".
 *
 * States of one database path, as seen by acquireProcessLock():
 *
 *   no lock file ──create O_EXCL──▶ held by us (refs=1) ──acquire same owner──▶ refs+1
 *        ▲                             │ release (refs→0): unlink if the token is ours
 *        └─────────────────────────────┘
 *   lock file of a live process, or of another host, or another owner here ──▶ SQLITE_BUSY
 *   lock file of a dead pid on this host (kill(pid,0) → ESRCH) ──▶ stale: taken over
 *   lock file unreadable (a writer died between create and write) and older than
 *   STALE_UNREADABLE_MS ──▶ stale: taken over; younger ──▶ SQLITE_BUSY
 *
 * Invariants:
 *  1. At most one live lock file per database path; it is only ever created with
 *     O_EXCL, so two processes cannot both create it.
 *  2. A stale lock is taken over by renaming it aside first (atomic) and checking that
 *     the renamed file is byte-for-byte the one judged stale; if a fresh lock slipped
 *     in between, it is linked back and the acquisition retried, so a live owner's
 *     lock is never silently deleted.
 *  3. release() removes the lock file only if it still holds our token.
 *  4. Locks still held when the process exits normally are removed by an 'exit' hook;
 *     a killed process leaves its file behind, which the next owner recovers (pid
 *     reuse can make such a file look live: then it is SQLITE_BUSY, never a shared
 *     owner; delete the file by hand).
 */
import * as fs from "node:fs";
import { hostname as osHostname } from "node:os";
import { resolve } from "node:path";
import { SqliteError } from "@strata/common";
import { errnoOf } from "./errors.js";

/** Who holds a lock, as written in the lock file. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO-8601 time the lock was taken. */
  startedAt: string;
  /** The owner name given to acquireProcessLock (default "default"). */
  owner: string;
  /** Random per acquisition; proves a lock file is ours before we remove it. */
  token: string;
}

export interface AcquireLockOptions {
  /**
   * Owners in one process share a lock when their names are equal (the default owner,
   * "default", is shared by every caller that gives none); a different owner gets
   * SQLITE_BUSY as another process would. Tests use it to play two processes.
   */
  owner?: string;
}

export interface ProcessLock {
  /** The database path, absolute. */
  readonly dbPath: string;
  /** The lock file, `<db>-lock`. */
  readonly lockPath: string;
  readonly holder: LockHolder;
  readonly released: boolean;
  /** Drops this reference; the last one removes the lock file. A second call does nothing. */
  release(): void;
}

/** Milliseconds after which an unreadable lock file counts as stale. */
const STALE_UNREADABLE_MS = 5000;
const MAX_ATTEMPTS = 5;

interface Held {
  holder: LockHolder;
  lockPath: string;
  refs: number;
}

const held = new Map<string, Held>();
let exitHookInstalled = false;

/** The lock file's path for a database path. */
export function lockPathFor(dbPath: string): string {
  return `${resolve(dbPath)}-lock`;
}

/** The holder written in `<db>-lock`, or null when there is no readable lock file. */
export function readLockHolder(dbPath: string): LockHolder | null {
  const text = readText(lockPathFor(dbPath));
  return text === null ? null : parseHolder(text);
}

/**
 * Takes the process lock of `dbPath`, or throws SqliteError SQLITE_BUSY naming the
 * holder ("database is locked (held by pid 123 on host h since …)").
 */
export function acquireProcessLock(dbPath: string, options: AcquireLockOptions = {}): ProcessLock {
  const abs = resolve(dbPath);
  const owner = options.owner ?? "default";
  const mine = held.get(abs);
  if (mine !== undefined) {
    if (mine.holder.owner !== owner) throw busy(abs, mine.holder, "another owner in this process");
    mine.refs++;
    return new LockHandle(abs, mine);
  }
  const lockPath = lockPathFor(abs);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: osHostname(),
    startedAt: new Date().toISOString(),
    owner,
    token: randomToken(),
  };
  const text = JSON.stringify(holder);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (tryCreate(lockPath, text)) {
      const entry: Held = { holder, lockPath, refs: 1 };
      held.set(abs, entry);
      installExitHook();
      return new LockHandle(abs, entry);
    }
    const existing = readText(lockPath);
    if (existing === null) continue; // vanished between our create and read: try again
    const other = parseHolder(existing);
    if (other === null) {
      if (ageMs(lockPath) < STALE_UNREADABLE_MS) throw busy(abs, null, "lock file being written or unreadable");
    } else if (isLive(other)) {
      throw busy(abs, other, null);
    }
    takeOverStale(lockPath, existing);
  }
  throw busy(abs, readLockHolder(abs), "lock changed hands repeatedly");
}

class LockHandle implements ProcessLock {
  readonly dbPath: string;
  readonly lockPath: string;
  readonly holder: LockHolder;
  released = false;
  private readonly entry: Held;

  constructor(dbPath: string, entry: Held) {
    this.dbPath = dbPath;
    this.lockPath = entry.lockPath;
    this.holder = entry.holder;
    this.entry = entry;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (--this.entry.refs > 0) return;
    if (held.get(this.dbPath) === this.entry) held.delete(this.dbPath);
    removeIfOurs(this.entry);
  }
}

function tryCreate(lockPath: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  } catch (e) {
    if (errnoOf(e) === "EEXIST") return false;
    throw lockIoError(lockPath, e);
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    try { fs.unlinkSync(lockPath); } catch { /* reported below */ }
    throw lockIoError(lockPath, e);
  }
  fs.closeSync(fd);
  return true;
}

function takeOverStale(lockPath: string, staleText: string): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomToken()}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (e) {
    if (errnoOf(e) === "ENOENT") return; // someone else removed it; retry the create
    throw lockIoError(lockPath, e);
  }
  const moved = readText(aside);
  if (moved !== staleText) {
    // Invariant 2: we moved a lock that is not the stale one. Put it back unless a
    // newer one has appeared meanwhile (link fails with EEXIST then).
    try { fs.linkSync(aside, lockPath); } catch { /* the retry sees whichever lock is there */ }
  }
  try { fs.unlinkSync(aside); } catch { /* already gone */ }
}

function removeIfOurs(entry: Held): void {
  const text = readText(entry.lockPath);
  if (text === null) return;
  const now = parseHolder(text);
  if (now === null || now.token !== entry.holder.token) return; // invariant 3
  try {
    fs.unlinkSync(entry.lockPath);
  } catch (e) {
    if (errnoOf(e) !== "ENOENT") throw lockIoError(entry.lockPath, e);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const entry of held.values()) {
      try { removeIfOurs(entry); } catch { /* exiting: nothing more to do */ }
    }
    held.clear();
  });
}

/** True unless the holder is on this host and its pid is gone (ESRCH). */
function isLive(h: LockHolder): boolean {
  if (h.hostname !== osHostname()) return true; // cannot tell: assume alive
  if (h.pid === process.pid) return true; // e.g. a second copy of this module loaded here
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) !== "ESRCH"; // EPERM: alive, owned by someone else
  }
}

function busy(dbPath: string, h: LockHolder | null, why: string | null): SqliteError {
  const who = h === null
    ? "held by an unknown process"
    : `held by pid ${h.pid} on host ${h.hostname} since ${h.startedAt}${h.owner !== "default" ? `, owner ${h.owner}` : ""}`;
  return new SqliteError("SQLITE_BUSY", `database is locked (${who}${why ? `; ${why}` : ""}: ${dbPath})`);
}

function lockIoError(lockPath: string, e: unknown): SqliteError {
  const err = new SqliteError("SQLITE_IOERR_LOCK", `disk I/O error (lock file ${lockPath}: ${errnoOf(e)})`);
  err.cause = e;
  return err;
}

function readText(path: string): string | null {
  try {
    return fs.readFileSync(path, "utf8");
  } catch (e) {
    if (errnoOf(e) === "ENOENT") return null;
    throw lockIoError(path, e);
  }
}

function ageMs(path: string): number {
  const st = fs.statSync(path, { throwIfNoEntry: false });
  return st === undefined ? 0 : Date.now() - st.mtimeMs;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== "number" || typeof v.hostname !== "string" || typeof v.token !== "string") return null;
    return {
      pid: v.pid,
      hostname: v.hostname,
      startedAt: typeof v.startedAt === "string" ? v.startedAt : "?",
      owner: typeof v.owner === "string" ? v.owner : "default",
      token: v.token,
    };
  } catch {
    return null;
  }
}

function randomToken(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
