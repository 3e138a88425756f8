// EXPLAIN and EXPLAIN QUERY PLAN output, as the sqlite3 shell prints them.
//
// EXPLAIN (sqlite3_stmt_isexplain() == 1, with the shell's default `.explain auto`) is
// printed in MODE_Explain: fixed widths 4,13,4,4,4,13,2,13 for addr, opcode, p1..p5 and
// comment, the opcode column indented to show loops (explain_data_prepare: the body of a
// Next/Prev loop and of a Goto back to a Yield/Seek/Rewind is indented by two).
//
// EXPLAIN QUERY PLAN (isexplain == 2), and the plan `.eqp on` prints before each
// statement, are drawn as a tree (eqp_render):
//
//     QUERY PLAN
//     |--SCAN t
//     `--USE TEMP B-TREE FOR ORDER BY
import type { ShellValue } from "../connection.js";
import { cellText, charCount } from "../text.js";
import { widthPrint } from "./columnar.js";
import type { ByteSink, RenderContext, Renderer } from "./render.js";

interface EqpRow {
  id: number;
  parent: number;
  text: string;
}

/** Collects EXPLAIN QUERY PLAN rows and draws them as the shell's tree. */
export class EqpGraph {
  private rows: EqpRow[] = [];

  append(id: number, parent: number, text: string): void {
    this.rows.push({ id, parent, text });
  }

  get empty(): boolean {
    return this.rows.length === 0;
  }

  /** eqp_render: prints the collected plan and forgets it. */
  render(out: ByteSink): void {
    if (this.rows.length === 0) return;
    let rows = this.rows;
    let buf = "";
    if (rows[0].text.startsWith("-")) {
      if (rows.length === 1) {
        this.rows = [];
        return;
      }
      buf += rows[0].text.slice(3) + "\n";
      rows = rows.slice(1);
    } else {
      buf += "QUERY PLAN\n";
    }
    const level = (parent: number, prefix: string) => {
      const kids = rows.filter((r) => r.parent === parent);
      kids.forEach((r, k) => {
        const last = k === kids.length - 1;
        buf += prefix + (last ? "`--" : "|--") + r.text + "\n";
        if (prefix.length < 100 - 7) level(r.id, prefix + (last ? "   " : "|  "));
      });
    };
    level(0, "");
    this.rows = [];
    out.write(buf);
  }
}

/** Renders an EXPLAIN QUERY PLAN statement's rows into an EqpGraph. */
export class EqpRenderer implements Renderer {
  constructor(
    private readonly ctx: RenderContext,
    private readonly graph: EqpGraph,
  ) {}

  row(values: readonly ShellValue[]): void {
    const int = (v: ShellValue) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? Math.trunc(v) : 0);
    const text = values[3] === null ? "" : cellText(values[3], this.ctx.conn, "");
    if (text.startsWith("-")) this.graph.render(this.ctx.out);
    this.graph.append(int(values[0]), int(values[1]), text);
  }

  end(): void {
    this.graph.render(this.ctx.out);
  }
}

const EXPLAIN_WIDTH = [4, 13, 4, 4, 4, 13, 2, 13];
const NEXT_OPS = ["Next", "Prev", "VPrev", "VNext", "SorterNext"];
const YIELD_OPS = ["Yield", "SeekLT", "SeekGT", "RowSetRead", "Rewind"];

/** MODE_Explain: collects the program, computes loop indentation, prints fixed columns. */
export class ExplainRenderer implements Renderer {
  private readonly rows: string[][] = [];
  private readonly ints: number[][] = [];

  constructor(private readonly ctx: RenderContext) {}

  row(values: readonly ShellValue[]): void {
    const { conn, settings } = this.ctx;
    this.rows.push(values.map((v) => cellText(v, conn, settings.nullValue)));
    this.ints.push(values.map((v) => (typeof v === "bigint" ? Number(v) : 0)));
  }

  end(): void {
    const names = this.ctx.columns.names;
    const nArg = Math.min(names.length, EXPLAIN_WIDTH.length);
    // explain_data_prepare
    const indent: number[] = [];
    const isYield: boolean[] = [];
    this.rows.forEach((r, iOp) => {
      const addr = this.ints[iOp][0];
      const op = r[1];
      const p2op = this.ints[iOp][3] + (iOp - addr);
      isYield[iOp] = YIELD_OPS.includes(op);
      indent[iOp] = 0;
      if (NEXT_OPS.includes(op) && p2op > 0) for (let i = p2op; i < iOp; i++) indent[i] += 2;
      if (op === "Goto" && p2op < indent.length && (isYield[p2op] || this.ints[iOp][2] !== 0)) {
        for (let i = p2op; i < iOp; i++) indent[i] += 2;
      }
    });
    let buf = "";
    for (let i = 0; i < nArg; i++) buf += widthPrint(EXPLAIN_WIDTH[i], names[i]) + (i === nArg - 1 ? "\n" : "  ");
    for (let i = 0; i < nArg; i++) buf += "-".repeat(EXPLAIN_WIDTH[i]) + (i === nArg - 1 ? "\n" : "  ");
    this.rows.forEach((r, iOp) => {
      for (let i = 0; i < nArg; i++) {
        let sep = "  ";
        let w = i === nArg - 1 ? 0 : EXPLAIN_WIDTH[i];
        const z = r[i];
        if (charCount(z) > w) {
          w = charCount(z);
          sep = " ";
        }
        if (i === 1) buf += " ".repeat(indent[iOp] ?? 0);
        buf += widthPrint(w, z) + (i === nArg - 1 ? "\n" : sep);
      }
    });
    this.ctx.out.write(buf);
  }
}

