/*
 * Built-in aggregate functions (https://sqlite.org/lang_aggfunc.html; func.c): avg,
 * count (count(*) and count(X)), group_concat (1 and 2 args), string_agg, max, min, sum,
 * total. sum/total/avg/count/group_concat/string_agg have inverse() for sliding window
 * frames, as in SQLite; min/max have value() but no inverse (SQLite's window.c evaluates
 * min/max over sliding frames its own way, without an inverse).
 *
 * sum/total/avg share SumState (SQLite's SumCtx): an exact int64 sum while every input is
 * an INTEGER; at the first non-integer (or int64 overflow) it switches to a double with
 * Kahan-Babuska-Neumaier compensation (integers of magnitude >= 2^52 are added in two
 * parts, as SQLite does). Integer overflow makes sum() fail with "integer overflow";
 * total() and avg() never fail. Inputs are classified by sqlite3_value_numeric_type: text
 * that looks like a number counts as that number; other text and blobs count as their
 * REAL value (usually 0.0) and make the sum approximate.
 *
 * Invariants:
 *  1. One state object per group; step() allocates nothing for numeric input.
 *  2. Results match SQLite 3.53 in value and storage class, including empty groups:
 *     sum -> NULL, total -> 0.0, avg -> NULL, count -> 0, group_concat -> NULL,
 *     min/max -> NULL.
 */
import { SQLITE_INTEGER, SQLITE_NULL, decodeUtf8, encodeUtf8, type SqlValue } from "@strata/common";
import type { AggregateState, FuncArgs, FuncContext, KeptValue } from "./api.js";

const I64_MIN = -9223372036854775808n;
const I64_MAX = 9223372036854775807n;
const TWO52 = 4503599627370496;

function isOverflow(x: number): boolean {
  return x !== x || x === Infinity || x === -Infinity;
}

const SUM = 0;
const TOTAL = 1;
const AVG = 2;

/** SumCtx: shared by sum(), total() and avg(). */
export class SumState implements AggregateState {
  readonly mode: number;
  rSum = 0;
  rErr = 0;
  /** Exact integer sum while !approx: a number while safe, else bigSum. */
  iSum = 0;
  bigSum = 0n;
  isBig = false;
  cnt = 0;
  approx = false;
  ovrfl = false;

  constructor(mode: number) {
    this.mode = mode;
  }

  private kbnStep(r: number): void {
    const s = this.rSum;
    const t = s + r;
    if (Math.abs(s) > Math.abs(r)) this.rErr += (s - t) + r;
    else this.rErr += (r - t) + s;
    this.rSum = t;
  }

  private kbnStepInt(v: bigint): void {
    if (v <= -4503599627370496n || v >= 4503599627370496n) {
      const sm = v % 16384n;
      this.kbnStep(Number(v - sm));
      this.kbnStep(Number(sm));
    } else {
      this.kbnStep(Number(v));
    }
  }

  private kbnInit(): void {
    const v = this.isBig ? this.bigSum : BigInt(this.iSum);
    if (v <= -4503599627370496n || v >= 4503599627370496n) {
      const sm = v % 16384n;
      this.rSum = Number(v - sm);
      this.rErr = Number(sm);
    } else {
      this.rSum = Number(v);
      this.rErr = 0;
    }
  }

  /** Adds an exact integer; false on int64 overflow (the sum is unchanged then). */
  private addInt(args: FuncArgs, i: number, sign: number): boolean {
    const n = args.int(i);
    if (!this.isBig && n === n) {
      const s = sign > 0 ? this.iSum + n : this.iSum - n;
      if (s >= -9007199254740991 && s <= 9007199254740991) {
        this.iSum = s;
        return true;
      }
    }
    const cur = this.isBig ? this.bigSum : BigInt(this.iSum);
    const s = sign > 0 ? cur + args.bigint(i) : cur - args.bigint(i);
    if (s < I64_MIN || s > I64_MAX) return false;
    if (s >= -9007199254740991n && s <= 9007199254740991n) {
      this.isBig = false;
      this.iSum = Number(s);
    } else {
      this.isBig = true;
      this.bigSum = s;
    }
    return true;
  }

  step(_ctx: FuncContext, _argc: number, args: FuncArgs): void {
    const type = args.numericType(0);
    if (type === SQLITE_NULL) return;
    this.cnt++;
    if (!this.approx) {
      if (type !== SQLITE_INTEGER) {
        this.kbnInit();
        this.approx = true;
        this.kbnStep(args.real(0));
      } else if (!this.addInt(args, 0, 1)) {
        this.ovrfl = true;
        this.kbnInit();
        this.approx = true;
        this.kbnStepInt(args.bigint(0));
      }
    } else if (type === SQLITE_INTEGER) {
      const n = args.int(0);
      if (n === n && n > -TWO52 && n < TWO52) this.kbnStep(n);
      else this.kbnStepInt(args.bigint(0));
    } else {
      this.ovrfl = false;
      this.kbnStep(args.real(0));
    }
  }

