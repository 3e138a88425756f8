/*
 * vdbe/ops-window.ts: the window-function engine behind the WindowOpen / WindowNext
 * opcodes (the job of SQLite's window.c, done partition by partition;
 * https://sqlite.org/windowfunctions.html).
 *
 * The code generator sorts every input row into a sorter by [PARTITION BY keys, ORDER BY
 * keys] followed by payload columns (function arguments, FILTER values, columns the rest
 * of the query reads). WindowOpen binds a WindowState to that sorted sorter; each
 * WindowNext serves one row: the row's record (for a pseudo-cursor) and the value of
 * every window function of this window for that row.
 *
 * A partition is materialized when its first row is asked for: the records (views of the
 * sorter's own records, no copy) and their decoded columns (a pool of Mem reused across
 * partitions), peer groups (rows equal on the ORDER BY keys), then each function's value
 * for every row into a pool of result Mems.
 *
 * Frames (ROWS / RANGE / GROUPS; bounds UNBOUNDED PRECEDING, N PRECEDING, CURRENT ROW,
 * N FOLLOWING, UNBOUNDED FOLLOWING; EXCLUDE NO OTHERS / CURRENT ROW / GROUP / TIES):
 *   - ROWS counts rows, GROUPS counts peer groups, RANGE compares the single ORDER BY
 *     key with key +/- N (direction-aware); a NULL or non-numeric current key gives the
 *     peer group for an offset bound; CURRENT ROW in RANGE/GROUPS means the peer group.
 *   - aggregates: without EXCLUDE, one state slides along (step new rows, then inverse
 *     rows that left, when the function has FUNC_WINDOW_INVERSE; otherwise a fresh state
 *     when the start moves); with EXCLUDE each row's frame is stepped afresh.
 *
 * Invariants:
 *  1. Nothing is allocated per row except aggregate state objects where a frame must be
 *     recomputed, and pool growth (amortized, kept across partitions and executions).
 *  2. Rows come out in the sorter's order; results of row i are those of its own frame.
 *  3. Errors are SQLite's messages, raised as SqliteError (the VM turns them into VM_ERROR).
 */
import { BINARY, RecordReader, SqliteError, SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, type Collation } from "@strata/common";
import { FUNC_MINMAX, FUNC_WINDOW_INVERSE, type AggregateFuncDef, type AggregateState } from "../func/api.js";
import type { RecordSet } from "./cursor.js";
import { RegArgs } from "./func-bridge.js";
import { readColumn } from "./make-record.js";
import { Mem, compareMem, intValue, realValue, truthValue } from "./mem.js";
import { Op } from "./opcodes.js";
import type { VM } from "./vm.js";

export const WIN_ROW_NUMBER = 0;
export const WIN_RANK = 1;
export const WIN_DENSE_RANK = 2;
export const WIN_PERCENT_RANK = 3;
export const WIN_CUME_DIST = 4;
export const WIN_NTILE = 5;
export const WIN_LAG = 6;
export const WIN_LEAD = 7;
export const WIN_FIRST_VALUE = 8;
export const WIN_LAST_VALUE = 9;
export const WIN_NTH_VALUE = 10;
export const WIN_AGG = 11;

/** Built-in window functions: name -> [kind, min args, max args]. */
export const WINDOW_BUILTINS: Readonly<Record<string, readonly [number, number, number]>> = {
  row_number: [WIN_ROW_NUMBER, 0, 0], rank: [WIN_RANK, 0, 0], dense_rank: [WIN_DENSE_RANK, 0, 0],
  percent_rank: [WIN_PERCENT_RANK, 0, 0], cume_dist: [WIN_CUME_DIST, 0, 0], ntile: [WIN_NTILE, 1, 1],
  lag: [WIN_LAG, 1, 3], lead: [WIN_LEAD, 1, 3], first_value: [WIN_FIRST_VALUE, 1, 1],
  last_value: [WIN_LAST_VALUE, 1, 1], nth_value: [WIN_NTH_VALUE, 2, 2],
};

