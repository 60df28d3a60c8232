import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { childEnv, setEnv } from "@/lib/env";
import { disconnectDb } from "@/lib/db/client";
import { ensureBootstrapApiKey } from "@/lib/auth/apiKeys";
import { ensureBootstrapAdmin } from "@/lib/users/service";
import { seedDemo } from "@/lib/demo/seed";
import { sendDemoTraffic, startDemoSimulator, type DemoTraffic } from "@/lib/demo/traffic";
import { buildIsCurrent, buildWebApp, hasBuild } from "./build";
import { checkDatabaseUrl } from "./databaseUrl";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embeddedPostgres";
import { applyMigrations } from "./migrate";
import { generatedSecret } from "./generatedSecrets";
import { embeddedDataLocation, makeDirs, StartupError } from "./postgresHome";
import { stopChild, supervise, type Supervised } from "./supervisor";

export interface StackOptions {
  root: string;
  dataDir: string;
  /** Run as root: where PostgreSQL's programs (and data, when its user cannot enter dataDir) go; see ASSAY_SHARED_DIR. */
  sharedDir: string;
  /** Use this PostgreSQL; unset starts the embedded one in dataDir/pg. */
  databaseUrl?: string;
  pgPort: number;
  webPort: number;
  host: string;
  publicUrl?: string;
  secret?: string;
  /** ASSAY_SECRET_KEY (endpoint API keys are encrypted under it); unset: generated once into dataDir/secret-key. */
  secretKey?: string;
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
  /** The embedded database's data folder (undefined with DATABASE_URL). */
  embeddedDataDir?: string;
  seededDemo: boolean;
  timings: Record<string, number>;
  /** The supervised worker processes. */
  workers: Supervised[];
  /** The supervised embedded PostgreSQL (undefined with DATABASE_URL). */
  database?: Supervised;
  /** Resolves with what happened if the web app stops by itself (Assay cannot go on without it). */
  failed: Promise<string>;
  stop(): Promise<void>;
}

const FOLDER_PROBLEMS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "it is on a read-only file system",
  ENOTDIR: "a part of its path is a file, not a folder",
  EEXIST: "it is a file, not a folder",
  ENOENT: "it cannot be created there",
  ENOSPC: "the disk is full",
};

/** Creates the data folder if needed and checks that this process can write it; else says what is wrong, in one line. */
function prepareDataDir(dir: string): void {
  try {
    makeDirs(dir);
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error("not a folder"), { code: "EEXIST" });
    const probe = path.join(dir, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    const why = FOLDER_PROBLEMS[code] ?? (err instanceof Error ? err.message : String(err));
    throw new StartupError(
      `ASSAY_DATA_DIR (${dir}) cannot be used: ${why}. Set ASSAY_DATA_DIR to a folder you can write, e.g. ASSAY_DATA_DIR=$HOME/.assay.`,
    );
  }
}

/** Fails early, in one line, when the web app could not listen on host:port (before anything else is started). */
function checkWebPort(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      const messages: Record<string, string> = {
        EADDRINUSE: `Port ${port} is already in use, so the web app cannot start: stop what uses it (another \`npm start\`?), or set PORT to a free port.`,
        EACCES: `This user may not listen on port ${port} (ports below 1024 need root): set PORT to 1024 or above.`,
        EADDRNOTAVAIL: `HOST ${host} is not an address of this machine: set HOST to one of its addresses, or to 0.0.0.0 for all of them.`,
        ENOTFOUND: `HOST ${host} is not an address of this machine: set HOST to one of its addresses, or to 0.0.0.0 for all of them.`,
      };
      reject(new StartupError(messages[err.code ?? ""] ?? `The web app cannot listen on ${host}:${port}: ${err.message}.`));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Starts the web app (lib/runtime/webServer.ts around the production build) on host:port with `env`. */
export function spawnWebApp(opts: {
  root: string;
  port: number;
  host: string;
  env: NodeJS.ProcessEnv;
  stdio: ["ignore", "inherit" | "pipe" | number, "inherit" | "pipe" | number];
}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(opts.root, "lib", "runtime", "webServer.ts")], {
    cwd: opts.root,
    env: { ...opts.env, PORT: String(opts.port), HOST: opts.host },
    stdio: opts.stdio,
  });
}

