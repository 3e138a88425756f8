/*
 * codegen/from.ts: the FROM clause as a list of FromItems (SQLite's SrcList, built by
 * select.c sqlite3SrcListAppendFromTerm / sqlite3ProcessJoin;
 * https://sqlite.org/lang_select.html#the_from_clause, "Determination of input data"),
 * and `*` / `t.*` expansion over it (select.c selectExpander).
 *
 * Joins: `,`, CROSS JOIN, [INNER] JOIN, NATURAL, USING, LEFT/RIGHT/FULL [OUTER] JOIN.
 * A NATURAL join becomes a USING join over the right table's columns that some table to
 * its left also has; a USING column `x` becomes the ON term `L.x = R.x` where L is the
 * left-most table on the left that has `x`.
 *
 * Invariants:
 *  1. Items are in FROM-clause order; item i's jointype describes the join operator
 *     written before it (item 0 has 0). The loop order is the planner's (where.ts).
 *  2. `on` holds the item's ON expression, or for USING/NATURAL the synthesized
 *     equalities; inner-join ON terms are later treated as WHERE terms, outer-join ON
 *     terms stay attached to their item.
 *  3. `*` omits a right table's USING columns; a left table's USING column that a RIGHT
 *     or FULL join coalesces is expanded to the coalesced value (resolveColumn rules).
 */
import type { BinaryExpr, ColumnRef, Expr, FromClause, JoinClause, ResultColumn, TableSource } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import type { Parse, SrcItem } from "./context.js";
import { resolveColumn, type ResolvedColumn } from "./expr.js";
import { dbName, dbOfTable } from "./dbs.js";

export const JT_INNER = 0x01;
export const JT_CROSS = 0x02;
export const JT_NATURAL = 0x04;
export const JT_LEFT = 0x08;
export const JT_RIGHT = 0x10;
export const JT_OUTER = 0x20;

export interface FromItem extends SrcItem {
  readonly jointype: number;
  readonly using: readonly string[] | null;
  /** ON expression (or synthesized USING equalities); null when none. */
  readonly on: Expr | null;
  /** Position in the FROM clause. */
  readonly idx: number;
}

function joinType(op: { natural: boolean; type: string }): number {
  let jt = op.natural ? JT_NATURAL : 0;
  switch (op.type) {
    case "comma": case "plain": case "INNER": jt |= JT_INNER; break;
    case "CROSS": jt |= JT_INNER | JT_CROSS; break;
    case "LEFT": jt |= JT_LEFT | JT_OUTER; break;
    case "RIGHT": jt |= JT_RIGHT | JT_OUTER; break;
    case "FULL": jt |= JT_LEFT | JT_RIGHT | JT_OUTER; break;
  }
  return jt;
}

function colRef(item: { alias: string | null; table: { name: string } }, column: string, span: { start: number; end: number }): ColumnRef {
  return { kind: "column", schema: null, table: item.alias ?? item.table.name, column, quoting: "double", start: span.start, end: span.end };
}

/** The FROM clause's items, with cursors allocated (invariant 1). */
export function buildFrom(p: Parse, from: FromClause | null, resolveSource: (p: Parse, src: TableSource) => SrcItem): FromItem[] {
  if (from === null) return [];
  const items: FromItem[] = [];
  const sources: { src: TableSource; join: JoinClause | null }[] = [];
  flattenInto(sources, from.first, null);
  for (const j of from.joins) flattenInto(sources, j.table, j);
  for (const { src, join } of sources) {
    const base = resolveSource(p, src);
    const t = base.table;
    const jt = join === null ? 0 : joinType(join.operator);
    let using: string[] | null = null;
    let on: Expr | null = join?.on ?? null;
    if (join !== null) {
      if ((jt & JT_NATURAL) !== 0) {
        if (join.on !== null || join.using !== null) throw p.error("a NATURAL join may not have an ON or USING clause");
        using = [];
        for (const c of t.columns) {
          const n = lower(c.name);
          if (items.some((it) => it.table.columns.some((x) => lower(x.name) === n))) using.push(n);
        }
      } else if (join.using !== null) {
        if (join.on !== null) throw p.error("cannot have both ON and USING clauses in the same join");
        using = join.using.map(lower);
      }
      if (using !== null) {
        for (const n of using) {
          const left = items.find((it) => it.table.columns.some((x) => lower(x.name) === n));
          if (left === undefined || !t.columns.some((x) => lower(x.name) === n)) {
            throw p.error(`cannot join using column ${n} - column not present in both tables`);
          }
          const lc = left.table.columns.find((x) => lower(x.name) === n)!.name;
          const rc = t.columns.find((x) => lower(x.name) === n)!.name;
          const eq: BinaryExpr = { kind: "binary", op: "=", left: colRef(left, lc, join), right: colRef(base, rc, join), start: join.start, end: join.end };
          on = on === null ? eq : { kind: "binary", op: "AND", left: on, right: eq, start: join.start, end: join.end };
        }
      }
    }
    // Every field written out (not `{ ...base }`: V8's spread of these varied shapes took
    // ~10% of a simple statement's prepare): one object shape for every FROM item.
    items.push({
      table: base.table, cursor: base.cursor, alias: base.alias, qualifiedOnly: base.qualifiedOnly,
      ephemeral: base.ephemeral, regs: base.regs, typeless: base.typeless, indexedBy: base.indexedBy,
      jointype: jt, using, on, idx: items.length,
    });
  }
  // A USING equality names its tables by alias/name; pin them to the right items so a
  // repeated table name cannot make them ambiguous.
  items.forEach((it, i) => {
    if (it.using === null || it.on === null) return;
    pinUsing(p, items, i, it.on);
  });
  return items;
}

