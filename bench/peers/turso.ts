// @tursodatabase/database: Turso's engine (Rust, native binding), async API.
import { connect } from "@tursodatabase/database";
import { wrapAsync, type AsyncDatabase } from "./async-shape.js";
import type { Peer } from "./types.js";

export const turso: Peer = {
  name: "turso",
  async: true,
  files: true,
  async open(path: string) {
    return wrapAsync((await connect(path)) as unknown as AsyncDatabase);
  },
};
