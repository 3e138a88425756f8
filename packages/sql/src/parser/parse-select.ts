/*
 * SELECT (https://sqlite.org/lang_select.html): WITH, compound operators, VALUES,
 * the FROM clause with every join form, GROUP BY / HAVING / WINDOW, ORDER BY, LIMIT.
 *
 * SQLite's grammar lets every SELECT of a compound carry ORDER BY and LIMIT and then
 * refuses them on all but the last ("ORDER BY clause should come after UNION not
 * before") once the whole compound is read; parseSelect does the same, so that a
 * syntax error later in the compound is reported first.
 */
import type {
  SelectStmt, SelectCore, ValuesClause, CompoundPart, CompoundOperator, WithClause, CommonTableExpr, ResultColumn,
  FromClause, TableSource, JoinClause, JoinOperator, Expr, OrderingTerm, LimitClause, NamedWindow,
} from "./ast.js";
import { MAX_COLUMN, Parser, checkSortTerms, pop, push, sqlError } from "./parser.js";
import { parseExpr, parseExprList, parseSortList, parseWindow, startsSelect } from "./parse-expr.js";

/** SQLITE_MAX_COMPOUND_SELECT */
const MAX_COMPOUND_SELECT = 500;

/** select ::= [WITH [RECURSIVE] wqlist] selectnowith */
export function parseSelect(p: Parser): SelectStmt {
  const start = p.start;
  // Its own expression bookkeeping (parser.ts invariant 5): p.selH ends as the tallest
  // expression of its clauses (SQLite's heightOfSelect), the enclosing one's restored.
  // Nested in an expression, it is a scope of its own for the resolve-time check.
  const outerSelH = p.selH;
  const outerNest = p.exprNest;
  const outerScope = p.hScope;
  const outerExpr = p.hExpr;
  if (outerNest > 0 && outerExpr !== null) {
    const scope = { exprs: [] };
    outerExpr.subs.push(scope);
    p.hScope = scope;
  }
  p.hExpr = null;
  p.selH = 0;
  p.exprNest = 0;
  const withClause = p.k() === "WITH" ? parseWith(p) : null;
  const stmt = parseSelectBody(p, withClause, start);
  p.selectH = p.selH;
  p.selH = outerSelH;
  p.exprNest = outerNest;
  p.hScope = outerScope;
  p.hExpr = outerExpr;
  return stmt;
}

/** selectnowith ::= oneselect (multiselect_op oneselect)* — after an optional WITH. */
export function parseSelectBody(p: Parser, withClause: WithClause | null, start: number): SelectStmt {
  const arms: { op: CompoundOperator | null; select: SelectCore | ValuesClause; orderBy: OrderingTerm[] | null; limit: LimitClause | null }[] = [];
  let op: CompoundOperator | null = null;
  for (;;) {
    const one = parseOneSelect(p);
    arms.push({ op, ...one });
    const k = p.k();
    if (k === "UNION") {
      p.pos++;
      op = p.eat("ALL") ? "UNION ALL" : "UNION";
    } else if (k === "EXCEPT") {
      p.pos++;
      op = "EXCEPT";
    } else if (k === "INTERSECT") {
      p.pos++;
      op = "INTERSECT";
    } else {
      break;
    }
  }
  // parserDoubleLinkSelect: ORDER BY / LIMIT only on the last arm; at most 500 arms.
  for (let i = arms.length - 2; i >= 0; i--) {
    const a = arms[i];
    if (a.orderBy !== null || a.limit !== null) {
      throw sqlError(`${a.orderBy !== null ? "ORDER BY" : "LIMIT"} clause should come after ${arms[i + 1].op} not before`);
    }
  }
  const last = arms[arms.length - 1];
  if (arms.length > MAX_COMPOUND_SELECT && last.select.kind !== "values") throw sqlError("too many terms in compound SELECT");
  const compounds: CompoundPart[] = [];
  for (let i = 1; i < arms.length; i++) compounds.push({ op: arms[i].op as CompoundOperator, select: arms[i].select });
  return {
    kind: "select", with: withClause, first: arms[0].select, compounds, orderBy: last.orderBy, limit: last.limit,
    start, end: p.lastEnd,
  };
}