/** True for a join operator that is an inner join without NATURAL: `,`, JOIN, INNER, CROSS. */
function isPlainInner(join: JoinClause | null): boolean {
  if (join === null) return true;
  const op = join.operator;
  return !op.natural && (op.type === "comma" || op.type === "plain" || op.type === "INNER" || op.type === "CROSS");
}

/**
 * Adds a FROM source to `out`. A parenthesised join list without an alias, made only of
 * inner joins without NATURAL or USING and itself inner-joined to what precedes it, is the
 * same join as its members written inline (an inner join's ON is a WHERE term), so its
 * members are added in its place (only when the outer join has no ON, so every ON stays
 * with the tables it was written after). Any other parenthesised join stays one source, which the
 * resolver reports as not supported yet.
 */
function flattenInto(out: { src: TableSource; join: JoinClause | null }[], src: TableSource, join: JoinClause | null): void {
  if (src.kind === "nestedJoin" && src.alias === null && isPlainInner(join) && join?.using == null && join?.on == null &&
      src.from.joins.every((j) => isPlainInner(j) && j.using === null)) {
    flattenInto(out, src.from.first, join);
    for (const j of src.from.joins) flattenInto(out, j.table, j);
    return;
  }
  out.push({ src, join });
}

function pinUsing(p: Parse, items: FromItem[], i: number, e: Expr): void {
  if (e.kind !== "binary") return;
  if (e.op === "AND") {
    pinUsing(p, items, i, e.left);
    pinUsing(p, items, i, e.right);
    return;
  }
  if (e.left.kind === "column" && e.right.kind === "column" && items[i].using !== null) {
    const n = lower(e.right.column);
    if (!items[i].using!.includes(n)) return;
    const left = items.find((it) => it.table.columns.some((x) => lower(x.name) === n))!;
    const lcol = left.table.columns.findIndex((x) => lower(x.name) === n);
    const rcol = items[i].table.columns.findIndex((x) => lower(x.name) === n);
    p.resolvedRefs.set(e.left, { item: left, col: lcol === left.table.iPKey ? -1 : lcol });
    p.resolvedRefs.set(e.right, { item: items[i], col: rcol === items[i].table.iPKey ? -1 : rcol });
  }
}

export interface StarColumn { expr: Expr; name: string; decltype: string | null }

/** Expands `*` or `t.*` (invariant 3). */
export function expandStar(p: Parse, rc: ResultColumn & { kind: "resultStar" }, items: readonly SrcItem[]): StarColumn[] {
  if (items.length === 0) throw p.error("no tables specified");
  const out: StarColumn[] = [];
  const span = { start: rc.start, end: rc.end };
  for (const item of items) {
    const label = item.alias ?? item.table.name;
    if (rc.table !== null && lower(rc.table) !== lower(label)) continue;
    // Two FROM items with one name: ambiguous, unless they are tables of different databases.
    const iDb = item.alias === null && item.ephemeral !== true ? dbOfTable(p, item.table) : 0;
    const dup = items.some((o) => o !== item && lower(o.alias ?? o.table.name) === lower(label) &&
      (item.alias !== null || o.alias !== null || o.ephemeral === true || dbOfTable(p, o.table) === iDb));
    item.table.columns.forEach((c, ci) => {
      const n = lower(c.name);
      const ref: ColumnRef = { kind: "column", schema: null, table: null, column: c.name, quoting: "double", start: span.start, end: span.end };
      let r: ResolvedColumn = { item, col: ci === item.table.iPKey ? -1 : ci };
      if (rc.table === null) {
        // A right table's USING column is omitted; the left one may be coalesced.
        if (item.using != null && item.using.includes(n) && items.slice(0, items.indexOf(item)).some((o) => o.table.columns.some((x) => lower(x.name) === n))) return;
      }
      if (dup) throw p.error(`ambiguous column name: ${dbName(p, iDb)}.${label}.${c.name}`);
      const later = items.slice(items.indexOf(item) + 1);
      if (later.some((o) => ((o.jointype ?? 0) & JT_RIGHT) !== 0 && o.using != null && o.using.includes(n))) {
        r = resolveColumn(p, ref, items.slice(items.indexOf(item)));
      }
      p.resolvedRefs.set(ref, r);
      out.push({ expr: ref, name: c.name, decltype: c.decltype });
    });
  }
  if (rc.table !== null && out.length === 0) throw p.error(`no such table: ${rc.table}`);
  return out;
}
