/*
 * FaultyVfs: a fault-injecting wrapper over any Vfs, for crash tests, in the spirit of
 * SQLite's src/test6.c (which simulates power loss by keeping unsynced writes in a
 * write-list and, at a crash, writing each one whole, not at all, or as trashed
 * sectors).
 *
 * Owns: a numbered list of cut points, the fault rules, and, per file, the durable
 * image (what the disk is sure to hold) plus the writes and truncates made since the
 * file's last sync.
 *
 * Cut points. Every mutating call is a cut point, numbered from 1 in call order across
 * the whole Vfs (`cut`) and per path (`fileCut`): write(), sync(), truncate(), and
 * Vfs.delete(). Reads, size() and open() are not: they change nothing on disk. The
 * `log` records every cut point (kind, path, file kind, offset, length, fault applied).
 *
 * Faults (a FaultRule fires at the at-th cut point that matches its path/kind filter):
 *   fail         the call throws SqliteError (default SQLITE_IOERR_WRITE /
 *                SQLITE_IOERR_FSYNC / SQLITE_IOERR_TRUNCATE / SQLITE_IOERR_DELETE by kind,
 *                or the rule's code, e.g. SQLITE_FULL); the call has no effect
 *   tear         (writes) only the first `keep` bytes reach the file; the call returns
 *   tear-sectors (writes) only some of the sectors the write covers reach the file
 *   drop         the call returns but does nothing (a sync that lies: nothing becomes
 *                durable; a write or truncate that is lost; a delete that is not done)
 *   crash        power is lost during this call: it does not complete (an in-flight
 *                write joins the unsynced writes) and this and every later call on the
 *                Vfs and its files throws SimulatedCrashError, except close(), which
 *                quietly releases the inner handle so tests can clean up.
 *
 * The durable image (durableImage / crashImage), per file that was opened through this
 * Vfs and not deleted: its synced contents, then each unsynced write or truncate in
 * order, which under the "random" policy survives whole, is lost, or (writes) is torn
 * into a random subset of its sectors, optionally with the lost sectors trashed with
 * garbage as test6.c does. The choices come from a PRNG seeded by (seed, path), so an
 * image is a pure function of the workload, the seed and the policy.
 *
 * Invariants:
 *  1. The inner Vfs holds exactly what a process would read back: every write that was
 *     not failed, dropped or crashed (torn writes in their torn form).
 *  2. A file's durable image changes only at a successful sync() of that file, at
 *     its creation (empty) and at its deletion (gone): creation and deletion are
 *     durable at once, as in test6.c.
 *  3. Under "lose-unsynced" the image is exactly the durable image; under any policy,
 *     every byte of the image is a synced byte, a byte of an unsynced write at that
 *     position, a zero (a file extended by an unsynced write), or garbage only when
 *     `crash.garbage` is on. Nothing unsynced ever becomes part of the durable image
 *     itself.
 *  4. Determinism: the same workload with the same options gives the same log, the
 *     same faults and the same images.
 */
import { SqliteError, type ResultCodeName } from "@strata/common";
import type { DeleteOptions, FileKind, OpenOptions, SyncMode, Vfs, VfsFile } from "./vfs.js";
import { GrowableBytes } from "./bytes.js";
import { MemoryVfs } from "./memory-vfs.js";
import { Prng, seedFor } from "./prng.js";
import { checkOffset, closedFileError, readonlyFileError, vfsError } from "./errors.js";

/** The calls that are cut points. */
export type CutKind = "write" | "sync" | "truncate" | "delete";

/** What happens at the cut point where a rule fires (see the header comment). */
export type Fault =
  | { kind: "fail"; code?: ResultCodeName }
  | { kind: "tear"; keep: number }
  | { kind: "tear-sectors"; keep?: readonly number[] }
  | { kind: "drop" }
  | { kind: "crash" };

