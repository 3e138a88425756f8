#!/usr/bin/env node
// The `strata` command. The shell itself is in ../src (built to ../dist); it runs SQL
// through a ShellConnection. The local connection over @strata/database is wired in here
// when that driver lands; until then this command says so instead of pretending.
const args = process.argv.slice(2);
if (args.some((a) => a === "-version" || a === "--version")) {
  process.stdout.write("Strata 0.0.0 (shell only: the engine is not wired in yet)\n");
  process.exit(0);
}
process.stderr.write(
  "strata: the SQL engine is not wired into the shell yet.\n" +
    "The shell (@strata/cli) is ready and tested over SQLite; it will run SQL on Strata\n" +
    "as soon as the @strata/database driver lands (packages/database).\n",
);
process.exit(2);
