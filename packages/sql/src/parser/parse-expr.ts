/*
 * Expressions: precedence climbing over SQLite's operator table
 * (https://sqlite.org/lang_expr.html#operators, the %left/%right lines of parse.y).
 *
 * Binding levels, loosest first (LEVEL below):
 *   1 OR   2 AND   3 NOT (prefix)
 *   4 = == != <> IS [NOT] IN LIKE GLOB REGEXP MATCH BETWEEN ISNULL NOTNULL NOT NULL
 *   5 < <= > >=   6 ESCAPE   7 & | << >>   8 + -   9 * / %   10 || -> ->>
 *   11 COLLATE (postfix)   12 - + ~ (prefix)
 * All binary operators associate to the left. A prefix operator's operand extends
 * over every operator that binds tighter than the prefix itself, whatever the
 * context (`a = NOT b = c` is `a = (NOT (b = c))`), as in SQLite's LALR parser.
 * The middle operand of BETWEEN takes any expression except a top-level AND, which
 * belongs to the BETWEEN (`x BETWEEN a OR b AND c` leaves the BETWEEN without AND).
 *
 * Every parse function leaves the height of the expression it returns in p.h (setHeight
 * refuses one taller than 1000), and brackets each nested operand with push/pop of the
 * symbols SQLite's parser keeps pending there (parser.ts invariant 5): an operator's
 * right operand 2 (`expr op`), a parenthesis 1, a function's first argument 3 and the
 * next ones 5, and so on, from the rules of parse.y.
 */
import type {
  Expr, FunctionCall, OrderingTerm, WindowDef, WindowName, Frame, FrameBound, TypeName, BinaryOperator, InExpr, CaseExpr,
} from "./ast.js";
import type { TokenKind } from "./keywords.js";
import { MAX_FUNCTION_ARG, Parser, checkSortTerms, dequote, pop, push, setHeight, sqlError, type HeightExpr } from "./parser.js";
import { parseSelect } from "./parse-select.js";

/** The binding level of a binary/postfix operator token, or 0 if it is none. */
function level(p: Parser, kind: TokenKind): number {
  switch (kind) {
    case "OR": return 1;
    case "AND": return 2;
    case "EQ": case "NE": case "IS": case "IN": case "LIKE_KW": case "MATCH": case "BETWEEN":
    case "ISNULL": case "NOTNULL":
      return 4;
    case "NOT": // after an operand, NOT can only start NOT IN/LIKE/MATCH/BETWEEN/NULL
      return 4;
    case "LT": case "LE": case "GT": case "GE": return 5;
    case "BITAND": case "BITOR": case "LSHIFT": case "RSHIFT": return 7;
    case "PLUS": case "MINUS": return 8;
    case "STAR": case "SLASH": case "REM": return 9;
    case "CONCAT": case "PTR": return 10;
    case "COLLATE": return 11;
    default: return 0;
  }
}

const SIMPLE_BINARY: Partial<Record<TokenKind, true>> = {
  OR: true, AND: true, EQ: true, NE: true, LT: true, LE: true, GT: true, GE: true, BITAND: true, BITOR: true,
  LSHIFT: true, RSHIFT: true, PLUS: true, MINUS: true, STAR: true, SLASH: true, REM: true, CONCAT: true, PTR: true,
};

/**
 * expr ::= expr binop expr | prefixop expr | expr postfix | term ...
 * Parses an expression whose operators bind at `minLevel` or tighter.
 */
