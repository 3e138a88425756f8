// The engines of the peers suite, by name.
import { betterSqlite3 } from "./better-sqlite3.js";
import { sqlJs } from "./sql-js.js";
import { strataAsync } from "./strata-async.js";
import { strata } from "./strata.js";
import { turso } from "./turso.js";
import type { EngineName, Peer } from "./types.js";

export const PEERS: Record<EngineName, Peer> = {
  strata,
  "strata-async": strataAsync,
  "better-sqlite3": betterSqlite3,
  "sql.js": sqlJs,
  turso,
};
export * from "./types.js";
