// better-sqlite3: native SQLite (3.53.x), synchronous.
import Database from "better-sqlite3";
import type { Peer } from "./types.js";
import { betterSqlite3ShapedPeer } from "./better-sqlite3-shape.js";

export const betterSqlite3: Peer = betterSqlite3ShapedPeer("better-sqlite3", (path) => new Database(path));
