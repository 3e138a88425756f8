/*
 * vdbe/ops-misc.ts: the cold opcodes, kept out of vm.ts's dispatch loop (style.md: rare
 * opcodes in ops-<family>.ts): transactions and savepoints, schema and header cookies,
 * B-tree creation and destruction, rowid allocation, rowsets and aggregates.
 *
 * execMisc returns 0 to continue at pc+1, -1 after setting vm.pc to jump, or a VM_*
 * code to return from exec().
 *
 * Invariants:
 *  1. NewRowid gives max(rowid)+1, or 1 for an empty table; when the largest rowid is
 *     already 2^63-1 it tries random rowids (SQLite's OP_NewRowid), and fails with
 *     SQLITE_FULL after 100 collisions.
 *  2. Cookie field numbers are SQLite's BTREE_* meta indexes (1 schema version .. 8
 *     application id).
 */
import { realToText } from "../value/real-to-text.js";
import { BINARY, SqliteError, type Collation } from "@strata/common";
import type { MetaField } from "@strata/pager";
import type { AggregateFuncDef } from "../func/api.js";
import { CountState, MinMaxState, SumState } from "../func/aggregates.js";
import { AGG_COUNT, AGG_SUM, Op, OPCODES } from "./opcodes.js";
import { execPragma } from "./ops-pragma.js";
import { execWindow } from "./ops-window.js";
import { execTrigger } from "./ops-trigger.js";
import { execFkey } from "./ops-fkey.js";
import type { VM } from "./vm.js";
import type { Table } from "../schema/schema.js";
import { SQLITE_BLOB, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_TEXT } from "@strata/common";

const VALUE_TYPE = ["", "INT", "REAL", "TEXT", "BLOB"];

/**
 * OP_TypeCheck (https://sqlite.org/stricttables.html): after the column affinities, every
 * non-NULL value of a STRICT table must be of its column's type: INT/INTEGER an integer
 * (a REAL with an integral value in range becomes one), REAL an integer or a real, TEXT
 * text, BLOB a blob; ANY anything.
 */
function typeCheck(vm: VM, first: number, n: number, t: Table): void {
  for (let i = 0; i < n; i++) {
    if (i === t.iPKey) continue;
    const m = vm.regs[first + i];
    if (m.type === SQLITE_NULL) continue;
    const col = t.columns[i];
    const ty = (col.decltype ?? "ANY").toUpperCase();
    let ok: boolean;
    switch (ty) {
      case "INT": case "INTEGER":
        ok = m.type === SQLITE_INTEGER;
        if (m.type === SQLITE_FLOAT && Number.isInteger(m.r) && m.r >= -9223372036854775808 && m.r < 9223372036854775808) {
          m.setInt(m.r);
          ok = true;
        }
        break;
      case "REAL": ok = m.type === SQLITE_INTEGER || m.type === SQLITE_FLOAT; break;
      case "TEXT": ok = m.type === SQLITE_TEXT; break;
      case "BLOB": ok = m.type === SQLITE_BLOB; break;
      default: ok = true;
    }
    if (!ok) {
      throw new SqliteError("SQLITE_CONSTRAINT_DATATYPE", `cannot store ${VALUE_TYPE[m.type]} value in ${ty} column ${t.name}.${col.name}`);
    }
  }
}

const META: readonly (MetaField | null)[] = [
  null, "schemaCookie", "schemaFormat", "defaultCacheSize", "largestRootPage", "textEncoding", "userVersion",
  "incrementalVacuum", "applicationId",
];

const I64_MAX = 9223372036854775807n;

