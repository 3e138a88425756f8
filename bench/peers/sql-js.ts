// sql.js: SQLite compiled to Wasm, synchronous, in memory only. It has no file database:
// "opening a file" means reading its bytes into memory, as a sql.js user does, and it is
// left out of workloads that need writes to reach a file (g).
import { readFileSync } from "node:fs";
import initSqlJs from "sql.js";
import type { Peer, PeerDatabase, PeerStatement, Row, Value } from "./types.js";

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
let module: SqlJs | null = null;

export const sqlJs: Peer = {
  name: "sql.js",
  async: false,
  files: false,
  async open(path: string): Promise<PeerDatabase> {
    module ??= await initSqlJs();
    const db = path === ":memory:" ? new module.Database() : new module.Database(readFileSync(path));
    return {
      exec: (sql) => void db.exec(sql),
      prepare(sql): PeerStatement {
        const s = db.prepare(sql);
        const bind = (p: Value[]) => {
          if (p.length > 0) s.bind(p as never);
        };
        return {
          run(...p: Value[]) {
            bind(p);
            while (s.step());
            s.reset();
          },
          get(...p: Value[]) {
            bind(p);
            const row = s.step() ? (s.get() as Row) : undefined;
            s.reset();
            return row;
          },
          all(...p: Value[]) {
            bind(p);
            const rows: Row[] = [];
            while (s.step()) rows.push(s.get() as Row);
            s.reset();
            return rows;
          },
          *iterate(...p: Value[]) {
            bind(p);
            try {
              while (s.step()) yield s.get() as Row;
            } finally {
              s.reset();
            }
          },
          close: () => void s.free(),
        };
      },
      close: () => void db.close(),
    };
  },
};
