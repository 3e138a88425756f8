// Row-at-a-time output modes: list (and tabs), csv, line, quote, insert, json, html, tcl,
// ascii and semi. Each reproduces the matching case of shell_callback in the sqlite3
// shell (shell.c.in): a row is printed as soon as it is stepped; `cnt` counts rows of the
// current statement so that headers print once and json opens with "[{".
import type { ShellValue } from "../connection.js";
import {
  cellText, columnText, cStr, cString, hexBlob, jsonString, quotedEscaped, quotedString,
  quoteName, realLiteral, utf8Bytes,
} from "../text.js";
import type { RenderContext, Renderer } from "./render.js";

/** needCsvQuote: control characters, space, '"', "'", DEL and every byte >= 0x80. */
function needsCsvQuote(z: string): boolean {
  for (let i = 0; i < z.length; i++) {
    const c = z.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x27 || c >= 0x7f) return true;
  }
  return false;
}

/** output_csv for one field (z null = NULL). */
function csvField(z: string | null, colSep: string, nullValue: string): string {
  if (z === null) return nullValue;
  if (z.length === 0 || needsCsvQuote(z) || (colSep.length > 0 && z.includes(colSep))) {
    return '"' + z.replace(/"/g, '""') + '"';
  }
  return z;
}

/** output_html_string. */
function htmlString(z: string): string {
  return z.replace(/[<&>"']/g, (c) =>
    c === "<" ? "&lt;" : c === "&" ? "&amp;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}

export class RowRenderer implements Renderer {
  private cnt = 0;
  private readonly ctx: RenderContext;
  /** Width of the name column in line mode. */
  private readonly lineWidth: number;

  constructor(ctx: RenderContext) {
    this.ctx = ctx;
    let w = 5;
    for (const n of ctx.columns.names) if (n.length > w) w = n.length;
    this.lineWidth = w;
  }

  row(values: readonly ShellValue[]): void {
    const { settings: s, columns, out, conn } = this.ctx;
    const names = columns.names;
    const n = names.length;
    const text = (v: ShellValue) => cellText(v, conn, s.nullValue);
    let buf = "";
    switch (s.mode) {
      case "line": {
        if (this.cnt++ > 0) buf += s.rowSeparator;
        for (let i = 0; i < n; i++) {
          buf += names[i].padStart(this.lineWidth, " ") + " = " + text(values[i]) + s.rowSeparator;
        }
        break;
      }
      case "list":
      case "ascii":
      case "semi": {
        if (this.cnt++ === 0 && s.showHeader && s.mode !== "semi") {
          buf += names.map((x, i) => x + (i === n - 1 ? s.rowSeparator : s.colSeparator)).join("");
        }
        for (let i = 0; i < n; i++) {
          buf += text(values[i]);
          if (s.mode === "semi") buf += i < n - 1 ? s.colSeparator : ";" + s.rowSeparator;
          else buf += i < n - 1 ? s.colSeparator : s.rowSeparator;
        }
        break;
      }
      case "csv": {
        if (this.cnt++ === 0 && s.showHeader) {
          for (let i = 0; i < n; i++) buf += csvField(names[i], s.colSeparator, "") + (i < n - 1 ? s.colSeparator : "");
          buf += s.rowSeparator;
        }
        for (let i = 0; i < n; i++) {
          const t = columnText(values[i], conn);
          buf += csvField(t === null ? null : cStr(t), s.colSeparator, s.nullValue) + (i < n - 1 ? s.colSeparator : "");
        }
        buf += s.rowSeparator;
        break;
      }
      case "html": {
        if (this.cnt++ === 0 && s.showHeader) {
          buf += "<TR>";
          for (const name of names) buf += "<TH>" + htmlString(name) + "</TH>\n";
          buf += "</TR>\n";
        }
        buf += "<TR>";
        for (let i = 0; i < n; i++) buf += "<TD>" + htmlString(text(values[i])) + "</TD>\n";
        buf += "</TR>\n";
        break;
      }
      case "tcl": {
        if (this.cnt++ === 0 && s.showHeader) {
          buf += names.map(cString).join(s.colSeparator) + s.rowSeparator;
        }
        buf += values.map((v) => cString(text(v))).join(s.colSeparator) + s.rowSeparator;
        break;
      }
      case "quote": {
        if (this.cnt++ === 0 && s.showHeader) {
          buf += names.map(quotedString).join(s.colSeparator) + s.rowSeparator;
        }
        for (let i = 0; i < n; i++) {
          if (i > 0) buf += s.colSeparator;
          buf += this.literal(values[i], false, false);
        }
        buf += s.rowSeparator;
        break;
      }
      case "insert": {
        this.cnt++;
        buf += "INSERT INTO " + s.destTable;
        if (s.showHeader) buf += "(" + names.map(quoteName).join(",") + ")";
        for (let i = 0; i < n; i++) {
          buf += (i > 0 ? "," : " VALUES(") + this.literal(values[i], true, true);
        }
        buf += ");\n";
        break;
      }
      case "json": {
        buf += this.cnt === 0 ? "[{" : ",\n{";
        this.cnt++;
        for (let i = 0; i < n; i++) {
          buf += jsonString(names[i]) + ":";
          const v = values[i];
          if (v === null) buf += "null";
          else if (typeof v === "number") buf += utf8Bytes(realLiteral(v, conn, true));
          else if (typeof v === "bigint") buf += v.toString();
          else if (typeof v === "string") buf += jsonString(cStr(utf8Bytes(v)));
          else buf += jsonString(columnText(v, conn) ?? "");
          if (i < n - 1) buf += ",";
        }
        buf += "}";
        break;
      }
      default:
        throw new Error(`row renderer cannot print mode ${s.mode}`);
    }
    out.write(buf);
  }

  /** A value as an SQL literal (quote and insert modes). */
  private literal(v: ShellValue, escapeNewlines: boolean, infAs1e999: boolean): string {
    if (v === null) return "NULL";
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number") return utf8Bytes(realLiteral(v, this.ctx.conn, infAs1e999));
    if (typeof v === "string") {
      const z = cStr(utf8Bytes(v));
      return escapeNewlines ? quotedEscaped(z) : quotedString(z);
    }
    return hexBlob(v);
  }

  end(): void {
    if (this.ctx.settings.mode === "json" && this.cnt > 0) this.ctx.out.write("]\n");
  }
}
