/*
 * codegen/where.ts: the query planner and the nested-loop code for a FROM list (SQLite's
 * where.c / wherecode.c / whereexpr.c, in spirit; https://sqlite.org/optoverview.html,
 * https://sqlite.org/queryplanner.html, https://sqlite.org/eqp.html).
 *
 * Planning (wherePlan): the WHERE clause and the ON clauses are split into AND-terms;
 * each term that has the shape `column op value` (=, ==, IS, IS NULL, IN (list), <, <=,
 * >, >=, BETWEEN) yields constraints on that column's table, usable once every table the
 * value reads is in an outer loop. For each table and set of outer tables the best access
 * path is chosen among: full scan, covering-index scan, rowid =/IN/range, and index
 * lookups (= / IN on a leftmost prefix of the index columns, then a range on the next
 * column). Costs are SQLite-like estimates without statistics (about 1M rows a table, ~10
 * rows per value of an index's first column, 1/4 per range bound); the loop order is the
 * cheapest permutation up to 6 tables (FROM order wins ties), beyond that the 10 best
 * partial orders are extended one table at a time (wherePathSolver's mxChoice); an
 * ORDER BY that the outer loop's index/rowid order delivers saves a sort. An OR of
 * equalities on one column is an IN constraint (whereexpr.c's OR-to-IN); other OR-terms
 * are not used for lookups (no MULTI-INDEX OR); no automatic (transient) indexes; no
 * LIKE prefix optimisation.
 *
 * Joins: LEFT JOIN (a match flag per loop; when no row matched, the table's cursors are
 * set to their NULL row and the loop body runs once more from just after the ON terms);
 * a LEFT JOIN whose table a WHERE term rejects when NULL is run as an inner join (as
 * SQLite does); RIGHT/FULL JOIN (loops kept in FROM order; the body below the right
 * table is a subroutine; matched rows of the right table are remembered in an ephemeral
 * index, and a second pass runs the subroutine for the unmatched ones with every table to
 * their left on its NULL row).
 *
 * Invariants:
 *  1. Every term is evaluated in full inside the loops, except a term an index seek
 *     enforces exactly (consumedTerms: an index's =/IS/IN and range bounds, a rowid
 *     =/IS/IN and range bounds; never with a RIGHT JOIN), so a plan can change the cost,
 *     never a result. A one-sided index range seeks past (or stops at) the NULLs, and a
 *     seek key gets the index column's affinity only where the comparison applies one
 *     (keyAff), so the seek visits exactly the rows the term accepts. ON terms of an
 *     outer join are evaluated at that table's loop, before its match flag is set; WHERE
 *     terms after it (and, with a RIGHT JOIN, not before the right table).
 *  2. A lookup value never reads the table it looks up (it is computed before the loop).
 *  3. An index column is used for a lookup only when the comparison's affinity and
 *     collation are the index's (sqlite3IndexAffinityOk), so a seek finds every row the
 *     comparison accepts.
 *  4. Column reads of a table inside a loop driven by an index are redirected to the
 *     index cursor when the index holds the column (covering reads); other columns go
 *     through the deferred seek of the table cursor, so a wrong "covering" guess costs
 *     time, never a result.
 */
