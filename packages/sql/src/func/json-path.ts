/*
 * JSON paths (https://sqlite.org/json1.html §3.2 "PATH arguments"; json.c jsonLookupStep):
 * lookup, and the edits of json_set / json_insert / json_replace / json_remove, plus
 * json_patch's RFC 7396 merge.
 *
 * A path is '$' followed by steps: .key, ."quoted key", [N], [#], [#-N]. As in SQLite, a
 * path is checked while it is walked: a step after a missing element is not examined,
 * a key step is checked before the node's type, and an index step on a non-array is
 * simply "not found".
 *
 * Invariants:
 *  1. walk() returns the node found, NOT_FOUND, or PATH_ERROR ("bad JSON path: '...'").
 *  2. Edits change the tree in place. json_set/json_insert create missing object members
 *     and append at an array's end ([#] or [length]), building the rest of the path as
 *     nested objects (.key) and one-element arrays ([0] or [#]); any other index cannot
 *     be created and leaves the document unchanged.
 *  3. Object keys compare by their decoded value; the first of duplicate keys wins.
 */
import { J_ARRAY, J_OBJECT, JNode, arrayNode, escapeString, objectNode, unescapeString } from "./json-node.js";

export const NOT_FOUND = 1;
export const PATH_ERROR = 2;

export const ED_NONE = 0;
export const ED_SET = 1;
export const ED_INSERT = 2;
export const ED_REPLACE = 3;
export const ED_REMOVE = 4;

/** The key step at path[i] ('.' at i): [key, next index], or null when malformed. */
function parseKey(path: string, i: number): [string, number] | null {
  let j = i + 1;
  if (path[j] === "\"") {
    const e = path.indexOf("\"", j + 1);
    if (e < 0) return null;
    return [path.slice(j + 1, e), e + 1];
  }
  while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
  if (j === i + 1) return null;
  return [path.slice(i + 1, j), j];
}

/** The index step at path[i] ('[' at i) for an array of `len`: [index, next], or null. */
function parseIndex(path: string, i: number, len: number): [number, number] | null {
  let j = i + 1;
  let k = 0;
  let nd = 0;
  while (j < path.length && path.charCodeAt(j) >= 0x30 && path.charCodeAt(j) <= 0x39) {
    k = k * 10 + path.charCodeAt(j) - 0x30;
    j++;
    nd++;
  }
  if (nd > 0 && path[j] === "]") return [k, j + 1];
  if (nd === 0 && path[j] === "#") {
    j++;
    if (path[j] === "]") return [len, j + 1];
    if (path[j] === "-") {
      j++;
      let n = 0;
      let m = 0;
      while (j < path.length && path.charCodeAt(j) >= 0x30 && path.charCodeAt(j) <= 0x39) {
        n = n * 10 + path.charCodeAt(j) - 0x30;
        j++;
        m++;
      }
      if (m > 0 && path[j] === "]") return [len - n, j + 1];
    }
  }
  return null;
}

function findKey(node: JNode, key: string): number {
  const keys = node.keys!;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === key || unescapeString(keys[i]) === key) return i;
  }
  return -1;
}

/** The structure that path[i..] describes, holding `value` at its end (invariant 2). */
function create(path: string, i: number, value: JNode): JNode | number | null {
  if (i >= path.length) return value;
  if (path[i] === ".") {
    const k = parseKey(path, i);
    if (k === null) return PATH_ERROR;
    const inner = create(path, k[1], value);
    if (typeof inner === "number" || inner === null) return inner;
    return objectNode([escapeString(k[0])], [inner]);
  }
  if (path[i] === "[") {
    const x = parseIndex(path, i, 0);
    if (x === null) return PATH_ERROR;
    if (x[0] !== 0) return null;
    const inner = create(path, x[1], value);
    if (typeof inner === "number" || inner === null) return inner;
    return arrayNode([inner]);
  }
  return PATH_ERROR;
}

/** An edit in progress. */
export class Edit {
  op = ED_NONE;
  value: JNode | null = null;
}

const NO_EDIT = new Edit();

function apply(ed: Edit, parent: JNode, idx: number): void {
  if (ed.op === ED_SET || ed.op === ED_REPLACE) parent.a![idx] = ed.value!;
  else if (ed.op === ED_REMOVE) {
    parent.a!.splice(idx, 1);
    if (parent.keys !== null) parent.keys.splice(idx, 1);
  }
}

/** Walks path[i..] from `node` (path[i] is '.' or '['), editing by `ed` (invariant 1). */
export function walk(node: JNode, path: string, i: number, ed: Edit = NO_EDIT): JNode | number {
  const c = path[i];
  if (c === ".") {
    const k = parseKey(path, i);
    if (k === null) return PATH_ERROR;
    if (node.k !== J_OBJECT) return NOT_FOUND;
    const idx = findKey(node, k[0]);
    if (idx >= 0) {
      const child = node.a![idx];
      if (k[1] >= path.length) {
        apply(ed, node, idx);
        return child;
      }
      return walk(child, path, k[1], ed);
    }
    if (ed.op === ED_SET || ed.op === ED_INSERT) {
      const sub = create(path, k[1], ed.value!);
      if (sub === PATH_ERROR) return PATH_ERROR;
      if (sub !== null && typeof sub !== "number") {
        node.keys!.push(escapeString(k[0]));
        node.a!.push(sub);
      }
    }
    return NOT_FOUND;
  }
  if (c === "[") {
    if (node.k !== J_ARRAY) return NOT_FOUND;
    const a = node.a!;
    const x = parseIndex(path, i, a.length);
    if (x === null) return PATH_ERROR;
    const [k, next] = x;
    if (k >= 0 && k < a.length) {
      const child = a[k];
      if (next >= path.length) {
        apply(ed, node, k);
        return child;
      }
      return walk(child, path, next, ed);
    }
    if (k === a.length && (ed.op === ED_SET || ed.op === ED_INSERT)) {
      const sub = create(path, next, ed.value!);
      if (sub === PATH_ERROR) return PATH_ERROR;
      if (sub !== null && typeof sub !== "number") a.push(sub);
    }
    return NOT_FOUND;
  }
  return PATH_ERROR;
}

/** Looks up a whole path ('$...'); the node, NOT_FOUND or PATH_ERROR. */
export function lookup(root: JNode, path: string): JNode | number {
  if (path[0] !== "$") return PATH_ERROR;
  if (path.length === 1) return root;
  return walk(root, path, 1);
}

/** RFC 7396 MergePatch (json_patch): the patched target. */
export function mergePatch(target: JNode | null, patch: JNode): JNode {
  if (patch.k !== J_OBJECT) return patch;
  const t = target !== null && target.k === J_OBJECT ? target : objectNode([], []);
  const pk = patch.keys!;
  for (let i = 0; i < pk.length; i++) {
    const key = unescapeString(pk[i]);
    const v = patch.a![i];
    const idx = findKey(t, key);
    if (v.k === 0) {
      if (idx >= 0) {
        t.keys!.splice(idx, 1);
        t.a!.splice(idx, 1);
      }
    } else if (idx >= 0) {
      t.a![idx] = mergePatch(t.a![idx], v);
    } else {
      t.keys!.push(pk[i]);
      t.a!.push(mergePatch(null, v));
    }
  }
  return t;
}