export function parseExpr(p: Parser, minLevel = 1, noTopAnd = false): Expr {
  const top = p.exprNest === 0;
  let he: HeightExpr | null = null;
  const outerExpr = p.hExpr;
  if (top) {
    he = { h: 0, subs: [] };
    p.hScope.exprs.push(he);
    p.hExpr = he;
  }
  p.exprNest++;
  const start = p.start;
  let left = parsePrefix(p);
  let h = p.h;
  for (;;) {
    const kind = p.k();
    const lv = level(p, kind);
    if (lv === 0 || lv < minLevel || (noTopAnd && kind === "AND")) break;
    if (SIMPLE_BINARY[kind]) {
      const opText = p.text();
      p.pos++;
      const right = operand(p, 2, lv + 1);
      h = taller(p, h);
      const op = (kind === "OR" || kind === "AND" ? kind : opText) as BinaryOperator;
      left = { kind: "binary", op, left, right, start, end: p.lastEnd };
      continue;
    }
    switch (kind) {
      case "COLLATE": {
        p.pos++;
        const collation = p.ids();
        h = p.h = 1; // SQLite's TK_COLLATE node keeps the height of a leaf
        left = { kind: "collate", expr: left, collation, start, end: p.lastEnd };
        continue;
      }
      case "ISNULL": case "NOTNULL":
        p.pos++;
        setHeight(p, ++h);
        left = { kind: "postfixNull", op: kind, expr: left, start, end: p.lastEnd };
        continue;
      case "IS": {
        p.pos++;
        let op: BinaryOperator = "IS";
        if (p.eat("NOT")) {
          op = "IS NOT";
          if (p.eat("DISTINCT")) { p.expect("FROM"); op = "IS NOT DISTINCT FROM"; }
        } else if (p.eat("DISTINCT")) {
          p.expect("FROM");
          op = "IS DISTINCT FROM";
        }
        const right = operand(p, 2, 5);
        h = taller(p, h);
        left = { kind: "binary", op, left, right, start, end: p.lastEnd };
        continue;
      }
      default: break;
    }
    // NOT-able operators: [NOT] LIKE/GLOB/REGEXP/MATCH, BETWEEN, IN; NOT NULL.
    let not = false;
    if (kind === "NOT") {
      p.pos++;
      not = true;
      if (p.k() === "NULL") {
        p.pos++;
        setHeight(p, ++h);
        left = { kind: "postfixNull", op: "NOT NULL", expr: left, start, end: p.lastEnd };
        continue;
      }
    }
    const op = p.k();
    if (op === "LIKE_KW" || op === "MATCH") {
      const word = p.text().toUpperCase() as "LIKE" | "GLOB" | "REGEXP" | "MATCH";
      p.pos++;
      const right = operand(p, 2, 5);
      let hr = p.h;
      let escape: Expr | null = null;
      if (p.eat("ESCAPE")) {
        escape = operand(p, 4, 5);
        if (p.h > hr) hr = p.h;
      }
      p.h = hr;
      h = taller(p, h);
      if (not) setHeight(p, ++h); // NOT LIKE: a NOT node over the LIKE
      left = { kind: "like", op: word, not, left, right, escape, start, end: p.lastEnd };
    } else if (op === "BETWEEN") {
      p.pos++;
      push(p, 2);
      const low = parseExpr(p, 1, true);
      pop(p, 2);
      p.expect("AND");
      const high = operand(p, 4, 5);
      // SQLite sets the TK_BETWEEN node's height before it attaches the bounds.
      setHeight(p, ++h);
      if (not) setHeight(p, ++h);
      left = { kind: "between", not, expr: left, low, high, start, end: p.lastEnd };
    } else {
      p.expect("IN");
      const inExpr = parseInRhs(p, left, not, start);
      // `x IN (c)` with one constant c is SQLite's `x == +c` (an extra TK_UPLUS node).
      if (inExpr.rhs.kind === "list" && inExpr.rhs.items.length === 1 && left.kind !== "vector" && isConstant(inExpr.rhs.items[0])) p.h++;
      h = taller(p, h);
      if (not) setHeight(p, ++h);
      left = inExpr;
    }
  }
  p.exprNest--;
  p.h = h;
  if (he !== null) {
    he.h = h;
    p.hExpr = outerExpr;
    if (h > p.selH) p.selH = h;
  }
  return left;
}

/** sqlite3ExprIsConstant at parse time: no column, function or subquery in it. */
function isConstant(e: Expr): boolean {
  switch (e.kind) {
    case "literal": case "parameter": return true;
    case "binary": return isConstant(e.left) && isConstant(e.right);
    case "unary": return isConstant(e.operand);
    case "collate": case "postfixNull": return isConstant(e.expr);
    case "cast": return isConstant(e.expr);
    default: return false;
  }
}

/** An operand parsed with `w` symbols pending before it (its height left in p.h). */
function operand(p: Parser, w: number, minLevel: number): Expr {
  push(p, w);
  const e = parseExpr(p, minLevel);
  pop(p, w);
  return e;
}

/** The height of a node over an operand of height `h` and one of height p.h (set in p.h). */
function taller(p: Parser, h: number): number {
  setHeight(p, 1 + (h > p.h ? h : p.h));
  return p.h;
}

