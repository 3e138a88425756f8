/*
 * The sqllogictest engine adapter for Strata, through @strata/database/compat (the
 * better-sqlite3-shaped synchronous driver), so the adapter is the shared one of
 * better-sqlite3-shape.ts.
 */
import Database from "@strata/database/compat";
import type { SltEngine } from "../engine.js";
import { betterSqlite3ShapedEngine } from "./better-sqlite3-shape.js";

export function strataEngine(): SltEngine {
  return betterSqlite3ShapedEngine("Strata", () => new Database(":memory:"));
}
