// better-sqlite3: native SQLite (3.53.x), synchronous.
import Database from "better-sqlite3";
import type { Peer, PeerDatabase, PeerStatement, Row, Value } from "./types.js";

export const betterSqlite3: Peer = {
  name: "better-sqlite3",
  async: false,
  files: true,
  async open(path: string): Promise<PeerDatabase> {
    const db = new Database(path);
    return {
      exec: (sql) => void db.exec(sql),
      prepare(sql): PeerStatement {
        const s = db.prepare(sql);
        const reader = s.reader;
        if (reader) s.raw(true);
        return {
          run: (...p: Value[]) => void s.run(...p),
          get: (...p: Value[]) => (reader ? (s.get(...p) as Row | undefined) : (s.run(...p), undefined)),
          all: (...p: Value[]) => (reader ? (s.all(...p) as Row[]) : (s.run(...p), [])),
          iterate: (...p: Value[]) => (reader ? (s.iterate(...p) as Iterable<Row>) : (s.run(...p), [])),
          close: () => {},
        };
      },
      close: () => void db.close(),
    };
  },
};