/** in_op ( LP exprlist RP | LP select RP | nm dbnm paren_exprlist ) */
function parseInRhs(p: Parser, left: Expr, not: boolean, start: number): InExpr {
  if (p.eat("LP")) {
    push(p, 3);
    if (startsSelect(p)) {
      const select = parseSubquerySelect(p);
      pop(p, 3);
      p.expect("RP");
      return { kind: "in", not, expr: left, rhs: { kind: "select", select }, start, end: p.lastEnd };
    }
    const items = p.k() === "RP" ? [] : parseExprList(p);
    if (items.length === 0) p.h = 0;
    pop(p, 3);
    p.expect("RP");
    return { kind: "in", not, expr: left, rhs: { kind: "list", items }, start, end: p.lastEnd };
  }
  // `x IN tbl` reads as `x IN (SELECT * FROM tbl)`: a nested scope with one leaf.
  p.h = 1;
  if (p.hExpr !== null) p.hExpr.subs.push({ exprs: [{ h: 1, subs: [] }] });
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
  }
  return { kind: "in", not, expr: left, rhs: { kind: "table", schema, name, args }, start, end: p.lastEnd };
}

/** True when the current token starts a SELECT (SELECT, VALUES or WITH). */
export function startsSelect(p: Parser): boolean {
  const k = p.k();
  return k === "SELECT" || k === "VALUES" || k === "WITH";
}

/** nexprlist ::= expr (COMMA expr)* ; p.h: the tallest item's height. */
export function parseExprList(p: Parser): Expr[] {
  const list = [parseExpr(p)];
  let h = p.h;
  while (p.eat("COMMA")) {
    list.push(operand(p, 2, 1)); // exprlist COMMA
    if (p.h > h) h = p.h;
  }
  p.h = h;
  return list;
}

/** A SELECT nested in an expression; its height (SQLite's heightOfSelect, the tallest
 *  expression of its clauses) is left in p.h. */
function parseSubquerySelect(p: Parser): import("./ast.js").SelectStmt {
  const select = parseSelect(p);
  p.h = p.selectH;
  return select;
}

/** Prefix operators (NOT, -, +, ~) and primaries. */
function parsePrefix(p: Parser): Expr {
  const start = p.start;
  switch (p.k()) {
    case "NOT": {
      p.pos++;
      const x = operand(p, 1, 3);
      setHeight(p, p.h + 1);
      return { kind: "unary", op: "NOT", operand: x, start, end: p.lastEnd };
    }
    case "MINUS": case "PLUS": case "BITNOT": {
      const op = p.text() as "-" | "+" | "~";
      p.pos++;
      const x = operand(p, 1, 12);
      setHeight(p, p.h + 1);
      return { kind: "unary", op, operand: x, start, end: p.lastEnd };
    }
    default:
      return parsePrimary(p);
  }
}

/** The number literal of an INTEGER, FLOAT or QNUMBER token (checking `_` separators). */
export function numberLiteral(p: Parser): Expr {
  const start = p.start;
  const kind = p.k();
  const text = p.text();
  p.pos++;
  let type: "integer" | "float" = kind === "FLOAT" ? "float" : "integer";
  if (kind === "QNUMBER") {
    const hex = text.length > 1 && text[0] === "0" && (text[1] === "x" || text[1] === "X");
    const ok = (c: string | undefined): boolean => c !== undefined && (hex ? /[0-9a-fA-F]/.test(c) : /[0-9]/.test(c));
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === "_") {
        if (!ok(text[i - 1]) || !ok(text[i + 1])) throw sqlError(`unrecognized token: "${text}"`, start);
      } else if (!hex && (c === "." || c === "e" || c === "E")) {
        type = "float";
      }
    }
  }
  return { kind: "literal", type, value: text, start, end: p.lastEnd };
}

/** term ::= NULL | INTEGER | FLOAT | QNUMBER | STRING | BLOB | CTIME_KW ; or null if not a term. */
export function parseTerm(p: Parser): Expr | null {
  const start = p.start;
  switch (p.k()) {
    case "NULL": p.pos++; return { kind: "literal", type: "null", value: "NULL", start, end: p.lastEnd };
    case "INTEGER": case "FLOAT": case "QNUMBER": return numberLiteral(p);
    case "STRING": {
      const value = dequote(p.text());
      p.pos++;
      return { kind: "literal", type: "string", value, start, end: p.lastEnd };
    }
    case "BLOB": {
      const t = p.text();
      p.pos++;
      return { kind: "literal", type: "blob", value: t.slice(2, -1), start, end: p.lastEnd };
    }
    case "CTIME_KW": {
      const w = p.text().toUpperCase();
      p.pos++;
      const type = w === "CURRENT_TIME" ? "currentTime" : w === "CURRENT_DATE" ? "currentDate" : "currentTimestamp";
      return { kind: "literal", type, value: w, start, end: p.lastEnd };
    }
    default: return null;
  }
}

