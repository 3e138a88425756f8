/*
 * codegen/returning.ts: the RETURNING clause of INSERT / UPDATE / DELETE (SQLite's
 * trigger.c codeReturningTrigger; https://sqlite.org/lang_returning.html).
 *
 * As in SQLite, every change of the statement happens first and the rows come after:
 * collect() evaluates the RETURNING expressions on the row's registers right after the
 * row is written (for DELETE, just before it is removed) and appends them to a sorter
 * keyed by a sequence number; emit() runs after the statement's loop and returns the
 * collected rows in order.
 *
 * Invariants:
 *  1. Column names: the alias, else the column's name for a plain column reference, else
 *     the expression's text; `*` expands to the table's columns.
 *  2. Rows come back in the order the rows were changed.
 */
import { makeKeyInfo } from "@strata/common";
import type { Expr, ResultColumn } from "../parser/ast.js";
import type { Table } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import { withRowRegisters } from "./expr.js";
import type { Parse } from "./context.js";
import { codeExpr, resolveColumn } from "./expr.js";

export class Returning {
  private readonly exprs: Expr[] = [];
  private readonly sorter: number;
  private readonly seq: number;
  private readonly one: number;
  private readonly rec: number;
  private readonly out: number;

  constructor(private readonly p: Parse, private readonly t: Table, cols: readonly ResultColumn[], private readonly cursor: number) {
    const b = p.b;
    const scope = [{ table: t, cursor, alias: null }];
    for (const rc of cols) {
      if (rc.kind === "resultStar") {
        if (rc.table !== null) throw p.error(`no such table: ${rc.table}`);
        for (const c of t.columns) {
          this.exprs.push({ kind: "column", schema: null, table: null, column: c.name, quoting: "double", start: rc.start, end: rc.end });
          p.columnNames.push(c.name);
          p.decltypes.push(null);
        }
        continue;
      }
      const e = rc.expr;
      let name: string;
      if (rc.alias !== null) name = rc.alias;
      else if (e.kind === "column") {
        const r = resolveColumn(p, e, scope);
        name = r.col >= 0 ? t.columns[r.col].name : t.iPKey >= 0 ? t.columns[t.iPKey].name : p.text(e);
      } else name = p.text(e);
      this.exprs.push(e);
      p.columnNames.push(name);
      p.decltypes.push(null);
    }
    const n = this.exprs.length;
    this.sorter = b.allocCursor();
    this.seq = b.allocReg(n + 1);
    this.one = b.allocReg();
    this.rec = b.allocReg();
    this.out = b.allocReg(n);
    b.add(Op.SorterOpen, this.sorter, n + 1, 0, makeKeyInfo(1, { encoding: p.host.encoding }));
    b.add(Op.Integer, 0, this.seq);
    b.add(Op.Integer, 1, this.one);
  }

  /** Evaluates the RETURNING expressions on the row in registers and keeps them. */
  collect(regRowid: number, regData: number): void {
    const p = this.p;
    const b = p.b;
    const n = this.exprs.length;
    b.add(Op.Add, this.one, this.seq, this.seq);
    withRowRegisters(p, this.t, this.cursor, regRowid, regData, this.exprs, (scope) => {
      this.exprs.forEach((e, i) => codeExpr(p, e, scope, this.seq + 1 + i));
    });
    b.add(Op.MakeRecord, this.seq, n + 1, this.rec);
    b.add(Op.SorterInsert, this.sorter, this.rec);
  }

  /** After the statement's changes: the collected rows, in order. */
  emit(end: number): void {
    const b = this.p.b;
    const n = this.exprs.length;
    const pseudo = b.allocCursor();
    const row = b.allocReg();
    b.add(Op.OpenPseudo, pseudo, row, n + 1);
    b.add(Op.SorterSort, this.sorter, end);
    const top = b.addr;
    b.add(Op.SorterData, this.sorter, row, pseudo);
    for (let i = 0; i < n; i++) b.add(Op.Column, pseudo, i + 1, this.out + i);
    b.add(Op.ResultRow, this.out, n);
    b.add(Op.SorterNext, this.sorter, top);
  }
}
