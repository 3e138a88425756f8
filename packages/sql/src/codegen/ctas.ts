/*
 * codegen/ctas.ts: CREATE TABLE ... AS SELECT (SQLite's build.c sqlite3EndTable with a
 * SELECT, select.c sqlite3ResultSetOfSelect / sqlite3SubqueryColTypeAffinity, and
 * build.c createTableStmt; https://sqlite.org/lang_createtable.html#create_table_as_select_statements).
 *
 * The new table has one column per result column of the SELECT, named as SQLite's
 * sqlite3ColumnsFromExprList names them (the AS alias, else the column's name for a
 * column reference, else the expression's text; repeats get ":N" suffixes), with no
 * constraints, and an affinity derived from the expressions. sqlite_schema receives not
 * the user's text but a CREATE TABLE statement SQLite writes itself (createTableStmt):
 *   CREATE TABLE <name>(<col> <TYPE>,...)
 * where each identifier is quoted with "..." unless it is a plain ASCII word that is not
 * a keyword, <TYPE> is "" (BLOB affinity), " TEXT", " NUM", " INT" or " REAL", and when
 * the name lengths add up to 50 or more each column goes on its own line ("\n  ").
 *
 * Invariants:
 *  1. Column affinity (sqlite3SubqueryColTypeAffinity, 3.53): the affinity of the
 *     leftmost SELECT's expression; while that is "none" and more compound parts follow,
 *     the next part's; BLOB if still none. For TEXT or a numeric affinity in a compound,
 *     the datatypes the other parts may produce (sqlite3ExprDataType) can demote it to
 *     BLOB (TEXT meeting numbers, numeric meeting text); a numeric CAST in the leftmost
 *     part becomes FLEXNUM (written " NUM").
 *  2. Rows are inserted in SELECT order with rowids 1, 2, ... (NewRowid), their values
 *     converted with the new columns' affinities, before the sqlite_schema row is written.
 */
import type { Expr, SelectCore, SelectStmt, ValuesClause, CreateTableStmt } from "../parser/ast.js";
import { lookupKeyword } from "../parser/keywords.js";
import { AFF_BLOB, AFF_NONE, AFF_NUMERIC, AFF_TEXT, Op } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import { exprAffinity, resolveColumn, type Scope } from "./expr.js";
import { withCtes } from "./cte.js";
import { codeSelect, expandColumns, type SelectDest } from "./select.js";
import { describeFromItem, describeSelect } from "./subquery.js";
import { finishProgram } from "./select.js";
import { bumpCookie, schemaRow } from "./ddl.js";

/** SQLite's SQLITE_AFF_FLEXNUM: NUMERIC that leaves REAL values alone; written " NUM". */
const AFF_FLEXNUM = 0x46;

/** identPut: `name` as createTableStmt writes it (quoted unless a plain non-keyword ASCII word). */
export function identPut(name: string): string {
  let j = 0;
  while (j < name.length && /[A-Za-z0-9_]/.test(name[j])) j++;
  const needQuote = name.length === 0 || j < name.length || /[0-9]/.test(name[0]) || lookupKeyword(name, 0, name.length) !== null;
  return needQuote ? `"${name.replace(/"/g, "\"\"")}"` : name;
}

/** identLength: bytes of the name plus its quotes and doubled `"`. */
function identLength(name: string): number {
  let n = Buffer.byteLength(name, "utf8") + 2;
  for (const ch of name) if (ch === "\"") n++;
  return n;
}

const TYPE_TEXT: Record<number, string> = { 0x41: "", 0x42: " TEXT", 0x43: " NUM", 0x44: " INT", 0x45: " REAL", 0x46: " NUM" };

/** createTableStmt: the sqlite_schema text of a CREATE TABLE ... AS SELECT table. */
export function createTableStmt(name: string, cols: readonly { name: string; affinity: number }[]): string {
  let n = identLength(name);
  for (const c of cols) n += identLength(c.name) + 5;
  const [sep1, sep2, end] = n < 50 ? ["", ",", ")"] : ["\n  ", ",\n  ", "\n)"];
  let out = `CREATE TABLE ${identPut(name)}(`;
  cols.forEach((c, i) => {
    out += (i === 0 ? sep1 : sep2) + identPut(c.name) + TYPE_TEXT[c.affinity];
  });
  return out + end;
}

/** sqlite3ExprDataType: bit 0x01 numeric, 0x02 text, 0x04 blob the expression may yield. */
function exprDataType(p: Parse, e: Expr, scope: Scope): number {
  for (;;) {
    switch (e.kind) {
      case "collate": e = e.expr; continue;
      case "unary":
        if (e.op !== "+") return 0x01;
        e = e.operand;
        continue;
      case "literal":
        switch (e.type) {
          case "null": return 0;
          case "string": return 0x02;
          case "blob": return 0x04;
          case "integer": case "float": return 0x01;
          default: return 0x07;
        }
      case "binary": return e.op === "||" ? 0x06 : 0x01;
      case "parameter": case "function": return 0x07;
      case "column": case "subquery": case "cast": case "vector": {
        const aff = exprAffinity(p, e, scope);
        if (aff >= AFF_NUMERIC) return 0x05;
        if (aff === AFF_TEXT) return 0x06;
        return 0x07;
      }
      case "case": {
        let res = 0;
        for (const w of e.whens) res |= exprDataType(p, w.then, scope);
        if (e.else !== null) res |= exprDataType(p, e.else, scope);
        return res;
      }
      default: return 0x01;
    }
  }
}

