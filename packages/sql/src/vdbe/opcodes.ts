/*
 * vdbe/opcodes.ts: the one table of VDBE opcodes (https://sqlite.org/opcode.html). Each
 * opcode has SQLite's name, its number (the `Op` object, used by the code generator and
 * the VM's dispatch `switch`), what its operands mean and a one-line description (used by
 * EXPLAIN's comment column and by docs). Nothing else lists opcodes.
 *
 * Invariants:
 *  1. Opcode numbers are dense, 0..OPCODE_COUNT-1, in the order of OPCODES below, so the
 *     VM's `switch` compiles to a jump table.
 *  2. Operand conventions follow SQLite: P2 is the jump target of every jumping opcode
 *     (resolved by ProgramBuilder from labels); arithmetic is `P3 = P2 op P1`;
 *     comparisons jump to P2 when `r[P3] op r[P1]`, P5 holding the comparison affinity
 *     and the SQLITE_NULLEQ / SQLITE_JUMPIFNULL flags, P4 the collation.
 */

/** One row of the table: operand meanings ("" = unused) and a description. */
export interface OpcodeInfo {
  readonly name: string;
  readonly p1: string;
  readonly p2: string;
  readonly p3: string;
  readonly p4: string;
  readonly p5: string;
  readonly jumps: boolean;
  readonly doc: string;
}

