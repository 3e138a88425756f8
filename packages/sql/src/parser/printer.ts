/*
 * The printer: AST back to SQL text that parses to the same AST (spans aside).
 *
 * Invariants:
 *  1. parse(print(s)) equals s, ignoring start/end, for every AST the parser can
 *     produce (checked by the fast-check properties in test/round-trip*.prop.test.ts).
 *  2. Parentheses are added from the binding levels of parse-expr.ts: an operand is
 *     parenthesised when it binds more loosely than its position requires. With
 *     `fullParens`, every operand that is not a primary is parenthesised, which makes
 *     the parser's grouping visible (used by the precedence tests).
 *  3. Names are written bare when they are plain identifiers that are not keywords,
 *     otherwise in double quotes; a column reference keeps the quoting it was written
 *     with, because that quoting has meaning in SQLite.
 * Known limit: an INSERT whose SELECT ends in a FROM clause and that has an upsert
 * prints as SQLite would misread it (ON is taken as a join constraint); SQLite's own
 * advice is to write `WHERE true` before ON CONFLICT, which the AST must then hold.
 */
import type {
  Statement, Expr, SelectStmt, SelectCore, ValuesClause, ResultColumn, FromClause, TableSource, JoinOperator, OrderingTerm,
  LimitClause, WindowDef, Frame, FrameBound, WithClause, SetClause, UpsertClause, QualifiedTable, InsertStmt, UpdateStmt,
  DeleteStmt, ColumnDef, ColumnConstraint, TableConstraint, ForeignKeyClause, Deferrable, TypeName, CreateTriggerStmt,
} from "./ast.js";
import { assertNever } from "./ast.js";
import { isKeyword } from "./keywords.js";

export interface PrintOptions {
  /** Parenthesise every non-primary operand. */
  readonly fullParens?: boolean;
}

