/*
 * codegen/alter-refs.ts: finding the tokens of a stored CREATE statement that name a
 * table or a column, and rewriting them (SQLite's alter.c sqlite_rename_table /
 * sqlite_rename_column with legacy_alter_table=OFF, renameEditSql;
 * https://sqlite.org/lang_altertable.html).
 *
 * SQLite re-parses each stored statement, resolves its names, records the token of each
 * reference to the renamed object and replaces exactly those tokens, so the rest of the
 * user's text (spacing, comments, quoting, case) stays as written. We do the same: the
 * statement is parsed with our parser, names are resolved by a small scope walk (FROM
 * items, aliases, CTEs, subqueries, NEW/OLD in triggers), and the token spans come from
 * our tokenizer over each AST node's span.
 *
 * Invariants:
 *  1. A table reference is renamed where SQLite renames it: the CREATE TABLE name, FROM
 *     items naming the table (not a CTE of that name), `t.col` qualifiers whose `t` is the
 *     table itself (not an alias), REFERENCES clauses, an index's or trigger's ON table,
 *     and the targets of trigger INSERT/UPDATE/DELETE steps.
 *  2. A column reference is renamed where it resolves to the column: the column
 *     definition, CHECK / generated / index / partial-index expressions, PRIMARY KEY,
 *     UNIQUE and FOREIGN KEY column lists (and other tables' REFERENCES t(col) lists),
 *     column references in views and triggers that resolve to the table (aliases
 *     included), NEW.col / OLD.col in the table's triggers, UPDATE OF lists, and
 *     INSERT column lists / UPDATE SET targets of trigger steps on the table. USING
 *     lists are not renamed (SQLite unmaps them).
 *  3. renameEditSql's quoting: the new name replaces a token as written when the token
 *     was not quoted and the new name was not quoted (bQuote = 0; RENAME TABLE always
 *     quotes); otherwise as "new" with embedded `"` doubled, plus a space when a `"`
 *     follows the token directly.
 */
import type {
  CreateTableStmt, Expr, FromClause, InsertStmt, OrderingTerm, ResultColumn, SelectCore, SelectStmt, Statement,
  TableSource, TriggerStep, ValuesClause, WithClause,
} from "../parser/ast.js";
import { isIdLike, scan } from "../parser/tokenizer.js";
import { lower, type Schema } from "../schema/schema.js";

export interface Span { readonly start: number; readonly end: number; /** A column reference's whole text. */ readonly text?: string }

/** What is being renamed: a table, or column `column` of table `table` (both lower case). */
export type RenameTarget =
  | { readonly kind: "table"; readonly table: string }
  | { readonly kind: "column"; readonly table: string; readonly column: string };

/** The identifier a token spells (dequoted). */
export function dequote(text: string): string {
  const q = text[0];
  if (q === "\"" || q === "'" || q === "`") return text.slice(1, -1).split(q + q).join(q);
  if (q === "[") return text.slice(1, -1);
  return text;
}

interface Tok { kind: string; start: number; end: number; text: string }

function tokensIn(sql: string, start: number, end: number): Tok[] {
  const t = scan(sql.slice(start, end));
  const out: Tok[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t.kinds[i] === "EOF") break;
    out.push({ kind: t.kinds[i], start: start + t.starts[i], end: start + t.ends[i], text: t.text(i) });
  }
  return out;
}

function isName(t: Tok): boolean {
  return isIdLike(t.kind as never) || t.kind === "STRING" || t.kind === "ID";
}

/** The first name token in [start, end) spelling `name` (case-insensitive). */
function nameToken(sql: string, start: number, end: number, name: string): Span | null {
  const k = lower(name);
  for (const t of tokensIn(sql, start, end)) if (isName(t) && lower(dequote(t.text)) === k) return t;
  return null;
}

interface Item {
  /** Table name or subquery alias (lower). */
  readonly name: string;
  readonly alias: string | null;
  readonly target: boolean;
  readonly cols: ReadonlySet<string>;
  /** Found only as `name.col` (NEW, OLD, excluded). */
  readonly qualifiedOnly: boolean;
  /** The qualifier token of `t.col` names the table itself (no alias). */
  readonly renamesQualifier: boolean;
  /** The rowid alias column (lower), which `rowid`, `oid` and `_rowid_` also name. */
  readonly ipk: string | null;
}

