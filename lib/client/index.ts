// Assay's local client: fetches an experiment's config once (and again every `refreshMs`), then assigns users in-process
// with the same code the server runs (lib/assignment), so it answers exactly as POST /api/v1/assign does, in microseconds.
// First assignments are kept in a sticky store (memory by default) so users keep their variant through weight changes,
// and exposures are sent to the server in batches (which also keeps those assignments server-side).
import { assign, type Attributes, type AssignmentReason, type AssignmentSettings } from "@/lib/assignment";

export interface ClientConfigVariant {
  key: string;
  name: string;
  isControl: boolean;
  weight: number;
  config: Record<string, unknown>;
}

export interface ClientExperimentConfig {
  experiment: string;
  status: string;
  settings: AssignmentSettings;
  variants: ClientConfigVariant[];
}

export interface ClientAssignment {
  variant: string;
  inExperiment: boolean;
  reason: AssignmentReason;
  config: Record<string, unknown>;
}

/** Where first assignments are kept: experiment + user -> variant. A shared store (Redis…) lets several processes agree. */
export interface StickyStore {
  get(experiment: string, userId: string): string | undefined;
  set(experiment: string, userId: string, variant: string): void;
}

export class MemoryStickyStore implements StickyStore {
  private byExperiment = new Map<string, Map<string, string>>();
  get(experiment: string, userId: string) {
    return this.byExperiment.get(experiment)?.get(userId);
  }
  set(experiment: string, userId: string, variant: string) {
    let m = this.byExperiment.get(experiment);
    if (!m) this.byExperiment.set(experiment, (m = new Map()));
    m.set(userId, variant);
  }
}

export interface AssayClientOptions {
  /** Assay's address, e.g. http://localhost:3000. */
  baseUrl: string;
  /** An API key of a role that may assign (ADMIN, PM or ENGINEER). */
  apiKey: string;
  /** Fetch each loaded experiment's config again this often (0: never). Default 30 s. */
  refreshMs?: number;
  stickyStore?: StickyStore;
  /** Send exposures to Assay (default true), batched every `exposureFlushMs` (default 1 s) or 1,000. */
  sendExposures?: boolean;
  exposureFlushMs?: number;
  fetch?: typeof fetch;
}

interface Exposure {
  userId: string;
  variant: string;
  inExperiment: boolean;
  reason: AssignmentReason;
}

export class AssayClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "AssayClientError";
  }
}

export class AssayClient {
  private configs = new Map<string, ClientExperimentConfig>();
  private configsByVariant = new Map<string, Map<string, Record<string, unknown>>>();
  private timers: NodeJS.Timeout[] = [];
  private queue = new Map<string, Exposure[]>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly sticky: StickyStore;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: AssayClientOptions) {
    this.sticky = options.stickyStore ?? new MemoryStickyStore();
    this.doFetch = options.fetch ?? fetch;
  }

  private async request(path: string, init: RequestInit = {}): Promise<unknown> {
    const res = await this.doFetch(`${this.options.baseUrl.replace(/\/$/, "")}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.options.apiKey}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    });
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok) throw new AssayClientError(body?.error?.message ?? `Assay answered ${res.status}`, res.status);
    return body;
  }

  /** Fetches (or refetches) an experiment's config; assignments use it from then on. */
  async load(experiment: string): Promise<ClientExperimentConfig> {
    const config = (await this.request(`/api/v1/experiments/${encodeURIComponent(experiment)}/config`)) as ClientExperimentConfig;
    const first = !this.configs.has(experiment);
    this.configs.set(experiment, config);
    this.configsByVariant.set(experiment, new Map(config.variants.map((v) => [v.key, v.config])));
    const every = this.options.refreshMs ?? 30_000;
    if (first && every > 0) {
      const t = setInterval(() => void this.load(experiment).catch(() => undefined), every);
      t.unref();
      this.timers.push(t);
    }
    return config;
  }

  /** Fetches every loaded experiment's config again now. */
  async refresh(): Promise<void> {
    await Promise.all([...this.configs.keys()].map((k) => this.load(k)));
  }

  /** The variant of `userId` in a loaded experiment, as the server would answer; synchronous. */
  assign(experiment: string, userId: string, attributes?: Attributes): ClientAssignment {
    const config = this.configs.get(experiment);
    if (!config) throw new AssayClientError(`Load "${experiment}" first: await client.load("${experiment}").`);
    const result = assign(config.settings, { userId, attributes, sticky: this.sticky.get(experiment, userId) });
    if (result.remember) this.sticky.set(experiment, userId, result.variant);
    if (this.options.sendExposures ?? true)
      this.expose(experiment, { userId, variant: result.variant, inExperiment: result.inExperiment, reason: result.reason });
    return {
      variant: result.variant,
      inExperiment: result.inExperiment,
      reason: result.reason,
      config: this.configsByVariant.get(experiment)?.get(result.variant) ?? {},
    };
  }

  private expose(experiment: string, e: Exposure) {
    const list = this.queue.get(experiment) ?? [];
    list.push(e);
    this.queue.set(experiment, list);
    if (list.length >= 1000) void this.flush().catch(() => undefined);
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush().catch(() => undefined), this.options.exposureFlushMs ?? 1_000);
      this.flushTimer.unref();
    }
  }

  /** Sends the queued exposures now. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const [experiment, list] of this.queue) {
      this.queue.delete(experiment);
      for (let i = 0; i < list.length; i += 1000) {
        await this.request("/api/v1/exposures", {
          method: "POST",
          body: JSON.stringify({ experiment, exposures: list.slice(i, i + 1000) }),
        });
      }
    }
  }

  /** Stops refreshing and sends what is queued. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flush();
  }
}