export interface FaultRule {
  /** Fires at the at-th (1-based) cut point that matches `path` and `kind`. */
  at: number;
  /** Only cut points on this path count (default: all). */
  path?: string;
  /** Only cut points of this kind count (default: all). */
  kind?: CutKind;
  fault: Fault;
  /** Keep firing at every later matching cut point too (e.g. a disk that stays full). */
  persist?: boolean;
}

/** One entry of the log. */
export interface CutPoint {
  /** 1-based, across the Vfs. */
  cut: number;
  /** 1-based, among this path's cut points. */
  fileCut: number;
  kind: CutKind;
  path: string;
  fileKind: FileKind;
  /** A write's offset; a truncate's new size; 0 for sync and delete. */
  offset: number;
  /** A write's length; 0 otherwise. */
  length: number;
  /** The fault applied here, or null. */
  fault: Fault["kind"] | null;
}

export interface CrashModel {
  /** A crash may tear an unsynced write into a subset of its sectors (default true). */
  torn?: boolean;
  /** Sectors a torn write lost hold random garbage, not the old bytes (default false; test6.c's "trash sectors"). */
  garbage?: boolean;
}

export interface FaultyVfsOptions {
  /** Seeds every random choice (default 1). */
  seed?: number;
  /** The sector size for tearing (default 512). */
  sectorSize?: number;
  faults?: readonly FaultRule[];
  crash?: CrashModel;
}

/**
 * How unsynced writes fare in a durable image: chosen at random by the seed, all lost
 * (the image is exactly what was synced), or all kept whole (what a clean shutdown
 * without sync would leave on a forgiving disk).
 */
export type CrashPolicy = "random" | "lose-unsynced" | "keep-unsynced";

/** What became of one unsynced write or truncate in a durable image. */
export interface CrashOutcome {
  cut: number;
  path: string;
  kind: "write" | "truncate";
  outcome: "whole" | "lost" | "torn";
  /** For a torn write: indexes (from 0, the write's first sector) of the sectors that survived. */
  keptSectors: number[] | null;
}

export interface DurableImage {
  /** Path -> contents, sorted by path. */
  files: Map<string, Uint8Array>;
  outcomes: CrashOutcome[];
}

/** Thrown by every call after a simulated crash. */
export class SimulatedCrashError extends SqliteError {
  readonly cutPoint: CutPoint | null;
  constructor(cutPoint: CutPoint | null) {
    super("SQLITE_IOERR", `disk I/O error (simulated crash${cutPoint ? ` at cut point ${cutPoint.cut}` : ""})`);
    this.cutPoint = cutPoint;
  }
}

export function isSimulatedCrash(e: unknown): e is SimulatedCrashError {
  return e instanceof SimulatedCrashError;
}

/** An unsynced write (data !== null) or truncate (data === null, to `offset`). */
interface Pending {
  cut: number;
  offset: number;
  data: Uint8Array | null;
}

/** What the Vfs knows about one path while it exists. */
class Tracked {
  readonly path: string;
  readonly fileKind: FileKind;
  readonly durable: GrowableBytes;
  pending: Pending[] = [];
  unlinked = false;

  constructor(path: string, fileKind: FileKind, durable: GrowableBytes) {
    this.path = path;
    this.fileKind = fileKind;
    this.durable = durable;
  }
}

interface RuleState {
  rule: FaultRule;
  seen: number;
}

const DEFAULT_FAIL: Record<CutKind, ResultCodeName> = {
  write: "SQLITE_IOERR_WRITE",
  sync: "SQLITE_IOERR_FSYNC",
  truncate: "SQLITE_IOERR_TRUNCATE",
  delete: "SQLITE_IOERR_DELETE",
};

export class FaultyVfs implements Vfs {
  readonly name: string;
  readonly inner: Vfs;
  readonly seed: number;
  readonly sectorSize: number;
  /** Every cut point so far, in order. */
  readonly log: CutPoint[] = [];
  private readonly crashModel: Required<CrashModel>;
  private readonly rules: RuleState[] = [];
  private readonly files = new Map<string, Tracked>();
  private readonly cutsByPath = new Map<string, number>();
  private readonly rng: Prng;
  private crashedAt: CutPoint | null = null;
  private isCrashed = false;

