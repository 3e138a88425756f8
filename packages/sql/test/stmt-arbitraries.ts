// fast-check arbitraries for every statement kind of ast.ts beyond SELECT: DML (with
// its trigger-body variants), DDL, and the small statements. Each generator produces
// only ASTs the parser can build, i.e. it respects the grammar's restrictions:
//  - a trigger step has no WITH (except a SELECT step), no schema-qualified target, no
//    INDEXED BY, no RETURNING, no DEFAULT VALUES, no ORDER BY / LIMIT on UPDATE/DELETE;
//  - an upsert without a conflict target is the last one; an INSERT with an upsert never
//    has a SELECT ending in a bare FROM clause (the ON would be read as a join
//    constraint, as in SQLite: the printer's documented limit);
//  - a column's REFERENCES clause carries no DEFERRABLE (it is a constraint of its own),
//    DEFAULT without parentheses holds a literal, a signed literal or a name;
//  - a SET clause names one column unless parenthesised; PRAGMA values are as parsed.
import fc from "fast-check";
import type {
  Statement, Expr, SelectStmt, InsertStmt, UpdateStmt, DeleteStmt, UpsertClause, SetClause, ResultColumn, ColumnDef,
  ColumnConstraint, TableConstraint, ForeignKeyClause, Deferrable, CreateTableStmt, CreateIndexStmt, CreateViewStmt,
  CreateTriggerStmt, CreateVirtualTableStmt, DropStmt, AlterTableStmt, TriggerStep, PragmaStmt, ConflictAction, OrderingTerm,
  WithClause, FromClause,
} from "../src/index.js";
import { astArbitraries, S, anyName, bareName, optName, str, typeName } from "./arbitraries.js";

// Statements hold many expressions; nesting two levels deep keeps 500 runs per family
// fast, and arbitraries.ts's own property covers deeper expressions and SELECTs.
const ast = astArbitraries(2);
const expr = ast.expr;
const select = ast.select;
const orderingTerms = ast.sortList as fc.Arbitrary<OrderingTerm[]>;
const withArb = ast.withClause as fc.Arbitrary<WithClause>;
const fromArb = ast.from as fc.Arbitrary<FromClause>;

/** An optional clause, absent half the time (fc.option's default, 1 in 5, makes huge statements). */
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 2 });
const names = (min = 1, max = 3) => fc.uniqueArray(anyName, { minLength: min, maxLength: max });
const conflict: fc.Arbitrary<ConflictAction> = fc.constantFrom("ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE");
const optConflict = opt(conflict);
const lit = (type: string, value: string): Expr => ({ kind: "literal", type, value, ...S }) as Expr;

// ---------------------------------------------------------------- DML

const resultCols: fc.Arbitrary<ResultColumn[]> = fc.array(
  fc.oneof(
    fc.record({ expr, alias: optName }).map((r) => ({ kind: "resultExpr" as const, ...r, ...S })),
    optName.map((table) => ({ kind: "resultStar" as const, table, ...S })),
  ),
  { minLength: 1, maxLength: 2 },
);

const setList: fc.Arbitrary<SetClause[]> = fc.array(
  fc.oneof(
    fc.record({ columns: anyName.map((c) => [c]), parenthesized: fc.constant(false), expr }),
    fc.record({ columns: names(1, 3), parenthesized: fc.constant(true), expr }),
  ).map((r) => ({ kind: "set" as const, ...r, ...S })),
  { minLength: 1, maxLength: 2 },
);

const limit = fc.record({ count: expr, offset: opt(expr) }).map((l) => ({ kind: "limit" as const, ...l, ...S }));

const upsertWithTarget: fc.Arbitrary<UpsertClause> = fc
  .record({
    target: fc.record({ columns: orderingTerms, where: opt(expr) }),
    set: opt(setList),
    where: opt(expr),
  })
  .map((u) => ({ kind: "upsert", ...u, where: u.set === null ? null : u.where, ...S }));
