/*
 * codegen/cte.ts: common table expressions (SQLite's select.c withExpand,
 * generateWithRecursiveQuery; https://sqlite.org/lang_with.html).
 *
 * A WITH clause is put in force (p.ctes) while its statement compiles; a FROM item
 * naming one of its tables (innermost WITH first) becomes that CTE:
 *  - an ordinary CTE is materialized at each reference (subquery.ts materialize), its
 *    body compiled with the WITH clauses that were in force where it was defined.
 *    MATERIALIZED / NOT MATERIALIZED change nothing we can observe except for
 *    non-deterministic functions: each reference runs the body again, as NOT
 *    MATERIALIZED would.
 *    // COMPAT: a CTE is not shared between references (docs/compat.md).
 *  - a recursive CTE (a compound whose later parts name the CTE in their FROM) runs the
 *    queue algorithm of lang_with.html §3.2: the anchor parts' rows go into a queue;
 *    repeatedly the first queue row is removed, output (subject to the CTE's
 *    LIMIT/OFFSET) and made the only row of the recursive table, and each recursive
 *    part runs once adding its rows to the queue. UNION keeps a set of every row ever
 *    queued and queues only new rows.
 *
 * Invariants:
 *  1. The queue is an ephemeral index keyed [ORDER BY terms..., sequence, row...]: with
 *     no ORDER BY it is FIFO; with ORDER BY it is a priority queue, ties in queue order.
 *  2. Errors as SQLite's: "circular reference: x" (a CTE's anchor or a non-compound
 *     body names itself, or a recursive reference inside a subquery), "multiple
 *     references to recursive table: x", "recursive aggregate queries not supported",
 *     "duplicate WITH table name: x", "table x has N values for M columns".
 */
import { makeKeyInfo } from "@strata/common";
import { resolveOrderBy } from "./compound.js";
import type { CompoundPart, SelectCore, SelectStmt, ValuesClause, WithClause } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op, OPFLAG_EPHEMREC } from "../vdbe/opcodes.js";
import type { CteDef, CteScope, Parse, SrcItem } from "./context.js";
import { walkExpr } from "./expr.js";
import { codeCore, codeLimit, codeSelect, type SelectDest } from "./select.js";
import {
  describeSelect, listDest, materialize, onceUnlessCorrelated, openList, syntheticTable, type ColInfo,
} from "./subquery.js";

interface CteState extends CteDef {
  /** Index of the defining WITH in p.ctes. */
  level: number;
  /** p.outer depth where the recursive parts compile (a deeper reference is circular). */
  depth: number;
  uses: number;
}

/** Runs `fn` with the WITH clause in force. */
export function withCtes<T>(p: Parse, w: WithClause, fn: () => T): T {
  const map = new Map<string, CteDef>();
  const level = p.ctes.length;
  for (const c of w.ctes) {
    const k = lower(c.name);
    if (map.has(k)) throw p.error(`duplicate WITH table name: ${c.name}`);
    const def: CteState = {
      name: c.name, columns: c.columns, select: c.select, materialized: c.materialized, busy: false, current: null,
      level, depth: -1, uses: 0,
    };
    map.set(k, def);
  }
  p.ctes.push({ ctes: map });
  try {
    return fn();
  } finally {
    p.ctes.pop();
  }
}

/** The CTE a FROM name refers to, innermost WITH first, or null. */
export function findCte(p: Parse, name: string): CteDef | null {
  const k = lower(name);
  for (let i = p.ctes.length - 1; i >= 0; i--) {
    const d = p.ctes[i].ctes.get(k);
    if (d !== undefined) return d;
  }
  return null;
}

/** Runs `fn` with only the WITH clauses in force where `def` was defined. */
function atDefinition<T>(p: Parse, def: CteState, fn: () => T): T {
  const saved: CteScope[] = p.ctes.splice(def.level + 1);
  try {
    return fn();
  } finally {
    p.ctes.push(...saved);
  }
}

type Part = SelectCore | ValuesClause;

