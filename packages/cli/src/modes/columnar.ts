// Column-aligned output modes: column, table, box and markdown. They reproduce
// exec_prepared_stmt_columnar of the sqlite3 shell (shell.c.in): every row is collected
// first, each cell is translated for display (translateForDisplayAndDup: tabs expand to
// the next multiple of 8, a newline or other control character ends the display line and
// the rest of the value continues on a following line; a .width or --wrap limit wraps
// long values), column widths are the larger of .width and the widest cell counted in
// characters (UTF-8 lead bytes, not display cells: wide CJK characters count as one, as
// the 3.40 shell counts them), and the frame is drawn around the padded cells.
//
//   box frame      ┌─┬─┐  header  ├─┼─┤  rows  └─┴─┘       (│ between cells)
//   table frame    +-+-+  header  +-+-+  rows  +-+-+       (| between cells)
//   markdown       | h |  then |---|  then rows            (no top or bottom line)
//   column         header, dashes, rows (only with .headers on), cells joined by "  "
//
// When any row spans several display lines, rows are separated by a frame line (box,
// table) or a blank line (column).
import type { ShellValue } from "../connection.js";
import { charCount, columnText, cStr, hexBlob, quotedString, realLiteral, utf8Bytes } from "../text.js";
import type { RenderContext, Renderer } from "./render.js";

/**
 * translateForDisplayAndDup: the first display line of `z` (at most `mxWidth` characters,
 * 0 = unlimited) and the rest of the value still to show (null when none).
 */
export function displayLine(z: string, mxWidth: number): { line: string; tail: string | null } {
  if (mxWidth < 0) mxWidth = -mxWidth;
  if (mxWidth === 0) mxWidth = 1000000;
  let i = 0;
  let n = 0;
  let line = "";
  while (n < mxWidth) {
    if (i >= z.length) break;
    const c = z.charCodeAt(i);
    if (c >= 0x20) {
      n++;
      do line += z[i++];
      while (i < z.length && (z.charCodeAt(i) & 0xc0) === 0x80);
      continue;
    }
    if (c === 9) {
      do {
        n++;
        line += " ";
      } while ((n & 7) !== 0 && n < mxWidth);
      i++;
      continue;
    }
    break;
  }
  let tail: string | null;
  const at = (k: number) => (k < z.length ? z.charCodeAt(k) : 0);
  if (n >= mxWidth && at(i) >= 0x20) tail = z.slice(i);
  else if (at(i) === 13 && at(i + 1) === 10) tail = i + 2 < z.length ? z.slice(i + 2) : null;
  else if (at(i) === 0 || at(i + 1) === 0) tail = null;
  else tail = z.slice(i + 1);
  return { line, tail };
}

/** utf8_width_print: `z` padded (or cut) to |w| characters; right-aligned when w < 0. */
export function widthPrint(w: number, z: string): string {
  const aw = Math.abs(w);
  let n = 0;
  let i = 0;
  for (; i < z.length; i++) {
    if ((z.charCodeAt(i) & 0xc0) !== 0x80) {
      n++;
      if (n === aw) {
        i++;
        while (i < z.length && (z.charCodeAt(i) & 0xc0) === 0x80) i++;
        break;
      }
    }
  }
  if (n >= aw) return z.slice(0, i);
  return w < 0 ? " ".repeat(aw - n) + z : z + " ".repeat(aw - n);
}

const BOX = { h: "\u2500", v: "\u2502", tl: "\u250c", tr: "\u2510", bl: "\u2514", br: "\u2518",
  lt: "\u251c", rt: "\u2524", tt: "\u252c", bt: "\u2534", x: "\u253c" };
const B = Object.fromEntries(Object.entries(BOX).map(([k, v]) => [k, utf8Bytes(v)])) as typeof BOX;

export class ColumnarRenderer implements Renderer {
  private readonly ctx: RenderContext;
  /** Display lines: header first, then one entry per display line of each row. */
  private readonly lines: (string | null)[][] = [];
  /** For each display line after the header: true when it ends a row. */
  private readonly rowEnds: boolean[] = [];
  private multiLine = false;

  constructor(ctx: RenderContext) {
    this.ctx = ctx;
    const n = ctx.columns.names.length;
    this.lines.push(ctx.columns.names.map((name, i) => displayLine(name, this.wrapOf(i)).line));
    void n;
  }

  private wrapOf(i: number): number {
    const w = this.ctx.settings.colWidth[i] ?? 0;
    return Math.abs(w === 0 ? this.ctx.settings.wrap : w);
  }

