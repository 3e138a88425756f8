/*
 * The entry point: a text of statements separated by `;` to a list of statement ASTs
 * (https://sqlite.org/lang.html). Also the small statements: transactions, PRAGMA,
 * ATTACH/DETACH, ANALYZE, VACUUM, REINDEX, EXPLAIN.
 *
 * cmdlist ::= (cmd? SEMI)* cmd?   — empty statements are skipped; a statement ends at
 * `;` or at the end of the text.
 */
import type { Statement, PragmaStmt, BeginStmt } from "./ast.js";
import { Parser, checkResolveDepth, sqlError } from "./parser.js";
import { scan } from "./tokenizer.js";
import { parseExpr } from "./parse-expr.js";
import { parseSelectBody, parseWith, parseSelect } from "./parse-select.js";
import { parseInsert, parseUpdate, parseDelete } from "./parse-dml.js";
import { parseCreate, parseDrop, parseAlter, parseQualifiedName } from "./parse-ddl.js";

/**
 * Parses every statement of `sql`. Throws SqliteError (SQLITE_ERROR) with SQLite's
 * message at the first error. Each statement's start/end span its text without the `;`.
 */
export function parse(sql: string): Statement[] {
  const p = new Parser(scan(sql));
  const out: Statement[] = [];
  for (;;) {
    while (p.eat("SEMI")) { /* empty statement */ }
    if (p.k() === "EOF") break;
    out.push(parseExplainable(p));
    if (p.k() !== "EOF") p.expect("SEMI");
  }
  return out;
}

/** ecmd ::= [EXPLAIN [QUERY PLAN]] cmd */
function parseExplainable(p: Parser): Statement {
  const start = p.start;
  if (p.eat("EXPLAIN")) {
    let queryPlan = false;
    if (p.eat("QUERY")) {
      p.expect("PLAN");
      queryPlan = true;
    }
    const statement = parseCommand(p);
    return { kind: "explain", queryPlan, statement, start, end: p.lastEnd };
  }
  return parseCommand(p);
}

/** cmd ::= one statement; then SQLite's resolve-time expression depth check (parser.ts invariant 5). */
export function parseCommand(p: Parser): Statement {
  p.hScope = { exprs: [] };
  p.hExpr = null;
  const stmt = parseCommandBody(p);
  checkResolveDepth(p.hScope, 0);
  return stmt;
}

function parseCommandBody(p: Parser): Statement {
  const start = p.start;
  switch (p.k()) {
    case "SELECT": case "VALUES": return parseSelect(p);
    case "WITH": {
      const w = parseWith(p);
      switch (p.k()) {
        case "INSERT": case "REPLACE": return parseInsert(p, w, start);
        case "UPDATE": return parseUpdate(p, w, start);
        case "DELETE": return parseDelete(p, w, start);
        default: return parseSelectBody(p, w, start);
      }
    }
    case "INSERT": case "REPLACE": return parseInsert(p, null, start);
    case "UPDATE": return parseUpdate(p, null, start);
    case "DELETE": return parseDelete(p, null, start);
    case "CREATE": return parseCreate(p);
    case "DROP": return parseDrop(p);
    case "ALTER": return parseAlter(p);
    case "BEGIN": return parseBegin(p);
    case "COMMIT": case "END":
      p.pos++;
      parseTransOpt(p);
      return { kind: "commit", start, end: p.lastEnd };
    case "ROLLBACK": {
      p.pos++;
      parseTransOpt(p);
      let savepoint: string | null = null;
      if (p.eat("TO")) {
        p.eat("SAVEPOINT");
        savepoint = p.nm();
      }
      return { kind: "rollback", savepoint, start, end: p.lastEnd };
    }
    case "SAVEPOINT":
      p.pos++;
      return { kind: "savepoint", name: p.nm(), start, end: p.lastEnd };
    case "RELEASE":
      p.pos++;
      p.eat("SAVEPOINT");
      return { kind: "release", name: p.nm(), start, end: p.lastEnd };
    case "PRAGMA": return parsePragma(p);
    case "ATTACH": {
      p.pos++;
      p.eat("DATABASE");
      const file = parseExpr(p);
      p.expect("AS");
      const schema = parseExpr(p);
      const key = p.eat("KEY") ? parseExpr(p) : null;
      return { kind: "attach", file, schema, key, start, end: p.lastEnd };
    }
    case "DETACH":
      p.pos++;
      p.eat("DATABASE");
      return { kind: "detach", schema: parseExpr(p), start, end: p.lastEnd };
    case "ANALYZE": case "REINDEX": {
      const kind = p.k() === "ANALYZE" ? "analyze" : "reindex";
      p.pos++;
      let schema: string | null = null;
      let name: string | null = null;
      if (p.isNm()) ({ schema, name } = parseQualifiedName(p));
      return { kind, schema, name, start, end: p.lastEnd };
    }
    case "VACUUM": {
      p.pos++;
      const schema = p.isNm() ? p.nm() : null;
      const into = p.eat("INTO") ? parseExpr(p) : null;
      return { kind: "vacuum", schema, into, start, end: p.lastEnd };
    }
    default:
      p.fail();
  }
}

/** trans_opt ::= [TRANSACTION [nm]] */
function parseTransOpt(p: Parser): void {
  if (p.eat("TRANSACTION") && p.isNm()) p.nm();
}

/**
 * BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE|CONCURRENT] [TRANSACTION [nm]]
 * COMPAT: CONCURRENT (BEGIN CONCURRENT, for MVCC writers) is not in stock SQLite,
 * which reports `near "CONCURRENT": syntax error`.
 */
function parseBegin(p: Parser): BeginStmt {
  const start = p.start;
  p.expect("BEGIN");
  let mode: BeginStmt["mode"] = null;
  const k = p.k();
  if (k === "DEFERRED" || k === "IMMEDIATE" || k === "EXCLUSIVE") {
    p.pos++;
    mode = k;
  } else if (k === "ID" && p.text().toUpperCase() === "CONCURRENT") {
    p.pos++;
    mode = "CONCURRENT";
  }
  parseTransOpt(p);
  return { kind: "begin", mode, start, end: p.lastEnd };
}

/**
 * PRAGMA nm [DOT nm] [EQ nmnum | LP nmnum RP | EQ minus_num | LP minus_num RP]
 * nmnum ::= plus_num | nm | ON | DELETE | DEFAULT ; plus_num ::= [PLUS] number
 */
function parsePragma(p: Parser): PragmaStmt {
  const start = p.start;
  p.expect("PRAGMA");
  const { schema, name } = parseQualifiedName(p);
  let form: PragmaStmt["form"] = null;
  let value: string | null = null;
  if (p.eat("EQ")) form = "=";
  else if (p.eat("LP")) form = "()";
  if (form !== null) {
    const k = p.k();
    if (k === "MINUS" || k === "PLUS") {
      p.pos++;
      if (p.k() !== "INTEGER" && p.k() !== "FLOAT") p.fail();
      value = (k === "MINUS" ? "-" : "") + p.text();
      p.pos++;
    } else if (k === "INTEGER" || k === "FLOAT") {
      value = p.text();
      p.pos++;
    } else if (k === "ON" || k === "DELETE" || k === "DEFAULT") {
      value = p.text();
      p.pos++;
    } else {
      value = p.nm();
    }
    if (form === "()") p.expect("RP");
  }
  return { kind: "pragma", schema, name, value, form, start, end: p.lastEnd };
}

export { sqlError };
