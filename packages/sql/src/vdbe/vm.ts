/*
 * vdbe/vm.ts: the virtual machine that runs a Program (SQLite's vdbe.c sqlite3VdbeExec;
 * https://sqlite.org/opcode.html): its registers, cursors and per-run state, and the loop
 * that dispatches each instruction to its handler through the table of ops-table.ts (the
 * handlers are in ops-control.ts, ops-value.ts, ops-cursor.ts, ops-write.ts and, for the
 * cold opcodes, ops-misc.ts). The helpers several handlers share (seeks, key probes,
 * deferred seeks) are methods here.
 *
 * Life of a VM: reset() (registers to NULL, cursors closed, pc 0) → exec() returns
 * VM_ROW with the row in regs[resultStart..resultStart+nResult), again and again, then
 * VM_DONE or VM_ERROR (the SqliteError in `error`). The host (the connection) turns the
 * end of a run into commit/rollback.
 *
 * Invariants:
 *  1. No per-row allocation in the loop for NULL/INTEGER/REAL values: registers and
 *     cursors are reused; TEXT/BLOB values allocate their string/bytes (see mem.ts), and
 *     MakeRecord allocates one small view object per record.
 *  2. No exceptions for control flow: a row, done and errors are return values; an
 *     exception thrown below (B-tree corruption, BUSY, a function error) is caught once
 *     at the loop's edge and becomes VM_ERROR.
 *  3. The comparison opcodes never modify their operand registers: affinity conversions
 *     happen on the scratch registers cmpA/cmpB.
 */
import { SqliteError, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, compareRecordRanges, readSerialInt, resultCodeName, type Collation, type TextEncoding } from "@strata/common";
import type { Btree, Pager, TableCursor } from "@strata/pager";
import type { AggregateState, FuncConnection } from "../func/api.js";
import { VdbeCursor } from "./cursor.js";
import { RegArgs, RegContext } from "./func-bridge.js";
import { RecordBuffer, readColumn } from "./make-record.js";
import { Mem, applyNumericAffinityForCompare } from "./mem.js";
import { Op, OPFLAG_NCHANGE, VM_ERROR } from "./opcodes.js";
import { OP_HANDLERS } from "./ops-table.js";
import type { PragmaCall, PragmaValue } from "./ops-pragma.js";
import type { TriggerFrame } from "./ops-trigger.js";
import { fkHalt, type FkState } from "./ops-fkey.js";
import type { P4, Program } from "./program.js";

export { VM_DONE, VM_ERROR, VM_ROW } from "./opcodes.js";

const USES_ONCE = 1;
const USES_AGGS = 2;
const USES_ROWSETS = 4;
const USES_WINDOWS = 8;

/** One database of the connection as the VM sees it (engine/databases.ts; P3 of OpenRead). */
export interface VdbeDb {
  readonly pager: Pager | null;
  readonly btree: Btree | null;
}

/** What the VM needs from its connection. */
export interface VdbeHost {
  readonly pager: Pager;
  readonly btree: Btree;
  /** main, temp, attached databases, by index (opened before a program that uses them runs). */
  readonly dbs: readonly VdbeDb[];
  readonly encoding: TextEncoding;
  readonly funcConn: FuncConnection;
  /** Set by interrupt(); checked at every loop step. */
  interrupted: boolean;
  /**
   * Transaction opcode: open a read/write transaction, check the schema cookie; a write
   * inside a transaction also opens `vm`'s statement journal.
   */
  transaction(iDb: number, write: boolean, cookie: number, checkCookie: boolean, vm: VM, generation: number): void;
  /** AutoCommit opcode (BEGIN / COMMIT / ROLLBACK). */
  autoCommit(on: boolean, rollback: boolean): void;
  /** Savepoint opcode: 0 SAVEPOINT, 1 RELEASE, 2 ROLLBACK TO. */
  savepoint(op: number, name: string, vm: VM): void;
  /** The schema of database iDb changed inside this transaction: reload it. */
  schemaChanged(iDb: number): void;
  setLastInsertRowid(v: number | bigint): void;
  /** Pragma opcode: runs one PRAGMA, returns its rows (engine/pragma-exec.ts). */
  pragma(call: PragmaCall): readonly (readonly PragmaValue[])[];
  /** sqlite3_changes() / sqlite3_last_insert_rowid() as they stand (saved around trigger programs). */
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
  /** ResetCount: changes() = n inside a trigger program (total_changes() is settled at the statement's end). */
  resetCount(n: number): void;
  /** A trigger program completed: total_changes() += n. */
  addTotalChanges(n: number): void;
  /** The end of a trigger program: changes() and last_insert_rowid() back to their saved values. */
  restoreCounts(nChange: number, lastRowid: number | bigint): void;
  /** Vacuum opcode: rebuild database iDb, or write a vacuumed copy to the new file `into` (engine/vacuum.ts). */
  vacuum(into: string | null, vm: VM, iDb: number): void;
  /** Attach / Detach opcodes (engine/connection.ts). */
  attach(file: string, name: string): void;
  detach(name: string): void;
  /** Foreign keys (ops-fkey.ts): the deferred counters, PRAGMA defer_foreign_keys. */
  readonly fk: FkState;
  readonly deferForeignKeys: boolean;
  readonly autocommit: boolean;
  /** No statement but `vm` is writing (SQLite's db->nVdbeWrite check before a commit). */
  soleWriter(vm: VM): boolean;
}