/** WITH [RECURSIVE] wqitem (COMMA wqitem)* ; wqitem ::= nm eidlist_opt AS [[NOT] MATERIALIZED] LP select RP */
export function parseWith(p: Parser): WithClause {
  const start = p.start;
  p.expect("WITH");
  const recursive = p.eat("RECURSIVE");
  const ctes: CommonTableExpr[] = [];
  do {
    const s = p.start;
    const name = p.nm();
    const columns = p.k() === "LP" ? parseEidList(p) : null;
    p.expect("AS");
    let materialized: boolean | null = null;
    if (p.eat("MATERIALIZED")) materialized = true;
    else if (p.eat("NOT")) {
      p.expect("MATERIALIZED");
      materialized = false;
    }
    p.expect("LP");
    const select = parseSelect(p);
    p.expect("RP");
    ctes.push({ kind: "cte", name, columns, materialized, select, start: s, end: p.lastEnd });
  } while (p.eat("COMMA"));
  return { kind: "with", recursive, ctes, start, end: p.lastEnd };
}

/**
 * eidlist ::= LP nm [COLLATE ids] [ASC|DESC] (COMMA ...)* RP
 * The COLLATE and ASC/DESC are parsed and refused, as SQLite does outside old schemas.
 */
export function parseEidList(p: Parser): string[] {
  p.expect("LP");
  const names: string[] = [];
  do {
    const raw = p.text();
    names.push(p.nm());
    let extra = false;
    if (p.eat("COLLATE")) {
      p.ids();
      extra = true;
    }
    if (p.eat("ASC") || p.eat("DESC")) extra = true;
    if (extra) throw sqlError(`syntax error after column name "${raw}"`);
  } while (p.eat("COMMA"));
  p.expect("RP");
  return names;
}

/** idlist ::= nm (COMMA nm)*  (inside parentheses that the caller handles) */
export function parseIdList(p: Parser): string[] {
  const names = [p.nm()];
  while (p.eat("COMMA")) names.push(p.nm());
  return names;
}

/**
 * oneselect ::= SELECT [DISTINCT|ALL] selcollist [FROM seltablist] [WHERE expr]
 *               [GROUP BY nexprlist] [HAVING expr] [WINDOW windowdefn_list]
 *               [ORDER BY sortlist] [LIMIT expr [(OFFSET|COMMA) expr]]
 *             | VALUES LP nexprlist RP (COMMA LP nexprlist RP)*
 */
function parseOneSelect(p: Parser): { select: SelectCore | ValuesClause; orderBy: OrderingTerm[] | null; limit: LimitClause | null } {
  const start = p.start;
  if (p.eat("VALUES")) {
    const rows: Expr[][] = [];
    do {
      p.expect("LP");
      push(p, 2);
      const row = parseExprList(p);
      pop(p, 2);
      p.expect("RP");
      if (rows.length > 0 && row.length !== rows[0].length) throw sqlError("all VALUES must have the same number of terms");
      rows.push(row);
    } while (p.eat("COMMA"));
    return { select: { kind: "values", rows, start, end: p.lastEnd }, orderBy: null, limit: null };
  }
  p.expect("SELECT");
  let distinct: "DISTINCT" | "ALL" | null = null;
  if (p.eat("DISTINCT")) distinct = "DISTINCT";
  else if (p.eat("ALL")) distinct = "ALL";
  // Symbols pending in each clause (parser.ts invariant 5): SELECT distinct sclp scanpt
  // before a result column, SELECT distinct selcollist FROM before a table, ... WHERE.
  push(p, 4);
  const columns = parseResultColumns(p);
  const from = p.eat("FROM") ? parseFrom(p) : null;
  pop(p, 4);
  push(p, 5);
  const where = p.eat("WHERE") ? parseExpr(p) : null;
  pop(p, 5);
  let groupBy: Expr[] | null = null;
  push(p, 6);
  if (p.eat("GROUP")) {
    p.expect("BY");
    groupBy = parseExprList(p);
    if (groupBy.length > MAX_COLUMN) throw sqlError("too many terms in GROUP BY clause");
  }
  const having = p.eat("HAVING") ? parseExpr(p) : null;
  pop(p, 6);
  let windows: NamedWindow[] | null = null;
  if (p.eat("WINDOW")) {
    windows = [];
    do {
      const s = p.start;
      const name = p.nm();
      p.expect("AS");
      p.expect("LP");
      const window = parseWindow(p, p.lastEnd - 1);
      p.expect("RP");
      windows.push({ kind: "namedWindow", name, window: { ...window, end: p.lastEnd }, start: s, end: p.lastEnd });
    } while (p.eat("COMMA"));
  }
  const core: SelectCore = { kind: "selectCore", distinct, columns, from, where, groupBy, having, windows, start, end: p.lastEnd };
  const orderBy = parseOrderBy(p);
  const limit = parseLimit(p);
  return { select: core, orderBy, limit };
}

