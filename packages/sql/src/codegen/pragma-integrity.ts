/*
 * codegen/pragma-integrity.ts: PRAGMA integrity_check[(N)] and quick_check[(N)]
 * (https://sqlite.org/pragma.html#pragma_integrity_check), compiled, as SQLite's pragma.c
 * does, into a program that checks the database at the SQL level:
 *
 *   1. IntegrityCk: every B-tree of the schema through the pager's checkIntegrity
 *      (pages used once, cell layout, key order, freelist; one row
 *      "*** in database main ***\n..." when anything is wrong) and the number of
 *      entries in each tree;
 *   2. each index has as many entries as its table: "wrong # of entries in index I";
 *   3. a scan of every table: "NULL value in T.C" for a NOT NULL column holding NULL,
 *      "CHECK constraint failed in T"; (integrity_check only) for every index,
 *      "row N missing from index I" (N counts the rows of the scan from 1) when the
 *      row's index entry is absent, "non-unique entry in index I" when a UNIQUE index
 *      has a second entry with the same key (keys with a NULL are never duplicates).
 *   4. "ok" when nothing was reported.
 *
 * Invariants:
 *  1. At most N problems are reported (default 100; N < 1 means 100); the program halts
 *     after the N-th.
 *  2. Tables are checked in schema order and each table's indexes in SQLite's pIndex
 *     order (schema.ts indexCheckOrder), the order index_list shows.
 *  3. An index entry is looked for with its full key (columns + rowid), built from the
 *     row exactly as INSERT builds it (conflict.ts indexKey); a partial index is looked
 *     at only for rows its WHERE is true for.
 *  4. `PRAGMA integrity_check(T)` checks only table T (and its indexes) in steps 2-3;
 *     step 1 always covers every tree (COMPAT: SQLite then checks only T's trees).
 */
import { indexCheckOrder, indexEntryLength, lower, type Table } from "../schema/schema.js";
import { openTable } from "./without-rowid.js";
import { Op } from "../vdbe/opcodes.js";
import type { IntegrityTrees } from "../vdbe/ops-pragma.js";
import { indexKey } from "./conflict.js";
import { withRowRegisters } from "./expr.js";
import type { Parse } from "./context.js";
import { codeColumn, ifFalse, ifTrue } from "./expr.js";
import { finishProgram } from "./select.js";

