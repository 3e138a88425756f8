/*
 * Schema statements: CREATE TABLE / INDEX / VIEW / TRIGGER / VIRTUAL TABLE, DROP, and
 * ALTER TABLE (https://sqlite.org/lang_createtable.html and its siblings).
 * parseCreate is entered at CREATE; parseDrop at DROP; parseAlter at ALTER.
 */
import type {
  CreateTableStmt, CreateIndexStmt, CreateViewStmt, CreateTriggerStmt, CreateVirtualTableStmt, DropStmt, AlterTableStmt,
  ColumnDef, ColumnConstraint, TableConstraint, ForeignKeyClause, ForeignKeyAction, Deferrable, ConflictAction,
  TriggerStep, Statement,
} from "./ast.js";
import { MAX_COLUMN, Parser, sqlError } from "./parser.js";
import { parseExpr, parseSortList, parseTerm, parseTypeName } from "./parse-expr.js";
import { parseSelect, parseEidList, parseIdList } from "./parse-select.js";
import { parseInsert, parseUpdate, parseDelete, parseResolveType } from "./parse-dml.js";

/** ifnotexists ::= [IF NOT EXISTS] */
function parseIfNotExists(p: Parser): boolean {
  if (!p.eat("IF")) return false;
  p.expect("NOT");
  p.expect("EXISTS");
  return true;
}

/** nm [DOT nm] — returns schema (or null) and name. */
export function parseQualifiedName(p: Parser): { schema: string | null; name: string } {
  const first = p.nm();
  if (p.eat("DOT")) return { schema: first, name: p.nm() };
  return { schema: null, name: first };
}

/** CREATE [TEMP] TABLE|VIEW|TRIGGER ... | CREATE [UNIQUE] INDEX ... | CREATE VIRTUAL TABLE ... */
export function parseCreate(p: Parser): Statement {
  const start = p.start;
  p.expect("CREATE");
  if (p.eat("TEMP")) {
    const k = p.k();
    if (k === "TABLE") return parseCreateTable(p, start, true);
    if (k === "VIEW") return parseCreateView(p, start, true);
    if (k === "TRIGGER") return parseCreateTrigger(p, start, true);
    p.fail();
  }
  switch (p.k()) {
    case "TABLE": return parseCreateTable(p, start, false);
    case "VIEW": return parseCreateView(p, start, false);
    case "TRIGGER": return parseCreateTrigger(p, start, false);
    case "UNIQUE": case "INDEX": return parseCreateIndex(p, start);
    case "VIRTUAL": return parseCreateVirtualTable(p, start);
    default: p.fail();
  }
}

/**
 * create_table ::= CREATE [TEMP] TABLE [IF NOT EXISTS] nm [DOT nm]
 *   (LP columnlist [COMMA conslist] RP [table_option (COMMA table_option)*] | AS select)
 */
function parseCreateTable(p: Parser, start: number, temp: boolean): CreateTableStmt {
  p.expect("TABLE");
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  if (p.eat("AS")) {
    const asSelect = parseSelect(p);
    return {
      kind: "createTable", temp, ifNotExists, schema, name, columns: null, constraints: [], asSelect,
      withoutRowid: false, strict: false, start, end: p.lastEnd,
    };
  }
  p.expect("LP");
  const columns: ColumnDef[] = [];
  const constraints: TableConstraint[] = [];
  for (;;) {
    // SQLite's sqlite3AddColumn refuses the 2001st column as it is read.
    if (columns.length === MAX_COLUMN) throw sqlError(`too many columns on ${name}`);
    columns.push(parseColumnDef(p));
    if (!p.eat("COMMA")) break;
    if (startsTableConstraint(p.k())) {
      parseTableConstraints(p, constraints);
      break;
    }
  }
  p.expect("RP");
  let withoutRowid = false;
  let strict = false;
  if (p.isNm()) {
    do {
      let raw: string;
      let isWithout = false;
      if (p.eat("WITHOUT")) {
        isWithout = true;
        if (!p.isNm()) p.fail();
      }
      raw = p.text();
      p.nm();
      const next = p.k();
      if (next !== "COMMA" && next !== "SEMI" && next !== "EOF") p.fail();
      if (isWithout && raw.length === 5 && raw.toLowerCase() === "rowid") withoutRowid = true;
      else if (!isWithout && raw.length === 6 && raw.toLowerCase() === "strict") strict = true;
      else throw sqlError(`unknown table option: ${raw}`);
    } while (p.eat("COMMA"));
  }
  return {
    kind: "createTable", temp, ifNotExists, schema, name, columns, constraints, asSelect: null, withoutRowid, strict,
    start, end: p.lastEnd,
  };
}

