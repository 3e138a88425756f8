/*
 * JSON values for the JSON functions (https://sqlite.org/json1.html, json.c): the parser
 * of JSON text (RFC 8259 plus the JSON5 extensions SQLite accepts, §3.1 "JSON5
 * Extensions"), a decoder of JSONB blobs (§3.6), and the renderers SQLite uses for text
 * output (minified, and json_pretty's indented form).
 *
 * A parsed document is a tree of JNode. Scalars keep their canonical RFC 8259 text
 * (`raw`): numbers as written, except that JSON5 forms are rewritten as SQLite rewrites
 * them (hex to decimal, "+1" -> "1", ".5" -> "0.5", "5." -> "5.0", Infinity -> 9e999, NaN
 * -> null); strings as their escaped body between double quotes, JSON5 escapes turned into
 * RFC ones. So minified output is the concatenation of raw texts, byte-exact with SQLite.
 *
 * Invariants:
 *  1. parseJson() accepts exactly what SQLite's json() accepts; `json5` reports whether a
 *     JSON5 extension was used (json_valid's flag 1 rejects those documents).
 *  2. On failure, parseJson() returns null and ERR.pos is the 0-based UTF-16 offset where
 *     SQLite's parser stops (json_error_position reports it 1-based in characters); text
 *     after a complete value reports the last empty-container close seen (or 0), as
 *     SQLite's stale error offset does.
 *  3. Nesting deeper than 1000 levels is an error, as in SQLite (JSON_MAX_DEPTH).
 */
import { decodeUtf8 } from "@strata/common";

export const J_NULL = 0;
export const J_TRUE = 1;
export const J_FALSE = 2;
export const J_INT = 3;
export const J_REAL = 4;
export const J_STRING = 5;
export const J_ARRAY = 6;
export const J_OBJECT = 7;

export class JNode {
  k: number;
  /** Scalar text: number text, or a string's escaped body (no quotes). */
  raw: string;
  /** Array items, or object values. */
  a: JNode[] | null;
  /** Object keys as escaped bodies (parallel to `a`). */
  keys: string[] | null;
  constructor(k: number, raw: string, a: JNode[] | null, keys: string[] | null) {
    this.k = k;
    this.raw = raw;
    this.a = a;
    this.keys = keys;
  }
}

export const NULL_NODE = new JNode(J_NULL, "null", null, null);
export const TRUE_NODE = new JNode(J_TRUE, "true", null, null);
export const FALSE_NODE = new JNode(J_FALSE, "false", null, null);

export function arrayNode(items: JNode[]): JNode {
  return new JNode(J_ARRAY, "", items, null);
}
export function objectNode(keys: string[], vals: JNode[]): JNode {
  return new JNode(J_OBJECT, "", vals, keys);
}

const MAX_DEPTH = 1000;

/** Where the last parse failed, and whether it used JSON5. */
export const ERR = { pos: 0, json5: false };

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isIdStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c >= 0x80;
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || isDigit(c);
}

class Parser {
  s = "";
  i = 0;
  json5 = false;
  /** The last ']' or '}' met where a value or key could start (SQLite's stale iErr). */
  lastClose = 0;

  fail(at: number): null {
    ERR.pos = at;
    return null;
  }

