// fast-check arbitraries for the AST: expressions and SELECT (the letrec below), and
// every other statement kind (stmt-arbitraries.ts builds on these). Generated ASTs stay
// within what the parser accepts, so parse(print(ast)) must give the AST back.
import fc from "fast-check";
import type { Expr, SelectStmt, OrderingTerm, WithClause, FromClause } from "../src/index.js";

const S = { start: 0, end: 0 };

/**
 * The AST as JSON without start/end and with sorted keys: equal strings mean equal
 * ASTs. Much cheaper than a deep toEqual on large statements.
 */
export function canon(x: unknown): string {
  return JSON.stringify(x, (k, v) => {
    if ((k === "start" || k === "end") && typeof v === "number") return undefined;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) o[key] = (v as Record<string, unknown>)[key];
    return o;
  });
}

/** The AST without start/end, for comparison. */
export function strip(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "start" || k === "end") && typeof v === "number" ? undefined : v));
}

const bareName = fc.constantFrom("a", "b", "c", "x1", "foo", "bar_baz", "t", "u9");
const anyName = fc.oneof(bareName, fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes("\0")), fc.constantFrom("select", "key", "replace", "from", "a b", "\"q\"", "true"));
const optName = fc.option(anyName, { nil: null });
const str = fc.string({ maxLength: 8 }).filter((s) => !s.includes("\0"));

const literal: fc.Arbitrary<Expr> = fc.oneof(
  fc.nat().map((n) => ({ kind: "literal", type: "integer", value: String(n), ...S }) as Expr),
  fc.constantFrom("1.5", "0.25", "2e10", "3.0E-2", ".5", "7.").map((v) => ({ kind: "literal", type: "float", value: v, ...S }) as Expr),
  fc.constantFrom("0x1F", "0XAB", "1_000", "0x_1").filter((v) => v !== "0x_1").map((v) => ({ kind: "literal", type: "integer", value: v, ...S }) as Expr),
  str.map((v) => ({ kind: "literal", type: "string", value: v, ...S }) as Expr),
  fc.constantFrom("", "00", "ABCD", "ff").map((v) => ({ kind: "literal", type: "blob", value: v, ...S }) as Expr),
  fc.constant({ kind: "literal", type: "null", value: "NULL", ...S } as Expr),
  fc.constantFrom(["currentTime", "CURRENT_TIME"], ["currentDate", "CURRENT_DATE"], ["currentTimestamp", "CURRENT_TIMESTAMP"]).map(
    ([type, value]) => ({ kind: "literal", type, value, ...S }) as Expr,
  ),
);

const column: fc.Arbitrary<Expr> = fc.oneof(
  fc.record({ schema: fc.constant(null), table: fc.constant(null), column: bareName, quoting: fc.constant("none" as const) }),
  fc.record({ schema: optName, table: anyName, column: bareName, quoting: fc.constant("none" as const) }),
  fc.record({ schema: fc.constant(null), table: optName, column: anyName, quoting: fc.constantFrom("double" as const, "other" as const) }),
).map((r) => ({ kind: "column", ...r, ...S }) as Expr);

const parameter = fc.constantFrom("?", "?1", "?32766", ":a", "@b", "$c", "#d").map((name) => ({ kind: "parameter", name, ...S }) as Expr);
const typeName = fc.option(
  fc.record({ name: fc.constantFrom("INTEGER", "TEXT", "VARCHAR", "DOUBLE PRECISION", "UNSIGNED BIG INT", "\"my type\""), args: fc.constantFrom([], ["10"], ["-2", "+3"], ["1.5"]) }).map(
    (r) => ({ kind: "typeName", ...r, ...S }) as const,
  ),
  { nil: null },
);

const binaryOps = ["OR", "AND", "=", "==", "!=", "<>", "IS", "IS NOT", "IS DISTINCT FROM", "IS NOT DISTINCT FROM", "<", "<=", ">", ">=", "&", "|", "<<", ">>", "+", "-", "*", "/", "%", "||", "->", "->>"] as const;

