// A new load run (POST /api/v1/load-runs and the "New load run" form), a trace upload's options, and a comparison.
import { z } from "zod";
import { ARRIVAL_PROCESSES } from "@/lib/harness/arrivals";
import { PROFILE_NAMES } from "@/lib/harness/profiles";
import { TRACE_FORMATS } from "@/lib/harness/traces";

const num = (field: string, min: number, max: number, whole = false) => {
  let n = z
    .number({ error: `${field} must be a number from ${min} to ${max}` })
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max.toLocaleString("en-US")}`);
  if (whole) n = n.int(`${field} must be a whole number`);
  return n;
};

export const MAX_LOAD_SHARDS = 16;
/** The most requests one run may plan (2,000/s for 8 minutes). */
export const MAX_LOAD_REQUESTS = 1_000_000;
export const MAX_SWEEP_STEPS = 20;
/** One sweep step: at most 30 minutes (its records are held and stored together). */
export const MAX_SWEEP_STEP_SECONDS = 1800;
/** A sweep's steps together: at most 4 hours. */
export const MAX_SWEEP_SECONDS = 4 * 3600;

export const createLoadRunSchema = z
  .strictObject({
    name: z.string({ error: "name must be text" }).trim().min(1, "give the run a name").max(100, "a run's name is at most 100 characters"),
    /** "simulator" (the built-in one, run by the worker) or a managed endpoint's name. */
    target: z
      .string({ error: 'target must be "simulator" or an endpoint\'s name' })
      .trim()
      .min(1, "choose a target: the simulator or an endpoint"),
    model: z.string({ error: "model must be text" }).trim().min(1).max(200).optional(),
    endpointKind: z.enum(["completions", "chat"], { error: "endpointKind must be completions or chat" }).default("completions"),
    simulator: z
      .strictObject({
        ttftMs: num("simulator.ttftMs", 0, 60_000).default(40),
        itlMs: num("simulator.itlMs", 0, 10_000).default(15),
        errorRate: num("simulator.errorRate", 0, 1).default(0),
        maxConcurrency: num("simulator.maxConcurrency", 1, 100_000, true).default(10_000),
      })
      .default({ ttftMs: 40, itlMs: 15, errorRate: 0, maxConcurrency: 10_000 }),
    profile: z.enum(PROFILE_NAMES as [string, ...string[]], { error: `profile must be one of ${PROFILE_NAMES.join(", ")}` }).optional(),
    traceId: z.string({ error: "traceId must be a trace's id" }).trim().min(1).max(100).optional(),
    requestRate: num("requestRate", 0.01, 100_000).optional(),
    concurrentUsers: num("concurrentUsers", 1, 100_000, true).optional(),
    durationS: num("durationS", 0.1, 86_400).optional(),
    numPrompts: num("numPrompts", 1, MAX_LOAD_REQUESTS, true).optional(),
    arrival: z.enum(ARRIVAL_PROCESSES, { error: "arrival must be constant, poisson or gamma" }).optional(),
    burstiness: num("burstiness", 0.01, 100).optional(),
    seed: num("seed", 0, 2 ** 31 - 1, true).default(42),
    timeScale: num("timeScale", 0.001, 10_000).default(1),
    maxConcurrency: num("maxConcurrency", 1, 100_000, true).optional(),
    maxTokens: num("maxTokens", 1, 1_000_000, true).optional(),
    temperature: num("temperature", 0, 2).optional(),
    ignoreEos: z.boolean({ error: "ignoreEos must be true or false" }).optional(),
    timeoutS: num("timeoutS", 0.1, 3600).default(60),
    warmupS: num("warmupS", 0, 86_400).default(0),
    cooldownS: num("cooldownS", 0, 86_400).default(0),
    drainS: num("drainS", 0, 3600).default(30),
    slo: z
      .strictObject({
        ttftMs: num("slo.ttftMs", 0.001, 3_600_000).optional(),
        tpotMs: num("slo.tpotMs", 0.001, 3_600_000).optional(),
        e2elMs: num("slo.e2elMs", 0.001, 3_600_000).optional(),
      })
      .optional(),
    shards: num("shards", 1, MAX_LOAD_SHARDS, true).default(1),
    /** A sweep of this many steps, each durationS long: synchronous, throughput, then rates between. */
    sweepSteps: num("sweepSteps", 3, MAX_SWEEP_STEPS, true).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.profile && v.traceId) ctx.addIssue({ code: "custom", path: ["traceId"], message: "choose a profile or a trace, not both" });
    if (v.requestRate && v.concurrentUsers)
      ctx.addIssue({
        code: "custom",
        path: ["concurrentUsers"],
        message: "give a request rate (open loop) or concurrent users (closed loop), not both",
      });
    if (!v.durationS && !v.numPrompts && !v.traceId && v.sweepSteps === undefined)
      ctx.addIssue({ code: "custom", path: ["durationS"], message: "give a duration or a number of requests" });
    if (v.sweepSteps !== undefined) {
      if (!v.durationS) ctx.addIssue({ code: "custom", path: ["durationS"], message: "a sweep needs a duration: how long each step runs" });
      else if (v.durationS > MAX_SWEEP_STEP_SECONDS)
        ctx.addIssue({
          code: "custom",
          path: ["durationS"],
          message: `a sweep's step lasts at most ${MAX_SWEEP_STEP_SECONDS / 60} minutes; run a single load test for longer`,
        });
      else if (v.durationS * v.sweepSteps > MAX_SWEEP_SECONDS)
        ctx.addIssue({
          code: "custom",
          path: ["durationS"],
          message: `a sweep runs at most ${MAX_SWEEP_SECONDS / 3600} hours in all; shorten the steps or take fewer`,
        });
      for (const field of ["requestRate", "concurrentUsers", "numPrompts"] as const)
        if (v[field] !== undefined)
          ctx.addIssue({ code: "custom", path: [field], message: `a sweep picks the rates itself: leave out ${field}` });
      if (v.shards > 1)
        ctx.addIssue({ code: "custom", path: ["shards"], message: "a sweep runs its steps one after another on one worker: use 1 shard" });
    }
  });
export type CreateLoadRunInput = z.infer<typeof createLoadRunSchema>;

export const traceUploadQuerySchema = z.strictObject({
  name: z
    .string({ error: "name must be text" })
    .trim()
    .min(1, "give the trace a name")
    .max(100, "a trace's name is at most 100 characters"),
  format: z.enum(TRACE_FORMATS, { error: `format must be one of ${TRACE_FORMATS.join(", ")}` }).optional(),
});

export const compareQuerySchema = z.strictObject({
  baseline: z.array(z.string().min(1).max(100)).min(1, "choose at least one baseline run").max(20, "at most 20 runs a side"),
  optimized: z.array(z.string().min(1).max(100)).min(1, "choose at least one optimized run").max(20, "at most 20 runs a side"),
  seed: num("seed", 0, 2 ** 31 - 1, true).default(1),
});

/** The payload of a load-run shard's job. */
export const loadRunShardPayload = z.object({ runId: z.string().min(1), shard: z.number().int().min(0).max(64) });