  inverse(_ctx: FuncContext, _argc: number, args: FuncArgs): void {
    const type = args.numericType(0);
    if (type === SQLITE_NULL) return;
    this.cnt--;
    if (!this.approx) {
      if (!this.addInt(args, 0, -1)) {
        this.ovrfl = true;
        this.approx = true;
      }
    } else if (type === SQLITE_INTEGER) {
      const v = args.bigint(0);
      if (v !== I64_MIN) this.kbnStepInt(-v);
      else {
        this.kbnStepInt(I64_MAX);
        this.kbnStepInt(1n);
      }
    } else {
      this.kbnStep(-args.real(0));
    }
  }

  private approxValue(): number {
    return isOverflow(this.rErr) ? this.rSum : this.rSum + this.rErr;
  }

  private exactValue(): number {
    return this.isBig ? Number(this.bigSum) : this.iSum;
  }

  value(ctx: FuncContext): void {
    switch (this.mode) {
      case SUM:
        if (this.cnt <= 0) return ctx.resultNull();
        if (this.approx) {
          if (this.ovrfl) return ctx.resultError("integer overflow");
          return ctx.resultReal(this.approxValue());
        }
        if (this.isBig) return ctx.resultBigInt(this.bigSum);
        return ctx.resultInt(this.iSum);
      case TOTAL:
        return ctx.resultReal(this.approx ? this.approxValue() : this.exactValue());
      default:
        if (this.cnt <= 0) return ctx.resultNull();
        return ctx.resultReal((this.approx ? this.approxValue() : this.exactValue()) / this.cnt);
    }
  }

  finalize(ctx: FuncContext): void {
    this.value(ctx);
  }
}

/** count(*) (argc 0) and count(X). */
export class CountState implements AggregateState {
  n = 0;
  step(_ctx: FuncContext, argc: number, args: FuncArgs): void {
    if (argc === 0 || args.type(0) !== SQLITE_NULL) this.n++;
  }
  inverse(_ctx: FuncContext, argc: number, args: FuncArgs): void {
    if (argc === 0 || args.type(0) !== SQLITE_NULL) this.n--;
  }
  value(ctx: FuncContext): void {
    ctx.resultInt(this.n);
  }
  finalize(ctx: FuncContext): void {
    ctx.resultInt(this.n);
  }
}

/** min(X) / max(X) aggregates: the least/greatest non-NULL value under the call's collation. */
export class MinMaxState implements AggregateState {
  readonly max: boolean;
  /** The best value so far, kept unboxed (FuncArgs.keep: no allocation per row). */
  best: KeptValue | null = null;
  has = false;
  /** Whether the last step() made its argument the new best (the VM's min/max skip flag). */
  changed = false;
  constructor(max: boolean) {
    this.max = max;
  }
  step(ctx: FuncContext, _argc: number, args: FuncArgs): void {
    this.changed = false;
    if (args.type(0) === SQLITE_NULL) return;
    if (this.has) {
      const cmp = args.compareKept(0, this.best!, ctx.collation);
      if (this.max ? cmp <= 0 : cmp >= 0) return;
    }
    this.best = args.keep(0, this.best);
    this.has = true;
    this.changed = true;
  }
  inverse(): void {
    throw new Error("min()/max() have no inverse; the VM evaluates sliding frames another way");
  }
  value(ctx: FuncContext): void {
    if (!this.has) return ctx.resultNull();
    ctx.resultKept(this.best!);
  }
  finalize(ctx: FuncContext): void {
    this.value(ctx);
  }
}

/** Emits a boxed value through ctx with its storage class. */
export function emitValue(ctx: FuncContext, v: SqlValue): void {
  if (v === null) return ctx.resultNull();
  switch (typeof v) {
    case "number":
      if (Number.isSafeInteger(v)) return ctx.resultInt(v);
      return ctx.resultReal(v);
    case "bigint":
      return ctx.resultBigInt(v);
    case "string":
      return ctx.resultText(v);
    default:
      if (v instanceof Uint8Array) return ctx.resultBlob(v);
      return ctx.resultReal(v.value);
  }
}

/**
 * group_concat(X[,SEP]) / string_agg(X,SEP): the non-NULL values' text joined by SEP
 * ("," by default). Pieces are kept so inverse() can drop the oldest, as SQLite's
 * GroupConcatCtx tracks separator lengths.
 */
const NO_BYTES = new Uint8Array(0);
const NO_OFFSETS = new Int32Array(0);
const NO_VIEW = new DataView(NO_BYTES.buffer);

/**
 * group_concat / string_agg (SQLite's StrAccum). It starts in byte mode: pieces arriving as
 * UTF-8 bytes (text read from a record, FuncArgs.utf8) are appended to one byte buffer, as
 * SQLite appends to its accumulator, and decoded once for the result: no string per row.
 * The first argument not held as bytes, a separator that would not survive a UTF-8 round
 * trip (one with a surrogate code unit), or an inverse() (window frames) switches the
 * state to string mode for good: the pieces so far are decoded one by one into `parts`
 * and `seps`, the strings byte mode stood for.
 */
