// One peer adapter for every synchronous driver with better-sqlite3's shape: better-sqlite3
// itself (native SQLite) and Strata's @strata/database/compat.
import type { Peer, PeerDatabase, PeerStatement, Row, Value } from "./types.js";

interface ShapedStatement {
  readonly reader: boolean;
  raw(on: boolean): unknown;
  run(...p: Value[]): unknown;
  get(...p: Value[]): unknown;
  all(...p: Value[]): unknown[];
  iterate(...p: Value[]): Iterable<unknown>;
}
interface ShapedDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): ShapedStatement;
  close(): unknown;
}

/** A peer named `name` that opens databases with `open(path)`. */
export function betterSqlite3ShapedPeer(name: Peer["name"], open: (path: string) => ShapedDatabase): Peer {
  return {
    name,
    async: false,
    files: true,
    async open(path: string): Promise<PeerDatabase> {
      const db = open(path);
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
}