  constructor(inner: Vfs, options: FaultyVfsOptions = {}) {
    this.inner = inner;
    this.name = `faulty(${inner.name})`;
    this.seed = options.seed ?? 1;
    this.sectorSize = options.sectorSize ?? 512;
    if (!Number.isSafeInteger(this.sectorSize) || this.sectorSize < 1) throw new RangeError(`bad sectorSize ${this.sectorSize}`);
    this.crashModel = { torn: options.crash?.torn ?? true, garbage: options.crash?.garbage ?? false };
    this.rng = new Prng(seedFor(this.seed, "faults"));
    for (const rule of options.faults ?? []) this.addFault(rule);
  }

  /** Adds a rule; its count starts now. */
  addFault(rule: FaultRule): void {
    if (!Number.isSafeInteger(rule.at) || rule.at < 1) throw new RangeError(`bad cut point ${rule.at}`);
    this.rules.push({ rule, seen: 0 });
  }

  /** How many cut points have been passed (the last one's number). */
  get cutPoints(): number {
    return this.log.length;
  }

  get crashed(): boolean {
    return this.isCrashed;
  }

  /** The cut point the crash happened at (null if not crashed, or crashed by crash()). */
  get crashPoint(): CutPoint | null {
    return this.crashedAt;
  }

  /** Pulls the plug now, between calls: every later call throws SimulatedCrashError. */
  crash(): void {
    this.isCrashed = true;
  }

  /** The number of unsynced writes and truncates of a path (0 if unknown). */
  unsyncedCount(path: string): number {
    return this.files.get(path)?.pending.length ?? 0;
  }