export class VM {
  readonly prog: Program;
  /** prog's operand arrays, one load nearer for the opcode handlers (vm.p1[pc]). */
  readonly opcode: Int32Array;
  readonly p1: Int32Array;
  readonly p2: Int32Array;
  readonly p3: Int32Array;
  readonly p4: readonly P4[];
  readonly p5: Int32Array;
  readonly host: VdbeHost;
  readonly regs: Mem[];
  readonly cursors: (VdbeCursor | null)[];
  /** The closed cursor object of each slot, reused by the next open (cursor.ts invariant 5). */
  private readonly spareCursors: (VdbeCursor | null)[];
  /** Bound parameter values (index 0 = ?1). */
  readonly vars: Mem[];
  pc: number;
  resultStart: number;
  nResult: number;
  error: SqliteError | null;
  /** Whether this run opened a write transaction / changed the database. */
  wrote: boolean;
  /**
   * The conflict action of a failed run (SQLite's OE_*: 1 ROLLBACK, 2 ABORT, 3 FAIL):
   * P2 of the Halt/HaltIfNull that failed, ABORT for every other error.
   */
  errorAction: number;
  /** Rows counted by Insert/Delete with OPFLAG_NCHANGE in this run (SQLite's Vdbe.nChange). */
  nChange: number;
  /** The program counts changes (INSERT/UPDATE/DELETE): its end sets changes(). */
  readonly countsChanges: boolean;
  /** USES_* bits: which kinds of per-run state (Once flags, aggregates, rowsets, windows)
   *  the program's opcodes can set, so reset() clears only those. */
  private readonly uses: number;
  started: boolean;
  readonly onceFlags: Uint8Array;
  readonly cmpA: Mem;
  readonly cmpB: Mem;
  readonly tmp: Mem;
  readonly recbuf: RecordBuffer;
  readonly keybuf: RecordBuffer;
  readonly args: RegArgs;
  readonly ctx: RegContext;
  funcColl: Collation | null;
  /** CollSeq P1: the register the next min()/max() AggStep sets to 1 when its value stays (ops-misc.ts). */
  hitReg: number;
  readonly aggs: (AggregateState | null)[];
  /** Per accumulator register, the state's class for AggStep's short path (AGG_COUNT,
   *  AGG_SUM, else 0), set when the state is made (ops-misc.ts AggStep). */
  readonly aggKind: Uint8Array;
  readonly rowsets: ((number | bigint)[] | null)[];
  /** Window states by WindowOpen P1 (ops-window.ts). */
  readonly windows: (object | null)[];
  readonly rowsetPos: Int32Array;
  /** Trigger programs (ops-trigger.ts): the calling frame, nesting depth and cached sub-VMs. */
  frame: TriggerFrame | null;
  /** The host's bookkeeping of running statements (engine/connection.ts), kept on the VM
   *  rather than in Sets keyed by it: whether the VM is running, the pager level of its
   *  statement journal (0: none), whether it opened a write transaction and whether it
   *  writes inside a transaction without a statement journal (Program.usesStmtJournal false). */
  hostActive: boolean;
  hostStmtLevel: number;
  hostWriter: boolean;
  hostNoJournal: boolean;
  /** The statement's immediate foreign key violations (ops-fkey.ts; SQLite's Vdbe.nFkConstraint). */
  nFkConstraint: number;
  /** The connection's deferred counters when this statement started (restored if it is undone). */
  stmtDefCons: number;
  stmtDefImmCons: number;

