/*
 * codegen/subquery.ts: nested queries (SQLite's select.c / expr.c sqlite3CodeSubselect,
 * sqlite3CodeRhsOfIN, sqlite3ExprCodeIN, codeVectorCompare; https://sqlite.org/lang_expr.html
 * §"Subquery Expressions", §"The IN and NOT IN operators", §"Row Values";
 * https://sqlite.org/lang_select.html §"FROM clause" subqueries):
 *  - scalar subqueries `(SELECT ...)`: the first row, NULL when there is none;
 *  - EXISTS;
 *  - `x IN (SELECT ...)` and `(a, b) IN (SELECT x, y ...)` through an ephemeral index;
 *  - row-value comparisons `(a, b) < (c, d)`, `(a, b) = (SELECT x, y ...)`;
 *  - FROM items: tables, views (view.ts), CTEs (cte.ts) and subqueries. A subquery,
 *    view or CTE in FROM is MATERIALIZED into an ephemeral list of records (a sorter
 *    cursor never sorted: records stay in insertion order) and scanned with
 *    Rewind/Next; we do not use co-routines (a materialized table can be rescanned as
 *    the inner loop of a join and by a correlated subquery).
 *
 * Correlation: while a subquery compiles, the enclosing query's scope is pushed on
 * p.outer (a FROM subquery pushes an empty scope: it cannot see its siblings). A name
 * that resolves in an outer frame marks the frames from there inwards correlated
 * (expr.ts resolveColumn). An uncorrelated subquery is coded behind a Once, so it runs
 * once per execution; a correlated one runs each time it is reached.
 *
 * Invariants:
 *  1. A scalar subquery's value lives in its own registers, set to NULL before the
 *     subquery runs and copied out after it, so a Once-skipped subquery still yields
 *     its value.
 *  2. `x IN (SELECT y ...)`: the RHS rows are stored with the comparison affinity of x
 *     and y (sqlite3CompareAffinity) and probed with x converted the same way; the
 *     index compares with the collation sqlite3BinaryCompareCollSeq(x, y) picks.
 *     Result: 0 when the subquery is empty (even for a NULL x); 1 when found; NULL
 *     when x is NULL or the RHS holds a row that could match if its NULLs were values;
 *     else 0. NOT IN is NOT of that. Because the RHS is always copied into a fresh
 *     index, a DESC index on the subquery's column cannot change the answer (the
 *     SQLite 3.53 bug fixed in 3.54, design.md "Which SQLite"). COMPAT: (docs/compat.md).
 *  3. Row values: `=`/`IS` are the AND of the field comparisons, `<>`/`IS NOT` their
 *     NOT; `<`,`<=`,`>`,`>=` compare field by field, the first unequal pair decides and
 *     a NULL met before that makes the result NULL.
 */
