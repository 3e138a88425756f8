/*
 * INSERT / REPLACE, UPDATE and DELETE (https://sqlite.org/lang_insert.html,
 * lang_update.html, lang_delete.html, lang_upsert.html, lang_returning.html), both as
 * statements and as the steps of a trigger body, where SQLite's grammar is narrower:
 * no WITH, no DEFAULT VALUES, no RETURNING, no INDEXED BY, no ORDER BY / LIMIT.
 */
import type {
  InsertStmt, UpdateStmt, DeleteStmt, WithClause, ConflictAction, SetClause, UpsertClause, ResultColumn, QualifiedTable,
  Expr, OrderingTerm, LimitClause, SelectStmt,
} from "./ast.js";
import { MAX_COLUMN, Parser, sqlError } from "./parser.js";
import { parseExpr, parseSortList, startsSelect } from "./parse-expr.js";
import { parseSelect, parseFrom, parseIdList, parseIndexedBy, parseOrderBy, parseLimit, parseResultColumns } from "./parse-select.js";

/** resolvetype ::= ROLLBACK | ABORT | FAIL | IGNORE | REPLACE */
export function parseResolveType(p: Parser): ConflictAction {
  const k = p.k();
  if (k === "ROLLBACK" || k === "ABORT" || k === "FAIL" || k === "IGNORE" || k === "REPLACE") {
    p.pos++;
    return k;
  }
  p.fail();
}

/** orconf ::= [OR resolvetype] */
function parseOrConf(p: Parser): ConflictAction | null {
  return p.eat("OR") ? parseResolveType(p) : null;
}

/** xfullname ::= nm [DOT nm] [AS nm] */
function parseXFullName(p: Parser): { schema: string | null; name: string; alias: string | null } {
  let schema: string | null = null;
  let name = p.nm();
  if (p.eat("DOT")) {
    schema = name;
    name = p.nm();
  }
  const alias = p.eat("AS") ? p.nm() : null;
  return { schema, name, alias };
}

/** setlist ::= (nm EQ expr | LP idlist RP EQ expr) (COMMA ...)* */
function parseSetList(p: Parser): SetClause[] {
  const list: SetClause[] = [];
  do {
    const start = p.start;
    let columns: string[];
    let parenthesized = false;
    if (p.eat("LP")) {
      columns = parseIdList(p);
      p.expect("RP");
      parenthesized = true;
    } else {
      columns = [p.nm()];
    }
    p.expect("EQ");
    const expr = parseExpr(p);
    list.push({ kind: "set", columns, parenthesized, expr, start, end: p.lastEnd });
  } while (p.eat("COMMA"));
  if (list.length > MAX_COLUMN) throw sqlError("too many columns in set list");
  return list;
}

/** returning ::= RETURNING selcollist */
function parseReturning(p: Parser): ResultColumn[] | null {
  if (!p.eat("RETURNING")) return null;
  const cols = parseResultColumns(p);
  if (p.inTrigger) throw sqlError("cannot use RETURNING in a trigger");
  return cols;
}

/** tridxby: INDEXED BY / NOT INDEXED are refused inside triggers. */
function parseTriggerIndexedBy(p: Parser): void {
  const indexed = parseIndexedBy(p);
  if (indexed === false) throw sqlError("the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within triggers");
  if (indexed !== null) throw sqlError("the INDEXED BY clause is not allowed on UPDATE or DELETE statements within triggers");
}

/**
 * insert ::= [with] (INSERT [OR resolvetype] | REPLACE) INTO xfullname [LP idlist RP]
 *            (select upsert | DEFAULT VALUES [returning])
 * upsert ::= [ON CONFLICT [LP sortlist RP [WHERE expr]] DO (NOTHING | UPDATE SET setlist [WHERE expr]) upsert] [returning]
 */
