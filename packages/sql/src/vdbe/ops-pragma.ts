/*
 * vdbe/ops-pragma.ts: the two PRAGMA opcodes (https://sqlite.org/pragma.html), cold and
 * kept out of vm.ts's loop:
 *   Pragma       runs one pragma through the host (engine/pragma-exec.ts) and fills an
 *                ephemeral cursor with its result rows (records, insertion order); the
 *                program then reads them with Rewind/Column/Next like any other cursor.
 *   IntegrityCk  SQLite's OP_IntegrityCk: the B-tree level part of PRAGMA integrity_check
 *                (the pager's checkIntegrity over every tree of the schema), plus the
 *                number of entries in each tree, which the code generator compares
 *                (table vs each of its indexes: "wrong # of entries in index X").
 *
 * Invariants:
 *  1. A pragma's rows are computed once per run, when Pragma executes, inside the
 *     transaction the program's Transaction opcode opened (if it has one).
 *  2. IntegrityCk never throws for corruption: problems become text; a tree whose pages
 *     cannot all be read counts the entries on the pages that were read.
 *  3. The B-tree problems are one value, "*** in database main ***\n" followed by one line
 *     per problem, as SQLite reports them in one row.
 */
import { makeKeyInfo, SQLITE_NULL, type KeyInfo } from "@strata/common";
import { checkIntegrity, type TreeSpec } from "@strata/pager";
import { CURSOR_EPHEMERAL, RecordSet } from "./cursor.js";
import { Mem, textValue } from "./mem.js";
import { Op } from "./opcodes.js";
import type { VM } from "./vm.js";

/** P4 of Pragma: what to run. */
export interface PragmaCall {
  readonly name: string;
  readonly schema: string | null;
  /** The value as written (`PRAGMA x = v` / `PRAGMA x(v)`), when P3 is 0. */
  readonly value: string | null;
  readonly hasValue: boolean;
}

/** One result value of a pragma. */
export type PragmaValue = null | number | bigint | string;

/** P4 of IntegrityCk. */
export interface IntegrityTrees {
  readonly trees: readonly { readonly root: number; readonly keyInfo: KeyInfo | null }[];
  readonly maxErrors: number;
}

const ROWS_KEYINFO = makeKeyInfo(1, {});

export function execPragma(vm: VM, op: number, pc: number): number {
  const prog = vm.prog;
  const p1 = prog.p1[pc];
  const p2 = prog.p2[pc];
  const p3 = prog.p3[pc];
  if (op === Op.Pragma) {
    const call = prog.p4[pc] as PragmaCall;
    let value = call.value;
    let hasValue = call.hasValue;
    if (p3 > 0) {
      const m = vm.regs[p3];
      hasValue = m.type !== SQLITE_NULL;
      value = hasValue ? textValue(m) : null;
    }
    const rows = vm.host.pragma({ name: call.name, schema: call.schema, value, hasValue });
    const c = vm.openCursor(p1, CURSOR_EPHEMERAL);
    c.keyInfo = ROWS_KEYINFO;
    c.set = new RecordSet(ROWS_KEYINFO);
    c.nField = p2;
    const scratch: Mem[] = [];
    for (let i = 0; i < p2; i++) scratch.push(new Mem());
    for (const row of rows) {
      for (let i = 0; i < p2; i++) scratch[i].setValue(row[i] ?? null);
      const len = vm.recbuf.encodeMems(scratch, 0, p2, vm.host.encoding);
      c.set.push(vm.recbuf.buf, len);
    }
    return 0;
  }
  // IntegrityCk (invariants 2, 3).
  const spec = prog.p4[pc] as IntegrityTrees;
  const host = vm.host;
  // No key comparator for index trees: like SQLite's checkTreePage, the B-tree check does
  // not compare index keys (an index out of order shows as rows missing from it).
  const trees: TreeSpec[] = spec.trees.map((t) => ({ root: t.root, intKey: t.keyInfo === null }));
  const report = checkIntegrity(host.pager, trees, spec.maxErrors);
  const out = vm.regs[p3];
  if (report.problems.length === 0) out.setNull();
  else out.setText("*** in database main ***\n" + report.problems.map(sqliteWording).join("\n"));
  // Entries per tree as the page walk counted them (table: leaf cells; index: all cells).
  for (let i = 0; i < p2; i++) vm.regs[p1 + i].setInt(report.entries[i]);
  return 0;
}

/**
 * The pager's problem texts in SQLite's words where the two describe the same fault
 * (btree.c checkTreePage / checkRef / checkList); others keep the pager's wording.
 */
function sqliteWording(s: string): string {
  let m = /^page (\d+) is never used$/.exec(s);
  if (m !== null) return `Page ${m[1]}: never used`;
  m = /^tree \d+ page (\d+): (\d+) fragmented bytes, header says (\d+)$/.exec(s);
  if (m !== null) return `Fragmentation of ${m[2]} bytes reported as ${m[3]} on page ${m[1]}`;
  m = /^(?:.*): page (\d+) used twice$/.exec(s);
  if (m !== null) return `2nd reference to page ${m[1]}`;
  m = /^freelist has (\d+) pages, header says (\d+)$/.exec(s);
  if (m !== null) return `Freelist: size is ${m[1]} but should be ${m[2]}`;
  return s;
}
