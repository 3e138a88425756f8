// Byte strings and the sqlite3 shell's value renderings.
//
// The sqlite3 shell is C: it measures, pads, quotes and prints BYTES, and a value with a
// NUL in it ends at the NUL wherever the shell uses "%s". To be byte-for-byte equal, the
// whole output path here works on "byte strings": JavaScript strings holding one byte per
// char (code units 0..255, what Buffer's "latin1" encoding reads and writes). Text from
// the engine is UTF-8-encoded into a byte string once (`utf8Bytes`); everything after
// that is the shell's C logic over bytes, and the sink writes the bytes unchanged.
//
// The renderings (each named after the shell.c.in routine whose output it reproduces):
//   cellText         sqlite3_column_text as "%s" prints it (ends at a NUL)
//   quotedString     output_quoted_string          ('it''s')
//   quotedEscaped    output_quoted_escaped_string  (replace('a\nb','\n',char(10)))
//   hexBlob          output_hex_blob               (X'00ff')
//   jsonString       output_json_string            ("a\"b\u0001")
//   cString          output_c_string               ("\t|\n")
//   realLiteral      the "%!.20g" / 1e999 rendering of quote, insert, json and .dump
import type { ShellConnection, ShellValue } from "./connection.js";

const encoder = new TextEncoder();

/** A JavaScript string as the byte string of its UTF-8. */
export function utf8Bytes(s: string): string {
  // Fast path: pure ASCII is already its own byte string.
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return bytesToBinary(encoder.encode(s));
}

/** A byte array as a byte string. */
export function bytesToBinary(b: Uint8Array): string {
  let out = "";
  for (let i = 0; i < b.length; i += 8192) {
    out += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  }
  return out;
}

/** A byte string holding UTF-8 as a JavaScript string. */
export function binaryToUtf8(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return new TextDecoder().decode(binaryToBytes(s));
}

/** A byte string as a byte array. */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** The prefix of a byte string before its first NUL, as C's "%s" sees it. */
export function cStr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** Number of characters in a UTF-8 byte string (strlenChar: bytes that are not 10xxxxxx). */
export function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xc0) !== 0x80) n++;
  return n;
}

/** sqlite3_column_text of a value as a byte string (the full value, NULs included); null for NULL. */
export function columnText(v: ShellValue, conn: ShellConnection): string | null {
  if (v === null) return null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return utf8Bytes(conn.realToText(v));
  if (typeof v === "string") return utf8Bytes(v);
  return bytesToBinary(v);
}

/** A cell as the shell's "%s" prints it: text up to a NUL; `nullValue` for NULL. */
export function cellText(v: ShellValue, conn: ShellConnection, nullValue: string): string {
  const t = columnText(v, conn);
  return t === null ? nullValue : cStr(t);
}

/** output_quoted_string: 'text' with quotes doubled. */
export function quotedString(z: string): string {
  return "'" + z.replace(/'/g, "''") + "'";
}

/** A string guaranteed not to occur in z (unused_string). */
function unusedString(z: string, a: string, b: string): string {
  if (!z.includes(a)) return a;
  if (!z.includes(b)) return b;
  for (let i = 0; ; i++) {
    const candidate = `(${a}${i})`;
    if (!z.includes(candidate)) return candidate;
  }
}

/** output_quoted_escaped_string: like quotedString, with newlines and CRs spelled out. */
export function quotedEscaped(z: string): string {
  if (!/[\n\r]/.test(z)) return quotedString(z);
  const hasNL = z.includes("\n");
  const hasCR = z.includes("\r");
  const nl = hasNL ? unusedString(z, "\\n", "\\012") : "";
  const cr = hasCR ? unusedString(z, "\\r", "\\015") : "";
  let out = (hasNL ? "replace(" : "") + (hasCR ? "replace(" : "") + "'";
  for (const c of z) {
    if (c === "'") out += "''";
    else if (c === "\n") out += nl;
    else if (c === "\r") out += cr;
    else out += c;
  }
  out += "'";
  if (hasCR) out += `,'${cr}',char(13))`;
  if (hasNL) out += `,'${nl}',char(10))`;
  return out;
}

/** output_hex_blob: X'...' in lowercase hex. */
export function hexBlob(b: Uint8Array): string {
  let out = "X'";
  for (const x of b) out += x.toString(16).padStart(2, "0");
  return out + "'";
}

/** output_json_string over a byte string. */
export function jsonString(z: string): string {
  let out = '"';
  for (let i = 0; i < z.length; i++) {
    const c = z.charCodeAt(i);
    if (c === 0x5c || c === 0x22) out += "\\" + z[i];
    else if (c <= 0x1f) {
      if (c === 8) out += "\\b";
      else if (c === 12) out += "\\f";
      else if (c === 10) out += "\\n";
      else if (c === 13) out += "\\r";
      else if (c === 9) out += "\\t";
      else out += "\\u" + c.toString(16).padStart(4, "0");
    } else out += z[i];
  }
  return out + '"';
}

/** output_c_string: a double-quoted C literal with \\ \" \t \n \r and octal escapes. */
export function cString(z: string): string {
  let out = '"';
  for (let i = 0; i < z.length; i++) {
    const ch = z[i];
    const c = z.charCodeAt(i);
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c >= 0x7f) out += "\\" + c.toString(8).padStart(3, "0");
    else out += ch;
  }
  return out + '"';
}

/** A REAL in quote/insert/json/.dump: "%!.20g", with ±Inf as ±1e999 when `infAs1e999`. */
export function realLiteral(r: number, conn: ShellConnection, infAs1e999: boolean): string {
  if (infAs1e999 && r === Infinity) return "1e999";
  if (infAs1e999 && r === -Infinity) return "-1e999";
  return conn.realToLiteral(r);
}

/** SQLite's keywords (sqlite3_keyword_check), for quoting names (quoteChar). */
const KEYWORDS = new Set(
  ("ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN " +
    "BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS " +
    "CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED " +
    "DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS " +
    "EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING " +
    "IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL " +
    "JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF " +
    "OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE " +
    "RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK " +
    "ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED " +
    "UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT").split(" "),
);

/** quoteChar: true when a name must be double-quoted to be read back as itself. */
export function needsQuote(name: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return true;
  return KEYWORDS.has(name.toUpperCase());
}

/** A name double-quoted with "%w" when it needs it (appendText with quoteChar). */
export function quoteName(name: string): string {
  return needsQuote(name) ? '"' + name.replace(/"/g, '""') + '"' : name;
}

/** A name always double-quoted ("%w"). */
export function dquote(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** sqlite3_mprintf("%Q"): 'text' with quotes doubled, or NULL. */
export function sqlQuote(s: string | null): string {
  return s === null ? "NULL" : quotedString(s);
}
