// @strata/cli: the `strata` shell. See README.md; bin/strata.js runs `main`.
export { main, type MainDeps } from "./main.js";
export { Shell, type ShellIO, type ShellOptions, errorContext } from "./shell.js";
export { parseArgs, ArgsError, USAGE, type ParsedArgs } from "./args.js";
export {
  ShellSqlError, isRemoteLocation,
  type ShellConnection, type ShellStatement, type ShellValue, type PrepareResult,
  type OpenOptions, type ConnectionOpener,
} from "./connection.js";
export { isComplete, quickScan, SCAN_START } from "./complete.js";
export { splitLines } from "./dot-commands.js";
export { openLocal, LocalConnection } from "./local-connection.js";
