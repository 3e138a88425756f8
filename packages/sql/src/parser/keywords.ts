/*
 * SQLite's keywords: the one table. Every keyword the tokenizer recognises, the token
 * kind it produces, and whether it may fall back to an identifier when the grammar
 * cannot use it as a keyword (the `%fallback ID` list of SQLite's parse.y).
 *
 * Facts from SQLite (tool/mkkeywordhash.c, src/parse.y, https://sqlite.org/lang_keywords.html):
 *  - 147 keywords; TEMP and TEMPORARY are one token; LIKE, GLOB and REGEXP are one
 *    token class (LIKE_KW); CROSS FULL INNER LEFT NATURAL OUTER RIGHT are JOIN_KW;
 *    CURRENT_DATE/TIME/TIMESTAMP are CTIME_KW.
 *  - TRUE and FALSE are not keywords: they are identifiers that name-resolution turns
 *    into constants.
 *  - WINDOW, OVER and FILTER are keywords only in the contexts that the tokenizer
 *    checks (see tokenizer.ts); elsewhere they are identifiers.
 *
 * Invariants:
 *  1. KEYWORDS is the only list of keyword spellings; the tokenizer's lookup table is
 *     built from it when this module loads.
 *  2. Every keyword's token kind is its own spelling in upper case, except for the
 *     grouped classes named above.
 */

/** A token kind: a keyword's spelling (or class), or one of the punctuation/literal kinds. */
export type TokenKind =
  | KeywordKind
  | "ID" | "STRING" | "INTEGER" | "FLOAT" | "QNUMBER" | "BLOB" | "VARIABLE"
  | "LP" | "RP" | "SEMI" | "COMMA" | "DOT" | "PLUS" | "MINUS" | "STAR" | "SLASH" | "REM"
  | "EQ" | "NE" | "LT" | "LE" | "GT" | "GE" | "BITAND" | "BITOR" | "BITNOT"
  | "LSHIFT" | "RSHIFT" | "CONCAT" | "PTR"
  | "ILLEGAL" | "EOF";

/** [spelling, token kind, falls back to ID] */
const KEYWORD_TABLE = [
  ["ABORT", "ABORT", true], ["ACTION", "ACTION", true], ["ADD", "ADD", false],
  ["AFTER", "AFTER", true], ["ALL", "ALL", false], ["ALTER", "ALTER", false],
  ["ALWAYS", "ALWAYS", true], ["ANALYZE", "ANALYZE", true], ["AND", "AND", false],
  ["AS", "AS", false], ["ASC", "ASC", true], ["ATTACH", "ATTACH", true],
  ["AUTOINCREMENT", "AUTOINCR", false], ["BEFORE", "BEFORE", true], ["BEGIN", "BEGIN", true],
  ["BETWEEN", "BETWEEN", false], ["BY", "BY", true], ["CASCADE", "CASCADE", true],
  ["CASE", "CASE", false], ["CAST", "CAST", true], ["CHECK", "CHECK", false],
  ["COLLATE", "COLLATE", false], ["COLUMN", "COLUMNKW", true], ["COMMIT", "COMMIT", false],
  ["CONFLICT", "CONFLICT", true], ["CONSTRAINT", "CONSTRAINT", false], ["CREATE", "CREATE", false],
  ["CROSS", "JOIN_KW", false], ["CURRENT", "CURRENT", true], ["CURRENT_DATE", "CTIME_KW", true],
  ["CURRENT_TIME", "CTIME_KW", true], ["CURRENT_TIMESTAMP", "CTIME_KW", true],
  ["DATABASE", "DATABASE", true], ["DEFAULT", "DEFAULT", false], ["DEFERRABLE", "DEFERRABLE", false],
  ["DEFERRED", "DEFERRED", true], ["DELETE", "DELETE", false], ["DESC", "DESC", true],
  ["DETACH", "DETACH", true], ["DISTINCT", "DISTINCT", false], ["DO", "DO", true],
  ["DROP", "DROP", false], ["EACH", "EACH", true], ["ELSE", "ELSE", false], ["END", "END", true],
  ["ESCAPE", "ESCAPE", false], ["EXCEPT", "EXCEPT", false], ["EXCLUDE", "EXCLUDE", true],
  ["EXCLUSIVE", "EXCLUSIVE", true], ["EXISTS", "EXISTS", false], ["EXPLAIN", "EXPLAIN", true],
  ["FAIL", "FAIL", true], ["FILTER", "FILTER", false], ["FIRST", "FIRST", true],
  ["FOLLOWING", "FOLLOWING", true], ["FOR", "FOR", true], ["FOREIGN", "FOREIGN", false],
  ["FROM", "FROM", false], ["FULL", "JOIN_KW", false], ["GENERATED", "GENERATED", true],
  ["GLOB", "LIKE_KW", true], ["GROUP", "GROUP", false], ["GROUPS", "GROUPS", true],
  ["HAVING", "HAVING", false], ["IF", "IF", true], ["IGNORE", "IGNORE", true],
  ["IMMEDIATE", "IMMEDIATE", true], ["IN", "IN", false], ["INDEX", "INDEX", false],
  ["INDEXED", "INDEXED", false], ["INITIALLY", "INITIALLY", true], ["INNER", "JOIN_KW", false],
  ["INSERT", "INSERT", false], ["INSTEAD", "INSTEAD", true], ["INTERSECT", "INTERSECT", false],
  ["INTO", "INTO", false], ["IS", "IS", false], ["ISNULL", "ISNULL", false], ["JOIN", "JOIN", false],
  ["KEY", "KEY", true], ["LAST", "LAST", true], ["LEFT", "JOIN_KW", false],
  ["LIKE", "LIKE_KW", true], ["LIMIT", "LIMIT", false], ["MATCH", "MATCH", true],
  ["MATERIALIZED", "MATERIALIZED", true], ["NATURAL", "JOIN_KW", false], ["NO", "NO", true],
  ["NOT", "NOT", false], ["NOTHING", "NOTHING", false], ["NOTNULL", "NOTNULL", false],
  ["NULL", "NULL", false], ["NULLS", "NULLS", true], ["OF", "OF", true], ["OFFSET", "OFFSET", true],
  ["ON", "ON", false], ["OR", "OR", false], ["ORDER", "ORDER", false], ["OTHERS", "OTHERS", true],
  ["OUTER", "JOIN_KW", false], ["OVER", "OVER", false], ["PARTITION", "PARTITION", true],
  ["PLAN", "PLAN", true], ["PRAGMA", "PRAGMA", true], ["PRECEDING", "PRECEDING", true],
  ["PRIMARY", "PRIMARY", false], ["QUERY", "QUERY", true], ["RAISE", "RAISE", true],
  ["RANGE", "RANGE", true], ["RECURSIVE", "RECURSIVE", true], ["REFERENCES", "REFERENCES", false],
  ["REGEXP", "LIKE_KW", true], ["REINDEX", "REINDEX", true], ["RELEASE", "RELEASE", true],
  ["RENAME", "RENAME", true], ["REPLACE", "REPLACE", true], ["RESTRICT", "RESTRICT", true],
  ["RETURNING", "RETURNING", false], ["RIGHT", "JOIN_KW", false], ["ROLLBACK", "ROLLBACK", true],
  ["ROW", "ROW", true], ["ROWS", "ROWS", true], ["SAVEPOINT", "SAVEPOINT", true],
  ["SELECT", "SELECT", false], ["SET", "SET", false], ["TABLE", "TABLE", false],
  ["TEMP", "TEMP", true], ["TEMPORARY", "TEMP", true], ["THEN", "THEN", false],
  ["TIES", "TIES", true], ["TO", "TO", false], ["TRANSACTION", "TRANSACTION", false],
  ["TRIGGER", "TRIGGER", true], ["UNBOUNDED", "UNBOUNDED", true], ["UNION", "UNION", false],
  ["UNIQUE", "UNIQUE", false], ["UPDATE", "UPDATE", false], ["USING", "USING", false],
  ["VACUUM", "VACUUM", true], ["VALUES", "VALUES", false], ["VIEW", "VIEW", true],
  ["VIRTUAL", "VIRTUAL", true], ["WHEN", "WHEN", false], ["WHERE", "WHERE", false],
  ["WINDOW", "WINDOW", false], ["WITH", "WITH", true], ["WITHOUT", "WITHOUT", true],
] as const;

