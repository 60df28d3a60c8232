import type { Command } from "commander";
import { buildWebApp } from "@/lib/runtime/build";

/** `assay build` (what `npm run build` runs): a production build of the web app, stamped with its source fingerprint. */
export function registerBuild(program: Command): void {
  program
    .command("build")
    .description("build the web app for production (npm start builds by itself when the sources changed)")
    .action(async () => {
      await buildWebApp(process.cwd(), (line) => console.log(line));
    });
}
