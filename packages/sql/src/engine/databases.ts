/*
 * engine/databases.ts: the databases of one connection (SQLite's db->aDb[]): index 0 is
 * "main", 1 is "temp", 2.. are ATTACHed databases (https://sqlite.org/lang_attach.html),
 * each with its own pager, B-tree layer and schema. The VDBE reaches a database by index
 * (P3 of OpenRead/OpenWrite, P1 of Transaction, as in SQLite); the code generator
 * resolves names to indexes (codegen/dbs.ts).
 *
 * Invariants:
 *  1. The TEMP database is opened lazily, in a private MemPageStore (engine/mem-store.ts),
 *     the first time a statement names it or creates a TEMP object; until then it has no
 *     pager, an empty schema, and PRAGMA database_list does not list it (as SQLite's
 *     temp B-tree, opened on first use).
 *  2. TEMP uses the text encoding of main and a page size of main's default.
 *  3. ATTACH appends a slot; DETACH removes it, so later databases move down one index:
 *     every compiled program is then stale, and the connection's schema generation makes
 *     their Transaction opcodes fail with SQLITE_SCHEMA (the statement re-prepares), as
 *     SQLite expires its statements on ATTACH/DETACH.
 */
import type { TextEncoding } from "@strata/common";
import { Btree, Pager, type PageStore } from "@strata/pager";
import { Schema } from "../schema/schema.js";
import { MemPageStore } from "./mem-store.js";

export const DB_MAIN = 0;
export const DB_TEMP = 1;

/** One database of a connection (SQLite's struct Db). */
export class Db {
  readonly name: string;
  /** The file name PRAGMA database_list reports ("" for memory databases). */
  readonly filename: string;
  pager: Pager | null;
  btree: Btree | null;
  /** The loaded schema; null when it must be (re)loaded. */
  schema: Schema | null;

  constructor(name: string, filename: string, pager: Pager | null) {
    this.name = name;
    this.filename = filename;
    this.pager = pager;
    this.btree = pager === null ? null : new Btree(pager);
    this.schema = null;
  }

  /** Opens the TEMP database's pager (invariant 1). */
  openTemp(encoding: TextEncoding): Pager {
    if (this.pager !== null) return this.pager;
    const pager = Pager.open(new MemPageStore(), { cacheSize: Number.MAX_SAFE_INTEGER, textEncoding: encoding });
    this.pager = pager;
    this.btree = new Btree(pager);
    return pager;
  }

  close(): void {
    if (this.pager === null) return;
    if (this.pager.inWrite) this.pager.rollback();
    this.pager.close();
  }
}

/** A memory PageStore for `ATTACH ':memory:'` (engine/mem-store.ts). */
export function memoryStore(): PageStore {
  return new MemPageStore();
}

/** The empty schema of a database that is not open (TEMP before its first use). */
export function emptySchema(): Schema {
  return new Schema();
}