/** The token kind of a keyword. */
export type KeywordKind = (typeof KEYWORD_TABLE)[number][1];

export interface Keyword {
  readonly spelling: string;
  readonly kind: KeywordKind;
  /** True when the keyword becomes an identifier where the grammar has no use for it. */
  readonly fallback: boolean;
}

/** Every keyword, in alphabetical order. */
export const KEYWORDS: readonly Keyword[] = KEYWORD_TABLE.map(([spelling, kind, fallback]) => ({ spelling, kind, fallback }));

/** Token kinds that fall back to ID (computed from KEYWORDS). */
export const FALLBACK_KINDS: ReadonlySet<TokenKind> = new Set(KEYWORDS.filter((k) => k.fallback).map((k) => k.kind));

/**
 * The lookup table the tokenizer uses, generated from KEYWORDS: keywords bucketed by
 * length and first letter (upper case), so a candidate identifier is compared only
 * with the few keywords that could match, without making a substring.
 */
export const KEYWORD_BUCKETS: readonly (readonly Keyword[] | undefined)[] = (() => {
  const buckets: Keyword[][] = [];
  for (const k of KEYWORDS) {
    const slot = k.spelling.length * 32 + (k.spelling.charCodeAt(0) - 64);
    (buckets[slot] ??= []).push(k);
  }
  return buckets;
})();

/** The longest keyword's length. */
export const MAX_KEYWORD_LENGTH = Math.max(...KEYWORDS.map((k) => k.spelling.length));

/** True when `word` (any case) is a keyword. */
export function isKeyword(word: string): boolean {
  return lookupKeyword(word, 0, word.length) !== null;
}

/** The keyword spelled by `text[start, end)` in any ASCII case, or null. */
export function lookupKeyword(text: string, start: number, end: number): Keyword | null {
  const n = end - start;
  if (n < 2 || n > MAX_KEYWORD_LENGTH) return null;
  const c0 = text.charCodeAt(start) & ~0x20;
  if (c0 < 65 || c0 > 90) return null;
  const bucket = KEYWORD_BUCKETS[n * 32 + (c0 - 64)];
  if (bucket === undefined) return null;
  outer: for (let b = 0; b < bucket.length; b++) {
    const sp = bucket[b].spelling;
    for (let i = 1; i < n; i++) {
      const c = text.charCodeAt(start + i);
      const u = c >= 97 && c <= 122 ? c - 32 : c;
      if (u !== sp.charCodeAt(i)) continue outer;
    }
    return bucket[b];
  }
  return null;
}
