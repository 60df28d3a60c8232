// POST /api/v1/gateway/{experimentKey}/chat/completions: an OpenAI-compatible chat endpoint in front of an experiment. It
// assigns the caller's user (the body's `user`, else the X-Assay-User header), applies the variant's model, system prompt
// and parameters (lib/gateway/chatRequest.ts), forwards to the variant's endpoint with that endpoint's key, passes a
// streamed answer on event by event as it arrives, answers with X-Assay-Variant and X-Assay-Request-Id, and logs the
// interaction (latency, TTFT, usage, cost, or the error) through a queue that never holds up the answer.
// Errors, Assay's and the endpoint's, are in OpenAI's shape {"error": {message, type, param, code}}.
import type http from "node:http";
import { performance } from "node:perf_hooks";
import { StringDecoder } from "node:string_decoder";
import type { FastifyInstance, FastifyReply } from "fastify";
import { decryptEndpointApiKey } from "@/lib/endpoints/apiKeyEncryption";
import { AppError, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/errors";
import { env } from "@/lib/env";
import { chatSettingsOf, lastUserInput, upstreamChatRequest, type UpstreamChatRequest } from "@/lib/gateway/chatRequest";
import { ChatAnswer } from "@/lib/gateway/chatStream";
import { eventData, SseEventSplitter } from "@/lib/openai/sse";
import { openAIErrorType, unreachableAnswer, upstreamErrorAnswer, type UpstreamError } from "@/lib/gateway/openaiErrors";
import { postChatCompletion, UpstreamFailure, type UpstreamTarget } from "@/lib/openai/transport";
import type { TrafficEndpoint, TrafficExperiment, TrafficVariant } from "@/lib/traffic/experiments";
import {
  GATEWAY_MAX_BODY_BYTES,
  gatewayChatRequestSchema,
  gatewayUserHeaderSchema,
  type GatewayChatRequest,
} from "@/lib/validation/gateway";
import { errorBody, jsonBody, type DataPlaneContext } from "./app";
import { ingestExperimentOf } from "./ingest";
import { InteractionLog, storableText } from "./interactionLog";
import { pool } from "./pool";
import { assignUsers } from "./traffic";

/** The most of an endpoint's error body the gateway reads (the rest is dropped). */
const MAX_ERROR_BODY = 64 * 1024;
const DAY_MS = 86_400_000;

/** Sends an Assay error in OpenAI's shape: message, type, param (the first field at fault), code, plus Assay's requestId and details. */
function sendGatewayError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body, retryAfter } = errorBody(err, reply.request.requestId);
  const { code, message, requestId, details } = body.error;
  const issues = (details as { issues?: { field: string }[] } | undefined)?.issues;
  const error = {
    message,
    type: openAIErrorType(status),
    param: issues?.[0]?.field ?? null,
    code,
    requestId,
    ...(details ? { details } : {}),
  };
  if (retryAfter) void reply.header("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  return reply.code(status).header("content-type", "application/json; charset=utf-8").send(JSON.stringify({ error }));
}

/** The end user: the body's `user`, else the X-Assay-User header; 400 naming both when neither is there. */
function gatewayUser(request: GatewayChatRequest, header: string | string[] | undefined): string {
  if (request.user !== undefined) return request.user;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) {
    const message = "send the end user's id in the body's `user` field or in an X-Assay-User header: it decides the variant";
    throw new AppError("VALIDATION", `Invalid input: user: ${message}.`, { issues: [{ field: "user", message }] });
  }
  const parsed = gatewayUserHeaderSchema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0].message;
    throw new AppError("VALIDATION", `Invalid input: X-Assay-User: ${message}.`, { issues: [{ field: "X-Assay-User", message }] });
  }
  return parsed.data;
}

// Decrypted keys of the cached endpoints, dropped with them when the experiment cache empties (a changed endpoint is a new object).
const decryptedKeys = new WeakMap<TrafficEndpoint, string>();

function apiKeyOf(endpoint: TrafficEndpoint): string | null {
  if (!endpoint.apiKeyEncrypted) return null;
  let key = decryptedKeys.get(endpoint);
  if (key === undefined) {
    key = decryptEndpointApiKey(endpoint.apiKeyEncrypted, endpoint.name);
    decryptedKeys.set(endpoint, key);
  }
  return key;
}

/** Where a variant is served from: its managed endpoint (with the key decrypted), else its config's base URL (no key). */
function targetOf(experiment: TrafficExperiment, variant: TrafficVariant): UpstreamTarget & { defaultModel: string | null } {
  const managed = variant.endpoint;
  if (managed) {
    return {
      baseUrl: managed.baseUrl,
      apiKey: apiKeyOf(managed),
      label: `The model endpoint "${managed.name}"`,
      defaultModel: managed.defaultModel,
    };
  }
  if (typeof variant.config.endpoint === "string" && variant.config.endpoint !== "")
    return { baseUrl: variant.config.endpoint, apiKey: null, label: `The model endpoint of variant ${variant.key}`, defaultModel: null };
  throw new AppError(
    "CONFLICT",
    `Variant ${variant.key} of ${experiment.key} has no endpoint to forward to: set one on the experiment's design page (a managed endpoint or a base URL).`,
  );
}

