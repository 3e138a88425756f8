/*
 * @strata/database/compat: the synchronous API with better-sqlite3's shape. The default
 * export is the Database class (`new Database(path, options)`), as better-sqlite3's is;
 * `Database` and `SqliteError` are named exports too, as in
 * @tursodatabase/database/compat. Behaviour and deviations: core.ts, bind.ts, open.ts.
 */
import { SqliteError } from "@strata/sql";
import { CoreDatabase, CoreStatement, type DatabaseOptions } from "./core.js";
import { nodePlatform } from "./platform-node.js";

export class Database extends CoreDatabase {
  constructor(path?: string | null, options?: DatabaseOptions | null) {
    super(path, options, nodePlatform);
  }
}

export { CoreStatement as Statement, SqliteError };
export type { DatabaseOptions, RunResult, ColumnDefinition, PragmaOptions, Transaction } from "./core.js";
export type { FunctionOptions, AggregateOptions } from "./functions.js";
export default Database;