export function parseInsert(p: Parser, withClause: WithClause | null, start: number): InsertStmt {
  let verb: "INSERT" | "REPLACE";
  let or: ConflictAction | null = null;
  if (p.eat("REPLACE")) verb = "REPLACE";
  else {
    p.expect("INSERT");
    verb = "INSERT";
    or = parseOrConf(p);
  }
  p.expect("INTO");
  const { schema, name, alias } = parseXFullName(p);
  let columns: string[] | null = null;
  if (p.eat("LP")) {
    columns = parseIdList(p);
    p.expect("RP");
  }
  let source: SelectStmt | null = null;
  const upsert: UpsertClause[] = [];
  let returning: ResultColumn[] | null = null;
  if (!p.inTrigger && p.k() === "DEFAULT") {
    p.pos++;
    p.expect("VALUES");
    returning = parseReturning(p);
  } else {
    if (!startsSelect(p)) p.fail();
    source = parseSelect(p);
    for (;;) {
      if (p.k() === "ON") {
        const s = p.start;
        p.pos++;
        p.expect("CONFLICT");
        let target: UpsertClause["target"] = null;
        if (p.eat("LP")) {
          const cols: OrderingTerm[] = parseSortList(p);
          p.expect("RP");
          const where = p.eat("WHERE") ? parseExpr(p) : null;
          target = { columns: cols, where };
        }
        p.expect("DO");
        let set: SetClause[] | null = null;
        let where: Expr | null = null;
        if (!p.eat("NOTHING")) {
          p.expect("UPDATE");
          p.expect("SET");
          set = parseSetList(p);
          if (p.eat("WHERE")) where = parseExpr(p);
        }
        upsert.push({ kind: "upsert", target, set, where, start: s, end: p.lastEnd });
        if (target === null) {
          returning = parseReturning(p);
          break;
        }
        continue;
      }
      returning = parseReturning(p);
      break;
    }
  }
  return {
    kind: "insert", with: withClause, verb, or, schema, table: name, alias, columns, source, upsert, returning,
    start, end: p.lastEnd,
  };
}

/** where_opt_ret ::= [WHERE expr] [RETURNING selcollist] */
function parseWhereReturning(p: Parser): { where: Expr | null; returning: ResultColumn[] | null } {
  const where = p.eat("WHERE") ? parseExpr(p) : null;
  const returning = p.inTrigger ? null : parseReturning(p);
  return { where, returning };
}

function qualifiedTable(p: Parser, start: number): QualifiedTable {
  const { schema, name, alias } = parseXFullName(p);
  let indexedBy: string | false | null = null;
  if (p.inTrigger) parseTriggerIndexedBy(p);
  else indexedBy = parseIndexedBy(p);
  return { kind: "qualifiedTable", schema, name, alias, indexedBy, start, end: p.lastEnd };
}

/**
 * update ::= [with] UPDATE [OR resolvetype] xfullname [indexed_by] SET setlist
 *            [FROM seltablist] where_opt_ret [ORDER BY sortlist] [LIMIT ...]
 */
export function parseUpdate(p: Parser, withClause: WithClause | null, start: number): UpdateStmt {
  p.expect("UPDATE");
  const or = parseOrConf(p);
  const table = qualifiedTable(p, p.start);
  p.expect("SET");
  const set = parseSetList(p);
  const from = p.eat("FROM") ? parseFrom(p) : null;
  const { where, returning } = parseWhereReturning(p);
  let orderBy: OrderingTerm[] | null = null;
  let limit: LimitClause | null = null;
  if (!p.inTrigger) {
    orderBy = parseOrderBy(p);
    limit = parseLimit(p);
  }
  return { kind: "update", with: withClause, or, table, set, from, where, returning, orderBy, limit, start, end: p.lastEnd };
}

/** delete ::= [with] DELETE FROM xfullname [indexed_by] where_opt_ret [ORDER BY sortlist] [LIMIT ...] */
export function parseDelete(p: Parser, withClause: WithClause | null, start: number): DeleteStmt {
  p.expect("DELETE");
  p.expect("FROM");
  const table = qualifiedTable(p, p.start);
  const { where, returning } = parseWhereReturning(p);
  let orderBy: OrderingTerm[] | null = null;
  let limit: LimitClause | null = null;
  if (!p.inTrigger) {
    orderBy = parseOrderBy(p);
    limit = parseLimit(p);
  }
  return { kind: "delete", with: withClause, table, where, returning, orderBy, limit, start, end: p.lastEnd };
}
