// Child process for process-lock.test.ts (bundled by esbuild there): opens the database
// named by argv[2] with the process lock and holds it until killed, or prints the error.
import { NodeVfs, acquireProcessLock } from "@strata/vfs/node";
import { Connection } from "../src/index.js";

try {
  Connection.open(new NodeVfs(), process.argv[2], { processLock: (p) => acquireProcessLock(p) });
  process.stdout.write("locked\n");
  setInterval(() => {}, 1000);
} catch (e) {
  const err = e as { code?: string; message?: string };
  process.stdout.write(`${err.code} ${err.message}\n`);
  process.exit(3);
}
