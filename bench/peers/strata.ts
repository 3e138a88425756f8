// Strata through @strata/database/compat: the synchronous, better-sqlite3-shaped API.
import Database from "@strata/database/compat";
import type { Peer } from "./types.js";
import { betterSqlite3ShapedPeer } from "./better-sqlite3-shape.js";

export const strata: Peer = betterSqlite3ShapedPeer("strata", (path) => new Database(path));