  constructor(prog: Program, host: VdbeHost, nVar: number) {
    this.prog = prog;
    this.opcode = prog.opcode;
    this.p1 = prog.p1;
    this.p2 = prog.p2;
    this.p3 = prog.p3;
    this.p4 = prog.p4;
    this.p5 = prog.p5;
    this.host = host;
    this.regs = [];
    for (let i = 0; i < prog.nMem; i++) this.regs.push(new Mem());
    this.cursors = new Array<VdbeCursor | null>(prog.nCursor).fill(null);
    this.spareCursors = new Array<VdbeCursor | null>(prog.nCursor).fill(null);
    this.vars = [];
    for (let i = 0; i < nVar; i++) this.vars.push(new Mem());
    this.pc = 0;
    this.resultStart = 0;
    this.nResult = 0;
    this.error = null;
    this.wrote = false;
    this.errorAction = 2;
    this.nChange = 0;
    let counts = prog.countChanges;
    let uses = 0;
    for (let i = 0; i < prog.nOp; i++) {
      const o = prog.opcode[i];
      if (o === Op.Once) uses |= USES_ONCE;
      else if (o === Op.AggStep || o === Op.AggFinal) uses |= USES_AGGS;
      else if (o === Op.RowSetAdd || o === Op.RowSetRead) uses |= USES_ROWSETS;
      else if (o === Op.WindowOpen || o === Op.WindowNext) uses |= USES_WINDOWS;
      if ((o === Op.Insert || o === Op.Delete || o === Op.IdxInsert) && (prog.p5[i] & OPFLAG_NCHANGE) !== 0) counts = true;
      if (o === Op.Clear && prog.p3[i] !== 0) counts = true;
      if (o === Op.Program && (prog.p5[i] & 2) !== 0) counts = true; // ops-trigger.ts: changes counted as this program's
    }
    this.countsChanges = counts;
    this.uses = uses;
    this.started = false;
    this.onceFlags = new Uint8Array(prog.nOp);
    this.cmpA = new Mem();
    this.cmpB = new Mem();
    this.tmp = new Mem();
    this.recbuf = new RecordBuffer();
    this.keybuf = new RecordBuffer();
    this.args = new RegArgs(this.regs);
    this.ctx = new RegContext(this.tmp, host.funcConn);
    this.funcColl = null;
    this.hitReg = 0;
    this.aggs = new Array<AggregateState | null>(prog.nMem).fill(null);
    this.aggKind = new Uint8Array(prog.nMem);
    this.rowsets = new Array<(number | bigint)[] | null>(prog.nMem).fill(null);
    this.rowsetPos = new Int32Array(prog.nMem);
    this.windows = new Array<object | null>(prog.nCursor).fill(null);
    this.frame = null;
    this.hostActive = false;
    this.hostStmtLevel = 0;
    this.hostWriter = false;
    this.hostNoJournal = false;
    this.nFkConstraint = 0;
    this.stmtDefCons = 0;
    this.stmtDefImmCons = 0;
  }

  /** Back to the start: registers NULL, cursors closed (bindings kept). */
  reset(): void {
    for (let i = 0; i < this.regs.length; i++) this.regs[i].setNull();
    this.closeCursors();
    this.pc = 0;
    this.error = null;
    this.wrote = false;
    this.errorAction = 2;
    this.nChange = 0;
    this.started = false;
    this.ctx.iCurrentTime = 0;
    // Only the per-run state this program can have set (fill() costs a call per array,
    // and reset runs once per statement execution).
    const uses = this.uses;
    if ((uses & USES_ONCE) !== 0) this.onceFlags.fill(0);
    if ((uses & USES_AGGS) !== 0) this.aggs.fill(null);
    if ((uses & USES_ROWSETS) !== 0) this.rowsets.fill(null);
    if ((uses & USES_WINDOWS) !== 0) this.windows.fill(null);
    this.nFkConstraint = 0;
  }

