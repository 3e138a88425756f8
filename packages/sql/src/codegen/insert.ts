/*
 * codegen/insert.ts: INSERT / REPLACE INTO t [(cols)] VALUES (...), ... | SELECT ... |
 * DEFAULT VALUES (SQLite's insert.c sqlite3Insert; https://sqlite.org/lang_insert.html).
 *
 * Per row: the values (or column defaults, or NULL) into regData.., the rowid from the
 * INTEGER PRIMARY KEY value (MustBeInt: "datatype mismatch") or NewRowid when NULL,
 * column affinity, constraint checks and conflict resolution (conflict.ts), index
 * entries, then the table row. The rows of a SELECT come from a co-routine
 * (insert-select.ts); upsert clauses are coded by upsert.ts, RETURNING by returning.ts,
 * the AUTOINCREMENT counter by autoinc.ts.
 *
 * Invariants:
 *  1. Every named column exists and is named once ("table t has no column named x");
 *     the number of values matches ("N values for M columns", "table t has M columns but
 *     N values were supplied"), for VALUES and SELECT alike.
 *  2. Defaults are evaluated per row.
 *  3. The REPLACE verb is INSERT OR REPLACE.
 */
import { computeGenerated, hasGenerated, recordRegs } from "./generated.js";
import type { Expr, InsertStmt } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC, OPFLAG_LASTROWID, OPFLAG_NCHANGE } from "../vdbe/opcodes.js";
import { constraintChecks } from "./conflict.js";
import type { Parse } from "./context.js";
import { affinityString, insertIndexEntries, openWriteCursors } from "./dml-common.js";
import { codeExpr } from "./expr.js";
import { selectRows } from "./insert-select.js";
import { finishProgram } from "./select.js";
import { prepareUpsert } from "./upsert.js";
import { Returning } from "./returning.js";
import { insertRow } from "./without-rowid.js";
import { autoincBegin, autoincEnd, autoincStep } from "./autoinc.js";
import { fkCheck } from "./fkey.js";
import { beforeInsert, compileViewInsert, fireTriggers, isViewTarget, rowTriggers } from "./trigger.js";
import { dbOfTable, locateTable } from "./dbs.js";

