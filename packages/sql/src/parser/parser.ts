/*
 * The parser's cursor over the token list, and the helpers every grammar file uses.
 *
 * The parser is hand-written recursive descent (statements, clauses) with precedence
 * climbing (expressions, parse-expr.ts). It accepts the language of SQLite's LALR(1)
 * grammar (src/parse.y) and, because error messages must be SQLite's, it must fail at
 * the same token SQLite fails at:
 *  1. An LR parser stops at the first token that cannot extend the text read so far
 *     into any valid statement. Every parse function here therefore consumes a token
 *     only when the grammar allows it at that point, and rejects the current token
 *     (never a token further ahead) with fail().
 *  2. fail() words the error by the token's kind: `near "X": syntax error` for a
 *     token, `unrecognized token: "X"` for an ILLEGAL token, `incomplete input` at the
 *     end of the text (where SQLite's parser sees its implied final `;`).
 *  3. Keywords in the %fallback list are identifiers wherever the keyword itself
 *     cannot be used (SQLite's parser tries the keyword first, then ID). Each parse
 *     function checks for the keyword readings first, then for a name.
 *  4. Errors SQLite raises from grammar actions while it parses (unknown table option,
 *     unknown join type, ORDER BY before UNION, ...) are raised at the point where
 *     SQLite's action runs, so the first error in the text is the one reported.
 *  5. Nesting limits are SQLite's. An expression taller than 1000 (SQLITE_MAX_EXPR_DEPTH;
 *     heights as SQLite's exprSetHeight counts them) fails with "Expression tree is too
 *     large (maximum depth 1000)" as the node is made (setHeight). SQLite's parser stack
 *     holds 2498 entries and overflows with "Recursion limit"; each construct that nests
 *     pushes the number of grammar symbols SQLite leaves pending there (a parenthesis 1, a
 *     function's first argument 3, a scalar subquery 5, a FROM subquery 6, ...: measured
 *     against SQLite 3.53, within a token or two at the innermost level), so nesting
 *     fails where SQLite's does instead of overflowing the JS stack. Then, as SQLite's
 *     name resolution does (pParse->nHeight), a SELECT nested in an expression counts
 *     the heights of the expressions around it: checkResolveDepth fails when a top-level
 *     expression's height plus those of its enclosing top-level expressions exceeds 1000
 *     (so 44 nested scalar subqueries fail). A SELECT in FROM or a CTE shares its
 *     enclosing SELECT's scope, as SQLite resolves it with the same nHeight.
 */
import { SqliteError } from "@strata/common";
import { FALLBACK_KINDS, type TokenKind } from "./keywords.js";
import type { TokenList } from "./tokenizer.js";

export class Parser {
  readonly src: string;
  readonly kinds: TokenKind[];
  readonly starts: number[];
  readonly ends: number[];
  pos = 0;
  /** Inside a CREATE TRIGGER body (RETURNING and INDEXED BY are refused there). */
  inTrigger = false;
  /** Height of the expression the last expression parse function returned (SQLite's
   *  Expr.nHeight: a leaf is 1, a node 1 + its tallest operand; parentheses add none). */
  h = 0;
  /** The tallest top-level expression of the SELECT being parsed (heightOfSelect). */
  selH = 0;
  /** The height of the last SELECT parsed (heightOfSelect), set by parseSelect. */
  selectH = 0;
  /** Expression parse functions active (0: the next parseExpr is a clause's own). */
  exprNest = 0;
  /** Resolve-time depth accounting (invariant 5): the scope whose top-level expressions
   *  are being parsed (the statement's, or a SELECT's nested in an expression), and the
   *  top-level expression being parsed in it. */
  hScope: HeightScope = { exprs: [] };
  hExpr: HeightExpr | null = null;
  /** Symbols pending on SQLite's LALR parser stack at this point, as modelled by the
   *  parse functions' push/pop calls (invariant 5). */
  stack = 0;

  constructor(readonly tokens: TokenList) {
    this.src = tokens.source;
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
  }

  /** The kind of the token `ahead` places after the current one (EOF past the end). */
  k(ahead = 0): TokenKind {
    const i = this.pos + ahead;
    return i < this.kinds.length ? this.kinds[i] : "EOF";
  }
  /** The start offset of the current token. */
  get start(): number {
    return this.starts[this.pos];
  }
  /** The end offset of the last consumed token. */
  get lastEnd(): number {
    return this.pos > 0 ? this.ends[this.pos - 1] : 0;
  }
  /** The source text of the token `ahead` places after the current one. */
  text(ahead = 0): string {
    const i = this.pos + ahead;
    return this.src.slice(this.starts[i], this.ends[i]);
  }
  /** Consumes the current token if it is of `kind`. */
  eat(kind: TokenKind): boolean {
    if (this.kinds[this.pos] === kind) {
      this.pos++;
      return true;
    }
    return false;
  }
  /** Consumes a token of `kind` or fails at the current token. */
  expect(kind: TokenKind): void {
    if (this.kinds[this.pos] !== kind) this.fail();
    this.pos++;
  }
  /** Rejects the current token with SQLite's message for it. */
  fail(): never {
    const kind = this.kinds[this.pos];
    if (kind === "EOF") throw sqlError("incomplete input");
    if (kind === "ILLEGAL") throw sqlError(`unrecognized token: "${this.text()}"`, this.start);
    throw sqlError(`near "${this.text()}": syntax error`, this.start);
  }

