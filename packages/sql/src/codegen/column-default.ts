/*
 * codegen/column-default.ts: the value a table column reads as when a row's record is
 * shorter than the table (a row written before ALTER TABLE ADD COLUMN; fileformat2.html
 * §2.1 "Record Format": missing trailing columns take the column's default), and the
 * constant folding of a DEFAULT expression that SQLite's sqlite3ValueFromExpr does.
 *
 * SQLite puts the default (sqlite3ColumnDefault) in P4 of every OP_Column that reads a
 * table column; the VM uses P4 only when the record has fewer fields than the column
 * number. We do the same through tableColumn(), which every read of a table column in a
 * row goes through (expr.ts codeColumn and the few direct readers).
 *
 * Invariants:
 *  1. valueFromExpr returns null for an expression that is not a constant
 *     sqlite3ValueFromExpr accepts (literals, NULL, TRUE/FALSE, unary +/-, CAST of those);
 *     ALTER TABLE ADD COLUMN reports such a default as "non-constant".
 *  2. The value has the column's affinity applied, as sqlite3ColumnDefault does; a REAL
 *     column's Column still applies REAL affinity to what it reads (OPFLAG_REALAFF, the
 *     RealAffinity SQLite codes after it).
 *  3. A default whose value is NULL adds no P4 (a short record reads NULL anyway).
 */
import { SQLITE_BLOB, SQLITE_FLOAT, SQLITE_NULL, SQLITE_TEXT } from "@strata/common";
import type { Expr } from "../parser/ast.js";
import type { Column, Table } from "../schema/schema.js";
import { affinityOfType } from "../schema/schema.js";
import { Mem, applyAffinity, castMem } from "../vdbe/mem.js";
import { AFF_BLOB, AFF_NUMERIC, OPFLAG_REALAFF, Op } from "../vdbe/opcodes.js";
import { NUM, parseReal } from "../value/text-to-number.js";
import type { Parse } from "./context.js";
import { codeVirtualColumn, isVirtual, storageIndex } from "./generated.js";

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function integerLiteral(m: Mem, text: string, neg: boolean): void {
  const t = text.replace(/_/g, "");
  if (t.length > 2 && (t[1] === "x" || t[1] === "X")) {
    const v = BigInt.asIntN(64, BigInt("0x" + (t.slice(2).replace(/^0+/, "") || "0")));
    m.setBigInt(neg ? BigInt.asIntN(64, -v) : v);
    return;
  }
  const v = neg ? -BigInt(t) : BigInt(t);
  if (v > 9223372036854775807n || v < -9223372036854775808n) {
    parseReal((neg ? "-" : "") + t);
    m.setReal(NUM.real);
  } else m.setBigInt(v);
}

/** sqlite3ValueFromExpr (invariant 1), with affinity `aff` applied. */
export function valueFromExpr(e: Expr, aff: number): Mem | null {
  const m = new Mem();
  switch (e.kind) {
    case "literal":
      switch (e.type) {
        case "integer": integerLiteral(m, e.value, false); break;
        case "float": parseReal(e.value.replace(/_/g, "")); m.setReal(NUM.real); break;
        case "string": m.setText(e.value); break;
        case "blob": m.setBlob(hexToBytes(e.value)); break;
        case "null": return m;
        default: return null;
      }
      if ((e.type === "integer" || e.type === "float") && aff === AFF_BLOB) applyAffinity(m, AFF_NUMERIC);
      else applyAffinity(m, aff);
      return m;
    case "column": {
      const n = e.column.toLowerCase();
      if (e.table !== null || e.quoting !== "none" || (n !== "true" && n !== "false")) return null;
      m.setInt(n === "true" ? 1 : 0);
      applyAffinity(m, aff);
      return m;
    }
    case "unary": {
      if (e.op !== "-" && e.op !== "+") return null;
      // A negated number literal is read with its sign (-9223372036854775808 is an integer).
      if (e.op === "-" && e.operand.kind === "literal" && (e.operand.type === "integer" || e.operand.type === "float")) {
        if (e.operand.type === "integer") integerLiteral(m, e.operand.value, true);
        else { parseReal(e.operand.value.replace(/_/g, "")); m.setReal(-NUM.real); }
        applyAffinity(m, aff === AFF_BLOB ? AFF_NUMERIC : aff);
        return m;
      }
      const v = valueFromExpr(e.operand, aff);
      if (v === null || e.op === "+") return v;
      if (v.type === SQLITE_NULL) return v;
      if (v.type === SQLITE_TEXT || v.type === SQLITE_BLOB) castMem(v, AFF_NUMERIC);
      if (v.type === SQLITE_FLOAT) v.setReal(-v.r);
      else if (v.big !== null) {
        if (v.big === -9223372036854775808n) v.setReal(9223372036854775808);
        else v.setBigInt(-v.big);
      } else v.setBigInt(-BigInt(v.i));
      applyAffinity(v, aff);
      return v;
    }
    case "cast": {
      const ca = e.type === null ? AFF_BLOB : affinityOfType(e.type.name);
      const v = valueFromExpr(e.expr, ca);
      if (v === null) return null;
      castMem(v, ca);
      applyAffinity(v, aff);
      return v;
    }
    default: return null;
  }
}

const defaults = new WeakMap<Column, Mem | null>();

/** The column's default as OP_Column's P4 (invariants 2, 3), or null. */
export function columnDefault(c: Column): Mem | null {
  let m = defaults.get(c);
  if (m === undefined) {
    m = c.dflt === null ? null : valueFromExpr(c.dflt, c.affinity);
    if (m !== null && m.type === SQLITE_NULL) m = null;
    defaults.set(c, m);
  }
  return m;
}

/**
 * Column `col` of table `t`'s row under `cursor` into `target`: its record field
 * (generated.ts storage numbering) with the default and REAL affinity, or a VIRTUAL
 * column's expression.
 */
export function tableColumn(p: Parse, t: Table, cursor: number, col: number, target: number): void {
  const c = t.columns[col];
  if (isVirtual(c)) {
    codeVirtualColumn(p, { table: t, cursor, alias: null }, col, target);
    return;
  }
  // A REAL column: RealAffinity folded into the Column (OPFLAG_REALAFF).
  p.b.add(Op.Column, cursor, storageIndex(t, col), target, columnDefault(c), c.affinity === 0x45 ? OPFLAG_REALAFF : 0);
  p.b.comment(`${t.name}.${c.name}`);
}