export function compileInsert(p: Parse, stmt: InsertStmt): void {
  const b = p.b;
  if (stmt.with !== null) throw p.error("WITH is not supported yet");
  const t = locateTable(p, stmt.table, stmt.schema)?.table ?? null;
  if (t === null && isViewTarget(p, stmt.table, stmt.schema)) return compileViewInsert(p, stmt);
  if (t === null) throw p.error(`no such table: ${stmt.schema ? stmt.schema + "." : ""}${stmt.table}`);
  if (t.isView) throw p.error(`cannot modify ${t.name} because it is a view`);
  if (lower(t.name).startsWith("sqlite_") && lower(t.name) !== "sqlite_sequence") throw p.error(`table ${t.name} may not be modified`);
  const onError = stmt.verb === "REPLACE" ? "REPLACE" : stmt.or;
  const nCol = t.columns.length;
  // Map value positions to columns (invariant 1).
  let map: number[];
  if (stmt.columns !== null) {
    map = [];
    for (const name of stmt.columns) {
      const k = lower(name);
      let i = t.columns.findIndex((c) => lower(c.name) === k);
      if (i < 0) {
        if ((k === "rowid" || k === "oid" || k === "_rowid_") && !t.withoutRowid) i = t.iPKey >= 0 ? t.iPKey : -1;
        else throw p.error(`table ${t.name} has no column named ${name}`);
      }
      if (i >= 0 && t.columns[i].generated != null) throw p.error(`cannot INSERT into generated column "${t.columns[i].name}"`);
      map.push(i);
    }
  } else map = t.columns.flatMap((c, i) => (c.generated != null ? [] : [i]));
  const checkCount = (nv: number): void => {
    if (stmt.columns !== null && nv !== map.length) throw p.error(`${nv} values for ${map.length} columns`);
    if (stmt.columns === null && nv !== map.length) throw p.error(`table ${t.name} has ${map.length} columns but ${nv} values were supplied`);
  };
  const src = stmt.source;
  const isValues = src !== null && src.first.kind === "values" && src.compounds.length === 0 && src.orderBy === null && src.limit === null && src.with === null;
  if (isValues) checkCount((src.first as { rows: readonly (readonly Expr[])[] }).rows[0].length);
  p.write = true;
  // SQLite's sqlite3BeginWriteOperation(pParse, pSelect != 0, ...): a SELECT or several VALUES rows.
  // A REPLACE conflict deletes rows (SQLite calls sqlite3MultiWrite for it); so may an upsert.
  // RETURNING is one of SQLite's triggers (sqlite3TriggersExist), so it counts as pTrigger:
  // an error in its expressions after the write undoes the row.
  const mayReplace = onError === "REPLACE" || (onError === null && (t.keyConf === "REPLACE" || t.pkIndex?.onError === "REPLACE" || t.indexes.some((ix) => ix.onError === "REPLACE")));
  b.multiWrite = mayReplace || stmt.upsert.length > 0 || stmt.returning !== null || (src !== null && !(isValues && (src.first as { rows: readonly unknown[] }).rows.length === 1));
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const cur = openWriteCursors(p, t, null);
  const ainc = autoincBegin(p, t);
  const ctr = ainc === null ? 0 : ainc.counter;
  const regRowid = b.allocReg();
  const regData = b.allocReg(nCol);
  const rec = b.allocReg();
  const affs = affinityString(t);
  const rowidAt = map.indexOf(-1);
  const generated = hasGenerated(t);
  const ret = stmt.returning !== null ? new Returning(p, t, stmt.returning, cur.table) : null;
  const trg = rowTriggers(p, t.name, "INSERT", null, dbOfTable(p, t));
  const regTrig = trg !== null && trg.before.length > 0 ? b.allocReg(nCol + 1) : 0;

  /** One row: value k of the row is coded by `value(k, reg)`. */
  const codeRow = (value: ((k: number, reg: number) => void) | null, next: number): void => {
    let rowidFrom = -1;
    for (let i = 0; i < nCol; i++) {
      const at = value === null ? -1 : map.indexOf(i);
      if (i === t.iPKey) {
        rowidFrom = at;
        b.add(Op.Null, 0, regData + i);
        continue;
      }
      if (at >= 0) value!(at, regData + i);
      else if (t.columns[i].dflt !== null) codeExpr(p, t.columns[i].dflt!, [], regData + i);
      else b.add(Op.Null, 0, regData + i);
    }
    if (rowidFrom < 0 && rowidAt >= 0 && value !== null) rowidFrom = rowidAt;
    if (generated) computeGenerated(p, t, regRowid);
    if (regTrig !== 0) beforeInsert(p, trg!, t, regTrig, regData, rowidFrom >= 0 ? (r) => value!(rowidFrom, r) : null, affs, onError, next);
    if (rowidFrom >= 0) {
      value!(rowidFrom, regRowid);
      const isNull = b.add(Op.NotNull, regRowid, 0);
      b.add(Op.NewRowid, cur.table, regRowid, ctr);
      const done = b.add(Op.Goto, 0, 0);
      b.jumpHere(isNull);
      b.add(Op.MustBeInt, regRowid, 0);
      b.jumpHere(done);
    } else if (t.withoutRowid) b.add(Op.Null, 0, regRowid); // no rowid (without-rowid.ts invariant 2)
    else b.add(Op.NewRowid, cur.table, regRowid, ctr);
    if (ainc !== null) autoincStep(p, ainc, regRowid);
    b.add(Op.Affinity, regData, nCol, 0, affs);
    const upsert = prepareUpsert(p, stmt, t, cur, regRowid, regData, next, ret === null ? null : (r, d) => ret.collect(r, d));
    constraintChecks(p, {
      t, cur, regRowid, regData, override: onError, ignore: next, oldRowid: null,
      // A rowid from NewRowid is new: only a given rowid (INTEGER PRIMARY KEY or rowid column) is checked.
      rowidChanged: t.iPKey >= 0 || rowidAt >= 0, changed: null, upsert,
    });
    fkCheck(p, t, null, { rowid: regRowid, data: regData }, null, false);
    insertIndexEntries(p, t, cur, regRowid, regData);
    if (t.withoutRowid) insertRow(p, t, cur.table, regData, OPFLAG_NCHANGE);
    else {
      const [recFirst, recN] = recordRegs(p, t, regData);
      b.add(Op.MakeRecord, recFirst, recN, rec, null, OPFLAG_EPHEMREC); // consumed by the Insert only
      b.add(Op.Insert, cur.table, rec, regRowid, t.name, OPFLAG_NCHANGE | OPFLAG_LASTROWID);
    }
    if (trg !== null) fireTriggers(p, trg.after, t, 0, regRowid, onError, next);
    if (ret !== null) ret.collect(regRowid, regData);
  };

  if (src === null) {
    const next = b.newLabel();
    codeRow(null, next);
    b.resolve(next);
  } else if (isValues) {
    for (const row of (src.first as { rows: readonly (readonly Expr[])[] }).rows) {
      const next = b.newLabel();
      codeRow((k, reg) => codeExpr(p, row[k], [], reg), next);
      b.resolve(next);
    }
  } else {
    const rows = selectRows(p, src, t.name);
    checkCount(rows.n);
    rows.loop((next) => codeRow((k, reg) => b.add(Op.SCopy, rows.dest + k, reg), next));
  }
  if (ainc !== null) autoincEnd(p, ainc);
  if (ret !== null) ret.emit(end);
  finishProgram(p, init, end, true);
}