function startsTableConstraint(k: string): boolean {
  return k === "CONSTRAINT" || k === "PRIMARY" || k === "UNIQUE" || k === "CHECK" || k === "FOREIGN";
}

/** columnname carglist ::= nm typetoken ccons* */
export function parseColumnDef(p: Parser): ColumnDef {
  const start = p.start;
  const name = p.nm();
  const type = parseTypeName(p);
  const constraints: ColumnConstraint[] = [];
  for (;;) {
    const c = parseColumnConstraint(p, name);
    if (c === null) break;
    constraints.push(c);
  }
  return { kind: "columnDef", name, type, constraints, start, end: p.lastEnd };
}

/** onconf ::= [ON CONFLICT resolvetype] */
function parseOnConf(p: Parser): ConflictAction | null {
  if (!p.eat("ON")) return null;
  p.expect("CONFLICT");
  return parseResolveType(p);
}

/** ccons ::= CONSTRAINT nm | DEFAULT ... | NULL | NOT NULL | PRIMARY KEY | UNIQUE | CHECK | REFERENCES | COLLATE | [GENERATED ALWAYS] AS ... */
function parseColumnConstraint(p: Parser, column: string): ColumnConstraint | null {
  const start = p.start;
  switch (p.k()) {
    case "CONSTRAINT":
      p.pos++;
      return { kind: "constraintName", name: p.nm(), start, end: p.lastEnd };
    case "DEFAULT": {
      p.pos++;
      if (p.eat("LP")) {
        const expr = parseExpr(p);
        p.expect("RP");
        return { kind: "default", expr, parenthesized: true, start, end: p.lastEnd };
      }
      if (p.k() === "PLUS" || p.k() === "MINUS") {
        const op = p.text() as "+" | "-";
        const s = p.start;
        p.pos++;
        const term = parseTerm(p);
        if (term === null) p.fail();
        return { kind: "default", expr: { kind: "unary", op, operand: term, start: s, end: p.lastEnd }, parenthesized: false, start, end: p.lastEnd };
      }
      const term = parseTerm(p);
      if (term !== null) return { kind: "default", expr: term, parenthesized: false, start, end: p.lastEnd };
      if (!p.isId()) p.fail();
      const s = p.start;
      const raw = p.text();
      const id = p.nm();
      const quoting = raw[0] === '"' ? "double" : raw[0] === "`" || raw[0] === "[" ? "other" : "none";
      return {
        kind: "default", expr: { kind: "column", schema: null, table: null, column: id, quoting, start: s, end: p.lastEnd },
        parenthesized: false, start, end: p.lastEnd,
      };
    }
    case "NULL":
      p.pos++;
      return { kind: "null", onConflict: parseOnConf(p), start, end: p.lastEnd };
    case "NOT":
      if (p.k(1) === "DEFERRABLE") return parseDeferrable(p);
      p.pos++;
      p.expect("NULL");
      return { kind: "notNull", onConflict: parseOnConf(p), start, end: p.lastEnd };
    case "DEFERRABLE":
      return parseDeferrable(p);
    case "PRIMARY": {
      p.pos++;
      p.expect("KEY");
      let direction: "ASC" | "DESC" | null = null;
      if (p.eat("ASC")) direction = "ASC";
      else if (p.eat("DESC")) direction = "DESC";
      const onConflict = parseOnConf(p);
      const autoincrement = p.eat("AUTOINCR");
      return { kind: "primaryKey", direction, onConflict, autoincrement, start, end: p.lastEnd };
    }
    case "UNIQUE":
      p.pos++;
      return { kind: "unique", onConflict: parseOnConf(p), start, end: p.lastEnd };
    case "CHECK": {
      p.pos++;
      p.expect("LP");
      const expr = parseExpr(p);
      p.expect("RP");
      return { kind: "check", expr, start, end: p.lastEnd };
    }
    case "REFERENCES":
      return { kind: "references", foreignKey: parseForeignKeyClause(p, false), start, end: p.lastEnd };
    case "COLLATE":
      p.pos++;
      return { kind: "collate", collation: p.ids(), start, end: p.lastEnd };
    case "GENERATED":
    case "AS": {
      let always = false;
      if (p.eat("GENERATED")) {
        p.expect("ALWAYS");
        always = true;
      }
      p.expect("AS");
      p.expect("LP");
      const expr = parseExpr(p);
      p.expect("RP");
      let storage: "STORED" | "VIRTUAL" | null = null;
      if (p.isId() && p.k() !== "INDEXED") {
        const word = p.text().toUpperCase();
        p.pos++;
        if (word === "STORED" || word === "VIRTUAL") storage = word;
        else throw sqlError(`error in generated column "${column}"`);
      }
      return { kind: "generated", always, expr, storage, start, end: p.lastEnd };
    }
    default:
      return null;
  }
}