/**
 * The expression and SELECT arbitraries, nested at most `maxDepth` levels (one
 * depth counter shared by expressions, SELECTs and FROM sources).
 */
export function astArbitraries(maxDepth: number) {
  return fc.letrec<{ expr: Expr; select: SelectStmt; core: unknown; values: unknown; from: unknown; source: unknown; window: unknown; sortList: unknown; withClause: unknown }>((tie) => {
  const e = tie("expr") as fc.Arbitrary<Expr>;
  const exprs = (min = 1) => fc.array(e, { minLength: min, maxLength: 3 });
  const sel = tie("select") as fc.Arbitrary<SelectStmt>;
  const sortList = fc.array(
    fc.record({ kind: fc.constant("orderingTerm" as const), expr: e, direction: fc.constantFrom(null, "ASC" as const, "DESC" as const), nulls: fc.constantFrom(null, "FIRST" as const, "LAST" as const) }).map((r) => ({ ...r, ...S })),
    { minLength: 1, maxLength: 2 },
  );
  const bound = (isStart: boolean) =>
    fc.oneof(
      fc.constant({ kind: "frameBound", type: isStart ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING", expr: null, ...S }),
      fc.constant({ kind: "frameBound", type: "CURRENT ROW", expr: null, ...S }),
      fc.record({ type: fc.constantFrom("PRECEDING", "FOLLOWING"), expr: e }).map((r) => ({ kind: "frameBound", ...r, ...S })),
    );
  const rank: Record<string, number> = { "UNBOUNDED PRECEDING": 0, PRECEDING: 1, "CURRENT ROW": 2, FOLLOWING: 3, "UNBOUNDED FOLLOWING": 4 };
  const frame = fc
    .record({ units: fc.constantFrom("RANGE", "ROWS", "GROUPS"), from: bound(true), to: fc.option(bound(false), { nil: null }), exclude: fc.constantFrom(null, "NO OTHERS", "CURRENT ROW", "GROUP", "TIES") })
    .filter((f) => {
      const s = f.from.type, t = f.to === null ? "CURRENT ROW" : f.to.type;
      return !((s === "CURRENT ROW" && t === "PRECEDING") || (s === "FOLLOWING" && (t === "PRECEDING" || t === "CURRENT ROW"))) && rank[s] <= 3;
    })
    .map((f) => ({ kind: "frame", ...f, ...S }));
  const window = fc
    .record({ base: fc.option(bareName, { nil: null }), partitionBy: fc.option(exprs(), { nil: null }), orderBy: fc.option(sortList, { nil: null }), frame: fc.option(frame, { nil: null }) })
    .map((w) => ({ kind: "windowDef", ...w, ...S }));
  const fn = fc.oneof(
    fc.record({ name: anyName, quantifier: fc.constant(null), args: fc.constant("*" as const), orderBy: fc.constant(null) }),
    fc.record({ name: anyName, quantifier: fc.constantFrom(null, "DISTINCT" as const, "ALL" as const), args: fc.array(e, { maxLength: 3 }), orderBy: fc.option(sortList, { nil: null }) }),
  ).chain((base) =>
    fc.record({
      filter: fc.option(e, { nil: null }),
      over: fc.option(fc.oneof(bareName.map((name) => ({ kind: "windowName", name, ...S })), window), { nil: null }),
    }).map((r) => ({ kind: "function", ...base, ...r, ...S })),
  );
  const withClause = fc
    .record({
      recursive: fc.boolean(),
      ctes: fc.array(
        fc.record({ name: anyName, columns: fc.option(fc.array(anyName, { minLength: 1, maxLength: 2 }), { nil: null }), materialized: fc.constantFrom(null, true, false), select: sel }).map((c) => ({ kind: "cte", ...c, ...S })),
        { minLength: 1, maxLength: 2 },
      ),
    })
    .map((w) => ({ kind: "with", ...w, ...S }));
  const values = fc.integer({ min: 1, max: 3 }).chain((n) =>
    fc.array(fc.array(e, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 2 }).map((rows) => ({ kind: "values", rows, ...S })),
  );
  const source: fc.Arbitrary<unknown> = fc.oneof(
    { maxDepth, depthIdentifier: "ast", withCrossShrink: true },
    fc.record({ schema: optName, name: anyName, args: fc.constant(null), alias: optName, indexedBy: fc.oneof(fc.constant(null), fc.constant(false as const), anyName) }).map((t) => ({ kind: "tableRef", ...t, ...S })),
    fc.record({ schema: optName, name: anyName, args: exprs(0), alias: optName, indexedBy: fc.constant(null) }).map((t) => ({ kind: "tableRef", ...t, ...S })),
    fc.record({ select: sel, alias: optName }).map((t) => ({ kind: "subquerySource", ...t, ...S })),
    fc.record({ from: tie("from"), alias: optName }).map((t) => ({ kind: "nestedJoin", ...t, ...S })),
  );
  const joinOp = fc.oneof(
    fc.constant({ natural: false, type: "comma", outer: false }),
    fc.record({ natural: fc.boolean(), type: fc.constantFrom("plain", "INNER", "CROSS"), outer: fc.constant(false) }),
    fc.record({ natural: fc.boolean(), type: fc.constantFrom("LEFT", "RIGHT", "FULL"), outer: fc.boolean() }),
  );
  const from = fc
    .record({
      first: tie("source"),
      joins: fc.array(
        fc.record({ operator: joinOp, table: tie("source"), c: fc.oneof(fc.constant([null, null]), e.map((x) => [x, null]), fc.array(anyName, { minLength: 1, maxLength: 2 }).map((u) => [null, u])) }).map(
          ({ operator, table, c }) => ({ kind: "join", operator, table, on: c[0], using: c[1], ...S }),
        ),
        { maxLength: 2 },
      ),
    })
    .map((f) => ({ kind: "from", ...f, ...S }));
  const resultCol = fc.oneof(
    fc.record({ expr: e, alias: optName }).map((r) => ({ kind: "resultExpr", ...r, ...S })),
    optName.map((table) => ({ kind: "resultStar", table, ...S })),
  );
  const core = fc
    .record({
      distinct: fc.constantFrom(null, "DISTINCT", "ALL"),
      columns: fc.array(resultCol, { minLength: 1, maxLength: 3 }),
      from: fc.option(tie("from"), { nil: null }),
      where: fc.option(e, { nil: null }),
      groupBy: fc.option(exprs(), { nil: null }),
      having: fc.option(e, { nil: null }),
      windows: fc.option(fc.array(fc.record({ name: anyName, window }).map((w) => ({ kind: "namedWindow", ...w, ...S })), { minLength: 1, maxLength: 2 }), { nil: null }),
    })
    .map((c) => ({ kind: "selectCore", ...c, ...S }));
  const one = fc.oneof(core, values);
  const minimal = literal.map((x) => ({
    kind: "select", with: null, compounds: [], orderBy: null, limit: null, ...S,
    first: { kind: "selectCore", distinct: null, columns: [{ kind: "resultExpr", expr: x, alias: null, ...S }], from: null, where: null, groupBy: null, having: null, windows: null, ...S },
  }) as unknown as SelectStmt);
  const fullSelect = fc
    .record({
      with: fc.option(withClause, { nil: null }),
      first: one,
      compounds: fc.array(fc.record({ op: fc.constantFrom("UNION", "UNION ALL", "INTERSECT", "EXCEPT"), select: one }), { maxLength: 2 }),
      orderBy: fc.option(sortList, { nil: null }),
      limit: fc.option(fc.record({ count: e, offset: fc.option(e, { nil: null }) }).map((l) => ({ kind: "limit", ...l, ...S })), { nil: null }),
    })
    .map((s) => {
      const last = s.compounds.length > 0 ? s.compounds[s.compounds.length - 1].select : s.first;
      const ok = (last as { kind: string }).kind === "selectCore";
      return { kind: "select", ...s, orderBy: ok ? s.orderBy : null, limit: ok ? s.limit : null, ...S } as unknown as SelectStmt;
    });
  const selectArb = fc.oneof({ maxDepth, depthIdentifier: "ast", withCrossShrink: true }, minimal, fullSelect);
  const exprArb: fc.Arbitrary<Expr> = fc.oneof(
    { maxDepth, depthIdentifier: "ast", withCrossShrink: true },
    literal,
    column,
    parameter,
    fc.record({ op: fc.constantFrom("-", "+", "~", "NOT"), operand: e }).map((r) => ({ kind: "unary", ...r, ...S }) as Expr),
    fc.record({ op: fc.constantFrom(...binaryOps), left: e, right: e }).map((r) => ({ kind: "binary", ...r, ...S }) as Expr),
    fc.record({ op: fc.constantFrom("LIKE", "GLOB", "REGEXP", "MATCH"), not: fc.boolean(), left: e, right: e, escape: fc.option(e, { nil: null }) }).map((r) => ({ kind: "like", ...r, ...S }) as Expr),
    fc.record({ not: fc.boolean(), expr: e, low: e, high: e }).map((r) => ({ kind: "between", ...r, ...S }) as Expr),
    fc.record({
      not: fc.boolean(),
      expr: e,
      rhs: fc.oneof(
        exprs(0).map((items) => ({ kind: "list", items })),
        sel.map((select) => ({ kind: "select", select })),
        fc.record({ schema: optName, name: anyName, args: fc.option(exprs(0), { nil: null }) }).map((t) => ({ kind: "table", ...t })),
      ),
    }).map((r) => ({ kind: "in", ...r, ...S }) as Expr),
    fc.record({ op: fc.constantFrom("ISNULL", "NOTNULL", "NOT NULL"), expr: e }).map((r) => ({ kind: "postfixNull", ...r, ...S }) as Expr),
    fc.record({ expr: e, collation: anyName }).map((r) => ({ kind: "collate", ...r, ...S }) as Expr),
    fc.record({ expr: e, type: typeName }).map((r) => ({ kind: "cast", ...r, ...S }) as Expr),
    fc.record({ operand: fc.option(e, { nil: null }), whens: fc.array(fc.record({ when: e, then: e }), { minLength: 1, maxLength: 2 }), else: fc.option(e, { nil: null }) }).map((r) => ({ kind: "case", ...r, ...S }) as Expr),
    fn as fc.Arbitrary<Expr>,
    sel.map((select) => ({ kind: "exists", select, ...S }) as Expr),
    sel.map((select) => ({ kind: "subquery", select, ...S }) as Expr),
    fc.array(e, { minLength: 2, maxLength: 3 }).map((items) => ({ kind: "vector", items, ...S }) as Expr),
    fc.oneof(fc.constant({ action: "IGNORE", message: null }), fc.record({ action: fc.constantFrom("ROLLBACK", "ABORT", "FAIL"), message: e })).map((r) => ({ kind: "raise", ...r, ...S }) as Expr),
  );
  return { expr: exprArb, select: selectArb, core, values, from, source, window, sortList, withClause };
  });
}

const { expr, select, sortList, withClause, from } = astArbitraries(3);

const orderingTerms = sortList as fc.Arbitrary<OrderingTerm[]>;
const withArb = withClause as fc.Arbitrary<WithClause>;
const fromArb = from as fc.Arbitrary<FromClause>;

export { expr, select, S, anyName, bareName, optName, str, literal, typeName, orderingTerms, withArb, fromArb };
