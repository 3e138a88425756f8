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
import { SQLITE_INTEGER, SQLITE_NULL, encodeUtf8Into, type SqlValue } from "@strata/common";
import { MAX_LENGTH, resultTooBig, type AggregateState, type FuncArgs, type FuncContext, type KeptValue } from "./api.js";

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

  /**
   * step() for a safe integer argument, where it is simple: while the sum is an exact
   * number and stays safe, or once it is approximate and |n| < 2^52. False (and nothing
   * changed) otherwise: the caller then calls step().
   */
  tryInt(n: number): boolean {
    if (!this.approx) {
      if (this.isBig) return false;
      const s = this.iSum + n;
      if (!(s >= -9007199254740991 && s <= 9007199254740991)) return false;
      this.iSum = s;
    } else {
      if (!(n > -TWO52 && n < TWO52)) return false;
      this.kbnStep(n);
    }
    this.cnt++;
    return true;
  }

  /** step() for a REAL argument once the sum is approximate; false (nothing changed) before. */
  tryReal(r: number): boolean {
    if (!this.approx) return false;
    this.cnt++;
    this.ovrfl = false;
    this.kbnStep(r);
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
 * ("," by default), accumulated as UTF-8 bytes in one growing buffer (SQLite's StrAccum):
 * text read from a record is appended as the bytes it is (FuncArgs.utf8), no JS string
 * per row, and the result is handed over as bytes.
 *
 * As a window function it is SQLite 3.53's GroupConcatCtx, byte for byte: the separator
 * goes before each value but the first; inverse() drops the oldest value and the
 * separator after it (the lengths of separators are tracked only once they vary); when
 * the text becomes empty the next value is again a "first term" (no separator), even if
 * empty values remain in the frame, and the window's value is then a one-byte TEXT
 * holding NUL. The accumulated text is buf[start..end).
 */
export class GroupConcatState implements AggregateState {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private start = 0;
  private end = 0;
  /** The next value is a first term (SQLite: str.mxAlloc == 0). */
  private first = true;
  private stepped = false;
  /** Values presently concatenated (SQLite: nAccum). */
  private nAccum = 0;
  /** The first term's separator length (SQLite: nFirstSepLength). */
  private nFirstSep = 0;
  /** Separator lengths between the values, oldest at sepHead, once they vary; else null. */
  private sepLens: number[] | null = null;
  private sepHead = 0;
  /** The text grew past MAX_LENGTH: the result is SQLITE_TOOBIG (SQLite's accError). */
  private tooBig = false;
  /** Room for n more bytes; throws TOO_BIG past MAX_LENGTH. */
  private reserve(n: number): void {
    if (this.end + n <= this.buf.length) return;
    const live = this.end - this.start;
    if (live + n > MAX_LENGTH) throw TOO_BIG;
    const b = new Uint8Array(Math.max(live + n, this.buf.length * 2));
    b.set(this.buf.subarray(this.start, this.end));
    this.buf = b;
    this.view = new DataView(b.buffer);
    this.start = 0;
    this.end = live;
  }
  /** Appends argument i's text as UTF-8 (sqlite3_value_text); returns its byte length. */
  private appendArg(args: FuncArgs, i: number): number {
    const src = args.utf8(i);
    if (src === null && args.type(i) === SQLITE_INTEGER) {
      const v = args.int(i);
      if (v === v) return this.appendInt(v); // a safe integer: its digits, no string
    }
    if (src === null) {
      const s = args.text(i) as string;
      this.reserve(s.length * 3);
      const n = encodeUtf8Into(s, this.buf, this.end);
      this.end += n;
      return n;
    }
    const n = args.utf8Length(i);
    this.reserve(n);
    const buf = this.buf;
    const at = this.end;
    if (n <= 64) for (let k = 0; k < n; k++) buf[at + k] = src[k];
    else buf.set(src.subarray(0, n), at);
    this.end = at + n;
    return n;
  }
  /** Appends the decimal text of safe integer v (what String(v) gives); returns its length. */
  private appendInt(v: number): number {
    this.reserve(17);
    const buf = this.buf;
    const at = this.end;
    let p = at;
    if (v < 0) {
      buf[p++] = 45; // '-'
      v = -v;
    }
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let k = p + digits - 1; k >= p; k--) {
      buf[k] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.end = p + digits;
    return this.end - at;
  }

  step(ctx: FuncContext, argc: number, args: FuncArgs): void {
    if (this.tooBig) return;
    try {
      this.append(ctx, argc, args);
    } catch (e) {
      if (e !== TOO_BIG) throw e;
      this.tooBig = true; // keep nothing more: the group's result is the error
      this.start = this.end = 0;
    }
  }
  private append(_ctx: FuncContext, argc: number, args: FuncArgs): void {
    if (args.type(0) === SQLITE_NULL) return;
    this.stepped = true;
    const firstTerm = this.first;
    this.first = false;
    if (argc === 1) {
      if (!firstTerm) {
        this.reserve(1);
        this.buf[this.end++] = 0x2c; // ','
      } else this.nFirstSep = 1;
    } else if (!firstTerm) {
      const nSep = args.type(1) === SQLITE_NULL ? 0 : this.appendArg(args, 1);
      if (nSep !== this.nFirstSep || this.sepLens !== null) {
        if (this.sepLens === null) {
          this.sepLens = [];
          this.sepHead = 0;
          for (let i = 0; i < this.nAccum - 1; i++) this.sepLens.push(this.nFirstSep);
        }
        this.sepLens.push(nSep);
      }
    } else {
      this.nFirstSep = args.type(1) === SQLITE_NULL ? 0 : textBytes(args, 1);
    }
    this.nAccum++;
    this.appendArg(args, 0);
  }
  inverse(_ctx: FuncContext, _argc: number, args: FuncArgs): void {
    if (args.type(0) === SQLITE_NULL) return;
    let nVS = textBytes(args, 0);
    this.nAccum--;
    if (this.sepLens !== null) {
      if (this.nAccum > 0) nVS += this.sepLens[this.sepHead++];
    } else {
      nVS += this.nFirstSep; // removing the only value: harmlessly over-done, as SQLite does
    }
    if (nVS >= this.end - this.start) this.start = this.end;
    else this.start += nVS;
    if (this.start === this.end) {
      this.start = this.end = 0;
      this.first = true;
      this.sepLens = null;
    }
  }
  value(ctx: FuncContext): void {
    if (this.tooBig) return resultTooBig(ctx);
    if (this.start === this.end) return this.nAccum > 0 ? ctx.resultUtf8(NUL, NUL_VIEW, 0, 1) : ctx.resultNull();
    ctx.resultUtf8(this.buf, this.view, this.start, this.end);
  }
  /** The group's result: NULL when no value was in it; "" for empty strings. */
  finalize(ctx: FuncContext): void {
    if (this.tooBig) return resultTooBig(ctx);
    if (!this.stepped) return ctx.resultNull();
    ctx.resultUtf8(this.buf, this.view, this.start, this.end);
  }
}

const NUL = new Uint8Array([0]);
/** Thrown by GroupConcatState.reserve past MAX_LENGTH, caught in step. */
const TOO_BIG = new Error("group_concat: string or blob too big");
const NUL_VIEW = new DataView(NUL.buffer);

/** sqlite3_value_bytes of a non-NULL argument's text, without decoding text held as bytes. */
function textBytes(args: FuncArgs, i: number): number {
  return args.utf8(i) !== null ? args.utf8Length(i) : args.bytes(i);
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
