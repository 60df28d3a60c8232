// The data plane: assign, exposures, ingestion and the gateway, on a lean HTTP layer (Fastify) inside Assay's front door
// (lib/runtime/webServer.ts), sharing lib/ with the app. Pages and the design API stay in Next.js. API keys only: a
// browser's session cookie is not read here. Keys and experiments are served from memory, emptied by the change feed.
import { createHash, randomUUID } from "node:crypto";
import type http from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { z } from "zod";
import { identityFromAuthorizationHeader } from "@/lib/auth/apiKeys";
import type { Identity } from "@/lib/auth/identity";
import { authorize } from "@/lib/auth/permissions";
import type { Action } from "@/lib/auth/permissions";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { AppError, databaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/errors";
import { env } from "@/lib/env";
import { API_CONTENT_SECURITY_POLICY } from "@/lib/http/contentSecurityPolicy";
import { parseJsonText, validBody } from "@/lib/http/body";
import { clientConfig, loadTrafficExperiment, type TrafficExperiment } from "@/lib/traffic/experiments";
import { assignBatchRequestSchema, assignRequestSchema, exposuresRequestSchema } from "@/lib/validation/assign";
import { ChangeGuardedCache } from "./caches";
import { startChangeFeed, type ChangeFeed } from "./changes";
import { ExposureRecorder } from "./exposures";
import { asyncCommitPool, pool } from "./pool";
import { StickyStore } from "./sticky";
import { assignUsers, experimentNotFound } from "./traffic";

/** Reads and drops what is left of a request body: at most 64 MB or 10 s, then the connection is given up. */
function drainRequest(raw: http.IncomingMessage, limitBytes = 64 * 1024 * 1024, timeoutMs = 10_000): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off("data", onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limitBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    raw.on("data", onData);
    raw.once("end", done);
    raw.once("close", done);
    raw.once("error", done);
    raw.resume();
  });
}

/** Paths the data plane answers (every method: a wrong one gets 405 here, not Next's 404). */
const DATA_PLANE_PATHS = [
  /^\/api\/v1\/assign$/,
  /^\/api\/v1\/assign\/batch$/,
  /^\/api\/v1\/exposures$/,
  /^\/api\/v1\/interactions$/,
  /^\/api\/v1\/experiments\/[^/]+\/config$/,
  /^\/api\/v1\/gateway\/[^/]+\/chat\/completions$/,
];

/** True when the data plane, not Next.js, answers this request's path. */
export function isDataPlanePath(url: string): boolean {
  const pathname = url.split("?", 1)[0];
  return DATA_PLANE_PATHS.some((p) => p.test(pathname));
}

declare module "fastify" {
  interface FastifyRequest {
    identity?: Identity;
    requestId: string;
  }
  interface FastifyContextConfig {
    action?: Action;
  }
}

export interface DataPlaneContext {
  feed: ChangeFeed;
  identities: ChangeGuardedCache<Identity>;
  experiments: ChangeGuardedCache<TrafficExperiment | null>;
  sticky: StickyStore;
  exposures: ExposureRecorder;
  experiment(key: string): Promise<TrafficExperiment>;
}

const JSON_TYPES = /^application\/(.+\+)?json\s*(;|$)/i;
const NDJSON_TYPE = /^application\/x-ndjson\s*(;|$)/i;

/** Decodes a body as UTF-8, refusing bytes that are not (instead of silently replacing them). */
const decoder = new TextDecoder("utf-8", { fatal: true });
function utf8(body: Buffer): string {
  try {
    return decoder.decode(body);
  } catch {
    throw new AppError("BAD_JSON", "Request body is not valid UTF-8 text; send it encoded as UTF-8.");
  }
}

/** The body of a JSON route, validated by `schema` (the same messages as the app's routes). */
export function jsonBody<S extends z.ZodType>(req: FastifyRequest, schema: S): z.infer<S> {
  if (!(req.body instanceof Buffer) || !JSON_TYPES.test(req.headers["content-type"] ?? "")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with `Content-Type: application/json`.");
  }
  return validBody(parseJsonText(utf8(req.body)), schema);
}

/** The request body as text (JSON or NDJSON routes). */
export function bodyText(req: FastifyRequest): string {
  if (!(req.body instanceof Buffer)) throw new AppError("BAD_JSON", "Request body is empty; send JSON.");
  return utf8(req.body);
}

