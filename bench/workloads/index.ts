// The workloads of the peers suite, in report order.
import { a } from "./a-insert.js";
import { b } from "./b-point-select.js";
import { c } from "./c-scan-sum.js";
import { d } from "./d-index-lookup.js";
import { e } from "./e-group-by.js";
import { f } from "./f-join.js";
import { g } from "./g-autocommit-wal.js";
import { h } from "./h-speedtest1.js";
import { i } from "./i-cold-open.js";
import type { Workload } from "./common.js";

export const WORKLOADS: Workload[] = [a, b, c, d, e, f, g, h, i];
export type { Workload, Measured, WorkloadContext } from "./common.js";
