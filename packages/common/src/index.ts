/*
 * @strata/common: what every layer shares. Result codes and SqliteError, varints, the
 * record format, text encodings, and SQLite's value ordering with its built-in
 * collations. Imports nothing. See ../README.md for where to start reading.
 */
export { RESULT_CODES, resultCodeName, primaryCode, errorString, type ResultCodeName } from "./result-codes.js";
export { SqliteError, isPrimary, corrupt } from "./sqlite-error.js";
export {
  getVarint, getVarint32, getVarintBig, lastVarintLen, varintLen, varintLastHi, varintLastLo,
  putVarint, putVarint32, varintSize,
} from "./varint.js";
export {
  TEXT_ENCODING_UTF8, TEXT_ENCODING_UTF16LE, TEXT_ENCODING_UTF16BE, type TextEncoding,
  encodeUtf8, encodeUtf8Into, utf8Length, decodeUtf8, decodeUtf16, encodeUtf16Into, utf16Length,
  decodeText, encodeTextInto, textLength, compareUtf16CodePoints,
} from "./utf.js";
export {
  Real, real, type SqlValue, type StorageClass, type RecordOptions,
  SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL,
  serialTypeLen, serialTypeClass, serialTypeOf, serialTypeOfInt,
  recordSize, encodeRecord, encodeRecordInto,
  readSerialInt, readSerialBigInt, intLastHi, intLastLo, getReal, putReal,
  RecordReader,
} from "./record.js";
export { type Collation, BINARY, NOCASE, RTRIM, memcmp, memcmpViews, createCollation, builtinCollation } from "./collation.js";
export {
  SORT_DESC, SORT_BIGNULL, type KeyInfo, makeKeyInfo,
  compareValues, compareRecords, compareRecordRanges, ParsedKey, compareRecordToParsed,
} from "./compare.js";
