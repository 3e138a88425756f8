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

// The engine: connection and statement API (C-API-like), the VDBE and its opcode table.
export { Connection, type ConnectionOptions, type PrepareResult } from "./engine/connection.js";
export { Statement as PreparedStatement, SQLITE_ROW, SQLITE_DONE, type BindValue } from "./engine/statement.js";
export { OPCODES, Op, type OpcodeInfo, type OpName } from "./vdbe/opcodes.js";

// For the driver (@strata/database may import sql, txn, vfs and cipher, not common or
// pager): the error class, storage classes, the direct-file page store behind `:memory:`,
// and the user-function calling interface.
export { SqliteError, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL } from "@strata/common";
export { DirectFileStore, type PageStore } from "@strata/pager";
export {
  FUNC_DETERMINISTIC, FUNC_WINDOW_INVERSE, type AggregateState, type FuncArgs, type FuncContext,
} from "./func/api.js";

// The built-in function library (its calling interface, registry and a plain-value
// adapter), and SQLite's value conversions (REAL <-> text, affinities, CAST), which the
// driver and the shell reuse so every layer renders values as SQLite 3.53 does.
export * from "./func/api.js";
export { createRegistry, type FunctionRegistry } from "./func/registry.js";
export { callScalar, runAggregate } from "./func/adapter.js";
export { realToText, realToSqlLiteral } from "./value/real-to-text.js";
export { parseReal, parseInt64, textToReal, textToInt, numericAffinity, textToNumeric } from "./value/text-to-number.js";
export * from "./value/cast.js";