  open(path: string, options: OpenOptions = {}): VfsFile {
    this.checkAlive();
    const kind = options.kind ?? "other";
    const innerFile = this.inner.open(path, options);
    let tracked = this.files.get(path);
    if (tracked === undefined) {
      // First sight of this path: what the inner Vfs holds now counts as durable.
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(innerFile.size());
        innerFile.read(bytes, 0);
      } catch (e) {
        innerFile.close();
        throw e;
      }
      tracked = new Tracked(path, kind, new GrowableBytes(bytes));
      this.files.set(path, tracked);
    }
    return new FaultyFile(this, innerFile, tracked);
  }

  delete(path: string, options?: DeleteOptions): void {
    this.checkAlive();
    const fault = this.cut("delete", path, this.files.get(path)?.fileKind ?? "other", 0, 0);
    if (fault !== null) {
      if (fault.kind === "fail") throw this.injected(fault, "delete", path);
      if (fault.kind === "drop") return;
    }
    this.inner.delete(path, options);
    const tracked = this.files.get(path);
    if (tracked !== undefined) {
      tracked.unlinked = true; // invariant 2: deletion is durable at once
      this.files.delete(path);
    }
  }

  exists(path: string): boolean {
    this.checkAlive();
    return this.inner.exists(path);
  }

  /**
   * The files a power loss now would leave (see the header comment). Does not change
   * any state: calling it twice with the same arguments gives the same image.
   */
  durableImage(policy: CrashPolicy = "random", seed: number = this.seed): DurableImage {
    const files = new Map<string, Uint8Array>();
    const outcomes: CrashOutcome[] = [];
    for (const path of [...this.files.keys()].sort()) {
      const tracked = this.files.get(path)!;
      const img = new GrowableBytes(tracked.durable.snapshot());
      const rng = new Prng(seedFor(seed, path));
      for (const op of tracked.pending) outcomes.push(this.replay(img, op, path, policy, rng));
      files.set(path, img.snapshot());
    }
    return { files, outcomes };
  }

  /** The durable image as a fresh MemoryVfs, to reopen and check recovery. */
  crashImage(policy: CrashPolicy = "random", seed: number = this.seed): MemoryVfs {
    return new MemoryVfs(this.durableImage(policy, seed).files);
  }

  // ---- internals shared with FaultyFile ----

  /** Throws SimulatedCrashError if the Vfs has crashed. */
  checkAlive(): void {
    if (this.isCrashed) throw new SimulatedCrashError(this.crashedAt);
  }

  /**
   * Records a cut point and returns the fault to apply (null for none). A crash fault
   * is applied here: `inFlight` (a write's data) joins the unsynced writes, and the
   * SimulatedCrashError is thrown.
   */
  cut(kind: CutKind, path: string, fileKind: FileKind, offset: number, length: number, inFlight?: { tracked: Tracked; data: Uint8Array }): Fault | null {
    const fileCut = (this.cutsByPath.get(path) ?? 0) + 1;
    this.cutsByPath.set(path, fileCut);
    let fault: Fault | null = null;
    for (const st of this.rules) {
      const r = st.rule;
      if ((r.path !== undefined && r.path !== path) || (r.kind !== undefined && r.kind !== kind)) continue;
      st.seen++;
      if (fault === null && (st.seen === r.at || (r.persist === true && st.seen > r.at))) fault = r.fault;
    }
    // A tear of anything but a write does nothing: the call runs normally.
    if (fault !== null && (fault.kind === "tear" || fault.kind === "tear-sectors") && kind !== "write") fault = null;
    const point: CutPoint = { cut: this.log.length + 1, fileCut, kind, path, fileKind, offset, length, fault: fault?.kind ?? null };
    this.log.push(point);
    if (fault !== null && fault.kind === "crash") {
      if (inFlight !== undefined && !inFlight.tracked.unlinked) {
        inFlight.tracked.pending.push({ cut: point.cut, offset, data: inFlight.data.slice() });
      }
      this.isCrashed = true;
      this.crashedAt = point;
      throw new SimulatedCrashError(point);
    }
    return fault;
  }

  injected(fault: { kind: "fail"; code?: ResultCodeName }, op: CutKind, path: string): SqliteError {
    return vfsError(fault.code ?? DEFAULT_FAIL[op], `injected fault at cut point ${this.log.length}: ${op} ${path}`);
  }

  /** Sector indexes (relative to the write's first sector) a tear-sectors fault keeps. */
  tornSectors(fault: { keep?: readonly number[] }, offset: number, length: number): number[] {
    const count = this.sectorSpan(offset, length);
    if (fault.keep !== undefined) return fault.keep.filter((i) => i >= 0 && i < count);
    const keep: number[] = [];
    for (let i = 0; i < count; i++) if (this.rng.below(2) === 0) keep.push(i);
    return keep;
  }

  /** Calls fn(lo, hi) for the part of [offset, offset+length) inside each kept sector. */
  forSectors(offset: number, length: number, keep: readonly number[], fn: (lo: number, hi: number, sectorStart: number) => void): void {
    const ss = this.sectorSize;
    const first = Math.floor(offset / ss);
    for (const i of keep) {
      const start = (first + i) * ss;
      const lo = Math.max(offset, start);
      const hi = Math.min(offset + length, start + ss);
      if (lo < hi) fn(lo, hi, start);
    }
  }

  private sectorSpan(offset: number, length: number): number {
    if (length === 0) return 0;
    const ss = this.sectorSize;
    return Math.floor((offset + length - 1) / ss) - Math.floor(offset / ss) + 1;
  }

  /** Applies one unsynced op to an image under the policy; returns what became of it. */
  private replay(img: GrowableBytes, op: Pending, path: string, policy: CrashPolicy, rng: Prng): CrashOutcome {
    const kind = op.data === null ? "truncate" : "write";
    let outcome: CrashOutcome["outcome"];
    if (policy === "lose-unsynced") outcome = "lost";
    else if (policy === "keep-unsynced") outcome = "whole";
    else if (op.data === null || !this.crashModel.torn) outcome = rng.below(2) === 0 ? "whole" : "lost";
    else outcome = (["whole", "lost", "torn"] as const)[rng.below(3)];

    if (op.data === null) {
      if (outcome === "whole") img.truncate(op.offset);
      return { cut: op.cut, path, kind, outcome, keptSectors: null };
    }
    const data = op.data;
    if (outcome === "whole") {
      img.write(data, op.offset);
      return { cut: op.cut, path, kind, outcome, keptSectors: null };
    }
    if (outcome === "lost") return { cut: op.cut, path, kind, outcome, keptSectors: null };

    const count = this.sectorSpan(op.offset, data.length);
    const kept: number[] = [];
    const lost: number[] = [];
    for (let i = 0; i < count; i++) (rng.below(2) === 0 ? kept : lost).push(i);
    this.forSectors(op.offset, data.length, kept, (lo, hi) => img.write(data.subarray(lo - op.offset, hi - op.offset), lo));
    if (this.crashModel.garbage) {
      // test6.c trashes whole sectors; we stop at what the write could have reached.
      const limit = Math.max(img.size, op.offset + data.length);
      for (const i of lost) {
        const start = (Math.floor(op.offset / this.sectorSize) + i) * this.sectorSize;
        const end = Math.min(start + this.sectorSize, limit);
        const junk = new Uint8Array(end - start);
        rng.fill(junk);
        img.write(junk, start);
      }
    }
    return { cut: op.cut, path, kind, outcome, keptSectors: kept };
  }
}