  row(values: readonly ShellValue[]): void {
    const { settings: s, conn } = this.ctx;
    let pending: (string | null)[] = values.map((v) => {
      if (s.quote) return quotedCell(v, this.ctx);
      const t = columnText(v, conn);
      return t === null ? s.nullValue : cStr(t);
    });
    let more = true;
    while (more) {
      more = false;
      const line: (string | null)[] = [];
      const next: (string | null)[] = [];
      for (let i = 0; i < pending.length; i++) {
        const z = pending[i] ?? "";
        const { line: l, tail } = displayLine(z, this.wrapOf(i));
        line.push(l);
        next.push(tail);
        if (tail !== null) more = true;
      }
      this.lines.push(line);
      this.rowEnds.push(!more);
      if (more) this.multiLine = true;
      pending = next;
    }
  }

  end(): void {
    const { settings: s, out } = this.ctx;
    const nCol = this.ctx.columns.names.length;
    if (nCol === 0) return;
    const width: number[] = [];
    for (let j = 0; j < nCol; j++) width.push(Math.abs(s.colWidth[j] ?? 0));
    for (const line of this.lines) {
      for (let j = 0; j < nCol; j++) {
        const n = charCount(line[j] ?? "");
        if (n > width[j]) width[j] = n;
      }
    }
    const signed = (j: number) => ((s.colWidth[j] ?? 0) < 0 ? -width[j] : width[j]);
    const dashes = (sep: string) => sep + width.map((w) => "-".repeat(w + 2)).join(sep) + sep + "\n";
    const boxLine = (l: string, m: string, r: string) => l + width.map((w) => B.h.repeat(w + 2)).join(m) + r + "\n";
    const centred = (j: number, z: string) => {
      const n = charCount(z);
      const w = width[j];
      return " ".repeat(Math.max(0, Math.floor((w - n) / 2))) + z + " ".repeat(Math.max(0, Math.floor((w - n + 1) / 2)));
    };
    const header = this.lines[0].map((z) => z ?? "");
    let buf = "";
    let colSep: string;
    let rowSep: string;
    let rowStart = "";
    switch (s.mode) {
      case "column":
        colSep = "  ";
        rowSep = "\n";
        if (s.showHeader) {
          buf += header.map((z, j) => widthPrint(signed(j), z)).join("  ") + "\n";
          buf += width.map((w) => "-".repeat(w)).join("  ") + "\n";
        }
        break;
      case "table":
        colSep = " | ";
        rowSep = " |\n";
        rowStart = "| ";
        buf += dashes("+");
        buf += "| " + header.map((z, j) => centred(j, z)).join(" | ") + " |\n";
        buf += dashes("+");
        break;
      case "markdown":
        colSep = " | ";
        rowSep = " |\n";
        rowStart = "| ";
        buf += "| " + header.map((z, j) => centred(j, z)).join(" | ") + " |\n";
        buf += dashes("|");
        break;
      case "box":
        colSep = " " + B.v + " ";
        rowSep = " " + B.v + "\n";
        rowStart = B.v + " ";
        buf += boxLine(B.tl, B.tt, B.tr);
        buf += B.v + " " + header.map((z, j) => centred(j, z)).join(" " + B.v + " ") + " " + B.v + "\n";
        buf += boxLine(B.lt, B.x, B.rt);
        break;
      default:
        throw new Error(`columnar renderer cannot print mode ${s.mode}`);
    }
    for (let k = 1; k < this.lines.length; k++) {
      const line = this.lines[k];
      buf += rowStart + line.map((z, j) => widthPrint(signed(j), z ?? s.nullValue)).join(colSep) + rowSep;
      if (this.multiLine && this.rowEnds[k - 1] && k + 1 < this.lines.length) {
        if (s.mode === "table") buf += dashes("+");
        else if (s.mode === "box") buf += boxLine(B.lt, B.x, B.rt);
        else if (s.mode === "column") buf += "\n";
      }
      if (buf.length > 65536) {
        out.write(buf);
        buf = "";
      }
    }
    if (s.mode === "table") buf += dashes("+");
    else if (s.mode === "box") buf += boxLine(B.bl, B.bt, B.br);
    out.write(buf);
  }
}

/** quoted_column: a cell as an SQL literal (for --quote and qbox). */
function quotedCell(v: ShellValue, ctx: RenderContext): string {
  if (v === null) return "NULL";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return utf8Bytes(realLiteral(v, ctx.conn, true));
  if (typeof v === "string") return quotedString(cStr(utf8Bytes(v)));
  return hexBlob(v);
}