import type { Expr, OrderingTerm } from "../parser/ast.js";
import { makeKeyInfo } from "@strata/common";
import type { Index } from "../schema/schema.js";
import { lower } from "../schema/schema.js";
import { AFF_BLOB, AFF_INTEGER, AFF_NONE, AFF_NUMERIC, AFF_TEXT, JUMPIFNULL, Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import type { Parse, SrcItem } from "./context.js";
import {
  binaryCollation, codeExpr, compareAffinity, exprAffinity, exprCollation, ifFalse, inListAffinity, isConstantExpr, resolveColumn, walkExpr,
  type Scope,
} from "./expr.js";
import { indexColumnAffinity, sameIndexExpr } from "./index-expr.js";
import { dbOfTable } from "./dbs.js";
import { orInCons } from "./where-or.js";
import { openTable } from "./without-rowid.js";
import type { RowFields } from "../vdbe/ops-index.js";

const JT_LEFT = 0x08;
const JT_RIGHT = 0x10;
const JT_CROSS = 0x02;

type ConsOp = "=" | "IS" | "IN" | "<" | "<=" | ">" | ">=";

/**
 * A set of FROM positions (SQLite's Bitmask): a number while a join has at most 30 items,
 * a bigint beyond (SQLite joins up to 64 tables). Every mask of one plan has the same
 * representation (`big` = more than 30 items), so the number path costs one typeof.
 */
type Mask = number | bigint;
const MAX_JOIN = 64;
function zeroMask(big: boolean): Mask {
  return big ? 0n : 0;
}
/** Positions 0..i-1. */
function belowMask(i: number, big: boolean): Mask {
  return big ? (1n << BigInt(i)) - 1n : (1 << i) - 1;
}
function withBit(m: Mask, i: number): Mask {
  return typeof m === "number" ? m | (1 << i) : m | (1n << BigInt(i));
}
function hasBit(m: Mask, i: number): boolean {
  return typeof m === "number" ? (m & (1 << i)) !== 0 : ((m >> BigInt(i)) & 1n) !== 0n;
}
function unionMask(a: Mask, b: Mask): Mask {
  return typeof a === "number" ? a | (b as number) : a | (b as bigint);
}
/** Whether `need` has a position `have` lacks. */
function missing(need: Mask, have: Mask): boolean {
  return typeof need === "number" ? (need & ~(have as number)) !== 0 : (need & ~(have as bigint)) !== 0n;
}

interface Term {
  readonly e: Expr;
  /** Items (bit per FROM position) the term reads. */
  readonly prereq: Mask;
  /** FROM position of the outer join whose ON clause holds the term, or -1. */
  readonly onItem: number;
  /** From the WHERE clause (not an ON clause). */
  readonly where: boolean;
  /**
   * With RIGHT JOINs: the loop position (in half steps: 2*pos, +1 for "after the right
   * table's match is recorded") before which the term may neither be evaluated nor narrow
   * a loop, so that it cannot change which right-table rows count as matched.
   */
  readonly home: number;
}

interface Cons {
  readonly term: number;
  readonly item: number;
  readonly col: number;
  readonly op: ConsOp;
  readonly value: Expr | null;
  readonly list: readonly Expr[] | null;
  readonly prereq: Mask;
  readonly colExpr: Expr;
  /**
   * The comparisons as written, one (left, right) pair per value: the comparison's
   * collation is the left operand's first (sqlite3BinaryCompareCollSeq), whichever side
   * the column is on.
   */
  readonly written: readonly (readonly [Expr, Expr])[];
  /**
   * The comparison affinity per value (sqlite3CompareAffinity of the two sides for =,
   * the left side's for IN): where it is BLOB or none the seek key gets no affinity.
   */
  readonly affs: readonly number[];
}

/** One access path for one table. */
export interface Path {
  readonly kind: "scan" | "rowidEq" | "rowidRange" | "index";
  readonly index: Index | null;
  readonly covering: boolean;
  readonly eq: readonly Cons[];
  readonly lo: Cons | null;
  readonly hi: Cons | null;
  readonly cost: number;
  readonly nOut: number;
  /** 0: no ORDER BY delivery; 1 forward; 2 reverse. */
  readonly order: number;
}

export interface WherePlan {
  readonly items: readonly SrcItem[];
  readonly terms: readonly Term[];
  readonly order: readonly number[];
  readonly paths: readonly Path[];
  /** Effective join type per FROM position (LEFT JOINs simplified to inner). */
  readonly jt: readonly number[];
  /** The ORDER BY is delivered by the loops (no sorter needed). */
  readonly orderDelivered: boolean;
  readonly reverse: boolean;
  readonly write: boolean;
}

export interface WhereOptions {
  readonly write?: boolean;
  readonly orderBy?: readonly OrderingTerm[] | null;
  /** Expressions evaluated inside the loops besides WHERE/ON (result columns, ...). */
  readonly uses?: readonly Expr[];
}

function andTerms(e: Expr | null, out: Expr[]): Expr[] {
  if (e === null) return out;
  if (e.kind === "binary" && e.op === "AND") {
    andTerms(e.left, out);
    andTerms(e.right, out);
  } else out.push(e);
  return out;
}

function posOf(items: readonly SrcItem[], item: SrcItem): number {
  return items.indexOf(item);
}

/** Items an expression reads (subqueries: all, conservatively). */
function prereqOf(p: Parse, e: Expr, items: readonly SrcItem[]): Mask {
  const big = items.length > 30;
  const all = belowMask(items.length, big);
  let m = zeroMask(big);
  walkExpr(e, (x) => {
    if (x.kind === "exists" || x.kind === "subquery" || (x.kind === "in" && x.rhs.kind !== "list")) { m = all; return false; }
    if (x.kind === "column") {
      try {
        const r = resolveColumn(p, x, items);
        // An item outside the loop (a row in registers: codegen/fkey.ts) is a constant here.
        const k = posOf(items, r.item);
        if (k >= 0) m = withBit(m, k);
        if (r.also) for (const o of r.also) m = withBit(m, posOf(items, o.item));
      } catch { /* codeExpr reports it */ }
    }
    return true;
  });
  return m;
}

const FLIP: Record<string, ConsOp> = { "=": "=", "==": "=", IS: "IS", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const SAME: Record<string, ConsOp> = { "=": "=", "==": "=", IS: "IS", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const NULL_LIT: Expr = { kind: "literal", type: "null", value: "NULL", start: 0, end: 0 } as Expr;

function colOf(p: Parse, e: Expr, items: readonly SrcItem[]): { item: number; col: number } | null {
  if (e.kind !== "column") return null;
  try {
    const r = resolveColumn(p, e, items);
    if (r.also) return null;
    return { item: posOf(items, r.item), col: r.col };
  } catch {
    return null;
  }
}

function termCons(p: Parse, t: Expr, ti: number, items: readonly SrcItem[], out: Cons[]): void {
  const add = (colE: Expr, op: ConsOp, value: Expr | null, list: readonly Expr[] | null, written: readonly (readonly [Expr, Expr])[], inList: boolean | readonly boolean[] = false): void => {
    const c = colOf(p, colE, items) ?? indexedExprOf(p, colE, items);
    if (c === null) return;
    let pre = zeroMask(items.length > 30);
    if (value !== null) pre = prereqOf(p, value, items);
    if (list !== null) for (const x of list) pre = unionMask(pre, prereqOf(p, x, items));
    if (hasBit(pre, c.item)) return;
    const affs = written.map(([l, r], k) => {
      if (typeof inList === "boolean" ? inList : inList[k]) return inListAffinity(p, l, items);
      return compareAffinity(exprAffinity(p, l, items), exprAffinity(p, r, items));
    });
    out.push({ term: ti, item: c.item, col: c.col, op, value, list, prereq: pre, colExpr: colE, written, affs });
  };
  if (t.kind === "binary" && SAME[t.op] !== undefined) {
    add(t.left, SAME[t.op], t.right, null, [[t.left, t.right]]);
    add(t.right, FLIP[t.op], t.left, null, [[t.left, t.right]]);
  } else if (t.kind === "between" && !t.not) {
    add(t.expr, ">=", t.low, null, [[t.expr, t.low]]);
    add(t.expr, "<=", t.high, null, [[t.expr, t.high]]);
  } else if (t.kind === "postfixNull" && t.op === "ISNULL") {
    add(t.expr, "IS", NULL_LIT, null, [[t.expr, NULL_LIT]]);
  } else if (t.kind === "in" && !t.not && t.rhs.kind === "list" && t.rhs.items.length > 0) {
    // IN compares with the left side's collation and affinity; IN (one constant) is `=`.
    if (t.rhs.items.length === 1 && isConstantExpr(t.rhs.items[0])) add(t.expr, "=", t.rhs.items[0], null, [[t.expr, t.rhs.items[0]]]);
    else add(t.expr, "IN", null, t.rhs.items, t.rhs.items.map(() => [t.expr, t.expr] as const), true);
  } else if (t.kind === "binary" && t.op === "OR") {
    orInCons(t, add, (x) => colOf(p, x, items));
  }
}

/** An expression some index of one item's table is on (index-expr.ts): column -2 of that item. */
function indexedExprOf(p: Parse, e: Expr, items: readonly SrcItem[]): { item: number; col: number } | null {
  if (e.kind === "column" || e.kind === "literal" || e.kind === "parameter") return null;
  for (let i = 0; i < items.length; i++) {
    if (items[i].ephemeral === true) continue;
    for (const ix of items[i].table.indexes) {
      if (ix.exprs === null) continue;
      for (const x of ix.exprs) if (x !== null && sameIndexExpr(p, e, items, i, x)) return { item: i, col: -2 };
    }
  }
  return null;
}

/** Whether term `e` is false or NULL whenever item `i` is on its NULL row. */
function rejectsNull(p: Parse, e: Expr, i: number, items: readonly SrcItem[]): boolean {
  const isCol = (x: Expr): boolean => colOf(p, x, items)?.item === i;
  if (e.kind === "binary" && ["=", "==", "<", "<=", ">", ">=", "!=", "<>"].includes(e.op)) return isCol(e.left) || isCol(e.right);
  if (e.kind === "postfixNull" && e.op === "NOTNULL") return isCol(e.expr);
  if (e.kind === "between" && !e.not) return isCol(e.expr);
  if (e.kind === "in" && e.rhs.kind === "list") return isCol(e.expr);
  return false;
}

/** sqlite3IndexAffinityOk for a constraint against column affinity `colAff`. */
function affinityOk(c: Cons, colAff: number): boolean {
  for (const a of c.affs) {
    const aff = a & 0x47;
    if (aff <= AFF_BLOB || aff === AFF_NONE) continue;
    if (aff === AFF_TEXT ? colAff !== AFF_TEXT : colAff < AFF_NUMERIC) return false;
  }
  return true;
}

function collationOk(p: Parse, c: Cons, collName: string, scope: Scope): boolean {
  for (const [l, r] of c.written) {
    const coll = binaryCollation(p, l, r, scope);
    if ((coll?.name ?? "BINARY").toUpperCase() !== collName.toUpperCase()) return false;
  }
  return true;
}

const N_ROW = 1048576;
const LOG_N = 20;

function colWidth(aff: number): number {
  return aff >= AFF_NUMERIC ? 1 : 4;
}

/** Plans the loops over `items` for `where` (and the items' ON clauses). */
export function wherePlan(p: Parse, items: readonly SrcItem[], where: Expr | null, opts: WhereOptions = {}): WherePlan {
  const n = items.length;
  if (n > MAX_JOIN) throw p.error(`at most ${MAX_JOIN} tables in a join`);
  const big = n > 30;
  const terms: Term[] = [];
  const jt = items.map((it) => it.jointype ?? 0);
  const firstRight = jt.findIndex((j) => (j & JT_RIGHT) !== 0);
  let lastRight = -1;
  jt.forEach((j, i) => { if ((j & JT_RIGHT) !== 0) lastRight = i; });
  for (const e of andTerms(where, [])) terms.push({ e, prereq: prereqOf(p, e, items), onItem: -1, where: true, home: 2 * lastRight + 1 });
  // LEFT JOIN simplification: a WHERE term that rejects the NULL row makes it an inner join.
  if (firstRight < 0) {
    for (let i = 1; i < n; i++) {
      if ((jt[i] & JT_LEFT) === 0) continue;
      if (terms.some((t) => t.where && rejectsNull(p, t.e, i, items))) jt[i] &= ~JT_LEFT;
    }
  }
  items.forEach((it, i) => {
    const on = (it as { on?: Expr | null }).on ?? null;
    const outer = (jt[i] & (JT_LEFT | JT_RIGHT)) !== 0;
    for (const e of andTerms(on, [])) terms.push({ e, prereq: prereqOf(p, e, items), onItem: outer ? i : -1, where: false, home: 2 * i });
  });
  const cons: Cons[] = [];
  terms.forEach((t, ti) => termCons(p, t.e, ti, items, cons));

  // Which columns each item needs (for covering indexes); null = unknown (all).
  const used: (Set<number> | null)[] = items.map(() => new Set<number>());
  const note = (e: Expr): void => walkExpr(e, (x) => {
    if (x.kind === "exists" || x.kind === "subquery" || (x.kind === "in" && x.rhs.kind !== "list")) { used.fill(null); return false; }
    if (x.kind === "column") {
      try {
        const r = resolveColumn(p, x, items);
        for (const rc of [r, ...(r.also ?? [])]) used[posOf(items, rc.item)]?.add(rc.col);
      } catch { /* reported later */ }
    }
    return true;
  });
  for (const t of terms) note(t.e);
  for (const e of opts.uses ?? []) note(e);
  for (const o of opts.orderBy ?? []) note(o.expr);

  // Required outer items per item (LEFT/CROSS keep their left side outside).
  const need = items.map((_, i): Mask => {
    if (firstRight >= 0) return belowMask(i, big);
    return (jt[i] & (JT_LEFT | JT_CROSS)) !== 0 ? belowMask(i, big) : zeroMask(big);
  });

  const usable = (c: Cons, i: number, mask: Mask): boolean => {
    if (c.item !== i || missing(c.prereq, mask)) return false;
    const t = terms[c.term];
    if (t.onItem >= 0) return t.onItem === i;
    if ((jt[i] & JT_LEFT) !== 0 && i > 0) return false;
    // RIGHT JOIN: no narrowing of a loop at or left of a right table the term comes after.
    for (let r = i; r < n; r++) if ((jt[r] & JT_RIGHT) !== 0 && 2 * r < t.home) return false;
    return true;
  };

  const orderTerms = opts.orderBy ?? null;
  const pathCache = new Map<Mask, Path[]>();
  const pathsFor = (i: number, mask: Mask, first: boolean): Path[] => {
    const key = typeof mask === "number"
      ? (i * 2 + (first ? 1 : 0)) * 2 ** n + (mask >>> 0)
      : (BigInt(i * 2 + (first ? 1 : 0)) << 64n) | mask;
    let r = pathCache.get(key);
    if (r === undefined) {
      r = accessPaths(p, items, i, cons.filter((c) => usable(c, i, mask)), used[i], first && n >= 1 ? orderTerms : null, opts.write === true);
      pathCache.set(key, r);
    }
    return r;
  };

  // Search the loop orders: every permutation up to 6 tables; beyond, the N best partial
  // orders at each length (wherePathSolver's mxChoice), extended by every next table.
  let best: { cost: number; order: number[]; paths: Path[]; ordered: boolean } | null = null;
  const order: number[] = [];
  const paths: Path[] = [];
  const sortCost = (rows: number): number => rows * Math.log2(rows + 2) * 2;
  const hasOrder = orderTerms !== null && orderTerms.length > 0;
  /** Rows out of loop i on `path` with `mask` outer: terms that become checkable there narrow them. */
  const rowsOut = (mask: Mask, i: number, path: Path): number => {
    let out = path.nOut;
    const m2 = withBit(mask, i);
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti];
      if (!hasBit(t.prereq, i) || missing(t.prereq, m2)) continue;
      if (path.eq.some((c) => c.term === ti) || path.lo?.term === ti || path.hi?.term === ti) continue;
      out *= t.e.kind === "binary" && (t.e.op === "=" || t.e.op === "==") ? 0.25 : 0.9;
    }
    return Math.max(out, 1);
  };
  const dfs = (mask: Mask, rows: number, cost: number, ordered: boolean): void => {
    if (best !== null && cost >= best.cost) return;
    if (order.length === n) {
      const total = cost + (hasOrder && !ordered ? sortCost(rows) : 0);
      if (best === null || total < best.cost) best = { cost: total, order: [...order], paths: [...paths], ordered };
      return;
    }
    for (let i = 0; i < n; i++) {
      if (hasBit(mask, i) || missing(need[i], mask)) continue;
      const cands = pathsFor(i, mask, order.length === 0);
      for (const path of cands) {
        order.push(i);
        paths.push(path);
        dfs(withBit(mask, i), rows * rowsOut(mask, i, path), cost + rows * path.cost, order.length === 1 ? path.order !== 0 : ordered);
        order.pop();
        paths.pop();
      }
    }
  };
  if (n <= 6) dfs(zeroMask(big), 1, 0, false);
  else {
    type Partial = { mask: Mask; rows: number; cost: number; ordered: boolean; order: number[]; paths: Path[] };
    const MX_CHOICE = 10;
    let beam: Partial[] = [{ mask: zeroMask(big), rows: 1, cost: 0, ordered: false, order: [], paths: [] }];
    for (let len = 0; len < n; len++) {
      const next = new Map<Mask, Partial[]>();
      for (const q of beam) {
        for (let i = 0; i < n; i++) {
          if (hasBit(q.mask, i) || missing(need[i], q.mask)) continue;
          for (const path of pathsFor(i, q.mask, len === 0)) {
            const ordered = len === 0 ? path.order !== 0 : q.ordered;
            const cand: Partial = {
              mask: withBit(q.mask, i), rows: q.rows * rowsOut(q.mask, i, path), cost: q.cost + q.rows * path.cost, ordered,
              order: [...q.order, i], paths: [...q.paths, path],
            };
            // Per set of tables keep the cheapest (and the cheapest ordered) partial order.
            const key = typeof cand.mask === "number" ? cand.mask >>> 0 : cand.mask;
            const have = next.get(key);
            if (have === undefined) next.set(key, [cand]);
            else {
              const k = have.findIndex((h) => h.ordered === cand.ordered);
              if (k < 0) have.push(cand);
              else if (cand.cost < have[k].cost) have[k] = cand;
            }
          }
        }
      }
      const all = [...next.values()].flat();
      const score = (x: Partial): number => x.cost + (hasOrder && !x.ordered && len === n - 1 ? sortCost(x.rows) : 0);
      all.sort((x, y) => score(x) - score(y));
      beam = all.slice(0, MX_CHOICE);
    }
    const w = beam[0];
    const total = w.cost + (hasOrder && !w.ordered ? sortCost(w.rows) : 0);
    best = { cost: total, order: w.order, paths: w.paths, ordered: w.ordered };
  }
  const b = best as { cost: number; order: number[]; paths: Path[]; ordered: boolean } | null;
  if (b === null) throw p.error("no query solution");
  const delivered = orderTerms !== null && orderTerms.length > 0 && b.ordered;
  return {
    items, terms, order: b.order, paths: b.paths, jt, orderDelivered: delivered,
    reverse: delivered && b.paths[0].order === 2, write: opts.write === true,
  };
}

/** The access paths worth considering for item i with the usable constraints `cs`. */
function accessPaths(
  p: Parse, items: readonly SrcItem[], i: number, cs: Cons[], used: Set<number> | null,
  orderBy: readonly OrderingTerm[] | null, write: boolean,
): Path[] {
  const item = items[i];
  const t = item.table;
  const scope: Scope = items;
  const out: Path[] = [];
  const wr = t.pkIndex != null;
  const wTab = t.columns.reduce((s, c) => s + colWidth(c.affinity), 0) + (t.iPKey < 0 && !wr ? 1 : 0);
  const mk = (x: Omit<Path, "order">): Path => ({
    kind: x.kind, index: x.index, covering: x.covering, eq: x.eq, lo: x.lo, hi: x.hi, cost: x.cost, nOut: x.nOut,
    order: orderBy === null ? 0 : deliversOrder(p, items, i, x, orderBy),
  });
  // A WITHOUT ROWID table scans in PK order through its PK index (where a covering index
  // as wide as the table wins, as in SQLite).
  if (wr) out.push(mk({ kind: "index", index: t.pkIndex!, covering: true, eq: [], lo: null, hi: null, cost: 3 * N_ROW + 1, nOut: N_ROW }));
  else out.push(mk({ kind: "scan", index: null, covering: false, eq: [], lo: null, hi: null, cost: 3 * N_ROW, nOut: N_ROW }));
  if (item.ephemeral === true) return out;
  // Rowid.
  const rEq = cs.find((c) => c.col === -1 && (c.op === "=" || c.op === "IN" || c.op === "IS"));
  if (rEq !== undefined) {
    const nIn = rEq.list?.length ?? 1;
    out.push(mk({ kind: "rowidEq", index: null, covering: false, eq: [rEq], lo: null, hi: null, cost: nIn * LOG_N, nOut: nIn }));
  } else {
    const lo = cs.find((c) => c.col === -1 && (c.op === ">" || c.op === ">=")) ?? null;
    const hi = cs.find((c) => c.col === -1 && (c.op === "<" || c.op === "<=")) ?? null;
    if (lo !== null || hi !== null) {
      const rows = N_ROW / (lo && hi ? 64 : 4);
      out.push(mk({ kind: "rowidRange", index: null, covering: false, eq: [], lo, hi, cost: LOG_N + 3 * rows, nOut: rows }));
    }
  }
  for (const ix of wr ? [t.pkIndex!, ...t.indexes] : t.indexes) {
    const isPk = ix === t.pkIndex;
    if (ix.where !== null || ix.columns.some((c) => c === -1 || c === t.iPKey)) continue;
    // NOT INDEXED allows no index; INDEXED BY allows only the one named.
    if (item.indexedBy === false) break;
    if (typeof item.indexedBy === "string" && ix.name.toLowerCase() !== item.indexedBy.toLowerCase()) continue;
    const eq: Cons[] = [];
    let lo: Cons | null = null;
    let hi: Cons | null = null;
    let nIn = 1;
    for (let k = 0; k < ix.columns.length; k++) {
      const col = ix.columns[k];
      const aff = indexColumnAffinity(p, t, ix, k);
      const collName = ix.collations[k].name;
      const ok = (c: Cons): boolean => c.col === col && (col !== -2 || sameIndexExpr(p, c.colExpr, items, i, ix.exprs![k]!))
        && affinityOk(c, aff) && collationOk(p, c, collName, scope);
      const e = cs.find((c) => (c.op === "=" || c.op === "IS") && ok(c)) ?? cs.find((c) => c.op === "IN" && ok(c));
      if (e !== undefined) {
        eq.push(e);
        if (e.list !== null) nIn *= e.list.length;
        continue;
      }
      // COMPAT: no range seeks on a DESC index column yet (SQLite has them); the terms still filter.
      if (!ix.desc[k]) {
        lo = cs.find((c) => (c.op === ">" || c.op === ">=") && ok(c)) ?? null;
        hi = cs.find((c) => (c.op === "<" || c.op === "<=") && ok(c)) ?? null;
      }
      break;
    }
    const wIdx = isPk ? wTab : ix.columns.reduce((s, c) => s + (c < 0 ? 1 : colWidth(t.columns[c].affinity)), 0)
      + (ix.pkExtra === null ? 1 : ix.pkExtra.reduce((s, c) => s + colWidth(t.columns[c].affinity), 0));
    // UPDATE/DELETE (`write`): SQLite's one-pass planning (WHERE_ONEPASS_DESIRED) never
    // scans a covering index of a rowid table, but does for a WITHOUT ROWID table, where
    // the entry holds the PRIMARY KEY that finds the row.
    const covering = isPk || (used !== null && (!write || wr) && [...used].every((c) => c < 0 || ix.columns.includes(c) || ix.pkExtra?.includes(c) === true));
    const full = eq.length === ix.columns.length;
    let rows: number;
    if (eq.length === 0) rows = N_ROW;
    else if (ix.unique && full && eq.every((c) => c.op !== "IS")) rows = 1;
    else rows = Math.max(10 / 2 ** (eq.length - 1), 1);
    if (lo !== null) rows /= 4;
    if (hi !== null) rows /= 4;
    rows *= nIn;
    const perRow = covering ? 1 + wIdx / wTab : 4;
    if (eq.length === 0 && lo === null && hi === null) {
      if (isPk) continue; // the table scan above
      // A full index scan: worth it when covering and narrower, or for the ORDER BY.
      const path = mk({ kind: "index", index: ix, covering, eq, lo, hi, cost: N_ROW * (covering ? 2 + wIdx / wTab : 4), nOut: N_ROW });
      if (covering || path.order !== 0) out.push(path);
      continue;
    }
    out.push(mk({ kind: "index", index: ix, covering, eq, lo, hi, cost: nIn * LOG_N + rows * perRow, nOut: rows }));
  }
  // Cheapest first (stable: earlier candidates win ties); keep the cheapest ordered one too.
  const sorted = [...out].sort((a, b) => a.cost - b.cost);
  const res = [sorted[0]];
  const ord = sorted.find((x) => x.order !== 0);
  if (ord !== undefined && ord !== sorted[0]) res.push(ord);
  return res;
}

/** Whether path `x` of item i yields rows in ORDER BY order: 0 no, 1 forward, 2 reverse. */
function deliversOrder(p: Parse, items: readonly SrcItem[], i: number, x: Omit<Path, "order">, orderBy: readonly OrderingTerm[]): number {
  const t = items[i].table;
  if (x.eq.some((c) => c.op === "IN")) return 0;
  let seq: { col: number; desc: boolean; coll: string; expr?: Expr | null }[];
  if (x.kind === "index") {
    const ix = x.index!;
    seq = ix.columns.slice(x.eq.length).map((c, k) => ({
      col: c, desc: ix.desc[x.eq.length + k], coll: ix.collations[x.eq.length + k].name.toUpperCase(), expr: ix.exprs?.[x.eq.length + k] ?? null,
    }));
    if (ix.pkExtra === null) seq.push({ col: -1, desc: false, coll: "BINARY" });
    else {
      // WITHOUT ROWID: the PK columns follow (with the PK's collations and orders).
      const pk = t.pkIndex!;
      for (const c of ix.pkExtra) {
        const j = pk.columns.indexOf(c);
        seq.push({ col: c, desc: pk.desc[j], coll: pk.collations[j].name.toUpperCase() });
      }
    }
  } else if (x.kind === "rowidEq") return orderBy.every((o) => colOf(p, o.expr, items)?.item === i) ? 1 : 0;
  else seq = [{ col: -1, desc: false, coll: "BINARY" }];
  const eqCols = new Set(x.eq.map((c) => c.col));
  let pos = 0;
  let rev = -1;
  for (let k = 0; k < orderBy.length; k++) {
    const o = orderBy[k];
    let e = o.expr;
    let coll: string | null = null;
    if (e.kind === "collate") { coll = e.collation.toUpperCase(); e = e.expr; }
    const c = colOf(p, e, items) ?? (pos < seq.length && seq[pos].expr && sameIndexExpr(p, e, items, i, seq[pos].expr!) ? { item: i, col: -2 } : null);
    if (c === null || c.item !== i) return 0;
    const cname = coll ?? (c.col >= 0 ? (t.columns[c.col].collation ?? "BINARY").toUpperCase() : "BINARY");
    if (eqCols.has(c.col) && c.col >= 0 && cname === (x.index?.collations[x.index.columns.indexOf(c.col)]?.name.toUpperCase() ?? "")) continue;
    if (pos >= seq.length) return 0;
    const s = seq[pos];
    if (s.col !== c.col || s.coll !== cname) return 0;
    const desc = o.direction === "DESC";
    if (o.nulls !== null && (o.nulls === "LAST") !== desc) return 0;
    const r = desc !== s.desc ? 1 : 0;
    if (rev < 0) rev = r;
    else if (rev !== r) return 0;
    pos++;
    if (s.col === -1) {
      // The rowid is unique, so later terms cannot reorder this table's rows; but the
      // rows of the loops inside this one come out per row of it, in their own order, so
      // later terms must be constant per row: this table's own columns.
      for (let j = k + 1; j < orderBy.length; j++) {
        let ej = orderBy[j].expr;
        if (ej.kind === "collate") ej = ej.expr;
        if (colOf(p, ej, items)?.item !== i) return 0;
      }
      break;
    }
  }
  return rev === 1 ? 2 : 1;
}

// ---------------------------------------------------------------- code generation

interface Level {
  readonly pos: number;
  readonly item: SrcItem;
  readonly path: Path;
  readonly idxCur: number;
  readonly cont: number;
  /** Where WHERE terms and inner loops continue (the subroutine's Return for a RIGHT JOIN table). */
  readonly tcont: number;
  readonly next: number;
  readonly brk: number;
  top: number;
  readonly inLoops: { cur: number; top: number }[];
  readonly matchReg: number;
  readonly nullFlag: number;
  readonly first: number;
  readonly retReg: number;
  readonly rightSet: number;
  readonly bodyStart: number;
}

export interface WhereInfo {
  readonly plan: WherePlan;
  readonly levels: readonly Level[];
  /** Jump here to go to the next row. */
  readonly cont: number;
  /** Jump here to leave the loops. */
  readonly brk: number;
  readonly start: number;
  /** The ORDER BY needs no sorter. */
  readonly orderDelivered: boolean;
}

function planName(it: SrcItem): string {
  return it.alias ?? it.table.name;
}

function explainPath(it: SrcItem, x: Path, write: boolean): string {
  const name = planName(it);
  const t = it.table;
  const bound = (col: string): string[] => {
    const s: string[] = [];
    if (x.lo !== null) s.push(`${col}>?`);
    if (x.hi !== null) s.push(`${col}<?`);
    return s;
  };
  switch (x.kind) {
    case "scan": return `SCAN ${name}`;
    case "rowidEq": return `SEARCH ${name} USING INTEGER PRIMARY KEY (rowid=?)`;
    case "rowidRange": return `SEARCH ${name} USING INTEGER PRIMARY KEY (${bound("rowid").join(" AND ")})`;
    case "index": {
      const ix = x.index!;
      const how = x.covering && !write ? "COVERING INDEX" : "INDEX"; // one-pass reads the row
      if (ix === t.pkIndex && x.eq.length === 0 && x.lo === null && x.hi === null) return `SCAN ${name}`;
      if (x.eq.length === 0 && x.lo === null && x.hi === null) return `SCAN ${name} USING ${how} ${ix.name}`;
      const colName = (k: number): string => (ix.columns[k] === -2 ? "<expr>" : t.columns[ix.columns[k]].name);
      const parts = x.eq.map((_, k) => `${colName(k)}=?`);
      if (x.lo !== null || x.hi !== null) parts.push(...bound(colName(x.eq.length)));
      return `SEARCH ${name} USING ${ix === t.pkIndex ? "PRIMARY KEY" : `${how} ${ix.name}`} (${parts.join(" AND ")})`;
    }
  }
}

function logEst(x: number): number {
  return x <= 1 ? 0 : Math.round(10 * Math.log2(x));
}

/** Codes `value` of constraint `c` into `reg` (invariant 2). */
function codeValue(p: Parse, c: Cons, value: Expr, scope: Scope, reg: number): void {
  codeExpr(p, value, scope, reg);
  void c;
}

/** Opens the loops of `plan`; the caller codes the body, then calls whereEnd. */
export function whereBeginPlan(p: Parse, plan: WherePlan): WhereInfo {
  const b = p.b;
  const items = plan.items;
  const scope: Scope = items;
  const outerBrk = b.newLabel();
  const levels: Level[] = [];
  const firstRight = plan.jt.findIndex((j) => (j & JT_RIGHT) !== 0);
  // Terms the seeks enforce are not evaluated again (invariant 1).
  const coded = consumedTerms(plan, firstRight >= 0);
  // Cursors first.
  const idxCurs = plan.order.map((pos, k) => {
    const it = items[pos];
    const t = it.table;
    // A materialized FROM item (subquery, view, CTE) has its cursor open already.
    const iDb = it.ephemeral === true ? 0 : dbOfTable(p, t);
    if (it.ephemeral !== true) openTable(p, it.cursor, t, plan.write);
    const path = plan.paths[k];
    if (path.kind === "index" && path.index === t.pkIndex) return it.cursor; // WITHOUT ROWID: the table itself
    if (path.kind === "index") {
      const ic = b.allocCursor();
      b.add(Op.OpenRead, ic, path.index!.root, iDb, path.index!.keyInfo);
      b.comment(path.index!.name);
      return ic;
    }
    return -1;
  });
  const rightSets = plan.order.map((pos) => {
    if ((plan.jt[pos] & JT_RIGHT) === 0) return -1;
    if (items[pos].ephemeral === true) throw p.error("RIGHT and FULL JOIN of a subquery, view or CTE are not supported yet");
    if (items[pos].table.withoutRowid) throw p.error("RIGHT and FULL JOIN of a WITHOUT ROWID table are not supported yet");
    const c = b.allocCursor();
    b.add(Op.OpenEphemeral, c, 1, 0, makeKeyInfo(1, { encoding: p.host.encoding }));
    return c;
  });
  const start = b.addr;
  let mask = zeroMask(items.length > 30);
  plan.order.forEach((pos, k) => {
    const it = items[pos];
    const path = plan.paths[k];
    const jt = plan.jt[pos];
    const isLeft = (jt & JT_LEFT) !== 0 && pos > 0;
    const isRight = (jt & JT_RIGHT) !== 0;
    p.explainPlan(explainPath(it, path, plan.write) + (isLeft ? " LEFT-JOIN" : ""), logEst(path.nOut));
    const cont = b.newLabel();
    const lv: Level = {
      pos, item: it, path, idxCur: idxCurs[k], cont, tcont: isRight ? b.newLabel() : cont, next: b.newLabel(), brk: b.newLabel(), top: 0,
      inLoops: [], matchReg: isLeft ? b.allocReg() : 0, nullFlag: isLeft ? b.allocReg() : 0, first: b.newLabel(),
      retReg: isRight ? b.allocReg() : 0, rightSet: rightSets[k], bodyStart: b.newLabel(),
    };
    levels.push(lv);
    if (isLeft) {
      b.add(Op.Integer, 0, lv.matchReg);
      b.add(Op.Integer, 0, lv.nullFlag);
    }
    codeLoopHead(p, lv, scope, plan.reverse && k === 0);
    mask = withBit(mask, pos);
    // ON terms of this outer join (invariant 1).
    plan.terms.forEach((t, ti) => {
      if (coded[ti] || t.onItem !== pos) return;
      ifFalse(p, t.e, scope, lv.cont, true);
      coded[ti] = true;
    });
    if (isLeft) b.add(Op.Integer, 1, lv.matchReg);
    if (isRight) {
      const r = b.allocReg();
      const rec = b.allocReg();
      b.add(Op.Rowid, it.cursor, r);
      b.add(Op.MakeRecord, r, 1, rec, null, OPFLAG_EPHEMREC);
      b.add(Op.IdxInsert, lv.rightSet, rec);
    }
    b.resolve(lv.first);
    if (isRight) {
      b.add(Op.Gosub, lv.retReg, lv.bodyStart);
      b.add(Op.Goto, 0, lv.cont);
      b.resolve(lv.bodyStart);
    }
    plan.terms.forEach((t, ti) => {
      if (coded[ti] || missing(t.prereq, mask) || t.onItem >= 0) return;
      if (firstRight >= 0 && 2 * pos + 1 < t.home) return;
      ifFalse(p, t.e, scope, lv.tcont, true);
      coded[ti] = true;
    });
  });
  // Any term not yet coded (e.g. reading no table) is checked innermost.
  const inner = levels[levels.length - 1];
  plan.terms.forEach((t, ti) => {
    if (!coded[ti]) ifFalse(p, t.e, scope, inner.tcont, true);
  });
  return { plan, levels, cont: inner.tcont, brk: outerBrk, start, orderDelivered: plan.orderDelivered };
}

/**
 * The terms that the loops' seeks enforce exactly (SQLite's disableTerm): an index's
 * = / IS / IN constraints and its range bounds (a BETWEEN when both its halves bound
 * the range), a rowid = / IS / IN (SeekRowid converts the key as SQLite's does: NUMERIC
 * affinity, then only an INTEGER finds a row) and a rowid range's bounds (the seek
 * bound by SeekGE/GT/LE/LT's own conversions, vm.ts seek; the end bound by its own
 * comparison). Nothing with a RIGHT JOIN. A term whose other constraints are unused stays.
 */
function consumedTerms(plan: WherePlan, hasRight: boolean): boolean[] {
  const done = new Array<boolean>(plan.terms.length).fill(false);
  if (hasRight) return done;
  plan.paths.forEach((path, k) => {
    if (path.kind === "index") {
      for (const c of path.eq) done[c.term] = true;
      if (path.lo !== null && path.hi !== null && path.lo.term === path.hi.term) done[path.lo.term] = true;
      else {
        if (path.lo !== null && plan.terms[path.lo.term].e.kind !== "between") done[path.lo.term] = true;
        if (path.hi !== null && plan.terms[path.hi.term].e.kind !== "between") done[path.hi.term] = true;
      }
    } else if (path.kind === "rowidEq") {
      done[path.eq[0].term] = true;
    } else if (path.kind === "rowidRange") {
      if (path.lo !== null && path.hi !== null && path.lo.term === path.hi.term) done[path.lo.term] = true;
      else {
        if (path.lo !== null && plan.terms[path.lo.term].e.kind !== "between") done[path.lo.term] = true;
        if (path.hi !== null && plan.terms[path.hi.term].e.kind !== "between") done[path.hi.term] = true;
      }
    }
  });
  return done;
}

/** The seek/scan code of one level; leaves `lv.top` at the loop's first instruction. */
function codeLoopHead(p: Parse, lv: Level, scope: Scope, rev: boolean): void {
  const b = p.b;
  const path = lv.path;
  const it = lv.item;
  const t = it.table;
  const cur = it.cursor;
  // IN loops over ephemeral value lists.
  const keyRegs = path.eq.map(() => b.allocReg());
  path.eq.forEach((c, k) => {
    if (c.list === null) return;
    const col = path.kind === "index" ? path.index!.columns[k] : -1;
    const coll = path.kind === "index" ? path.index!.collations[k] : null;
    const eph = b.allocCursor();
    b.add(Op.OpenEphemeral, eph, 1, 0, makeKeyInfo(1, { collations: [coll], encoding: p.host.encoding }));
    const r = b.allocReg();
    const rec = b.allocReg();
    c.list.forEach((v, j) => {
      codeValue(p, c, v, scope, r);
      const skip = b.add(Op.IsNull, r, 0);
      const aff = col >= 0 || col === -2 ? keyAff(c.affs[j], indexColumnAffinity(p, t, path.index!, k)) : String.fromCharCode(AFF_NUMERIC);
      b.add(Op.MakeRecord, r, 1, rec, aff, OPFLAG_EPHEMREC);
      b.add(Op.IdxInsert, eph, rec);
      b.jumpHere(skip);
    });
    b.add(Op.Rewind, eph, lv.brk);
    const top = b.addr;
    b.add(Op.Column, eph, 0, keyRegs[k]);
    lv.inLoops.push({ cur: eph, top });
  });
  const skip = lv.inLoops.length > 0 ? lv.next : lv.brk;
  path.eq.forEach((c, k) => {
    if (c.list !== null) return;
    codeValue(p, c, c.value!, scope, keyRegs[k]);
    // SeekRowid itself jumps to `skip` on a NULL key.
    if (c.op !== "IS" && path.kind !== "rowidEq") b.add(Op.IsNull, keyRegs[k], skip);
  });
  switch (path.kind) {
    case "scan": {
      b.add(rev ? Op.Last : Op.Rewind, cur, lv.brk);
      lv.top = b.addr;
      break;
    }
    case "rowidEq": {
      lv.top = b.add(Op.SeekRowid, cur, skip, keyRegs[0]);
      break;
    }
    case "rowidRange": {
      // Forward: seek to the lower bound, leave past the upper; reverse: the other way round.
      const first = rev ? path.hi : path.lo;
      const last = rev ? path.lo : path.hi;
      if (first !== null) {
        const r = b.allocReg();
        codeValue(p, first, first.value!, scope, r);
        b.add(Op.IsNull, r, lv.brk);
        const strict = first.op === "<" || first.op === ">";
        b.add(rev ? (strict ? Op.SeekLT : Op.SeekLE) : (strict ? Op.SeekGT : Op.SeekGE), cur, lv.brk, r, 0);
      } else b.add(rev ? Op.Last : Op.Rewind, cur, lv.brk);
      lv.top = b.addr;
      if (last !== null) {
        const r = b.allocReg();
        codeValue(p, last, last.value!, scope, r);
        const rid = b.allocReg();
        b.add(Op.Rowid, cur, rid);
        // Leave once the rowid is past the end bound (or on it, when strict); a NULL bound
        // also ends the loop.
        const strict = last.op === "<" || last.op === ">";
        b.add(rev ? (strict ? Op.Le : Op.Lt) : (strict ? Op.Ge : Op.Gt), r, lv.brk, rid, null, AFF_NUMERIC | JUMPIFNULL);
      }
      break;
    }
    case "index": {
      const ix = lv.path.index!;
      const ic = lv.idxCur;
      const nEq = lv.path.eq.length;
      // On a DESC column a lower bound on the value is an upper bound in index order.
      const descCol = ix.desc[nEq] === true;
      const path = descCol ? descRange(lv.path) : lv.path;
      // After the seek: the table row (rowid tables: deferred; WITHOUT ROWID: by the PK
      // values the index entry ends with, unless covering; its own PK index is the table).
      const seekTable = (): void => {
        if (ic === cur) return;
        if (ix.pkExtra === null) b.add(Op.DeferredSeek, ic, 0, cur);
        else if (!path.covering) {
          const pk = t.pkIndex!;
          const key = b.allocReg(pk.columns.length);
          pk.columns.forEach((c, j) => {
            const at = ix.pkExtra!.indexOf(c);
            b.add(Op.Column, ic, at >= 0 ? ix.columns.length + at : ix.columns.indexOf(c), key + j);
          });
          b.add(Op.NotFound, cur, lv.cont, key, pk.columns.length);
        }
      };
      // Key affinities: none where the comparison has none (an IN value has its own already).
      const eqAffs = path.eq.map((c, k) => (c.list !== null ? "A" : keyAff(c.affs[0], indexColumnAffinity(p, t, ix, k)))).join("");
      const rangeCol = nEq < ix.columns.length ? indexColumnAffinity(p, t, ix, nEq) : AFF_BLOB;
      const loAffs = eqAffs + (path.lo !== null ? keyAff(path.lo.affs[0], rangeCol) : "A");
      const hiAffs = eqAffs + (path.hi !== null ? keyAff(path.hi.affs[0], rangeCol) : "A");
      if (rev && (path.lo !== null || path.hi !== null || nEq > 0)) {
        const key = b.allocReg(nEq + 1);
        for (let k = 0; k < nEq; k++) b.add(Op.SCopy, keyRegs[k], key + k);
        if (path.hi !== null) {
          codeValue(p, path.hi, path.hi.value!, scope, key + nEq);
          b.add(Op.IsNull, key + nEq, skip);
          b.add(Op.Affinity, key, nEq + 1, 0, hiAffs);
          b.add(path.hi.op === "<" ? Op.SeekLT : Op.SeekLE, ic, skip, key, nEq + 1);
        } else if (nEq > 0) {
          b.add(Op.Affinity, key, nEq, 0, eqAffs);
          b.add(Op.SeekLE, ic, skip, key, nEq);
        } else b.add(Op.Last, ic, skip);
        let endKey = key;
        let endN = nEq;
        if (path.lo !== null) {
          endKey = b.allocReg(nEq + 1);
          for (let k = 0; k < nEq; k++) b.add(Op.SCopy, key + k, endKey + k);
          codeValue(p, path.lo, path.lo.value!, scope, endKey + nEq);
          b.add(Op.IsNull, endKey + nEq, skip);
          b.add(Op.Affinity, endKey, nEq + 1, 0, loAffs);
          endN = nEq + 1;
        } else if (path.hi !== null && !descCol) {
          // Only an upper bound: stop at the NULLs (bStopAtNull), which it rejects.
          // (On a DESC column the NULLs are at the other end; the WHERE term rejects them.)
          endKey = b.allocReg(nEq + 1);
          for (let k = 0; k < nEq; k++) b.add(Op.SCopy, key + k, endKey + k);
          b.add(Op.Null, 0, endKey + nEq);
          lv.top = b.addr;
          b.add(Op.IdxLE, ic, skip, endKey, nEq + 1);
          seekTable();
          break;
        }
        lv.top = b.addr;
        if (endN > 0) b.add(path.lo !== null && path.lo.op === ">" ? Op.IdxLE : Op.IdxLT, ic, skip, endKey, endN);
      } else if (path.lo !== null || path.hi !== null || nEq > 0) {
        // Key registers: eq values then the bound.
        const key = b.allocReg(nEq + 1);
        for (let k = 0; k < nEq; k++) b.add(Op.SCopy, keyRegs[k], key + k);
        if (path.lo !== null) {
          codeValue(p, path.lo, path.lo.value!, scope, key + nEq);
          b.add(Op.IsNull, key + nEq, skip);
          b.add(Op.Affinity, key, nEq + 1, 0, loAffs);
          b.add(path.lo.op === ">" ? Op.SeekGT : Op.SeekGE, ic, skip, key, nEq + 1);
        } else if (path.hi !== null && !descCol) {
          // Only an upper bound: start past the NULLs (bSeekPastNull), which it rejects.
          if (nEq > 0) b.add(Op.Affinity, key, nEq, 0, eqAffs);
          b.add(Op.Null, 0, key + nEq);
          b.add(Op.SeekGT, ic, skip, key, nEq + 1);
        } else if (nEq > 0) {
          b.add(Op.Affinity, key, nEq, 0, eqAffs);
          b.add(Op.SeekGE, ic, skip, key, nEq);
        } else b.add(Op.Rewind, ic, skip);
        let endKey = 0;
        let endN = nEq;
        if (path.hi !== null) {
          endKey = b.allocReg(nEq + 1);
          for (let k = 0; k < nEq; k++) b.add(Op.SCopy, key + k, endKey + k);
          codeValue(p, path.hi, path.hi.value!, scope, endKey + nEq);
          b.add(Op.IsNull, endKey + nEq, skip);
          b.add(Op.Affinity, endKey, nEq + 1, 0, hiAffs);
          endN = nEq + 1;
        } else endKey = key;
        lv.top = b.addr;
        if (endN > 0) b.add(path.hi !== null && path.hi.op === "<" ? Op.IdxGE : Op.IdxGT, ic, skip, endKey, endN);
      } else {
        b.add(rev ? Op.Last : Op.Rewind, ic, lv.brk);
        lv.top = b.addr;
      }
      seekTable();
      break;
    }
  }
}

/** The affinity a seek key value gets: the index column's, or none where the comparison has none. */
function keyAff(cmpAff: number, colAff: number): string {
  if ((cmpAff & 0x47) <= AFF_BLOB) return "A";
  return String.fromCharCode(colAff === AFF_INTEGER ? AFF_NUMERIC : colAff);
}

/** The range of `x` in index order when its range column is DESC (ops flipped, bounds swapped). */
function descRange(x: Path): Path {
  const flip = (c: Cons | null): Cons | null => (c === null ? null : { ...c, op: FLIP[c.op] });
  return { ...x, lo: flip(x.hi), hi: flip(x.lo) };
}

/** Closes the loops opened by whereBeginPlan. */
export function whereEndPlan(p: Parse, w: WhereInfo): void {
  const b = p.b;
  const end = b.addr;
  for (let k = w.levels.length - 1; k >= 0; k--) {
    const lv = w.levels[k];
    if (lv.retReg !== 0) {
      b.resolve(lv.tcont);
      b.add(Op.Return, lv.retReg);
    }
    const done = b.newLabel();
    b.resolve(lv.cont);
    // After the NULL row of a LEFT JOIN the level is finished.
    if (lv.nullFlag !== 0) b.add(Op.IfPos, lv.nullFlag, done);
    if (lv.path.kind !== "rowidEq") {
      b.add(w.plan.reverse && k === 0 ? Op.Prev : Op.Next, lv.path.kind === "index" ? lv.idxCur : lv.item.cursor, lv.top);
    }
    b.resolve(lv.next);
    for (let j = lv.inLoops.length - 1; j >= 0; j--) b.add(Op.Next, lv.inLoops[j].cur, lv.inLoops[j].top);
    b.resolve(lv.brk);
    if (lv.matchReg !== 0) {
      b.add(Op.IfPos, lv.matchReg, done);
      b.add(Op.Integer, 1, lv.nullFlag);
      b.add(Op.NullRow, lv.item.cursor);
      if (lv.idxCur >= 0) b.add(Op.NullRow, lv.idxCur);
      b.add(Op.Goto, 0, lv.first);
    }
    b.resolve(done);
  }
  // Covering reads (invariant 4), before the second passes of RIGHT JOINs.
  translateColumns(p, w, w.start, b.addr);
  void end;
  // RIGHT/FULL JOIN: the unmatched rows of each right table.
  w.levels.forEach((lv, k) => {
    if (lv.retReg === 0) return;
    const parent = p.explainPlan(`RIGHT-JOIN ${planName(lv.item)}`);
    p.explainPlan(`SCAN ${planName(lv.item)}`, logEst(N_ROW), parent);
    const cur = lv.item.cursor;
    const done = b.newLabel();
    b.add(Op.NullRow, cur);
    b.add(Op.Rewind, cur, done);
    const top = b.addr;
    const next = b.newLabel();
    const r = b.allocReg();
    b.add(Op.Rowid, cur, r);
    b.add(Op.Found, lv.rightSet, next, r, 1);
    for (let j = 0; j < k; j++) {
      b.add(Op.NullRow, w.levels[j].item.cursor);
      if (w.levels[j].idxCur >= 0) b.add(Op.NullRow, w.levels[j].idxCur);
    }
    if (lv.idxCur >= 0) b.add(Op.NullRow, lv.idxCur);
    b.add(Op.Gosub, lv.retReg, lv.bodyStart);
    b.resolve(next);
    b.add(Op.Next, cur, top);
    b.resolve(done);
  });
  b.resolve(w.brk);
}

/** Redirects reads of index-driven tables to their index cursor where it holds the column. */
function translateColumns(p: Parse, w: WhereInfo, from: number, to: number): void {
  const b = p.b;
  for (const lv of w.levels) {
    if (lv.idxCur < 0 || lv.retReg !== 0 || lv.idxCur === lv.item.cursor) continue;
    const ix = lv.path.index!;
    const cur = lv.item.cursor;
    const indexField = (col: number): number => {
      const j = ix.columns.indexOf(col);
      if (j >= 0 || ix.pkExtra === null || !ix.pkExtra.includes(col)) return j;
      return ix.columns.length + ix.pkExtra.indexOf(col);
    };
    for (let a = from; a < to; a++) {
      if (b.ops[a] === Op.SorterInsertIdx && b.a2[a] === cur) {
        // A sorter record of the table's columns (sorter-fields.ts): read from the index
        // when it holds every field; else from the table row (the deferred seek).
        const rf = b.a4[a] as RowFields;
        const fields = Int32Array.from(rf.fields, (c) => (c < 0 ? -1 : indexField(c)));
        if (fields.includes(-1)) continue;
        b.a2[a] = lv.idxCur;
        b.a4[a] = { fields, real: rf.real };
        continue;
      }
      if (b.a1[a] !== cur) continue;
      if (b.ops[a] === Op.Column) {
        const j = indexField(b.a2[a]);
        if (j < 0) continue;
        b.ops[a] = Op.Column;
        b.a1[a] = lv.idxCur;
        b.a2[a] = j;
        b.a4[a] = null;
      } else if (b.ops[a] === Op.Rowid) {
        b.ops[a] = Op.IdxRowid;
        b.a1[a] = lv.idxCur;
      }
    }
  }
}

/** One-table form used by UPDATE and DELETE. */
export function whereBegin(p: Parse, item: SrcItem, where: Expr | null, write: boolean): WhereInfo {
  return whereBeginPlan(p, wherePlan(p, [item], where, { write }));
}

export function whereEnd(p: Parse, w: WhereInfo): void {
  whereEndPlan(p, w);
}

export { exprCollation, lower };
