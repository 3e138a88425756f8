/*
 * codegen/compound.ts: compound SELECT — UNION, UNION ALL, INTERSECT, EXCEPT — with the
 * compound's ORDER BY and LIMIT/OFFSET (SQLite's select.c multiSelect,
 * multiSelectOrderBy, resolveCompoundOrderBy; https://sqlite.org/lang_select.html
 * §"Compound Select Statements").
 *
 * Evaluation is left to right ((A op B) op C ...), accumulating rows in an ephemeral
 * structure: a list (insertion order, duplicates kept) while the operators are UNION
 * ALL, an index (a sorted set keyed on every column, duplicates merged) for the others.
 * UNION inserts into the set (an equal row replaces the one there, as SQLite's
 * IdxInsert does); INTERSECT / EXCEPT code the right side into a second set and keep
 * the rows of the left set found / not found in it. A chain of UNION ALL without ORDER
 * BY streams straight to the destination.
 *
 * Invariants:
 *  1. Every part has as many columns as the first, else "SELECTs to the left and right
 *     of OP do not have the same number of result columns". Names and declared types
 *     are the first part's.
 *  2. Set comparisons use, per column, the collation of the leftmost part whose column
 *     carries one (multiSelectCollSeq).
 *  3. ORDER BY terms name output columns: by number, by a part's AS name or an
 *     expression equal to a part's result expression (rightmost part first, as
 *     resolveCompoundOrderBy). For operators other than UNION ALL the remaining columns
 *     are appended as ascending keys (SQLite's merge does the same), so the order is
 *     fully determined; ties in UNION ALL keep the parts' order.
 *  4. Without ORDER BY the rows of a set come out in index order.
 *  5. Rows equal under the set's collations: within one SELECT the first is kept, a
 *     later SELECT's row replaces an earlier SELECT's (what SQLite 3.53 shows, e.g.
 *     `SELECT 'x' COLLATE NOCASE UNION SELECT 'X'` gives 'X' but a NOCASE column with
 *     'X' then 'x' INTERSECT ... keeps 'X'); each set record carries a tag naming the
 *     SELECT that stored it.
 */
import { BINARY, SORT_DESC, makeKeyInfo, type Collation } from "@strata/common";
import type { CompoundOperator, Expr, SelectCore, SelectStmt, ValuesClause } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { codeCore, codeLimit, type SelectDest, type SelectShape } from "./select.js";
import { describeSelect, listDest, openList, type ColInfo } from "./subquery.js";

export type Part = SelectCore | ValuesClause;

function partStmt(part: Part): SelectStmt {
  return { kind: "select", with: null, first: part, compounds: [], orderBy: null, limit: null, start: part.start, end: part.end };
}

/** Structural equality of two expressions, ignoring source positions. */
function sameExpr(a: Expr, b: Expr): boolean {
  if (a.kind === "column" && b.kind === "column") return lower(a.column) === lower(b.column);
  const strip = (_k: string, v: unknown): unknown => (_k === "start" || _k === "end" ? undefined : v);
  return JSON.stringify(a, strip) === JSON.stringify(b, strip);
}