/** What the interaction log records of one call. */
interface Outcome {
  latencyMs: number;
  ttftMs?: number;
  answer?: ChatAnswer;
  error?: string;
}

/** Reads at most MAX_ERROR_BODY bytes of an error answer. */
function readErrorBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (chunk: Buffer) => {
      if (size < MAX_ERROR_BODY) chunks.push(chunk.subarray(0, MAX_ERROR_BODY - size));
      size += chunk.length;
    });
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/**
 * Forwards one chat request and writes the answer to `res` as it arrives; resolves with the outcome to log once the answer
 * has ended (or failed). Never throws: every failure becomes an answer in OpenAI's error shape.
 */
async function proxyChatCompletion(opts: {
  res: http.ServerResponse;
  headers: Record<string, string | number | string[]>;
  target: UpstreamTarget;
  upstream: UpstreamChatRequest;
  requestId: string;
  startedAt: number;
}): Promise<Outcome> {
  const { res, target, upstream, startedAt } = opts;
  const timeoutMs = env().ASSAY_GATEWAY_TIMEOUT_MS;
  const elapsed = () => Math.min(performance.now() - startedAt, DAY_MS);
  const sendError = (failed: UpstreamError): Outcome => {
    if (!res.headersSent && !res.destroyed) {
      const text = JSON.stringify({ error: { ...failed.body.error, requestId: opts.requestId } });
      res.writeHead(failed.status, {
        ...opts.headers,
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    }
    return { latencyMs: elapsed(), error: failed.logged };
  };

  const call = postChatCompletion(target, Buffer.from(JSON.stringify(upstream.body)), { timeoutMs, requestId: opts.requestId });
  let callerGone = false;
  res.once("close", () => {
    if (!res.writableFinished) {
      callerGone = true;
      call.abort();
    }
  });
  let answerRes: http.IncomingMessage;
  try {
    answerRes = await call.response;
  } catch (err) {
    if (callerGone) return { latencyMs: elapsed(), error: "the caller closed the connection before the endpoint answered" };
    const failure = err instanceof UpstreamFailure ? err : new UpstreamFailure("connection");
    return sendError(unreachableAnswer(failure.kind, failure.code, target.label, timeoutMs));
  }
  const status = answerRes.statusCode ?? 502;
  if (status < 200 || status >= 300) {
    const text = await readErrorBody(answerRes);
    const failed = upstreamErrorAnswer(status, text, target.label, target.apiKey);
    const retryAfter = answerRes.headers["retry-after"];
    if (status === 429 && retryAfter) opts.headers["retry-after"] = retryAfter;
    return sendError(failed);
  }

  const contentType = answerRes.headers["content-type"] ?? (upstream.stream ? "text/event-stream" : "application/json");
  const sse = /^text\/event-stream/i.test(contentType);
  res.writeHead(200, {
    ...opts.headers,
    "content-type": contentType,
    // A proxy in front (nginx) must not hold the stream back either.
    ...(sse ? { "x-accel-buffering": "no" } : {}),
  });
  const answer = new ChatAnswer();
  const decoder = new StringDecoder("utf8");
  const splitter = new SseEventSplitter();
  const whole: Buffer[] = [];
  let ttftMs: number | undefined;
  let streamError: string | undefined;

  // What arrives in one turn of the event loop goes out in one write: an endpoint's tokens often come one TCP read
  // each, and a write per read would cost a system call each (the largest part of the gateway's time, measured).
  let corked: NodeJS.Immediate | null = null;
  const flush = () => {
    corked = null;
    res.uncork();
  };
  // The last part and the end of the answer go out together: end() writes what the cork holds and uncorks.
  const end = () => {
    if (corked) clearImmediate(corked);
    corked = null;
    res.end();
  };
  const forward = (out: string | Buffer) => {
    if (out.length === 0 || res.destroyed) return;
    if (!corked) {
      res.cork();
      corked = setImmediate(flush);
    }
    if (!res.write(out)) {
      answerRes.pause();
      res.once("drain", () => answerRes.resume());
    }
  };
  const onEvents = (text: string) => {
    let out = "";
    for (const event of splitter.push(text)) {
      const data = eventData(event);
      if (data !== null) {
        const seen = answer.observeChunk(data);
        if (seen.kind === "usage" && !upstream.callerWantsUsage) continue;
        if (seen.kind === "content" && ttftMs === undefined) ttftMs = elapsed();
        if (seen.kind === "error") streamError ??= `the endpoint sent an error in the stream: ${seen.message.slice(0, 1000)}`;
      }
      out += `${event}\n\n`;
    }
    forward(out);
  };

  await new Promise<void>((resolve) => {
    answerRes.on("data", (chunk: Buffer) => {
      if (sse) onEvents(decoder.write(chunk));
      else {
        forward(chunk);
        whole.push(chunk);
      }
    });
    answerRes.once("end", () => {
      if (sse) {
        onEvents(decoder.end());
        forward(splitter.rest());
      }
      resolve();
    });
    // A dropped or timed-out answer: 'error' (or 'aborted' then 'close') instead of 'end'.
    answerRes.once("error", () => resolve());
    answerRes.once("close", () => resolve());
  });

  const latencyMs = elapsed();
  if (!sse) answer.observeCompletion(Buffer.concat(whole).toString("utf8"));
  if (callerGone) return { latencyMs, ttftMs, answer, error: "the caller closed the connection before the answer ended" };
  if (!answerRes.complete) {
    const failure = call.failure() ?? new UpstreamFailure("connection", "ECONNRESET");
    const failed = unreachableAnswer(failure.kind, failure.code, target.label, timeoutMs);
    // The status is sent already: say it in the stream (an OpenAI client raises it as an APIError), then end.
    if (sse && !res.destroyed) res.write(`data: ${JSON.stringify({ error: { ...failed.body.error, requestId: opts.requestId } })}\n\n`);
    end();
    return { latencyMs, ttftMs, answer, error: `${failed.logged} (after the answer began)` };
  }
  end();
  return { latencyMs, ttftMs, answer, error: streamError };
}

export function registerGatewayRoutes(app: FastifyInstance, ctx: DataPlaneContext): void {
  const log = new InteractionLog(pool);
  app.addHook("onClose", async () => log.stop());

  app.post<{ Params: { key: string } }>(
    "/api/v1/gateway/:key/chat/completions",
    {
      config: { action: "traffic:assign" },
      bodyLimit: GATEWAY_MAX_BODY_BYTES,
      errorHandler: (err, _req, reply) => sendGatewayError(reply, err),
      onRequest: async (req, reply) => {
        void reply.header("x-assay-request-id", req.requestId);
      },
    },
    async (req, reply) => {
      const startedAt = performance.now();
      const receivedAt = new Date();
      const request = jsonBody(req, gatewayChatRequestSchema);
      const userId = gatewayUser(request, req.headers["x-assay-user"]);
      const experiment = await ctx.experiment(req.params.key);
      if (!experiment.gatewayEnabled) {
        throw new AppError(
          "CONFLICT",
          `The gateway does not serve ${experiment.key}: it was designed for the assign and ingestion APIs. Turn on "Assay's gateway serves this experiment" in a draft of its design (or clone it) to call it here.`,
        );
      }
      const [assigned] = await assignUsers(experiment, [{ userId }], { ...ctx, source: "GATEWAY" });
      const variant = experiment.variants.find((v) => v.key === assigned.variant)!;
      void reply.header("x-assay-variant", variant.key);
      const target = targetOf(experiment, variant);
      const upstream = upstreamChatRequest(request, chatSettingsOf(variant.config), target.defaultModel);

      reply.hijack();
      const outcome = await proxyChatCompletion({
        res: reply.raw,
        headers: reply.getHeaders() as Record<string, string | number | string[]>,
        target,
        upstream,
        requestId: req.requestId,
        startedAt,
      });
      // Only users in the experiment count in its analysis: QA overrides, the kill switch, users outside its coverage or
      // targeting, and a stopped experiment's control are served the same way but not logged (their exposure is).
      if (!assigned.inExperiment) return;
      const ingest = ingestExperimentOf(experiment);
      const input = lastUserInput(request);
      const output = outcome.answer?.output;
      const version = variant.config.systemPromptVersion;
      log.record({
        experiment: ingest,
        variant: ingest.variants.get(variant.key)!,
        record: {
          request_id: req.requestId,
          user_id: userId,
          experiment_key: experiment.key,
          variant_id: variant.key,
          model_name: upstream.model ?? (outcome.answer?.model ? storableText(outcome.answer.model).slice(0, 200) : undefined),
          system_prompt_version: typeof version === "string" ? version : undefined,
          latency_ms: outcome.latencyMs,
          ttft_ms: outcome.ttftMs,
          prompt_tokens: outcome.answer?.usage?.promptTokens,
          completion_tokens: outcome.answer?.usage?.completionTokens,
          user_input: input === undefined ? undefined : storableText(input),
          model_output: output ? storableText(output) : undefined,
          timestamp: receivedAt,
          error: outcome.error === undefined ? undefined : storableText(outcome.error).slice(0, 10_000),
        },
      });
    },
  );
}