export const UNITS_ROWS = 0;
export const UNITS_RANGE = 1;
export const UNITS_GROUPS = 2;
export const B_UNBOUNDED_PRECEDING = 0;
export const B_PRECEDING = 1;
export const B_CURRENT = 2;
export const B_FOLLOWING = 3;
export const B_UNBOUNDED_FOLLOWING = 4;
export const EX_NONE = 0;
export const EX_CURRENT = 1;
export const EX_GROUP = 2;
export const EX_TIES = 3;
/** EXCLUDE NO OTHERS: excludes nothing, but (as in SQLite) each frame is computed afresh. */
export const EX_NO_OTHERS = 4;

export interface WinFuncPlan {
  readonly kind: number;
  readonly def: AggregateFuncDef | null;
  /** First argument column in the record; arguments are consecutive. */
  readonly argCol: number;
  readonly nArg: number;
  /** FILTER value column, or -1. */
  readonly filterCol: number;
  readonly coll: Collation | null;
}

export interface WindowPlan {
  readonly nPart: number;
  readonly nOrder: number;
  /** Columns per record. */
  readonly width: number;
  readonly partColls: readonly (Collation | null)[];
  readonly orderColls: readonly (Collation | null)[];
  /** First ORDER BY term is DESC / its NULLs come first (RANGE offsets). */
  readonly orderDesc: boolean;
  readonly nullsFirst: boolean;
  readonly units: number;
  readonly startType: number;
  readonly endType: number;
  readonly exclude: number;
  readonly funcs: readonly WinFuncPlan[];
}

export class WindowState {
  readonly plan: WindowPlan;
  readonly set: RecordSet;
  readonly reader: RecordReader;
  readonly args: RegArgs;
  mems: Mem[] = [];
  results: Mem[] = [];
  recs: Uint8Array[] = [];
  n = 0;
  pos = 0;
  peerStart = new Int32Array(16);
  peerEnd = new Int32Array(16);
  group = new Int32Array(16);
  groupFirst = new Int32Array(17);
  nGroup = 0;
  startOff = 0;
  endOff = 0;
  readonly target = new Mem();
  /** Row numbers in value order (sliding min/max). */
  readonly minmax: number[] = [];
  constructor(plan: WindowPlan, set: RecordSet, vm: VM) {
    this.plan = plan;
    this.set = set;
    this.reader = new RecordReader(vm.host.encoding);
    this.args = new RegArgs(this.mems);
  }
}

/** Offsets of `N PRECEDING/FOLLOWING`: checked once per execution (SQLite's messages). */
function frameOffset(m: Mem, units: number, start: boolean): number {
  const which = start ? "starting" : "ending";
  if (units === UNITS_RANGE) {
    if ((m.type === SQLITE_INTEGER || m.type === SQLITE_FLOAT) && realValue(m) >= 0) return m.type === SQLITE_INTEGER ? intValue(m) : m.r;
    throw new SqliteError("SQLITE_ERROR", `frame ${which} offset must be a non-negative number`);
  }
  if (m.type === SQLITE_INTEGER && intValue(m) >= 0) return intValue(m);
  if (m.type === SQLITE_FLOAT && m.r >= 0 && Number.isInteger(m.r)) return m.r;
  throw new SqliteError("SQLITE_ERROR", `frame ${which} offset must be a non-negative integer`);
}

