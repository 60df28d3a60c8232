#!/usr/bin/env node
// The `assay` command: registers tsx so the TypeScript CLI runs without a build step.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";
import path from "node:path";

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
