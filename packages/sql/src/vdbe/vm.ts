/*
 * vdbe/vm.ts: the virtual machine that runs a Program (SQLite's vdbe.c sqlite3VdbeExec;
 * https://sqlite.org/opcode.html). One dense `switch` over the opcode numbers of
 * opcodes.ts; the rare, cold opcodes (schema, cookies, transactions, aggregates,
 * rowsets) are in ops-misc.ts.
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
import {
  BINARY, SqliteError, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT, compareRecordRanges,
  resultCodeName, type Collation, type KeyInfo, type TextEncoding,
} from "@strata/common";
import type { Btree, Pager, TableCursor } from "@strata/pager";
import { recordComparator } from "@strata/pager";
import type { AggregateState, FuncConnection, ScalarFuncDef } from "../func/api.js";
import { CURSOR_EPHEMERAL, CURSOR_INDEX, CURSOR_PSEUDO, CURSOR_SORTER, CURSOR_TABLE, RecordSet, VdbeCursor } from "./cursor.js";
import { RecordTree } from "./record-tree.js";
import { RegArgs, RegContext } from "./func-bridge.js";
import { RecordBuffer, readColumn } from "./make-record.js";
import {
  Mem, applyAffinity, applyNumericAffinityForCompare, arith, bitop, castMem, compareMem, intValue, numericValue,
  textValue, truthValue, INT_OUT,
} from "./mem.js";
import { AFF_MASK, AFF_NUMERIC, AFF_TEXT, JUMPIFNULL, NULLEQ, Op, OPFLAG_EPHEMREC, OPFLAG_LASTROWID, OPFLAG_NCHANGE } from "./opcodes.js";
import { execMisc } from "./ops-misc.js";
import type { PragmaCall, PragmaValue } from "./ops-pragma.js";
import type { TriggerFrame } from "./ops-trigger.js";
import { fkHalt, type FkState } from "./ops-fkey.js";
import type { Program } from "./program.js";

export const VM_ROW = 100; // SQLITE_ROW
export const VM_DONE = 101; // SQLITE_DONE
export const VM_ERROR = 1;

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
  readonly rowsets: ((number | bigint)[] | null)[];
  /** Window states by WindowOpen P1 (ops-window.ts). */
  readonly windows: (object | null)[];
  readonly rowsetPos: Int32Array;
  /** Trigger programs (ops-trigger.ts): the calling frame, nesting depth and cached sub-VMs. */
  frame: TriggerFrame | null;
  /** The host's bookkeeping of running statements (engine/connection.ts), kept on the VM
   *  rather than in Sets keyed by it: whether the VM is running, the pager level of its
   *  statement journal (0: none) and whether it opened a write transaction. */
  hostActive: boolean;
  hostStmtLevel: number;
  hostWriter: boolean;
  /** The statement's immediate foreign key violations (ops-fkey.ts; SQLite's Vdbe.nFkConstraint). */
  nFkConstraint: number;
  /** The connection's deferred counters when this statement started (restored if it is undone). */
  stmtDefCons: number;
  stmtDefImmCons: number;

  constructor(prog: Program, host: VdbeHost, nVar: number) {
    this.prog = prog;
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
    this.rowsets = new Array<(number | bigint)[] | null>(prog.nMem).fill(null);
    this.rowsetPos = new Int32Array(prog.nMem);
    this.windows = new Array<object | null>(prog.nCursor).fill(null);
    this.frame = null;
    this.hostActive = false;
    this.hostStmtLevel = 0;
    this.hostWriter = false;
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
  private tableCursor(c: VdbeCursor, bt: Btree, root: number, write: boolean): TableCursor {
    const s = c.spareTable;
    if (s !== null && s.root === root && s.writable === write && bt.reopenCursor(s)) return s;
    return bt.tableCursor(root, write);
  }

  private fail(code: number, msg: string): number {
    const name = resultCodeName(code);
    this.error = new SqliteError(name as never, msg);
    return VM_ERROR;
  }

  private loop(): number {
    const prog = this.prog;
    const opcode = prog.opcode;
    const P1 = prog.p1;
    const P2 = prog.p2;
    const P3 = prog.p3;
    const P5 = prog.p5;
    const P4 = prog.p4;
    const regs = this.regs;
    const host = this.host;
    let pc = this.pc;
    for (;;) {
      const op = opcode[pc];
      switch (op) {
        case Op.Init:
          pc = P2[pc];
          continue;
        case Op.Goto:
          if (host.interrupted) return this.interrupt(pc);
          pc = P2[pc];
          continue;
        case Op.Halt: {
          this.pc = pc;
          if (P1[pc] !== 0) {
            this.errorAction = P2[pc] === 0 ? 2 : P2[pc];
            // P3: a register holding the message (RAISE with an expression).
            return this.fail(P1[pc], P3[pc] !== 0 ? textValue(regs[P3[pc]]) ?? "" : P4[pc] as string);
          }
          if (P2[pc] !== 0) this.errorAction = P2[pc]; // OE_IGNORE: RAISE(IGNORE) ends a trigger program (ops-trigger.ts)
          if ((this.frame === null || this.frame.parent === null) && fkHalt(this)) return VM_ERROR;
          return VM_DONE;
        }
        case Op.HaltIfNull:
          if (regs[P3[pc]].type === SQLITE_NULL) {
            this.pc = pc;
            this.errorAction = P2[pc] === 0 ? 2 : P2[pc];
            return this.fail(P1[pc], P4[pc] as string);
          }
          break;
        case Op.OpenRead: case Op.OpenWrite: {
          const write = op === Op.OpenWrite;
          const root = P5[pc] === 2 ? regs[P2[pc]].i : P2[pc];
          const p4 = P4[pc];
          const bt = P3[pc] === 0 ? host.btree : host.dbs[P3[pc]].btree!;
          if (typeof p4 === "number") {
            const c = this.openCursor(P1[pc], CURSOR_TABLE);
            c.table = this.tableCursor(c, bt, root, write);
            c.nField = p4;
          } else {
            const c = this.openCursor(P1[pc], CURSOR_INDEX);
            c.keyInfo = p4 as KeyInfo;
            const s = c.spareIndex;
            if (s !== null && s.root === root && s.writable === write && c.spareKeyInfo === c.keyInfo && bt.reopenCursor(s)) c.index = s;
            else c.index = bt.indexCursor(root, recordComparator(c.keyInfo), write);
            c.nField = c.keyInfo.nField;
          }
          break;
        }
        case Op.OpenEphemeral: case Op.SorterOpen: {
          const c = this.openCursor(P1[pc], op === Op.SorterOpen ? CURSOR_SORTER : CURSOR_EPHEMERAL);
          c.keyInfo = P4[pc] as KeyInfo;
          if (op === Op.SorterOpen) c.set = c.newSorterSet(c.keyInfo);
          else c.tree = new RecordTree(c.keyInfo);
          c.nField = P2[pc];
          break;
        }
        case Op.OpenPseudo: {
          const c = this.openCursor(P1[pc], CURSOR_PSEUDO);
          c.pseudoReg = P2[pc];
          c.nField = P3[pc];
          break;
        }
        case Op.Close: {
          const c = this.cursors[P1[pc]];
          if (c !== null) { c.close(); this.cursors[P1[pc]] = null; }
          break;
        }
        case Op.NullRow: {
          const c = this.cursors[P1[pc]]!;
          c.seq++;
          c.nullRow = true;
          c.deferredFrom = null;
          break;
        }
        case Op.Rewind: case Op.Last: {
          const c = this.cursors[P1[pc]]!;
          c.moved();
          let ok: boolean;
          if (c.tree !== null) ok = op === Op.Rewind ? c.tree.rewind() : c.tree.last();
          else if (c.set !== null) {
            c.set.pos = op === Op.Rewind ? 0 : c.set.count - 1;
            ok = c.set.count > 0;
          } else {
            const bc = (c.table ?? c.index)!;
            ok = op === Op.Rewind ? bc.first() : bc.last();
          }
          if (!ok) { pc = P2[pc]; continue; }
          break;
        }
        case Op.Next: case Op.Prev: {
          if (host.interrupted) return this.interrupt(pc);
          const c = this.cursors[P1[pc]]!;
          // A cursor set to its NULL row (the unmatched row of a LEFT JOIN) has no next row.
          if (c.nullRow) break;
          c.moved();
          let ok: boolean;
          if (c.tree !== null) ok = op === Op.Next ? c.tree.next() : c.tree.prev();
          else if (c.set !== null) {
            c.set.pos += op === Op.Next ? 1 : -1;
            ok = c.set.pos >= 0 && c.set.pos < c.set.count;
          } else {
            const bc = (c.table ?? c.index)!;
            ok = op === Op.Next ? bc.next() : bc.prev();
          }
          if (ok) { pc = P2[pc]; continue; }
          break;
        }
        case Op.SorterSort: {
          const c = this.cursors[P1[pc]]!;
          c.set!.sort();
          c.set!.pos = 0;
          c.moved();
          if (c.set!.count === 0) { pc = P2[pc]; continue; }
          break;
        }
        case Op.SorterNext: {
          if (host.interrupted) return this.interrupt(pc);
          const c = this.cursors[P1[pc]]!;
          c.moved();
          if (++c.set!.pos < c.set!.count) { pc = P2[pc]; continue; }
          break;
        }
        case Op.SorterInsert: {
          const c = this.cursors[P1[pc]]!;
          // The register's blob is never written in place (mem.ts), so the tree keeps it;
          // the sorter copies it into its arena.
          const rec = regs[P2[pc]].b!;
          if (c.tree !== null) c.tree.insert(rec.buffer === this.recbuf.buf.buffer ? rec.slice() : rec); // own an ephemeral record
          else c.set!.push(rec);
          break;
        }
        case Op.SorterData: {
          const c = this.cursors[P1[pc]]!;
          const s = c.set!;
          const ps = this.cursors[P3[pc]];
          if (ps !== null && ps.kind === CURSOR_PSEUDO && ps.pseudoReg === P2[pc]) {
            // The pseudo-cursor reads the record in the arena (no copy, no register blob).
            ps.sorterSrc = s;
            ps.srcStart = s.startAt(s.pos);
            ps.srcEnd = s.endAt(s.pos);
            ps.seq++;
          } else {
            regs[P2[pc]].setBlob(s.recordAt(s.pos));
            if (ps !== null) ps.seq++;
          }
          break;
        }
        case Op.Column: {
          const c = this.cursors[P1[pc]]!;
          const dest = regs[P3[pc]];
          if (c.deferredFrom !== null) this.finishDeferredSeek(c);
          if (c.nullRow) { dest.setNull(); break; }
          if (c.parsedSeq !== c.seq) {
            if (c.kind === CURSOR_TABLE || c.kind === CURSOR_INDEX) {
              if ((c.table ?? c.index)!.eof()) { dest.setNull(); break; }
              c.loadBtree();
            } else if (c.kind === CURSOR_PSEUDO) {
              if (c.sorterSrc !== null) c.reader.reset(c.sorterSrc.buf, c.srcStart, c.srcEnd);
              else {
                const m = regs[c.pseudoReg];
                c.reader.reset(m.b!, 0, m.b!.length);
              }
              c.parsedSeq = c.seq;
            } else c.loadKey();
          }
          const col = P2[pc];
          if (P4[pc] !== null && col >= c.reader.columnCount) dest.copyFrom(P4[pc] as Mem);
          else readColumn(c.reader, col, dest);
          break;
        }
        case Op.Rowid: case Op.IdxRowid: {
          const c = this.cursors[P1[pc]]!;
          const dest = regs[P2[pc]];
          if (c.nullRow) { dest.setNull(); break; }
          if (op === Op.Rowid && c.deferredFrom !== null) {
            this.idxRowid(c.deferredFrom, dest);
            break;
          }
          if (c.table !== null) {
            const t = c.table;
            if (t.rowidIsSafe()) dest.setInt(t.rowid());
            else dest.setBigInt(t.rowidBig());
          } else this.idxRowid(c, dest);
          break;
        }
        case Op.RealAffinity: {
          const m = regs[P1[pc]];
          if (m.type === SQLITE_INTEGER) m.setReal(m.big !== null ? Number(m.big) : m.i);
          break;
        }
        case Op.ResultRow:
          this.resultStart = P1[pc];
          this.nResult = P2[pc];
          this.pc = pc + 1;
          return VM_ROW;
        case Op.Integer:
          regs[P2[pc]].setInt(P1[pc]);
          break;
        case Op.Int64: {
          const v = P4[pc] as number | bigint;
          if (typeof v === "number") regs[P2[pc]].setInt(v);
          else regs[P2[pc]].setBigInt(v);
          break;
        }
        case Op.Real:
          regs[P2[pc]].setReal(P4[pc] as number);
          break;
        case Op.String8:
          regs[P2[pc]].setText(P4[pc] as string);
          break;
        case Op.Blob:
          regs[P2[pc]].setBlob(P4[pc] as Uint8Array);
          break;
        case Op.Null: {
          const last = P3[pc] > P2[pc] ? P3[pc] : P2[pc];
          for (let r = P2[pc]; r <= last; r++) regs[r].setNull();
          break;
        }
        case Op.Variable:
          regs[P2[pc]].copyFrom(this.vars[P1[pc] - 1]);
          break;
        case Op.Copy: case Op.SCopy: {
          const n = op === Op.Copy ? P3[pc] : 0;
          for (let k = 0; k <= n; k++) regs[P2[pc] + k].copyFrom(regs[P1[pc] + k]);
          break;
        }
        case Op.Move: {
          for (let k = 0; k < P3[pc]; k++) {
            regs[P2[pc] + k].copyFrom(regs[P1[pc] + k]);
            regs[P1[pc] + k].setNull();
          }
          break;
        }
        case Op.Add: case Op.Subtract: case Op.Multiply: case Op.Divide: case Op.Remainder: {
          const b = regs[P1[pc]];
          const a = regs[P2[pc]];
          const out = regs[P3[pc]];
          if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) { out.setNull(); break; }
          if ((a.type === SQLITE_INTEGER || a.type === SQLITE_FLOAT) && (b.type === SQLITE_INTEGER || b.type === SQLITE_FLOAT)) {
            arith(op - Op.Add, a, b, out);
          } else {
            numericValue(a, this.cmpA);
            numericValue(b, this.cmpB);
            arith(op - Op.Add, this.cmpA, this.cmpB, out);
          }
          break;
        }
        case Op.Concat: {
          const b = regs[P1[pc]];
          const a = regs[P2[pc]];
          const out = regs[P3[pc]];
          if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) { out.setNull(); break; }
          out.setText(textValue(a)! + textValue(b)!);
          break;
        }
        case Op.BitAnd: case Op.BitOr: case Op.ShiftLeft: case Op.ShiftRight: {
          const b = regs[P1[pc]];
          const a = regs[P2[pc]];
          const out = regs[P3[pc]];
          if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) { out.setNull(); break; }
          bitop(op - Op.BitAnd, a, b, out);
          break;
        }
        case Op.BitNot: {
          const a = regs[P1[pc]];
          const out = regs[P2[pc]];
          if (a.type === SQLITE_NULL) { out.setNull(); break; }
          const v = intValue(a);
          if (v === v) out.setInt(-v - 1);
          else out.setBigInt(~INT_OUT.big);
          break;
        }
        case Op.Not: {
          const a = regs[P1[pc]];
          const out = regs[P2[pc]];
          if (a.type === SQLITE_NULL) out.setNull();
          else out.setInt(truthValue(a, false) ? 0 : 1);
          break;
        }
        case Op.And: case Op.Or: {
          const a = regs[P1[pc]];
          const b = regs[P2[pc]];
          const va = a.type === SQLITE_NULL ? 2 : truthValue(a, false) ? 1 : 0;
          const vb = b.type === SQLITE_NULL ? 2 : truthValue(b, false) ? 1 : 0;
          let v: number;
          if (op === Op.And) v = va === 0 || vb === 0 ? 0 : va === 2 || vb === 2 ? 2 : 1;
          else v = va === 1 || vb === 1 ? 1 : va === 2 || vb === 2 ? 2 : 0;
          if (v === 2) regs[P3[pc]].setNull();
          else regs[P3[pc]].setInt(v);
          break;
        }
        case Op.IsTrue: {
          const a = regs[P1[pc]];
          const t = a.type === SQLITE_NULL ? P3[pc] !== 0 : truthValue(a, false);
          regs[P2[pc]].setInt((t ? 1 : 0) ^ P5[pc]);
          break;
        }
        case Op.Eq: case Op.Ne: case Op.Lt: case Op.Le: case Op.Gt: case Op.Ge: {
          let a = regs[P3[pc]];
          let b = regs[P1[pc]];
          const p5 = P5[pc];
          let res: number;
          if (a.type === SQLITE_NULL || b.type === SQLITE_NULL) {
            if ((p5 & NULLEQ) !== 0) res = a.type === b.type ? 0 : 1;
            else {
              if ((p5 & JUMPIFNULL) !== 0) { pc = P2[pc]; continue; }
              break;
            }
          } else {
            const aff = p5 & AFF_MASK;
            if (aff >= AFF_NUMERIC) {
              if (a.type === SQLITE_TEXT || b.type === SQLITE_TEXT) {
                if (a.type === SQLITE_TEXT) { this.cmpA.copyFrom(a); applyNumericAffinityForCompare(this.cmpA); a = this.cmpA; }
                if (b.type === SQLITE_TEXT) { this.cmpB.copyFrom(b); applyNumericAffinityForCompare(this.cmpB); b = this.cmpB; }
              }
            } else if (aff === AFF_TEXT && (a.type === SQLITE_TEXT || b.type === SQLITE_TEXT)) {
              if (a.type === SQLITE_INTEGER || a.type === SQLITE_FLOAT) { this.cmpA.setText(textValue(a)!); a = this.cmpA; }
              if (b.type === SQLITE_INTEGER || b.type === SQLITE_FLOAT) { this.cmpB.setText(textValue(b)!); b = this.cmpB; }
            }
            res = compareMem(a, b, P4[pc] as Collation | null);
          }
          let jump: boolean;
          switch (op) {
            case Op.Eq: jump = res === 0; break;
            case Op.Ne: jump = res !== 0; break;
            case Op.Lt: jump = res < 0; break;
            case Op.Le: jump = res <= 0; break;
            case Op.Gt: jump = res > 0; break;
            default: jump = res >= 0;
          }
          if (jump) { pc = P2[pc]; continue; }
          break;
        }
        case Op.ZeroOrNull:
          if (regs[P1[pc]].type === SQLITE_NULL || regs[P3[pc]].type === SQLITE_NULL) regs[P2[pc]].setNull();
          else regs[P2[pc]].setInt(0);
          break;
        case Op.If:
          if (truthValue(regs[P1[pc]], P3[pc] !== 0)) { pc = P2[pc]; continue; }
          break;
        case Op.IfNot:
          if (!truthValue(regs[P1[pc]], P3[pc] === 0)) { pc = P2[pc]; continue; }
          break;
        case Op.IsNull:
          if (regs[P1[pc]].type === SQLITE_NULL) { pc = P2[pc]; continue; }
          break;
        case Op.NotNull:
          if (regs[P1[pc]].type !== SQLITE_NULL) { pc = P2[pc]; continue; }
          break;
        case Op.MustBeInt: {
          const m = regs[P1[pc]];
          if (m.type !== SQLITE_INTEGER) {
            applyAffinity(m, AFF_NUMERIC);
            if (m.type === SQLITE_FLOAT) {
              const v = intValue(m);
              if (v === v && v === m.r) m.setInt(v);
            }
            if (m.type !== SQLITE_INTEGER) {
              if (P2[pc] === 0) { this.pc = pc; return this.fail(20, "datatype mismatch"); }
              pc = P2[pc];
              continue;
            }
          }
          break;
        }
        case Op.IfPos: {
          const m = regs[P1[pc]];
          if (m.big === null ? m.i > 0 : m.big > 0n) {
            if (m.big === null) m.i -= P3[pc];
            pc = P2[pc];
            continue;
          }
          break;
        }
        case Op.DecrJumpZero: {
          const m = regs[P1[pc]];
          if (m.big === null) {
            m.i--;
            if (m.i === 0) { pc = P2[pc]; continue; }
          }
          break;
        }
        case Op.OffsetLimit: {
          const lim = regs[P1[pc]];
          const off = regs[P3[pc]];
          const o = off.big !== null ? Number(off.big) : off.i;
          const l = lim.big !== null ? Number(lim.big) : lim.i;
          if (l <= 0) regs[P2[pc]].setInt(-1);
          else regs[P2[pc]].setInt(Math.min(l + (o > 0 ? o : 0), Number.MAX_SAFE_INTEGER));
          break;
        }
        case Op.Once:
          if (this.onceFlags[pc] !== 0) { pc = P2[pc]; continue; }
          this.onceFlags[pc] = 1;
          break;
        case Op.Gosub:
          regs[P1[pc]].setInt(pc);
          pc = P2[pc];
          continue;
        case Op.Return:
          pc = regs[P1[pc]].i + 1;
          continue;
        case Op.InitCoroutine:
          regs[P1[pc]].setInt(P3[pc] - 1);
          if (P2[pc] !== 0) { pc = P2[pc]; continue; }
          break;
        case Op.Yield: {
          const m = regs[P1[pc]];
          const dest = m.i;
          m.setInt(pc);
          pc = dest + 1;
          continue;
        }
        case Op.EndCoroutine: {
          const m = regs[P1[pc]];
          const caller = m.i;
          m.setNull();
          pc = P2[caller];
          continue;
        }
        case Op.CollSeq:
          this.funcColl = P4[pc] as Collation;
          if (P1[pc] !== 0) { regs[P1[pc]].setInt(0); this.hitReg = P1[pc]; }
          break;
        case Op.Function: {
          const def = P4[pc] as ScalarFuncDef;
          const ctx = this.ctx;
          this.args.base = P2[pc];
          ctx.out = this.tmp;
          this.tmp.setNull();
          ctx.error = null;
          ctx.collation = this.funcColl ?? BINARY;
          this.funcColl = null;
          def.fn(ctx, P5[pc], this.args);
          if (ctx.error !== null) {
            this.pc = pc;
            this.error = new SqliteError(ctx.errorCode, ctx.error);
            return VM_ERROR;
          }
          regs[P3[pc]].copyFrom(this.tmp);
          break;
        }
        case Op.Affinity: {
          const affs = P4[pc] as string;
          const first = P1[pc];
          for (let k = 0; k < P2[pc]; k++) {
            const c = affs.charCodeAt(k);
            if (c > 0x41) applyAffinity(regs[first + k], c);
          }
          break;
        }
        case Op.Cast:
          castMem(regs[P1[pc]], P2[pc]);
          break;
        case Op.AggStep: {
          // The per-row path of an aggregate step, here rather than in ops-misc.ts; the
          // first step of a group (no state yet) and min/max with a skip register go there.
          const st = this.aggs[P3[pc]];
          if (st === null || this.hitReg !== 0) {
            this.pc = pc;
            execMisc(this, op, pc);
            break;
          }
          const ctx = this.ctx;
          ctx.out = this.tmp;
          ctx.error = null;
          ctx.collation = this.funcColl ?? BINARY;
          this.funcColl = null;
          this.args.base = P2[pc];
          st.step(ctx, P5[pc], this.args);
          if (ctx.error !== null) throw new SqliteError(ctx.errorCode, ctx.error);
          break;
        }
        case Op.MakeRecord: {
          const first = P1[pc];
          const n = P2[pc];
          const affs = P4[pc] as string | null;
          if (affs !== null) {
            for (let k = 0; k < n; k++) {
              const c = affs.charCodeAt(k);
              if (c > 0x41) applyAffinity(regs[first + k], c);
            }
          }
          const len = this.recbuf.encodeMems(regs, first, n, host.encoding);
          regs[P3[pc]].setBlob(P5[pc] === OPFLAG_EPHEMREC ? this.recbuf.view(len) : this.recbuf.buf.slice(0, len));
          break;
        }
        case Op.Insert: {
          const c = this.cursors[P1[pc]]!;
          const data = regs[P2[pc]].b!;
          const key = regs[P3[pc]];
          if (key.big === null) c.table!.insert(key.i, data);
          else c.table!.insertBig(key.big, data);
          c.moved();
          this.wrote = true;
          const p5 = P5[pc];
          if ((p5 & OPFLAG_NCHANGE) !== 0) this.nChange++;
          if ((p5 & OPFLAG_LASTROWID) !== 0) host.setLastInsertRowid(key.big ?? key.i);
          break;
        }
        case Op.Delete: {
          const c = this.cursors[P1[pc]]!;
          if (c.tree !== null) c.tree.deleteCurrent(); // an ephemeral queue (codegen/cte.ts)
          else (c.table ?? c.index)!.delete();
          c.moved();
          this.wrote = true;
          if ((P5[pc] & OPFLAG_NCHANGE) !== 0) this.nChange++;
          break;
        }
        case Op.IdxInsert: {
          const c = this.cursors[P1[pc]]!;
          const rec = regs[P2[pc]].b!;
          if (c.index !== null) c.index.insert(rec);
          else c.tree!.insert(rec.buffer === this.recbuf.buf.buffer ? rec.slice() : rec); // an ephemeral record is kept: own it
          c.moved();
          this.wrote = true;
          if ((P5[pc] & OPFLAG_NCHANGE) !== 0) this.nChange++; // a WITHOUT ROWID table's row
          break;
        }
        case Op.IdxDelete: {
          const c = this.cursors[P1[pc]]!;
          const len = this.key(P2[pc], P3[pc]);
          const r = c.index!.seek(this.keybuf.buf, 0, 0, len);
          if (r === 0 && !c.index!.eof()) c.index!.delete();
          c.moved();
          break;
        }
        case Op.SeekRowid: case Op.NotExists: {
          const c = this.cursors[P1[pc]]!;
          const k = regs[P3[pc]];
          c.moved();
          c.deferredFrom = null;
          let found: boolean;
          if (k.type === SQLITE_INTEGER) found = (k.big === null ? c.table!.seek(k.i) : c.table!.seekBig(k.big)) === 0;
          else {
            numericValue(k, this.cmpA);
            const m = this.cmpA;
            if (m.type === SQLITE_FLOAT && Number.isInteger(m.r) && Math.abs(m.r) <= Number.MAX_SAFE_INTEGER) m.setInt(m.r);
            found = m.type === SQLITE_INTEGER && k.type !== SQLITE_NULL && k.type !== 4 &&
              (m.big === null ? c.table!.seek(m.i) : c.table!.seekBig(m.big)) === 0;
          }
          if (!found) { pc = P2[pc]; continue; }
          break;
        }
        case Op.SeekGE: case Op.SeekGT: case Op.SeekLE: case Op.SeekLT: {
          const c = this.cursors[P1[pc]]!;
          c.moved();
          if (this.seek(c, op, P3[pc], P4[pc] as number)) break;
          pc = P2[pc];
          continue;
        }
        case Op.IdxGE: case Op.IdxGT: case Op.IdxLE: case Op.IdxLT: {
          const c = this.cursors[P1[pc]]!;
          const len = this.key(P3[pc], P4[pc] as number);
          if (c.parsedSeq !== c.seq) c.loadKey();
          const rd = c.reader;
          const res = compareRecordRanges(rd.buf, rd.start, rd.end, this.keybuf.buf, 0, len, c.keyInfo!, 0);
          let jump: boolean;
          switch (op) {
            case Op.IdxGE: jump = res >= 0; break;
            case Op.IdxGT: jump = res > 0; break;
            case Op.IdxLE: jump = res <= 0; break;
            default: jump = res < 0;
          }
          if (jump) { pc = P2[pc]; continue; }
          break;
        }
        case Op.DeferredSeek: {
          const t = this.cursors[P3[pc]]!;
          t.deferredFrom = this.cursors[P1[pc]]!;
          t.seq++;
          t.nullRow = false;
          break;
        }
        case Op.NoConflict: case Op.Found: case Op.NotFound: {
          const c = this.cursors[P1[pc]]!;
          const first = P3[pc];
          const n = P4[pc] as number;
          if (op === Op.NoConflict) {
            let hasNull = false;
            for (let k = 0; k < n; k++) if (regs[first + k].type === SQLITE_NULL) hasNull = true;
            if (hasNull) { pc = P2[pc]; continue; }
          }
          const found = this.findKey(c, first, n);
          if (found === (op === Op.Found)) { pc = P2[pc]; continue; }
          break;
        }
        default: {
          this.pc = pc;
          const r = execMisc(this, op, pc);
          if (r < 0) { pc = this.pc; continue; }
          if (r !== 0) return r;
          break;
        }
      }
      pc++;
    }
  }

  private interrupt(pc: number): number {
    this.pc = pc;
    this.error = new SqliteError("SQLITE_INTERRUPT", "interrupted");
    return VM_ERROR;
  }

  private idxRowid(c: VdbeCursor, dest: Mem): void {
    if (c.parsedSeq !== c.seq) c.loadKey();
    const rd = c.reader;
    readColumn(rd, rd.columnCount - 1, dest);
  }

  private finishDeferredSeek(t: VdbeCursor): void {
    const ic = t.deferredFrom!;
    t.deferredFrom = null;
    this.idxRowid(ic, this.cmpA);
    const m = this.cmpA;
    const r = m.big === null ? t.table!.seek(m.i) : t.table!.seekBig(m.big);
    t.seq++;
    if (r !== 0) t.nullRow = true;
  }

  /** Positions for SeekGE/GT/LE/LT; false when no entry qualifies. */
  private seek(c: VdbeCursor, op: number, first: number, n: number): boolean {
    if (c.table !== null) {
      const t = c.table;
      let m = this.regs[first];
      if (m.type !== SQLITE_INTEGER) {
        if (m.type === SQLITE_TEXT) { this.cmpA.copyFrom(m); applyNumericAffinityForCompare(this.cmpA); m = this.cmpA; }
        if (m.type !== SQLITE_INTEGER && m.type !== SQLITE_FLOAT) return false;
      }
      let ge = op === Op.SeekGE || op === Op.SeekGT;
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
  private findKey(c: VdbeCursor, first: number, n: number): boolean {
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