export function execWindow(vm: VM, op: number, pc: number): number {
  const prog = vm.prog;
  const p1 = prog.p1[pc];
  if (op === Op.WindowOpen) {
    const plan = prog.p4[pc] as WindowPlan;
    const set = vm.cursors[prog.p2[pc]]!.set!;
    const w = new WindowState(plan, set, vm);
    const r = prog.p3[pc];
    if (plan.startType === B_PRECEDING || plan.startType === B_FOLLOWING) w.startOff = frameOffset(vm.regs[r], plan.units, true);
    if (plan.endType === B_PRECEDING || plan.endType === B_FOLLOWING) w.endOff = frameOffset(vm.regs[r + 1], plan.units, false);
    set.pos = 0;
    vm.windows[p1] = w;
    return 0;
  }
  // WindowNext
  const w = vm.windows[p1] as WindowState;
  if (w.pos >= w.n) {
    if (!loadPartition(w)) {
      vm.windows[p1] = null;
      vm.pc = prog.p2[pc];
      return -1;
    }
    computePartition(vm, w);
  }
  const i = w.pos++;
  const rec = vm.regs[prog.p5[pc]];
  rec.setBlob(w.recs[i]);
  const ps = vm.cursors[prog.p4[pc] as number];
  if (ps !== null) {
    ps.sorterSrc = null; // it reads the register
    ps.seq++;
  }
  const nF = w.plan.funcs.length;
  const out = prog.p3[pc];
  for (let f = 0; f < nF; f++) vm.regs[out + f].copyFrom(w.results[i * nF + f]);
  return 0;
}

function ensureMems(a: Mem[], n: number): void {
  while (a.length < n) a.push(new Mem());
}

/** Reads the next partition's records out of the sorted set; false at the end. */
function loadPartition(w: WindowState): boolean {
  const set = w.set;
  const plan = w.plan;
  const width = plan.width;
  if (set.pos >= set.count) return false;
  let n = 0;
  w.recs.length = 0;
  while (set.pos < set.count) {
    const r = set.recordAt(set.pos);
    ensureMems(w.mems, (n + 1) * width);
    w.reader.reset(r, 0, r.length);
    const base = n * width;
    for (let c = 0; c < width; c++) readColumn(w.reader, c, w.mems[base + c]);
    if (n > 0) {
      let same = true;
      for (let k = 0; k < plan.nPart && same; k++) {
        if (compareMem(w.mems[k], w.mems[base + k], plan.partColls[k]) !== 0) same = false;
      }
      if (!same) break;
    }
    w.recs.push(r);
    n++;
    set.pos++;
  }
  w.n = n;
  w.pos = 0;
  return true;
}

function computePartition(vm: VM, w: WindowState): void {
  const plan = w.plan;
  const n = w.n;
  const width = plan.width;
  if (w.peerStart.length < n) {
    const cap = Math.max(n, w.peerStart.length * 2);
    w.peerStart = new Int32Array(cap);
    w.peerEnd = new Int32Array(cap);
    w.group = new Int32Array(cap);
    w.groupFirst = new Int32Array(cap + 1);
  }
  // Peer groups.
  let g = 0;
  w.groupFirst[0] = 0;
  for (let i = 0; i < n; i++) {
    let peer = i > 0;
    for (let k = 0; k < plan.nOrder && peer; k++) {
      const c = plan.nPart + k;
      if (compareMem(w.mems[(i - 1) * width + c], w.mems[i * width + c], plan.orderColls[k]) !== 0) peer = false;
    }
    if (i > 0 && !peer) { g++; w.groupFirst[g] = i; }
    w.group[i] = g;
  }
  w.nGroup = n === 0 ? 0 : g + 1;
  w.groupFirst[w.nGroup] = n;
  for (let i = 0; i < n; i++) {
    w.peerStart[i] = w.groupFirst[w.group[i]];
    w.peerEnd[i] = w.groupFirst[w.group[i] + 1] - 1;
  }
  const nF = plan.funcs.length;
  ensureMems(w.results, n * nF);
  w.args.regs = w.mems;
  for (let f = 0; f < nF; f++) computeFunc(vm, w, plan.funcs[f], f, nF);
}

