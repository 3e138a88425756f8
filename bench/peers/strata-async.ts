// Strata through @strata/database: the async API with @tursodatabase/database's shape.
// The entry may not exist yet in a checkout (packages/database/src/index.ts is being
// written); the bench driver then bundles a stub whose connect() throws, and every
// workload records that error for "strata-async" instead of a number.
import { wrapAsync, type AsyncDatabase } from "./async-shape.js";
import type { Peer } from "./types.js";

export const strataAsync: Peer = {
  name: "strata-async",
  async: true,
  files: true,
  async open(path: string) {
    // @ts-ignore -- the async entry may not exist yet in this checkout (see above).
    const mod = (await import("@strata/database")) as { connect(path: string): Promise<AsyncDatabase> };
    return wrapAsync(await mod.connect(path));
  },
};
