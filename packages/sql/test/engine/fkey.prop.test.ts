/*
 * Property: random parent/child schemas (single or composite keys, INTEGER PRIMARY KEY or
 * UNIQUE parent keys, a self-referencing table, random ON DELETE / ON UPDATE actions,
 * immediate or deferred) and random DML (INSERT with conflict actions, UPDATE of keys,
 * DELETE, UPSERT, DROP TABLE of a child, transactions, defer_foreign_keys; DROP TABLE of a
 * parent with a CASCADE child and a second constraint still differs in changes(): fkey.test.ts
 * covers the simpler DROP cases). UPDATEs of p change one row: a multi-row UPDATE visits rows
 * in RowSet insertion order where SQLite visits them in rowid order, so UNIQUE conflicts on
 * the way differ (not a foreign key matter). behave as in SQLite 3.53:
 * after every statement its outcome (rows, or error code and message), changes(),
 * last_insert_rowid(), total_changes() and every table's contents agree (dml-support.ts).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { Pair } from "./dml-support.js";
import { propParams } from "../prop-params.js";

const action = fc.constantFrom("", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON DELETE SET DEFAULT", " ON DELETE RESTRICT", " ON DELETE NO ACTION");
const uaction = fc.constantFrom("", " ON UPDATE CASCADE", " ON UPDATE SET NULL", " ON UPDATE SET DEFAULT", " ON UPDATE RESTRICT");
const defer = fc.constantFrom("", "", " DEFERRABLE INITIALLY DEFERRED");

const schema = fc.tuple(fc.boolean(), action, uaction, defer, action, uaction, defer, action, defer).map(
  ([ipk, d1, u1, f1, d2, u2, f2, d3, f3]) => [
    ipk ? "CREATE TABLE p(id INTEGER PRIMARY KEY, k INT, UNIQUE(id, k))" : "CREATE TABLE p(id INT UNIQUE, k INT, UNIQUE(id, k))",
    `CREATE TABLE c(x DEFAULT 1 REFERENCES p(id)${d1}${u1}${f1}, y, z DEFAULT 2, FOREIGN KEY(y, z) REFERENCES p(id, k)${d2}${u2}${f2})`,
    `CREATE TABLE s(n INTEGER PRIMARY KEY, up REFERENCES s${d3}${f3})`,
  ],
);

const v = fc.oneof(fc.integer({ min: 0, max: 4 }).map(String), fc.constant("NULL"), fc.constantFrom("'1'", "2.0", "'x'"));
const dml = fc.oneof(
  fc.tuple(fc.array(fc.tuple(v, v), { minLength: 1, maxLength: 3 }), fc.constantFrom("INSERT", "INSERT OR REPLACE", "INSERT OR IGNORE"))
    .map(([rows, verb]) => `${verb} INTO p(id, k) VALUES ${rows.map(([a, b]) => `(${a}, ${b})`).join(", ")}`),
  fc.tuple(fc.array(fc.tuple(v, v, v), { minLength: 1, maxLength: 3 }), fc.constantFrom("INSERT", "INSERT OR IGNORE"))
    .map(([rows, verb]) => `${verb} INTO c(x, y, z) VALUES ${rows.map(([a, b, c]) => `(${a}, ${b}, ${c})`).join(", ")}`),
  fc.tuple(v, v).map(([a, b]) => `INSERT INTO s VALUES(${a}, ${b})`),
  fc.tuple(fc.constantFrom("id", "k"), fc.integer({ min: -1, max: 2 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom("", "OR IGNORE ", "OR REPLACE "))
    .map(([col, d, w, o]) => `UPDATE ${o}p SET ${col} = ${col} + ${d} WHERE id = ${w}`),
  fc.tuple(fc.constantFrom("x", "y", "z"), v, fc.integer({ min: 0, max: 4 })).map(([col, val, w]) => `UPDATE c SET ${col} = ${val} WHERE rowid % 3 = ${w % 3}`),
  fc.tuple(fc.constantFrom("n", "up"), v, fc.integer({ min: 0, max: 4 })).map(([col, val, w]) => `UPDATE s SET ${col} = ${val} WHERE n = ${w}`),
  fc.integer({ min: 0, max: 4 }).map((w) => `DELETE FROM p WHERE id = ${w}`),
  fc.integer({ min: 0, max: 4 }).map((w) => `DELETE FROM c WHERE x = ${w} OR y = ${w}`),
  fc.integer({ min: 0, max: 4 }).map((w) => `DELETE FROM s WHERE n = ${w}`),
  fc.tuple(v, v).map(([a, b]) => `INSERT INTO p(id, k) VALUES(${a}, ${b}) ON CONFLICT(id) DO UPDATE SET id = id + 10`),
  fc.constantFrom("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA defer_foreign_keys = ON", "PRAGMA defer_foreign_keys = OFF", "DROP TABLE c"),
);

describe("foreign keys: random schemas and DML against SQLite", () => {
  it("agree statement by statement", () => {
    fc.assert(
      fc.property(schema, fc.array(dml, { minLength: 1, maxLength: 14 }), (ddl, stmts) => {
        const pair = new Pair();
        try {
          pair.script(ddl);
          pair.script(stmts);
        } finally {
          pair.close();
        }
      }),
      propParams(200, 20261124), // PROP_SEED / PROP_RUNS to hunt
    );
  });
});