/** Whether a part's own FROM names the CTE. */
function partRefs(part: Part, name: string): boolean {
  if (part.kind !== "selectCore" || part.from === null) return false;
  const srcs = [part.from.first, ...part.from.joins.map((j) => j.table)];
  return srcs.some((s) => s.kind === "tableRef" && s.schema === null && lower(s.name) === lower(name));
}

interface Split { anchor: SelectStmt; recursive: CompoundPart[]; union: boolean }

/** Splits a recursive CTE's body into anchor and recursive parts, or null when not recursive. */
function splitRecursive(p: Parse, def: CteState): Split | null {
  const s = def.select;
  const parts: Part[] = [s.first, ...s.compounds.map((c) => c.select)];
  const k = parts.findIndex((x) => partRefs(x, def.name));
  if (k < 0) return null;
  if (k === 0) throw p.error(`circular reference: ${def.name}`);
  const recursive = s.compounds.slice(k - 1);
  for (const r of recursive) {
    if (r.op !== "UNION" && r.op !== "UNION ALL") throw p.error(`circular reference: ${def.name}`);
  }
  const anchor: SelectStmt = { ...s, with: null, compounds: s.compounds.slice(0, k - 1), orderBy: null, limit: null };
  return { anchor, recursive, union: recursive[recursive.length - 1].op === "UNION" };
}

/** The result columns of a CTE (the anchor's for a recursive one), renamed by its column list. */
export function describeCte(p: Parse, d: CteDef): ColInfo[] {
  const def = d as CteState;
  if (def.busy && def.current === null) throw p.error(`circular reference: ${def.name}`);
  if (def.current !== null) return def.current.table.columns.map((c) => ({
    name: c.name, decltype: c.decltype, affinity: c.affinity, collation: null, explicitColl: false,
  }));
  return atDefinition(p, def, () => {
    def.busy = true;
    try {
      return describeDef(p, def, splitRecursive(p, def));
    } finally {
      def.busy = false;
    }
  });
}

function describeDef(p: Parse, def: CteState, split: Split | null): ColInfo[] {
  const cols = describeSelect(p, split === null ? def.select : split.anchor, []);
  if (def.columns !== null && def.columns.length !== cols.length) {
    throw p.error(`table ${def.name} has ${cols.length} values for ${def.columns.length} columns`);
  }
  return def.columns === null ? cols.map((c) => ({ ...c, name: c.written ?? c.name })) : cols.map((c, i) => ({ ...c, name: def.columns![i] }));
}

/** The FROM item for a reference to a CTE. */
export function cteItem(p: Parse, d: CteDef, alias: string | null): SrcItem {
  const def = d as CteState;
  if (def.current !== null) {
    if (p.outer.length !== def.depth) throw p.error(`circular reference: ${def.name}`);
    if (++def.uses > 1) throw p.error(`multiple references to recursive table: ${def.name}`);
    return { ...def.current, alias: alias ?? def.name };
  }
  if (def.busy) throw p.error(`circular reference: ${def.name}`);
  return atDefinition(p, def, () => {
    def.busy = true;
    try {
      const split = splitRecursive(p, def);
      if (split === null) return materialize(p, def.select, def.name, def.columns, alias ?? def.name, true);
      return recursiveItem(p, def, split, alias);
    } finally {
      def.busy = false;
    }
  });
}

function hasAggregate(p: Parse, part: Part): boolean {
  if (part.kind !== "selectCore") return false;
  let found = false;
  for (const rc of part.columns) {
    if (rc.kind !== "resultExpr") continue;
    walkExpr(rc.expr, (x) => {
      if (x.kind === "function" && x.over === null) {
        const d = p.host.functions.lookup(x.name, x.args === "*" ? 0 : x.args.length);
        if (d !== null && d.kind === "aggregate") found = true;
      }
      return !found;
    });
  }
  return found || part.groupBy !== null;
}

