/*
 * vdbe/ops-table.ts: the opcode handler table the VM dispatches through (vm.ts loop()).
 *
 * A handler is (vm, pc) => number: it executes the instruction at pc and returns the pc of
 * the next one, or minus a result code (-VM_ROW, -VM_DONE, -VM_ERROR) to leave the loop,
 * having set vm.pc to where the next exec() resumes. Handlers live by family in
 * ops-control.ts, ops-value.ts, ops-cursor.ts, ops-write.ts, ops-index.ts; the cold opcodes (schema,
 * transactions, rowsets, aggregates' first step, triggers, windows, pragmas) go through
 * execMisc (ops-misc.ts) behind one adapter.
 *
 * Why a table and not one big switch: V8 compiles a function as a whole. One switch over
 * every opcode made the loop a large function whose optimised code was thrown away each
 * time a case it had not yet run was reached (no type feedback there), then recompiled
 * (~40 ms each, 25 times in one speedtest1 run). Small handlers are optimised one by one,
 * and the dispatching call site is megamorphic from the first statement on, so the loop
 * itself is compiled once. Measured: a cold speedtest1 run (bench h) 1000 ms -> 700 ms,
 * warm runs and scans unchanged.
 *
 * Invariant: every slot holds a handler (OP_HANDLERS.length is 256, and opcodes are < 256).
 */
import { execMisc } from "./ops-misc.js";
import { opSorterCompare, opSorterInsertIdx } from "./ops-index.js";
import { Op } from "./opcodes.js";
import type { VM } from "./vm.js";
import {
  opInit,
  opGoto,
  opHalt,
  opHaltIfNull,
  opResultRow,
  opCompare,
  opIf,
  opIfNot,
  opIsNull,
  opNotNull,
  opMustBeInt,
  opIfPos,
  opDecrJumpZero,
  opOffsetLimit,
  opOnce,
  opGosub,
  opReturn,
  opInitCoroutine,
  opYield,
  opEndCoroutine,
} from "./ops-control.js";
import {
  opOpenBtree,
  opOpenEphemeral,
  opOpenPseudo,
  opClose,
  opNullRow,
  opRewind,
  opNext,
  opSorterSort,
  opSorterNext,
  opSorterInsert,
  opSorterData,
  opColumn,
  opRowid,
  opSeekRowid,
  opSeekKey,
  opIdxCompare,
  opDeferredSeek,
  opKeyProbe,
} from "./ops-cursor.js";
import {
  opRealAffinity,
  opInteger,
  opInt64,
  opReal,
  opString8,
  opBlob,
  opNull,
  opVariable,
  opCopy,
  opMove,
  opArithmetic,
  opConcat,
  opBitwise,
  opBitNot,
  opNot,
  opAndOr,
  opIsTrue,
  opZeroOrNull,
  opCollSeq,
  opFunction,
  opAffinity,
  opCast,
  opAggStep,
  opMakeRecord,
} from "./ops-value.js";
import {
  opInsert,
  opDelete,
  opIdxInsert,
  opIdxDelete,
} from "./ops-write.js";

export type OpHandler = (vm: VM, pc: number) => number;

/** The cold opcodes: execMisc's convention (0: next, < 0: jump to vm.pc, > 0: leave with that code). */
function opMisc(vm: VM, pc: number): number {
  vm.pc = pc;
  const r = execMisc(vm, vm.opcode[pc], pc);
  if (r < 0) return vm.pc;
  if (r !== 0) return -r;
  return pc + 1;
}