function isRowidName(k: string): boolean {
  return k === "rowid" || k === "oid" || k === "_rowid_";
}

type Scope = readonly Item[];

export class RefFinder {
  readonly spans: Span[] = [];
  private ctes: Set<string>[] = [];
  constructor(private readonly sql: string, private readonly schema: Schema, private readonly t: RenameTarget) {}

  private add(s: Span | null, text?: string): void {
    if (s !== null && !this.spans.some((x) => x.start === s.start)) this.spans.push({ start: s.start, end: s.end, text });
  }
  private isTargetTable(name: string): boolean {
    const k = lower(name);
    return k === this.t.table && !this.ctes.some((c) => c.has(k));
  }
  private isTargetColumn(name: string): boolean {
    return this.t.kind === "column" && lower(name) === this.t.column;
  }
  private tableCols(name: string): Set<string> {
    const t = this.schema.table(name);
    return new Set(t === null ? [] : t.columns.map((c) => lower(c.name)));
  }
  private tableIpk(name: string): string | null {
    const t = this.schema.table(name);
    return t === null || t.iPKey < 0 ? null : lower(t.columns[t.iPKey].name);
  }
  /** Whether `col` read from `item` is the target column (a rowid name reads the rowid alias). */
  private readsTarget(item: Item, col: string): boolean {
    if (!item.target || this.t.kind !== "column") return false;
    if (col === this.t.column) return true;
    return isRowidName(col) && !item.cols.has(col) && item.ipk === this.t.column;
  }

  // -------------------------------------------------------------- statements

  statement(st: Statement): void {
    switch (st.kind) {
      case "createTable": this.createTable(st); break;
      case "createIndex": {
        const target = this.isTargetTable(st.table);
        const on = this.onToken(st.start, st.end, st.table);
        if (target && this.t.kind === "table") this.add(on);
        const scope: Scope = [this.tableItem(st.table, null)];
        for (const c of st.columns) this.expr(c.expr, [scope]);
        if (st.where !== null) this.expr(st.where, [scope]);
        break;
      }
      case "createView": this.select(st.select, []); break;
      case "createTrigger": this.trigger(st); break;
      default: break;
    }
  }

  /** The table name token after the first top-level ON (index, trigger). */
  private onToken(start: number, end: number, name: string): Span | null {
    const toks = tokensIn(this.sql, start, end);
    const i = toks.findIndex((t) => t.kind === "ON");
    if (i < 0) return null;
    const j = toks[i + 2]?.kind === "DOT" ? i + 3 : i + 1;
    const t = toks[j];
    return t !== undefined && lower(dequote(t.text)) === lower(name) ? t : null;
  }

  private createTable(st: CreateTableStmt): void {
    const self = lower(st.name) === this.t.table;
    if (self && this.t.kind === "table") this.add(nameToken(this.sql, st.start, st.end, st.name));
    const scope: Scope = [this.tableItem(st.name, null)];
    for (const cd of st.columns ?? []) {
      if (self && this.isTargetColumn(cd.name)) this.add(nameToken(this.sql, cd.start, cd.end, cd.name));
      for (const c of cd.constraints) {
        if (c.kind === "check" || c.kind === "generated") this.expr(c.expr, [scope]);
        else if (c.kind === "references") this.references(c.foreignKey, c.foreignKey.start, c.foreignKey.end);
      }
    }
    for (const c of st.constraints) {
      if (c.kind === "check") this.expr(c.expr, [scope]);
      else if (c.kind === "primaryKey" || c.kind === "unique") for (const o of c.columns) this.expr(o.expr, [scope]);
      else if (c.kind === "foreignKeyConstraint") {
        if (self) for (const col of c.columns) if (this.isTargetColumn(col)) this.add(nameToken(this.sql, c.start, c.foreignKey.start, col));
        this.references(c.foreignKey, c.foreignKey.start, c.foreignKey.end);
      }
    }
  }

