// Test helpers: databases in a MemoryVfs, sqlite_schema rows, integrity in one call.
import { encodeRecord, makeKeyInfo, type SqlValue } from "@strata/common";
import { MemoryVfs } from "@strata/vfs";
import { Btree, checkIntegrity, Pager, recordComparator, type PagerOptions, type TreeSpec } from "../src/index.js";

export const cmp2 = recordComparator(makeKeyInfo(2));

export function openMem(opts: PagerOptions = {}, vfs = new MemoryVfs(), path = "test.db") {
  const file = vfs.open(path, { create: true });
  const pager = Pager.openFile(file, { sync: "off", ...opts });
  return { vfs, path, pager, bt: new Btree(pager) };
}

export function rec(values: SqlValue[]): Uint8Array {
  return encodeRecord(values);
}

/** Appends a row to sqlite_schema (the table tree at page 1). */
export function addSchemaRow(bt: Btree, rowid: number, type: string, name: string, tbl: string, root: number, sql: string): void {
  const c = bt.tableCursor(1, true);
  c.insert(rowid, rec([type, name, tbl, root, sql]));
  c.close();
}

export function problems(pager: Pager, trees: TreeSpec[]): string[] {
  const wasOpen = pager.inRead;
  if (!wasOpen) pager.beginRead();
  try {
    return checkIntegrity(pager, trees).problems;
  } finally {
    if (!wasOpen) pager.endRead();
  }
}