  /** True when the token `ahead` is an `id` (ID, INDEXED, or a fallback keyword). */
  isId(ahead = 0): boolean {
    const kind = this.k(ahead);
    return kind === "ID" || kind === "INDEXED" || FALLBACK_KINDS.has(kind);
  }
  /** True when the token is an `ids` (ID or STRING, with fallback keywords). */
  isIds(ahead = 0): boolean {
    const kind = this.k(ahead);
    return kind === "ID" || kind === "STRING" || FALLBACK_KINDS.has(kind);
  }
  /** True when the token is an `nm`: ID, INDEXED, JOIN_KW or STRING (or a fallback keyword). */
  isNm(ahead = 0): boolean {
    const kind = this.k(ahead);
    return kind === "ID" || kind === "STRING" || kind === "JOIN_KW" || kind === "INDEXED" || FALLBACK_KINDS.has(kind);
  }
  /** nm ::= ID | INDEXED | JOIN_KW | STRING  — returns the dequoted name. */
  nm(): string {
    if (!this.isNm()) this.fail();
    const t = this.text();
    this.pos++;
    return dequote(t);
  }
  /** ids ::= ID | STRING */
  ids(): string {
    if (!this.isIds()) this.fail();
    const t = this.text();
    this.pos++;
    return dequote(t);
  }
}

/**
 * A SqliteError with code SQLITE_ERROR; `offset` is where in the parsed text SQLite places
 * it (the token its message quotes: sqlite3_error_offset), -1 for none.
 */
export function sqlError(message: string, offset = -1): SqliteError {
  const e = new SqliteError("SQLITE_ERROR", message);
  e.offset = offset;
  return e;
}

/** SQLite's sqlite3Dequote: strips '..', "..", `..` (doubled quotes collapse) and [..]. */
export function dequote(text: string): string {
  const q = text.charCodeAt(0);
  if (q === 91) return text.slice(1, -1);
  if (q !== 39 && q !== 34 && q !== 96) return text;
  const quote = text[0];
  const body = text.slice(1, -1);
  return body.indexOf(quote) < 0 ? body : body.split(quote + quote).join(quote);
}

/** SQLITE_MAX_COLUMN: columns of a table, index, result set, SET list; terms of GROUP/ORDER BY. */
export const MAX_COLUMN = 2000;
/** SQLITE_MAX_FUNCTION_ARG. */
export const MAX_FUNCTION_ARG = 1000;

/** An ORDER BY list (of a SELECT, a window, an aggregate) longer than SQLITE_MAX_COLUMN. */
export function checkSortTerms(terms: readonly unknown[]): void {
  if (terms.length > MAX_COLUMN) throw sqlError("too many terms in ORDER BY clause");
}

/** SQLITE_MAX_EXPR_DEPTH. */
export const MAX_EXPR_DEPTH = 1000;
/** Entries of SQLite's parser stack (invariant 5). */
const PARSER_STACK = 2498;

/** Records `h` as the height of the expression just made (invariant 5). */
export function setHeight(p: Parser, h: number): void {
  if (h > MAX_EXPR_DEPTH) throw sqlError(`Expression tree is too large (maximum depth ${MAX_EXPR_DEPTH})`);
  p.h = h;
}

/** `w` grammar symbols become pending (invariant 5); pop(p, w) when the construct ends. */
export function push(p: Parser, w: number): void {
  p.stack += w;
  if (p.stack >= PARSER_STACK) throw sqlError("Recursion limit");
}
export function pop(p: Parser, w: number): void {
  p.stack -= w;
}

/** A scope of top-level expressions for the resolve-time depth check (invariant 5). */
export interface HeightScope {
  readonly exprs: HeightExpr[];
}
/** A top-level expression's height and the scopes of the SELECTs nested in it. */
export interface HeightExpr {
  h: number;
  readonly subs: HeightScope[];
}

/** SQLite's sqlite3ResolveExprNames depth check over a statement's scopes (invariant 5). */
export function checkResolveDepth(scope: HeightScope, acc: number): void {
  for (const e of scope.exprs) {
    if (e.h + acc > MAX_EXPR_DEPTH) throw sqlError(`Expression tree is too large (maximum depth ${MAX_EXPR_DEPTH})`);
    for (const s of e.subs) checkResolveDepth(s, acc + e.h);
  }
}