const upsertNoTarget: fc.Arbitrary<UpsertClause> = fc
  .record({ set: opt(setList), where: opt(expr) })
  .map((u) => ({ kind: "upsert", target: null, ...u, where: u.set === null ? null : u.where, ...S }));
const upserts: fc.Arbitrary<UpsertClause[]> = fc
  .tuple(fc.array(upsertWithTarget, { maxLength: 1 }), opt(upsertNoTarget))
  .map(([withTarget, last]) => (last === null ? withTarget : [...withTarget, last]));

/**
 * An INSERT source followed by ON CONFLICT must not end in a bare FROM clause (ON would
 * continue the join). Give such a SELECT a WHERE, as SQLite's docs advise.
 */
function upsertSafe(s: SelectStmt): SelectStmt {
  if (s.orderBy !== null || s.limit !== null) return s;
  const last = s.compounds.length > 0 ? s.compounds[s.compounds.length - 1].select : s.first;
  if (last.kind !== "selectCore" || last.from === null) return s;
  if (last.where !== null || last.groupBy !== null || last.having !== null || last.windows !== null) return s;
  const fixed = { ...last, where: lit("integer", "1") };
  if (s.compounds.length === 0) return { ...s, first: fixed };
  const compounds = s.compounds.slice(0, -1).concat([{ op: s.compounds[s.compounds.length - 1].op, select: fixed }]);
  return { ...s, compounds };
}

function insertArb(inTrigger: boolean): fc.Arbitrary<InsertStmt> {
  const source = inTrigger ? select : opt(select);
  return fc
    .record({
      with: inTrigger ? fc.constant(null) : opt(withArb),
      verbOr: fc.oneof(fc.constant(["REPLACE", null] as const), optConflict.map((or) => ["INSERT", or] as const)),
      schema: inTrigger ? fc.constant(null) : optName,
      table: anyName,
      alias: optName,
      columns: opt(names()),
      source,
      upsert: upserts,
      returning: inTrigger ? fc.constant(null) : opt(resultCols),
    })
    .map(({ verbOr, source: src, upsert, ...r }) => ({
      kind: "insert" as const,
      ...r,
      verb: verbOr[0],
      or: verbOr[1],
      source: src !== null && upsert.length > 0 ? upsertSafe(src) : src,
      upsert: src === null ? [] : upsert,
      ...S,
    }));
}

function qualifiedTable(inTrigger: boolean) {
  return fc
    .record({
      schema: inTrigger ? fc.constant(null) : optName,
      name: anyName,
      alias: optName,
      indexedBy: inTrigger ? fc.constant(null) : fc.oneof(fc.constant(null), fc.constant(false as const), anyName),
    })
    .map((t) => ({ kind: "qualifiedTable" as const, ...t, ...S }));
}

function updateArb(inTrigger: boolean): fc.Arbitrary<UpdateStmt> {
  return fc
    .record({
      with: inTrigger ? fc.constant(null) : opt(withArb),
      or: optConflict,
      table: qualifiedTable(inTrigger),
      set: setList,
      from: opt(fromArb),
      where: opt(expr),
      returning: inTrigger ? fc.constant(null) : opt(resultCols),
      orderBy: inTrigger ? fc.constant(null) : opt(orderingTerms),
      limit: inTrigger ? fc.constant(null) : opt(limit),
    })
    .map((u) => ({ kind: "update" as const, ...u, ...S }));
}

function deleteArb(inTrigger: boolean): fc.Arbitrary<DeleteStmt> {
  return fc
    .record({
      with: inTrigger ? fc.constant(null) : opt(withArb),
      table: qualifiedTable(inTrigger),
      where: opt(expr),
      returning: inTrigger ? fc.constant(null) : opt(resultCols),
      orderBy: inTrigger ? fc.constant(null) : opt(orderingTerms),
      limit: inTrigger ? fc.constant(null) : opt(limit),
    })
    .map((d) => ({ kind: "delete" as const, ...d, ...S }));
}

export const insert = insertArb(false);
export const update = updateArb(false);
export const del = deleteArb(false);

// ---------------------------------------------------------------- CREATE TABLE

