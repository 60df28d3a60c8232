import fs from "node:fs";
import path from "node:path";

/** Files below `dir` (relative to the project root) whose name passes `keep`, sorted, as relative paths. */
export function sourceFiles(dir: string, keep: (name: string) => boolean): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? sourceFiles(full, keep) : keep(e.name) ? [full] : [];
    })
    .sort();
}