export function compileIntegrityCheck(p: Parse, quick: boolean, arg: string | null): void {
  const b = p.b;
  const colName = quick ? "quick_check" : "integrity_check";
  p.columnNames.push(colName);
  p.decltypes.push(null);
  let maxErr = 100;
  let only: string | null = null;
  if (arg !== null) {
    if (/^[+-]?\d+$/.test(arg)) {
      const n = Number(arg);
      if (n > 0) maxErr = Math.min(n, 0x7fffffff);
    } else only = lower(arg);
  }
  const schema = p.host.schema;
  const tables: Table[] = [];
  for (const t of schema.tables.values()) if (!t.isView && t.root > 1) tables.push(t);

  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const regErr = b.allocReg(); // problems still allowed
  const regOut = b.allocReg();
  b.add(Op.Integer, maxErr, regErr);
  /** Emits the message in regOut as a row; halts after the last allowed one (invariant 1). */
  const emit = (): void => {
    b.add(Op.ResultRow, regOut, 1);
    b.add(Op.DecrJumpZero, regErr, end);
  };
  const emitText = (text: string): void => {
    b.add(Op.String8, 0, regOut, 0, text);
    emit();
  };

  // Step 1: the B-trees (sqlite_schema, then each table and its indexes).
  const trees: { root: number; keyInfo: IntegrityTrees["trees"][number]["keyInfo"] }[] = [{ root: 1, keyInfo: null }];
  const treeOf = new Map<object, number>();
  for (const t of tables) {
    treeOf.set(t, trees.length);
    trees.push({ root: t.root, keyInfo: t.pkIndex?.keyInfo ?? null }); // WITHOUT ROWID: an index B-tree
    for (const ix of t.indexes) {
      treeOf.set(ix, trees.length);
      trees.push({ root: ix.root, keyInfo: ix.keyInfo });
    }
  }
  const regCounts = b.allocReg(trees.length);
  b.add(Op.IntegrityCk, regCounts, trees.length, regOut, { trees, maxErrors: maxErr } satisfies IntegrityTrees);
  const noTreeProblem = b.add(Op.IsNull, regOut, 0);
  emit();
  b.jumpHere(noTreeProblem);

  const checked = tables.filter((t) => only === null || lower(t.name) === only);
  // Step 2: entry counts.
  {
    for (const t of checked) {
      for (const k of indexCheckOrder(t)) {
        const ix = t.indexes[k];
        if (ix.where !== null) continue; // a partial index holds fewer entries by design
        const same = b.newLabel();
        b.add(Op.Eq, regCounts + treeOf.get(t)!, same, regCounts + treeOf.get(ix)!);
        emitText(`wrong # of entries in index ${ix.name}`);
        b.resolve(same);
      }
    }
  }

  // Step 3: the rows.
  for (const t of checked) {
    const nCol = t.columns.length;
    const tc = b.allocCursor();
    openTable(p, tc, t, false);
    const order = quick ? [] : indexCheckOrder(t);
    const icur = new Map<number, number>();
    for (const k of order) {
      const c = b.allocCursor();
      b.add(Op.OpenRead, c, t.indexes[k].root, 0, t.indexes[k].keyInfo);
      b.comment(t.indexes[k].name);
      icur.set(k, c);
    }
    const regRow = b.allocReg();
    const regRowid = b.allocReg();
    const regData = b.allocReg(nCol);
    const regOne = b.allocReg();
    b.add(Op.Integer, 0, regRow);
    b.add(Op.Integer, 1, regOne);
    const done = b.newLabel();
    b.add(Op.Rewind, tc, done);
    const top = b.addr;
    b.add(Op.Add, regOne, regRow, regRow);
    if (t.withoutRowid) b.add(Op.Null, 0, regRowid);
    else b.add(Op.Rowid, tc, regRowid);
    const item = { table: t, cursor: tc, alias: null };
    for (let i = 0; i < nCol; i++) {
      if (i === t.iPKey) b.add(Op.SCopy, regRowid, regData + i);
      else codeColumn(p, item, i, regData + i);
    }
    // NOT NULL.
    for (let i = 0; i < nCol; i++) {
      if (!t.columns[i].notNull || i === t.iPKey) continue;
      const ok = b.add(Op.NotNull, regData + i, 0);
      emitText(`NULL value in ${t.name}.${t.columns[i].name}`);
      b.jumpHere(ok);
    }
    // CHECK constraints.
    for (const ck of t.checks) {
      const ok = b.newLabel();
      withRowRegisters(p, t, tc, regRowid, regData, [ck.expr], (scope) => ifTrue(p, ck.expr, scope, ok, true));
      emitText(`CHECK constraint failed in ${t.name}`);
      b.resolve(ok);
    }
    {
      // Index entries (invariant 3).
      for (const k of order) {
        const ix = t.indexes[k];
        const c = icur.get(k)!;
        const next = b.newLabel();
        if (ix.where !== null) {
          withRowRegisters(p, t, tc, regRowid, regData, [ix.where], (scope) => ifFalse(p, ix.where!, scope, next, true));
        }
        const n = ix.columns.length;
        const key = indexKey(p, ix, regRowid, regData);
        const found = b.newLabel();
        b.add(Op.Found, c, found, key, indexEntryLength(ix));
        b.add(Op.String8, 0, regOut, 0, "row ");
        b.add(Op.Concat, regRow, regOut, regOut);
        const tail = b.allocReg();
        b.add(Op.String8, 0, tail, 0, ` missing from index ${ix.name}`);
        b.add(Op.Concat, tail, regOut, regOut);
        emit();
        b.add(Op.Goto, 0, next);
        b.resolve(found);
        if (ix.unique) {
          for (let i = 0; i < n; i++) b.add(Op.IsNull, key + i, next);
          b.add(Op.Next, c, b.addr + 2);
          b.add(Op.Goto, 0, next);
          b.add(Op.IdxGT, c, next, key, n);
          emitText(`non-unique entry in index ${ix.name}`);
        }
        b.resolve(next);
      }
    }
    b.add(Op.Next, tc, top);
    b.resolve(done);
    b.add(Op.Close, tc);
    for (const c of icur.values()) b.add(Op.Close, c);
  }

  // Step 4.
  const some = b.newLabel();
  const regMax = b.allocReg();
  b.add(Op.Integer, maxErr, regMax);
  b.add(Op.Ne, regMax, some, regErr);
  emitText("ok");
  b.resolve(some);
  finishProgram(p, init, end, false, true);
}