const deferrable: fc.Arbitrary<Deferrable> = fc
  .record({ not: fc.boolean(), initially: fc.constantFrom(null, "DEFERRED" as const, "IMMEDIATE" as const) })
  .map((d) => ({ kind: "deferrable", ...d, ...S }));

const fkAction = fc.oneof(
  fc.record({
    kind: fc.constant("on" as const),
    event: fc.constantFrom("DELETE" as const, "UPDATE" as const, "INSERT" as const),
    action: fc.constantFrom("SET NULL" as const, "SET DEFAULT" as const, "CASCADE" as const, "RESTRICT" as const, "NO ACTION" as const),
  }),
  fc.record({ kind: fc.constant("match" as const), name: anyName }),
);

function foreignKey(withDefer: boolean): fc.Arbitrary<ForeignKeyClause> {
  return fc
    .record({
      table: anyName,
      columns: opt(names()),
      actions: fc.array(fkAction, { maxLength: 3 }),
      deferrable: withDefer ? opt(deferrable) : fc.constant(null),
    })
    .map((f) => ({ kind: "foreignKey", ...f, ...S }));
}

/** Literals DEFAULT takes without parentheses (SQLite's `term`). */
const defaultTerm: fc.Arbitrary<Expr> = fc.oneof(
  fc.nat().map((n) => lit("integer", String(n))),
  fc.constantFrom("1.5", "2e10", ".5", "0x1F", "1_000").map((v) => lit(/^0x|^\d+$|^\d+_\d+$/.test(v) ? "integer" : "float", v)),
  str.map((v) => lit("string", v)),
  fc.constantFrom("", "ABCD").map((v) => lit("blob", v)),
  fc.constant(lit("null", "NULL")),
  fc.constantFrom(["currentTime", "CURRENT_TIME"], ["currentDate", "CURRENT_DATE"], ["currentTimestamp", "CURRENT_TIMESTAMP"]).map(([t, v]) => lit(t, v)),
);
const defaultValue = fc.oneof(
  defaultTerm.map((e) => ({ expr: e, parenthesized: false })),
  fc.record({ op: fc.constantFrom("-" as const, "+" as const), operand: defaultTerm }).map((u) => ({ expr: { kind: "unary", ...u, ...S } as Expr, parenthesized: false })),
  fc.oneof(
    bareName.map((column) => ({ column, quoting: "none" as const })),
    fc.record({ column: anyName, quoting: fc.constantFrom("double" as const, "other" as const) }),
  ).map((c) => ({ expr: { kind: "column", schema: null, table: null, ...c, ...S } as Expr, parenthesized: false })),
  expr.map((e) => ({ expr: e, parenthesized: true })),
);

const columnConstraint: fc.Arbitrary<ColumnConstraint> = fc.oneof(
  anyName.map((name) => ({ kind: "constraintName" as const, name, ...S })),
  fc.record({ direction: fc.constantFrom(null, "ASC" as const, "DESC" as const), onConflict: optConflict, autoincrement: fc.boolean() }).map((c) => ({ kind: "primaryKey" as const, ...c, ...S })),
  optConflict.map((onConflict) => ({ kind: "notNull" as const, onConflict, ...S })),
  optConflict.map((onConflict) => ({ kind: "null" as const, onConflict, ...S })),
  optConflict.map((onConflict) => ({ kind: "unique" as const, onConflict, ...S })),
  expr.map((e) => ({ kind: "check" as const, expr: e, ...S })),
  defaultValue.map((d) => ({ kind: "default" as const, ...d, ...S })),
  anyName.map((collation) => ({ kind: "collate" as const, collation, ...S })),
  foreignKey(false).map((foreignKey) => ({ kind: "references" as const, foreignKey, ...S })),
  deferrable,
  fc.record({ always: fc.boolean(), expr, storage: fc.constantFrom(null, "STORED" as const, "VIRTUAL" as const) }).map((g) => ({ kind: "generated" as const, ...g, ...S })),
);

