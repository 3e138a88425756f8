// Statement completeness, as the sqlite3 shell decides it.
//
// Two scanners, both written from SQLite's documented rules (complete.c and shell.c.in's
// quickscan), neither importing @strata/sql (the layering forbids it):
//
//   - `isComplete(sql)`: sqlite3_complete(). True when the text ends with a semicolon
//     that is outside every string, identifier and comment, and, for CREATE TRIGGER,
//     only after the trigger's final `END;`. It is a state machine over eight token
//     kinds (complete.c):
//
//         state \ token  SEMI  WS  OTHER EXPLAIN CREATE TEMP TRIGGER END
//         0 INVALID        1    0    2      3       4     2     2      2
//         1 START          1    1    2      3       4     2     2      2
//         2 NORMAL         1    2    2      2       2     2     2      2
//         3 EXPLAIN        1    3    3      2       4     2     2      2
//         4 CREATE         1    4    2      2       2     4     5      2
//         5 TRIGGER        6    5    5      5       5     5     5      5
//         6 SEMI           6    6    5      5       5     5     5      7
//         7 END            1    7    5      5       5     5     5      5
//
//     The text is complete when the machine ends in state 1.
//
//   - `quickScan(line, state)`: the shell's per-line pre-scan. It carries, across lines,
//     whether the input is inside a string/identifier/comment (and which closer it waits
//     for), whether anything other than whitespace/comments/semicolons was seen ("dark"),
//     and whether the last dark-or-semicolon character was a semicolon. The shell calls
//     sqlite3_complete only when a line ends on a semicolon in plain text.
//
// Both work on any string whose ASCII characters are SQL's; characters >= 0x80 (whether
// UTF-16 code units or the bytes of a binary string) count as identifier characters.

const enum Tk { Semi, Ws, Other, Explain, Create, Temp, Trigger, End }

const TRANS: readonly (readonly number[])[] = [
  [1, 0, 2, 3, 4, 2, 2, 2],
  [1, 1, 2, 3, 4, 2, 2, 2],
  [1, 2, 2, 2, 2, 2, 2, 2],
  [1, 3, 3, 2, 4, 2, 2, 2],
  [1, 4, 2, 2, 2, 4, 5, 2],
  [6, 5, 5, 5, 5, 5, 5, 5],
  [6, 6, 5, 5, 5, 5, 5, 7],
  [1, 7, 5, 5, 5, 5, 5, 5],
];

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";
}

function isIdChar(c: string): boolean {
  const x = c.charCodeAt(0);
  return (x >= 48 && x <= 57) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122) || x === 95 || x === 36 || x >= 0x80;
}

/** sqlite3_complete(): true when `sql` ends with a complete statement. */
export function isComplete(sql: string): boolean {
  return completeState(sql, sql.length) === 1;
}

/** Runs the sqlite3_complete machine over sql[0..end); -1 if inside an unclosed token. */
function completeState(sql: string, end: number): number {
  let state = 0;
  let i = 0;
  while (i < end) {
    const c = sql[i];
    let token: Tk;
    if (c === ";") {
      token = Tk.Semi;
      i++;
    } else if (isSpace(c)) {
      token = Tk.Ws;
      i++;
    } else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      if (close < 0 || close + 2 > end) return -1;
      i = close + 2;
      token = Tk.Ws;
    } else if (c === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      if (nl < 0 || nl >= end) return state; // the comment runs to the end
      i = nl + 1;
      token = Tk.Ws;
    } else if (c === "[") {
      const close = sql.indexOf("]", i + 1);
      if (close < 0 || close >= end) return -1;
      i = close + 1;
      token = Tk.Other;
    } else if (c === "`" || c === '"' || c === "'") {
      let j = i + 1;
      while (j < end && sql[j] !== c) j++;
      if (j >= end) return -1;
      i = j + 1;
      token = Tk.Other;
    } else if (isIdChar(c)) {
      let j = i + 1;
      while (j < end && isIdChar(sql[j])) j++;
      const word = sql.slice(i, j).toLowerCase();
      i = j;
      token = KEYWORD_TOKENS.get(word) ?? Tk.Other;
    } else {
      token = Tk.Other;
      i++;
    }
    state = TRANS[state][token];
  }
  return state;
}

const KEYWORD_TOKENS = new Map<string, Tk>([
  ["create", Tk.Create],
  ["trigger", Tk.Trigger],
  ["temp", Tk.Temp],
  ["temporary", Tk.Temp],
  ["end", Tk.End],
  ["explain", Tk.Explain],
]);

// ---- quickscan: the shell's line-at-a-time pre-scan -------------------------------

/** What quickScan carries from line to line. */
export interface ScanState {
  /** The closer awaited: "" in plain text, else "*" (comment), "'", '"', "`" or "]". */
  readonly wait: string;
  /** Something other than whitespace, comments and semicolons has been seen. */
  readonly dark: boolean;
  /** The last non-space, non-comment character in plain text was a semicolon. */
  readonly endingSemi: boolean;
}

export const SCAN_START: ScanState = { wait: "", dark: false, endingSemi: false };

/** Scans one more line (without its newline) on from `state`. */
export function quickScan(line: string, state: ScanState): ScanState {
  let { wait, dark, endingSemi } = state;
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (wait === "") {
      const c = line[i++];
      if (isSpace(c)) continue;
      if (c === "-" && line[i] === "-") {
        return { wait, dark, endingSemi }; // the rest of the line is a comment
      }
      if (c === ";") {
        endingSemi = true;
        continue;
      }
      if (c === "/" && line[i] === "*") {
        i++;
        wait = "*";
        continue;
      }
      if (c === "[" || c === "`" || c === "'" || c === '"') {
        wait = c === "[" ? "]" : c;
        dark = true;
        endingSemi = false;
        continue;
      }
      endingSemi = false;
      dark = true;
    } else {
      const c = line[i++];
      if (c !== wait) continue;
      if (wait === "*") {
        if (line[i] !== "/") continue;
        i++;
        wait = "";
      } else if (wait !== "]" && line[i] === c) {
        i++; // a doubled quote stays inside the token
      } else {
        wait = "";
      }
    }
  }
  return { wait, dark, endingSemi };
}

/** Only whitespace, comments and semicolons so far, and not inside a token. */
export function isPlainWhite(s: ScanState): boolean {
  return s.wait === "" && !s.dark;
}

/** Ends with a semicolon in plain text. */
export function isSemiTerminated(s: ScanState): boolean {
  return s.wait === "" && s.endingSemi;
}

/** A line that is only "go" or "/" (any case, any surrounding space): SQL Server style ";". */
export function isCommandTerminator(line: string): boolean {
  const t = line.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, "");
  return t === "/" || t.toLowerCase() === "go";
}
