/*
 * vdbe/func-bridge.ts: the func/ calling interface (func/api.ts: FuncArgs, FuncContext)
 * implemented over VM registers, as sqlite3_value is a Mem and sqlite3_context points at
 * the output Mem (https://sqlite.org/c3ref/value_blob.html).
 *
 * Invariants:
 *  1. One RegArgs and one RegContext per VM, re-pointed (base, out) before each call:
 *     nothing is allocated per call.
 *  2. Getters convert as mem.ts's sqlite3_value_* equivalents; they never change the
 *     register (SQLite may cache a conversion; the value seen is the same).
 */
import {
  BINARY, SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, utf8Length,
  type Collation, type ResultCodeName, type SqlValue, type StorageClass,
} from "@strata/common";
import { currentTimeJD, type FuncArgs, type FuncConnection, type FuncContext, type KeptValue } from "../func/api.js";
import { numericAffinity, NUMERIC_INT, NUMERIC_REAL } from "../value/text-to-number.js";
import { bigIntValue, blobValue, compareMem, intValue, Mem, memText, realValue, textValue } from "./mem.js";

export class RegArgs implements FuncArgs {
  regs: Mem[];
  base: number;
  constructor(regs: Mem[]) {
    this.regs = regs;
    this.base = 0;
  }
  type(i: number): StorageClass {
    return this.regs[this.base + i].type as StorageClass;
  }
  int(i: number): number {
    return intValue(this.regs[this.base + i]);
  }
  bigint(i: number): bigint {
    return bigIntValue(this.regs[this.base + i]);
  }
  real(i: number): number {
    return realValue(this.regs[this.base + i]);
  }
  text(i: number): string | null {
    return textValue(this.regs[this.base + i]);
  }
  blob(i: number): Uint8Array | null {
    return blobValue(this.regs[this.base + i]);
  }
  bytes(i: number): number {
    const m = this.regs[this.base + i];
    if (m.type === SQLITE_NULL) return 0;
    if (m.type === SQLITE_BLOB) return m.b!.length;
    return utf8Length(textValue(m)!);
  }
  subtype(i: number): number {
    const m = this.regs[this.base + i];
    return m.type === SQLITE_TEXT ? m.sub : 0;
  }
  utf8(i: number): Uint8Array | null {
    const m = this.regs[this.base + i];
    return m.type === SQLITE_TEXT && m.tl >= 0 ? m.tb : null;
  }
  utf8Length(i: number): number {
    return this.regs[this.base + i].tl;
  }
  utf8View(i: number): DataView {
    return this.regs[this.base + i].tv;
  }
  numericType(i: number): StorageClass {
    const m = this.regs[this.base + i];
    if (m.type !== SQLITE_TEXT) return m.type as StorageClass;
    const k = numericAffinity(memText(m), false);
    return k === NUMERIC_INT ? SQLITE_INTEGER : k === NUMERIC_REAL ? SQLITE_FLOAT : SQLITE_TEXT;
  }
  value(i: number): SqlValue {
    const m = this.regs[this.base + i];
    if (m.type === SQLITE_BLOB) return m.b!.slice();
    return m.toValue(true);
  }
  keep(i: number, into: KeptValue | null): KeptValue {
    // A register's blob is never written in place (mem.ts), so the copy may share it.
    const k = into === null ? new Mem() : (into as Mem);
    k.copyFrom(this.regs[this.base + i]);
    return k;
  }
  compareKept(i: number, kept: KeptValue, coll: Collation): number {
    return compareMem(this.regs[this.base + i], kept as Mem, coll);
  }
}

export class RegContext implements FuncContext {
  out: Mem;
  error: string | null;
  errorCode: ResultCodeName;
  collation: Collation;
  readonly conn: FuncConnection;
  /** sqlite3StmtCurrentTime's cache (Vdbe.iCurrentTime): 0 until read; the VM's reset() clears it. */
  iCurrentTime: number;
  constructor(out: Mem, conn: FuncConnection) {
    this.out = out;
    this.error = null;
    this.errorCode = "SQLITE_ERROR";
    this.collation = BINARY;
    this.conn = conn;
    this.iCurrentTime = 0;
  }
  stmtTime(): number {
    if (this.iCurrentTime === 0) this.iCurrentTime = currentTimeJD();
    return this.iCurrentTime;
  }
  resultNull(): void {
    this.out.setNull();
  }
  resultInt(n: number): void {
    this.out.setInt(n);
  }
  resultBigInt(b: bigint): void {
    this.out.setBigInt(b);
  }
  resultReal(x: number): void {
    this.out.setReal(x);
  }
  resultText(s: string): void {
    this.out.setText(s);
  }
  resultUtf8(buf: Uint8Array, view: DataView, start: number, end: number): void {
    this.out.setTextBytes(buf, view, start, end);
  }
  resultBlob(b: Uint8Array): void {
    this.out.setBlob(b);
  }
  resultArg(args: FuncArgs, i: number): void {
    if (args instanceof RegArgs) {
      const m = args.regs[args.base + i];
      this.out.copyFrom(m);
      if (m.type === SQLITE_BLOB) this.out.b = m.b!.slice();
    } else this.out.setValue(args.value(i));
  }
  resultKept(kept: KeptValue): void {
    this.out.copyFrom(kept as Mem);
  }
  resultSubtype(t: number): void {
    if (this.out.type === SQLITE_TEXT) this.out.sub = t;
  }
  resultError(message: string, code?: ResultCodeName): void {
    this.error = message;
    this.errorCode = code ?? "SQLITE_ERROR";
  }
}