// name, p1, p2, p3, p4, p5, jumps (P2 is an address), description
const T: readonly (readonly [string, string, string, string, string, string, boolean, string])[] = [
  ["Init", "", "start", "", "", "", true, "Start of the program: jump to P2"],
  ["Goto", "", "target", "", "", "", true, "Jump to P2"],
  ["Halt", "rc", "onError", "", "message", "", false, "End the program; P1 != 0 is an error with message P4"],
  ["HaltIfNull", "rc", "onError", "reg", "message", "", false, "Halt with constraint error P4 if r[P3] is NULL"],
  ["Transaction", "db", "write", "cookie", "generation", "checkCookie", false, "Begin a read (P2=0) or write (P2=1) transaction on database P1; SQLITE_SCHEMA if the cookie is not P3 or databases were attached/detached since P4"],
  ["AutoCommit", "on", "rollback", "", "", "", false, "Set the autocommit flag (BEGIN/COMMIT/ROLLBACK)"],
  ["OpenRead", "cursor", "root", "db", "nColumn|KeyInfo", "", false, "Open a read cursor on the B-tree rooted at P2"],
  ["OpenWrite", "cursor", "root", "db", "nColumn|KeyInfo", "", false, "Open a write cursor on the B-tree rooted at P2"],
  ["OpenEphemeral", "cursor", "nColumn", "", "KeyInfo", "", false, "Open an in-memory index (a set of records)"],
  ["SorterOpen", "cursor", "nColumn", "limit", "KeyInfo", "offset", false, "Open a sorter; P3 != 0: keep only the first r[P3] + r[P5] records in key order (ORDER BY ... LIMIT, P5 = 0: no OFFSET)"],
  ["Close", "cursor", "", "", "", "", false, "Close cursor P1"],
  ["NullRow", "cursor", "", "", "", "", false, "Cursor P1 reads NULL for every column"],
  ["Rewind", "cursor", "ifEmpty", "", "", "", true, "Move to the first entry; jump to P2 if there is none"],
  ["Last", "cursor", "ifEmpty", "", "", "", true, "Move to the last entry; jump to P2 if there is none"],
  ["Next", "cursor", "ifMore", "", "", "", true, "Advance; jump to P2 if there is a next entry"],
  ["Prev", "cursor", "ifMore", "", "", "", true, "Step back; jump to P2 if there is a previous entry"],
  ["SorterSort", "cursor", "ifEmpty", "", "", "", true, "Sort the sorter, move to its first record; jump to P2 if empty"],
  ["SorterNext", "cursor", "ifMore", "", "", "", true, "Advance the sorter; jump to P2 if there is a next record"],
  ["SorterInsert", "cursor", "record", "", "", "", false, "Add record r[P2] to sorter P1"],
  ["SorterData", "cursor", "dest", "pseudo", "", "", false, "r[P2] = the sorter's current record; pseudo-cursor P3 reads it"],
  ["OpenPseudo", "cursor", "record", "nColumn", "", "", false, "Open a cursor whose single row is the record in r[P2]"],
  ["Column", "cursor", "column", "dest", "default", "realAffinity", false, "r[P3] = column P2 of the current row of cursor P1 (P5 OPFLAG_REALAFF: then RealAffinity on r[P3])"],
  ["Rowid", "cursor", "dest", "", "", "", false, "r[P2] = the rowid of the current row"],
  ["RealAffinity", "reg", "", "", "", "", false, "If r[P1] is an INTEGER make it a REAL"],
  ["ResultRow", "first", "count", "", "", "", false, "Output r[P1..P1+P2-1] as a row"],
  ["Integer", "value", "dest", "", "", "", false, "r[P2] = P1"],
  ["Int64", "", "dest", "", "value", "", false, "r[P2] = P4 (a 64-bit integer)"],
  ["Real", "", "dest", "", "value", "", false, "r[P2] = P4 (a REAL)"],
  ["String8", "", "dest", "", "text", "", false, "r[P2] = P4 (TEXT)"],
  ["Blob", "", "dest", "", "bytes", "", false, "r[P2] = P4 (a BLOB)"],
  ["Null", "", "dest", "last", "", "", false, "r[P2..P3] = NULL (only r[P2] when P3 <= P2)"],
  ["Variable", "param", "dest", "", "name", "", false, "r[P2] = the value bound to parameter P1"],
  ["Copy", "src", "dest", "extra", "", "", false, "r[P2..P2+P3] = copies of r[P1..P1+P3]"],
  ["SCopy", "src", "dest", "", "", "", false, "r[P2] = r[P1] (shallow)"],
  ["Move", "src", "dest", "count", "", "", false, "Move r[P1..P1+P3-1] to r[P2..]; the sources become NULL"],
  ["Add", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] + r[P1]"],
  ["Subtract", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] - r[P1]"],
  ["Multiply", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] * r[P1]"],
  ["Divide", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] / r[P1]"],
  ["Remainder", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] % r[P1]"],
  ["Concat", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] || r[P1]"],
  ["BitAnd", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] & r[P1]"],
  ["BitOr", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] | r[P1]"],
  ["ShiftLeft", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] << r[P1]"],
  ["ShiftRight", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P2] >> r[P1]"],
  ["BitNot", "src", "dest", "", "", "", false, "r[P2] = ~r[P1]"],
  ["Not", "src", "dest", "", "", "", false, "r[P2] = NOT r[P1] (NULL stays NULL)"],
  ["And", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P1] AND r[P2] (three-valued)"],
  ["Or", "rhs", "lhs", "dest", "", "", false, "r[P3] = r[P1] OR r[P2] (three-valued)"],
  ["IsTrue", "src", "dest", "ifNull", "", "invert", false, "r[P2] = truth of r[P1] (P3 if NULL), inverted when P5"],
  ["Eq", "rhs", "target", "lhs", "collation", "affinity|flags", true, "if r[P3] == r[P1] goto P2"],
  ["Ne", "rhs", "target", "lhs", "collation", "affinity|flags", true, "if r[P3] != r[P1] goto P2"],
  ["Lt", "rhs", "target", "lhs", "collation", "affinity|flags", true, "if r[P3] < r[P1] goto P2"],
  ["Le", "rhs", "target", "lhs", "collation", "affinity|flags", true, "if r[P3] <= r[P1] goto P2"],
  ["Gt", "rhs", "target", "lhs", "collation", "affinity|flags", true, "if r[P3] > r[P1] goto P2"],
  ["Ge", "rhs", "target", "lhs", "collation", "affinity|flags", true, "if r[P3] >= r[P1] goto P2"],
  ["ZeroOrNull", "lhs", "dest", "rhs", "", "", false, "r[P2] = NULL if r[P1] or r[P3] is NULL, else 0"],
  ["If", "reg", "target", "ifNull", "", "", true, "if r[P1] is true (or NULL and P3) goto P2"],
  ["IfNot", "reg", "target", "ifNull", "", "", true, "if r[P1] is false (or NULL and P3) goto P2"],
  ["IsNull", "reg", "target", "", "", "", true, "if r[P1] is NULL goto P2"],
  ["NotNull", "reg", "target", "", "", "", true, "if r[P1] is not NULL goto P2"],
  ["MustBeInt", "reg", "ifNot", "", "", "", true, "Make r[P1] an INTEGER; else jump to P2 (or fail: datatype mismatch)"],
  ["IfPos", "reg", "target", "decr", "", "", true, "if r[P1] > 0 then r[P1] -= P3, goto P2"],
  ["DecrJumpZero", "reg", "target", "", "", "", true, "r[P1]--, goto P2 if it became 0"],
  ["OffsetLimit", "limit", "dest", "offset", "", "", false, "r[P2] = limit + offset (or -1 when no limit)"],
  ["Once", "", "target", "", "", "", true, "Fall through the first time, jump to P2 afterwards"],
  ["Gosub", "return", "target", "", "", "", true, "r[P1] = next address; goto P2"],
  ["Return", "return", "", "", "", "", false, "goto r[P1]"],
  ["InitCoroutine", "yield", "end", "start", "", "", true, "r[P1] = P3 - 1; goto P2 (if not 0)"],
  ["Yield", "yield", "ifDone", "", "", "", true, "Swap the address in r[P1] with this one; P2 is where EndCoroutine continues"],
  ["EndCoroutine", "yield", "", "", "", "", false, "Jump to P2 of the Yield that called the coroutine"],
  ["CollSeq", "", "", "", "collation", "", false, "The collation of the next Function call"],
  ["Function", "constMask", "firstArg", "dest", "func", "argc", false, "r[P3] = func(r[P2..P2+P5-1])"],
  ["AggStep", "", "firstArg", "accumulator", "func", "argc", false, "Step aggregate P4 with r[P2..] into r[P3]"],
  ["AggFinal", "accumulator", "argc", "", "func", "", false, "Finalize the aggregate in r[P1]"],
  ["Affinity", "first", "count", "", "affinities", "", false, "Apply affinity P4[i] to r[P1+i]"],
  ["Cast", "reg", "affinity", "", "", "", false, "CAST r[P1] to affinity P2"],
  ["MakeRecord", "first", "count", "dest", "affinities", "ephemeral", false, "r[P3] = record of r[P1..P1+P2-1]"],
  ["NewRowid", "cursor", "dest", "counter", "", "", false, "r[P2] = a new rowid for table cursor P1 (above the AUTOINCREMENT counter r[P3] when P3 != 0)"],
  ["Insert", "cursor", "data", "rowid", "table", "flags", false, "Insert record r[P2] with rowid r[P3]"],
  ["Delete", "cursor", "", "", "table", "flags", false, "Delete the current row of cursor P1"],
  ["IdxInsert", "cursor", "key", "", "", "flags", false, "Insert index key r[P2] (P5 OPFLAG_NCHANGE: a WITHOUT ROWID table row, counted in changes(); OPFLAG_APPEND: the key sorts after every entry)"],
  ["IdxDelete", "cursor", "firstKey", "count", "", "", false, "Delete the index entry with key r[P2..P2+P3-1]"],
  ["SeekRowid", "cursor", "ifMissing", "rowid", "", "", true, "Move to rowid r[P3]; jump to P2 if absent (or not an integer)"],
  ["NotExists", "cursor", "ifMissing", "rowid", "", "", true, "Move to rowid r[P3]; jump to P2 if absent"],
  ["SeekGE", "cursor", "ifNone", "firstKey", "nKey", "", true, "Move to the first entry >= key; jump to P2 if none"],
  ["SeekGT", "cursor", "ifNone", "firstKey", "nKey", "", true, "Move to the first entry > key; jump to P2 if none"],
  ["SeekLE", "cursor", "ifNone", "firstKey", "nKey", "", true, "Move to the last entry <= key; jump to P2 if none"],
  ["SeekLT", "cursor", "ifNone", "firstKey", "nKey", "", true, "Move to the last entry < key; jump to P2 if none"],
  ["IdxGE", "cursor", "target", "firstKey", "nKey", "", true, "if index key >= key goto P2"],
  ["IdxGT", "cursor", "target", "firstKey", "nKey", "", true, "if index key > key goto P2"],
  ["IdxLE", "cursor", "target", "firstKey", "nKey", "", true, "if index key <= key goto P2"],
  ["IdxLT", "cursor", "target", "firstKey", "nKey", "", true, "if index key < key goto P2"],
  ["IdxRowid", "cursor", "dest", "", "", "", false, "r[P2] = the rowid at the end of the index key"],
  ["DeferredSeek", "indexCursor", "", "tableCursor", "", "", false, "Table cursor P3 moves to the index's rowid when read"],
  ["NoConflict", "cursor", "target", "firstKey", "nKey", "", true, "if no entry matches key (or it has a NULL) goto P2"],
  ["Found", "cursor", "target", "firstKey", "nKey", "", true, "if an entry matches key goto P2"],
  ["NotFound", "cursor", "target", "firstKey", "nKey", "", true, "if no entry matches key goto P2"],
  ["RowSetAdd", "set", "rowid", "", "", "", false, "Add r[P2] to rowid list r[P1]"],
  ["RowSetRead", "set", "ifDone", "dest", "", "", true, "r[P3] = next rowid of list r[P1]; jump to P2 when exhausted"],
  ["CreateBtree", "db", "dest", "kind", "", "", false, "r[P2] = root page of a new B-tree (P3: 1 table, 2 index)"],
  ["Destroy", "root", "dest", "db", "", "", false, "Free every page of the B-tree rooted at P1"],
  ["Clear", "root", "db", "countChanges", "", "", false, "Delete every entry of the B-tree rooted at P1; P3 != 0 adds the rows deleted to the change count"],
  ["ParseSchema", "db", "", "", "where", "", false, "Reload the schema"],
  ["DropTable", "db", "", "", "name", "", false, "Remove table P4 from the in-memory schema"],
  ["DropIndex", "db", "", "", "name", "", false, "Remove index P4 from the in-memory schema"],
  ["ReadCookie", "db", "dest", "field", "", "", false, "r[P2] = header field P3"],
  ["SetCookie", "db", "field", "value", "", "", false, "Header field P2 = P3"],
  ["Savepoint", "op", "", "", "name", "", false, "SAVEPOINT / RELEASE / ROLLBACK TO"],
  ["Noop", "", "", "", "", "", false, "Do nothing"],
  ["Explain", "", "", "", "comment", "", false, "A comment for EXPLAIN"],
  ["WindowOpen", "window", "sorter", "offsets", "WindowPlan", "", false, "Bind window P1 to sorted sorter P2; frame offsets in r[P3], r[P3+1] (ops-window.ts)"],
  ["WindowNext", "window", "ifDone", "dest", "pseudo", "record", true, "Next row of window P1: r[P5] = its record, r[P3..] = its window function values; jump to P2 at the end"],
  ["Pragma", "cursor", "nColumn", "arg", "PragmaCall", "", false, "Run PRAGMA P4 (argument r[P3] when P3 > 0); its result rows fill ephemeral cursor P1 (ops-pragma.ts)"],
  ["IntegrityCk", "counts", "nTree", "dest", "trees", "", false, "Check the B-trees P4 (pager checkIntegrity): r[P3] = the problems or NULL, r[P1..P1+P2-1] = entries per tree (ops-pragma.ts)"],
  ["Program", "oldRegs", "ifIgnore", "newRegs", "subprogram", "flags", true, "Run trigger program P4 with OLD at r[P1..] and NEW at r[P3..]; jump to P2 on RAISE(IGNORE); P5 bit 1: not if already running, bit 2: its changes are this program's"],
  ["ResetCount", "", "", "", "", "", false, "changes() = this program's change count, added to total_changes(); the count restarts"],
  ["TypeCheck", "first", "count", "", "table", "", false, "STRICT table P4: r[P1..P1+P2-1] must hold the declared types (SQLITE_CONSTRAINT_DATATYPE)"],
  ["Vacuum", "db", "into", "", "", "", false, "Rebuild the database; into the new file named by r[P2] when P2 > 0 (engine/vacuum.ts)"],
  ["FkCounter", "deferred", "amount", "", "", "", false, "Add P2 to the deferred (P1=1) or the statement's foreign key counter (ops-fkey.ts)"],
  ["FkIfZero", "deferred", "target", "", "", "", true, "Jump to P2 if the deferred (P1=1) or the statement's foreign key counter is zero"],
  ["Attach", "file", "name", "key", "", "", false, "ATTACH the database file r[P1] as r[P2] (key r[P3] when P3 > 0; engine/connection.ts)"],
  ["Detach", "name", "", "", "", "", false, "DETACH database r[P1]"],
  ["SorterInsertIdx", "sorter", "cursor", "", "fields", "", false, "Add the index entry of table cursor P2's row (record fields P4, -1 the rowid) to sorter P1, copied without decoding"],
  ["SorterCompare", "sorter", "target", "record", "KeyInfo", "", true, "if the sorter's record differs from r[P3] on P4's fields (or r[P3] has a NULL there) goto P2"],
];