  closeCursors(): void {
    for (let i = 0; i < this.cursors.length; i++) {
      const c = this.cursors[i];
      if (c !== null) {
        c.close();
        this.cursors[i] = null;
        this.spareCursors[i] = c;
      }
    }
  }

  /** Runs until a row, the end or an error (invariant 2). */
  exec(): number {
    this.started = true;
    try {
      return this.loop();
    } catch (e) {
      this.error = e instanceof SqliteError ? e : new SqliteError("SQLITE_ERROR", e instanceof Error ? e.message : String(e));
      // Trigger frames nest on the JS stack (ops-trigger.ts): when it runs out before
      // SQLITE_MAX_TRIGGER_DEPTH, the error is the one the depth limit gives.
      if (e instanceof RangeError && e.message.includes("call stack") && this.frame !== null && this.frame.depth > 0) {
        this.error = new SqliteError("SQLITE_ERROR", "too many levels of trigger recursion");
      } else if (e instanceof Error && isJsSizeError(e.message)) {
        // A string or blob past what the JS engine can hold (V8: ~2^29 UTF-16 units; Node's
        // Buffer decoding throws ERR_STRING_TOO_LONG, a plain Error).
        this.error = new SqliteError("SQLITE_TOOBIG", "string or blob too big");
      }
      return VM_ERROR;
    }
  }

  /** Builds a record of regs[first..first+n) in `keybuf`. */
  key(first: number, n: number): number {
    return this.keybuf.encodeMems(this.regs, first, n, this.host.encoding);
  }

  openCursor(i: number, kind: number): VdbeCursor {
    let c = this.cursors[i];
    if (c !== null) c.close();
    else c = this.spareCursors[i];
    if (c !== null && c.deferredFrom === null && !this.isDeferredTarget(c)) c.reinit(kind, this.host.encoding);
    else c = new VdbeCursor(kind, this.host.encoding);
    this.spareCursors[i] = null;
    this.cursors[i] = c;
    return c;
  }

  /** Whether another open cursor still points at `c` through a DeferredSeek (then `c`
   *  cannot be reused in place). */
  private isDeferredTarget(c: VdbeCursor): boolean {
    const cs = this.cursors;
    for (let k = 0; k < cs.length; k++) {
      const o = cs[k];
      if (o !== null && o.deferredFrom === c) return true;
    }
    return false;
  }

  /** A table B-tree cursor on `root`: the slot's spare one reopened, else a new one. */
  tableCursor(c: VdbeCursor, bt: Btree, root: number, write: boolean): TableCursor {
    const s = c.spareTable;
    if (s !== null && s.root === root && s.writable === write && bt.reopenCursor(s)) return s;
    return bt.tableCursor(root, write);
  }

  fail(code: number, msg: string): number {
    const name = resultCodeName(code);
    this.error = new SqliteError(name as never, msg);
    return VM_ERROR;
  }

  /** Runs instructions from this.pc until a handler leaves the loop (ops-table.ts). */
  private loop(): number {
    const opcode = this.opcode;
    const handlers = OP_HANDLERS;
    let pc = this.pc;
    for (;;) {
      pc = handlers[opcode[pc]](this, pc);
      if (pc < 0) return -pc;
    }
  }

  interrupt(pc: number): number {
    this.pc = pc;
    this.error = new SqliteError("SQLITE_INTERRUPT", "interrupted");
    return VM_ERROR;
  }

  idxRowid(c: VdbeCursor, dest: Mem): void {
    if (c.parsedSeq !== c.seq) c.loadKey();
    const rd = c.reader;
    // The rowid is the entry's last field: its serial type is the header's last byte (a
    // one-byte varint when the byte before it ends a varint too) and its body the record's
    // last bytes (SQLite's sqlite3VdbeIdxRowid); anything else parses the whole header.
    const buf = rd.buf;
    const hdrEnd = rd.headerEnd;
    const st = buf[hdrEnd - 1];
    if (st >= 1 && st <= 9 && st !== 7 && hdrEnd - rd.start >= 2 && buf[hdrEnd - 2] < 0x80) {
      const len = st === 5 ? 6 : st === 6 ? 8 : st >= 8 ? 0 : st;
      if (rd.end - len >= hdrEnd) {
        const v = readSerialInt(buf, rd.end - len, st);
        if (v === v) {
          dest.setInt(v);
          return;
        }
      }
    }
    readColumn(rd, rd.columnCount - 1, dest);
  }

