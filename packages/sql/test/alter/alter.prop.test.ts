/*
 * fast-check differential property: random schemas (tables, an index, a partial index, a
 * view, a trigger, a generated column with an index, rows) then random sequences of ALTER TABLE RENAME TO / RENAME COLUMN /
 * ADD COLUMN / DROP COLUMN, each run on Strata and SQLite 3.53; after every statement the
 * outcome (or error), all rows, sqlite_schema and integrity_check must agree
 * (SchemaPair.check). The names an operation uses are picked at run time from the
 * current schema, so most operations succeed and the rest probe the error paths.
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { SchemaPair } from "./support.js";

const NAMES = ["a", "b", "Col", "\"sp ace\"", "[brk]", "`bq`", "\"select\"", "x_1", "\"q\"\"t\"", "é"];
const TYPES = ["", " INT", " TEXT", " REAL", " BLOB", " NUMERIC", " VARCHAR(5)", " INTEGER"];
const DEFAULTS = ["", " DEFAULT 1", " DEFAULT 'd'", " DEFAULT -2.5", " DEFAULT NULL", " DEFAULT x'ff'", " DEFAULT (1+1)", " NOT NULL DEFAULT 0", " NOT NULL", " CHECK(length(1) > 0)"];
const VALUES = ["1", "'t'", "2.5", "NULL", "x'00'", "-7", "'12'"];

type Op =
  | { kind: "renameTable"; t: number; to: number }
  | { kind: "renameColumn"; t: number; c: number; to: number }
  | { kind: "add"; t: number; name: number; type: number; dflt: number }
  | { kind: "drop"; t: number; c: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("renameTable" as const), t: fc.nat(3), to: fc.nat(99) }),
  fc.record({ kind: fc.constant("renameColumn" as const), t: fc.nat(3), c: fc.nat(9), to: fc.nat(NAMES.length * 3 - 1) }),
  fc.record({ kind: fc.constant("add" as const), t: fc.nat(3), name: fc.nat(NAMES.length * 3 - 1), type: fc.nat(TYPES.length - 1), dflt: fc.nat(DEFAULTS.length - 1) }),
  fc.record({ kind: fc.constant("drop" as const), t: fc.nat(3), c: fc.nat(9) }),
);

const tableDef = fc.record({
  cols: fc.uniqueArray(fc.nat(NAMES.length - 1), { minLength: 2, maxLength: 5 }),
  types: fc.array(fc.nat(TYPES.length - 1), { minLength: 5, maxLength: 5 }),
  pk: fc.boolean(),
  rows: fc.array(fc.array(fc.nat(VALUES.length - 1), { minLength: 5, maxLength: 5 }), { maxLength: 4 }),
  index: fc.boolean(),
  partial: fc.boolean(),
  gen: fc.constantFrom("", " VIRTUAL", " STORED", null),
});

function nameOf(k: number): string {
  const base = NAMES[k % NAMES.length];
  const n = Math.floor(k / NAMES.length);
  if (n === 0) return base;
  return base.startsWith("\"") || base.startsWith("[") || base.startsWith("`") ? base.slice(0, -1) + n + base.slice(-1) : base + n;
}

function quoteId(s: string): string {
  return `"${s.replace(/"/g, "\"\"")}"`;
}

describe("ALTER TABLE sequences vs SQLite 3.53 (property)", () => {
  it("random RENAME/ADD/DROP sequences keep schema text, rows and integrity equal", () => {
    fc.assert(fc.property(fc.array(tableDef, { minLength: 1, maxLength: 2 }), fc.array(op, { minLength: 1, maxLength: 8 }), fc.boolean(), (tables, ops, withViews) => {
      const pair = new SchemaPair();
      try {
        pair.check("PRAGMA foreign_keys = OFF");
        tables.forEach((td, ti) => {
          const cols = td.cols.map((c, i) => `${NAMES[c]}${TYPES[td.types[i]]}${i === 0 && td.pk ? " PRIMARY KEY" : ""}`);
          if (td.gen !== null) cols.splice(1, 0, `gen AS (${NAMES[td.cols[td.cols.length - 1]]} || 'g')${td.gen}`);
          pair.check(`CREATE TABLE t${ti}(${cols.join(", ")})`);
          for (const r of td.rows) pair.check(`INSERT OR IGNORE INTO t${ti} VALUES(${td.cols.map((_, i) => VALUES[r[i]]).join(", ")})`);
          if (td.gen !== null) pair.check(`CREATE INDEX t${ti}_g ON t${ti}(gen)`);
          if (td.index) pair.check(`CREATE INDEX t${ti}_i ON t${ti}(${NAMES[td.cols[1]]})`);
          if (td.partial) pair.check(`CREATE INDEX t${ti}_p ON t${ti}(${NAMES[td.cols[0]]}) WHERE ${NAMES[td.cols[td.cols.length - 1]]} IS NOT NULL`);
          if (withViews) {
            pair.check(`CREATE VIEW v${ti} AS SELECT ${NAMES[td.cols[0]]}, t${ti}.${NAMES[td.cols[1]]} FROM t${ti} WHERE ${NAMES[td.cols[0]]} IS NOT NULL`);
            pair.check(`CREATE TRIGGER g${ti} AFTER INSERT ON t${ti} BEGIN UPDATE t${ti} SET ${NAMES[td.cols[1]]} = new.${NAMES[td.cols[0]]} WHERE rowid = new.rowid; END`);
          }
        });
        for (const o of ops) {
          const names = (pair.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid").pluck().all() as string[]);
          if (names.length === 0) break;
          const t = names[o.t % names.length];
          const cols = (pair.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]);
          switch (o.kind) {
            case "renameTable": pair.check(`ALTER TABLE ${quoteId(t)} RENAME TO r${o.to}`); break;
            case "renameColumn": pair.check(`ALTER TABLE ${quoteId(t)} RENAME COLUMN ${quoteId(cols[o.c % cols.length])} TO ${nameOf(o.to)}`); break;
            case "add": pair.check(`ALTER TABLE ${quoteId(t)} ADD COLUMN ${nameOf(o.name)}${TYPES[o.type]}${DEFAULTS[o.dflt]}`); break;
            case "drop": pair.check(`ALTER TABLE ${quoteId(t)} DROP COLUMN ${quoteId(cols[o.c % cols.length])}`); break;
          }
        }
        pair.check("SELECT name, sql FROM sqlite_schema");
      } finally {
        pair.close();
      }
    }), { numRuns: 100 });
  }, 600_000);
});
