// SQLite (better-sqlite3, 3.53) accepts the grammar of what the printer writes: for
// generated statements of every family, prepare()'s error, if any, is a semantic one
// (no such table, duplicate column), never a syntax error, so the printed text is
// valid SQLite SQL and not only valid Strata SQL. A prepare in an empty schema reaches
// name resolution only after the whole statement was parsed.
import { describe, it } from "vitest";
import fc from "fast-check";
import Database from "better-sqlite3";
import { printStatement, type Statement } from "../src/index.js";
import * as A from "./stmt-arbitraries.js";

const SQLITE_RUNS = 200;

const families: [string, fc.Arbitrary<Statement>][] = [
  ["SELECT", A.select],
  ["INSERT / REPLACE", A.insert],
  ["UPDATE", A.update],
  ["DELETE", A.del],
  ["CREATE TABLE", A.createTable],
  ["CREATE INDEX", A.createIndex],
  ["CREATE VIEW", A.createView],
  ["CREATE TRIGGER", A.createTrigger],
  ["CREATE VIRTUAL TABLE", A.createVirtualTable],
  ["DROP", A.drop],
  ["ALTER TABLE", A.alterTable],
  ["BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE", A.transaction],
  ["PRAGMA", A.pragma],
  ["ATTACH / DETACH", A.attachDetach],
  ["ANALYZE / REINDEX / VACUUM", A.maintenance],
  ["EXPLAIN [QUERY PLAN]", A.explain],
];

/**
 * Errors that SQLite's parser raises: tokenizer and grammar errors, and the messages of
 * grammar actions. Anything else (no such table, duplicate column) comes after the text
 * was accepted as SQL.
 */
const GRAMMAR_ERROR =
  /syntax error|incomplete input|unrecognized token|unknown table option|should come after|not allowed on (UPDATE|INSERT)|within triggers|cannot use RETURNING|unknown join type|JOIN clause is required|unsupported frame|variable number must be/;

/** Strata-only syntax that stock SQLite refuses (docs/compat.md, README "COMPAT"). */
function isCompat(stmt: Statement): boolean {
  if (stmt.kind === "explain") return isCompat(stmt.statement);
  return stmt.kind === "begin" && stmt.mode === "CONCURRENT";
}

/**
 * SQLite runs some grammar actions before the rest of the statement is parsed, and an
 * error there ends the parse: CREATE TABLE checks its schema name at the start, CREATE
 * TRIGGER looks up its table before the body, ALTER TABLE ADD looks up its table
 * before the column definition. Point those at objects that exist so that SQLite reads
 * the whole text; the printed grammar is unchanged.
 */
function forSqlite(stmt: Statement): Statement {
  switch (stmt.kind) {
    case "createTable": case "createView": case "createIndex":
      return { ...stmt, schema: null };
    case "createTrigger":
      return { ...stmt, schema: null, tableSchema: null, table: stmt.time === "INSTEAD OF" ? "fixture_v" : "fixture_t" };
    case "alterTable":
      return { ...stmt, schema: null, table: "fixture_t" };
    case "explain":
      return { ...stmt, statement: forSqlite(stmt.statement) };
    default:
      return stmt;
  }
}

describe("SQLite accepts the grammar of what we print", () => {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE fixture_t(a, b); CREATE VIEW fixture_v AS SELECT 1 AS a;");
  for (const [name, arb] of families) {
    it(`${name} (${SQLITE_RUNS} statements)`, () => {
      fc.assert(
        fc.property(arb, (stmt) => {
          if (isCompat(stmt)) return;
          const text = printStatement(forSqlite(stmt));
          try {
            db.prepare(text);
          } catch (err) {
            const msg = (err as Error).message;
            if (GRAMMAR_ERROR.test(msg)) throw new Error(`SQLite: ${msg} in: ${text}`);
          }
        }),
        { numRuns: SQLITE_RUNS },
      );
    });
  }
});