  /** REFERENCES table [(cols)] ... */
  private references(fk: { table: string; columns: readonly string[] | null }, start: number, end: number): void {
    const toks = tokensIn(this.sql, start, end);
    if (!this.isTargetTable(fk.table)) return;
    if (this.t.kind === "table") {
      if (toks[1] !== undefined) this.add(toks[1]);
      return;
    }
    if (fk.columns === null || toks[2]?.kind !== "LP") return;
    const close = toks.findIndex((t) => t.kind === "RP");
    for (const col of fk.columns) {
      if (this.isTargetColumn(col)) this.add(nameToken(this.sql, toks[2].end, toks[close].start, col));
    }
  }

  private trigger(st: Extract<Statement, { kind: "createTrigger" }>): void {
    const target = this.isTargetTable(st.table);
    const on = this.onToken(st.start, st.end, st.table);
    if (target && this.t.kind === "table") this.add(on);
    if (target && st.columns !== null && on !== null) {
      for (const c of st.columns) if (this.isTargetColumn(c)) this.add(nameToken(this.sql, st.start, on.start, c));
    }
    const cols = this.tableCols(st.table);
    const ipk = this.tableIpk(st.table);
    const nw: Item = { name: "new", alias: null, target, cols, qualifiedOnly: true, renamesQualifier: false, ipk };
    const old: Item = { name: "old", alias: null, target, cols, qualifiedOnly: true, renamesQualifier: false, ipk };
    const trig: Scope = [nw, old];
    if (st.when !== null) this.expr(st.when, [trig]);
    for (const s of st.steps) this.step(s, trig);
  }

  private step(s: TriggerStep, trig: Scope): void {
    switch (s.kind) {
      case "select": this.select(s, [trig]); return;
      case "insert": this.insert(s, trig); return;
      case "update": {
        const target = this.isTargetTable(s.table.name);
        if (target && this.t.kind === "table") this.add(this.firstName(s.table.start, s.table.end, s.table.schema));
        const scope: Item[] = [this.tableItem(s.table.name, s.table.alias)];
        if (s.from !== null) this.from(s.from, scope, [trig]);
        for (const set of s.set) {
          if (target) for (const c of set.columns) if (this.isTargetColumn(c)) this.add(nameToken(this.sql, set.start, set.expr.start, c));
          this.expr(set.expr, [scope, trig]);
        }
        if (s.where !== null) this.expr(s.where, [scope, trig]);
        return;
      }
      case "delete": {
        if (this.isTargetTable(s.table.name) && this.t.kind === "table") this.add(this.firstName(s.table.start, s.table.end, s.table.schema));
        if (s.where !== null) this.expr(s.where, [[this.tableItem(s.table.name, s.table.alias)], trig]);
        return;
      }
    }
  }

  /** The name token of `[schema.]name ...` starting at `start`. */
  private firstName(start: number, end: number, schema: string | null): Span | null {
    const toks = tokensIn(this.sql, start, end);
    return toks[schema === null ? 0 : 2] ?? null;
  }

  private insert(s: InsertStmt, trig: Scope): void {
    const target = this.isTargetTable(s.table);
    const toks = tokensIn(this.sql, s.start, s.end);
    const into = toks.findIndex((t) => t.kind === "INTO");
    const ni = into + (s.schema !== null ? 3 : 1);
    if (target && this.t.kind === "table" && toks[ni] !== undefined) this.add(toks[ni]);
    if (target && s.columns !== null) {
      const lp = toks.findIndex((t, i) => i > ni && t.kind === "LP");
      const rp = toks.findIndex((t, i) => i > lp && t.kind === "RP");
      if (lp > 0 && rp > lp) for (const c of s.columns) if (this.isTargetColumn(c)) this.add(nameToken(this.sql, toks[lp].end, toks[rp].start, c));
    }
    if (s.source !== null) this.select(s.source, [trig]);
    const tbl = this.tableItem(s.table, s.alias);
    const excluded: Item = { ...tbl, name: "excluded", alias: null, qualifiedOnly: true, renamesQualifier: false };
    for (const u of s.upsert) {
      const scope: Scope = [tbl, excluded];
      if (u.target !== null) {
        for (const o of u.target.columns) this.expr(o.expr, [scope]);
        if (u.target.where !== null) this.expr(u.target.where, [scope]);
      }
      for (const set of u.set ?? []) {
        if (target) for (const c of set.columns) if (this.isTargetColumn(c)) this.add(nameToken(this.sql, set.start, set.expr.start, c));
        this.expr(set.expr, [scope, trig]);
      }
      if (u.where !== null) this.expr(u.where, [scope, trig]);
    }
  }