  /** Skips whitespace and (JSON5) comments; false on an unterminated comment. */
  ws(): boolean {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.i++;
        continue;
      }
      if (c === 0x2f) {
        const d = s.charCodeAt(this.i + 1);
        if (d === 0x2a) {
          const e = s.indexOf("*/", this.i + 2);
          if (e < 0) return false;
          this.json5 = true;
          this.i = e + 2;
          continue;
        }
        if (d === 0x2f) {
          let j = this.i + 2;
          while (j < s.length && s.charCodeAt(j) !== 0x0a) j++;
          this.json5 = true;
          this.i = j;
          continue;
        }
        return true;
      }
      if (c === 0x0b || c === 0x0c || c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000) {
        this.json5 = true;
        this.i++;
        continue;
      }
      return true;
    }
  }

  value(depth: number): JNode | null {
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    // SQLite counts containers: the 1001st nested array or object is malformed.
    if ((c === 0x7b || c === 0x5b) && depth >= MAX_DEPTH) return this.fail(this.i);
    switch (c) {
      case 0x7b: { // {
        this.i++;
        const keys: string[] = [];
        const vals: JNode[] = [];
        for (;;) {
          if (!this.ws()) return this.fail(this.i);
          const k = s.charCodeAt(this.i);
          if (k === 0x7d) {
            if (keys.length > 0) this.json5 = true; // trailing comma
            this.lastClose = this.i;
            this.i++;
            return objectNode(keys, vals);
          }
          let key: string;
          if (k === 0x22 || k === 0x27) {
            const r = this.string(k);
            if (r === null) return null;
            key = r;
          } else if (isIdStart(k)) {
            let j = this.i + 1;
            while (j < s.length && isIdChar(s.charCodeAt(j))) j++;
            const id = s.slice(this.i, j);
            if (id === "true" || id === "false" || id === "null") return this.fail(this.i); // a literal, not a label
            key = s.slice(this.i, j);
            this.json5 = true;
            this.i = j;
          } else {
            // SQLite parses a label as any value, then rejects it if it is not a string
            const at = this.i;
            if (k === 0x5d || k === 0x2c || k === 0x3a || this.value(depth + 1) !== null) return this.fail(at);
            return null;
          }
          if (!this.ws()) return this.fail(this.i);
          if (s.charCodeAt(this.i) !== 0x3a) return this.fail(this.i);
          this.i++;
          if (!this.ws()) return this.fail(this.i);
          const v = this.value(depth + 1);
          if (v === null) return null;
          keys.push(key);
          vals.push(v);
          if (!this.ws()) return this.fail(this.i);
          const d = s.charCodeAt(this.i);
          if (d === 0x2c) {
            this.i++;
            continue;
          }
          if (d === 0x7d) {
            this.i++;
            return objectNode(keys, vals);
          }
          return this.fail(this.i);
        }
      }
      case 0x5b: { // [
        this.i++;
        const items: JNode[] = [];
        for (;;) {
          if (!this.ws()) return this.fail(this.i);
          if (s.charCodeAt(this.i) === 0x5d) {
            if (items.length > 0) this.json5 = true;
            this.lastClose = this.i;
            this.i++;
            return arrayNode(items);
          }
          const v = this.value(depth + 1);
          if (v === null) return null;
          items.push(v);
          if (!this.ws()) return this.fail(this.i);
          const d = s.charCodeAt(this.i);
          if (d === 0x2c) {
            this.i++;
            continue;
          }
          if (d === 0x5d) {
            this.i++;
            return arrayNode(items);
          }
          return this.fail(this.i);
        }
      }
      case 0x22: case 0x27: {
        const r = this.string(c);
        return r === null ? null : new JNode(J_STRING, r, null, null);
      }
      default:
        break;
    }
    if (s.startsWith("null", start) && !isIdChar(s.charCodeAt(start + 4))) {
      this.i += 4;
      return NULL_NODE;
    }
    if (s.startsWith("true", start) && !isIdChar(s.charCodeAt(start + 4))) {
      this.i += 4;
      return TRUE_NODE;
    }
    if (s.startsWith("false", start) && !isIdChar(s.charCodeAt(start + 5))) {
      this.i += 5;
      return FALSE_NODE;
    }
    return this.number();
  }

  /** A number (JSON or JSON5) at this.i. */
  number(): JNode | null {
    const s = this.s;
    const start = this.i;
    let i = start;
    let sign = "";
    let c = s.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) {
      if (c === 0x2b) this.json5 = true;
      else sign = "-";
      i++;
      c = s.charCodeAt(i);
    }
    if (s.startsWith("Infinity", i) && !isIdChar(s.charCodeAt(i + 8))) {
      this.json5 = true;
      this.i = i + 8;
      return new JNode(J_REAL, sign + "9e999", null, null);
    }
    if (s.startsWith("NaN", i) && !isIdChar(s.charCodeAt(i + 3))) {
      this.json5 = true;
      this.i = i + 3;
      return NULL_NODE;
    }
    if (c === 0x30 && (s.charCodeAt(i + 1) | 0x20) === 0x78 && isHex(s.charCodeAt(i + 2))) {
      let j = i + 2;
      while (isHex(s.charCodeAt(j))) j++;
      this.json5 = true;
      this.i = j;
      const v = BigInt("0x" + s.slice(i + 2, j));
      return new JNode(J_INT, sign + v.toString(), null, null);
    }
    let intPart = "";
    let isReal = false;
    if (isDigit(c)) {
      let j = i;
      while (isDigit(s.charCodeAt(j))) j++;
      intPart = s.slice(i, j);
      if (intPart.length > 1 && intPart[0] === "0") return this.fail(sign !== "" ? i : i + 1);
      i = j;
    } else if (c !== 0x2e) return this.fail(start);
    let frac = "";
    let hadDot = false;
    if (s.charCodeAt(i) === 0x2e) {
      isReal = true;
      hadDot = true;
      let j = i + 1;
      while (isDigit(s.charCodeAt(j))) j++;
      frac = s.slice(i + 1, j);
      if (intPart === "" && frac === "") return this.fail(i);
      if (intPart === "" || frac === "") this.json5 = true;
      i = j;
    }
    let exp = "";
    c = s.charCodeAt(i);
    if (c === 0x65 || c === 0x45) {
      isReal = true;
      let j = i + 1;
      const d = s.charCodeAt(j);
      if (d === 0x2b || d === 0x2d) j++;
      if (!isDigit(s.charCodeAt(j))) return this.fail(j - 1);
      while (isDigit(s.charCodeAt(j))) j++;
      exp = s.slice(i, j);
      i = j;
    }
    this.i = i;
    let text = sign + (intPart === "" ? "0" : intPart);
    if (hadDot) text += "." + (frac === "" ? "0" : frac);
    text += exp;
    return new JNode(isReal ? J_REAL : J_INT, text, null, null);
  }

  /** A string quoted by q at this.i: its RFC 8259 escaped body. */
  string(q: number): string | null {
    const s = this.s;
    if (q === 0x27) this.json5 = true;
    let i = this.i + 1;
    let out = "";
    let run = i;
    for (;;) {
      if (i >= s.length) return this.fail(i);
      const c = s.charCodeAt(i);
      if (c === q) break;
      if (c === 0x22) { // a double quote inside a single-quoted string
        out += s.slice(run, i) + "\\\"";
        run = ++i;
        continue;
      }
      if (c < 0x20) {
        this.json5 = true;
        out += s.slice(run, i) + controlEscape(c);
        run = ++i;
        continue;
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      const d = s.charCodeAt(i + 1);
      switch (d) {
        case 0x22: case 0x5c: case 0x2f: case 0x62: case 0x66: case 0x6e: case 0x72: case 0x74:
          i += 2;
          continue;
        case 0x75: // \uXXXX
          if (isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3)) && isHex(s.charCodeAt(i + 4)) && isHex(s.charCodeAt(i + 5))) {
            i += 6;
            continue;
          }
          return this.fail(i + 1);
        default:
          break;
      }
      // JSON5 escapes
      this.json5 = true;
      out += s.slice(run, i);
      if (d === 0x27) {
        out += "'";
        i += 2;
      } else if (d === 0x76) {
        out += "\\u000b";
        i += 2;
      } else if (d === 0x30 && !isDigit(s.charCodeAt(i + 2))) {
        out += "\\u0000";
        i += 2;
      } else if (d === 0x78 && isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3))) {
        out += "\\u00" + s.slice(i + 2, i + 4);
        i += 4;
      } else if (d === 0x0a || d === 0x2028 || d === 0x2029) {
        i += 2;
      } else if (d === 0x0d) {
        i += s.charCodeAt(i + 2) === 0x0a ? 3 : 2;
      } else return this.fail(i + 1);
      run = i;
    }
    out += s.slice(run, i);
    this.i = i + 1;
    return out;
  }
}