/** One compound part's result expressions and the scope they resolve in (no code emitted). */
function partColumns(p: Parse, part: SelectCore | ValuesClause): { exprs: Expr[]; names: string[]; scope: Scope } {
  if (part.kind === "values") return { exprs: [...part.rows[0]], names: part.rows[0].map((_, i) => `column${i + 1}`), scope: [] };
  const scope: SrcItem[] = [];
  if (part.from !== null) {
    scope.push(describeFromItem(p, part.from.first));
    for (const j of part.from.joins) scope.push(describeFromItem(p, j.table));
  }
  const exprs: Expr[] = [];
  const names: string[] = [];
  for (const rc of part.columns) {
    if (rc.kind === "resultStar") {
      for (const c of expandColumns(p, [rc], scope)) { exprs.push(c.expr); names.push(c.name); }
      continue;
    }
    exprs.push(rc.expr);
    names.push(rc.alias ?? columnName(p, rc.expr, scope));
  }
  return { exprs, names, scope };
}

/** sqlite3ColumnsFromExprList's name for an un-aliased result expression. */
function columnName(p: Parse, e: Expr, scope: Scope): string {
  let x = e;
  for (;;) {
    if (x.kind === "collate") x = x.expr;
    else if (x.kind === "function" && Array.isArray(x.args) && x.args.length > 0 && /^(likely|unlikely|likelihood)$/i.test(x.name)) x = x.args[0];
    else break;
  }
  if (x.kind === "column" && scope.length > 0) {
    const r = resolveColumn(p, x, scope);
    const t = r.item.table;
    const col = r.col >= 0 ? r.col : t.iPKey;
    return col >= 0 ? t.columns[col].name : "rowid";
  }
  return p.text(e);
}

/** The new table's columns: names and affinities (invariant 1). */
function resultColumns(p: Parse, sel: SelectStmt): { name: string; affinity: number }[] {
  const info = describeSelect(p, sel, []);
  const parts = [sel.first, ...sel.compounds.map((c) => c.select)];
  const cols = parts.map((q, i) => (i === 0 || parts.length > 1 ? partColumns(p, q) : null));
  const seen = new Set<string>();
  return info.map((ci, i) => {
    let aff = ci.affinity;
    if (parts.length > 1) {
      const c = cols as { exprs: Expr[]; scope: Scope }[];
      const first = c[0].exprs[i];
      aff = exprAffinity(p, first, c[0].scope);
      let k = 0;
      let m = 0;
      while (aff <= AFF_NONE && k + 1 < c.length) {
        m |= exprDataType(p, c[k].exprs[i], c[k].scope);
        k++;
        aff = exprAffinity(p, c[k].exprs[i], c[k].scope);
      }
      if (aff <= AFF_NONE) aff = AFF_BLOB;
      if (aff >= AFF_TEXT) {
        for (let r = k + 1; r < c.length; r++) m |= exprDataType(p, c[r].exprs[i], c[r].scope);
        if (aff === AFF_TEXT && (m & 0x01) !== 0) aff = AFF_BLOB;
        else if (aff >= AFF_NUMERIC && (m & 0x02) !== 0) aff = AFF_BLOB;
        if (aff >= AFF_NUMERIC && first.kind === "cast") aff = AFF_FLEXNUM;
      }
    } else if (aff <= AFF_NONE) aff = AFF_BLOB;
    // sqlite3ColumnsFromExprList: unique names, "x", "x:1", "x:2", ... (a trailing ":N" of
    // the base name is replaced, not extended).
    const given = cols[0]!.names[i];
    let name = given === "" ? `column${i + 1}` : given;
    let cnt = 0;
    while (seen.has(name.toLowerCase())) {
      const base = name.replace(/:[0-9]+$/, "");
      name = `${base}:${++cnt}`;
    }
    seen.add(name.toLowerCase());
    return { name, affinity: aff };
  });
}

/**
 * Affinity letters for MakeRecord. COMPAT: FLEXNUM inserts as NUMERIC, so a REAL with an
 * integer value (3.0) from another compound part is stored as INTEGER 3 where SQLite keeps
 * REAL (docs/compat.md).
 */
function affinityLetters(cols: readonly { affinity: number }[]): string {
  return cols.map((c) => String.fromCharCode(c.affinity === AFF_FLEXNUM ? AFF_NUMERIC : c.affinity)).join("");
}

/** CREATE TABLE name AS select: the checks on the name are done by the caller (ddl.ts). */
export function compileCreateTableAs(p: Parse, stmt: CreateTableStmt, sel: SelectStmt): void {
  const b = p.b;
  const cols = sel.with === null ? resultColumns(p, sel) : withCtes(p, sel.with, () => resultColumns(p, { ...sel, with: null }));
  const sql = createTableStmt(stmt.name, cols);
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const root = b.allocReg();
  b.add(Op.CreateBtree, 0, root, 1);
  const cur = b.allocCursor();
  b.add(Op.OpenWrite, cur, root, 0, cols.length, 2);
  const aff = affinityLetters(cols);
  const rec = b.allocReg();
  const rowid = b.allocReg();
  const dest: SelectDest = {
    output: false,
    emit(p2, first, n) {
      p2.b.add(Op.MakeRecord, first, n, rec, aff);
      p2.b.add(Op.NewRowid, cur, rowid);
      p2.b.add(Op.Insert, cur, rec, rowid, stmt.name, 0);
    },
  };
  codeSelect(p, sel, dest);
  b.add(Op.Close, cur);
  const sc = b.allocCursor();
  b.add(Op.OpenWrite, sc, 1, 0, 5);
  b.comment("sqlite_schema");
  schemaRow(p, sc, "table", stmt.name, stmt.name, root, sql);
  bumpCookie(p);
  finishProgram(p, init, end, true);
}
