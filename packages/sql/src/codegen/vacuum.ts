/*
 * codegen/vacuum.ts: VACUUM [schema] [INTO filename] (https://sqlite.org/lang_vacuum.html).
 * The program is one Vacuum opcode (SQLite's OP_Vacuum) with no Transaction opcode: the
 * rebuild opens and commits its own transactions (engine/vacuum.ts).
 *
 * Invariants:
 *  1. The schema names main, temp or an attached database ("unknown database X" otherwise).
 *  2. The INTO operand is any expression, evaluated once; a non-TEXT value fails at run
 *     time with "non-text filename" (vdbe/ops-misc.ts).
 */
import type { VacuumStmt } from "../parser/ast.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { exprToReg, finishProgram } from "./select.js";
import { resolveDb } from "./dbs.js";

export function compileVacuum(p: Parse, stmt: VacuumStmt): void {
  const iDb = stmt.schema === null ? 0 : resolveDb(p, stmt.schema);
  const b = p.b;
  p.write = true;
  const init = b.add(Op.Init, 0, 0);
  const end = b.newLabel();
  const into = stmt.into === null ? 0 : exprToReg(p, stmt.into, []);
  b.add(Op.Vacuum, iDb, into);
  finishProgram(p, init, end, true, false);
}
