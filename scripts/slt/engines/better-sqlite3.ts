/*
 * The sqllogictest engine adapter for better-sqlite3 (native SQLite, 3.53.x here): the
 * oracle the runner itself is validated against. The adapter is the shared one of
 * better-sqlite3-shape.ts.
 */
import Database from "better-sqlite3";
import type { SltEngine } from "../engine.js";
import { betterSqlite3ShapedEngine } from "./better-sqlite3-shape.js";

export function betterSqlite3Engine(): SltEngine {
  return betterSqlite3ShapedEngine("better-sqlite3", () => new Database(":memory:"));
}
