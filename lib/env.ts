import path from "node:path";
import { z } from "zod";
import { trustedProxyEntryProblem } from "@/lib/http/forwarded";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""], { error: "must be 1 or 0 (true/false, yes/no)" })
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** A whole number from the environment, with a message that says what is allowed. */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`)
    .default(fallback);

const port = (fallback: number) => wholeNumber(0, 65535, fallback);

/** Every environment variable Assay reads, with its default; README's configuration table mirrors this. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** PostgreSQL connection string; unset means `npm start` runs an embedded PostgreSQL under ASSAY_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgresql:// connection string")
    .optional(),
  /** Port of the web app. */
  PORT: port(3000),
  /** Interface the web app listens on. */
  HOST: z.string().default("0.0.0.0"),
  /** Folder for local state: the embedded database, the generated session secret. */
  ASSAY_DATA_DIR: z.string().default(".assay"),
  /** Port of the embedded PostgreSQL. */
  ASSAY_PG_PORT: port(54329),
  /**
   * Run as root only: where the embedded PostgreSQL's programs are copied, and its data kept, when its own user (postgres)
   * cannot enter the checkout or ASSAY_DATA_DIR (a clone under /root or in a 0700 temporary folder).
   */
  ASSAY_SHARED_DIR: z.string().default("/var/lib/assay"),
  /** Seed the demo data (users for every role, demo experiments) on first start. Default: on with the embedded database, off otherwise. */
  ASSAY_DEMO: booleanFlag.optional(),
  /** Number of worker processes `npm start` runs beside the web app. */
  ASSAY_WORKERS: wholeNumber(0, 16, 1),
  /** Secret that signs session cookies; generated and kept in ASSAY_DATA_DIR when unset. Required in production. */
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Public URL of the web app, used for sign-in redirects. Default: http://localhost:PORT. */
  NEXTAUTH_URL: z.url({ error: "must be the app's public URL, e.g. https://assay.example.com" }).optional(),
  /** First admin on an empty database (both or neither). */
  ASSAY_BOOTSTRAP_ADMIN_EMAIL: z.email({ error: "must be an email address" }).optional(),
  ASSAY_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** An admin-scoped API key created with exactly this value at start-up if missing (automation, compose). */
  ASSAY_BOOTSTRAP_API_KEY: z
    .string()
    .regex(/^assay_[A-Za-z0-9_-]{24,}$/, "must look like assay_ followed by at least 24 letters, digits, _ or -")
    .optional(),
  /** Failed logins allowed per email (and per client address) in 15 minutes before logins are refused. */
  ASSAY_LOGIN_MAX_FAILURES: wholeNumber(1, 1000, 10),
  /** Reverse proxies whose X-Forwarded-* headers are believed (IP addresses and CIDR ranges, comma-separated); none by default. */
  ASSAY_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        const problem = trustedProxyEntryProblem(entry);
        if (problem) ctx.addIssue({ code: "custom", message: `must list IP addresses or CIDR ranges, comma-separated: ${problem}` });
      }
    }),
  /**
   * Secret from which the key that encrypts endpoints' API keys (AES-256-GCM) is derived; generated and kept in
   * ASSAY_DATA_DIR when unset. Keep it: with another value the stored endpoint keys cannot be read.
   */
  ASSAY_SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** How long the gateway waits for a model endpoint to answer, and between two parts of a streamed answer (ms). */
  ASSAY_GATEWAY_TIMEOUT_MS: wholeNumber(100, 3_600_000, 300_000),
  /**
   * Seconds between a worker's heartbeats. A worker silent for three of its own intervals is taken for dead, and the jobs
   * it held are handed to the next worker (README: Workers).
   */
  ASSAY_HEARTBEAT_SECONDS: wholeNumber(1, 3600, 15),
  /** Least seconds between two automatic checks of one ramp (each computes the experiment's results). */
  ASSAY_RAMP_CHECK_SECONDS: wholeNumber(1, 86_400, 60),
  /** Least seconds between two recomputations of a Thompson-sampling experiment's weights. */
  ASSAY_ALLOCATION_SECONDS: wholeNumber(1, 86_400, 300),
  /** Largest JSON body the API accepts, in bytes. */
  ASSAY_MAX_BODY_BYTES: wholeNumber(1024, 1_073_741_824, 1_048_576),
});

export type Env = z.infer<typeof envSchema>;

/** The environment is misconfigured; the message names each variable and what to fix. */
export class EnvError extends Error {}

let cached: Env | undefined;

/** Parses process.env once; the only place in Assay that reads process.env. */
export function env(): Env {
  if (!cached) {
    const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
    const parsed = envSchema.safeParse(raw);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")} ${i.message}`);
      throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
    }
    if (Boolean(parsed.data.ASSAY_BOOTSTRAP_ADMIN_EMAIL) !== Boolean(parsed.data.ASSAY_BOOTSTRAP_ADMIN_PASSWORD)) {
      throw new EnvError("Invalid environment:\n  set both ASSAY_BOOTSTRAP_ADMIN_EMAIL and ASSAY_BOOTSTRAP_ADMIN_PASSWORD, or neither");
    }
    cached = parsed.data;
  }
  return cached;
}

/** Sets variables for this process and the processes it starts (used by `assay start` once it knows them). */
export function setEnv(values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) process.env[k] = v;
  cached = undefined;
}

/** A copy of the environment to hand to a child process. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** Absolute path of the data folder. */
export function dataDir(): string {
  return path.resolve(env().ASSAY_DATA_DIR);
}