export function isNdjson(req: FastifyRequest): boolean {
  return NDJSON_TYPE.test(req.headers["content-type"] ?? "");
}

/** The status and `{"error": {code, message, requestId, details?}}` body for any error (unknown ones: logged, a generic 500). */
export function errorBody(
  err: unknown,
  requestId: string,
): { status: number; body: { error: Record<string, unknown> }; retryAfter?: boolean } {
  const known = err instanceof AppError ? err : isDatabaseUnavailable(err) ? databaseUnavailable(err) : null;
  if (known) {
    const error: Record<string, unknown> = { code: known.code, message: known.message, requestId };
    if (known.details !== undefined) error.details = known.details;
    return { status: known.status, body: { error }, retryAfter: known.code === "UNAVAILABLE" };
  }
  const code = (err as { code?: string } | null)?.code;
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return {
      status: 413,
      body: {
        error: {
          code: "PAYLOAD_TOO_LARGE",
          message: "Request body is too large for this route; send a smaller body (see the API reference for its limit).",
          requestId,
        },
      },
    };
  }
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH") {
    return {
      status: 415,
      body: {
        error: {
          code: "UNSUPPORTED_MEDIA_TYPE",
          message: "Send the body as JSON with `Content-Type: application/json` (NDJSON: application/x-ndjson).",
          requestId,
        },
      },
    };
  }
  if (code === "FST_ERR_CTP_EMPTY_JSON_BODY")
    return { status: 400, body: { error: { code: "BAD_JSON", message: "Request body is empty; send JSON.", requestId } } };
  console.error(`[${requestId}] unhandled error in the data plane`, err);
  return {
    status: 500,
    body: { error: { code: "INTERNAL", message: "Something went wrong on our side. Quote this request id if you report it.", requestId } },
  };
}

export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body, retryAfter } = errorBody(err, reply.request.requestId);
  if (retryAfter) void reply.header("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  return reply.code(status).header("content-type", "application/json; charset=utf-8").send(JSON.stringify(body));
}

/** The caller of a data-plane request: an API key (from memory when the change feed is live). */
async function authenticate(ctx: DataPlaneContext, req: FastifyRequest): Promise<Identity> {
  const header = req.headers.authorization;
  if (header === undefined) {
    throw new AppError(
      "UNAUTHENTICATED",
      "This API takes an API key: send `Authorization: Bearer <api key>` (create one in Settings > API keys).",
    );
  }
  const cacheKey = createHash("sha256").update(header).digest("hex");
  return ctx.identities.get(cacheKey, () => identityFromAuthorizationHeader(header));
}

export type RouteRegistrar = (app: FastifyInstance, ctx: DataPlaneContext) => void;

function registerTrafficRoutes(app: FastifyInstance, ctx: DataPlaneContext): void {
  app.post("/api/v1/assign", { config: { action: "traffic:assign" } }, async (req) => {
    const body = jsonBody(req, assignRequestSchema);
    const experiment = await ctx.experiment(body.experiment);
    const [one] = await assignUsers(experiment, [{ userId: body.userId, attributes: body.attributes }], { ...ctx, source: "API" });
    return { variant: one.variant, inExperiment: one.inExperiment, reason: one.reason, config: one.config };
  });

  app.post("/api/v1/assign/batch", { config: { action: "traffic:assign" } }, async (req) => {
    const body = jsonBody(req, assignBatchRequestSchema);
    const experiment = await ctx.experiment(body.experiment);
    return { assignments: await assignUsers(experiment, body.users, { ...ctx, source: "API" }) };
  });

  app.get<{ Params: { key: string } }>("/api/v1/experiments/:key/config", { config: { action: "traffic:assign" } }, async (req) => {
    return clientConfig(await ctx.experiment(req.params.key));
  });

  app.post("/api/v1/exposures", { config: { action: "traffic:assign" } }, async (req, reply) => {
    const body = jsonBody(req, exposuresRequestSchema);
    const experiment = await ctx.experiment(body.experiment);
    const keys = new Set(experiment.variants.map((v) => v.key));
    const unknown = body.exposures.findIndex((e) => !keys.has(e.variant));
    if (unknown >= 0) {
      throw new AppError(
        "VALIDATION",
        `Invalid input: exposures.${unknown}.variant: "${body.exposures[unknown].variant}" is not a variant of ${experiment.key}`,
        {
          issues: [
            { field: `exposures.${unknown}.variant`, message: `not a variant of ${experiment.key}; use one of ${[...keys].join(", ")}` },
          ],
        },
      );
    }
    // A local client's first assignments are kept server-side too, so the API and the client agree after a weight change.
    await ctx.sticky.keep(
      experiment.id,
      body.exposures.filter((e) => e.reason === "hash" && e.inExperiment).map((e) => ({ userId: e.userId, variant: e.variant })),
    );
    const at = new Date();
    ctx.exposures.record(
      body.exposures.map((e) => ({
        experimentId: experiment.id,
        userId: e.userId,
        variant: e.variant,
        inExperiment: e.inExperiment,
        reason: e.reason,
        source: "CLIENT",
        at,
      })),
    );
    return reply.code(202).send({ recorded: body.exposures.length });
  });
}

