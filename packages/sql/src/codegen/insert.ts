/*
 * codegen/insert.ts: INSERT INTO t [(cols)] VALUES (...), ... | DEFAULT VALUES
 * (SQLite's insert.c sqlite3Insert; https://sqlite.org/lang_insert.html).
 *
 * Per row: the values (or column defaults, or NULL) into regData.., the rowid from the
 * INTEGER PRIMARY KEY value (MustBeInt: "datatype mismatch") or NewRowid when NULL,
 * column affinity, constraint checks (dml-common.ts), index entries, then the table row.
 *
 * Invariants:
 *  1. Every named column exists and is named once ("table t has no column named x");
 *     the number of values matches ("N values for M columns").
 *  2. Defaults are evaluated per row (constant expressions only, as SQLite requires).
 */
import type { Expr, InsertStmt } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op, OPFLAG_LASTROWID, OPFLAG_NCHANGE } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { constraintChecks, insertIndexEntries, openWriteCursors, affinityString } from "./dml-common.js";
import { codeExpr } from "./expr.js";
import { finishProgram } from "./select.js";

export function compileInsert(p: Parse, stmt: InsertStmt): void {
  const b = p.b;
  if (stmt.with !== null) throw p.error("WITH is not supported yet");
  if (stmt.upsert.length > 0) throw p.error("UPSERT is not supported yet");
  if (stmt.returning !== null) throw p.error("RETURNING is not supported yet");
  const t = p.host.schema.table(stmt.table);
  if (t === null) throw p.error(`no such table: ${stmt.schema ? stmt.schema + "." : ""}${stmt.table}`);
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
        if (k === "rowid" || k === "oid" || k === "_rowid_") i = t.iPKey >= 0 ? t.iPKey : -1;
        else throw p.error(`table ${t.name} has no column named ${name}`);
      }
      map.push(i);
    }
  } else map = t.columns.map((_, i) => i);
  let rows: readonly (readonly Expr[])[];
  if (stmt.source === null) rows = [[]];
  else {
    const src = stmt.source;
    if (src.first.kind !== "values" || src.compounds.length > 0 || src.orderBy !== null || src.limit !== null || src.with !== null) {
      throw p.error("INSERT ... SELECT is not supported yet");
    }
    rows = src.first.rows;
    const nv = rows[0].length;
    if (stmt.columns !== null && nv !== map.length) throw p.error(`${nv} values for ${map.length} columns`);
    if (stmt.columns === null && nv !== nCol) throw p.error(`table ${t.name} has ${nCol} columns but ${nv} values were supplied`);
  }
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const cur = openWriteCursors(p, t, null);
  const regRowid = b.allocReg();
  const regData = b.allocReg(nCol);
  const rec = b.allocReg();
  const affs = affinityString(t);
  for (const row of rows) {
    const next = b.newLabel();
    let rowidExpr: Expr | null = null;
    for (let i = 0; i < nCol; i++) {
      const at = stmt.source === null ? -1 : map.indexOf(i);
      if (i === t.iPKey) {
        rowidExpr = at >= 0 ? row[at] : null;
        b.add(Op.Null, 0, regData + i);
        continue;
      }
      if (at >= 0) codeExpr(p, row[at], [], regData + i);
      else if (t.columns[i].dflt !== null) codeExpr(p, t.columns[i].dflt!, [], regData + i);
      else b.add(Op.Null, 0, regData + i);
    }
    const rowidAt = map.indexOf(-1);
    if (rowidExpr === null && rowidAt >= 0 && stmt.source !== null) rowidExpr = row[rowidAt];
    if (rowidExpr !== null) {
      codeExpr(p, rowidExpr, [], regRowid);
      const isNull = b.add(Op.NotNull, regRowid, 0);
      b.add(Op.NewRowid, cur.table, regRowid);
      const done = b.add(Op.Goto, 0, 0);
      b.jumpHere(isNull);
      b.add(Op.MustBeInt, regRowid, 0);
      b.jumpHere(done);
    } else b.add(Op.NewRowid, cur.table, regRowid);
    b.add(Op.Affinity, regData, nCol, 0, affs);
    constraintChecks(p, t, cur, regRowid, regData, onError, next, null, true);
    insertIndexEntries(p, t, cur, regRowid, regData);
    b.add(Op.MakeRecord, regData, nCol, rec);
    b.add(Op.Insert, cur.table, rec, regRowid, t.name, OPFLAG_NCHANGE | OPFLAG_LASTROWID);
    b.resolve(next);
  }
  finishProgram(p, init, end, true);
}
