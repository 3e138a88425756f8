/*
 * btree/relocate.ts: moving one page of an auto-vacuum database to another page number
 * (SQLite's relocatePage), fixing the one pointer to it and the ptrmap entries of what it
 * points to (fileformat2 §1.6). Used to keep root pages at the front of the file: a new
 * root goes to largest-root + 1, and whatever lived there moves out first.
 *
 * Invariants:
 *  1. Only BTREE (non-root), OVERFLOW1 and OVERFLOW2 pages move; the parent named by the
 *     ptrmap entry must really point at the page, else corrupt().
 *  2. After the move, the ptrmap entries of the page, its children and overflow chains,
 *     or the next overflow page, name the new page number.
 */
import { corrupt } from "../corrupt.js";
import { get2, get4, put4 } from "../db-header.js";
import {
  PTRMAP_BTREE,
  PTRMAP_OVERFLOW1,
  PTRMAP_OVERFLOW2,
  ptrmapPut,
} from "../ptrmap.js";
import { walkNodePtrmap } from "./balance.js";
import type { Btree } from "./btree.js";
import { CellInfo, initNode, parseCellAt, rightChild, setRightChild } from "./node.js";

const info = new CellInfo();

/** Moves the content of page `from` (ptrmap type/parent given) to the allocated page `to`. */
export function relocatePage(bt: Btree, from: number, to: number, type: number, parent: number): void {
  const pager = bt.pager;
  const usable = pager.usableSize;
  const src = pager.getPage(from);
  const dst = pager.getPage(to);
  pager.write(dst);
  dst.data.set(src.data);
  dst.nodeInit = false;
  pager.forgetNode(from);
  if (type === PTRMAP_BTREE) {
    initNode(dst, usable);
    walkNodePtrmap(bt, dst);
    const p = pager.getPage(parent);
    initNode(p, usable);
    pager.write(p);
    let found = false;
    if (!p.leaf && rightChild(p) === from) {
      setRightChild(p, to);
      found = true;
    } else {
      for (let i = 0; i < p.nCell && !found; i++) {
        const pc = get2(p.data, p.cellOff + 2 * i);
        if (get4(p.data, pc) === from) {
          put4(p.data, pc, to);
          found = true;
        }
      }
    }
    if (!found) throw corrupt(parent, "ptrmap parent does not point at the page");
  } else if (type === PTRMAP_OVERFLOW1 || type === PTRMAP_OVERFLOW2) {
    const next = get4(dst.data, 0);
    if (next !== 0) ptrmapPut(pager, next, PTRMAP_OVERFLOW2, to);
    const p = pager.getPage(parent);
    pager.write(p);
    if (type === PTRMAP_OVERFLOW2) {
      if (get4(p.data, 0) !== from) throw corrupt(parent, "overflow page does not point at the page");
      put4(p.data, 0, to);
    } else {
      initNode(p, usable);
      let found = false;
      for (let i = 0; i < p.nCell && !found; i++) {
        const pc = get2(p.data, p.cellOff + 2 * i);
        parseCellAt(p.data, pc, p.leaf, p.intKey, p.maxLocal, p.minLocal, usable, info);
        if (info.ovflPgno === from) {
          put4(p.data, info.payloadOff + info.nLocal, to);
          found = true;
        }
      }
      if (!found) throw corrupt(parent, "no cell owns the overflow page");
    }
  } else {
    throw corrupt(from, `cannot relocate a page of ptrmap type ${type}`);
  }
  ptrmapPut(pager, to, type, parent);
}
