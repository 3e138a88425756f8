/*
 * codegen/conflict.ts: constraint checks and conflict resolution for INSERT and UPDATE
 * (SQLite's insert.c sqlite3GenerateConstraintChecks; https://sqlite.org/lang_conflict.html,
 * lang_createtable.html "CHECK constraints", lang_upsert.html).
 *
 * The action for a constraint is the statement's `OR action` when given, else the
 * constraint's own `ON CONFLICT` clause, else ABORT. ROLLBACK / ABORT / FAIL halt with the
 * constraint error, the Halt's P2 carrying the action (the connection turns it into a
 * transaction rollback, a statement rollback or keeping the statement's earlier rows);
 * IGNORE skips the row; REPLACE deletes the rows in the way (their index entries too,
 * without counting them in changes()); UPSERT clauses (upsert.ts) jump to their DO UPDATE
 * / DO NOTHING code.
 *
 * Invariants:
 *  1. Order: NOT NULL in column order (a REPLACE with a DEFAULT stores the default, then a
 *     second pass checks it with ABORT); a STRICT table's column types (always ABORT:
 *     "cannot store TEXT value in INT column t.a"); CHECK constraints in declaration order (REPLACE
 *     acts as ABORT); the rowid; then the UNIQUE indexes in indexCheckOrder (schema.ts),
 *     upsert targets first. The rowid check with its own REPLACE runs after the indexes
 *     when other indexes exist and the statement gave no OR action (SQLite's "defer IPK
 *     REPLACE until last").
 *  2. UPDATE: a row never conflicts with itself (its old rowid); NOT NULL is checked only
 *     on assigned columns and CHECK only when it mentions an assigned column.
 *  4. WITHOUT ROWID tables have no rowid check: their PRIMARY KEY index is checked in its
 *     place among the indexes (SQLite keeps it in pTab->pIndex), against the table
 *     B-tree; a conflict's row is identified by its PK values, read from the index entry.
 *  3. Messages and codes: "NOT NULL constraint failed: t.c" (NOTNULL), "CHECK constraint
 *     failed: name" (CHECK), "UNIQUE constraint failed: t.a, t.b" (UNIQUE, PRIMARYKEY for
 *     a PRIMARY KEY index or the rowid alias, ROWID for a bare rowid).
 */
import { tableColumn } from "./column-default.js";
import type { ConflictAction, Expr } from "../parser/ast.js";
import { indexCheckOrderWithPk, indexEntryLength, type Index, type Table } from "../schema/schema.js";
import { jumpIfSamePk, pkKey, seekPk } from "./without-rowid.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import type { WriteCursors } from "./dml-common.js";
import { codeExpr, ifFalse, ifTrue, resolveColumn, walkExpr, withRowRegisters } from "./expr.js";
import { codeIndexExprFromRegs, indexTouches } from "./index-expr.js";
import { fkActions, fkCheck, fkParentKeys, fkRequired } from "./fkey.js";
import { fireTriggers, rowTriggers } from "./trigger.js";

export const SQLITE_CONSTRAINT_CHECK = 275;
export const SQLITE_CONSTRAINT_NOTNULL = 1299;
export const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
export const SQLITE_CONSTRAINT_UNIQUE = 2067;
export const SQLITE_CONSTRAINT_ROWID = 2579;

/** SQLite's OE_* numbers, as Halt's P2. */
export const OE_ROLLBACK = 1;
export const OE_ABORT = 2;
export const OE_FAIL = 3;

function oe(a: ConflictAction, p?: Parse): number {
  if (p !== undefined && a !== "ROLLBACK" && a !== "FAIL") p.b.mayAbort = true;
  return a === "ROLLBACK" ? OE_ROLLBACK : a === "FAIL" ? OE_FAIL : OE_ABORT;
}

/** What an upsert clause contributes to the checks (upsert.ts builds it). */
export interface UpsertHook {
  /** Position in t.indexes of the targeted index, -1 for the rowid; null: any constraint. */
  readonly targets: readonly (number | null)[];
  /** Codes the action of clause `k` for a conflict whose existing rowid is in `regConflict`. */
  code(k: number, regConflict: number): void;
}

export interface CheckSpec {
  readonly t: Table;
  readonly cur: WriteCursors;
  readonly regRowid: number;
  readonly regData: number;
  /** The statement's OR action (REPLACE for the REPLACE verb), or null. */
  readonly override: ConflictAction | null;
  /** Where IGNORE jumps (skips the row). */
  readonly ignore: number;
  /** UPDATE: the row's current rowid register, else null. */
  readonly oldRowid: number | null;
  /** Whether the rowid may change (always for INSERT). */
  readonly rowidChanged: boolean;
  /** UPDATE: the assigned columns (-1 = rowid); null for INSERT. */
  readonly changed: ReadonlySet<number> | null;
  readonly upsert: UpsertHook | null;
  /** UPDATE of a WITHOUT ROWID table: the old row's columns (its PK identifies it). */
  readonly oldData?: number;
}