function ordinal(n: number): string {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

export interface Key { col: number; coll: Collation | null; flags: number }

/** Invariant 3 (also the ORDER BY of a recursive CTE, cte.ts). */
export function resolveOrderBy(p: Parse, stmt: SelectStmt, parts: readonly Part[], n: number, colls: (Collation | null)[]): Key[] {
  const keys: Key[] = [];
  (stmt.orderBy ?? []).forEach((t, i) => {
    let e = t.expr;
    let coll: Collation | null = null;
    if (e.kind === "collate") { coll = p.collation(e.collation); e = e.expr; }
    let k = -1;
    if (e.kind === "literal" && e.type === "integer") {
      k = Number(e.value) - 1;
      if (!(k >= 0 && k < n)) throw p.error(`${ordinal(i + 1)} ORDER BY term out of range - should be between 1 and ${n}`);
    } else {
      for (let j = parts.length - 1; j >= 0 && k < 0; j--) {
        const part = parts[j];
        if (part.kind !== "selectCore") {
          k = part.rows[0].findIndex((x) => sameExpr(x, e));
          continue;
        }
        if (e.kind === "column" && e.table === null) {
          const name = lower(e.column);
          k = part.columns.findIndex((rc) => rc.kind === "resultExpr" && rc.alias !== null && lower(rc.alias) === name);
        }
        if (k < 0) k = part.columns.findIndex((rc) => rc.kind === "resultExpr" && sameExpr(rc.expr, e));
      }
    }
    if (k < 0) throw p.error(`${ordinal(i + 1)} ORDER BY term does not match any column in the result set`);
    const desc = t.direction === "DESC";
    keys.push({ col: k, coll: coll ?? colls[k], flags: (desc ? SORT_DESC : 0) | (t.nulls !== null && (t.nulls === "LAST") !== desc ? 2 : 0) });
  });
  return keys;
}

/** Codes a compound SELECT sending its rows to `dest`. */
export function codeCompound(p: Parse, stmt: SelectStmt, dest: SelectDest): SelectShape {
  const b = p.b;
  const parts: Part[] = [stmt.first, ...stmt.compounds.map((c) => c.select)];
  const ops: CompoundOperator[] = stmt.compounds.map((c) => c.op);
  const infos: ColInfo[][] = parts.map((x) => describeSelect(p, partStmt(x), []));
  const n = infos[0].length;
  infos.forEach((inf, i) => {
    if (i > 0 && inf.length !== n) {
      throw p.error(`SELECTs to the left and right of ${ops[i - 1]} do not have the same number of result columns`);
    }
  });
  const shape: SelectShape = { names: infos[0].map((c) => c.name), decltypes: infos[0].map((c) => c.decltype) };
  const colls: (Collation | null)[] = [];
  for (let c = 0; c < n; c++) {
    let coll: Collation | null = null;
    infos.forEach((inf, i) => {
      // A multi-row VALUES is a subquery to SQLite: its columns carry BINARY.
      const part = parts[i];
      const cc = inf[c].collation ?? (part.kind === "values" && part.rows.length > 1 ? BINARY : null);
      if (coll === null && cc !== null) coll = cc;
    });
    colls.push(coll);
  }
  const keys = resolveOrderBy(p, stmt, parts, n, colls);
  const allAll = ops.every((o) => o === "UNION ALL");
  if (keys.length > 0 && !allAll) {
    for (let c = 0; c < n; c++) if (!keys.some((k) => k.col === c)) keys.push({ col: c, coll: colls[c], flags: 0 });
  }
  const end = b.newLabel();
  const [lim, off] = codeLimit(p, stmt.limit, end);

  // The final destination: through a sorter when there is an ORDER BY, else limited output.
  const nKey = keys.length;
  const sorter = nKey > 0 ? b.allocCursor() : -1;
  if (sorter >= 0) {
    b.add(Op.SorterOpen, sorter, nKey + n, 0, makeKeyInfo(nKey, {
      collations: keys.map((k) => k.coll), sortFlags: keys.map((k) => k.flags), encoding: p.host.encoding,
    }));
  }
  const limited = (first: number, cnt: number): void => {
    const skip = b.newLabel();
    if (off) b.add(Op.IfPos, off, skip, 1);
    dest.emit(p, first, cnt);
    if (lim) b.add(Op.DecrJumpZero, lim, end);
    b.resolve(skip);
  };
  const final: SelectDest = {
    output: false,
    emit(_p, first, cnt) {
      if (sorter < 0) { limited(first, cnt); return; }
      const r = b.allocReg(nKey + cnt);
      keys.forEach((k, i) => b.add(Op.SCopy, first + k.col, r + i));
      b.add(Op.Copy, first, r + nKey, cnt - 1);
      const rec = b.allocReg();
      b.add(Op.MakeRecord, r, nKey + cnt, rec, null, OPFLAG_EPHEMREC);
      b.add(Op.SorterInsert, sorter, rec);
    },
  };

  if (allAll) {
    for (const part of parts) codeCore(p, part, null, null, final);
  } else {
    // Set records are [row..., source tag]; only the row is the key (invariant 5).
    const setInfo = makeKeyInfo(n, { collations: colls, encoding: p.host.encoding });
    let nextTag = 0;
    const setDest = (cur: number): SelectDest => {
      const tag = nextTag++;
      return {
        output: false,
        emit(_p, first, cnt) {
          const k = b.allocReg(cnt + 1);
          const t = b.allocReg();
          const ins = b.newLabel();
          const skip = b.newLabel();
          b.add(Op.Copy, first, k, cnt - 1);
          b.add(Op.Integer, tag, k + cnt);
          b.add(Op.NotFound, cur, ins, k, cnt);
          b.add(Op.Column, cur, cnt, t);
          b.add(Op.Eq, k + cnt, skip, t, null, 0);
          b.resolve(ins);
          const r = b.allocReg();
          b.add(Op.MakeRecord, k, cnt + 1, r, null, OPFLAG_EPHEMREC);
          b.add(Op.IdxInsert, cur, r);
          b.resolve(skip);
        },
      };
    };
    const openSet = (): number => {
      const c = b.allocCursor();
      b.add(Op.OpenEphemeral, c, n + 1, 0, setInfo);
      return c;
    };
    /** Scans `from`, passing each row (optionally only those found / not found in `probe`) to `to`. */
    const scan = (from: number, to: SelectDest, probe = -1, keepFound = true): void => {
      const done = b.newLabel();
      const row = b.allocReg(n);
      b.add(Op.Rewind, from, done);
      const top = b.addr;
      const next = b.newLabel();
      for (let i = 0; i < n; i++) b.add(Op.Column, from, i, row + i);
      if (probe >= 0) b.add(keepFound ? Op.NotFound : Op.Found, probe, next, row, n);
      to.emit(p, row, n);
      b.resolve(next);
      b.add(Op.Next, from, top);
      b.resolve(done);
    };
    let accIsSet = ops[0] !== "UNION ALL";
    let acc: number;
    if (accIsSet) acc = openSet();
    else {
      acc = b.allocCursor();
      openList(p, acc, n);
    }
    codeCore(p, parts[0], null, null, accIsSet ? setDest(acc) : listDest(acc));
    ops.forEach((op, i) => {
      const part = parts[i + 1];
      if (op === "UNION ALL") {
        if (accIsSet) {
          const l = b.allocCursor();
          openList(p, l, n);
          scan(acc, listDest(l));
          acc = l;
          accIsSet = false;
        }
        codeCore(p, part, null, null, listDest(acc));
        return;
      }
      if (!accIsSet) {
        const s = openSet();
        scan(acc, setDest(s));
        acc = s;
        accIsSet = true;
      }
      if (op === "UNION") {
        codeCore(p, part, null, null, setDest(acc));
        return;
      }
      const right = openSet();
      codeCore(p, part, null, null, setDest(right));
      const kept = openSet();
      scan(acc, setDest(kept), right, op === "INTERSECT");
      acc = kept;
    });
    scan(acc, final);
  }

  if (sorter >= 0) {
    const pseudo = b.allocCursor();
    const rec = b.allocReg();
    const out = b.allocReg(n);
    b.add(Op.OpenPseudo, pseudo, rec, nKey + n);
    b.add(Op.SorterSort, sorter, end);
    const top = b.addr;
    b.add(Op.SorterData, sorter, rec, pseudo);
    for (let i = 0; i < n; i++) b.add(Op.Column, pseudo, nKey + i, out + i);
    limited(out, n);
    b.add(Op.SorterNext, sorter, top);
  }
  b.resolve(end);
  return shape;
}