/** defer_subclause ::= [NOT] DEFERRABLE [INITIALLY DEFERRED | INITIALLY IMMEDIATE] */
function parseDeferrable(p: Parser): Deferrable {
  const start = p.start;
  const not = p.eat("NOT");
  p.expect("DEFERRABLE");
  let initially: "DEFERRED" | "IMMEDIATE" | null = null;
  if (p.eat("INITIALLY")) {
    if (p.eat("DEFERRED")) initially = "DEFERRED";
    else if (p.eat("IMMEDIATE")) initially = "IMMEDIATE";
    else p.fail();
  }
  return { kind: "deferrable", not, initially, start, end: p.lastEnd };
}

/**
 * REFERENCES nm [eidlist] refarg* [defer_subclause (table constraints only)]
 * refarg ::= MATCH nm | ON (INSERT|DELETE|UPDATE) (SET NULL | SET DEFAULT | CASCADE | RESTRICT | NO ACTION)
 */
function parseForeignKeyClause(p: Parser, withDefer: boolean): ForeignKeyClause {
  const start = p.start;
  p.expect("REFERENCES");
  const table = p.nm();
  const columns = p.k() === "LP" ? parseEidList(p) : null;
  const actions: ForeignKeyAction[] = [];
  for (;;) {
    if (p.eat("MATCH")) {
      actions.push({ kind: "match", name: p.nm() });
    } else if (p.k() === "ON") {
      p.pos++;
      const ev = p.k();
      if (ev !== "INSERT" && ev !== "DELETE" && ev !== "UPDATE") p.fail();
      p.pos++;
      let action: "SET NULL" | "SET DEFAULT" | "CASCADE" | "RESTRICT" | "NO ACTION";
      if (p.eat("SET")) {
        if (p.eat("NULL")) action = "SET NULL";
        else if (p.eat("DEFAULT")) action = "SET DEFAULT";
        else p.fail();
      } else if (p.eat("CASCADE")) action = "CASCADE";
      else if (p.eat("RESTRICT")) action = "RESTRICT";
      else if (p.eat("NO")) {
        p.expect("ACTION");
        action = "NO ACTION";
      } else p.fail();
      actions.push({ kind: "on", event: ev, action });
    } else break;
  }
  let deferrable: Deferrable | null = null;
  if (withDefer && (p.k() === "DEFERRABLE" || (p.k() === "NOT" && p.k(1) === "DEFERRABLE"))) deferrable = parseDeferrable(p);
  return { kind: "foreignKey", table, columns, actions, deferrable, start, end: p.lastEnd };
}

/** conslist ::= tcons ([COMMA] tcons)* */
function parseTableConstraints(p: Parser, out: TableConstraint[]): void {
  for (;;) {
    out.push(parseTableConstraint(p));
    if (p.eat("COMMA")) {
      if (!startsTableConstraint(p.k())) p.fail();
      continue;
    }
    if (!startsTableConstraint(p.k())) return;
  }
}

/**
 * tcons ::= CONSTRAINT nm | PRIMARY KEY LP sortlist [AUTOINCREMENT] RP onconf
 *         | UNIQUE LP sortlist RP onconf | CHECK LP expr RP onconf
 *         | FOREIGN KEY LP eidlist RP REFERENCES ...
 */