function controlEscape(c: number): string {
  switch (c) {
    case 0x08: return "\\b";
    case 0x09: return "\\t";
    case 0x0a: return "\\n";
    case 0x0c: return "\\f";
    case 0x0d: return "\\r";
    default: return "\\u00" + (c < 0x10 ? "0" : "") + c.toString(16);
  }
}

const P = new Parser();

/** Parses JSON text (invariant 1); null on error (ERR.pos). ERR.json5 after success. */
export function parseJson(s: string): JNode | null {
  const p = P;
  p.s = s;
  p.i = 0;
  p.json5 = false;
  p.lastClose = 0;
  if (!p.ws()) return p.fail(p.i);
  if (p.i >= s.length) return p.fail(p.i);
  const v = p.value(0);
  if (v === null) return null;
  if (!p.ws()) return p.fail(p.i);
  if (p.i < s.length) return p.fail(p.lastClose); // junk after a complete value: SQLite's stale position
  ERR.json5 = p.json5;
  return v;
}

/** A JS string as a JSON string body (jsonAppendString's escapes). */
export function escapeString(s: string): string {
  let out = "";
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(run, i) + (c === 0x22 ? "\\\"" : c === 0x5c ? "\\\\" : controlEscape(c));
    run = i + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

/** The value of a JSON string body (escapes decoded; lone surrogates as U+FFFD). */
export function unescapeString(raw: string): string {
  if (raw.indexOf("\\") < 0) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const d = raw[++i];
    switch (d) {
      case "b": out += "\b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "u": {
        let u = parseInt(raw.slice(i + 1, i + 5), 16);
        i += 4;
        if (u >= 0xd800 && u <= 0xdbff && raw[i + 1] === "\\" && raw[i + 2] === "u") {
          const lo = parseInt(raw.slice(i + 3, i + 7), 16);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            out += String.fromCharCode(u, lo);
            i += 6;
            break;
          }
        }
        if (u >= 0xd800 && u <= 0xdfff) u = 0xfffd;
        out += String.fromCharCode(u);
        break;
      }
      default: out += d;
    }
  }
  return out;
}