  private tableItem(name: string, alias: string | null): Item {
    const target = this.isTargetTable(name);
    return {
      name: lower(name), alias: alias === null ? null : lower(alias), target, cols: this.tableCols(name),
      qualifiedOnly: false, renamesQualifier: alias === null, ipk: this.tableIpk(name),
    };
  }

  // -------------------------------------------------------------- queries

  select(s: SelectStmt, outer: readonly Scope[]): void {
    const pushed = s.with !== null;
    if (pushed) this.with(s.with!, outer);
    const parts = [s.first, ...s.compounds.map((c) => c.select)];
    let firstScope: Scope = [];
    parts.forEach((part, i) => {
      const sc = this.core(part, outer);
      if (i === 0) firstScope = sc;
    });
    for (const o of s.orderBy ?? []) this.expr(o.expr, [firstScope, ...outer]);
    if (s.limit !== null) {
      this.expr(s.limit.count, outer);
      if (s.limit.offset !== null) this.expr(s.limit.offset, outer);
    }
    if (pushed) this.ctes.pop();
  }

  private with(w: WithClause, outer: readonly Scope[]): void {
    const names = new Set<string>();
    this.ctes.push(names);
    for (const c of w.ctes) {
      names.add(lower(c.name));
      this.select(c.select, outer);
    }
  }

  private core(c: SelectCore | ValuesClause, outer: readonly Scope[]): Scope {
    if (c.kind === "values") {
      for (const row of c.rows) for (const e of row) this.expr(e, outer);
      return [];
    }
    const scope: Item[] = [];
    if (c.from !== null) this.from(c.from, scope, outer);
    const chain = [scope as Scope, ...outer];
    for (const rc of c.columns) this.resultColumn(rc, chain);
    if (c.where !== null) this.expr(c.where, chain);
    for (const g of c.groupBy ?? []) this.expr(g, chain);
    if (c.having !== null) this.expr(c.having, chain);
    return scope;
  }

  private resultColumn(rc: ResultColumn, chain: readonly Scope[]): void {
    if (rc.kind === "resultExpr") this.expr(rc.expr, chain);
  }

  private from(f: FromClause, scope: Item[], outer: readonly Scope[]): void {
    this.source(f.first, scope, outer);
    for (const j of f.joins) {
      this.source(j.table, scope, outer);
      if (j.on !== null) this.expr(j.on, [scope, ...outer]);
    }
  }

  private source(src: TableSource, scope: Item[], outer: readonly Scope[]): void {
    switch (src.kind) {
      case "tableRef": {
        if (src.args !== null) for (const a of src.args) this.expr(a, outer);
        const item = this.tableItem(src.name, src.alias);
        if (item.target && this.t.kind === "table") this.add(this.firstName(src.start, src.end, src.schema));
        scope.push(item);
        return;
      }
      case "subquerySource": {
        this.select(src.select, outer);
        scope.push({ name: lower(src.alias ?? ""), alias: null, target: false, cols: this.resultNames(src.select), qualifiedOnly: false, renamesQualifier: false, ipk: null });
        return;
      }
      case "nestedJoin": this.from(src.from, scope, outer); return;
    }
  }

  /** A subquery's result column names (AS names and bare column names). */
  private resultNames(s: SelectStmt): Set<string> {
    const out = new Set<string>();
    if (s.first.kind === "values") return out;
    for (const rc of s.first.columns) {
      if (rc.kind !== "resultExpr") continue;
      if (rc.alias !== null) out.add(lower(rc.alias));
      else if (rc.expr.kind === "column") out.add(lower(rc.expr.column));
    }
    return out;
  }

  // -------------------------------------------------------------- expressions

