/*
 * @strata/common: what every layer shares. Result codes and SqliteError, varints, the
 * record format, and SQLite's value ordering with its built-in collations. Imports
 * nothing.
 */
export { RESULT_CODES, resultCodeName, primaryCode, errorString, type ResultCodeName } from "./result-codes.js";
export { SqliteError, isPrimary } from "./sqlite-error.js";