/** Sort position of row j relative to the target value (RANGE); <0 before, >0 after. */
function rangeCmp(w: WindowState, j: number): number {
  const plan = w.plan;
  const k = w.mems[j * plan.width + plan.nPart];
  if (k.type === SQLITE_NULL) return plan.nullsFirst ? -1 : 1;
  const c = compareMem(k, w.target, plan.orderColls[0]);
  return plan.orderDesc ? -c : c;
}

/** Frame start (isStart) or end of row i, not clamped. */
function bound(w: WindowState, type: number, off: number, isStart: boolean, i: number): number {
  const plan = w.plan;
  const n = w.n;
  switch (type) {
    case B_UNBOUNDED_PRECEDING: return isStart ? 0 : -1;
    case B_UNBOUNDED_FOLLOWING: return n - 1;
    case B_CURRENT:
      if (plan.units === UNITS_ROWS) return i;
      return isStart ? w.peerStart[i] : w.peerEnd[i];
    default: {
      const sign = type === B_PRECEDING ? -1 : 1;
      if (plan.units === UNITS_ROWS) return i + sign * off;
      if (plan.units === UNITS_GROUPS) {
        const gg = w.group[i] + sign * off;
        if (isStart) return gg < 0 ? 0 : gg >= w.nGroup ? n : w.groupFirst[gg];
        return gg < 0 ? -1 : gg >= w.nGroup ? n - 1 : w.groupFirst[gg + 1] - 1;
      }
      // RANGE
      const k = w.mems[i * plan.width + plan.nPart];
      if (k.type === SQLITE_NULL || k.type === SQLITE_TEXT || k.type === SQLITE_BLOB) return isStart ? w.peerStart[i] : w.peerEnd[i];
      const d = (plan.orderDesc ? -1 : 1) * sign;
      const t = w.target;
      if (k.type === SQLITE_INTEGER && Number.isInteger(off) && k.big === null && Number.isSafeInteger(k.i + d * off)) t.setInt(k.i + d * off);
      else t.setReal(realValue(k) + d * off);
      // Binary search: first j with rangeCmp >= 0 (start) / last j with rangeCmp <= 0 (end).
      let lo = 0;
      let hi = n;
      if (isStart) {
        while (lo < hi) { const m = (lo + hi) >>> 1; if (rangeCmp(w, m) < 0) lo = m + 1; else hi = m; }
        return lo;
      }
      while (lo < hi) { const m = (lo + hi) >>> 1; if (rangeCmp(w, m) <= 0) lo = m + 1; else hi = m; }
      return lo - 1;
    }
  }
}

function excluded(w: WindowState, j: number, i: number): boolean {
  switch (w.plan.exclude) {
    case EX_CURRENT: return j === i;
    case EX_GROUP: return j >= w.peerStart[i] && j <= w.peerEnd[i];
    case EX_TIES: return j !== i && j >= w.peerStart[i] && j <= w.peerEnd[i];
    default: return false;
  }
}

function fail(vm: VM): void {
  const ctx = vm.ctx;
  if (ctx.error !== null) throw new SqliteError(ctx.errorCode, ctx.error);
}

function stepRow(vm: VM, w: WindowState, f: WinFuncPlan, st: AggregateState, j: number, inverse: boolean): void {
  const base = j * w.plan.width;
  if (f.filterCol >= 0 && !truthValue(w.mems[base + f.filterCol], false)) return;
  const ctx = vm.ctx;
  ctx.out = vm.tmp;
  ctx.error = null;
  ctx.collation = f.coll ?? BINARY;
  w.args.base = base + f.argCol;
  if (inverse) st.inverse(ctx, f.nArg, w.args);
  else st.step(ctx, f.nArg, w.args);
  fail(vm);
}

function valueOf(vm: VM, st: AggregateState, out: Mem, f: WinFuncPlan): void {
  const ctx = vm.ctx;
  ctx.out = out;
  out.setNull();
  ctx.error = null;
  ctx.collation = f.coll ?? BINARY;
  st.value(ctx);
  fail(vm);
}