function parsePrimary(p: Parser): Expr {
  const start = p.start;
  const kind = p.k();
  p.h = 1; // a leaf, unless a case below makes a node
  if (kind === "STRING" && p.k(1) === "DOT") return parseColumnRef(p);
  const term = parseTerm(p);
  if (term !== null) return term;
  switch (kind) {
    case "VARIABLE": {
      const name = p.text();
      if (name[0] === "#" && name.charCodeAt(1) >= 48 && name.charCodeAt(1) <= 57) p.fail();
      if (name[0] === "?" && name.length > 1) {
        const n = Number(name.slice(1));
        if (!(n >= 1 && n <= 32766)) throw sqlError("variable number must be between ?1 and ?32766");
      }
      p.pos++;
      return { kind: "parameter", name, start, end: p.lastEnd };
    }
    case "LP": {
      p.pos++;
      push(p, 1);
      if (startsSelect(p)) {
        const select = parseSubquerySelect(p);
        pop(p, 1);
        p.expect("RP");
        setHeight(p, p.h + 1);
        return { kind: "subquery", select, start, end: p.lastEnd };
      }
      const first = parseExpr(p);
      if (p.k() === "RP") {
        pop(p, 1);
        p.pos++;
        return first; // parentheses make no node: the height stays the operand's
      }
      const items = [first];
      while (p.eat("COMMA")) items.push(operand(p, 2, 1));
      pop(p, 1);
      p.expect("RP");
      p.h = 1; // SQLite's TK_VECTOR node does not count its list
      return { kind: "vector", items, start, end: p.lastEnd };
    }
    case "CAST": {
      p.pos++;
      p.expect("LP");
      const expr = operand(p, 2, 1);
      p.expect("AS");
      const h = p.h;
      const type = parseTypeName(p);
      p.expect("RP");
      setHeight(p, h + 1);
      return { kind: "cast", expr, type, start, end: p.lastEnd };
    }
    case "CASE": return parseCase(p);
    case "EXISTS": {
      p.pos++;
      p.expect("LP");
      push(p, 2);
      const select = parseSubquerySelect(p);
      pop(p, 2);
      p.expect("RP");
      setHeight(p, p.h + 1);
      return { kind: "exists", select, start, end: p.lastEnd };
    }
    case "RAISE": {
      p.pos++;
      p.expect("LP");
      if (p.eat("IGNORE")) {
        p.expect("RP");
        return { kind: "raise", action: "IGNORE", message: null, start, end: p.lastEnd };
      }
      const k = p.k();
      if (k !== "ROLLBACK" && k !== "ABORT" && k !== "FAIL") p.fail();
      p.pos++;
      p.expect("COMMA");
      const message = operand(p, 4, 1); // RAISE LP raisetype COMMA
      p.expect("RP");
      setHeight(p, p.h + 1);
      return { kind: "raise", action: k, message, start, end: p.lastEnd };
    }
    default:
      break;
  }
  // idj: a column name, a dotted name, or a function call.
  if (!(p.isId() || kind === "JOIN_KW")) p.fail();
  if (p.k(1) === "LP") return parseFunction(p);
  return parseColumnRef(p);
}

function quotingOf(text: string): "none" | "double" | "other" {
  const c = text.charCodeAt(0);
  return c === 34 ? "double" : c === 96 || c === 91 || c === 39 ? "other" : "none";
}

/** expr ::= idj | nm DOT nm | nm DOT nm DOT nm */
function parseColumnRef(p: Parser): Expr {
  const start = p.start;
  const names: string[] = [];
  let lastText = p.text();
  names.push(p.nm());
  while (names.length < 3 && p.k() === "DOT") {
    p.pos++;
    lastText = p.text();
    names.push(p.nm());
  }
  const column = names[names.length - 1];
  const table = names.length >= 2 ? names[names.length - 2] : null;
  const schema = names.length === 3 ? names[0] : null;
  return { kind: "column", schema, table, column, quoting: quotingOf(lastText), start, end: p.lastEnd };
}

/**
 * expr ::= idj LP distinct exprlist [ORDER BY sortlist] RP [filter_over]
 *        | idj LP STAR RP [filter_over]
 */