export function uniqueMessage(t: Table, ix: Index): string {
  if (ix.exprs !== null) return `UNIQUE constraint failed: index '${ix.name}'`;
  return "UNIQUE constraint failed: " + ix.columns.map((c) => `${t.name}.${c < 0 ? t.columns[t.iPKey]?.name ?? "rowid" : t.columns[c].name}`).join(", ");
}

/** Emits the key of `ix` for the row into consecutive registers (key columns + rowid). */
export function indexKey(p: Parse, ix: Index, regRowid: number, regData: number): number {
  const b = p.b;
  const n = ix.columns.length;
  const first = b.allocReg(indexEntryLength(ix));
  ix.columns.forEach((c, i) => {
    if (c === -2) codeIndexExprFromRegs(p, p.host.schema.table(ix.tableName)!, ix, i, regRowid, regData, first + i);
    else b.add(Op.SCopy, c < 0 ? regRowid : regData + c, first + i);
  });
  if (ix.pkExtra === null) b.add(Op.SCopy, regRowid, first + n);
  else ix.pkExtra.forEach((c, i) => b.add(Op.SCopy, regData + c, first + n + i)); // WITHOUT ROWID: the PK columns
  return first;
}


function mentionsChanged(p: Parse, t: Table, e: Expr, changed: ReadonlySet<number>): boolean {
  let hit = false;
  walkExpr(e, (x) => {
    if (x.kind === "column") {
      const r = resolveColumn(p, x, [{ table: t, cursor: 0, alias: null }]);
      if (changed.has(r.col)) hit = true;
    }
    return true;
  });
  return hit;
}

/**
 * Deletes the row with rowid r[regRowid] (if it exists) and its index entries, without
 * counting a change (a REPLACE conflict victim; SQLite's sqlite3GenerateRowDelete). With
 * recursive_triggers on it fires the table's DELETE triggers (BEFORE, then the row is
 * sought again; AFTER), and it does a DELETE's foreign key work (fkey.ts), as SQLite does.
 * `noSeek` >= 0: index noSeek's cursor sits on the victim's entry (the NoConflict probe
 * that found it), so that entry is deleted there without a seek (SQLite's iIdxNoSeek);
 * ignored when triggers or foreign key work run in between.
 */
export function deleteRowForReplace(p: Parse, t: Table, cur: WriteCursors, regRowid: number, pkKeyReg = 0, noSeek = -1): void {
  const b = p.b;
  const skip = b.newLabel();
  const trg = p.host.recursiveTriggers === true ? rowTriggers(p, t.name, "DELETE", null) : null;
  const fk = fkRequired(p, t, null, false);
  if (fk) fkParentKeys(p, t);
  if (trg !== null || fk) {
    b.multiWrite = true;
    noSeek = -1;
  }
  // WITHOUT ROWID: the victim is found by its PK values at pkKeyReg (without-rowid.ts).
  if (t.pkIndex != null) seekPk(p, t, cur.table, pkKeyReg, skip);
  else b.add(Op.NotExists, cur.table, skip, regRowid);
  const n = t.columns.length;
  if (t.indexes.length > 0 || trg !== null || fk) {
    // OLD: the victim's rowid then its columns, contiguous (trigger.ts, fkey.ts).
    const row = b.allocReg(n + 1);
    const data = row + 1;
    b.add(Op.SCopy, regRowid, row);
    const load = (dest: number): void => {
      for (let i = 0; i < n; i++) {
        if (i === t.iPKey) b.add(Op.Null, 0, dest + i);
        else tableColumn(p, t, cur.table, i, dest + i);
      }
    };
    load(data);
    let curData = data;
    if (trg !== null && trg.before.length > 0) {
      fireTriggers(p, trg.before, t, row, 0, "REPLACE", skip);
      if (t.pkIndex != null) seekPk(p, t, cur.table, pkKeyReg, skip);
      else b.add(Op.NotExists, cur.table, skip, row);
      curData = b.allocReg(n);
      load(curData);
    }
    if (fk) fkCheck(p, t, { rowid: row, data }, null, null, false);
    t.indexes.forEach((ix, k) => {
      if (k === noSeek) return;
      const first = indexKey(p, ix, row, curData);
      b.add(Op.IdxDelete, cur.indexes[k], first, indexEntryLength(ix));
      b.comment(ix.name);
    });
    b.add(Op.Delete, cur.table, 0, 0, t.name, 0);
    if (noSeek >= 0) b.add(Op.Delete, cur.indexes[noSeek], 0, 0, null, 0);
    if (fk) fkActions(p, t, { rowid: row, data }, null, null, false);
    if (trg !== null) fireTriggers(p, trg.after, t, row, 0, "REPLACE", skip);
  } else b.add(Op.Delete, cur.table, 0, 0, t.name, 0);
  b.resolve(skip);
}