/** Minified text (SQLite's json() output). */
export function renderJson(n: JNode): string {
  switch (n.k) {
    case J_STRING: return "\"" + n.raw + "\"";
    case J_ARRAY: {
      const a = n.a!;
      let out = "[";
      for (let i = 0; i < a.length; i++) out += (i > 0 ? "," : "") + renderJson(a[i]);
      return out + "]";
    }
    case J_OBJECT: {
      const a = n.a!;
      const keys = n.keys!;
      let out = "{";
      for (let i = 0; i < a.length; i++) out += (i > 0 ? ",\"" : "\"") + keys[i] + "\":" + renderJson(a[i]);
      return out + "}";
    }
    default: return n.raw;
  }
}

/** json_pretty's indented text. */
export function renderPretty(n: JNode, indent: string, depth: number): string {
  if (n.k === J_ARRAY || n.k === J_OBJECT) {
    const a = n.a!;
    const open = n.k === J_ARRAY ? "[" : "{";
    const close = n.k === J_ARRAY ? "]" : "}";
    if (a.length === 0) return open + close;
    const inner = indent.repeat(depth + 1);
    let out = open + "\n";
    for (let i = 0; i < a.length; i++) {
      out += inner;
      if (n.k === J_OBJECT) out += "\"" + n.keys![i] + "\": ";
      out += renderPretty(a[i], indent, depth + 1) + (i + 1 < a.length ? ",\n" : "\n");
    }
    return out + indent.repeat(depth) + close;
  }
  return renderJson(n);
}

// ------------------------------------------------------------------ JSONB (§3.6)

const JB_NULL = 0, JB_TRUE = 1, JB_FALSE = 2, JB_INT = 3, JB_INT5 = 4, JB_FLOAT = 5, JB_FLOAT5 = 6;
const JB_TEXT = 7, JB_TEXTJ = 8, JB_TEXT5 = 9, JB_TEXTRAW = 10, JB_ARRAY = 11, JB_OBJECT = 12;

/** Decodes a JSONB blob; null when it is not well-formed. */
export function decodeJsonb(b: Uint8Array): JNode | null {
  if (b.length === 0) return null;
  const r = { i: 0 };
  const n = jsonbValue(b, r, b.length, 0);
  return n !== null && r.i === b.length ? n : null;
}

function jsonbValue(b: Uint8Array, r: { i: number }, end: number, depth: number): JNode | null {
  if (depth > MAX_DEPTH || r.i >= end) return null;
  const h = b[r.i];
  const t = h & 0x0f;
  let sz = h >> 4;
  let at = r.i + 1;
  if (sz >= 12) {
    const nb = sz === 12 ? 1 : sz === 13 ? 2 : sz === 14 ? 4 : 8;
    if (at + nb > end) return null;
    sz = 0;
    for (let k = 0; k < nb; k++) sz = sz * 256 + b[at + k];
    at += nb;
  }
  const stop = at + sz;
  if (stop > end) return null;
  r.i = stop;
  const text = () => decodeUtf8(b, at, stop);
  switch (t) {
    case JB_NULL: return sz === 0 ? NULL_NODE : null;
    case JB_TRUE: return sz === 0 ? TRUE_NODE : null;
    case JB_FALSE: return sz === 0 ? FALSE_NODE : null;
    case JB_INT: case JB_INT5: case JB_FLOAT: case JB_FLOAT5: {
      if (sz === 0) return null;
      const n = parseJson(text());
      if (n === null || (n.k !== J_INT && n.k !== J_REAL)) return null;
      return n;
    }
    case JB_TEXT: return new JNode(J_STRING, escapeString(text()), null, null);
    case JB_TEXTJ: return new JNode(J_STRING, text(), null, null);
    case JB_TEXT5: {
      const n = parseJson("\"" + text() + "\"");
      return n === null ? null : n;
    }
    case JB_TEXTRAW: return new JNode(J_STRING, escapeString(text()), null, null);
    case JB_ARRAY: {
      const items: JNode[] = [];
      const rr = { i: at };
      while (rr.i < stop) {
        const v = jsonbValue(b, rr, stop, depth + 1);
        if (v === null) return null;
        items.push(v);
      }
      return arrayNode(items);
    }
    case JB_OBJECT: {
      const keys: string[] = [];
      const vals: JNode[] = [];
      const rr = { i: at };
      while (rr.i < stop) {
        const k = jsonbValue(b, rr, stop, depth + 1);
        if (k === null || k.k !== J_STRING) return null;
        const v = jsonbValue(b, rr, stop, depth + 1);
        if (v === null) return null;
        keys.push(k.raw);
        vals.push(v);
      }
      return objectNode(keys, vals);
    }
    default: return null;
  }
}
