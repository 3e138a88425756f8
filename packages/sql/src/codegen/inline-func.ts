/*
 * codegen/inline-func.ts: built-in functions the code generator evaluates inline, so
 * their arguments are evaluated lazily (SQLite's expr.c exprCodeInlineFunction,
 * INLINEFUNC_coalesce / _iif / _unlikely; resolve.c's likelihood() check).
 * https://sqlite.org/lang_corefunc.html#coalesce, #iif, #likelihood.
 *
 * Invariants:
 *  1. coalesce(X, Y, ...) / ifnull(X, Y): X is coded into the target; each later argument
 *     is evaluated only when every earlier one was NULL (a skipped argument's errors,
 *     e.g. integer overflow, never happen).
 *  2. iif(C1, V1, ..., [ELSE]) / if(...): exactly CASE WHEN C1 THEN V1 ... [ELSE ...] END;
 *     only the conditions up to the first true one and its value are evaluated.
 *  3. likely(X), unlikely(X), likelihood(X, P): X alone is evaluated. P must be a
 *     floating-point literal in [0.0, 1.0], checked at prepare time with SQLite's message
 *     (the function name as written).
 *  4. Only definitions carrying FUNC_INLINE come here (a user function of the same name
 *     replaces the built-in and is called normally); argument counts were already
 *     checked by the function lookup.
 */
import type { Expr } from "../parser/ast.js";
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";
import { codeExpr, type Scope } from "./expr.js";

/** Codes the inline built-in `name` (lower case) into `target`; false when not one of them. */
export function codeInlineFunction(p: Parse, name: string, args: readonly Expr[], scope: Scope, target: number, call: Expr | null): boolean {
  const b = p.b;
  switch (name) {
    case "coalesce": case "ifnull": {
      const end = b.newLabel();
      codeExpr(p, args[0], scope, target);
      for (let i = 1; i < args.length; i++) {
        b.add(Op.NotNull, target, end);
        codeExpr(p, args[i], scope, target);
      }
      b.resolve(end);
      return true;
    }
    case "iif": case "if": {
      const whens: { when: Expr; then: Expr }[] = [];
      let i = 0;
      for (; i + 1 < args.length; i += 2) whens.push({ when: args[i], then: args[i + 1] });
      const first = args[0];
      const last = args[args.length - 1];
      const asCase: Expr = {
        kind: "case", operand: null, whens, else: i < args.length ? args[i] : null, start: first.start, end: last.end,
      };
      codeExpr(p, asCase, scope, target);
      return true;
    }
    case "likely": case "unlikely":
      codeExpr(p, args[0], scope, target);
      return true;
    case "likelihood": {
      const pr = args[1];
      const v = pr.kind === "literal" && pr.type === "float" ? Number(pr.value.replace(/_/g, "")) : NaN;
      if (!(v >= 0 && v <= 1)) {
        const shown = call !== null && call.kind === "function" ? call.name : name;
        throw p.error(`second argument to ${shown}() must be a constant between 0.0 and 1.0`);
      }
      codeExpr(p, args[0], scope, target);
      return true;
    }
    default:
      return false;
  }
}