export const columnDef: fc.Arbitrary<ColumnDef> = fc
  .record({ name: anyName, type: typeName, constraints: fc.array(columnConstraint, { maxLength: 3 }) })
  // A second GENERATED clause on one column is SQLite's "error in generated column",
  // raised while parsing; keep the first.
  .map((c) => ({
    kind: "columnDef",
    ...c,
    constraints: c.constraints.filter((k, i) => k.kind !== "generated" || c.constraints.findIndex((x) => x.kind === "generated") === i),
    ...S,
  }));

const tableConstraint: fc.Arbitrary<TableConstraint> = fc.oneof(
  anyName.map((name) => ({ kind: "constraintName" as const, name, ...S })),
  fc.record({ columns: orderingTerms, autoincrement: fc.boolean(), onConflict: optConflict }).map((c) => ({ kind: "primaryKey" as const, ...c, ...S })),
  fc.record({ columns: orderingTerms, onConflict: optConflict }).map((c) => ({ kind: "unique" as const, ...c, ...S })),
  fc.record({ expr, onConflict: optConflict }).map((c) => ({ kind: "check" as const, ...c, ...S })),
  fc.record({ columns: names(), foreignKey: foreignKey(true) }).map((c) => ({ kind: "foreignKeyConstraint" as const, ...c, ...S })),
);

const createHead = { temp: fc.boolean(), ifNotExists: fc.boolean(), schema: optName, name: anyName };

export const createTable: fc.Arbitrary<CreateTableStmt> = fc.oneof(
  fc
    .record({
      ...createHead,
      columns: fc.array(columnDef, { minLength: 1, maxLength: 3 }),
      constraints: fc.array(tableConstraint, { maxLength: 2 }),
      withoutRowid: fc.boolean(),
      strict: fc.boolean(),
    })
    .map((t) => ({ kind: "createTable" as const, ...t, asSelect: null, ...S })),
  fc
    .record({ ...createHead, asSelect: select })
    .map((t) => ({ kind: "createTable" as const, ...t, columns: null, constraints: [], withoutRowid: false, strict: false, ...S })),
);

// ---------------------------------------------------------------- other DDL

export const createIndex: fc.Arbitrary<CreateIndexStmt> = fc
  .record({ unique: fc.boolean(), ifNotExists: fc.boolean(), schema: optName, name: anyName, table: anyName, columns: orderingTerms, where: opt(expr) })
  .map((i) => ({ kind: "createIndex", ...i, ...S }));

export const createView: fc.Arbitrary<CreateViewStmt> = fc
  .record({ ...createHead, columns: opt(names()), select })
  .map((v) => ({ kind: "createView", ...v, ...S }));

const triggerStep: fc.Arbitrary<TriggerStep> = fc.oneof(insertArb(true), updateArb(true), deleteArb(true), select);

export const createTrigger: fc.Arbitrary<CreateTriggerStmt> = fc
  .record({
    ...createHead,
    time: fc.constantFrom(null, "BEFORE" as const, "AFTER" as const, "INSTEAD OF" as const),
    event: fc.oneof(
      fc.constantFrom("DELETE" as const, "INSERT" as const).map((event) => ({ event, columns: null })),
      fc.record({ event: fc.constant("UPDATE" as const), columns: opt(names()) }),
    ),
    tableSchema: optName,
    table: anyName,
    forEachRow: fc.boolean(),
    when: opt(expr),
    steps: fc.array(triggerStep, { minLength: 1, maxLength: 3 }),
  })
  .map(({ event, ...t }) => ({ kind: "createTrigger", ...t, ...event, ...S }));

/** Module arguments as the parser keeps them: each one's text from its first token to its last. */
const moduleArg = fc.constantFrom(
  "a", "b INTEGER", "x=1", "content=''", "'str, with comma'", "f(a, b)", "tokenize = 'porter ascii'", "-1.5", "PRIMARY KEY",
  "\"quoted name\"", "(nested (parens), too)", "select", "a  b", "x'00'",
);
export const createVirtualTable: fc.Arbitrary<CreateVirtualTableStmt> = fc
  .record({ ifNotExists: fc.boolean(), schema: optName, name: anyName, module: anyName, args: opt(fc.array(moduleArg, { maxLength: 3 })) })
  .map((v) => ({ kind: "createVirtualTable", ...v, ...S }));

