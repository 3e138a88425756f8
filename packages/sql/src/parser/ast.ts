/*
 * The AST of Strata's SQL: what the parser builds and every later pass (name
 * resolution, planner, code generator, printer) reads.
 *
 * Design:
 *  1. Every node is a plain immutable object, a member of a discriminated union on
 *     `kind`; passes `switch (node.kind)` and end with assertNever, so adding a kind
 *     fails to compile until every pass handles it.
 *  2. Every node carries its source span: `start` and `end` are UTF-16 offsets into
 *     the text given to parse(), end exclusive. A statement's span runs from its first
 *     token to its last (without the `;`), so `sql.slice(stmt.start, stmt.end)` is the
 *     text SQLite stores in sqlite_schema for a CREATE statement.
 *  3. Names (tables, columns, collations, ...) are dequoted strings. Only a column
 *     reference remembers how it was quoted, because SQLite's meaning depends on it
 *     (a double-quoted name may become a string; a quoted `true` is not the constant).
 *  4. `null`, never `undefined`, marks an absent clause.
 *  5. Parentheses leave no node: `(a + b) * c` is a binary node whose left operand is a
 *     binary node. A parenthesised list of two or more expressions is a `vector`.
 *  6. Where SQLite's grammar has two spellings of one thing (`LIMIT a, b` and
 *     `LIMIT b OFFSET a`; `LEFT OUTER JOIN` and `OUTER LEFT JOIN`), the AST holds the
 *     meaning, and the printer writes one canonical spelling.
 * The grammar is SQLite's (https://sqlite.org/lang.html, src/parse.y).
 */

/** A source span: UTF-16 offsets, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | Literal
  | ColumnRef
  | Parameter
  | UnaryExpr
  | BinaryExpr
  | LikeExpr
  | BetweenExpr
  | InExpr
  | PostfixNullExpr
  | CollateExpr
  | CastExpr
  | CaseExpr
  | FunctionCall
  | ExistsExpr
  | SubqueryExpr
  | VectorExpr
  | RaiseExpr;

/**
 * A constant. `value` is the source text of a number (with any `_` separators),
 * the dequoted value of a string, the hex digits of a blob, or the keyword of
 * CURRENT_TIME/CURRENT_DATE/CURRENT_TIMESTAMP.
 */
export interface Literal extends Span {
  readonly kind: "literal";
  readonly type: "integer" | "float" | "string" | "blob" | "null" | "currentTime" | "currentDate" | "currentTimestamp";
  readonly value: string;
}

/** How an identifier was written: bare, in "double quotes", or in `` ` `` / [ ] quotes. */
export type Quoting = "none" | "double" | "other";

/** `column`, `table.column` or `schema.table.column`. */
export interface ColumnRef extends Span {
  readonly kind: "column";
  readonly schema: string | null;
  readonly table: string | null;
  readonly column: string;
  /** How the column name (the last part) was quoted. */
  readonly quoting: Quoting;
}

/** A parameter, by its source text: `?`, `?3`, `:a`, `@a`, `$a`, `$a::b(c)`. */
export interface Parameter extends Span {
  readonly kind: "parameter";
  readonly name: string;
}

export type UnaryOperator = "-" | "+" | "~" | "NOT";
export interface UnaryExpr extends Span {
  readonly kind: "unary";
  readonly op: UnaryOperator;
  readonly operand: Expr;
}

export type BinaryOperator =
  | "OR" | "AND"
  | "=" | "==" | "!=" | "<>" | "IS" | "IS NOT" | "IS DISTINCT FROM" | "IS NOT DISTINCT FROM"
  | "<" | "<=" | ">" | ">="
  | "&" | "|" | "<<" | ">>"
  | "+" | "-" | "*" | "/" | "%"
  | "||" | "->" | "->>";