/** Codes the queue algorithm; returns the FROM item scanning its output (invariant 1). */
function recursiveItem(p: Parse, def: CteState, split: Split, alias: string | null): SrcItem {
  const b = p.b;
  const stmt = def.select;
  const cols = describeDef(p, def, split);
  const n = cols.length;
  for (const r of split.recursive) {
    if (hasAggregate(p, r.select)) throw p.error("recursive aggregate queries not supported");
    if (r.select.kind === "selectCore") {
      const cnt = [r.select.from!.first, ...r.select.from!.joins.map((j) => j.table)]
        .filter((s) => s.kind === "tableRef" && s.schema === null && lower(s.name) === lower(def.name)).length;
      if (cnt > 1) throw p.error(`multiple references to recursive table: ${def.name}`);
    }
  }
  const table = syntheticTable(def.name, cols, def.columns);
  const out = b.allocCursor();
  const queue = b.allocCursor();
  const current = b.allocCursor();
  const distinct = split.union ? b.allocCursor() : -1;
  // ORDER BY terms name the result columns as a compound's ORDER BY does.
  const keys = resolveOrderBy(p, stmt, [stmt.first, ...stmt.compounds.map((c) => c.select)], n, cols.map((c) => c.collation));
  const keyCols = keys.map((k) => k.col);
  const keyColls = keys.map((k) => k.coll);
  const flags = keys.map((k) => k.flags);
  const nKey = keyCols.length;
  const colColls = cols.map((c) => c.collation);
  onceUnlessCorrelated(p, [], () => {
    openList(p, out, n);
    b.add(Op.OpenEphemeral, queue, nKey + 1 + n, 0, makeKeyInfo(nKey + 1, {
      collations: keyColls, sortFlags: flags, encoding: p.host.encoding,
    }));
    if (distinct >= 0) b.add(Op.OpenEphemeral, distinct, n, 0, makeKeyInfo(n, { collations: colColls, encoding: p.host.encoding }));
    const seq = b.allocReg();
    const one = b.allocReg();
    b.add(Op.Integer, 0, seq);
    b.add(Op.Integer, 1, one);
    const queueDest: SelectDest = {
      output: false,
      emit(p2, first, cnt) {
        const skip = b.newLabel();
        if (distinct >= 0) {
          b.add(Op.Found, distinct, skip, first, cnt);
          const r = b.allocReg();
          b.add(Op.MakeRecord, first, cnt, r, null, OPFLAG_EPHEMREC);
          b.add(Op.IdxInsert, distinct, r);
        }
        const k = b.allocReg(nKey + 1 + cnt);
        keyCols.forEach((c, i) => b.add(Op.SCopy, first + c, k + i));
        b.add(Op.Add, one, seq, seq);
        b.add(Op.SCopy, seq, k + nKey);
        b.add(Op.Copy, first, k + nKey + 1, cnt - 1);
        const r2 = b.allocReg();
        b.add(Op.MakeRecord, k, nKey + 1 + cnt, r2, null, OPFLAG_EPHEMREC);
        b.add(Op.IdxInsert, queue, r2);
        b.resolve(skip);
        void p2;
      },
    };
    codeSelect(p, split.anchor, queueDest);
    const done = b.newLabel();
    const [lim, off] = codeLimit(p, stmt.limit, done);
    const top = b.addr;
    b.add(Op.Rewind, queue, done);
    const row = b.allocReg(n);
    for (let i = 0; i < n; i++) b.add(Op.Column, queue, nKey + 1 + i, row + i);
    b.add(Op.Delete, queue, 0, 0, null, 0);
    openList(p, current, n);
    const rec = b.allocReg();
    b.add(Op.MakeRecord, row, n, rec, null, OPFLAG_EPHEMREC);
    b.add(Op.SorterInsert, current, rec);
    const skipOut = b.newLabel();
    if (off) b.add(Op.IfPos, off, skipOut, 1);
    listDest(out).emit(p, row, n);
    if (lim) b.add(Op.DecrJumpZero, lim, done);
    b.resolve(skipOut);
    def.current = { table, cursor: current, alias: def.name, ephemeral: true };
    def.depth = p.outer.length;
    try {
      for (const r of split.recursive) {
        def.uses = 0;
        codeCore(p, r.select, null, null, queueDest);
      }
    } finally {
      def.current = null;
    }
    b.add(Op.Goto, 0, top);
    b.resolve(done);
  });
  return { table, cursor: out, alias: alias ?? def.name, ephemeral: true };
}

