import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { childEnv, setEnv } from "@/lib/env";
import { disconnectDb } from "@/lib/db/client";
import { ensureBootstrapApiKey } from "@/lib/auth/apiKeys";
import { ensureBootstrapAdmin } from "@/lib/users/service";
import { seedDemo } from "@/lib/demo/seed";
import { buildIsCurrent, buildWebApp, hasBuild } from "./build";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embeddedPostgres";
import { applyMigrations } from "./migrate";

export interface StackOptions {
  root: string;
  dataDir: string;
  /** Use this PostgreSQL; unset starts the embedded one in dataDir/pg. */
  databaseUrl?: string;
  pgPort: number;
  webPort: number;
  host: string;
  publicUrl?: string;
  secret?: string;
  demo: boolean;
  workers: number;
  bootstrapAdmin?: { email: string; password: string };
  bootstrapApiKey?: string;
  build: "if-needed" | "always" | "never";
  log: (line: string) => void;
  /** Where the web app's and workers' output goes: this terminal, or a log file (tests). */
  childOutput: "inherit" | { file: string };
}

export interface RunningStack {
  url: string;
  databaseUrl: string;
  embedded: boolean;
  seededDemo: boolean;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

function sessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The web app exited with code ${child.exitCode} before it answered.`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`The web app did not answer at ${url} within ${timeoutMs / 1000} s.`);
}

/** Starts Assay: database (embedded unless given), migrations, demo seed, bootstrap users/keys, build if needed, web app and workers. */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const children: ChildProcess[] = [];
  let embedded: EmbeddedDatabase | undefined;
  const output = opts.childOutput === "inherit" ? "inherit" : fs.openSync(opts.childOutput.file, "a");

  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    await disconnectDb().catch(() => undefined);
    if (embedded) await Promise.race([embedded.stop(), new Promise((r) => setTimeout(r, 15_000))]).catch(() => undefined);
    if (typeof output === "number") fs.closeSync(output);
  };

  try {
    let databaseUrl = opts.databaseUrl;
    if (!databaseUrl) {
      opts.log(`Starting the embedded PostgreSQL (data in ${path.join(opts.dataDir, "pg")}, port ${opts.pgPort})…`);
      embedded = await startEmbeddedPostgres({ dir: path.join(opts.dataDir, "pg"), port: opts.pgPort });
      databaseUrl = embedded.url;
    }
    timings.database = Date.now() - t0;
    const migrations = await applyMigrations(databaseUrl, opts.root);
    opts.log(
      migrations.applied.length
        ? `Applied ${migrations.applied.length} database migration(s): ${migrations.applied.join(", ")}.`
        : "Database schema is up to date.",
    );
    timings.migrations = Date.now() - t0;

    const secret = opts.secret ?? sessionSecret(opts.dataDir);
    // No invented public URL: without one, sign-in and sign-out redirects follow the host each request came to (webServer.ts).
    const publicUrl: Record<string, string> = opts.publicUrl ? { NEXTAUTH_URL: opts.publicUrl } : {};
    setEnv({ DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: secret, ...publicUrl });

    const seededDemo = opts.demo ? await seedDemo() : false;
    if (seededDemo) opts.log("Seeded the demo data.");
    if (opts.bootstrapAdmin && (await ensureBootstrapAdmin(opts.bootstrapAdmin.email, opts.bootstrapAdmin.password))) {
      opts.log(`Created the first admin, ${opts.bootstrapAdmin.email}.`);
    }
    if (opts.bootstrapApiKey && (await ensureBootstrapApiKey(opts.bootstrapApiKey))) opts.log("Created the bootstrap API key.");
    await disconnectDb();
    timings.seed = Date.now() - t0;

    if (opts.build === "never") {
      if (!hasBuild(opts.root))
        throw new Error("There is no production build (.next): run `npm run build` first, or start without --no-build.");
    } else if (opts.build === "always" || !buildIsCurrent(opts.root)) {
      opts.log("Building the web app (first start, or the sources changed; takes a minute or two)…");
      await buildWebApp(opts.root, () => undefined);
    }
    timings.build = Date.now() - t0;

    const env = childEnv({
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: secret,
      ...publicUrl,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    const web = spawn(process.execPath, ["--import", "tsx", path.join(opts.root, "lib", "runtime", "webServer.ts")], {
      cwd: opts.root,
      env: { ...env, PORT: String(opts.webPort), HOST: opts.host },
      stdio: ["ignore", output, output],
    });
    children.push(web);
    for (let i = 0; i < opts.workers; i++) {
      children.push(
        spawn(process.execPath, ["--import", "tsx", path.join(opts.root, "workers", "index.ts")], {
          cwd: opts.root,
          env,
          stdio: ["ignore", output, output],
        }),
      );
    }
    const url = `http://127.0.0.1:${opts.webPort}`;
    await waitForHttp(`${url}/api/v1/health`, web, 60_000);
    timings.web = Date.now() - t0;
    return {
      url: opts.publicUrl ?? `http://localhost:${opts.webPort}`,
      databaseUrl,
      embedded: Boolean(embedded),
      seededDemo,
      timings,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
