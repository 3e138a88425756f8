/*
 * codegen/maint.ts: the one entry from compile.ts to the maintenance statements:
 * REINDEX (reindex.ts), ANALYZE (analyze.ts) and VACUUM (vacuum.ts).
 *
 * Invariants:
 *  1. Each of them writes the database (the compiled statement is never readonly).
 */
import type { AnalyzeStmt, ReindexStmt, VacuumStmt } from "../parser/ast.js";
import type { Parse } from "./context.js";
import { compileAnalyze } from "./analyze.js";
import { compileReindex } from "./reindex.js";
import { compileVacuum } from "./vacuum.js";

export function compileMaintenance(p: Parse, stmt: AnalyzeStmt | ReindexStmt | VacuumStmt): void {
  switch (stmt.kind) {
    case "reindex": compileReindex(p, stmt); return;
    case "analyze": compileAnalyze(p, stmt); return;
    case "vacuum": compileVacuum(p, stmt); return;
  }
}