export const OPCODES: readonly OpcodeInfo[] = T.map(([name, p1, p2, p3, p4, p5, jumps, doc]) => ({
  name, p1, p2, p3, p4, p5, jumps, doc,
}));

/** Opcode numbers by name (invariant 1). Keep in the order of the table above. A TypeScript
 *  `enum`, not an object, so that bundlers inline the numbers: the VM's `case Op.Column:`
 *  labels become literals and V8 compiles the dispatch `switch` to a jump table (with object
 *  properties it is a chain of ~120 comparisons). */
export enum Op {
  Init = 0, Goto = 1, Halt = 2, HaltIfNull = 3, Transaction = 4, AutoCommit = 5, OpenRead = 6,
  OpenWrite = 7, OpenEphemeral = 8, SorterOpen = 9, Close = 10, NullRow = 11, Rewind = 12,
  Last = 13, Next = 14, Prev = 15, SorterSort = 16, SorterNext = 17, SorterInsert = 18,
  SorterData = 19, OpenPseudo = 20, Column = 21, Rowid = 22, RealAffinity = 23, ResultRow = 24,
  Integer = 25, Int64 = 26, Real = 27, String8 = 28, Blob = 29, Null = 30, Variable = 31,
  Copy = 32, SCopy = 33, Move = 34, Add = 35, Subtract = 36, Multiply = 37, Divide = 38,
  Remainder = 39, Concat = 40, BitAnd = 41, BitOr = 42, ShiftLeft = 43, ShiftRight = 44,
  BitNot = 45, Not = 46, And = 47, Or = 48, IsTrue = 49, Eq = 50, Ne = 51, Lt = 52, Le = 53,
  Gt = 54, Ge = 55, ZeroOrNull = 56, If = 57, IfNot = 58, IsNull = 59, NotNull = 60,
  MustBeInt = 61, IfPos = 62, DecrJumpZero = 63, OffsetLimit = 64, Once = 65, Gosub = 66,
  Return = 67, InitCoroutine = 68, Yield = 69, EndCoroutine = 70, CollSeq = 71, Function = 72,
  AggStep = 73, AggFinal = 74, Affinity = 75, Cast = 76, MakeRecord = 77, NewRowid = 78,
  Insert = 79, Delete = 80, IdxInsert = 81, IdxDelete = 82, SeekRowid = 83, NotExists = 84,
  SeekGE = 85, SeekGT = 86, SeekLE = 87, SeekLT = 88, IdxGE = 89, IdxGT = 90, IdxLE = 91,
  IdxLT = 92, IdxRowid = 93, DeferredSeek = 94, NoConflict = 95, Found = 96, NotFound = 97,
  RowSetAdd = 98, RowSetRead = 99, CreateBtree = 100, Destroy = 101, Clear = 102,
  ParseSchema = 103, DropTable = 104, DropIndex = 105, ReadCookie = 106, SetCookie = 107,
  Savepoint = 108, Noop = 109, Explain = 110, WindowOpen = 111, WindowNext = 112, Pragma = 113,
  IntegrityCk = 114, Program = 115, ResetCount = 116, TypeCheck = 117, Vacuum = 118,
  FkCounter = 119, FkIfZero = 120,
  Attach = 121, Detach = 122, SorterInsertIdx = 123, SorterCompare = 124,
}

