/*
 * codegen/attach.ts: ATTACH DATABASE expr AS expr [KEY expr] and DETACH [DATABASE] expr
 * (https://sqlite.org/lang_attach.html, lang_detach.html; SQLite's attach.c). The
 * program evaluates the operands and runs one Attach or Detach opcode; the connection
 * (engine/connection.ts attach/detach) opens or closes the database.
 *
 * Invariants:
 *  1. A bare identifier in the file or name position means its own text, as in SQLite
 *     (attach.c resolveAttachExpr turns TK_ID into a string): `ATTACH x AS y` opens file
 *     "x" as database "y". Any other expression is evaluated (it may use parameters).
 *  2. No Transaction opcode: ATTACH and DETACH touch no B-tree of an open database.
 */
import type { AttachStmt, DetachStmt, Expr } from "../parser/ast.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { codeExpr } from "./expr.js";
import { finishProgram } from "./select.js";

function operand(p: Parse, e: Expr, reg: number): void {
  if (e.kind === "column" && e.table === null && e.schema === null) p.b.add(Op.String8, 0, reg, 0, e.column);
  else codeExpr(p, e, [], reg);
}

export function compileAttach(p: Parse, stmt: AttachStmt): void {
  const b = p.b;
  const init = b.add(Op.Init, 0, 0);
  const r = b.allocReg(3);
  operand(p, stmt.file, r);
  operand(p, stmt.schema, r + 1);
  if (stmt.key !== null) operand(p, stmt.key, r + 2);
  b.add(Op.Attach, r, r + 1, stmt.key !== null ? r + 2 : 0);
  finishProgram(p, init, b.newLabel(), false, false);
}

export function compileDetach(p: Parse, stmt: DetachStmt): void {
  const b = p.b;
  const init = b.add(Op.Init, 0, 0);
  const r = b.allocReg();
  operand(p, stmt.schema, r);
  b.add(Op.Detach, r);
  finishProgram(p, init, b.newLabel(), false, false);
}