  finishDeferredSeek(t: VdbeCursor): void {
    const ic = t.deferredFrom!;
    t.deferredFrom = null;
    this.idxRowid(ic, this.cmpA);
    const m = this.cmpA;
    const r = m.big === null ? t.table!.seek(m.i) : t.table!.seekBig(m.big);
    t.seq++;
    if (r !== 0) t.nullRow = true;
  }

  /** Positions for SeekGE/GT/LE/LT; false when no entry qualifies. */
  seek(c: VdbeCursor, op: number, first: number, n: number): boolean {
    if (c.table !== null) {
      const t = c.table;
      let m = this.regs[first];
      let ge = op === Op.SeekGE || op === Op.SeekGT;
      if (m.type !== SQLITE_INTEGER) {
        if (m.type === SQLITE_TEXT) { this.cmpA.copyFrom(m); applyNumericAffinityForCompare(this.cmpA); m = this.cmpA; }
        if (m.type !== SQLITE_INTEGER && m.type !== SQLITE_FLOAT) {
          // NULL: no row. TEXT that is not a number, or a BLOB, sorts after every rowid:
          // no row is >= it, every row is <= it (SQLite's OP_SeekGE..LT).
          if (m.type === SQLITE_NULL || ge) return false;
          return t.last();
        }
      }
      let key: number | bigint;
      let strict = op === Op.SeekGT || op === Op.SeekLT;
      if (m.type === SQLITE_FLOAT) {
        const r = m.r;
        if (r >= 9223372036854775808) { if (ge) return false; key = 9223372036854775807n; strict = false; }
        else if (r < -9223372036854775808) { if (!ge) return false; key = -9223372036854775808n; strict = false; }
        else {
          const f = ge ? Math.ceil(r) : Math.floor(r);
          if (f !== r) strict = false;
          key = Number.isSafeInteger(f) ? f : BigInt(f);
        }
      } else key = m.big ?? m.i;
      const res = typeof key === "number" ? t.seek(key) : t.seekBig(key);
      if (t.eof()) return false;
      if (ge) {
        if (res < 0 || (res === 0 && strict)) return t.next();
        return true;
      }
      if (res > 0 || (res === 0 && strict)) return t.prev();
      return true;
    }
    const len = this.key(first, n);
    const ge = op === Op.SeekGE || op === Op.SeekGT;
    const defaultRc = op === Op.SeekGE || op === Op.SeekLT ? 1 : -1;
    if (c.tree !== null) return c.tree.seek(this.keybuf.buf, len, defaultRc, ge);
    const ix = c.index!;
    const res = ix.seek(this.keybuf.buf, defaultRc, 0, len);
    if (ix.eof()) return false;
    if (ge) return res < 0 ? ix.next() : true;
    return res > 0 ? ix.prev() : true;
  }

  /** Whether an entry's first n fields equal regs[first..first+n). */
  findKey(c: VdbeCursor, first: number, n: number): boolean {
    const len = this.key(first, n);
    const kb = this.keybuf.buf;
    c.moved();
    if (c.tree !== null) return c.tree.find(kb, len);
    const ix = c.index!;
    const res = ix.seek(kb, 1, 0, len);
    if (ix.eof()) return false;
    if (res < 0 && !ix.next()) return false;
    c.loadKey();
    const rd = c.reader;
    return compareRecordRanges(rd.buf, rd.start, rd.end, kb, 0, len, c.keyInfo!, 0) === 0;
  }
}

/**
 * A JS engine's "too big" error (V8: "Invalid string length", "Invalid array length",
 * "Invalid typed array length", "Array buffer allocation failed"; Node's Buffer decoding:
 * "Cannot create a string longer ..."). Plain substring tests, no RegExp: this runs in the
 * catch of every nested trigger VM while a stack overflow unwinds, where compiling a RegExp
 * can fail and abort the process.
 */
function isJsSizeError(m: string): boolean {
  return m.includes("Invalid string length") || m.includes("Invalid array length") || m.includes("Invalid typed array length") ||
    m.includes("Array buffer allocation failed") || m.includes("Cannot create a string longer");
}
