/*
 * codegen/pragma.ts: PRAGMA statements (https://sqlite.org/pragma.html; SQLite's
 * pragma.c and its generated pragma.h table). One table, PRAGMAS, says for each pragma we
 * implement its result column names, whether setting it also returns a row, and what
 * transaction it needs; compilePragma turns a PragmaStmt into a program:
 *
 *   Init → [Transaction] → Pragma(cursor, P4 = the call) → Rewind → Column.. ResultRow → Next → Halt
 *
 * The pragma itself runs when the program runs (Pragma opcode, vdbe/ops-pragma.ts, which
 * hands it to engine/pragma-exec.ts), so values such as user_version are read at step
 * time, as SQLite's programs do. integrity_check and quick_check are compiled into real
 * checking code instead (codegen/pragma-integrity.ts).
 *
 * Invariants:
 *  1. An unknown pragma compiles to a program with no result columns that does nothing:
 *     no rows, no error (pragma.html: "No error messages are generated if an unknown
 *     pragma is issued").
 *  2. The result columns are fixed at compile time: a pragma with a value returns no
 *     columns unless its entry says `setRow` (busy_timeout, journal_mode, ...); a query
 *     pragma without its argument keeps its columns and returns no rows.
 *  3. Only the schema "main" is known (COMPAT: Strata has no temp or attached databases);
 *     another schema name is SQLite's error "unknown database NAME".
 */
import type { PragmaStmt } from "../parser/ast.js";
import { lower } from "../schema/schema.js";
import { Op } from "../vdbe/opcodes.js";
import type { PragmaCall } from "../vdbe/ops-pragma.js";
import type { Parse } from "./context.js";
import { compileIntegrityCheck } from "./pragma-integrity.js";
import { finishProgram } from "./select.js";
import { resolveDb } from "./dbs.js";

/** What a pragma needs from the database while it runs. */
export const enum PragmaTxn {
  None = 0,
  /** A read transaction (schema, header fields, page counts). */
  Read = 1,
  /** A read transaction to query, a write transaction to set (header fields). */
  ReadWrite = 2,
}

export interface PragmaDef {
  readonly name: string;
  /** Result column names (SQLite's pragma.h); empty = never any columns. */
  readonly cols: readonly string[];
  /** Setting it returns the new value as a row (SQLite's PragFlg_Result1 without NoColumns1). */
  readonly setRow: boolean;
  readonly txn: PragmaTxn;
}

function def(name: string, cols: readonly string[] | null, setRow: boolean, txn: PragmaTxn): PragmaDef {
  return { name, cols: cols ?? [name], setRow, txn };
}

const N = PragmaTxn.None;
const R = PragmaTxn.Read;
const RW = PragmaTxn.ReadWrite;

/** Every pragma Strata implements, by name (pragma_list lists these). */
export const PRAGMAS: ReadonlyMap<string, PragmaDef> = new Map(
  [
    def("application_id", null, false, RW),
    def("auto_vacuum", null, false, R),
    def("busy_timeout", ["timeout"], true, N),
    def("cache_size", null, false, N),
    def("cache_spill", null, false, N),
    def("case_sensitive_like", [], false, N),
    def("collation_list", ["seq", "name"], false, N),
    def("compile_options", null, false, N),
    def("data_version", null, false, R),
    def("database_list", ["seq", "name", "file"], false, N),
    def("defer_foreign_keys", null, false, N),
    def("encoding", null, false, R),
    def("foreign_key_list", ["id", "seq", "table", "from", "to", "on_update", "on_delete", "match"], false, R),
    def("foreign_keys", null, false, N),
    def("freelist_count", null, false, R),
    def("function_list", ["name", "builtin", "type", "enc", "narg", "flags"], false, N),
    def("index_info", ["seqno", "cid", "name"], false, R),
    def("index_list", ["seq", "name", "unique", "origin", "partial"], false, R),
    def("index_xinfo", ["seqno", "cid", "name", "desc", "coll", "key"], false, R),
    def("integrity_check", null, false, R),
    def("journal_mode", null, true, N),
    def("legacy_alter_table", null, false, N),
    def("locking_mode", null, true, N),
    def("max_page_count", null, true, R),
    def("optimize", null, false, N),
    def("page_count", null, false, R),
    def("page_size", null, false, R),
    def("pragma_list", ["name"], false, N),
    def("query_only", null, false, N),
    def("quick_check", null, false, R),
    def("recursive_triggers", null, false, N),
    def("reverse_unordered_selects", null, false, N),
    def("schema_version", null, false, R),
    def("shrink_memory", [], false, N),
    def("synchronous", null, false, N),
    def("table_info", ["cid", "name", "type", "notnull", "dflt_value", "pk"], false, R),
    def("table_list", ["schema", "name", "type", "ncol", "wr", "strict"], false, R),
    def("table_xinfo", ["cid", "name", "type", "notnull", "dflt_value", "pk", "hidden"], false, R),
    def("temp_store", null, false, N),
    def("user_version", null, false, RW),
    def("wal_autocheckpoint", null, true, N),
    def("wal_checkpoint", ["busy", "log", "checkpointed"], true, N),
  ].map((d) => [d.name, d]),
);

/** Query pragmas: their value is an argument (a table or index name), not a setting. */
const QUERY_ARG = new Set([
  "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list", "table_list",
  "wal_checkpoint",
]);

/** Checks the schema qualifier (invariant 3); returns the database index (main when none). */
export function checkPragmaSchema(p: Parse, schema: string | null): number {
  return schema === null ? 0 : resolveDb(p, schema);
}

/** Compiles PRAGMA [schema.]name [= value | (value)]; returns whether it may write. */
export function compilePragma(p: Parse, stmt: PragmaStmt): boolean {
  const name = lower(stmt.name);
  const d = PRAGMAS.get(name);
  const b = p.b;
  if (d === undefined) {
    // Invariant 1.
    const init = b.add(Op.Init, 0, 0);
    finishProgram(p, init, b.newLabel(), false, false);
    return true;
  }
  const iDb = checkPragmaSchema(p, stmt.schema);
  if (name === "integrity_check" || name === "quick_check") {
    compileIntegrityCheck(p, name === "quick_check", stmt.value);
    return true;
  }
  const hasValue = stmt.form !== null;
  const isQuery = QUERY_ARG.has(name);
  const cols = hasValue && !isQuery && !d.setRow ? [] : d.cols;
  for (const c of cols) {
    p.columnNames.push(c);
    p.decltypes.push(null);
  }
  const write = hasValue && !isQuery && d.txn === PragmaTxn.ReadWrite;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const cur = b.allocCursor();
  const call: PragmaCall = { name, schema: stmt.schema, value: stmt.value, hasValue };
  b.add(Op.Pragma, cur, cols.length, 0, call);
  if (cols.length > 0) {
    const regs = b.allocReg(cols.length);
    b.add(Op.Rewind, cur, end);
    const top = b.addr;
    for (let i = 0; i < cols.length; i++) b.add(Op.Column, cur, i, regs + i);
    b.add(Op.ResultRow, regs, cols.length);
    b.add(Op.Next, cur, top);
  }
  // The Transaction opcode goes to the named database (codegen/dbs.ts invariant 4).
  if (write) p.subWriteMask |= 1 << iDb;
  p.subReadMask |= 1 << iDb;
  finishProgram(p, init, end, write, d.txn !== PragmaTxn.None);
  return !write;
}
