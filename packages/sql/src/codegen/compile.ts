/*
 * codegen/compile.ts: one statement's AST to a Compiled program (SQLite's
 * sqlite3RunParser + the per-statement code generators), and the transaction
 * statements (BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE; https://sqlite.org/lang_transaction.html).
 *
 * Invariants:
 *  1. Every statement kind reaches a generator or a SQLITE_ERROR "not supported yet";
 *     the switch ends in assertNever.
 *  2. EXPLAIN compiles the inner statement; the Statement lists the program instead of
 *     running it.
 */
import { assertNever, type Statement, type WithClause } from "../parser/ast.js";
import { withCtes } from "./cte.js";
import { Op } from "../vdbe/opcodes.js";
import { Parse, type CompileHost, type Compiled } from "./context.js";
import { compileCreateIndex, compileCreateTable, compileDrop } from "./ddl.js";
import { compileInsert } from "./insert.js";
import { compilePragma } from "./pragma.js";
import { compileSelect, finishProgram } from "./select.js";
import { compileCreateTrigger, compileDropTrigger } from "./trigger.js";
import { compileDelete, compileUpdate } from "./update-delete.js";
import { compileCreateView, compileDropView } from "./view.js";
import { compileMaintenance } from "./maint.js";
import { compileAlter } from "./alter.js";
import { compileAttach, compileDetach } from "./attach.js";

export function compile(host: CompileHost, sql: string, stmt: Statement): Compiled {
  let explain: 0 | 1 | 2 = 0;
  if (stmt.kind === "explain") {
    explain = stmt.queryPlan ? 2 : 1;
    stmt = stmt.statement;
    if (stmt.kind === "explain") throw new Parse(host, sql).error("near \"EXPLAIN\": syntax error");
  }
  const p = new Parse(host, sql);
  let readonly = true;
  switch (stmt.kind) {
    case "select": compileSelect(p, stmt); break;
    // WITH in front of DML (lang_with.html): the CTEs are in force for the whole
    // statement (its subqueries, INSERT's SELECT, UPDATE's FROM); the target stays a table.
    case "insert": { const w = stmt.with; withDml(p, w, () => compileInsert(p, w === null ? stmt : { ...stmt, with: null })); readonly = false; break; }
    case "update": { const w = stmt.with; withDml(p, w, () => compileUpdate(p, w === null ? stmt : { ...stmt, with: null })); readonly = false; break; }
    case "delete": { const w = stmt.with; withDml(p, w, () => compileDelete(p, w === null ? stmt : { ...stmt, with: null })); readonly = false; break; }
    case "createTable": compileCreateTable(p, stmt); readonly = false; break;
    case "createIndex": compileCreateIndex(p, stmt); readonly = false; break;
    case "drop":
      if (stmt.object === "TRIGGER") compileDropTrigger(p, stmt);
      else if (!compileDropView(p, stmt)) compileDrop(p, stmt);
      readonly = false;
      break;
    case "createTrigger": compileCreateTrigger(p, stmt); readonly = false; break;
    case "createView": compileCreateView(p, stmt); readonly = false; break;
    case "begin": {
      const b = p.b;
      const init = b.add(Op.Init, 0, 0);
      b.add(Op.AutoCommit, 0, 0);
      const end = b.newLabel();
      finishProgram(p, init, end, stmt.mode === "IMMEDIATE" || stmt.mode === "EXCLUSIVE", stmt.mode === "IMMEDIATE" || stmt.mode === "EXCLUSIVE");
      if (stmt.mode === "CONCURRENT") throw p.error("BEGIN CONCURRENT is not supported yet");
      readonly = false;
      break;
    }
    case "commit": case "rollback": {
      if (stmt.kind === "rollback" && stmt.savepoint !== null) {
        txnOp(p, Op.Savepoint, 2, stmt.savepoint);
      } else {
        const b = p.b;
        const init = b.add(Op.Init, 0, 0);
        b.add(Op.AutoCommit, 1, stmt.kind === "rollback" ? 1 : 0);
        finishProgram(p, init, b.newLabel(), false, false);
      }
      readonly = false;
      break;
    }
    case "savepoint": txnOp(p, Op.Savepoint, 0, stmt.name); readonly = false; break;
    case "release": txnOp(p, Op.Savepoint, 1, stmt.name); readonly = false; break;
    case "pragma": readonly = compilePragma(p, stmt); break;
    case "analyze": case "reindex": case "vacuum": compileMaintenance(p, stmt); readonly = false; break;
    case "alterTable": compileAlter(p, stmt); readonly = false; break;
    case "attach": compileAttach(p, stmt); readonly = false; break;
    case "detach": compileDetach(p, stmt); readonly = false; break;
    case "createVirtualTable":
      throw p.error(`${stmt.kind} is not supported yet`);
    default: assertNever(stmt);
  }
  return p.finish(readonly, explain);
}

function withDml(p: Parse, w: WithClause | null, fn: () => void): void {
  if (w === null) fn();
  else withCtes(p, w, fn);
}

function txnOp(p: Parse, op: number, p1: number, name: string): void {
  const b = p.b;
  const init = b.add(Op.Init, 0, 0);
  b.add(op, p1, 0, 0, name);
  finishProgram(p, init, b.newLabel(), false, false);
}
