/*
 * codegen/sorter-fields.ts: a sorter record made of plain columns of one cursor's row is
 * built from the row's record bytes (SorterInsertIdx, vdbe/ops-index.ts) instead of a
 * Column per field, MakeRecord and SorterInsert: no value is decoded into a register and
 * encoded again. GROUP BY's sorter (group-by.ts) and ORDER BY's (select.ts) use it.
 *
 * Invariants:
 *  1. The code just emitted since `start` must be exactly one Column per record field,
 *     all on one cursor, without a DEFAULT (P4) and into the registers first..first+n-1,
 *     and nothing may jump into it; otherwise nothing changes and the caller emits
 *     MakeRecord + SorterInsert itself.
 *  2. The caller guarantees that the registers first..first+n-1 are not read after the
 *     record is made (SorterInsertIdx does not write them).
 */
import { Op } from "../vdbe/opcodes.js";
import type { Parse } from "./context.js";

/** Replaces the Column ops emitted since `start` by one SorterInsertIdx into `sorter`
 *  when invariant 1 holds; true if it did. */
export function insertRowFields(p: Parse, start: number, first: number, n: number, sorter: number): boolean {
  const b = p.b;
  const end = b.addr;
  if (end - start !== n || n === 0 || b.labelIn(start + 1, end)) return false;
  const cursor = b.a1[start];
  const fields = new Int32Array(n).fill(-1);
  const real = new Uint8Array(n);
  let anyReal = false;
  for (let pc = start; pc < end; pc++) {
    const k = b.a3[pc] - first;
    if (b.ops[pc] !== Op.Column || b.a1[pc] !== cursor || b.a4[pc] !== null || k < 0 || k >= n || fields[k] !== -1) return false;
    fields[k] = b.a2[pc];
    if (b.a5[pc] !== 0) { real[k] = 1; anyReal = true; }
  }
  b.truncate(start);
  b.add(Op.SorterInsertIdx, sorter, cursor, 0, { fields, real: anyReal ? real : null });
  return true;
}