export type OpName = keyof typeof Op;
export const OPCODE_COUNT = OPCODES.length;

// The name table and the number table agree (invariant 1); dropped from release bundles.
DEBUG: {
  for (let i = 0; i < OPCODES.length; i++) {
    if (Op[OPCODES[i].name as OpName] !== i) throw new Error(`opcodes.ts: ${OPCODES[i].name} is not number ${i}`);
  }
  if (Object.keys(Op).length !== 2 * OPCODES.length) throw new Error("opcodes.ts: Op and OPCODES differ in length");
}

// P5 flags of the comparison opcodes (SQLite's SQLITE_JUMPIFNULL / SQLITE_NULLEQ).
export const AFF_MASK = 0x47;
export const JUMPIFNULL = 0x10;
export const NULLEQ = 0x80;

// P5 flags of Insert / Delete (SQLite's OPFLAG_*).
export const OPFLAG_NCHANGE = 0x01;
export const OPFLAG_LASTROWID = 0x20;
/** IdxInsert: the key sorts after every entry of the index (filled from a sorter). */
export const OPFLAG_APPEND = 0x08;
/** P5 of MakeRecord: only the next instruction (Insert / IdxInsert / SorterInsert) reads the record, so it
 *  may stay in the VM's record buffer instead of being copied (make-record.ts invariant 4). */
export const OPFLAG_EPHEMREC = 0x01;

/** VM.aggKind: an accumulator's state class, for AggStep's short path (ops-value.ts). */
export const AGG_COUNT = 1;
export const AGG_SUM = 2;
/** P5 of Column: the column has REAL affinity, an INTEGER read becomes a REAL (SQLite emits
 *  OP_RealAffinity after the Column; folded in, one dispatch less per REAL column read). */
export const OPFLAG_REALAFF = 0x01;

// Affinity codes (SQLite's SQLITE_AFF_*), as in sqlite_schema-independent P4 strings.
export const AFF_NONE = 0x40; // '@'
export const AFF_BLOB = 0x41; // 'A'
export const AFF_TEXT = 0x42; // 'B'
export const AFF_NUMERIC = 0x43; // 'C'
export const AFF_INTEGER = 0x44; // 'D'
export const AFF_REAL = 0x45; // 'E'

/** exec() results (SQLite's SQLITE_ROW, SQLITE_DONE; VM_ERROR: the error is in vm.error). */
export const VM_ROW = 100;
export const VM_DONE = 101;
export const VM_ERROR = 1;
