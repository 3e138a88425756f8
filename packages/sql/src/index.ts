/*
 * @strata/sql: SQLite's SQL language for Strata. This change holds its front end: the
 * tokenizer, the parser to a typed AST, and the printer back to SQL. The planner, code
 * generator and VDBE will live here too. May import @strata/common, @strata/pager and
 * @strata/txn. See README.md.
 */
export { parse } from "./parser/parse-stmt.js";
export { tokenize, type Token } from "./parser/tokenizer.js";
export { print, printStatement, printExpr, quoteName, type PrintOptions } from "./parser/printer.js";
export { KEYWORDS, isKeyword, type Keyword, type TokenKind } from "./parser/keywords.js";
export { assertNever } from "./parser/ast.js";
export type * from "./parser/ast.js";