/** orderby_opt ::= [ORDER BY sortlist] */
export function parseOrderBy(p: Parser): OrderingTerm[] | null {
  if (!p.eat("ORDER")) return null;
  p.expect("BY");
  push(p, 5);
  const terms = parseSortList(p);
  pop(p, 5);
  checkSortTerms(terms);
  return terms;
}

/** limit_opt ::= [LIMIT expr [OFFSET expr | COMMA expr]] */
export function parseLimit(p: Parser): LimitClause | null {
  const start = p.start;
  if (!p.eat("LIMIT")) return null;
  push(p, 5);
  try {
    return limitBody(p, start);
  } finally {
    pop(p, 5);
  }
}

function limitBody(p: Parser, start: number): LimitClause {
  const first = parseExpr(p);
  if (p.eat("OFFSET")) return { kind: "limit", count: first, offset: parseExpr(p), start, end: p.lastEnd };
  if (p.eat("COMMA")) return { kind: "limit", count: parseExpr(p), offset: first, start, end: p.lastEnd };
  return { kind: "limit", count: first, offset: null, start, end: p.lastEnd };
}

/** selcollist ::= (expr [[AS] alias] | STAR | nm DOT STAR) (COMMA ...)* */
export function parseResultColumns(p: Parser): ResultColumn[] {
  const cols: ResultColumn[] = [];
  do {
    const start = p.start;
    if (p.eat("STAR")) {
      cols.push({ kind: "resultStar", table: null, start, end: p.lastEnd });
      continue;
    }
    if (p.isNm() && p.k(1) === "DOT" && p.k(2) === "STAR") {
      const table = p.nm();
      p.pos += 2;
      cols.push({ kind: "resultStar", table, start, end: p.lastEnd });
      continue;
    }
    const expr = parseExpr(p);
    const alias = parseAlias(p);
    cols.push({ kind: "resultExpr", expr, alias, start, end: p.lastEnd });
  } while (p.eat("COMMA"));
  return cols;
}

/** as ::= AS nm | ids | (nothing) */
function parseAlias(p: Parser): string | null {
  if (p.eat("AS")) return p.nm();
  if (p.isIds()) return p.ids();
  return null;
}

const FOLLOWS_FROM_TERM: ReadonlySet<string> = new Set([
  "COMMA", "JOIN", "JOIN_KW", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "RP", "SEMI", "EOF",
  "UNION", "EXCEPT", "INTERSECT", "RETURNING",
]);

/** from ::= seltablist — a table or subquery followed by joins. */
export function parseFrom(p: Parser): FromClause {
  const start = p.start;
  const first = parseTableSource(p);
  const joins: JoinClause[] = [];
  if (p.k() === "ON" || p.k() === "USING") {
    // SQLite raises this when it reduces the first term, i.e. at a token that may follow it.
    const what = p.k();
    parseJoinConstraint(p);
    if (!FOLLOWS_FROM_TERM.has(p.k())) p.fail();
    throw sqlError(`a JOIN clause is required before ${what}`);
  }
  for (;;) {
    const s = p.start;
    const operator = parseJoinOperator(p);
    if (operator === null) break;
    const table = parseTableSource(p);
    const { on, using } = parseJoinConstraint(p);
    joins.push({ kind: "join", operator, table, on, using, start: s, end: p.lastEnd });
  }
  return { kind: "from", first, joins, start, end: p.lastEnd };
}