export interface DataPlane {
  /** Answers one request (the front door calls it for isDataPlanePath requests). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  app: FastifyInstance;
  ctx: DataPlaneContext;
  stop(): Promise<void>;
}

/** Builds the data plane; `extraRoutes` add the ingestion and gateway routes. */
export async function createDataPlane(extraRoutes: RouteRegistrar[] = []): Promise<DataPlane> {
  let feedRef: ChangeFeed | null = null;
  const live = () => feedRef?.live() ?? false;
  const identities = new ChangeGuardedCache<Identity>(live, 60_000);
  const experiments = new ChangeGuardedCache<TrafficExperiment | null>(live, 60_000, 2_000);
  const feed = startChangeFeed((kind) => (kind === "auth" ? identities.clear() : experiments.clear()));
  feedRef = feed;
  const ctx: DataPlaneContext = {
    feed,
    identities,
    experiments,
    sticky: new StickyStore(pool, asyncCommitPool),
    exposures: new ExposureRecorder(asyncCommitPool),
    async experiment(key) {
      const found = await experiments.get(key, () => loadTrafficExperiment(key));
      if (!found) throw experimentNotFound(key);
      return found;
    },
  };

  let handler: http.RequestListener | null = null;
  const app = Fastify({
    logger: false,
    bodyLimit: env().ASSAY_MAX_BODY_BYTES,
    return503OnClosing: false,
    genReqId: () => randomUUID(),
    serverFactory: (h) => {
      handler = h;
      // Fastify needs a server object; the front door owns the real one and calls `handle`.
      return {
        on() {},
        listen() {},
        close(cb?: () => void) {
          cb?.();
        },
        address: () => null,
      } as unknown as http.Server;
    },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  app.decorateRequest("identity", undefined);
  app.decorateRequest("requestId", "");
  app.addHook("onRequest", async (req, reply) => {
    req.requestId = req.id;
    void reply.header("content-security-policy", API_CONTENT_SECURITY_POLICY).header("cache-control", "no-store");
  });
  app.addHook("preValidation", async (req) => {
    const action = req.routeOptions.config.action;
    if (!action) return;
    const identity = await authenticate(ctx, req);
    authorize(identity, action);
    req.identity = identity;
  });
  app.setErrorHandler(async (err, req, reply) => {
    // An oversized body is refused before it is read; read (and drop) the rest first, so the client finishes sending and
    // reads the 413, instead of its write failing on a connection closed under it (EPIPE, no answer at all).
    if ((err as { code?: string } | null)?.code === "FST_ERR_CTP_BODY_TOO_LARGE") await drainRequest(req.raw);
    return sendError(reply, err);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(
      reply,
      new AppError(
        "METHOD_NOT_ALLOWED",
        `${req.method} is not allowed on ${req.url.split("?", 1)[0]}; see the API reference at /docs/api.`,
      ),
    ),
  );
  registerTrafficRoutes(app, ctx);
  for (const register of extraRoutes) register(app, ctx);
  await app.ready();

  return {
    app,
    ctx,
    handle(req, res) {
      handler!(req, res);
    },
    async stop() {
      await feed.stop();
      await ctx.sticky.flush().catch(() => undefined);
      await ctx.exposures.stop();
      await app.close();
    },
  };
}