export interface BinaryExpr extends Span {
  readonly kind: "binary";
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

/** `left [NOT] LIKE|GLOB|REGEXP|MATCH right [ESCAPE escape]`. */
export interface LikeExpr extends Span {
  readonly kind: "like";
  readonly op: "LIKE" | "GLOB" | "REGEXP" | "MATCH";
  readonly not: boolean;
  readonly left: Expr;
  readonly right: Expr;
  readonly escape: Expr | null;
}

export interface BetweenExpr extends Span {
  readonly kind: "between";
  readonly not: boolean;
  readonly expr: Expr;
  readonly low: Expr;
  readonly high: Expr;
}

/** `expr [NOT] IN (list)`, `IN (select)` or `IN [schema.]table[(args)]`. */
export interface InExpr extends Span {
  readonly kind: "in";
  readonly not: boolean;
  readonly expr: Expr;
  readonly rhs: InList | InSelect | InTable;
}
export interface InList { readonly kind: "list"; readonly items: readonly Expr[] }
export interface InSelect { readonly kind: "select"; readonly select: SelectStmt }
export interface InTable {
  readonly kind: "table";
  readonly schema: string | null;
  readonly name: string;
  /** Arguments of a table-valued function, or null without parentheses. */
  readonly args: readonly Expr[] | null;
}

/** `expr ISNULL`, `expr NOTNULL`, `expr NOT NULL`. (`IS NULL` is a binary IS.) */
export interface PostfixNullExpr extends Span {
  readonly kind: "postfixNull";
  readonly op: "ISNULL" | "NOTNULL" | "NOT NULL";
  readonly expr: Expr;
}

export interface CollateExpr extends Span {
  readonly kind: "collate";
  readonly expr: Expr;
  readonly collation: string;
}

/** A declared type: the words of its name (as written) and up to two signed numbers. */
export interface TypeName extends Span {
  readonly kind: "typeName";
  /** The name words joined by one space, each as written (e.g. `VARCHAR`, `"big int"`). */
  readonly name: string;
  /** The numbers of `(n)` or `(n, m)`, as written with an optional sign. */
  readonly args: readonly string[];
}

/** `CAST(expr AS type)`; the type may be empty (`CAST(x AS)`). */
export interface CastExpr extends Span {
  readonly kind: "cast";
  readonly expr: Expr;
  readonly type: TypeName | null;
}

export interface CaseExpr extends Span {
  readonly kind: "case";
  readonly operand: Expr | null;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else: Expr | null;
}

/** A function call, aggregate or window function. */
export interface FunctionCall extends Span {
  readonly kind: "function";
  readonly name: string;
  readonly quantifier: "DISTINCT" | "ALL" | null;
  /** The arguments; `"*"` for `count(*)`. */
  readonly args: readonly Expr[] | "*";
  /** `f(x ORDER BY y)` */
  readonly orderBy: readonly OrderingTerm[] | null;
  /** `FILTER (WHERE expr)` */
  readonly filter: Expr | null;
  readonly over: WindowDef | WindowName | null;
}

export interface ExistsExpr extends Span {
  readonly kind: "exists";
  readonly select: SelectStmt;
}

/** A scalar subquery `(SELECT ...)`. */
export interface SubqueryExpr extends Span {
  readonly kind: "subquery";
  readonly select: SelectStmt;
}

/** A row value `(a, b, ...)`, two or more items. */
export interface VectorExpr extends Span {
  readonly kind: "vector";
  readonly items: readonly Expr[];
}

/** `RAISE(IGNORE)` or `RAISE(ROLLBACK|ABORT|FAIL, message)`. */
export interface RaiseExpr extends Span {
  readonly kind: "raise";
  readonly action: "IGNORE" | "ROLLBACK" | "ABORT" | "FAIL";
  readonly message: Expr | null;
}

// ---------------------------------------------------------------- windows

export interface WindowName extends Span {
  readonly kind: "windowName";
  readonly name: string;
}

/** A window definition: `([base] [PARTITION BY ...] [ORDER BY ...] [frame])`. */
export interface WindowDef extends Span {
  readonly kind: "windowDef";
  readonly base: string | null;
  readonly partitionBy: readonly Expr[] | null;
  readonly orderBy: readonly OrderingTerm[] | null;
  readonly frame: Frame | null;
}

export interface Frame extends Span {
  readonly kind: "frame";
  readonly units: "RANGE" | "ROWS" | "GROUPS";
  /** The lower bound (the only bound of the one-bound form). */
  readonly from: FrameBound;
  /** The upper bound of `BETWEEN from AND to`; null for the one-bound form. */
  readonly to: FrameBound | null;
  readonly exclude: "NO OTHERS" | "CURRENT ROW" | "GROUP" | "TIES" | null;
}

export interface FrameBound extends Span {
  readonly kind: "frameBound";
  readonly type: "UNBOUNDED PRECEDING" | "PRECEDING" | "CURRENT ROW" | "FOLLOWING" | "UNBOUNDED FOLLOWING";
  /** The offset of `expr PRECEDING` / `expr FOLLOWING`. */
  readonly expr: Expr | null;
}

/** `name AS (window)` in a SELECT's WINDOW clause. */
export interface NamedWindow extends Span {
  readonly kind: "namedWindow";
  readonly name: string;
  readonly window: WindowDef;
}

// ---------------------------------------------------------------- SELECT

export interface OrderingTerm extends Span {
  readonly kind: "orderingTerm";
  readonly expr: Expr;
  readonly direction: "ASC" | "DESC" | null;
  readonly nulls: "FIRST" | "LAST" | null;
}

export interface CommonTableExpr extends Span {
  readonly kind: "cte";
  readonly name: string;
  readonly columns: readonly string[] | null;
  /** `AS MATERIALIZED` (true), `AS NOT MATERIALIZED` (false), plain `AS` (null). */
  readonly materialized: boolean | null;
  readonly select: SelectStmt;
}

export interface WithClause extends Span {
  readonly kind: "with";
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpr[];
}

export type ResultColumn = ResultExpr | ResultStar;
export interface ResultExpr extends Span {
  readonly kind: "resultExpr";
  readonly expr: Expr;
  readonly alias: string | null;
}
/** `*` (table null) or `table.*`. */
export interface ResultStar extends Span {
  readonly kind: "resultStar";
  readonly table: string | null;
}

/** One SELECT ... (without ORDER BY / LIMIT, which belong to the whole statement). */
export interface SelectCore extends Span {
  readonly kind: "selectCore";
  readonly distinct: "DISTINCT" | "ALL" | null;
  readonly columns: readonly ResultColumn[];
  readonly from: FromClause | null;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[] | null;
  readonly having: Expr | null;
  readonly windows: readonly NamedWindow[] | null;
}

/** `VALUES (..), (..)` */
export interface ValuesClause extends Span {
  readonly kind: "values";
  readonly rows: readonly (readonly Expr[])[];
}

export type CompoundOperator = "UNION" | "UNION ALL" | "INTERSECT" | "EXCEPT";
export interface CompoundPart {
  readonly op: CompoundOperator;
  readonly select: SelectCore | ValuesClause;
}

/**
 * A whole SELECT: `[WITH ...] first [op select]... [ORDER BY ...] [LIMIT ...]`.
 * ORDER BY and LIMIT are only possible when the last part is a SelectCore.
 */
export interface SelectStmt extends Span {
  readonly kind: "select";
  readonly with: WithClause | null;
  readonly first: SelectCore | ValuesClause;
  readonly compounds: readonly CompoundPart[];
  readonly orderBy: readonly OrderingTerm[] | null;
  readonly limit: LimitClause | null;
}

/** `LIMIT count [OFFSET offset]` (also for `LIMIT offset, count`). */
export interface LimitClause extends Span {
  readonly kind: "limit";
  readonly count: Expr;
  readonly offset: Expr | null;
}

// FROM clause ------------------------------------------------------------

export interface FromClause extends Span {
  readonly kind: "from";
  readonly first: TableSource;
  readonly joins: readonly JoinClause[];
}

export type TableSource = TableRef | SubquerySource | NestedJoinSource;

/** `[schema.]name[(args)] [AS alias] [INDEXED BY i | NOT INDEXED]` */
export interface TableRef extends Span {
  readonly kind: "tableRef";
  readonly schema: string | null;
  readonly name: string;
  /** Arguments of a table-valued function. */
  readonly args: readonly Expr[] | null;
  readonly alias: string | null;
  /** An index name for INDEXED BY, `false` for NOT INDEXED, null for neither. */
  readonly indexedBy: string | false | null;
}

export interface SubquerySource extends Span {
  readonly kind: "subquerySource";
  readonly select: SelectStmt;
  readonly alias: string | null;
}

/** A parenthesised join list used as one table: `(a JOIN b ON ...) AS x`. */
export interface NestedJoinSource extends Span {
  readonly kind: "nestedJoin";
  readonly from: FromClause;
  readonly alias: string | null;
}

/** A join operator; `comma` for `,`. */
export interface JoinOperator {
  readonly natural: boolean;
  readonly type: "comma" | "plain" | "INNER" | "CROSS" | "LEFT" | "RIGHT" | "FULL";
  /** The OUTER keyword was given (only with LEFT, RIGHT, FULL). */
  readonly outer: boolean;
}

export interface JoinClause extends Span {
  readonly kind: "join";
  readonly operator: JoinOperator;
  readonly table: TableSource;
  readonly on: Expr | null;
  readonly using: readonly string[] | null;
}

// ---------------------------------------------------------------- DML

export type ConflictAction = "ROLLBACK" | "ABORT" | "FAIL" | "IGNORE" | "REPLACE";

/** `[schema.]name [AS alias] [INDEXED BY i | NOT INDEXED]` of UPDATE and DELETE. */
export interface QualifiedTable extends Span {
  readonly kind: "qualifiedTable";
  readonly schema: string | null;
  readonly name: string;
  readonly alias: string | null;
  readonly indexedBy: string | false | null;
}

/** `col = expr` or `(a, b) = expr`. */
export interface SetClause extends Span {
  readonly kind: "set";
  readonly columns: readonly string[];
  /** Written as a parenthesised list. */
  readonly parenthesized: boolean;
  readonly expr: Expr;
}

export interface UpsertClause extends Span {
  readonly kind: "upsert";
  /** The conflict target `(cols) [WHERE ...]`, null when omitted (only the last one). */
  readonly target: { readonly columns: readonly OrderingTerm[]; readonly where: Expr | null } | null;
  /** DO NOTHING (set null) or DO UPDATE SET ... [WHERE ...]. */
  readonly set: readonly SetClause[] | null;
  readonly where: Expr | null;
}

export interface InsertStmt extends Span {
  readonly kind: "insert";
  readonly with: WithClause | null;
  /** REPLACE (the statement) or INSERT [OR action]. */
  readonly verb: "INSERT" | "REPLACE";
  readonly or: ConflictAction | null;
  readonly schema: string | null;
  readonly table: string;
  readonly alias: string | null;
  readonly columns: readonly string[] | null;
  /** The rows: a SELECT/VALUES, or null for DEFAULT VALUES. */
  readonly source: SelectStmt | null;
  readonly upsert: readonly UpsertClause[];
  readonly returning: readonly ResultColumn[] | null;
}

export interface UpdateStmt extends Span {
  readonly kind: "update";
  readonly with: WithClause | null;
  readonly or: ConflictAction | null;
  readonly table: QualifiedTable;
  readonly set: readonly SetClause[];
  readonly from: FromClause | null;
  readonly where: Expr | null;
  readonly returning: readonly ResultColumn[] | null;
  readonly orderBy: readonly OrderingTerm[] | null;
  readonly limit: LimitClause | null;
}

export interface DeleteStmt extends Span {
  readonly kind: "delete";
  readonly with: WithClause | null;
  readonly table: QualifiedTable;
  readonly where: Expr | null;
  readonly returning: readonly ResultColumn[] | null;
  readonly orderBy: readonly OrderingTerm[] | null;
  readonly limit: LimitClause | null;
}

// ---------------------------------------------------------------- DDL

export interface ForeignKeyClause extends Span {
  readonly kind: "foreignKey";
  readonly table: string;
  readonly columns: readonly string[] | null;
  /** ON DELETE/UPDATE/INSERT actions and MATCH names, in order written. */
  readonly actions: readonly ForeignKeyAction[];
  readonly deferrable: Deferrable | null;
}
export type ForeignKeyAction =
  | { readonly kind: "on"; readonly event: "DELETE" | "UPDATE" | "INSERT"; readonly action: "SET NULL" | "SET DEFAULT" | "CASCADE" | "RESTRICT" | "NO ACTION" }
  | { readonly kind: "match"; readonly name: string };

/** `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]` */
export interface Deferrable extends Span {
  readonly kind: "deferrable";
  readonly not: boolean;
  readonly initially: "DEFERRED" | "IMMEDIATE" | null;
}

export type ColumnConstraint =
  | ConstraintName
  | { readonly kind: "primaryKey"; readonly start: number; readonly end: number; readonly direction: "ASC" | "DESC" | null; readonly onConflict: ConflictAction | null; readonly autoincrement: boolean }
  | { readonly kind: "notNull"; readonly start: number; readonly end: number; readonly onConflict: ConflictAction | null }
  | { readonly kind: "null"; readonly start: number; readonly end: number; readonly onConflict: ConflictAction | null }
  | { readonly kind: "unique"; readonly start: number; readonly end: number; readonly onConflict: ConflictAction | null }
  | { readonly kind: "check"; readonly start: number; readonly end: number; readonly expr: Expr }
  | { readonly kind: "default"; readonly start: number; readonly end: number; readonly expr: Expr; readonly parenthesized: boolean }
  | { readonly kind: "collate"; readonly start: number; readonly end: number; readonly collation: string }
  | { readonly kind: "references"; readonly start: number; readonly end: number; readonly foreignKey: ForeignKeyClause }
  | Deferrable
  | { readonly kind: "generated"; readonly start: number; readonly end: number; readonly always: boolean; readonly expr: Expr; readonly storage: "STORED" | "VIRTUAL" | null };

/** `CONSTRAINT name`: names the constraint that follows it. */
export interface ConstraintName extends Span {
  readonly kind: "constraintName";
  readonly name: string;
}

export interface ColumnDef extends Span {
  readonly kind: "columnDef";
  readonly name: string;
  readonly type: TypeName | null;
  readonly constraints: readonly ColumnConstraint[];
}

export type TableConstraint =
  | ConstraintName
  | { readonly kind: "primaryKey"; readonly start: number; readonly end: number; readonly columns: readonly OrderingTerm[]; readonly autoincrement: boolean; readonly onConflict: ConflictAction | null }
  | { readonly kind: "unique"; readonly start: number; readonly end: number; readonly columns: readonly OrderingTerm[]; readonly onConflict: ConflictAction | null }
  | { readonly kind: "check"; readonly start: number; readonly end: number; readonly expr: Expr; readonly onConflict: ConflictAction | null }
  | { readonly kind: "foreignKeyConstraint"; readonly start: number; readonly end: number; readonly columns: readonly string[]; readonly foreignKey: ForeignKeyClause };

export interface CreateTableStmt extends Span {
  readonly kind: "createTable";
  readonly temp: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  /** Column definitions and constraints, or null for CREATE TABLE ... AS SELECT. */
  readonly columns: readonly ColumnDef[] | null;
  readonly constraints: readonly TableConstraint[];
  readonly asSelect: SelectStmt | null;
  readonly withoutRowid: boolean;
  readonly strict: boolean;
}

export interface CreateIndexStmt extends Span {
  readonly kind: "createIndex";
  readonly unique: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly table: string;
  readonly columns: readonly OrderingTerm[];
  readonly where: Expr | null;
}

export interface CreateViewStmt extends Span {
  readonly kind: "createView";
  readonly temp: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly select: SelectStmt;
}

export type TriggerStep = InsertStmt | UpdateStmt | DeleteStmt | SelectStmt;

export interface CreateTriggerStmt extends Span {
  readonly kind: "createTrigger";
  readonly temp: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly time: "BEFORE" | "AFTER" | "INSTEAD OF" | null;
  readonly event: "DELETE" | "INSERT" | "UPDATE";
  /** The columns of UPDATE OF a, b. */
  readonly columns: readonly string[] | null;
  readonly tableSchema: string | null;
  readonly table: string;
  readonly forEachRow: boolean;
  readonly when: Expr | null;
  readonly steps: readonly TriggerStep[];
}

export interface CreateVirtualTableStmt extends Span {
  readonly kind: "createVirtualTable";
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly module: string;
  /** Each module argument's text as written; null without parentheses. */
  readonly args: readonly string[] | null;
}

export interface DropStmt extends Span {
  readonly kind: "drop";
  readonly object: "TABLE" | "INDEX" | "VIEW" | "TRIGGER";
  readonly ifExists: boolean;
  readonly schema: string | null;
  readonly name: string;
}

export type AlterAction =
  | { readonly kind: "renameTable"; readonly to: string }
  | { readonly kind: "renameColumn"; readonly from: string; readonly to: string }
  | { readonly kind: "addColumn"; readonly column: ColumnDef }
  | { readonly kind: "dropColumn"; readonly column: string };

export interface AlterTableStmt extends Span {
  readonly kind: "alterTable";
  readonly schema: string | null;
  readonly table: string;
  readonly action: AlterAction;
}

// ---------------------------------------------------------------- other statements

export interface BeginStmt extends Span {
  readonly kind: "begin";
  /** COMPAT: CONCURRENT is Turso's/SQLite's begin-concurrent extension, not in stock SQLite. */
  readonly mode: "DEFERRED" | "IMMEDIATE" | "EXCLUSIVE" | "CONCURRENT" | null;
}
export interface CommitStmt extends Span { readonly kind: "commit" }
export interface RollbackStmt extends Span {
  readonly kind: "rollback";
  /** ROLLBACK TO [SAVEPOINT] name */
  readonly savepoint: string | null;
}
export interface SavepointStmt extends Span { readonly kind: "savepoint"; readonly name: string }
export interface ReleaseStmt extends Span { readonly kind: "release"; readonly name: string }

export interface PragmaStmt extends Span {
  readonly kind: "pragma";
  readonly schema: string | null;
  readonly name: string;
  /** The value: a dequoted name or a number's text (with a `-` sign if negative). */
  readonly value: string | null;
  /** `PRAGMA x = v` or `PRAGMA x(v)` */
  readonly form: "=" | "()" | null;
}

export interface AttachStmt extends Span {
  readonly kind: "attach";
  readonly file: Expr;
  readonly schema: Expr;
  readonly key: Expr | null;
}
export interface DetachStmt extends Span { readonly kind: "detach"; readonly schema: Expr }

/** ANALYZE / REINDEX [schema.]name: `name` alone when one part was given. */
export interface AnalyzeStmt extends Span { readonly kind: "analyze"; readonly schema: string | null; readonly name: string | null }
export interface ReindexStmt extends Span { readonly kind: "reindex"; readonly schema: string | null; readonly name: string | null }
export interface VacuumStmt extends Span { readonly kind: "vacuum"; readonly schema: string | null; readonly into: Expr | null }

export interface ExplainStmt extends Span {
  readonly kind: "explain";
  readonly queryPlan: boolean;
  readonly statement: Statement;
}

export type Statement =
  | SelectStmt | InsertStmt | UpdateStmt | DeleteStmt
  | CreateTableStmt | CreateIndexStmt | CreateViewStmt | CreateTriggerStmt | CreateVirtualTableStmt
  | DropStmt | AlterTableStmt
  | BeginStmt | CommitStmt | RollbackStmt | SavepointStmt | ReleaseStmt
  | PragmaStmt | AttachStmt | DetachStmt | AnalyzeStmt | ReindexStmt | VacuumStmt
  | ExplainStmt;

/** For exhaustive switches: a kind no case handled. */
export function assertNever(x: never): never {
  throw new Error(`unhandled AST node: ${JSON.stringify(x)}`);
}
