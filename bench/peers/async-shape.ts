// Adapter for the async API with the shape of @tursodatabase/database (`connect(path)`,
// `await db.prepare(sql)`, `await stmt.get(...)`, `for await (row of stmt.iterate())`),
// shared by Turso and by Strata's async entry (@strata/database), which has the same shape.
import type { PeerDatabase, PeerStatement, Row, Value } from "./types.js";

interface AsyncStatement {
  reader?: boolean;
  raw(toggle?: boolean): unknown;
  run(...p: unknown[]): Promise<unknown>;
  get(...p: unknown[]): Promise<unknown>;
  all(...p: unknown[]): Promise<unknown[]>;
  iterate(...p: unknown[]): AsyncIterable<unknown>;
  close?(): unknown;
}
export interface AsyncDatabase {
  exec(sql: string): Promise<unknown>;
  prepare(sql: string): AsyncStatement | Promise<AsyncStatement>;
  close(): unknown;
}

export function wrapAsync(db: AsyncDatabase): PeerDatabase {
  return {
    exec: async (sql) => void (await db.exec(sql)),
    async prepare(sql): Promise<PeerStatement> {
      const s = await db.prepare(sql);
      const reader = s.reader ?? true;
      if (reader) s.raw(true);
      return {
        run: async (...p: Value[]) => void (await s.run(...p)),
        get: async (...p: Value[]) => (reader ? ((await s.get(...p)) as Row | undefined) : (await s.run(...p), undefined)),
        all: async (...p: Value[]) => (reader ? ((await s.all(...p)) as Row[]) : (await s.run(...p), [])),
        iterate: (...p: Value[]) => s.iterate(...p) as AsyncIterable<Row>,
        close: async () => void (await s.close?.()),
      };
    },
    close: async () => void (await db.close()),
  };
}