export const drop: fc.Arbitrary<DropStmt> = fc
  .record({ object: fc.constantFrom("TABLE" as const, "INDEX" as const, "VIEW" as const, "TRIGGER" as const), ifExists: fc.boolean(), schema: optName, name: anyName })
  .map((d) => ({ kind: "drop", ...d, ...S }));

export const alterTable: fc.Arbitrary<AlterTableStmt> = fc
  .record({
    schema: optName,
    table: anyName,
    action: fc.oneof(
      anyName.map((to) => ({ kind: "renameTable" as const, to })),
      fc.record({ from: anyName, to: anyName }).map((r) => ({ kind: "renameColumn" as const, ...r })),
      columnDef.map((column) => ({ kind: "addColumn" as const, column })),
      anyName.map((column) => ({ kind: "dropColumn" as const, column })),
    ),
  })
  .map((a) => ({ kind: "alterTable", ...a, ...S }));

// ---------------------------------------------------------------- other statements

export const transaction: fc.Arbitrary<Statement> = fc.oneof(
  fc.constantFrom(null, "DEFERRED" as const, "IMMEDIATE" as const, "EXCLUSIVE" as const, "CONCURRENT" as const).map((mode) => ({ kind: "begin" as const, mode, ...S })),
  fc.constant({ kind: "commit" as const, ...S }),
  optName.map((savepoint) => ({ kind: "rollback" as const, savepoint, ...S })),
  anyName.map((name) => ({ kind: "savepoint" as const, name, ...S })),
  anyName.map((name) => ({ kind: "release" as const, name, ...S })),
);

/** A PRAGMA value as the parser stores it: a name, a number's text (maybe `-`), ON/DELETE/DEFAULT. */
const pragmaValue = fc.oneof(
  anyName,
  fc.constantFrom("0", "1", "-1", "100", "1.5", "-2.5", "1e3", "0x10", "-0x10", ".5", "ON", "on", "DELETE", "default", "full", "1_000"),
);
export const pragma: fc.Arbitrary<PragmaStmt> = fc
  .record({ schema: optName, name: anyName, v: opt(fc.record({ value: pragmaValue, form: fc.constantFrom("=" as const, "()" as const) })) })
  .map(({ v, ...r }) => ({ kind: "pragma", ...r, value: v === null ? null : v.value, form: v === null ? null : v.form, ...S }));

export const attachDetach: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({ file: expr, schema: expr, key: opt(expr) }).map((a) => ({ kind: "attach" as const, ...a, ...S })),
  expr.map((schema) => ({ kind: "detach" as const, schema, ...S })),
);

const schemaAndName = fc.oneof(
  fc.constant({ schema: null, name: null }),
  fc.record({ schema: optName, name: anyName }),
);
export const maintenance: fc.Arbitrary<Statement> = fc.oneof(
  schemaAndName.map((r) => ({ kind: "analyze" as const, ...r, ...S })),
  schemaAndName.map((r) => ({ kind: "reindex" as const, ...r, ...S })),
  fc.record({ schema: optName, into: opt(expr) }).map((r) => ({ kind: "vacuum" as const, ...r, ...S })),
);

/** Every statement kind except EXPLAIN. */
export const command: fc.Arbitrary<Statement> = fc.oneof(
  select as fc.Arbitrary<Statement>, insert, update, del, createTable, createIndex, createView, createTrigger, createVirtualTable,
  drop, alterTable, transaction, pragma, attachDetach, maintenance,
);

export const explain: fc.Arbitrary<Statement> = fc
  .record({ queryPlan: fc.boolean(), statement: command })
  .map((e) => ({ kind: "explain" as const, ...e, ...S }));

export const statement: fc.Arbitrary<Statement> = fc.oneof(command, explain);
export { select };
