#!/usr/bin/env node
// The `assay` command: registers tsx so the TypeScript CLI runs without a build step.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";
import path from "node:path";

// A failure nothing else caught (a library's unhandled 'error' event, a rejected promise nobody awaited) is reported the way
// every other failure is: one line, no stack trace.
function fatal(err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message.split("\n")[0]}\n`);
  process.exit(1);
}
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

const here = path.dirname(fileURLToPath(import.meta.url));
register({ tsconfig: path.join(here, "..", "tsconfig.json") });
const { main } = await import("./index.ts");
const code = await main(process.argv);
// Exit explicitly: open handles (database pools) must not keep a finished command alive, and
// libraries' exit hooks must not replace our exit code.
process.on("exit", () => {
  process.exitCode = code;
});
process.exit(code);