function parseTableConstraint(p: Parser): TableConstraint {
  const start = p.start;
  switch (p.k()) {
    case "CONSTRAINT":
      p.pos++;
      return { kind: "constraintName", name: p.nm(), start, end: p.lastEnd };
    case "PRIMARY": {
      p.pos++;
      p.expect("KEY");
      p.expect("LP");
      const columns = parseSortList(p);
      const autoincrement = p.eat("AUTOINCR");
      p.expect("RP");
      return { kind: "primaryKey", columns, autoincrement, onConflict: parseOnConf(p), start, end: p.lastEnd };
    }
    case "UNIQUE": {
      p.pos++;
      p.expect("LP");
      const columns = parseSortList(p);
      p.expect("RP");
      return { kind: "unique", columns, onConflict: parseOnConf(p), start, end: p.lastEnd };
    }
    case "CHECK": {
      p.pos++;
      p.expect("LP");
      const expr = parseExpr(p);
      p.expect("RP");
      return { kind: "check", expr, onConflict: parseOnConf(p), start, end: p.lastEnd };
    }
    default: {
      p.expect("FOREIGN");
      p.expect("KEY");
      const columns = parseEidList(p);
      const foreignKey = parseForeignKeyClause(p, true);
      return { kind: "foreignKeyConstraint", columns, foreignKey, start, end: p.lastEnd };
    }
  }
}

/** CREATE [UNIQUE] INDEX [IF NOT EXISTS] nm [DOT nm] ON nm LP sortlist RP [WHERE expr] */
function parseCreateIndex(p: Parser, start: number): CreateIndexStmt {
  const unique = p.eat("UNIQUE");
  p.expect("INDEX");
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  p.expect("ON");
  const table = p.nm();
  p.expect("LP");
  const columns = parseSortList(p);
  p.expect("RP");
  const where = p.eat("WHERE") ? parseExpr(p) : null;
  if (columns.length > MAX_COLUMN) throw sqlError("too many columns in index");
  return { kind: "createIndex", unique, ifNotExists, schema, name, table, columns, where, start, end: p.lastEnd };
}

/** CREATE [TEMP] VIEW [IF NOT EXISTS] nm [DOT nm] [eidlist] AS select */
function parseCreateView(p: Parser, start: number, temp: boolean): CreateViewStmt {
  p.expect("VIEW");
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  const columns = p.k() === "LP" ? parseEidList(p) : null;
  p.expect("AS");
  const select = parseSelect(p);
  return { kind: "createView", temp, ifNotExists, schema, name, columns, select, start, end: p.lastEnd };
}

/**
 * CREATE [TEMP] TRIGGER [IF NOT EXISTS] nm [DOT nm] [BEFORE|AFTER|INSTEAD OF]
 *   (DELETE|INSERT|UPDATE [OF idlist]) ON nm [DOT nm] [FOR EACH ROW] [WHEN expr]
 *   BEGIN (trigger_cmd SEMI)+ END
 */
function parseCreateTrigger(p: Parser, start: number, temp: boolean): CreateTriggerStmt {
  p.expect("TRIGGER");
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  let time: CreateTriggerStmt["time"] = null;
  if (p.eat("BEFORE")) time = "BEFORE";
  else if (p.eat("AFTER")) time = "AFTER";
  else if (p.eat("INSTEAD")) {
    p.expect("OF");
    time = "INSTEAD OF";
  }
  const ev = p.k();
  if (ev !== "DELETE" && ev !== "INSERT" && ev !== "UPDATE") p.fail();
  p.pos++;
  let columns: string[] | null = null;
  if (ev === "UPDATE" && p.eat("OF")) columns = parseIdList(p);
  p.expect("ON");
  const target = parseQualifiedName(p);
  let forEachRow = false;
  if (p.eat("FOR")) {
    p.expect("EACH");
    p.expect("ROW");
    forEachRow = true;
  }
  const when = p.eat("WHEN") ? parseExpr(p) : null;
  p.expect("BEGIN");
  const steps: TriggerStep[] = [];
  p.inTrigger = true;
  try {
    do {
      const step = parseTriggerStep(p);
      // SQLite's trigger_cmd action refuses a schema-qualified target; the action runs
      // when the step is reduced, i.e. at the `;` (or the end of the text).
      const qualifiedTarget = step.kind === "insert" ? step.schema !== null : step.kind !== "select" && step.table.schema !== null;
      if (qualifiedTarget && (p.k() === "SEMI" || p.k() === "EOF")) {
        throw sqlError("qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers");
      }
      steps.push(step);
      p.expect("SEMI");
    } while (p.k() !== "END");
  } finally {
    p.inTrigger = false;
  }
  p.expect("END");
  return {
    kind: "createTrigger", temp, ifNotExists, schema, name, time, event: ev, columns, tableSchema: target.schema,
    table: target.name, forEachRow, when, steps, start, end: p.lastEnd,
  };
}