export function execMisc(vm: VM, op: number, pc: number): number {
  const prog = vm.prog;
  const p1 = prog.p1[pc];
  const p2 = prog.p2[pc];
  const p3 = prog.p3[pc];
  const p4 = prog.p4[pc];
  const regs = vm.regs;
  const host = vm.host;
  switch (op) {
    case Op.Transaction:
      host.transaction(p1, p2 !== 0, p3, prog.p5[pc] !== 0, vm, (p4 as number | null) ?? 0);
      return 0;
    case Op.AutoCommit:
      host.autoCommit(p1 !== 0, p2 !== 0);
      return 0;
    case Op.Savepoint:
      host.savepoint(p1, p4 as string, vm);
      return 0;
    case Op.TypeCheck:
      typeCheck(vm, p1, p2, p4 as Table);
      return 0;
    case Op.NewRowid: {
      const t = vm.cursors[p1]!.table!;
      const out = regs[p2];
      if (p3 !== 0) {
        // AUTOINCREMENT (codegen/autoinc.ts invariant 3): never random, never reused.
        const ctr = regs[p3];
        const c = ctr.big ?? ctr.i;
        let max: number | bigint = 0;
        if (t.last()) max = t.rowidIsSafe() ? t.rowid() : t.rowidBig();
        if (BigInt(c) >= I64_MAX || BigInt(max) >= I64_MAX) throw new SqliteError("SQLITE_FULL", "database or disk is full");
        const v = (max > c ? max : c) as number | bigint;
        if (typeof v === "number" && v < Number.MAX_SAFE_INTEGER) out.setInt(v + 1);
        else out.setBigInt(BigInt(v) + 1n);
        ctr.copyFrom(out);
        vm.cursors[p1]!.moved();
        return 0;
      }
      if (!t.last()) out.setInt(1);
      else if (t.rowidIsSafe()) {
        const r = t.rowid();
        if (r < Number.MAX_SAFE_INTEGER) out.setInt(r + 1);
        else out.setBigInt(BigInt(r) + 1n);
      } else {
        const r = t.rowidBig();
        if (r < I64_MAX) out.setBigInt(r + 1n);
        else {
          const buf = new Uint8Array(8);
          let found = false;
          for (let k = 0; k < 100 && !found; k++) {
            host.funcConn.randomBytes(buf);
            let v = 0n;
            for (const b of buf) v = (v << 8n) | BigInt(b);
            v = (v & I64_MAX) + 1n;
            if (v > I64_MAX) v = I64_MAX - 1n;
            if (t.seekBig(v) !== 0) { out.setBigInt(v); found = true; }
          }
          if (!found) throw new SqliteError("SQLITE_FULL", "database or disk is full");
        }
      }
      vm.cursors[p1]!.moved();
      return 0;
    }
    case Op.RowSetAdd: {
      let s = vm.rowsets[p1];
      if (s === null) { s = []; vm.rowsets[p1] = s; vm.rowsetPos[p1] = 0; }
      const m = regs[p2];
      s.push(m.big ?? m.i);
      return 0;
    }
    case Op.RowSetRead: {
      const s = vm.rowsets[p1];
      const i = vm.rowsetPos[p1];
      // SQLite's RowSet hands rowids back in ascending order without duplicates
      // (rowset.c), so a DELETE or UPDATE visits its rows in rowid order whatever order
      // the WHERE loop found them in (which decides, e.g., what a trigger's OR IGNORE keeps).
      if (i === 0 && s !== null && s.length > 1) sortRowids(s);
      if (s === null || i >= s.length) {
        vm.rowsets[p1] = null;
        vm.pc = p2;
        return -1;
      }
      vm.rowsetPos[p1] = i + 1;
      const v = s[i];
      if (typeof v === "number") regs[p3].setInt(v);
      else regs[p3].setBigInt(v);
      return 0;
    }
    case Op.AggStep: {
      const def = p4 as AggregateFuncDef;
      let st = vm.aggs[p3];
      if (st === null) {
        st = def.create();
        vm.aggs[p3] = st;
        vm.aggKind[p3] = st instanceof CountState ? AGG_COUNT : st instanceof SumState ? AGG_SUM : 0;
      }
      const ctx = vm.ctx;
      ctx.out = vm.tmp;
      ctx.error = null;
      ctx.collation = vm.funcColl ?? BINARY;
      vm.funcColl = null;
      vm.args.base = p2;
      const hit = vm.hitReg;
      if (hit !== 0 && st instanceof MinMaxState) {
        // SQLite's sqlite3SkipAccumulatorLoad: the row is not the new min/max (a NULL
        // argument, or a value that does not beat the current best) -> r[hit] = 1.
        vm.hitReg = 0;
        const had = st.has;
        st.step(ctx, prog.p5[pc], vm.args);
        if (had && !st.changed) regs[hit].setInt(1);
      } else {
        vm.hitReg = 0;
        st.step(ctx, prog.p5[pc], vm.args);
      }
      if (ctx.error !== null) throw new SqliteError(ctx.errorCode, ctx.error);
      return 0;
    }
    case Op.AggFinal: {
      const def = p4 as AggregateFuncDef;
      let st = vm.aggs[p1];
      if (st === null) st = def.create();
      vm.aggs[p1] = null;
      const ctx = vm.ctx;
      ctx.out = regs[p1];
      regs[p1].setNull();
      ctx.error = null;
      st.finalize(ctx);
      if (ctx.error !== null) throw new SqliteError(ctx.errorCode, ctx.error);
      return 0;
    }
    case Op.CreateBtree: {
      regs[p2].setInt(host.dbs[p1].btree!.createTree(p3 === 1 ? "table" : "index"));
      vm.wrote = true;
      return 0;
    }
    case Op.Destroy:
      host.dbs[p3].btree!.dropTree(p1);
      regs[p2].setInt(0);
      vm.wrote = true;
      return 0;
    case Op.Clear: {
      const n = host.dbs[p2].btree!.clearTree(p1);
      if (p3 !== 0) vm.nChange += n;
      vm.wrote = true;
      return 0;
    }
    case Op.ParseSchema: case Op.DropTable: case Op.DropIndex:
      host.schemaChanged(p1);
      return 0;
    case Op.ReadCookie:
      regs[p2].setInt(host.dbs[p1].pager!.getMeta(META[p3]!));
      return 0;
    case Op.SetCookie:
      host.dbs[p1].pager!.setMeta(META[p2]!, p3);
      return 0;
    case Op.Noop: case Op.Explain:
      return 0;
    case Op.WindowOpen: case Op.WindowNext:
      return execWindow(vm, op, pc);
    case Op.Vacuum: {
      // SQLite's sqlite3RunVacuum: the INTO operand must be TEXT.
      let into: string | null = null;
      if (p2 > 0) {
        const v = regs[p2].toValue(false);
        if (typeof v !== "string") throw new SqliteError("SQLITE_ERROR", "non-text filename");
        into = v;
      }
      host.vacuum(into, vm, p1);
      return 0;
    }
    case Op.Attach:
      host.attach(nameText(regs[p1]), nameText(regs[p2]));
      return 0;
    case Op.Detach:
      host.detach(nameText(regs[p1]));
      return 0;
    case Op.Pragma: case Op.IntegrityCk:
      return execPragma(vm, op, pc);
    case Op.Program: case Op.ResetCount:
      return execTrigger(vm, op, pc);
    case Op.FkCounter: case Op.FkIfZero:
      return execFkey(vm, op, pc);
    default:
      throw new SqliteError("SQLITE_INTERNAL", `opcode ${OPCODES[op]?.name ?? op} is not implemented`);
  }
}

export type { Collation };

/** An ATTACH/DETACH operand as text (SQLite's sqlite3_value_text; NULL is ""). */
function nameText(m: import("./mem.js").Mem): string {
  const v = m.toValue(false);
  if (v === null) return "";
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return typeof v === "number" && !Number.isInteger(v) ? realToText(v) : String(v);
}

/** Sorts rowids ascending and drops repeats, in place (RowSetRead). */
function sortRowids(s: (number | bigint)[]): void {
  s.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let n = 1;
  for (let k = 1; k < s.length; k++) if (s[k] !== s[n - 1]) s[n++] = s[k];
  s.length = n;
}