function parseJoinConstraint(p: Parser): { on: Expr | null; using: string[] | null } {
  if (p.eat("ON")) return { on: parseExpr(p), using: null };
  if (p.eat("USING")) {
    p.expect("LP");
    const using = parseIdList(p);
    p.expect("RP");
    return { on: null, using };
  }
  return { on: null, using: null };
}

const JOIN_WORDS: Record<string, number> = { NATURAL: 1, LEFT: 2 | 16, INNER: 4, CROSS: 4 | 8, FULL: 2 | 32 | 16, OUTER: 16, RIGHT: 32 | 16 };
const J_NATURAL = 1, J_LEFT = 2, J_INNER = 4, J_CROSS = 8, J_OUTER = 16, J_RIGHT = 32;

/** joinop ::= COMMA | JOIN | JOIN_KW [nm [nm]] JOIN ; null when no join operator follows. */
function parseJoinOperator(p: Parser): JoinOperator | null {
  if (p.eat("COMMA")) return { natural: false, type: "comma", outer: false };
  if (p.eat("JOIN")) return { natural: false, type: "plain", outer: false };
  if (p.k() !== "JOIN_KW") return null;
  const words: string[] = [p.text()];
  const at = p.start;
  p.pos++;
  if (p.k() !== "JOIN") {
    words.push(p.text());
    p.nm();
    if (p.k() !== "JOIN") {
      words.push(p.text());
      p.nm();
    }
  }
  p.expect("JOIN");
  let bits = 0;
  let outerWord = false;
  let bad = false;
  for (const w of words) {
    const u = w.toUpperCase();
    const b = JOIN_WORDS[u];
    if (b === undefined) bad = true;
    else bits |= b;
    if (u === "OUTER") outerWord = true;
  }
  if (bad || (bits & (J_INNER | J_OUTER)) === (J_INNER | J_OUTER) || (bits & (J_OUTER | J_LEFT | J_RIGHT)) === J_OUTER) {
    throw sqlError(`unknown join type: ${words.join(" ")}`, at);
  }
  let type: JoinOperator["type"] = "plain";
  if (bits & J_CROSS) type = "CROSS";
  else if (bits & J_INNER) type = "INNER";
  else if ((bits & J_LEFT) && (bits & J_RIGHT)) type = "FULL";
  else if (bits & J_LEFT) type = "LEFT";
  else if (bits & J_RIGHT) type = "RIGHT";
  return { natural: (bits & J_NATURAL) !== 0, type, outer: outerWord };
}

/**
 * A table source:
 *   nm [DOT nm] [LP exprlist RP] [as] [INDEXED BY nm | NOT INDEXED]
 * | LP select RP [as]
 * | LP seltablist RP [as]
 */
function parseTableSource(p: Parser): TableSource {
  const start = p.start;
  if (p.eat("LP")) {
    push(p, 2); // stl_prefix LP
    if (startsSelect(p)) {
      const select = parseSelect(p);
      pop(p, 2);
      p.expect("RP");
      const alias = parseAlias(p);
      return { kind: "subquerySource", select, alias, start, end: p.lastEnd };
    }
    const from = parseFrom(p);
    pop(p, 2);
    p.expect("RP");
    const alias = parseAlias(p);
    return { kind: "nestedJoin", from, alias, start, end: p.lastEnd };
  }
  let schema: string | null = null;
  let name = p.nm();
  if (p.eat("DOT")) {
    schema = name;
    name = p.nm();
  }
  let args: Expr[] | null = null;
  if (p.eat("LP")) {
    args = p.k() === "RP" ? [] : parseExprList(p);
    p.expect("RP");
    const alias = parseAlias(p);
    return { kind: "tableRef", schema, name, args, alias, indexedBy: null, start, end: p.lastEnd };
  }
  const alias = parseAlias(p);
  const indexedBy = parseIndexedBy(p);
  return { kind: "tableRef", schema, name, args, alias, indexedBy, start, end: p.lastEnd };
}

/** indexed_opt ::= [INDEXED BY nm | NOT INDEXED]  (false means NOT INDEXED) */
export function parseIndexedBy(p: Parser): string | false | null {
  if (p.eat("INDEXED")) {
    p.expect("BY");
    return p.nm();
  }
  if (p.eat("NOT")) {
    p.expect("INDEXED");
    return false;
  }
  return null;
}