const BARE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name as SQL: bare if it is a plain identifier and not a keyword, else "quoted". */
export function quoteName(name: string): string {
  if (BARE.test(name) && !isKeyword(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Prints one statement (without a trailing `;`). */
export function printStatement(s: Statement, options: PrintOptions = {}): string {
  return new Printer(options.fullParens === true).stmt(s);
}

/** Prints one expression. */
export function printExpr(e: Expr, options: PrintOptions = {}): string {
  return new Printer(options.fullParens === true).expr(e, 0);
}

/** Prints statements separated by `;\n`. */
export function print(statements: readonly Statement[], options: PrintOptions = {}): string {
  const p = new Printer(options.fullParens === true);
  return statements.map((s) => p.stmt(s)).join(";\n");
}

/** The binding level of an expression's top operator (13 for primaries). */
function levelOf(e: Expr): number {
  switch (e.kind) {
    case "binary":
      switch (e.op) {
        case "OR": return 1;
        case "AND": return 2;
        case "<": case "<=": case ">": case ">=": return 5;
        case "&": case "|": case "<<": case ">>": return 7;
        case "+": case "-": return 8;
        case "*": case "/": case "%": return 9;
        case "||": case "->": case "->>": return 10;
        default: return 4;
      }
    case "unary": return e.op === "NOT" ? 3 : 12;
    case "like": case "between": case "in": case "postfixNull": return 4;
    case "collate": return 11;
    default: return 13;
  }
}

class Printer {
  constructor(readonly full: boolean) {}

  /** `e` in a position that needs binding level `min` or tighter. */
  expr(e: Expr, min: number): string {
    const text = this.exprText(e);
    const lv = levelOf(e);
    if (lv < min || (this.full && lv < 13 && min > 0)) return `(${text})`;
    return text;
  }

  exprText(e: Expr): string {
    switch (e.kind) {
      case "literal":
        switch (e.type) {
          case "string": return quoteString(e.value);
          case "blob": return `X'${e.value}'`;
          default: return e.value;
        }
      case "column": {
        let col: string;
        if (e.quoting === "double") col = `"${e.column.replace(/"/g, '""')}"`;
        else if (e.quoting === "other") col = `\`${e.column.replace(/`/g, "``")}\``;
        else col = e.column;
        const parts = [];
        if (e.schema !== null) parts.push(quoteName(e.schema));
        if (e.table !== null) parts.push(quoteName(e.table));
        parts.push(col);
        return parts.join(".");
      }
      case "parameter": return e.name;
      case "unary": {
        if (e.op === "NOT") return `NOT ${this.expr(e.operand, 3)}`;
        const operand = this.expr(e.operand, 12);
        return operand[0] === "-" || operand[0] === "+" ? `${e.op} ${operand}` : `${e.op}${operand}`;
      }
      case "binary": {
        const lv = levelOf(e);
        return `${this.expr(e.left, lv)} ${e.op} ${this.expr(e.right, lv + 1)}`;
      }
      case "like": {
        let s = `${this.expr(e.left, 4)} ${e.not ? "NOT " : ""}${e.op} ${this.expr(e.right, 5)}`;
        if (e.escape !== null) s += ` ESCAPE ${this.expr(e.escape, 5)}`;
        return s;
      }
      case "between":
        return `${this.expr(e.expr, 4)} ${e.not ? "NOT " : ""}BETWEEN ${this.expr(e.low, 3)} AND ${this.expr(e.high, 5)}`;
      case "in": {
        const left = `${this.expr(e.expr, 4)} ${e.not ? "NOT " : ""}IN `;
        const r = e.rhs;
        switch (r.kind) {
          case "list": return `${left}(${r.items.map((x) => this.expr(x, 0)).join(", ")})`;
          case "select": return `${left}(${this.select(r.select)})`;
          case "table": {
            const name = (r.schema !== null ? quoteName(r.schema) + "." : "") + quoteName(r.name);
            return left + name + (r.args !== null ? `(${r.args.map((x) => this.expr(x, 0)).join(", ")})` : "");
          }
          default: return assertNever(r);
        }
      }
      case "postfixNull": return `${this.expr(e.expr, 4)} ${e.op}`;
      case "collate": return `${this.expr(e.expr, 11)} COLLATE ${quoteName(e.collation)}`;
      case "cast": return `CAST(${this.expr(e.expr, 0)} AS${e.type !== null ? " " + this.typeName(e.type) : ""})`;
      case "case": {
        let s = "CASE";
        if (e.operand !== null) s += " " + this.expr(e.operand, 0);
        for (const w of e.whens) s += ` WHEN ${this.expr(w.when, 0)} THEN ${this.expr(w.then, 0)}`;
        if (e.else !== null) s += ` ELSE ${this.expr(e.else, 0)}`;
        return s + " END";
      }
      case "function": {
        let s = quoteName(e.name) + "(";
        if (e.args === "*") s += "*";
        else {
          if (e.quantifier !== null) s += e.quantifier + (e.args.length > 0 || e.orderBy !== null ? " " : "");
          s += e.args.map((x) => this.expr(x, 0)).join(", ");
          if (e.orderBy !== null) s += (e.args.length > 0 ? " " : "") + "ORDER BY " + this.sortList(e.orderBy);
        }
        s += ")";
        if (e.filter !== null) s += ` FILTER (WHERE ${this.expr(e.filter, 0)})`;
        if (e.over !== null) s += " OVER " + (e.over.kind === "windowName" ? quoteName(e.over.name) : `(${this.window(e.over)})`);
        return s;
      }
      case "exists": return `EXISTS (${this.select(e.select)})`;
      case "subquery": return `(${this.select(e.select)})`;
      case "vector": return `(${e.items.map((x) => this.expr(x, 0)).join(", ")})`;
      case "raise":
        return e.message === null ? `RAISE(${e.action})` : `RAISE(${e.action}, ${this.expr(e.message, 0)})`;
      default: return assertNever(e);
    }
  }

  typeName(t: TypeName): string {
    return t.name + (t.args.length > 0 ? `(${t.args.join(", ")})` : "");
  }

  sortList(list: readonly OrderingTerm[]): string {
    return list
      .map((o) => this.expr(o.expr, 0) + (o.direction !== null ? " " + o.direction : "") + (o.nulls !== null ? " NULLS " + o.nulls : ""))
      .join(", ");
  }

  window(w: WindowDef): string {
    const parts: string[] = [];
    if (w.base !== null) parts.push(quoteName(w.base));
    if (w.partitionBy !== null) parts.push("PARTITION BY " + w.partitionBy.map((x) => this.expr(x, 0)).join(", "));
    if (w.orderBy !== null) parts.push("ORDER BY " + this.sortList(w.orderBy));
    if (w.frame !== null) parts.push(this.frame(w.frame));
    return parts.join(" ");
  }

  frame(f: Frame): string {
    let s = f.units + " ";
    s += f.to === null ? this.bound(f.from) : `BETWEEN ${this.bound(f.from)} AND ${this.bound(f.to)}`;
    if (f.exclude !== null) s += " EXCLUDE " + f.exclude;
    return s;
  }

  bound(b: FrameBound): string {
    return b.expr !== null ? `${this.expr(b.expr, 0)} ${b.type}` : b.type;
  }

  with(w: WithClause): string {
    const ctes = w.ctes.map((c) => {
      let s = quoteName(c.name);
      if (c.columns !== null) s += `(${c.columns.map(quoteName).join(", ")})`;
      s += " AS ";
      if (c.materialized === true) s += "MATERIALIZED ";
      else if (c.materialized === false) s += "NOT MATERIALIZED ";
      return s + `(${this.select(c.select)})`;
    });
    return `WITH ${w.recursive ? "RECURSIVE " : ""}${ctes.join(", ")} `;
  }

  select(s: SelectStmt): string {
    let out = s.with !== null ? this.with(s.with) : "";
    out += this.oneSelect(s.first);
    for (const c of s.compounds) out += ` ${c.op} ${this.oneSelect(c.select)}`;
    if (s.orderBy !== null) out += " ORDER BY " + this.sortList(s.orderBy);
    if (s.limit !== null) out += this.limit(s.limit);
    return out;
  }

  limit(l: LimitClause): string {
    return ` LIMIT ${this.expr(l.count, 0)}` + (l.offset !== null ? ` OFFSET ${this.expr(l.offset, 0)}` : "");
  }

  oneSelect(s: SelectCore | ValuesClause): string {
    if (s.kind === "values") return "VALUES " + s.rows.map((r) => `(${r.map((x) => this.expr(x, 0)).join(", ")})`).join(", ");
    let out = "SELECT ";
    if (s.distinct !== null) out += s.distinct + " ";
    out += this.resultColumns(s.columns);
    if (s.from !== null) out += " FROM " + this.from(s.from);
    if (s.where !== null) out += " WHERE " + this.expr(s.where, 0);
    if (s.groupBy !== null) out += " GROUP BY " + s.groupBy.map((x) => this.expr(x, 0)).join(", ");
    if (s.having !== null) out += " HAVING " + this.expr(s.having, 0);
    if (s.windows !== null) out += " WINDOW " + s.windows.map((w) => `${quoteName(w.name)} AS (${this.window(w.window)})`).join(", ");
    return out;
  }

  resultColumns(cols: readonly ResultColumn[]): string {
    return cols
      .map((c) => {
        if (c.kind === "resultStar") return c.table !== null ? quoteName(c.table) + ".*" : "*";
        return this.expr(c.expr, 0) + (c.alias !== null ? " AS " + quoteName(c.alias) : "");
      })
      .join(", ");
  }

  from(f: FromClause): string {
    let out = this.tableSource(f.first);
    for (const j of f.joins) {
      out += j.operator.type === "comma" ? ", " : " " + joinOp(j.operator) + " ";
      out += this.tableSource(j.table);
      if (j.on !== null) out += " ON " + this.expr(j.on, 0);
      if (j.using !== null) out += ` USING (${j.using.map(quoteName).join(", ")})`;
    }
    return out;
  }

  tableSource(t: TableSource): string {
    const alias = (a: string | null): string => (a !== null ? " AS " + quoteName(a) : "");
    switch (t.kind) {
      case "tableRef": {
        let s = (t.schema !== null ? quoteName(t.schema) + "." : "") + quoteName(t.name);
        if (t.args !== null) s += `(${t.args.map((x) => this.expr(x, 0)).join(", ")})`;
        s += alias(t.alias);
        if (t.indexedBy === false) s += " NOT INDEXED";
        else if (t.indexedBy !== null) s += " INDEXED BY " + quoteName(t.indexedBy);
        return s;
      }
      case "subquerySource": return `(${this.select(t.select)})` + alias(t.alias);
      case "nestedJoin": return `(${this.from(t.from)})` + alias(t.alias);
      default: return assertNever(t);
    }
  }

  setList(list: readonly SetClause[]): string {
    return list
      .map((s) => (s.parenthesized ? `(${s.columns.map(quoteName).join(", ")})` : quoteName(s.columns[0])) + " = " + this.expr(s.expr, 0))
      .join(", ");
  }

  returning(r: readonly ResultColumn[] | null): string {
    return r !== null ? " RETURNING " + this.resultColumns(r) : "";
  }

  upsert(u: UpsertClause): string {
    let s = " ON CONFLICT";
    if (u.target !== null) {
      s += ` (${this.sortList(u.target.columns)})`;
      if (u.target.where !== null) s += " WHERE " + this.expr(u.target.where, 0);
    }
    if (u.set === null) return s + " DO NOTHING";
    s += " DO UPDATE SET " + this.setList(u.set);
    if (u.where !== null) s += " WHERE " + this.expr(u.where, 0);
    return s;
  }

  qualifiedTable(t: QualifiedTable): string {
    let s = (t.schema !== null ? quoteName(t.schema) + "." : "") + quoteName(t.name);
    if (t.alias !== null) s += " AS " + quoteName(t.alias);
    if (t.indexedBy === false) s += " NOT INDEXED";
    else if (t.indexedBy !== null) s += " INDEXED BY " + quoteName(t.indexedBy);
    return s;
  }

  insert(s: InsertStmt): string {
    let out = s.with !== null ? this.with(s.with) : "";
    out += s.verb === "REPLACE" ? "REPLACE" : "INSERT" + (s.or !== null ? " OR " + s.or : "");
    out += " INTO " + (s.schema !== null ? quoteName(s.schema) + "." : "") + quoteName(s.table);
    if (s.alias !== null) out += " AS " + quoteName(s.alias);
    if (s.columns !== null) out += ` (${s.columns.map(quoteName).join(", ")})`;
    out += s.source === null ? " DEFAULT VALUES" : " " + this.select(s.source);
    for (const u of s.upsert) out += this.upsert(u);
    return out + this.returning(s.returning);
  }

  update(s: UpdateStmt): string {
    let out = s.with !== null ? this.with(s.with) : "";
    out += "UPDATE " + (s.or !== null ? "OR " + s.or + " " : "") + this.qualifiedTable(s.table);
    out += " SET " + this.setList(s.set);
    if (s.from !== null) out += " FROM " + this.from(s.from);
    if (s.where !== null) out += " WHERE " + this.expr(s.where, 0);
    out += this.returning(s.returning);
    if (s.orderBy !== null) out += " ORDER BY " + this.sortList(s.orderBy);
    if (s.limit !== null) out += this.limit(s.limit);
    return out;
  }

  delete(s: DeleteStmt): string {
    let out = s.with !== null ? this.with(s.with) : "";
    out += "DELETE FROM " + this.qualifiedTable(s.table);
    if (s.where !== null) out += " WHERE " + this.expr(s.where, 0);
    out += this.returning(s.returning);
    if (s.orderBy !== null) out += " ORDER BY " + this.sortList(s.orderBy);
    if (s.limit !== null) out += this.limit(s.limit);
    return out;
  }

  onConflict(c: string | null): string {
    return c !== null ? " ON CONFLICT " + c : "";
  }

  deferrable(d: Deferrable): string {
    return (d.not ? "NOT " : "") + "DEFERRABLE" + (d.initially !== null ? " INITIALLY " + d.initially : "");
  }

  foreignKey(f: ForeignKeyClause): string {
    let s = "REFERENCES " + quoteName(f.table);
    if (f.columns !== null) s += `(${f.columns.map(quoteName).join(", ")})`;
    for (const a of f.actions) s += a.kind === "match" ? " MATCH " + quoteName(a.name) : ` ON ${a.event} ${a.action}`;
    if (f.deferrable !== null) s += " " + this.deferrable(f.deferrable);
    return s;
  }

  columnConstraint(c: ColumnConstraint): string {
    switch (c.kind) {
      case "constraintName": return "CONSTRAINT " + quoteName(c.name);
      case "primaryKey":
        return "PRIMARY KEY" + (c.direction !== null ? " " + c.direction : "") + this.onConflict(c.onConflict) + (c.autoincrement ? " AUTOINCREMENT" : "");
      case "notNull": return "NOT NULL" + this.onConflict(c.onConflict);
      case "null": return "NULL" + this.onConflict(c.onConflict);
      case "unique": return "UNIQUE" + this.onConflict(c.onConflict);
      case "check": return `CHECK (${this.expr(c.expr, 0)})`;
      case "default": return "DEFAULT " + (c.parenthesized ? `(${this.expr(c.expr, 0)})` : this.exprText(c.expr));
      case "collate": return "COLLATE " + quoteName(c.collation);
      case "references": return this.foreignKey(c.foreignKey);
      case "deferrable": return this.deferrable(c);
      case "generated":
        return (c.always ? "GENERATED ALWAYS " : "") + `AS (${this.expr(c.expr, 0)})` + (c.storage !== null ? " " + c.storage : "");
      default: return assertNever(c);
    }
  }

  columnDef(c: ColumnDef): string {
    let s = quoteName(c.name);
    if (c.type !== null) s += " " + this.typeName(c.type);
    for (const k of c.constraints) s += " " + this.columnConstraint(k);
    return s;
  }

  tableConstraint(c: TableConstraint): string {
    switch (c.kind) {
      case "constraintName": return "CONSTRAINT " + quoteName(c.name);
      case "primaryKey":
        return `PRIMARY KEY (${this.sortList(c.columns)}${c.autoincrement ? " AUTOINCREMENT" : ""})` + this.onConflict(c.onConflict);
      case "unique": return `UNIQUE (${this.sortList(c.columns)})` + this.onConflict(c.onConflict);
      case "check": return `CHECK (${this.expr(c.expr, 0)})` + this.onConflict(c.onConflict);
      case "foreignKeyConstraint": return `FOREIGN KEY (${c.columns.map(quoteName).join(", ")}) ` + this.foreignKey(c.foreignKey);
      default: return assertNever(c);
    }
  }

  trigger(s: CreateTriggerStmt): string {
    let out = `CREATE ${s.temp ? "TEMP " : ""}TRIGGER ${s.ifNotExists ? "IF NOT EXISTS " : ""}${qualified(s.schema, s.name)}`;
    if (s.time !== null) out += " " + s.time;
    out += " " + s.event;
    if (s.columns !== null) out += " OF " + s.columns.map(quoteName).join(", ");
    out += " ON " + qualified(s.tableSchema, s.table);
    if (s.forEachRow) out += " FOR EACH ROW";
    if (s.when !== null) out += " WHEN " + this.expr(s.when, 0);
    out += " BEGIN ";
    for (const step of s.steps) out += this.stmt(step) + "; ";
    return out + "END";
  }

  stmt(s: Statement): string {
    switch (s.kind) {
      case "select": return this.select(s);
      case "insert": return this.insert(s);
      case "update": return this.update(s);
      case "delete": return this.delete(s);
      case "createTable": {
        let out = `CREATE ${s.temp ? "TEMP " : ""}TABLE ${s.ifNotExists ? "IF NOT EXISTS " : ""}${qualified(s.schema, s.name)}`;
        if (s.asSelect !== null) return out + " AS " + this.select(s.asSelect);
        const items = (s.columns ?? []).map((c) => this.columnDef(c));
        for (const c of s.constraints) items.push(this.tableConstraint(c));
        out += ` (${items.join(", ")})`;
        const opts: string[] = [];
        if (s.withoutRowid) opts.push("WITHOUT ROWID");
        if (s.strict) opts.push("STRICT");
        return out + (opts.length > 0 ? " " + opts.join(", ") : "");
      }
      case "createIndex": {
        let out = `CREATE ${s.unique ? "UNIQUE " : ""}INDEX ${s.ifNotExists ? "IF NOT EXISTS " : ""}${qualified(s.schema, s.name)}`;
        out += ` ON ${quoteName(s.table)} (${this.sortList(s.columns)})`;
        return out + (s.where !== null ? " WHERE " + this.expr(s.where, 0) : "");
      }
      case "createView": {
        let out = `CREATE ${s.temp ? "TEMP " : ""}VIEW ${s.ifNotExists ? "IF NOT EXISTS " : ""}${qualified(s.schema, s.name)}`;
        if (s.columns !== null) out += ` (${s.columns.map(quoteName).join(", ")})`;
        return out + " AS " + this.select(s.select);
      }
      case "createTrigger": return this.trigger(s);
      case "createVirtualTable": {
        const out = `CREATE VIRTUAL TABLE ${s.ifNotExists ? "IF NOT EXISTS " : ""}${qualified(s.schema, s.name)} USING ${quoteName(s.module)}`;
        return out + (s.args !== null ? `(${s.args.join(", ")})` : "");
      }
      case "drop": return `DROP ${s.object} ${s.ifExists ? "IF EXISTS " : ""}${qualified(s.schema, s.name)}`;
      case "alterTable": {
        const out = `ALTER TABLE ${qualified(s.schema, s.table)} `;
        const a = s.action;
        switch (a.kind) {
          case "renameTable": return out + "RENAME TO " + quoteName(a.to);
          case "renameColumn": return out + `RENAME COLUMN ${quoteName(a.from)} TO ${quoteName(a.to)}`;
          case "addColumn": return out + "ADD COLUMN " + this.columnDef(a.column);
          case "dropColumn": return out + "DROP COLUMN " + quoteName(a.column);
          default: return assertNever(a);
        }
      }
      case "begin": return "BEGIN" + (s.mode !== null ? " " + s.mode : "");
      case "commit": return "COMMIT";
      case "rollback": return "ROLLBACK" + (s.savepoint !== null ? " TO " + quoteName(s.savepoint) : "");
      case "savepoint": return "SAVEPOINT " + quoteName(s.name);
      case "release": return "RELEASE " + quoteName(s.name);
      case "pragma": {
        let out = "PRAGMA " + qualified(s.schema, s.name);
        if (s.value !== null) {
          const v = /^-?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)$/.test(s.value) ? s.value : quoteName(s.value);
          out += s.form === "()" ? `(${v})` : ` = ${v}`;
        }
        return out;
      }
      case "attach":
        return `ATTACH ${this.expr(s.file, 0)} AS ${this.expr(s.schema, 0)}` + (s.key !== null ? " KEY " + this.expr(s.key, 0) : "");
      case "detach": return "DETACH " + this.expr(s.schema, 0);
      case "analyze": return "ANALYZE" + (s.name !== null ? " " + qualified(s.schema, s.name) : "");
      case "reindex": return "REINDEX" + (s.name !== null ? " " + qualified(s.schema, s.name) : "");
      case "vacuum": return "VACUUM" + (s.schema !== null ? " " + quoteName(s.schema) : "") + (s.into !== null ? " INTO " + this.expr(s.into, 0) : "");
      case "explain": return "EXPLAIN " + (s.queryPlan ? "QUERY PLAN " : "") + this.stmt(s.statement);
      default: return assertNever(s);
    }
  }
}

function qualified(schema: string | null, name: string): string {
  return (schema !== null ? quoteName(schema) + "." : "") + quoteName(name);
}

function joinOp(op: JoinOperator): string {
  let s = op.natural ? "NATURAL " : "";
  if (op.type !== "plain" && op.type !== "comma") s += op.type + " ";
  if (op.outer) s += "OUTER ";
  return s + "JOIN";
}
