/*
 * @strata/txn: the transaction manager. SQLite's WAL file format, the in-memory
 * wal-index shared by the connections of one process, recovery, read snapshots (read
 * marks), the single WRITER lock, checkpoints, savepoints, rollback-journal databases
 * (hot journal rollback, switch to WAL on first write) and the process lock hook.
 * Imports @strata/common, @strata/vfs and @strata/pager only. Start reading at
 * wal-shared.ts (the design and the fsync points), then connection.ts.
 */
export {
  WAL_HDRSIZE,
  WAL_FRAME_HDRSIZE,
  WAL_MAGIC,
  WAL_MAX_VERSION,
  WalHeader,
  walChecksum,
  walFrameOffset,
  encodeWalHeader,
  decodeWalHeader,
  encodeFrame,
  checkFrame,
  frameCommitSize,
  isValidPageSize,
  type WalHeaderProblem,
} from "./wal-format.js";
export { WalIndex } from "./wal-index.js";
export { JOURNAL_MAGIC, journalChecksum, rollbackHotJournal, lockBytePage, type RollbackResult } from "./journal.js";
export {
  Snapshot,
  type Synchronous,
  type CheckpointMode,
  type CheckpointResult,
  type SharedOptions,
  type ProcessLockHook,
  type HeldLock,
} from "./wal-shared.js";
export { Connection, type ConnectionOptions, type TransactionMode } from "./connection.js";
export { WalPageStore } from "./page-store.js";