/** Resolves once `url` answers at all (any status); fails when `child` exits first or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new StartupError(`The web app exited with code ${child.exitCode} before it answered; its output is above.`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new StartupError(`The web app did not answer at ${url} within ${timeoutMs / 1000} s; its output is above.`);
}

/**
 * Watches the embedded PostgreSQL like a worker: when it stops by itself (killed, crashed) that is said in one line, it is
 * started again with backoff, and its return is said too. The web app and the workers wait for it meanwhile (they answer 503
 * and retry).
 */
function superviseEmbeddedDatabase(embedded: EmbeddedDatabase, log: (line: string) => void): Supervised {
  const adopt = embedded.process;
  if (!adopt) throw new StartupError("The embedded PostgreSQL stopped right after it started; run `npm start` again.");
  return supervise({
    name: "The embedded PostgreSQL",
    adopt,
    spawn: () => embedded.restart(),
    stopRun: () => embedded.stop(),
    whileDown: "Until it is back, pages and the API answer 503 (database unavailable) and the workers wait.",
    log,
  });
}

/** Starts Assay: database (embedded unless given), migrations, demo seed, bootstrap users/keys, build if needed, web app and supervised workers. */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  let web: ChildProcess | undefined;
  const workers: Supervised[] = [];
  let embedded: EmbeddedDatabase | undefined;
  let database: Supervised | undefined;
  let stopping = false;
  let output: "inherit" | number = "inherit";
  let demoTraffic: DemoTraffic | undefined;

  const stop = async () => {
    stopping = true;
    await Promise.all([...workers.map((w) => w.stop()), web ? stopChild(web) : undefined]);
    await demoTraffic?.stop().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await database?.stop();
    if (embedded) await Promise.race([embedded.stop(), new Promise((r) => setTimeout(r, 15_000))]).catch(() => undefined);
    if (typeof output === "number") fs.closeSync(output);
  };

  try {
    prepareDataDir(opts.dataDir);
    await checkWebPort(opts.webPort, opts.host);
    output = opts.childOutput === "inherit" ? "inherit" : fs.openSync(opts.childOutput.file, "a");
    let databaseUrl = opts.databaseUrl;
    let embeddedDataDir: string | undefined;
    if (databaseUrl) await checkDatabaseUrl(databaseUrl);
    else {
      const location = embeddedDataLocation(opts.dataDir, opts.sharedDir);
      embeddedDataDir = location.pgDir;
      opts.log(
        location.relocated
          ? `Starting the embedded PostgreSQL (port ${opts.pgPort}). Its user cannot enter ${opts.dataDir}, so its data lives in ${location.pgDir}.`
          : `Starting the embedded PostgreSQL (data in ${location.pgDir}, port ${opts.pgPort})…`,
      );
      embedded = await startEmbeddedPostgres({
        dir: location.pgDir,
        passwordFile: location.passwordFile,
        port: opts.pgPort,
        sharedDir: opts.sharedDir,
        log: opts.log,
      });
      databaseUrl = embedded.url;
      database = superviseEmbeddedDatabase(embedded, opts.log);
    }
    timings.database = Date.now() - t0;
    const migrations = await applyMigrations(databaseUrl, opts.root);
    opts.log(
      migrations.applied.length
        ? `Applied ${migrations.applied.length} database migration(s): ${migrations.applied.join(", ")}.`
        : "Database schema is up to date.",
    );
    timings.migrations = Date.now() - t0;

    const secret = opts.secret ?? generatedSecret(opts.dataDir, "session-secret");
    // The web app and the workers must encrypt and decrypt endpoint keys under the same secret, wherever they run from.
    const secretKey = opts.secretKey ?? generatedSecret(opts.dataDir, "secret-key");
    // No invented public URL: without one, sign-in and sign-out redirects follow the host each request came to (webServer.ts).
    const publicUrl: Record<string, string> = opts.publicUrl ? { NEXTAUTH_URL: opts.publicUrl } : {};
    setEnv({ DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: secret, ASSAY_SECRET_KEY: secretKey, ...publicUrl });

    const seededDemo = opts.demo ? await seedDemo() : false;
    if (seededDemo) opts.log("Seeded the demo data.");
    if (opts.bootstrapAdmin && (await ensureBootstrapAdmin(opts.bootstrapAdmin.email, opts.bootstrapAdmin.password))) {
      opts.log(`Created the first admin, ${opts.bootstrapAdmin.email}.`);
    }
    if (opts.bootstrapApiKey && (await ensureBootstrapApiKey(opts.bootstrapApiKey))) opts.log("Created the bootstrap API key.");
    if (opts.demo) {
      demoTraffic = await startDemoSimulator();
      opts.log(`The built-in LLM simulator serves the demo experiment's gateway (${demoTraffic.simulator.url}/v1).`);
    }
    await disconnectDb();
    timings.seed = Date.now() - t0;

    if (opts.build === "never") {
      if (!hasBuild(opts.root))
        throw new StartupError("There is no production build (.next): run `npm run build` first, or start without --no-build.");
    } else if (opts.build === "always" || !buildIsCurrent(opts.root)) {
      opts.log("Building the web app (first start, or the sources changed; takes a minute or two)…");
      const tail: string[] = [];
      const keepTail = (line: string) => {
        tail.push(line);
        if (tail.length > 40) tail.shift();
      };
      await buildWebApp(opts.root, keepTail).catch(() => {
        for (const line of tail) opts.log(line);
        throw new StartupError(
          "The web app's build failed (its last lines are above): fix the error, or run `npm run build` to see all of it.",
        );
      });
    }
    timings.build = Date.now() - t0;

    const env = childEnv({
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: secret,
      ASSAY_SECRET_KEY: secretKey,
      ...publicUrl,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    const stdio: ["ignore", "inherit" | number, "inherit" | number] = ["ignore", output, output];
    const webProcess = spawnWebApp({ root: opts.root, port: opts.webPort, host: opts.host, env, stdio });
    web = webProcess;
    const failed = new Promise<string>((resolve) =>
      webProcess.once("exit", (code, signal) => {
        if (!stopping)
          resolve(`The web app stopped by itself (${signal ? `signal ${signal}` : `exit code ${code}`}); its output is above.`);
      }),
    );
    for (let i = 1; i <= opts.workers; i++) {
      workers.push(
        supervise({
          name: `worker ${i}`,
          spawn: () =>
            spawn(process.execPath, ["--import", "tsx", path.join(opts.root, "workers", "index.ts")], { cwd: opts.root, env, stdio }),
          log: opts.log,
        }),
      );
    }
    const url = `http://127.0.0.1:${opts.webPort}`;
    await waitForHttp(`${url}/api/v1/health`, webProcess, 60_000);
    timings.web = Date.now() - t0;
    if (seededDemo && demoTraffic) {
      const t1 = Date.now();
      const sent = await sendDemoTraffic(url);
      await disconnectDb();
      opts.log(
        `Sent the demo's traffic: ${sent} chat completions through the gateway to the simulator in ${((Date.now() - t1) / 1000).toFixed(1)} s.`,
      );
      timings.demoTraffic = Date.now() - t1;
    }
    return {
      url: opts.publicUrl ?? `http://localhost:${opts.webPort}`,
      databaseUrl,
      embedded: Boolean(embedded),
      embeddedDataDir,
      seededDemo,
      timings,
      workers,
      database,
      failed,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