/** trigger_cmd ::= UPDATE ... | INSERT ... | DELETE ... | select */
function parseTriggerStep(p: Parser): TriggerStep {
  const start = p.start;
  switch (p.k()) {
    case "UPDATE": return parseUpdate(p, null, start);
    case "INSERT": case "REPLACE": return parseInsert(p, null, start);
    case "DELETE": return parseDelete(p, null, start);
    case "SELECT": case "VALUES": case "WITH": return parseSelect(p);
    default: p.fail();
  }
}

/** CREATE VIRTUAL TABLE [IF NOT EXISTS] nm [DOT nm] USING nm [LP vtabarg (COMMA vtabarg)* RP] */
function parseCreateVirtualTable(p: Parser, start: number): CreateVirtualTableStmt {
  p.expect("VIRTUAL");
  p.expect("TABLE");
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  p.expect("USING");
  const module = p.nm();
  let args: string[] | null = null;
  if (p.eat("LP")) {
    args = [];
    let argStart = -1;
    let argEnd = -1;
    let depth = 0;
    for (;;) {
      const k = p.k();
      if (k === "EOF") p.fail();
      if (depth === 0 && (k === "COMMA" || k === "RP")) {
        if (argStart >= 0) args.push(p.src.slice(argStart, argEnd));
        argStart = -1;
        p.pos++;
        if (k === "RP") break;
        continue;
      }
      if (k === "LP") depth++;
      else if (k === "RP") depth--;
      if (argStart < 0) argStart = p.start;
      argEnd = p.ends[p.pos];
      p.pos++;
    }
  }
  return { kind: "createVirtualTable", ifNotExists, schema, name, module, args, start, end: p.lastEnd };
}

/** DROP (TABLE|VIEW|INDEX|TRIGGER) [IF EXISTS] nm [DOT nm] */
export function parseDrop(p: Parser): DropStmt {
  const start = p.start;
  p.expect("DROP");
  const k = p.k();
  if (k !== "TABLE" && k !== "VIEW" && k !== "INDEX" && k !== "TRIGGER") p.fail();
  p.pos++;
  let ifExists = false;
  if (p.eat("IF")) {
    p.expect("EXISTS");
    ifExists = true;
  }
  const { schema, name } = parseQualifiedName(p);
  return { kind: "drop", object: k, ifExists, schema, name, start, end: p.lastEnd };
}

/**
 * ALTER TABLE nm [DOT nm] (RENAME TO nm | RENAME [COLUMN] nm TO nm
 *                         | ADD [COLUMN] columnname carglist | DROP [COLUMN] nm)
 */
export function parseAlter(p: Parser): AlterTableStmt {
  const start = p.start;
  p.expect("ALTER");
  p.expect("TABLE");
  const { schema, name } = parseQualifiedName(p);
  let action: AlterTableStmt["action"];
  if (p.eat("RENAME")) {
    if (p.eat("TO")) action = { kind: "renameTable", to: p.nm() };
    else {
      p.eat("COLUMNKW");
      const from = p.nm();
      p.expect("TO");
      action = { kind: "renameColumn", from, to: p.nm() };
    }
  } else if (p.eat("ADD")) {
    p.eat("COLUMNKW");
    action = { kind: "addColumn", column: parseColumnDef(p) };
  } else if (p.eat("DROP")) {
    p.eat("COLUMNKW");
    action = { kind: "dropColumn", column: p.nm() };
  } else p.fail();
  return { kind: "alterTable", schema, table: name, action, start, end: p.lastEnd };
}