/**
 * The PRIMARY KEY check of a WITHOUT ROWID table (invariant 4): the row's PK values
 * against the table B-tree itself; an UPDATE that keeps the PK (equal under the PK's
 * collations) cannot conflict.
 */
function pkCheck(p: Parse, s: CheckSpec, clause: number, oldKey: number): void {
  const b = p.b;
  const { t, cur, changed } = s;
  const ix = t.pkIndex!;
  if (changed !== null && !indexTouches(p, t, ix, changed)) return;
  const action: ConflictAction = s.override ?? ix.onError ?? "ABORT";
  const ok = b.newLabel();
  const key = pkKey(p, t, s.regData);
  if (s.oldData !== undefined) jumpIfSamePk(p, t, key, oldKey, ok);
  b.add(Op.NoConflict, cur.table, ok, key, ix.columns.length);
  if (clause >= 0) s.upsert!.code(clause, key);
  else if (action === "IGNORE") b.add(Op.Goto, 0, s.ignore);
  else if (action === "REPLACE") deleteRowForReplace(p, t, cur, 0, key);
  else b.add(Op.Halt, SQLITE_CONSTRAINT_PRIMARYKEY, oe(action, p), 0, uniqueMessage(t, ix));
  b.resolve(ok);
}

/** Invariant 1. */
export function constraintChecks(p: Parse, s: CheckSpec): void {
  const b = p.b;
  const { t, cur, regRowid, regData, override, changed } = s;
  // NOT NULL, two passes (REPLACE with a DEFAULT, then the default itself with ABORT).
  const replaced: number[] = [];
  t.columns.forEach((c, i) => {
    if (!c.notNull || i === t.iPKey) return;
    if (changed !== null && !changed.has(i)) return;
    let action: ConflictAction = override ?? c.notNullConflict ?? "ABORT";
    if (action === "REPLACE" && c.dflt === null) action = "ABORT";
    const reg = regData + i;
    const msg = `NOT NULL constraint failed: ${t.name}.${c.name}`;
    switch (action) {
      case "REPLACE": {
        const ok = b.add(Op.NotNull, reg, 0);
        codeExpr(p, c.dflt!, [], reg);
        b.jumpHere(ok);
        replaced.push(i);
        break;
      }
      case "IGNORE": b.add(Op.IsNull, reg, s.ignore); break;
      default: b.add(Op.HaltIfNull, SQLITE_CONSTRAINT_NOTNULL, oe(action, p), reg, msg);
    }
  });
  for (const i of replaced) {
    p.b.mayAbort = true;
    b.add(Op.HaltIfNull, SQLITE_CONSTRAINT_NOTNULL, OE_ABORT, regData + i, `NOT NULL constraint failed: ${t.name}.${t.columns[i].name}`);
  }
  // STRICT column types, after NOT NULL and before CHECK (SQLite's OP_TypeCheck).
  if (t.strict === true) b.add(Op.TypeCheck, regData, t.columns.length, 0, t);
  // CHECK constraints.
  if (t.checks.length > 0) {
    let action: ConflictAction = override ?? "ABORT";
    if (action === "REPLACE") action = "ABORT";
    for (const ck of t.checks) {
      if (changed !== null && !mentionsChanged(p, t, ck.expr, changed)) continue;
      const ok = b.newLabel();
      withRowRegisters(p, t, cur.table, regRowid, regData, [ck.expr], (scope) => ifTrue(p, ck.expr, scope, ok, true));
      if (action === "IGNORE") b.add(Op.Goto, 0, s.ignore);
      else b.add(Op.Halt, SQLITE_CONSTRAINT_CHECK, oe(action, p), 0, `CHECK constraint failed: ${ck.name}`);
      b.resolve(ok);
    }
  }
  const upsert = s.upsert;
  const upsertClause = (target: number): number => {
    if (upsert === null) return -1;
    for (let k = 0; k < upsert.targets.length; k++) if (upsert.targets[k] === target || upsert.targets[k] === null) return k;
    return -1;
  };
  // An upsert whose first clause targets an index checks that index before the rowid
  // (SQLite's upsertIpkDelay).
  const upsertFirst = upsert !== null && upsert.targets[0] !== null && upsert.targets[0] >= 0 ? upsert.targets[0] : -1;
  // The rowid.
  let rowidCheck: (() => void) | null = null;
  if (t.iPKey >= 0 || s.rowidChanged) {
    if (s.oldRowid === null || s.rowidChanged) {
      const action: ConflictAction = override ?? t.keyConf ?? "ABORT";
      const k = upsertClause(-1);
      rowidCheck = (): void => {
        const ok = b.newLabel();
        if (s.oldRowid !== null) b.add(Op.Eq, regRowid, ok, s.oldRowid, null, 0);
        b.add(Op.NotExists, cur.table, ok, regRowid);
        if (k >= 0) upsert!.code(k, regRowid);
        else if (action === "IGNORE") b.add(Op.Goto, 0, s.ignore);
        else if (action === "REPLACE") deleteRowForReplace(p, t, cur, regRowid);
        else if (t.iPKey >= 0) b.add(Op.Halt, SQLITE_CONSTRAINT_PRIMARYKEY, oe(action, p), 0, `UNIQUE constraint failed: ${t.name}.${t.columns[t.iPKey].name}`);
        else b.add(Op.Halt, SQLITE_CONSTRAINT_ROWID, oe(action, p), 0, `UNIQUE constraint failed: ${t.name}.rowid`);
        b.resolve(ok);
      };
      const defer = (k < 0 && action === "REPLACE" && override === null && t.indexes.length > 0) || upsertFirst >= 0;
      if (!defer) {
        rowidCheck();
        rowidCheck = null;
      }
    }
  }
  // UNIQUE indexes: upsert targets first (in clause order), then indexCheckOrder.
  // A WITHOUT ROWID table's PK index is -1 here (and as an upsert target).
  const wr = t.pkIndex != null;
  let order = indexCheckOrderWithPk(t);
  if (upsert !== null) {
    const first: number[] = [];
    for (const tg of upsert.targets) if (tg !== null && (tg >= 0 || wr) && !first.includes(tg)) first.push(tg);
    order = [...first, ...order.filter((i) => !first.includes(i))];
  }
  const oldKey = wr && s.oldData !== undefined ? pkKey(p, t, s.oldData) : 0;
  for (const k of order) {
    if (k < 0) {
      pkCheck(p, s, upsertClause(-1), oldKey);
      continue;
    }
    const ix = t.indexes[k];
    if (!ix.unique) continue;
    if (changed !== null && !s.rowidChanged && !indexTouches(p, t, ix, changed) && !(ix.where !== null && mentionsChanged(p, t, ix.where, changed))) continue;
    const action: ConflictAction = override ?? ix.onError ?? "ABORT";
    const clause = upsertClause(k);
    const ok = b.newLabel();
    if (ix.where !== null) {
      withRowRegisters(p, t, cur.table, regRowid, regData, [ix.where], (scope) => ifFalse(p, ix.where!, scope, ok, true));
    }
    const first = indexKey(p, ix, regRowid, regData);
    b.add(Op.NoConflict, cur.indexes[k], ok, first, ix.columns.length);
    let conflict: number;
    if (wr) {
      // The conflicting row's PK values, read from the index entry.
      const pk = t.pkIndex!;
      conflict = b.allocReg(pk.columns.length);
      const n = ix.columns.length;
      pk.columns.forEach((c, j) => {
        const at = ix.pkExtra!.indexOf(c);
        const pos = at >= 0 ? n + at : ix.columns.findIndex((x, i) => x === c && ix.collations[i].name.toLowerCase() === pk.collations[j].name.toLowerCase());
        b.add(Op.Column, cur.indexes[k], pos, conflict + j);
      });
      if (s.oldData !== undefined) jumpIfSamePk(p, t, conflict, oldKey, ok);
    } else {
      conflict = b.allocReg();
      b.add(Op.IdxRowid, cur.indexes[k], conflict);
      if (s.oldRowid !== null) b.add(Op.Eq, conflict, ok, s.oldRowid, null, 0);
    }
    if (clause >= 0) upsert!.code(clause, conflict);
    else if (action === "IGNORE") b.add(Op.Goto, 0, s.ignore);
    else if (action === "REPLACE") deleteRowForReplace(p, t, cur, conflict, conflict, wr ? -1 : k);
    else b.add(Op.Halt, ix.origin === "pk" ? SQLITE_CONSTRAINT_PRIMARYKEY : SQLITE_CONSTRAINT_UNIQUE, oe(action, p), 0, uniqueMessage(t, ix));
    b.resolve(ok);
    if (k === upsertFirst && rowidCheck !== null) {
      (rowidCheck as () => void)();
      rowidCheck = null;
    }
  }
  if (rowidCheck !== null) (rowidCheck as () => void)();
}