  expr(e: Expr, chain: readonly Scope[]): void {
    switch (e.kind) {
      case "column": this.column(e, chain); return;
      case "literal": case "parameter": case "raise": return;
      case "unary": this.expr(e.operand, chain); return;
      case "binary": this.expr(e.left, chain); this.expr(e.right, chain); return;
      case "like": this.expr(e.left, chain); this.expr(e.right, chain); if (e.escape) this.expr(e.escape, chain); return;
      case "between": this.expr(e.expr, chain); this.expr(e.low, chain); this.expr(e.high, chain); return;
      case "in":
        this.expr(e.expr, chain);
        if (e.rhs.kind === "list") for (const x of e.rhs.items) this.expr(x, chain);
        else if (e.rhs.kind === "select") this.select(e.rhs.select, chain);
        return;
      case "postfixNull": case "collate": case "cast": this.expr(e.expr, chain); return;
      case "case":
        if (e.operand) this.expr(e.operand, chain);
        for (const w of e.whens) { this.expr(w.when, chain); this.expr(w.then, chain); }
        if (e.else) this.expr(e.else, chain);
        return;
      case "function":
        if (e.args !== "*") for (const x of e.args) this.expr(x, chain);
        if (e.filter) this.expr(e.filter, chain);
        for (const o of e.orderBy ?? []) this.expr(o.expr, chain);
        return;
      case "exists": case "subquery": this.select(e.select, chain); return;
      case "vector": for (const x of e.items) this.expr(x, chain); return;
      default: return;
    }
  }

  private column(e: Extract<Expr, { kind: "column" }>, chain: readonly Scope[]): void {
    const col = lower(e.column);
    const toks = tokensIn(this.sql, e.start, e.end);
    if (e.table !== null) {
      const q = lower(e.table);
      for (const scope of chain) {
        const item = scope.find((it) => (it.alias ?? it.name) === q);
        if (item === undefined) continue;
        if (item.target) {
          if (this.t.kind === "table" && item.renamesQualifier) this.add(toks[e.schema === null ? 0 : 2] ?? null);
          if (this.readsTarget(item, col)) this.add(toks[toks.length - 1], refText(e));
        }
        return;
      }
      return;
    }
    if (this.t.kind !== "column" || (col !== this.t.column && !isRowidName(col))) return;
    for (const scope of chain) {
      let item = scope.find((it) => !it.qualifiedOnly && it.cols.has(col));
      if (item === undefined && isRowidName(col)) {
        const visible = scope.filter((it) => !it.qualifiedOnly);
        if (visible.length === 1) item = visible[0];
      }
      if (item === undefined) continue;
      if (this.readsTarget(item, col)) this.add(toks[toks.length - 1], refText(e));
      return;
    }
  }
}

/** A column reference as SQLite's "no such column: X" spells it (dequoted parts). */
function refText(e: Extract<Expr, { kind: "column" }>): string {
  // An unqualified "double-quoted" name gets resolve.c's hint.
  if (e.table === null && e.quoting === "double") return `"${e.column}" - should this be a string literal in single-quotes?`;
  return `${e.schema !== null ? e.schema + "." : ""}${e.table !== null ? e.table + "." : ""}${e.column}`;
}

/** Collects the references to `target` in the stored statement `st` parsed from `sql`. */
export function findRefs(sql: string, st: Statement, schema: Schema, target: RenameTarget): Span[] {
  const f = new RefFinder(sql, schema, target);
  f.statement(st);
  return f.spans;
}

/** renameEditSql (invariant 3): `sql` with every span replaced by `name`. */
export function editSql(sql: string, spans: readonly Span[], name: string, quote: boolean): string {
  const sorted = [...spans].sort((a, b) => b.start - a.start);
  const quoted = `"${name.replace(/"/g, "\"\"")}"`;
  let out = sql;
  for (const s of sorted) {
    const first = sql.charCodeAt(s.start);
    const idChar = first >= 128 || /[A-Za-z0-9_$]/.test(sql[s.start]);
    let rep: string;
    if (!quote && idChar) rep = name;
    else {
      rep = quoted;
      if (sql[s.end] === "\"") rep += " ";
    }
    out = out.slice(0, s.start) + rep + out.slice(s.end);
  }
  return out;
}

export type { OrderingTerm };