function computeFunc(vm: VM, w: WindowState, f: WinFuncPlan, fi: number, nF: number): void {
  const plan = w.plan;
  const n = w.n;
  const width = plan.width;
  const res = w.results;
  switch (f.kind) {
    case WIN_ROW_NUMBER:
      for (let i = 0; i < n; i++) res[i * nF + fi].setInt(i + 1);
      return;
    case WIN_RANK:
      for (let i = 0; i < n; i++) res[i * nF + fi].setInt(w.peerStart[i] + 1);
      return;
    case WIN_DENSE_RANK:
      for (let i = 0; i < n; i++) res[i * nF + fi].setInt(w.group[i] + 1);
      return;
    case WIN_PERCENT_RANK:
      for (let i = 0; i < n; i++) res[i * nF + fi].setReal(n > 1 ? w.peerStart[i] / (n - 1) : 0);
      return;
    case WIN_CUME_DIST:
      for (let i = 0; i < n; i++) res[i * nF + fi].setReal((w.peerEnd[i] + 1) / n);
      return;
    case WIN_NTILE: {
      const a = w.mems[f.argCol];
      const nParam = a.type === SQLITE_NULL ? 0 : intValue(a);
      if (!(nParam > 0)) throw new SqliteError("SQLITE_ERROR", "argument of ntile must be a positive integer");
      const nSize = Math.floor(n / nParam);
      const nLarge = n - nParam * nSize;
      const iSmall = nLarge * (nSize + 1);
      for (let i = 0; i < n; i++) {
        let v: number;
        if (nParam > n) v = i + 1;
        else if (i < iSmall) v = 1 + Math.floor(i / (nSize + 1));
        else v = 1 + nLarge + Math.floor((i - iSmall) / nSize);
        res[i * nF + fi].setInt(v);
      }
      return;
    }
    case WIN_LAG: case WIN_LEAD:
      for (let i = 0; i < n; i++) {
        const out = res[i * nF + fi];
        const base = i * width + f.argCol;
        let off = 1;
        if (f.nArg >= 2) {
          const o = w.mems[base + 1];
          if (o.type === SQLITE_NULL) { out.setNull(); continue; }
          off = intValue(o);
        }
        const j = f.kind === WIN_LAG ? i - off : i + off;
        if (j >= 0 && j < n) out.copyFrom(w.mems[j * width + f.argCol]);
        else if (f.nArg >= 3) out.copyFrom(w.mems[base + 2]);
        else out.setNull();
      }
      return;
    default:
      break;
  }
  // Frame-based functions.
  const ex = plan.exclude !== EX_NONE;
  if (f.kind !== WIN_AGG) {
    for (let i = 0; i < n; i++) {
      const out = res[i * nF + fi];
      const s = Math.max(0, bound(w, plan.startType, w.startOff, true, i));
      const e = Math.min(n - 1, bound(w, plan.endType, w.endOff, false, i));
      out.setNull();
      if (f.kind === WIN_NTH_VALUE) {
        const nm = w.mems[i * width + f.argCol + 1];
        const ok = (nm.type === SQLITE_INTEGER && intValue(nm) > 0) || (nm.type === SQLITE_FLOAT && nm.r > 0 && Number.isInteger(nm.r));
        if (!ok) throw new SqliteError("SQLITE_ERROR", "second argument to nth_value must be a positive integer");
        let k = nm.type === SQLITE_INTEGER ? intValue(nm) : nm.r;
        for (let j = s; j <= e; j++) {
          if (ex && excluded(w, j, i)) continue;
          if (--k === 0) { out.copyFrom(w.mems[j * width + f.argCol]); break; }
        }
      } else if (f.kind === WIN_FIRST_VALUE) {
        for (let j = s; j <= e; j++) {
          if (ex && excluded(w, j, i)) continue;
          out.copyFrom(w.mems[j * width + f.argCol]);
          break;
        }
      } else {
        for (let j = e; j >= s; j--) {
          if (ex && excluded(w, j, i)) continue;
          out.copyFrom(w.mems[j * width + f.argCol]);
          break;
        }
      }
    }
    return;
  }
  const def = f.def!;
  if ((def.flags & FUNC_MINMAX) !== 0 && plan.startType !== B_UNBOUNDED_PRECEDING && !ex) {
    slidingMinMax(w, f, fi, nF, lower(def.name) === "max");
    return;
  }
  const hasInv = (def.flags & FUNC_WINDOW_INVERSE) !== 0;
  let st: AggregateState | null = null;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const out = res[i * nF + fi];
    const s = Math.max(0, bound(w, plan.startType, w.startOff, true, i));
    let e = Math.min(n - 1, bound(w, plan.endType, w.endOff, false, i));
    if (ex) {
      const t = def.create();
      for (let j = s; j <= e; j++) if (!excluded(w, j, i)) stepRow(vm, w, f, t, j, false);
      valueOf(vm, t, out, f);
      continue;
    }
    if (e < s - 1) e = s - 1;
    if (st === null || s < lo || e < hi || (s > lo && !hasInv)) {
      st = def.create();
      lo = s;
      hi = s - 1;
    }
    // Rows that left the frame first, then rows that entered (SQLite's order).
    for (let j = lo; j < s && j <= hi; j++) stepRow(vm, w, f, st, j, true);
    for (let j = Math.max(hi + 1, s); j <= e; j++) stepRow(vm, w, f, st, j, false);
    lo = s;
    hi = e;
    valueOf(vm, st, out, f);
  }
}