function parseFunction(p: Parser): FunctionCall {
  const start = p.start;
  const nameText = p.text();
  const name = dequote(nameText);
  p.pos += 2;
  let quantifier: "DISTINCT" | "ALL" | null = null;
  let h = 0;
  let args: Expr[] | "*";
  let orderBy: OrderingTerm[] | null = null;
  if (p.k() === "STAR") {
    p.pos++;
    args = "*";
  } else {
    if (p.eat("DISTINCT")) quantifier = "DISTINCT";
    else if (p.eat("ALL")) quantifier = "ALL";
    push(p, 3); // idj LP distinct
    args = p.k() === "RP" || p.k() === "ORDER" ? [] : parseExprList(p);
    pop(p, 3);
    if (args.length > MAX_FUNCTION_ARG) throw sqlError(`too many arguments on function ${nameText}`);
    if (args.length > 0) h = p.h;
    if (p.eat("ORDER")) {
      p.expect("BY");
      push(p, 5);
      orderBy = parseSortList(p);
      pop(p, 5);
      checkSortTerms(orderBy);
    }
  }
  p.expect("RP");
  let filter: Expr | null = null;
  if (p.k() === "FILTER") {
    p.pos++;
    p.expect("LP");
    p.expect("WHERE");
    push(p, 6);
    filter = parseExpr(p);
    pop(p, 6);
    p.expect("RP");
  }
  let over: WindowDef | WindowName | null = null;
  if (p.k() === "OVER") {
    p.pos++;
    if (p.k() === "LP") {
      p.pos++;
      over = parseWindow(p, p.lastEnd - 1);
      p.expect("RP");
      over = { ...over, end: p.lastEnd };
    } else {
      const s = p.start;
      over = { kind: "windowName", name: p.nm(), start: s, end: p.lastEnd };
    }
  }
  setHeight(p, h + 1); // SQLite counts the arguments (sqlite3ExprFunction)
  return { kind: "function", name, quantifier, args, orderBy, filter, over, start, end: p.lastEnd };
}

/** CASE [expr] (WHEN expr THEN expr)+ [ELSE expr] END */
function parseCase(p: Parser): CaseExpr {
  const start = p.start;
  p.pos++;
  let h = 0;
  const tallest = (): void => { if (p.h > h) h = p.h; };
  const caseOperand = p.k() === "WHEN" ? null : operand(p, 1, 1);
  if (caseOperand !== null) tallest();
  const whens: { when: Expr; then: Expr }[] = [];
  p.expect("WHEN");
  let w = 3; // CASE case_operand WHEN; later WHENs also have case_exprlist pending
  do {
    const when = operand(p, w, 1);
    tallest();
    p.expect("THEN");
    whens.push({ when, then: operand(p, w + 2, 1) });
    tallest();
    w = 4;
  } while (p.eat("WHEN"));
  let elseExpr: Expr | null = null;
  if (p.eat("ELSE")) {
    elseExpr = operand(p, 4, 1);
    tallest();
  }
  p.expect("END");
  setHeight(p, h + 1);
  return { kind: "case", operand: caseOperand, whens, else: elseExpr, start, end: p.lastEnd };
}

/**
 * typetoken ::= [typename [LP signed RP | LP signed COMMA signed RP]]
 * typename ::= ids+ ; signed ::= [PLUS|MINUS] (INTEGER|FLOAT)
 * Returns null for the empty type. GENERATED ALWAYS AS ends a type (it starts a
 * constraint); otherwise GENERATED and ALWAYS are type words, as in SQLite.
 */
export function parseTypeName(p: Parser): TypeName | null {
  const endsType = (): boolean => !p.isIds() || (p.k() === "GENERATED" && p.k(1) === "ALWAYS" && p.k(2) === "AS");
  if (endsType()) return null;
  const start = p.start;
  const words: string[] = [];
  while (!endsType()) {
    words.push(p.text());
    p.pos++;
  }
  const args: string[] = [];
  if (p.eat("LP")) {
    args.push(parseSigned(p));
    if (p.eat("COMMA")) args.push(parseSigned(p));
    p.expect("RP");
  }
  return { kind: "typeName", name: words.join(" "), args, start, end: p.lastEnd };
}

/** signed ::= [PLUS|MINUS] number */
export function parseSigned(p: Parser): string {
  let sign = "";
  if (p.k() === "PLUS" || p.k() === "MINUS") {
    sign = p.text();
    p.pos++;
  }
  if (p.k() !== "INTEGER" && p.k() !== "FLOAT") p.fail();
  const t = p.text();
  p.pos++;
  return sign + t;
}

