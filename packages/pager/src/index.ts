/*
 * @strata/pager: the storage layer: the SQLite database file format (header, pages,
 * freelist, ptrmap), a page cache, the PageStore seam the WAL plugs into, and table and
 * index B-trees with cursors. See ../README.md for where to start reading.
 */
export { corrupt } from "./corrupt.js";
export {
  type DbHeader,
  HDR,
  HEADER_SIZE,
  SQLITE_VERSION_NUMBER,
  parseDbHeader,
  writeDbHeader,
  newDbHeader,
  headerDbSize,
  pendingBytePage,
} from "./db-header.js";
export { type PageStore, DirectFileStore, type DirectFileStoreOptions } from "./page-store.js";
export { Page, PageCache } from "./page-cache.js";
export { Pager, type PagerOptions, type CreateOptions, type AutoVacuum, type MetaField } from "./pager.js";
export {
  PTRMAP_ROOTPAGE,
  PTRMAP_FREEPAGE,
  PTRMAP_OVERFLOW1,
  PTRMAP_OVERFLOW2,
  PTRMAP_BTREE,
  ptrmapGet,
  ptrmapPageFor,
  isPtrmapPage,
} from "./ptrmap.js";
export { Btree, BTREE_MAX_DEPTH } from "./btree/btree.js";
export { BtCursor, TableCursor, IndexCursor, type KeyComparator, recordComparator } from "./btree/cursor.js";
export { type CellInfo, localSize, maxLocalFor, minLocalFor } from "./btree/node.js";
export { checkIntegrity, type TreeSpec, type IntegrityReport } from "./integrity.js";
