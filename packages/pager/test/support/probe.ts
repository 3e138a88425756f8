// Test support: the "probe" run on a possibly damaged database image: open it, read the
// schema, scan every tree forward and backward, seek planned keys, run the pager's
// integrity checker (when the pager exports one), and optionally apply planned deletes and
// inserts and scan again. Each step's outcome is either a digest of what it read (to be
// compared with the undamaged file's digest for the same step) or the error it threw, as
// plain data so it can cross a worker boundary (the probe runs in a worker thread so that a
// hang can be stopped: see isolate.ts).
import { SqliteError, encodeRecord, type TextEncoding } from "@strata/common";
import * as pagerApi from "../../src/index.js";
import { checkIntegrity, recordComparator, type Btree, type Pager } from "../../src/index.js";
import { keyInfoFor, normRecord, openBytes, readSchema, textEncodingOf } from "./strata-read.js";
import { RecordReader } from "@strata/common";

export interface TreePlan {
  name: string;
  intKey: boolean;
  /** Index trees: key spec for keyInfoFor (only the fields that make a key unique). */
  keySpec?: string[];
  /** Keys to seek: rowids as decimal strings, or index keys as hex records. */
  seeks: string[];
  /** Keys to delete in the write step (must exist in the undamaged file). */
  deletes: string[];
}

export interface ProbePlan {
  trees: TreePlan[];
  writes: boolean;
  /** Pages' worth of payload the write step inserts (enough to drain the freelist). */
  insertPages: number;
  /** Entries read from one tree after which a scan stops (a cycle then shows up as a wrong
   *  answer: too many entries). A cursor may return entries of a damaged tree before it
   *  detects the damage, as SQLite's does; what counts is how the scan ends. */
  maxEntries: number;
}

export type StepOutcome =
  | { ok: true; digest: string }
  | { ok: false; code: string; name: string; message: string; detail: string };

export interface ProbeReport {
  steps: Record<string, StepOutcome>;
}

