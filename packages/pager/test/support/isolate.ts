// Test support: runs probe() in a worker thread so that a hang (a synchronous infinite loop
// in the pager, which no vitest timeout can interrupt) is stopped by worker.terminate() and
// reported as a failure. The worker is the probe bundled with esbuild from the current
// sources (the `source` export condition), into a temp dir, once per test file.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { ProbePlan, ProbeReport } from "./probe.js";

export type IsolatedResult = { timedOut: true } | { timedOut: false; report: ProbeReport };

export class ProbeRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private constructor(private readonly file: string, private readonly dir: string) {}

  static async start(): Promise<ProbeRunner> {
    const dir = mkdtempSync(join(tmpdir(), "strata-probe-"));
    const file = join(dir, "probe-worker.mjs");
    await build({
      entryPoints: [join(import.meta.dirname, "probe-worker.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["source"],
      outfile: file,
      logLevel: "error",
    });
    return new ProbeRunner(file, dir);
  }

  private spawn(): Worker {
    if (this.worker === null) this.worker = new Worker(this.file);
    return this.worker;
  }

  /** Runs the probe; a run longer than `timeoutMs` kills the worker and reports a hang. */
  run(bytes: Uint8Array, plan: ProbePlan, timeoutMs = 5000): Promise<IsolatedResult> {
    const w = this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        void w.terminate();
        this.worker = null;
        resolve({ timedOut: true });
      }, timeoutMs);
      const onMessage = (m: { id: number; report: ProbeReport }) => {
        if (m.id !== id) return;
        cleanup();
        resolve({ timedOut: false, report: m.report });
      };
      const onError = (e: Error) => {
        cleanup();
        this.worker = null;
        reject(e);
      };
      const cleanup = () => {
        clearTimeout(timer);
        w.off("message", onMessage);
        w.off("error", onError);
      };
      w.on("message", onMessage);
      w.on("error", onError);
      w.postMessage({ id, bytes, plan });
    });
  }

  async stop(): Promise<void> {
    if (this.worker) await this.worker.terminate();
    this.worker = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