export class GroupConcatState implements AggregateState {
  /** String mode: separator before piece k (k >= 1; seps[head] is ""), the pieces. */
  seps: string[] = [];
  parts: string[] = [];
  head = 0;
  /** Byte mode: the result so far in buf[0..len); piece k's separator at
   *  buf[sepAt[k]..textAt[k]), its text up to sepAt[k + 1] (or len). */
  bytes = true;
  buf: Uint8Array = NO_BYTES;
  view: DataView = NO_VIEW;
  len = 0;
  n = 0;
  sepAt: Int32Array = NO_OFFSETS;
  textAt: Int32Array = NO_OFFSETS;
  /** The last separator string and its bytes (null: not byte-safe). */
  lastSep: string | null = null;
  lastSepBytes: Uint8Array | null = null;

  step(_ctx: FuncContext, argc: number, args: FuncArgs): void {
    if (args.type(0) === SQLITE_NULL) return;
    let sep = ",";
    if (argc === 2) sep = args.type(1) === SQLITE_NULL ? "" : (args.text(1) as string);
    if (this.bytes) {
      const src = args.utf8(0);
      if (src !== null) {
        const sb = this.sepBytes(sep);
        if (sb !== null) {
          this.append(sb, src, args.utf8View(0), args.utf8Length(0));
          return;
        }
      }
      this.toStrings();
    }
    this.seps.push(this.parts.length - this.head === 0 ? "" : sep);
    this.parts.push(args.text(0) as string);
  }

  private sepBytes(sep: string): Uint8Array | null {
    if (sep === this.lastSep) return this.lastSepBytes;
    let safe = true;
    for (let i = 0; i < sep.length; i++) {
      const c = sep.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) safe = false;
    }
    this.lastSep = sep;
    this.lastSepBytes = safe ? encodeUtf8(sep) : null;
    return this.lastSepBytes;
  }

  private append(sep: Uint8Array, src: Uint8Array, sv: DataView, n: number): void {
    const k = this.n;
    if (k === this.sepAt.length) {
      const m = Math.max(16, k * 2);
      const a = new Int32Array(m);
      a.set(this.sepAt);
      this.sepAt = a;
      const b = new Int32Array(m);
      b.set(this.textAt);
      this.textAt = b;
    }
    const sl = k === 0 ? 0 : sep.length;
    let at = this.len;
    if (at + sl + n > this.buf.length) {
      const b = new Uint8Array(Math.max(64, this.buf.length * 2, at + sl + n));
      b.set(this.buf.subarray(0, at));
      this.buf = b;
      this.view = new DataView(b.buffer);
    }
    const buf = this.buf;
    this.sepAt[k] = at;
    for (let i = 0; i < sl; i++) buf[at + i] = sep[i];
    at += sl;
    this.textAt[k] = at;
    const dv = this.view;
    let i = 0;
    for (; i + 4 <= n; i += 4) dv.setUint32(at + i, sv.getUint32(i));
    for (; i < n; i++) buf[at + i] = src[i];
    this.len = at + n;
    this.n = k + 1;
  }

  /** Byte mode to string mode (see the class comment). */
  private toStrings(): void {
    const { buf, n, sepAt, textAt } = this;
    for (let k = 0; k < n; k++) {
      this.seps.push(k === 0 ? "" : decodeUtf8(buf, sepAt[k], textAt[k]));
      this.parts.push(decodeUtf8(buf, textAt[k], k + 1 < n ? sepAt[k + 1] : this.len));
    }
    this.bytes = false;
    this.buf = NO_BYTES;
    this.view = NO_VIEW;
    this.len = 0;
    this.n = 0;
  }

  inverse(_ctx: FuncContext, _argc: number, args: FuncArgs): void {
    if (args.type(0) === SQLITE_NULL) return;
    if (this.bytes) this.toStrings();
    if (this.head < this.parts.length) this.head++;
    if (this.head < this.parts.length) this.seps[this.head] = "";
    if (this.head === this.parts.length) {
      this.parts.length = 0;
      this.seps.length = 0;
      this.head = 0;
    }
  }
  private joined(): string {
    let out = "";
    for (let k = this.head; k < this.parts.length; k++) out += this.seps[k] + this.parts[k];
    return out;
  }
  value(ctx: FuncContext): void {
    // NULL when no value is in the group (or all left the frame); "" for empty strings.
    if (this.bytes) {
      if (this.n === 0) return ctx.resultNull();
      return ctx.resultText(decodeUtf8(this.buf, 0, this.len));
    }
    if (this.parts.length === this.head) return ctx.resultNull();
    ctx.resultText(this.joined());
  }
  finalize(ctx: FuncContext): void {
    this.value(ctx);
  }
}

export function createSum(): AggregateState {
  return new SumState(SUM);
}
export function createTotal(): AggregateState {
  return new SumState(TOTAL);
}
export function createAvg(): AggregateState {
  return new SumState(AVG);
}
export function createCount(): AggregateState {
  return new CountState();
}
export function createMin(): AggregateState {
  return new MinMaxState(false);
}
export function createMax(): AggregateState {
  return new MinMaxState(true);
}
export function createGroupConcat(): AggregateState {
  return new GroupConcatState();
}