function lower(s: string): string {
  return s.toLowerCase();
}

/**
 * min()/max() over a frame whose start moves: SQLite keeps the frame's rows in an
 * ephemeral index keyed by (value, row), the value DESC for min (window.c, the min/max
 * path), and reads its last entry: so among values equal under the collation (2 and 2.0,
 * 'a' and 'A' under NOCASE) both min() and max() give the latest row's. Here `idx` is
 * ordered by value ascending, ties by row descending for min and ascending for max; the
 * result is its first entry for min, its last for max.
 */
function slidingMinMax(w: WindowState, f: WinFuncPlan, fi: number, nF: number, max: boolean): void {
  const plan = w.plan;
  const n = w.n;
  const width = plan.width;
  const idx = w.minmax;
  idx.length = 0;
  const coll = f.coll;
  const val = (j: number): Mem => w.mems[j * width + f.argCol];
  const usable = (j: number): boolean => val(j).type !== SQLITE_NULL &&
    (f.filterCol < 0 || truthValue(w.mems[j * width + f.filterCol], false));
  /** First position not before row j's (value, row) in idx's order. */
  const lowerBound = (j: number): number => {
    const v = val(j);
    let lo = 0;
    let hi = idx.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      const c = compareMem(val(idx[m]), v, coll);
      if (c < 0 || (c === 0 && (max ? idx[m] < j : idx[m] > j))) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const add = (j: number): void => {
    if (usable(j)) idx.splice(lowerBound(j), 0, j);
  };
  const remove = (j: number): void => {
    if (!usable(j)) return;
    const at = lowerBound(j);
    if (at < idx.length && idx[at] === j) idx.splice(at, 1);
  };
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const s = Math.max(0, bound(w, plan.startType, w.startOff, true, i));
    let e = Math.min(n - 1, bound(w, plan.endType, w.endOff, false, i));
    if (e < s - 1) e = s - 1;
    for (let j = lo; j < s && j <= hi; j++) remove(j);
    for (let j = Math.max(hi + 1, s); j <= e; j++) add(j);
    if (s > lo) lo = s;
    if (e > hi) hi = e;
    const out = w.results[i * nF + fi];
    if (idx.length === 0) out.setNull();
    else out.copyFrom(val(idx[max ? idx.length - 1 : 0]));
  }
}