class FaultyFile implements VfsFile {
  readonly path: string;
  readonly readonly: boolean;
  private readonly vfs: FaultyVfs;
  private readonly inner: VfsFile;
  private readonly tracked: Tracked;
  private closed = false;

  constructor(vfs: FaultyVfs, inner: VfsFile, tracked: Tracked) {
    this.vfs = vfs;
    this.inner = inner;
    this.tracked = tracked;
    this.path = inner.path;
    this.readonly = inner.readonly;
  }

  read(buf: Uint8Array, offset: number): number {
    this.live();
    return this.inner.read(buf, offset);
  }

  write(data: Uint8Array, offset: number): void {
    this.writable();
    checkOffset(offset, "offset", this.path);
    const t = this.tracked;
    const fault = this.vfs.cut("write", this.path, t.fileKind, offset, data.length, { tracked: t, data });
    if (fault === null) {
      this.inner.write(data, offset);
      this.remember(offset, data);
      return;
    }
    switch (fault.kind) {
      case "fail":
        throw this.vfs.injected(fault, "write", this.path);
      case "drop":
        return;
      case "tear": {
        const part = data.subarray(0, Math.max(0, Math.min(fault.keep, data.length)));
        if (part.length > 0) {
          this.inner.write(part, offset);
          this.remember(offset, part);
        }
        return;
      }
      case "tear-sectors": {
        const keep = this.vfs.tornSectors(fault, offset, data.length);
        this.vfs.forSectors(offset, data.length, keep, (lo, hi) => {
          const part = data.subarray(lo - offset, hi - offset);
          this.inner.write(part, lo);
          this.remember(lo, part);
        });
        return;
      }
      case "crash":
        throw new Error("unreachable: cut() throws on a crash");
    }
  }

  truncate(size: number): void {
    this.writable();
    checkOffset(size, "size", this.path);
    const fault = this.vfs.cut("truncate", this.path, this.tracked.fileKind, size, 0);
    if (fault !== null) {
      if (fault.kind === "fail") throw this.vfs.injected(fault, "truncate", this.path);
      if (fault.kind === "drop") return;
    }
    this.inner.truncate(size);
    if (!this.tracked.unlinked) this.tracked.pending.push({ cut: this.vfs.cutPoints, offset: size, data: null });
  }

  sync(mode?: SyncMode): void {
    this.live();
    const fault = this.vfs.cut("sync", this.path, this.tracked.fileKind, 0, 0);
    if (fault !== null) {
      if (fault.kind === "fail") throw this.vfs.injected(fault, "sync", this.path);
      if (fault.kind === "drop") return; // a lying fsync: nothing becomes durable
    }
    this.inner.sync(mode);
    const t = this.tracked;
    for (const op of t.pending) {
      if (op.data === null) t.durable.truncate(op.offset);
      else t.durable.write(op.data, op.offset);
    }
    t.pending = [];
  }