function fail(e: unknown): StepOutcome {
  if (e instanceof SqliteError) {
    return { ok: false, code: e.code, name: e.name, message: e.message, detail: String((e as { detail?: unknown }).detail ?? "") };
  }
  const err = e as Error;
  return { ok: false, code: "NOT_SQLITE_ERROR", name: err?.name ?? typeof e, message: String(err?.message ?? e), detail: String(err?.stack ?? "") };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function scanTree(bt: Btree, root: number, plan: TreePlan, enc: TextEncoding, dir: "fwd" | "back", max: number): string {
  const r = new RecordReader(enc);
  const out: string[] = [];
  if (plan.intKey) {
    const c = bt.tableCursor(root);
    try {
      for (let ok = dir === "fwd" ? c.first() : c.last(); ok; ok = dir === "fwd" ? c.next() : c.prev()) {
        const p = c.payload();
        out.push(c.rowidBig().toString() + "=" + hex(p) + "=" + normRecord(r, p).join("|"));
        if (out.length > max) break;
      }
    } finally {
      c.close();
    }
  } else {
    const c = bt.indexCursor(root, recordComparator(keyInfoFor(plan.keySpec ?? [], enc)));
    try {
      for (let ok = dir === "fwd" ? c.first() : c.last(); ok; ok = dir === "fwd" ? c.next() : c.prev()) {
        const k = c.key();
        out.push(hex(k) + "=" + normRecord(r, k).join("|"));
        if (out.length > max) break;
      }
    } finally {
      c.close();
    }
  }
  return `${out.length}:` + out.join("\n");
}

function seekTree(bt: Btree, root: number, plan: TreePlan, enc: TextEncoding): string {
  const out: string[] = [];
  if (plan.intKey) {
    const c = bt.tableCursor(root);
    try {
      for (const s of plan.seeks) {
        const res = c.seekBig(BigInt(s));
        out.push(`${Math.sign(res)}@${c.eof() ? "eof" : c.rowidBig().toString() + ":" + hex(c.payload())}`);
      }
    } finally {
      c.close();
    }
  } else {
    const c = bt.indexCursor(root, recordComparator(keyInfoFor(plan.keySpec ?? [], enc)));
    try {
      for (const s of plan.seeks) {
        const res = c.seek(Buffer.from(s, "hex"));
        out.push(`${Math.sign(res)}@${c.eof() ? "eof" : hex(c.key())}`);
      }
    } finally {
      c.close();
    }
  }
  return out.join(",");
}

function writeTree(bt: Btree, root: number, plan: TreePlan, enc: TextEncoding, insertPages: number, pageSize: number): void {
  if (plan.intKey) {
    const c = bt.tableCursor(root, true);
    try {
      for (const s of plan.deletes) {
        if (c.seekBig(BigInt(s)) === 0) c.delete();
      }
      // New rows (some with payloads several pages long) after the largest rowid.
      const big = new Uint8Array(pageSize * 3);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
      let rowid = c.last() ? c.rowidBig() : 0n;
      let pages = 0;
      for (let i = 0; pages < insertPages && i < 1000; i++) {
        if (rowid >= (1n << 63n) - 1n) rowid = -(1n << 62n) + BigInt(i);
        rowid++;
        const rec = encodeRecord([null, `new${i}`, big.subarray(0, (i % 3) * pageSize + 17)], { textEncoding: enc });
        c.insertBig(rowid, rec);
        pages += Math.ceil(rec.length / pageSize);
      }
    } finally {
      c.close();
    }
  } else {
    const c = bt.indexCursor(root, recordComparator(keyInfoFor(plan.keySpec ?? [], enc)), true);
    try {
      for (const s of plan.deletes) {
        if (c.seek(Buffer.from(s, "hex")) === 0) c.delete();
      }
      for (let i = 0; i < 20; i++) c.insert(encodeRecord(Array.from({ length: plan.keySpec?.length ?? 1 }, (_, j) => `zz${i}-${j}`), { textEncoding: enc }));
    } finally {
      c.close();
    }
  }
}

/** Runs every step on a copy of `bytes`; never throws. */
export function probe(bytes: Uint8Array, plan: ProbePlan): ProbeReport {
  const steps: Record<string, StepOutcome> = {};
  const run = (name: string, fn: () => string): boolean => {
    try {
      steps[name] = { ok: true, digest: fn() };
      return true;
    } catch (e) {
      steps[name] = fail(e);
      return false;
    }
  };
  let o: ReturnType<typeof openBytes> | null = null;
  let roots = new Map<string, number>();
  let enc: TextEncoding = 1;
  const opened = run("open", () => {
    o = openBytes(bytes);
    o.pager.beginRead();
    try {
      enc = textEncodingOf(o.pager);
      const schema = readSchema(o.bt);
      roots = new Map(schema.map((s) => [s.name, s.rootpage]));
      return JSON.stringify(schema) + `|${o.pager.pageCount}`;
    } finally {
      o.pager.endRead();
    }
  });
  if (!opened || o === null) return { steps };
  const { pager, bt } = o as ReturnType<typeof openBytes>;
  const inRead = (fn: () => string) => () => {
    pager.beginRead();
    try {
      return fn();
    } finally {
      pager.endRead();
    }
  };
  for (const t of plan.trees) {
    const root = roots.get(t.name);
    if (root === undefined) {
      steps[`tree:${t.name}`] = { ok: true, digest: "missing from schema" };
      continue;
    }
    steps[`tree:${t.name}`] = { ok: true, digest: `root ${root}` };
    run(`scan-fwd:${t.name}`, inRead(() => scanTree(bt, root, t, enc, "fwd", plan.maxEntries)));
    run(`scan-back:${t.name}`, inRead(() => scanTree(bt, root, t, enc, "back", plan.maxEntries)));
    run(`seek:${t.name}`, inRead(() => seekTree(bt, root, t, enc)));
  }
  {
    run("integrity", inRead(() => {
      const specs = [{ root: 1, intKey: true as boolean, cmp: undefined as pagerApi.KeyComparator | undefined }];
      for (const t of plan.trees) {
        const root = roots.get(t.name);
        if (root !== undefined && root > 0) {
          specs.push({ root, intKey: t.intKey, cmp: t.intKey ? undefined : recordComparator(keyInfoFor(t.keySpec ?? [], enc)) });
        }
      }
      const problems = checkIntegrity(pager, specs).problems;
      return problems.length === 0 ? "ok" : "problems";
    }));
  }
  if (plan.writes) {
    const wrote = run("write", () => {
      pager.beginWrite();
      try {
        for (const t of plan.trees) {
          const root = roots.get(t.name);
          if (root !== undefined && root > 0) writeTree(bt, root, t, enc, t.name === plan.trees[0].name ? plan.insertPages : 0, pager.pageSize);
        }
        pager.commit();
      } catch (e) {
        if (pager.inWrite) pager.rollback();
        throw e;
      }
      return "committed";
    });
    if (wrote) {
      for (const t of plan.trees) {
        const root = roots.get(t.name);
        if (root === undefined) continue;
        run(`after-write-scan:${t.name}`, inRead(() => scanTree(bt, root, t, enc, "fwd", plan.maxEntries * 2)));
      }
    }
  }
  try {
    pager.close();
  } catch (e) {
    steps["close"] = fail(e);
  }
  return { steps };
}
