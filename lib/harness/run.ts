// The load harness's run loop. Open loop: every request's send time is fixed before the run begins (start + offset,
// on the absolute clock); a pump wakes on a timer about 1 ms early and then on setImmediate until the next send is due,
// and sends everything whose time has come, so a late wake-up delays one send, never the rest of the schedule. Each
// record keeps its intended and its actual send time; under a cap on requests in flight a request waits in a FIFO
// and that wait is recorded, not hidden. Closed loop: N users, each sending its next request when its last one ends.
// Requests still running when the run stops (the drain time passes, or the caller aborts) are recorded as in flight,
// never as successes. Token counts come from the server's usage; characters / 4 only as a labelled fallback.
import type http from "node:http";
import { randomUUID } from "node:crypto";
import { getJson, openaiBase, openaiUrl, ownAgent } from "@/lib/openai/transport";
import { nowMs, streamCompletion, type CompletionEndpoint, type StreamOutcome } from "@/lib/openai/stream";
import type { HarnessRecord, TraceRequest } from "./types";

export interface SamplingOverrides {
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  ignoreEos?: boolean;
}

export interface RunPlan {
  /** The requests in send order; open loop: offsets[i] is request i's send time in s from the start. */
  requests: TraceRequest[];
  /** Open loop: send offsets (s), one per request. Absent: closed loop. */
  offsets?: Float64Array;
  /** Closed loop: this many users. */
  concurrentUsers?: number;
  /** Closed loop: stop sending after this many seconds (open loop: the offsets already end there). */
  durationS?: number;
}

export interface RunSettings {
  url: string;
  apiKey: string | null;
  model: string;
  endpoint: CompletionEndpoint;
  overrides: SamplingOverrides;
  /** At most this many requests in flight (open loop); later sends wait for a slot, and the wait is recorded. */
  maxConcurrency?: number | null;
  /** Silence allowed before the answer and between chunks (ms). */
  timeoutMs: number;
  /** After the last send, wait at most this long for answers; the rest are recorded as in flight. */
  drainS: number;
  /** Records sent in the first warmupS / last cooldownS seconds of the schedule are left out of Assay's metrics. */
  warmupS: number;
  cooldownS: number;
  /** The absolute start (ms since the epoch); default: 100 ms from now. Shards of one run share it. */
  startAtMs?: number;
  /** Which shard this is (its index goes on each record). */
  shard?: number;
  signal?: AbortSignal;
  /** Called about every `progressEveryMs` (default 250) and once at the end. */
  onProgress?: (progress: RunProgress) => void;
  progressEveryMs?: number;
}

export interface RunProgress {
  total: number;
  sent: number;
  done: number;
  failed: number;
  inFlight: number;
  waiting: number;
  elapsedS: number;
  /** Sends per second over about the last second. */
  currentRate: number;
  /** Median E2E latency of the answers so far (ms), from a histogram (about 1% resolution); null before the first. */
  p50Ms: number | null;
}

export interface RunOutput {
  records: HarnessRecord[];
  startedAtMs: number;
  /** When the schedule meant the last send to go (open loop) / when sending stopped (closed loop). */
  scheduleEndMs: number;
  endedAtMs: number;
  /** The client's CPU time over the run as a share of one core (1 = one core busy all the time). */
  clientCpuCores: number;
  aborted: boolean;
  /** Requests never sent because the run stopped first. */
  notSent: number;
}

/** A fresh keep-alive agent with no socket cap: the cap, when wanted, is the run's own, so no wait hides in the agent. */
export const runAgent = ownAgent;

/** The request body for one trace request, the flags overriding the trace. */
export function requestBody(
  request: TraceRequest,
  model: string,
  endpoint: CompletionEndpoint,
  o: SamplingOverrides,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model, max_tokens: o.maxTokens ?? request.maxTokens };
  if (endpoint === "chat") body.messages = request.messages ?? [{ role: "user", content: request.prompt ?? "" }];
  else body.prompt = request.prompt ?? request.messages?.map((m) => m.content).join("\n") ?? "";
  const temperature = o.temperature ?? request.temperature;
  if (temperature !== undefined) body.temperature = temperature;
  const seed = o.seed ?? request.seed;
  if (seed !== undefined) body.seed = seed;
  const ignoreEos = o.ignoreEos ?? request.ignoreEos;
  if (ignoreEos !== undefined) body.ignore_eos = ignoreEos;
  return body;
}

/** Log-spaced latency histogram (1% wide bins from 0.1 ms) for a running median without sorting. */
class LatencyHistogram {
  private bins = new Uint32Array(1400);
  private n = 0;
  add(ms: number) {
    const i = ms <= 0.1 ? 0 : Math.min(this.bins.length - 1, Math.floor(Math.log(ms / 0.1) / Math.log(1.01)));
    this.bins[i]++;
    this.n++;
  }
  quantile(q: number): number | null {
    if (this.n === 0) return null;
    const rank = q * this.n;
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i];
      if (seen >= rank) return 0.1 * Math.pow(1.01, i + 0.5);
    }
    return null;
  }
}