  size(): number {
    this.live();
    return this.inner.size();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.inner.close();
    } catch (e) {
      if (!this.vfs.crashed) throw e;
    }
  }

  private remember(offset: number, data: Uint8Array): void {
    if (!this.tracked.unlinked) this.tracked.pending.push({ cut: this.vfs.cutPoints, offset, data: data.slice() });
  }

  private live(): void {
    this.vfs.checkAlive();
    if (this.closed) throw closedFileError(this.path);
  }

  private writable(): void {
    this.live();
    if (this.readonly) throw readonlyFileError(this.path);
  }
}

// ---- the crash sweep ----

export interface CrashSweepOptions {
  /** A fresh base Vfs for each run, holding the starting files (default: an empty MemoryVfs). */
  setup?: () => Vfs;
  /** The work to crash; must do the same calls on every run (it is run once per cut point and seed, plus once to count). */
  workload: (vfs: FaultyVfs) => void;
  /** Checks the files a crash at `point` left; throw (or fail an expect) to report a bug. */
  verify: (image: MemoryVfs, info: { point: CutPoint; seed: number; vfs: FaultyVfs }) => void;
  /** Seeds to try at each cut point (default [1]). */
  seeds?: readonly number[];
  /** Which cut points to crash at (default: all). */
  filter?: (point: CutPoint) => boolean;
  /** Options of every FaultyVfs (its seed and faults are set by the sweep). */
  options?: Omit<FaultyVfsOptions, "seed" | "faults">;
}

export interface CrashSweepResult {
  /** Cut points of the workload run without faults. */
  cutPoints: number;
  /** Crash runs made (cut points tried x seeds). */
  runs: number;
  /** The log of the fault-free run. */
  log: CutPoint[];
}

/**
 * For every cut point k (that passes `filter`) and every seed: runs the workload over a
 * fresh setup() with a crash at k, then verify()s the crash image. Throws, naming the cut
 * point and seed, at the first failed verify or if the workload is not deterministic
 * (a run that does not reach k, or reaches a different call there).
 */
export function crashSweep(opts: CrashSweepOptions): CrashSweepResult {
  const setup = opts.setup ?? (() => new MemoryVfs());
  const seeds = opts.seeds ?? [1];
  const dry = new FaultyVfs(setup(), { ...opts.options, seed: seeds[0] ?? 1 });
  opts.workload(dry);
  const log = dry.log.slice();
  let runs = 0;
  for (const expected of log) {
    if (opts.filter && !opts.filter(expected)) continue;
    for (const seed of seeds) {
      const vfs = new FaultyVfs(setup(), { ...opts.options, seed, faults: [{ at: expected.cut, fault: { kind: "crash" } }] });
      const where = `cut point ${expected.cut} (${expected.kind} ${expected.path} @${expected.offset}+${expected.length}), seed ${seed}`;
      try {
        opts.workload(vfs);
      } catch (e) {
        if (!vfs.crashed) throw new Error(`crash sweep: the workload failed before ${where}: ${String(e)}`, { cause: e });
      }
      const at = vfs.crashPoint;
      if (at === null) throw new Error(`crash sweep: the workload never reached ${where}; it is not deterministic`);
      if (at.kind !== expected.kind || at.path !== expected.path || at.offset !== expected.offset || at.length !== expected.length) {
        throw new Error(`crash sweep: expected ${where} but the run crashed at ${at.kind} ${at.path} @${at.offset}+${at.length}; the workload is not deterministic`);
      }
      runs++;
      try {
        opts.verify(vfs.crashImage(), { point: at, seed, vfs });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        throw new Error(`crash sweep: verify failed after a crash at ${where}: ${msg}`, { cause: e });
      }
    }
  }
  return { cutPoints: log.length, runs, log };
}
