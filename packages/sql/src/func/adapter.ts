/*
 * A plain adapter over the calling interface (api.ts): run a scalar function or an
 * aggregate on arrays of boxed SqlValue and get a SqlValue back, or a thrown SqliteError
 * when the function reports one. Tests and user-defined-function plumbing use it; the VM
 * implements FuncArgs/FuncContext over its registers instead.
 *
 * Invariants:
 *  1. ValueArgs converts exactly as the VM must (value/cast.ts), so a test through the
 *     adapter checks the function and the conversions together.
 *  2. callScalar / runAggregate throw SqliteError(code, message) iff the function called
 *     ctx.resultError; otherwise they return the last result set (NULL if none).
 */
import {
  BINARY, SQLITE_BLOB, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, SqliteError, compareValues, decodeUtf8, encodeUtf8, utf8Length,
  type Collation, type ResultCodeName, type SqlValue, type StorageClass,
} from "@strata/common";
import {
  currentTimeJD, type AggregateFuncDef, type FuncArgs, type FuncConnection, type FuncContext, type KeptValue, type ScalarFuncDef,
} from "./api.js";
import { storageClass, valueToBigInt, valueToInt, valueToReal, valueToText, realValue } from "../value/cast.js";
import { NUMERIC_INT, NUMERIC_REAL, numericAffinity } from "../value/text-to-number.js";
import { SQLITE_FLOAT } from "@strata/common";

const NO_VIEW = new DataView(new ArrayBuffer(0));

/** FuncArgs over an array of boxed values. */
export class ValueArgs implements FuncArgs {
  values: readonly SqlValue[];
  constructor(values: readonly SqlValue[]) {
    this.values = values;
  }
  type(i: number): StorageClass {
    return storageClass(this.values[i]);
  }
  int(i: number): number {
    return valueToInt(this.values[i]);
  }
  bigint(i: number): bigint {
    return valueToBigInt(this.values[i]);
  }
  real(i: number): number {
    return valueToReal(this.values[i]);
  }
  text(i: number): string | null {
    return valueToText(this.values[i]);
  }
  blob(i: number): Uint8Array | null {
    const v = this.values[i];
    const c = storageClass(v);
    if (c === SQLITE_NULL) return null;
    if (c === SQLITE_BLOB) return v as Uint8Array;
    return encodeUtf8(valueToText(v) as string);
  }
  bytes(i: number): number {
    const v = this.values[i];
    const c = storageClass(v);
    if (c === SQLITE_NULL) return 0;
    if (c === SQLITE_BLOB) return (v as Uint8Array).length;
    return utf8Length(valueToText(v) as string);
  }
  utf8(_i: number): Uint8Array | null {
    return null; // boxed values hold text as strings
  }
  utf8Length(_i: number): number {
    return 0;
  }
  utf8View(_i: number): DataView {
    return NO_VIEW;
  }
  subtype(_i: number): number {
    return 0; // boxed values carry no subtype
  }
  numericType(i: number): StorageClass {
    const v = this.values[i];
    const c = storageClass(v);
    if (c !== SQLITE_TEXT) return c;
    const k = numericAffinity(v as string, false);
    return k === NUMERIC_INT ? SQLITE_INTEGER : k === NUMERIC_REAL ? SQLITE_FLOAT : SQLITE_TEXT;
  }
  value(i: number): SqlValue {
    const v = this.values[i];
    return v instanceof Uint8Array ? v.slice() : v;
  }
  keep(i: number, into: KeptValue | null): KeptValue {
    const k = into === null ? new BoxedKept() : (into as BoxedKept);
    k.v = this.value(i);
    return k;
  }
  compareKept(i: number, kept: KeptValue, coll: Collation): number {
    return compareValues(this.values[i], (kept as BoxedKept).v, coll);
  }
}

/** ValueArgs' kept value: the boxed value. */
class BoxedKept {
  v: SqlValue = null;
}

let defaultConn: FuncConnection | null = null;

/** A connection with no inserts or changes and crypto randomness. */
export function defaultConnection(): FuncConnection {
  if (defaultConn === null) {
    defaultConn = {
      lastInsertRowid: () => 0,
      changes: () => 0,
      totalChanges: () => 0,
      randomBytes: (out) => {
        globalThis.crypto.getRandomValues(out as Uint8Array<ArrayBuffer>);
      },
    };
  }
  return defaultConn;
}

/** FuncContext that records the result as a boxed value. */
export class ResultCapture implements FuncContext {
  result: SqlValue = null;
  errorMessage: string | null = null;
  errorCode: ResultCodeName = "SQLITE_ERROR";
  readonly collation: Collation;
  readonly conn: FuncConnection;
  constructor(collation: Collation = BINARY, conn: FuncConnection = defaultConnection()) {
    this.collation = collation;
    this.conn = conn;
  }
  reset(): void {
    this.result = null;
    this.errorMessage = null;
    this.errorCode = "SQLITE_ERROR";
  }
  resultNull(): void {
    this.result = null;
  }
  resultInt(n: number): void {
    this.result = n === 0 ? 0 : n;
  }
  resultBigInt(b: bigint): void {
    this.result = b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  }
  resultReal(x: number): void {
    this.result = realValue(x);
  }
  resultText(s: string): void {
    this.result = s;
  }
  resultUtf8(buf: Uint8Array, _view: DataView, start: number, end: number): void {
    this.result = decodeUtf8(buf, start, end);
  }
  resultBlob(b: Uint8Array): void {
    this.result = b;
  }
  resultArg(args: FuncArgs, i: number): void {
    this.result = args.value(i);
  }
  resultKept(kept: KeptValue): void {
    this.result = (kept as BoxedKept).v;
  }
  private iCurrentTime = 0;
  stmtTime(): number {
    if (this.iCurrentTime === 0) this.iCurrentTime = currentTimeJD();
    return this.iCurrentTime;
  }
  resultSubtype(_t: number): void {
    // boxed results carry no subtype
  }
  resultError(message: string, code: ResultCodeName = "SQLITE_ERROR"): void {
    this.errorMessage = message;
    this.errorCode = code;
  }
  /** The result, or throws the reported error. */
  take(): SqlValue {
    if (this.errorMessage !== null) throw new SqliteError(this.errorCode, this.errorMessage);
    return this.result;
  }
}

export interface CallOptions {
  collation?: Collation;
  conn?: FuncConnection;
}

/** Runs a scalar function on boxed arguments. */
export function callScalar(def: ScalarFuncDef, args: readonly SqlValue[], opts?: CallOptions): SqlValue {
  const ctx = new ResultCapture(opts?.collation, opts?.conn);
  def.fn(ctx, args.length, new ValueArgs(args));
  return ctx.take();
}

/**
 * Runs an aggregate over rows of boxed arguments (one array per row) and returns the
 * final value. `inverse` rows, if given, are removed (window use) after all steps.
 */
export function runAggregate(
  def: AggregateFuncDef, rows: readonly (readonly SqlValue[])[], opts?: CallOptions & { inverse?: readonly (readonly SqlValue[])[] },
): SqlValue {
  const ctx = new ResultCapture(opts?.collation, opts?.conn);
  const state = def.create();
  const args = new ValueArgs([]);
  for (const row of rows) {
    args.values = row;
    state.step(ctx, row.length, args);
    if (ctx.errorMessage !== null) return ctx.take();
  }
  for (const row of opts?.inverse ?? []) {
    args.values = row;
    state.inverse(ctx, row.length, args);
  }
  ctx.reset();
  state.finalize(ctx);
  return ctx.take();
}
