/*
 * codegen/insert-select.ts: the rows of INSERT ... SELECT (SQLite's insert.c, "INSERT
 * INTO t SELECT ..." with the SELECT run as a co-routine; https://sqlite.org/lang_insert.html).
 *
 * The SELECT is compiled by select.ts as if it were a statement of its own, then turned
 * into a co-routine in place: its ResultRow instructions jump to a small trampoline
 * (Copy the row to the co-routine's output registers, Yield, Goto back), its final Halt
 * becomes EndCoroutine, and its Transaction becomes a Noop (the INSERT opens the write
 * transaction). This keeps select.ts unaware of INSERT; when select.ts grows a
 * destination parameter (SQLite's SelectDest / SRT_Coroutine), this file should use it.
 *
 * Invariants:
 *  1. The co-routine delivers each row in registers [dest, dest+n).
 *  2. When the SELECT reads the table being inserted into, every row is first collected
 *     into a sorter keyed by a sequence number (SQLite's ephemeral-table path), so rows
 *     inserted by the statement are never read by it and the rows keep their order.
 */
import { makeKeyInfo } from "@strata/common";
import type { SelectStmt } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { compileSelect } from "./select.js";

export interface RowSource {
  /** Number of columns per row. */
  readonly n: number;
  /** First register of the current row. */
  readonly dest: number;
  /** Emits the loop head; `body` codes the per-row work (it may jump to `next`). */
  loop(body: (next: number) => void): void;
}

/** Whether the SELECT names table `name` anywhere (FROM, subqueries). */
function readsTable(sel: unknown, name: string): boolean {
  const k = lower(name);
  let hit = false;
  const visit = (o: unknown): void => {
    if (hit || o === null || typeof o !== "object") return;
    if (Array.isArray(o)) { for (const x of o) visit(x); return; }
    const r = o as { kind?: string; name?: string };
    if (r.kind === "tableRef" && typeof r.name === "string" && lower(r.name) === k) { hit = true; return; }
    for (const v of Object.values(o)) visit(v);
  };
  visit(sel);
  return hit;
}

export function selectRows(p: Parse, sel: SelectStmt, target: string): RowSource {
  const b = p.b;
  const yieldReg = b.allocReg();
  const initCo = b.add(Op.InitCoroutine, yieldReg, 0, 0);
  const entry = b.addr;
  const nNames = p.columnNames.length;
  compileSelect(p, sel);
  const stop = b.addr;
  const n = p.columnNames.length - nNames;
  p.columnNames.length = nNames;
  p.decltypes.length = nNames;
  const dest = b.allocReg(n);
  const sites: number[] = [];
  for (let pc = entry; pc < stop; pc++) {
    const op = b.ops[pc];
    if (op === Op.ResultRow) sites.push(pc);
    else if (op === Op.Halt && b.a1[pc] === 0) {
      b.ops[pc] = Op.EndCoroutine;
      b.a1[pc] = yieldReg;
    } else if (op === Op.Transaction) b.ops[pc] = Op.Noop;
  }
  for (const site of sites) {
    const first = b.a1[site];
    const cnt = b.a2[site];
    const stub = b.addr;
    b.ops[site] = Op.Goto;
    b.a1[site] = 0;
    b.a2[site] = stub;
    if (cnt > 0) b.add(Op.Copy, first, dest, cnt - 1);
    b.add(Op.Yield, yieldReg, 0);
    b.add(Op.Goto, 0, site + 1);
  }
  b.changeP2(initCo, b.addr);
  b.changeP3(initCo, entry);
  const materialize = readsTable(sel, target);
  return {
    n,
    dest,
    loop(body: (next: number) => void): void {
      if (!materialize) {
        const done = b.newLabel();
        const top = b.add(Op.Yield, yieldReg, done);
        const next = b.newLabel();
        body(next);
        b.resolve(next);
        b.add(Op.Goto, 0, top);
        b.resolve(done);
        return;
      }
      // Invariant 2.
      const sorter = b.allocCursor();
      b.add(Op.SorterOpen, sorter, n + 1, 0, makeKeyInfo(1, { encoding: p.host.encoding }));
      const seq = b.allocReg(n + 1);
      const one = b.allocReg();
      const rec = b.allocReg();
      b.add(Op.Integer, 0, seq);
      b.add(Op.Integer, 1, one);
      const filled = b.newLabel();
      const top = b.add(Op.Yield, yieldReg, filled);
      b.add(Op.Add, one, seq, seq);
      if (n > 0) b.add(Op.Copy, dest, seq + 1, n - 1);
      b.add(Op.MakeRecord, seq, n + 1, rec);
      b.add(Op.SorterInsert, sorter, rec);
      b.add(Op.Goto, 0, top);
      b.resolve(filled);
      const pseudo = b.allocCursor();
      const row = b.allocReg();
      b.add(Op.OpenPseudo, pseudo, row, n + 1);
      const done = b.newLabel();
      b.add(Op.SorterSort, sorter, done);
      const loopTop = b.addr;
      b.add(Op.SorterData, sorter, row, pseudo);
      for (let i = 0; i < n; i++) b.add(Op.Column, pseudo, i + 1, dest + i);
      const next = b.newLabel();
      body(next);
      b.resolve(next);
      b.add(Op.SorterNext, sorter, loopTop);
      b.resolve(done);
    },
  };
}
