/*
 * schema/fkeys.ts: the FOREIGN KEY constraints of a table as the engine enforces them
 * (SQLite's FKey, build.c sqlite3CreateForeignKey / sqlite3DeferForeignKey;
 * https://sqlite.org/foreignkeys.html), read from the CREATE TABLE statement.
 *
 * Invariants:
 *  1. Table.fkeys lists the child table's constraints in declaration order (column
 *     constraints as the columns are read, then table constraints). SQLite links them
 *     newest first; the code generator walks them in that order where it matters.
 *  2. A constraint is deferred only for `DEFERRABLE INITIALLY DEFERRED`; a DEFERRABLE
 *     clause written as a column constraint applies to the most recent FOREIGN KEY of the
 *     statement so far (SQLite's sqlite3DeferForeignKey).
 *  3. CREATE TABLE errors, SQLite's wording: "foreign key on x should reference only one
 *     column of table p", "number of columns in foreign key does not match the number of
 *     columns in the referenced table", "unknown column "x" in foreign key definition".
 *     The parent table and its key are looked up when a statement needs them (codegen/
 *     fkey.ts), not here: a parent may be created later.
 */
import { SqliteError } from "@strata/common";
import type { CreateTableStmt, ForeignKeyClause } from "../parser/ast.js";
import { lower } from "./schema.js";

/** ON DELETE / ON UPDATE action; "NONE" is NO ACTION (SQLite's OE_None). */
export type FkAction = "NONE" | "SET NULL" | "SET DEFAULT" | "CASCADE" | "RESTRICT";

export interface FKey {
  /** Child columns (positions in the child table), in the order written. */
  readonly from: readonly number[];
  /** The parent table's name as written. */
  readonly to: string;
  /** Parent key column names as written, or null for the parent's PRIMARY KEY. */
  readonly toCols: readonly string[] | null;
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  deferred: boolean;
}

function actionOf(fk: ForeignKeyClause, event: "DELETE" | "UPDATE"): FkAction {
  let a: FkAction = "NONE";
  for (const x of fk.actions) if (x.kind === "on" && x.event === event) a = x.action === "NO ACTION" ? "NONE" : x.action;
  return a;
}

/** The FOREIGN KEY constraints of `stmt` (invariants 1-3); `cols` are the column names. */
export function foreignKeysOf(stmt: CreateTableStmt, cols: readonly string[]): FKey[] {
  const out: FKey[] = [];
  const colIndex = (name: string): number => cols.findIndex((c) => lower(c) === lower(name));
  const add = (from: number[], fk: ForeignKeyClause): FKey => {
    const k: FKey = {
      from, to: fk.table, toCols: fk.columns, onDelete: actionOf(fk, "DELETE"), onUpdate: actionOf(fk, "UPDATE"), deferred: false,
    };
    out.push(k);
    return k;
  };
  const defer = (d: { not: boolean; initially: "DEFERRED" | "IMMEDIATE" | null }): void => {
    const last = out[out.length - 1];
    if (last !== undefined) last.deferred = !d.not && d.initially === "DEFERRED";
  };
  (stmt.columns ?? []).forEach((cd, i) => {
    for (const c of cd.constraints) {
      if (c.kind === "references") {
        const fk = c.foreignKey;
        if (fk.columns !== null && fk.columns.length !== 1) {
          throw new SqliteError("SQLITE_ERROR", `foreign key on ${cd.name} should reference only one column of table ${fk.table}`);
        }
        add([i], fk);
      } else if (c.kind === "deferrable") defer(c);
    }
  });
  for (const tc of stmt.constraints) {
    if (tc.kind !== "foreignKeyConstraint") continue;
    const fk = tc.foreignKey;
    if (fk.columns !== null && fk.columns.length !== tc.columns.length) {
      throw new SqliteError("SQLITE_ERROR", "number of columns in foreign key does not match the number of columns in the referenced table");
    }
    const from = tc.columns.map((name) => {
      const i = colIndex(name);
      if (i < 0) throw new SqliteError("SQLITE_ERROR", `unknown column "${name}" in foreign key definition`);
      return i;
    });
    add(from, fk);
    if (fk.deferrable !== null) defer(fk.deferrable);
  }
  return out;
}