import { makeKeyInfo, type Collation, type KeyInfo } from "@strata/common";
import type { BinaryExpr, Expr, InExpr, SelectStmt, TableSource } from "../parser/ast.js";
import type { Column, Table } from "../schema/schema.js";
import { lower } from "../schema/schema.js";
import { AFF_BLOB, AFF_NONE, JUMPIFNULL, NULLEQ, Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import type { OuterFrame, Parse, SrcItem } from "./context.js";
import { cteItem, describeCte, findCte, withCtes } from "./cte.js";
import {
  codeExpr, compareAffinity, exprAffinity, exprCollation, resolveColumn, type Scope,
} from "./expr.js";
import { codeSelect, expandColumns, type SelectDest } from "./select.js";
import { describeView, viewItem } from "./view.js";
import { locateRelation } from "./dbs.js";

/** One result column of a SELECT as its users see it (name, type, affinity, collation). */
export interface ColInfo {
  readonly name: string;
  readonly decltype: string | null;
  readonly affinity: number;
  /** The collation the column carries, or null (BINARY when compared). */
  readonly collation: Collation | null;
  /** The collation came from an explicit COLLATE. */
  readonly explicitColl: boolean;
  /** The column's name as a FROM subquery or CTE (OutCol.written); absent: `name`. */
  readonly written?: string;
}

// ------------------------------------------------------------ describing a SELECT

const describeCache = new WeakMap<Parse, Map<SelectStmt, ColInfo[]>>();

/** Runs `fn` with `scope` pushed as the innermost enclosing scope; returns its result and the frame. */
export function withOuter<T>(p: Parse, scope: Scope, fn: () => T): [T, OuterFrame] {
  const frame: OuterFrame = { scope, correlated: false };
  p.outer.push(frame);
  try {
    return [fn(), frame];
  } finally {
    p.outer.pop();
  }
}

/** The result columns of `stmt` seen from a query whose tables are `scope`; no code is emitted. */
export function describeSelect(p: Parse, stmt: SelectStmt, scope: Scope): ColInfo[] {
  let m = describeCache.get(p);
  if (m === undefined) { m = new Map(); describeCache.set(p, m); }
  const hit = m.get(stmt);
  if (hit !== undefined) return hit;
  const [cols] = withOuter(p, scope, () => {
    if (stmt.with === null) return describeBody(p, stmt);
    return withCtesDescribe(p, stmt);
  });
  m.set(stmt, cols);
  return cols;
}

function withCtesDescribe(p: Parse, stmt: SelectStmt): ColInfo[] {
  return withCtes(p, stmt.with!, () => describeBody(p, stmt));
}

function describeBody(p: Parse, stmt: SelectStmt): ColInfo[] {
  const core = stmt.first;
  if (core.kind === "values") {
    return core.rows[0].map((e, i) => ({
      name: `column${i + 1}`, decltype: null, affinity: exprAffinity(p, e, []), collation: exprCollation(p, e, []),
      explicitColl: e.kind === "collate",
    }));
  }
  const scope: SrcItem[] = [];
  if (core.from !== null) {
    scope.push(describeFromItem(p, core.from.first));
    for (const j of core.from.joins) scope.push(describeFromItem(p, j.table));
  }
  const out = expandColumns(p, core.columns, scope);
  return out.map((c) => ({
    name: c.name, decltype: c.decltype, affinity: exprAffinity(p, c.expr, scope),
    collation: exprCollation(p, c.expr, scope), explicitColl: c.expr.kind === "collate", written: c.written,
  }));
}

/** A FROM item's table without emitting code (cursor -1). */
export function describeFromItem(p: Parse, src: TableSource): SrcItem {
  switch (src.kind) {
    case "tableRef": {
      if (src.schema === null) {
        const cte = findCte(p, src.name);
        if (cte !== null) return { table: syntheticTable(src.name, describeCte(p, cte)), cursor: -1, alias: src.alias, ephemeral: true };
      }
      const r = locateRelation(p, src.name, src.schema);
      if (r === null) throw noSuchTable(p, src);
      if (r.table !== null) return { table: r.table, cursor: -1, alias: src.alias };
      return { table: syntheticTable(src.name, describeView(p, src.name, r.iDb)), cursor: -1, alias: src.alias, ephemeral: true };
    }
    case "subquerySource": {
      const cols = describeSelect(p, src.select, []);
      return { table: syntheticTable(src.alias ?? "subquery", cols, writtenNames(cols)), cursor: -1, alias: src.alias, ephemeral: true };
    }
    case "nestedJoin":
      throw p.error("parenthesised joins are not supported yet");
  }
}

/** The column names of a FROM subquery or CTE without a column list (ColInfo.written). */
export function writtenNames(cols: readonly ColInfo[]): string[] {
  return cols.map((c) => c.written ?? c.name);
}

/** A Table describing materialized rows: unique column names ("a", "a:1"), no rowid. */
export function syntheticTable(name: string, cols: readonly ColInfo[], names: readonly string[] | null = null): Table {
  const seen = new Set<string>();
  const columns: Column[] = cols.map((c, i) => {
    let n = names !== null ? names[i] : c.name;
    if (seen.has(lower(n))) {
      let k = 1;
      while (seen.has(lower(`${n}:${k}`))) k++;
      n = `${n}:${k}`;
    }
    seen.add(lower(n));
    return {
      name: n, decltype: c.decltype, affinity: c.affinity === AFF_NONE ? AFF_BLOB : c.affinity, notNull: false, dflt: null,
      collation: c.collation === null ? null : c.collation.name, primaryKey: false, notNullConflict: null,
    };
  });
  return {
    name, root: 0, columns, iPKey: -1, withoutRowid: false, sql: "", indexes: [], isView: false,
    keyConf: null, checks: [], autoincrement: false,
  };
}

// ------------------------------------------------------------ FROM items

/** The SrcItem for one FROM source; subqueries, views and CTEs are materialized here. */
export function fromItem(p: Parse, src: TableSource): SrcItem {
  switch (src.kind) {
    case "tableRef": {
      if (src.args !== null) throw p.error(`no such table: ${src.name}`);
      if (src.schema === null) {
        const cte = findCte(p, src.name);
        if (cte !== null) return cteItem(p, cte, src.alias);
      }
      const r = locateRelation(p, src.name, src.schema);
      if (r === null) throw noSuchTable(p, src);
      const t = r.table;
      if (t !== null) {
        p.usesDb = true;
        if (typeof src.indexedBy === "string" && !t.indexes.some((ix) => ix.name.toLowerCase() === (src.indexedBy as string).toLowerCase())) {
          throw p.error(`no such index: ${src.indexedBy}`);
        }
        return { table: t, cursor: p.b.allocCursor(), alias: src.alias, indexedBy: src.indexedBy };
      }
      return viewItem(p, src.name, src.alias, r.iDb);
    }
    case "subquerySource":
      return materialize(p, src.select, src.alias ?? "subquery", null, src.alias, true);
    case "nestedJoin":
      throw p.error("parenthesised joins are not supported yet");
  }
}

/** "no such table: x"; inside a view the name is qualified ("main.x"), as SQLite reports it. */
function noSuchTable(p: Parse, src: { schema: string | null; name: string }): Error {
  const schema = src.schema ?? (p.viewStack.length > 0 ? "main" : null);
  return p.error(`no such table: ${schema !== null ? schema + "." : ""}${src.name}`);
}

function listKeyInfo(p: Parse, n: number): KeyInfo {
  return makeKeyInfo(n, { encoding: p.host.encoding });
}

/** A dest that appends each row as a record to the list cursor `cursor`. */
export function listDest(cursor: number): SelectDest {
  return {
    output: false,
    emit(p, first, n) {
      const r = p.b.allocReg();
      p.b.add(Op.MakeRecord, first, n, r, null, OPFLAG_EPHEMREC);
      p.b.add(Op.SorterInsert, cursor, r);
    },
  };
}

/** Opens an insertion-ordered list of n-column records on `cursor`. */
export function openList(p: Parse, cursor: number, n: number): void {
  p.b.add(Op.SorterOpen, cursor, n, 0, listKeyInfo(p, n));
}

/**
 * Codes `fn` (which emits a subquery) behind a Once unless the subquery turns out to be
 * correlated with the enclosing `scope`.
 */
export function onceUnlessCorrelated(p: Parse, scope: Scope, fn: () => void): void {
  const b = p.b;
  const once = b.add(Op.Once, 0, 0);
  const [, frame] = withOuter(p, scope, fn);
  if (frame.correlated) b.ops[once] = Op.Noop;
  b.jumpHere(once);
}

/** Materializes `stmt` into a list cursor; returns the FROM item that scans it. */
export function materialize(p: Parse, stmt: SelectStmt, name: string, names: readonly string[] | null, alias: string | null, written = false): SrcItem {
  const cols = describeSelect(p, stmt, []);
  if (names !== null && names.length !== cols.length) {
    throw p.error(`table ${name} has ${cols.length} values for ${names.length} columns`);
  }
  // A view's columns are named after resolution, a subquery's or CTE's before (written).
  const table = syntheticTable(name, cols, names ?? (written ? writtenNames(cols) : null));
  const cursor = p.b.allocCursor();
  onceUnlessCorrelated(p, [], () => {
    openList(p, cursor, cols.length);
    codeSelect(p, stmt, listDest(cursor));
  });
  return { table, cursor, alias: alias ?? name, ephemeral: true };
}

// ------------------------------------------------------------ scalar, EXISTS

function columnsError(p: Parse, got: number, want: number): Error {
  return p.error(`sub-select returns ${got} columns - expected ${want}`);
}

/** Codes a scalar subquery's n columns into target..target+n-1 (invariant 1). */
export function codeSubqueryRow(p: Parse, stmt: SelectStmt, scope: Scope, target: number, want: number): void {
  const b = p.b;
  const cols = describeSelect(p, stmt, scope);
  if (cols.length !== want) throw columnsError(p, cols.length, want);
  const res = b.allocReg(want);
  onceUnlessCorrelated(p, scope, () => {
    b.add(Op.Null, 0, res, res + want - 1);
    const done = b.newLabel();
    codeSelect(p, stmt, {
      output: false,
      emit(p2, first, n) {
        p2.b.add(Op.Copy, first, res, n - 1);
        p2.b.add(Op.Goto, 0, done);
      },
    });
    b.resolve(done);
  });
  b.add(Op.Copy, res, target, want - 1);
}

/** `(SELECT ...)` in a scalar context. */
export function codeScalarSubquery(p: Parse, stmt: SelectStmt, scope: Scope, target: number): void {
  codeSubqueryRow(p, stmt, scope, target, 1);
}

/** `EXISTS (SELECT ...)`: 1 when the subquery yields a row, else 0. */
export function codeExists(p: Parse, stmt: SelectStmt, scope: Scope, target: number): void {
  const b = p.b;
  const res = b.allocReg();
  onceUnlessCorrelated(p, scope, () => {
    b.add(Op.Integer, 0, res);
    const done = b.newLabel();
    codeSelect(p, stmt, {
      output: false,
      emit(p2) {
        p2.b.add(Op.Integer, 1, res);
        p2.b.add(Op.Goto, 0, done);
      },
    });
    b.resolve(done);
  });
  b.add(Op.SCopy, res, target);
}

// ------------------------------------------------------------ operands as fields

/** One field of a row-value operand: its register and what carries affinity/collation. */
interface Field { reg: number; expr: Expr | null; info: ColInfo | null }

/** The number of fields of an operand (1 for a plain expression). */
export function vectorSize(p: Parse, e: Expr, scope: Scope): number {
  if (e.kind === "vector") return e.items.length;
  if (e.kind === "subquery") return describeSelect(p, e.select, scope).length;
  return 1;
}

function codeFields(p: Parse, e: Expr, scope: Scope, n: number): Field[] {
  const b = p.b;
  if (e.kind === "vector") {
    const first = b.allocReg(n);
    e.items.forEach((x, i) => {
      if (vectorSize(p, x, scope) !== 1) throw p.error("row value misused");
      codeExpr(p, x, scope, first + i);
    });
    return e.items.map((x, i) => ({ reg: first + i, expr: x, info: null }));
  }
  if (e.kind === "subquery") {
    const cols = describeSelect(p, e.select, scope);
    const first = b.allocReg(n);
    codeSubqueryRow(p, e.select, scope, first, n);
    return cols.map((c, i) => ({ reg: first + i, expr: null, info: c }));
  }
  const r = b.allocReg();
  codeExpr(p, e, scope, r);
  return [{ reg: r, expr: e, info: null }];
}

function fieldAffinity(p: Parse, f: Field, scope: Scope): number {
  return f.expr !== null ? exprAffinity(p, f.expr, scope) : f.info!.affinity;
}
function fieldExplicitColl(p: Parse, f: Field, inRhs: boolean): Collation | null {
  if (f.expr !== null) return f.expr.kind === "collate" ? p.collation(f.expr.collation) : null;
  return inRhs && f.info!.explicitColl ? f.info!.collation : null;
}
/** A field's collation; a row-value field taken from a subquery carries none (TK_SELECT_COLUMN). */
function fieldColl(p: Parse, f: Field, scope: Scope, inRhs: boolean): Collation | null {
  return f.expr !== null ? exprCollation(p, f.expr, scope) : inRhs ? f.info!.collation : null;
}
/** sqlite3BinaryCompareCollSeq over two fields (`inRhs`: r is a column of an IN subquery). */
function pairCollation(p: Parse, l: Field, r: Field, scope: Scope, inRhs = false): Collation | null {
  return fieldExplicitColl(p, l, inRhs) ?? fieldExplicitColl(p, r, inRhs) ?? fieldColl(p, l, scope, inRhs) ?? fieldColl(p, r, scope, inRhs);
}
function pairAffinity(p: Parse, l: Field, r: Field, scope: Scope): number {
  return compareAffinity(fieldAffinity(p, l, scope), fieldAffinity(p, r, scope)) & 0x47;
}

// ------------------------------------------------------------ row-value comparison

const VEC_CMP: Record<string, number> = { "<": Op.Lt, "<=": Op.Le, ">": Op.Gt, ">=": Op.Ge };

/** Whether a comparison has a row value on either side (then codeVectorCompare codes it). */
export function isVectorCompare(p: Parse, e: BinaryExpr, scope: Scope): boolean {
  return vectorSize(p, e.left, scope) !== 1 || vectorSize(p, e.right, scope) !== 1;
}

/** Invariant 3. */
export function codeVectorCompare(p: Parse, e: BinaryExpr, scope: Scope, target: number): void {
  const b = p.b;
  const n = vectorSize(p, e.left, scope);
  if (n !== vectorSize(p, e.right, scope)) throw p.error("row value misused");
  const L = codeFields(p, e.left, scope, n);
  const R = codeFields(p, e.right, scope, n);
  const end = b.newLabel();
  const op = e.op;
  if (op === "IS" || op === "IS NOT" || op === "IS NOT DISTINCT FROM" || op === "IS DISTINCT FROM") {
    const isNot = op === "IS NOT" || op === "IS DISTINCT FROM";
    b.add(Op.Integer, isNot ? 1 : 0, target);
    for (let i = 0; i < n; i++) {
      b.add(Op.Ne, R[i].reg, end, L[i].reg, pairCollation(p, L[i], R[i], scope), pairAffinity(p, L[i], R[i], scope) | NULLEQ);
    }
    b.add(Op.Integer, isNot ? 0 : 1, target);
    b.resolve(end);
    return;
  }
  if (op === "=" || op === "==" || op === "!=" || op === "<>") {
    // AND of the field comparisons: a definite inequality gives 0 whatever the NULLs.
    const neq = op === "!=" || op === "<>";
    const sawNull = b.allocReg();
    b.add(Op.Integer, 0, sawNull);
    b.add(Op.Integer, neq ? 1 : 0, target);
    for (let i = 0; i < n; i++) {
      const next = b.newLabel();
      const isNull = b.newLabel();
      b.add(Op.IsNull, L[i].reg, isNull);
      b.add(Op.IsNull, R[i].reg, isNull);
      b.add(Op.Ne, R[i].reg, end, L[i].reg, pairCollation(p, L[i], R[i], scope), pairAffinity(p, L[i], R[i], scope));
      b.add(Op.Goto, 0, next);
      b.resolve(isNull);
      b.add(Op.Integer, 1, sawNull);
      b.resolve(next);
    }
    b.add(Op.Integer, neq ? 0 : 1, target);
    b.add(Op.IfNot, sawNull, end);
    b.add(Op.Null, 0, target);
    b.resolve(end);
    return;
  }
  const cmp = VEC_CMP[op];
  if (cmp === undefined) throw p.error("row value misused");
  const strict = op === "<" || op === "<=" ? Op.Lt : Op.Gt;
  b.add(Op.Null, 0, target);
  for (let i = 0; i < n; i++) {
    const coll = pairCollation(p, L[i], R[i], scope);
    const aff = pairAffinity(p, L[i], R[i], scope);
    b.add(Op.IsNull, L[i].reg, end);
    b.add(Op.IsNull, R[i].reg, end);
    const last = i === n - 1;
    const decide = b.newLabel();
    if (!last) {
      const eq = b.newLabel();
      b.add(Op.Eq, R[i].reg, eq, L[i].reg, coll, aff);
      b.resolve(decide);
      b.add(Op.Integer, 1, target);
      const j = b.add(strict, R[i].reg, end, L[i].reg, coll, aff);
      void j;
      b.add(Op.Integer, 0, target);
      b.add(Op.Goto, 0, end);
      b.resolve(eq);
    } else {
      b.add(Op.Integer, 1, target);
      b.add(cmp, R[i].reg, end, L[i].reg, coll, aff);
      b.add(Op.Integer, 0, target);
    }
  }
  b.resolve(end);
}

// ------------------------------------------------------------ IN (SELECT ...)

/** `x [NOT] IN (SELECT ...)` / `x IN table` (invariant 2). */
export function codeInSubquery(p: Parse, e: InExpr, scope: Scope, target: number): void {
  const b = p.b;
  let sel: SelectStmt;
  if (e.rhs.kind === "select") sel = e.rhs.select;
  else if (e.rhs.kind === "table") sel = tableAsSelect(e, e.rhs);
  else throw p.error("internal: IN list");
  const n = vectorSize(p, e.expr, scope);
  const cols = describeSelect(p, sel, scope);
  if (cols.length !== n) throw columnsError(p, cols.length, n);
  const L = codeFields(p, e.expr, scope, n);
  const R: Field[] = cols.map((c) => ({ reg: 0, expr: null, info: c }));
  const affs = L.map((l, i) => String.fromCharCode(pairAffinity(p, l, R[i], scope) || AFF_BLOB)).join("");
  const colls = L.map((l, i) => pairCollation(p, l, R[i], scope, true));
  const set = b.allocCursor();
  const ki = makeKeyInfo(n, { collations: colls, encoding: p.host.encoding });
  onceUnlessCorrelated(p, scope, () => {
    b.add(Op.OpenEphemeral, set, n, 0, ki);
    codeSelect(p, sel, {
      output: false,
      emit(p2, first, cnt) {
        const r = p2.b.allocReg();
        p2.b.add(Op.MakeRecord, first, cnt, r, affs, OPFLAG_EPHEMREC);
        p2.b.add(Op.IdxInsert, set, r);
      },
    });
  });
  const end = b.newLabel();
  const yes = b.newLabel();
  const isNull = b.newLabel();
  b.add(Op.Integer, 0, target);
  b.add(Op.Rewind, set, end); // empty: 0, whatever x is
  const probe = b.allocReg(n);
  L.forEach((l, i) => b.add(Op.SCopy, l.reg, probe + i));
  b.add(Op.Affinity, probe, n, 0, affs);
  if (n === 1) {
    b.add(Op.IsNull, probe, isNull);
    b.add(Op.Found, set, yes, probe, 1);
    b.add(Op.Null, 0, probe);
    b.add(Op.Found, set, isNull, probe, 1);
    b.add(Op.Goto, 0, end);
  } else {
    const scanRows = b.newLabel();
    for (let i = 0; i < n; i++) b.add(Op.IsNull, probe + i, scanRows);
    b.add(Op.Found, set, yes, probe, n);
    b.resolve(scanRows);
    // Not found: NULL if some row could match when its NULLs (or ours) were values.
    const done = b.newLabel();
    b.add(Op.Rewind, set, done);
    const top = b.addr;
    const nextRow = b.newLabel();
    const c = b.allocReg();
    for (let i = 0; i < n; i++) {
      const nextField = b.newLabel();
      b.add(Op.IsNull, probe + i, nextField);
      b.add(Op.Column, set, i, c);
      b.add(Op.IsNull, c, nextField);
      b.add(Op.Ne, probe + i, nextRow, c, colls[i], 0);
      b.resolve(nextField);
    }
    b.add(Op.Goto, 0, isNull);
    b.resolve(nextRow);
    b.add(Op.Next, set, top);
    b.resolve(done);
    b.add(Op.Goto, 0, end);
  }
  b.resolve(isNull);
  b.add(Op.Null, 0, target);
  b.add(Op.Goto, 0, end);
  b.resolve(yes);
  b.add(Op.Integer, 1, target);
  b.resolve(end);
  if (e.not) b.add(Op.Not, target, target);
  void JUMPIFNULL;
  void resolveColumn;
}

/** `x IN t` means `x IN (SELECT * FROM t)`. */
function tableAsSelect(e: InExpr, t: { schema: string | null; name: string; args: readonly Expr[] | null }): SelectStmt {
  const span = { start: e.start, end: e.end };
  return {
    kind: "select", with: null, orderBy: null, limit: null, compounds: [], ...span,
    first: {
      kind: "selectCore", distinct: null, where: null, groupBy: null, having: null, windows: null, ...span,
      columns: [{ kind: "resultStar", table: null, ...span }],
      from: {
        kind: "from", joins: [], ...span,
        first: { kind: "tableRef", schema: t.schema, name: t.name, args: t.args, alias: null, indexedBy: null, ...span },
      },
    },
  };
}
