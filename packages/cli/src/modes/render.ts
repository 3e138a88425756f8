// What every output mode renderer sees: the shell's display settings, the statement's
// columns, and a sink for bytes. One renderer object handles one statement's result set:
// `row` for each row, then `end` (the sqlite3 shell prints nothing at all, not even
// headers, for a result set with no rows: callers only create a renderer on the first row).
import type { ShellConnection, ShellValue } from "../connection.js";

/** Output modes by the names `.mode` and `.show` use (modeDescr in shell.c.in). */
export type Mode =
  | "line" | "column" | "list" | "semi" | "html" | "insert" | "quote" | "tcl" | "csv"
  | "explain" | "ascii" | "prettyprint" | "eqp" | "json" | "markdown" | "table" | "box"
  | "count" | "off";

/** The display settings a renderer reads (a view of the shell's state). */
export interface DisplaySettings {
  readonly mode: Mode;
  readonly showHeader: boolean;
  /** Byte strings. */
  readonly nullValue: string;
  readonly colSeparator: string;
  readonly rowSeparator: string;
  /** .width values; 0 = automatic, negative = right-aligned. */
  readonly colWidth: readonly number[];
  /** Table name used by insert mode (already quoted as the shell quotes it). */
  readonly destTable: string;
  /** .mode column/box/table/markdown options: --wrap N, --quote. */
  readonly wrap: number;
  readonly quote: boolean;
}

/** Where rendered bytes go. */
export interface ByteSink {
  /** Appends a byte string. */
  write(bytes: string): void;
}

/** One result set's columns, names already byte strings. */
export interface ResultColumns {
  readonly names: readonly string[];
}

/** A renderer for one result set. */
export interface Renderer {
  row(values: readonly ShellValue[]): void;
  end(): void;
}

export interface RenderContext {
  readonly settings: DisplaySettings;
  readonly columns: ResultColumns;
  readonly out: ByteSink;
  readonly conn: ShellConnection;
}