/** sortlist ::= expr [ASC|DESC] [NULLS FIRST|LAST] (COMMA ...)* */
export function parseSortList(p: Parser): OrderingTerm[] {
  const list: OrderingTerm[] = [];
  do {
    const start = p.start;
    const expr = parseExpr(p);
    let direction: "ASC" | "DESC" | null = null;
    if (p.eat("ASC")) direction = "ASC";
    else if (p.eat("DESC")) direction = "DESC";
    let nulls: "FIRST" | "LAST" | null = null;
    if (p.eat("NULLS")) {
      if (p.eat("FIRST")) nulls = "FIRST";
      else if (p.eat("LAST")) nulls = "LAST";
      else p.fail();
    }
    list.push({ kind: "orderingTerm", expr, direction, nulls, start, end: p.lastEnd });
  } while (p.eat("COMMA"));
  return list;
}

/**
 * window ::= [nm] [PARTITION BY nexprlist] [ORDER BY sortlist] [frame_opt]
 * (the body between the parentheses of OVER (...) or WINDOW w AS (...)).
 */
export function parseWindow(p: Parser, start: number): WindowDef {
  let base: string | null = null;
  const k = p.k();
  if (p.isNm() && k !== "PARTITION" && k !== "RANGE" && k !== "ROWS" && k !== "GROUPS") base = p.nm();
  let partitionBy: Expr[] | null = null;
  let orderBy: OrderingTerm[] | null = null;
  if (p.eat("PARTITION")) {
    p.expect("BY");
    partitionBy = parseExprList(p);
  }
  if (p.eat("ORDER")) {
    p.expect("BY");
    orderBy = parseSortList(p);
    checkSortTerms(orderBy);
  }
  let frame: Frame | null = null;
  const units = p.k();
  if (units === "RANGE" || units === "ROWS" || units === "GROUPS") frame = parseFrame(p);
  return { kind: "windowDef", base, partitionBy, orderBy, frame, start, end: p.lastEnd };
}

/** frame_opt ::= range_or_rows (frame_bound_s | BETWEEN frame_bound_s AND frame_bound_e) [EXCLUDE ...] */
function parseFrame(p: Parser): Frame {
  const start = p.start;
  const units = p.k() as "RANGE" | "ROWS" | "GROUPS";
  p.pos++;
  let first: FrameBound;
  let end: FrameBound | null = null;
  if (p.eat("BETWEEN")) {
    first = parseFrameBound(p, true);
    p.expect("AND");
    end = parseFrameBound(p, false);
  } else {
    first = parseFrameBound(p, true);
  }
  let exclude: Frame["exclude"] = null;
  if (p.eat("EXCLUDE")) {
    if (p.eat("NO")) { p.expect("OTHERS"); exclude = "NO OTHERS"; }
    else if (p.eat("CURRENT")) { p.expect("ROW"); exclude = "CURRENT ROW"; }
    else if (p.eat("GROUP")) exclude = "GROUP";
    else if (p.eat("TIES")) exclude = "TIES";
    else p.fail();
  }
  if (p.k() === "RP") {
    const s = first.type, e = end === null ? "CURRENT ROW" : end.type;
    if ((s === "CURRENT ROW" && e === "PRECEDING") || (s === "FOLLOWING" && (e === "PRECEDING" || e === "CURRENT ROW"))) {
      throw sqlError("unsupported frame specification");
    }
  }
  return { kind: "frame", units, from: first, to: end, exclude, start, end: p.lastEnd };
}

/** frame_bound ::= UNBOUNDED PRECEDING|FOLLOWING | expr PRECEDING|FOLLOWING | CURRENT ROW */
function parseFrameBound(p: Parser, isStart: boolean): FrameBound {
  const start = p.start;
  if (p.k() === "UNBOUNDED") {
    p.pos++;
    if (isStart) p.expect("PRECEDING");
    else p.expect("FOLLOWING");
    return { kind: "frameBound", type: isStart ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING", expr: null, start, end: p.lastEnd };
  }
  if (p.k() === "CURRENT") {
    p.pos++;
    p.expect("ROW");
    return { kind: "frameBound", type: "CURRENT ROW", expr: null, start, end: p.lastEnd };
  }
  const expr = parseExpr(p);
  let type: "PRECEDING" | "FOLLOWING";
  if (p.eat("PRECEDING")) type = "PRECEDING";
  else if (p.eat("FOLLOWING")) type = "FOLLOWING";
  else p.fail();
  return { kind: "frameBound", type, expr, start, end: p.lastEnd };
}