export const OP_HANDLERS: readonly OpHandler[] = (() => {
  const t: OpHandler[] = new Array<OpHandler>(256).fill(opMisc);
  t[Op.Init] = opInit;
  t[Op.Goto] = opGoto;
  t[Op.Halt] = opHalt;
  t[Op.HaltIfNull] = opHaltIfNull;
  t[Op.OpenRead] = opOpenBtree;
  t[Op.OpenWrite] = opOpenBtree;
  t[Op.OpenEphemeral] = opOpenEphemeral;
  t[Op.SorterOpen] = opOpenEphemeral;
  t[Op.OpenPseudo] = opOpenPseudo;
  t[Op.Close] = opClose;
  t[Op.NullRow] = opNullRow;
  t[Op.Rewind] = opRewind;
  t[Op.Last] = opRewind;
  t[Op.Next] = opNext;
  t[Op.Prev] = opNext;
  t[Op.SorterSort] = opSorterSort;
  t[Op.SorterNext] = opSorterNext;
  t[Op.SorterInsert] = opSorterInsert;
  t[Op.SorterData] = opSorterData;
  t[Op.Column] = opColumn;
  t[Op.Rowid] = opRowid;
  t[Op.IdxRowid] = opRowid;
  t[Op.RealAffinity] = opRealAffinity;
  t[Op.ResultRow] = opResultRow;
  t[Op.Integer] = opInteger;
  t[Op.Int64] = opInt64;
  t[Op.Real] = opReal;
  t[Op.String8] = opString8;
  t[Op.Blob] = opBlob;
  t[Op.Null] = opNull;
  t[Op.Variable] = opVariable;
  t[Op.Copy] = opCopy;
  t[Op.SCopy] = opCopy;
  t[Op.Move] = opMove;
  t[Op.Add] = opArithmetic;
  t[Op.Subtract] = opArithmetic;
  t[Op.Multiply] = opArithmetic;
  t[Op.Divide] = opArithmetic;
  t[Op.Remainder] = opArithmetic;
  t[Op.Concat] = opConcat;
  t[Op.BitAnd] = opBitwise;
  t[Op.BitOr] = opBitwise;
  t[Op.ShiftLeft] = opBitwise;
  t[Op.ShiftRight] = opBitwise;
  t[Op.BitNot] = opBitNot;
  t[Op.Not] = opNot;
  t[Op.And] = opAndOr;
  t[Op.Or] = opAndOr;
  t[Op.IsTrue] = opIsTrue;
  t[Op.Eq] = opCompare;
  t[Op.Ne] = opCompare;
  t[Op.Lt] = opCompare;
  t[Op.Le] = opCompare;
  t[Op.Gt] = opCompare;
  t[Op.Ge] = opCompare;
  t[Op.ZeroOrNull] = opZeroOrNull;
  t[Op.If] = opIf;
  t[Op.IfNot] = opIfNot;
  t[Op.IsNull] = opIsNull;
  t[Op.NotNull] = opNotNull;
  t[Op.MustBeInt] = opMustBeInt;
  t[Op.IfPos] = opIfPos;
  t[Op.DecrJumpZero] = opDecrJumpZero;
  t[Op.OffsetLimit] = opOffsetLimit;
  t[Op.Once] = opOnce;
  t[Op.Gosub] = opGosub;
  t[Op.Return] = opReturn;
  t[Op.InitCoroutine] = opInitCoroutine;
  t[Op.Yield] = opYield;
  t[Op.EndCoroutine] = opEndCoroutine;
  t[Op.CollSeq] = opCollSeq;
  t[Op.Function] = opFunction;
  t[Op.Affinity] = opAffinity;
  t[Op.Cast] = opCast;
  t[Op.AggStep] = opAggStep;
  t[Op.MakeRecord] = opMakeRecord;
  t[Op.Insert] = opInsert;
  t[Op.Delete] = opDelete;
  t[Op.IdxInsert] = opIdxInsert;
  t[Op.IdxDelete] = opIdxDelete;
  t[Op.SeekRowid] = opSeekRowid;
  t[Op.NotExists] = opSeekRowid;
  t[Op.SeekGE] = opSeekKey;
  t[Op.SeekGT] = opSeekKey;
  t[Op.SeekLE] = opSeekKey;
  t[Op.SeekLT] = opSeekKey;
  t[Op.IdxGE] = opIdxCompare;
  t[Op.IdxGT] = opIdxCompare;
  t[Op.IdxLE] = opIdxCompare;
  t[Op.IdxLT] = opIdxCompare;
  t[Op.DeferredSeek] = opDeferredSeek;
  t[Op.NoConflict] = opKeyProbe;
  t[Op.Found] = opKeyProbe;
  t[Op.NotFound] = opKeyProbe;
  t[Op.SorterInsertIdx] = opSorterInsertIdx;
  t[Op.SorterCompare] = opSorterCompare;
  return t;
})();