/** The `error` text of a record still in flight when the run stopped (its assay.status says in_flight). */
export const IN_FLIGHT_ERROR = "still in flight when the run stopped";

const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/** GET /v1/models through the run's agent, at most 2 s, any answer (or none) will do. */
async function prime(url: string, agent: http.Agent, apiKey: string | null): Promise<void> {
  try {
    await getJson(openaiUrl(openaiBase(url), "models"), { apiKey, timeoutMs: 2000, agent });
  } catch {
    // no answer: the run finds out for itself
  }
}

/** Runs the plan against the server; resolves when every request has ended or been recorded as in flight. */
export async function runLoad(plan: RunPlan, settings: RunSettings): Promise<RunOutput> {
  const agent = runAgent(settings.url);
  const total = plan.requests.length;
  const closed = !plan.offsets;
  let startAtMs = settings.startAtMs ?? nowMs() + 100;
  const records: HarnessRecord[] = [];
  const controllers = new Set<AbortController>();
  const histogram = new LatencyHistogram();
  const rateWindow: { at: number; sent: number }[] = [];
  let sent = 0;
  let done = 0;
  let failed = 0;
  let inFlight = 0;
  let aborted = false;
  let stopped = false; // no more sends are due (the schedule ended, or the run was halted)
  let halted = false; // the run was aborted or the drain time ran out: nothing more is sent
  const waiting: { index: number; intendedMs: number; queuedAtMs: number }[] = [];
  const cap = settings.maxConcurrency && settings.maxConcurrency > 0 ? settings.maxConcurrency : Infinity;
  const lastOffset = plan.offsets && plan.offsets.length ? plan.offsets[plan.offsets.length - 1] : (plan.durationS ?? 0);
  let measuredFrom = startAtMs + settings.warmupS * 1000;
  let measuredTo = startAtMs + ((closed ? (plan.durationS ?? Infinity) : lastOffset) - settings.cooldownS) * 1000;

  let wakeIdle: () => void = () => {};
  const idle = new Promise<void>((resolve) => (wakeIdle = resolve));
  const checkIdle = () => {
    if (stopped && inFlight === 0 && waiting.length === 0) wakeIdle();
  };

  const record = (index: number, intendedMs: number, slotWaitMs: number, out: StreamOutcome, stillRunning: boolean) => {
    const request = plan.requests[index];
    const usage = out.usage;
    const ok = !out.error;
    const status = stillRunning ? "in_flight" : ok ? "ok" : "error";
    records.push({
      request_id: randomUUID(),
      workload_name: request.workloadType,
      timestamp_sent: out.sentAtMs / 1000,
      timestamp_first_token: out.firstTokenAtMs === null ? null : out.firstTokenAtMs / 1000,
      timestamp_last_token: stillRunning || out.lastTokenAtMs === null ? null : out.lastTokenAtMs / 1000,
      input_tokens: usage?.promptTokens ?? request.inputTokens ?? estimateTokens(request.prompt ?? ""),
      output_tokens: usage?.completionTokens ?? estimateTokens(out.text),
      prompt_text: request.prompt ?? (request.messages ? JSON.stringify(request.messages) : ""),
      output_text: out.text,
      // varcas's readers count error === null as a success: a request still running is not one.
      error: stillRunning ? IN_FLIGHT_ERROR : (out.error?.message ?? null),
      assay: {
        intended_send_time: intendedMs / 1000,
        status,
        error_class: stillRunning ? null : (out.error?.class ?? null),
        http_status: out.httpStatus,
        slot_wait_ms: Math.round(slotWaitMs * 1000) / 1000,
        usage_input_tokens: usage?.promptTokens ?? null,
        usage_output_tokens: usage?.completionTokens ?? null,
        tokens_source: usage ? "usage" : "estimate",
        itl_ms: out.itlMs.map((v) => Math.round(v * 1000) / 1000),
        measured: intendedMs >= measuredFrom && intendedMs <= measuredTo,
        shard: settings.shard ?? 0,
      },
    });
  };

  /** Sends request i; slotWaitMs: how long it waited in the queue for a slot (0 when one was free at its time). */
  const send = async (index: number, intendedMs: number, slotWaitMs: number): Promise<void> => {
    const controller = new AbortController();
    controllers.add(controller);
    inFlight++;
    sent++;
    const out = await streamCompletion({
      url: settings.url,
      apiKey: settings.apiKey,
      endpoint: settings.endpoint,
      body: requestBody(plan.requests[index], settings.model, settings.endpoint, settings.overrides),
      timeoutMs: settings.timeoutMs,
      agent,
      signal: controller.signal,
    });
    controllers.delete(controller);
    inFlight--;
    const cancelled = out.error?.class === "cancelled";
    record(index, intendedMs, slotWaitMs, out, cancelled);
    if (!cancelled) {
      if (out.error) failed++;
      else {
        done++;
        if (out.lastTokenAtMs !== null) histogram.add(out.lastTokenAtMs - out.sentAtMs);
      }
    }
    // A request waiting for a slot goes when one frees, also after the schedule's last send (until the drain ends).
    if (!halted && waiting.length > 0 && inFlight < cap) {
      const next = waiting.shift()!;
      void send(next.index, next.intendedMs, nowMs() - next.queuedAtMs);
    }
    checkIdle();
  };

  const cpuStart = process.cpuUsage();
  const progress = () => {
    const now = nowMs();
    rateWindow.push({ at: now, sent });
    while (rateWindow.length > 1 && rateWindow[0].at < now - 1000) rateWindow.shift();
    const since = rateWindow[0];
    settings.onProgress?.({
      total,
      sent,
      done,
      failed,
      inFlight,
      waiting: waiting.length,
      elapsedS: Math.max(0, (now - startAtMs) / 1000),
      currentRate: now - since.at > 0 ? ((sent - since.sent) * 1000) / (now - since.at) : 0,
      p50Ms: histogram.quantile(0.5),
    });
  };
  const ticker = setInterval(progress, settings.progressEveryMs ?? 250);

  let drainTimer: NodeJS.Timeout | undefined;
  const stopAll = () => {
    halted = true;
    if (drainTimer) clearTimeout(drainTimer);
    waiting.length = 0;
    for (const c of controllers) c.abort();
    checkIdle();
  };
  const onAbort = () => {
    aborted = true;
    stopped = true;
    stopAll();
  };
  settings.signal?.addEventListener("abort", onAbort, { once: true });

  let scheduleEndMs = startAtMs;
  const scheduleDone = () => {
    scheduleEndMs = nowMs();
    stopped = true;
    drainTimer = setTimeout(stopAll, settings.drainS * 1000);
    checkIdle();
  };

  // Sleep until the start (after one request through the agent: the first send then finds a warm code path and an
  // open connection, instead of paying for both inside the schedule).
  if (settings.startAtMs === undefined) {
    await prime(settings.url, agent, settings.apiKey);
    startAtMs = nowMs() + 100;
    measuredFrom = startAtMs + settings.warmupS * 1000;
    measuredTo = startAtMs + ((closed ? (plan.durationS ?? Infinity) : lastOffset) - settings.cooldownS) * 1000;
  } else await prime(settings.url, agent, settings.apiKey);
  await new Promise((r) => setTimeout(r, Math.max(0, startAtMs - nowMs() - 1)));
  while (nowMs() < startAtMs) await new Promise((r) => setImmediate(r));

  if (!closed) {
    const offsets = plan.offsets!;
    let next = 0;
    const pump = () => {
      if (stopped) return;
      const now = nowMs();
      while (next < offsets.length && startAtMs + offsets[next] * 1000 <= now) {
        const intended = startAtMs + offsets[next] * 1000;
        if (inFlight < cap) void send(next, intended, 0);
        else waiting.push({ index: next, intendedMs: intended, queuedAtMs: nowMs() });
        next++;
      }
      if (next >= offsets.length) return scheduleDone();
      const wait = startAtMs + offsets[next] * 1000 - nowMs();
      if (wait > 2) setTimeout(pump, wait - 1.5);
      else setImmediate(pump);
    };
    pump();
  } else {
    const users = Math.max(1, plan.concurrentUsers ?? 1);
    const endAt = plan.durationS ? startAtMs + plan.durationS * 1000 : Infinity;
    let next = 0;
    const user = async () => {
      while (!stopped && next < total && nowMs() < endAt) {
        const index = next++;
        const now = nowMs();
        await send(index, now, 0);
      }
    };
    // At the duration's end sending stops and the drain begins, whatever is still running.
    const endTimer = Number.isFinite(endAt) ? setTimeout(() => !stopped && scheduleDone(), endAt - nowMs()) : undefined;
    void Promise.all(Array.from({ length: Math.min(users, total) }, user)).then(() => {
      if (endTimer) clearTimeout(endTimer);
      if (!stopped) scheduleDone();
    });
  }

  await idle;
  clearInterval(ticker);
  if (drainTimer) clearTimeout(drainTimer);
  settings.signal?.removeEventListener("abort", onAbort);
  const endedAtMs = nowMs();
  const cpu = process.cpuUsage(cpuStart);
  progress();
  agent.destroy();
  records.sort((a, b) => a.timestamp_sent - b.timestamp_sent);
  return {
    records,
    startedAtMs: startAtMs,
    scheduleEndMs: aborted ? endedAtMs : scheduleEndMs,
    endedAtMs,
    clientCpuCores: (cpu.user + cpu.system) / 1000 / Math.max(1, endedAtMs - startAtMs),
    aborted,
    notSent: total - sent,
  };
}
