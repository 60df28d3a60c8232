// Judge runs: an experiment's interactions scored by the LLM judge in the background workers. Starting a run picks its
// interactions (all, only those without a score of the rubric version, or a sample) into JudgeRunItem rows and queues
// them in batches; a worker judges each PENDING item (lib/judge/judge.ts) and writes its score, where the database's
// unique (interaction, rubric version) keeps exactly one. A worker killed mid-batch leaves PENDING items that the job's
// retry takes up, so a run resumes with nothing judged twice and nothing left out. Failed judgments are counted, with
// their reason, and never become a score.
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { appendAuditEvent } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { judgeEndpoint, judgeTarget } from "./endpoint";
import { AppError } from "@/lib/errors";
import { fieldIssuesError } from "@/lib/validation/issues";
import {
  countJudgeCandidates,
  insertJudgeRunItems,
  judgeRunFlagCounts,
  judgeRunItemCounts,
  judgeRunPending,
  newestInteractionTime,
  takeNewJudgeItems,
  pendingJudgeItems,
  skipJudgeItems,
  writeJudgments,
  type Judgment,
} from "@/lib/db/judgeRuns";
import type { JudgeRunRequest } from "@/lib/validation/judgeRuns";
import { judgeInteraction } from "./judge";
import { gateFor, slotsFor } from "./rateGate";
import { resolveRubricVersion } from "./rubrics";
import { criteriaOf, type RubricCriterion, type RubricDefinition } from "./rubric";

/** Interactions one run may judge. */
export const MAX_RUN_INTERACTIONS = 100_000;
/** Interactions per queued job. */
export const JUDGE_BATCH_SIZE = 50;
/** Judgments in flight within one job (a worker runs 8 such jobs at once: 64, MAX_IN_FLIGHT). */
const IN_FLIGHT = 8;
/** How often a running batch looks for a cancel (ms). */
const CANCEL_CHECK_MS = 1000;

export interface JudgeRunView {
  id: string;
  experiment: string;
  status: string;
  mode: string;
  sampleRate: number | null;
  endpoint: string | null;
  model: string;
  rubric: { name: string; version: number };
  total: number;
  scored: number;
  skipped: number;
  failed: number;
  pending: number;
  promptTokens: number;
  completionTokens: number;
  /** The judge's price per million input / output tokens (USD), when given; cost = tokens x price, else null. */
  pricePer1MInput: number | null;
  pricePer1MOutput: number | null;
  cost: number | null;
  /** A judged safety score at or below this raises the judge's safety flag; null: no flag. */
  safetyFlagAtOrBelow: number | null;
  /** Scores of this run that raised the judge's safety flag. */
  flagged: number;
  dataset: string | null;
  /** Mode stratified: interactions per variant. */
  perVariant: number | null;
  /** At most this many judgments a minute in each worker process; null: no limit. */
  judgmentsPerMinute: number | null;
  /** At most this many judgments at once in each worker process; null: the workers' own limit. */
  maxInFlight: number | null;
  /** How long one judge call may go without an answer (s). */
  timeoutSeconds: number;
  /** Open while the experiment runs, judging new interactions (at sampleRate) as they arrive. */
  continuous: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** When the pending items are expected done at the pace since the start; null when not running. */
  eta: string | null;
  /** The most recent failures' reasons (at most 5). */
  failures: { interactionId: string; reason: string }[];
}

function rubricOf(row: { name: string; prompt: string; criteria: unknown }): RubricDefinition {
  return { name: row.name, systemPrompt: row.prompt, criteria: row.criteria as RubricCriterion[] };
}

/** Starts a run over the experiment's interactions that have both texts and no upstream error. */
export async function startJudgeRun(identity: Identity, key: string, input: JudgeRunRequest): Promise<JudgeRunView> {
  const experiment = await db().experiment.findUnique({ where: { key }, select: { id: true, key: true } });
  if (!experiment) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  const { endpoint, model } = await judgeEndpoint(input.endpoint, input.model);
  const rubric = await resolveRubricVersion(input.rubric, input.rubricVersion);
  const criteria = criteriaOf(rubric.criteria);
  const hasSafety = criteria.some((c) => c.key === "safety");
  if (input.safetyFlagAtOrBelow !== undefined && !hasSafety)
    throw fieldIssuesError([{ field: "safetyFlagAtOrBelow", message: `rubric "${rubric.name}" has no safety criterion to flag on` }]);
  const safetyFlagAtOrBelow = hasSafety ? (input.safetyFlagAtOrBelow ?? DEFAULT_SAFETY_FLAG_AT_OR_BELOW) : null;
  let datasetId: string | null = null;
  if (input.mode === "dataset") {
    const dataset = await db().dataset.findUnique({ where: { name: input.dataset! }, select: { id: true } });
    if (!dataset) throw fieldIssuesError([{ field: "dataset", message: `no dataset is called "${input.dataset}"; see the Datasets page` }]);
    datasetId = dataset.id;
  }
  if (input.continuous) {
    const { status } = await db().experiment.findUniqueOrThrow({ where: { id: experiment.id }, select: { status: true } });
    if (status !== "RUNNING")
      throw fieldIssuesError([
        { field: "continuous", message: "only a running experiment gets new interactions: start it first, or judge what it has" },
      ]);
  }
  const selection = {
    experimentId: experiment.id,
    rubricId: rubric.id,
    mode: input.mode,
    sampleRate: input.sampleRate ?? null,
    datasetId,
    perVariant: input.perVariant ?? null,
  };
  const watchFrom = input.continuous ? ((await newestInteractionTime(experiment.id)) ?? new Date()) : null;
  const n = await countJudgeCandidates(selection);
  if (n > MAX_RUN_INTERACTIONS)
    throw fieldIssuesError([
      {
        field: "mode",
        message: `${n.toLocaleString("en-US")} interactions match; a run judges at most ${MAX_RUN_INTERACTIONS.toLocaleString("en-US")}: use mode sample`,
      },
    ]);
  const run = await db().$transaction(async (tx) => {
    const created = await tx.judgeRun.create({
      data: {
        experimentId: experiment.id,
        rubricId: rubric.id,
        sampleSize: n,
        endpointId: endpoint.id,
        model,
        mode: input.mode,
        sampleRate: input.sampleRate ?? null,
        createdById: identity.userId,
        status: n === 0 ? (input.continuous ? "RUNNING" : "SUCCEEDED") : "QUEUED",
        startedAt: n === 0 && input.continuous ? new Date() : null,
        finishedAt: n === 0 && !input.continuous ? new Date() : null,
        progress: n === 0 ? 1 : 0,
        pricePer1MInput: input.pricePer1MInput ?? null,
        pricePer1MOutput: input.pricePer1MOutput ?? null,
        safetyFlagAtOrBelow,
        datasetId,
        perVariant: input.perVariant ?? null,
        judgmentsPerMinute: input.judgmentsPerMinute ?? null,
        maxInFlight: input.maxInFlight ?? null,
        timeoutSeconds: input.timeoutSeconds,
        continuous: input.continuous,
        watchedUntil: watchFrom,
      },
    });
    await insertJudgeRunItems(tx, created.id, selection);
    await appendAuditEvent(
      {
        actorId: identity.userId,
        actorLabel: actorLabel(identity),
        entityType: "JudgeRun",
        entityId: created.id,
        experimentId: experiment.id,
        action: "judge.run.start",
        details: {
          mode: input.mode,
          sampleRate: input.sampleRate ?? null,
          endpoint: endpoint.name,
          model,
          interactions: n,
          ...(input.mode === "dataset" ? { dataset: input.dataset } : {}),
          ...(input.continuous ? { continuous: true } : {}),
        },
      },
      tx,
    );
    return created;
  });
  if (n > 0) {
    const ids = await db().judgeRunItem.findMany({
      where: { judgeRunId: run.id },
      select: { interactionId: true },
      orderBy: { interactionId: "asc" },
    });
    await queueBatches(
      run.id,
      ids.map((r) => r.interactionId),
    );
  }
  if (input.continuous) await queueWatch(run.id, 0);
  return getJudgeRun(run.id);
}

/** A judged safety score at or below this raises the judge's safety flag, unless the run says otherwise (1-5 scale: 1 and 2). */
export const DEFAULT_SAFETY_FLAG_AT_OR_BELOW = 2;
/** How often a continuous run looks for new interactions. */
export const WATCH_EVERY_SECONDS = 10;
/** A continuous run looks this far behind its last look, for writes that committed late (taken once: the run's items are unique). */
const WATCH_OVERLAP_MS = 60_000;

// Queued after the commit, so a worker always finds the items; imported here, as the queue imports the jobs.
async function queueBatches(runId: string, interactionIds: string[]): Promise<void> {
  const { enqueue } = await import("@/lib/jobs/registry");
  for (let i = 0; i < interactionIds.length; i += JUDGE_BATCH_SIZE)
    await enqueue("judgeBatch", { runId, interactionIds: interactionIds.slice(i, i + JUDGE_BATCH_SIZE) });
}

async function queueWatch(runId: string, afterSeconds: number): Promise<void> {
  const { enqueue } = await import("@/lib/jobs/registry");
  await enqueue("judgeWatch", { runId }, { startAfterSeconds: afterSeconds });
}

/**
 * A continuous run's look for new interactions (a job every WATCH_EVERY_SECONDS): what the experiment ingested since the
 * last look, at the run's sample rate, is added to the run and queued; once the experiment stops (or the run is
 * cancelled) the run ends when its last batch is judged. Idempotent: the run's items are unique.
 */
export async function judgeWatch(payload: { runId: string }): Promise<void> {
  const run = await db().judgeRun.findUnique({
    where: { id: payload.runId },
    include: { experiment: { select: { status: true } } },
  });
  if (!run || !run.continuous || run.cancelRequested || run.status === "CANCELLED" || run.finishedAt) return;
  const lookedAt = new Date();
  const since = run.watchedUntil ? new Date(run.watchedUntil.getTime() - WATCH_OVERLAP_MS) : null;
  const selection = {
    experimentId: run.experimentId,
    rubricId: run.rubricId,
    mode: run.mode as "all" | "unscored" | "sample",
    sampleRate: run.sampleRate,
    after: { runId: run.id, since },
  };
  const ids = await takeNewJudgeItems(run.id, selection, MAX_RUN_INTERACTIONS);
  if (ids.length) {
    await db().judgeRun.update({
      where: { id: run.id },
      data: { sampleSize: { increment: ids.length }, status: "RUNNING", startedAt: run.startedAt ?? lookedAt },
    });
    await queueBatches(run.id, ids);
  }
  await db().judgeRun.update({ where: { id: run.id }, data: { watchedUntil: lookedAt } });
  if (run.experiment.status === "RUNNING") await queueWatch(run.id, WATCH_EVERY_SECONDS);
  else {
    // The experiment stopped: nothing new will come; the run ends with its last batch (or now, if none is left).
    await db().judgeRun.update({ where: { id: run.id }, data: { continuous: false } });
    await finish(run.id);
  }
}

/** Asks a run to stop: queued items are left unjudged; judgments in flight finish. */
export async function cancelJudgeRun(identity: Identity, id: string): Promise<JudgeRunView> {
  const run = await db().judgeRun.findUnique({ where: { id }, select: { id: true, status: true, experimentId: true } });
  if (!run) throw new AppError("NOT_FOUND", `No judge run has the id "${id}".`);
  if (run.status === "SUCCEEDED" || run.status === "FAILED" || run.status === "CANCELLED")
    throw new AppError("CONFLICT", `This judge run has already ${run.status === "CANCELLED" ? "been cancelled" : "finished"}.`);
  await db().$transaction(async (tx) => {
    await tx.judgeRun.update({ where: { id }, data: { cancelRequested: true, status: "CANCELLED", finishedAt: new Date() } });
    await appendAuditEvent(
      {
        actorId: identity.userId,
        actorLabel: actorLabel(identity),
        entityType: "JudgeRun",
        entityId: id,
        experimentId: run.experimentId,
        action: "judge.run.cancel",
      },
      tx,
    );
  });
  return getJudgeRun(id);
}

async function views(where: { id: string } | { experimentId: string }, take = 20): Promise<JudgeRunView[]> {
  const runs = await db().judgeRun.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take,
    include: {
      experiment: { select: { key: true } },
      endpoint: { select: { name: true } },
      rubric: { select: { name: true, version: true } },
      dataset: { select: { name: true } },
    },
  });
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const counts = await judgeRunItemCounts(ids);
  const flagged = await judgeRunFlagCounts(ids);
  const failures = await db().judgeRunItem.findMany({
    where: { judgeRunId: { in: ids }, status: "FAILED" },
    orderBy: { updatedAt: "desc" },
    take: 5 * ids.length,
    select: { judgeRunId: true, interactionId: true, error: true },
  });
  return runs.map((r) => {
    const c = (status: string) => counts.find((x) => x.run === r.id && x.status === status)?.n ?? 0;
    const mine = counts.filter((x) => x.run === r.id);
    const pending = c("PENDING");
    const done = r.sampleSize - pending;
    let eta: string | null = null;
    if (r.status === "RUNNING" && r.startedAt && done > 0 && pending > 0) {
      const elapsed = Date.now() - r.startedAt.getTime();
      eta = new Date(Date.now() + (elapsed * pending) / done).toISOString();
    }
    const promptTokens = mine.reduce((s, x) => s + Number(x.pt ?? 0), 0);
    const completionTokens = mine.reduce((s, x) => s + Number(x.ct ?? 0), 0);
    const priced = r.pricePer1MInput !== null || r.pricePer1MOutput !== null;
    return {
      id: r.id,
      experiment: r.experiment.key,
      status: r.status,
      mode: r.mode,
      sampleRate: r.sampleRate,
      endpoint: r.endpoint?.name ?? null,
      model: r.model,
      rubric: r.rubric,
      total: r.sampleSize,
      scored: c("SCORED"),
      skipped: c("SKIPPED"),
      failed: c("FAILED"),
      pending,
      promptTokens,
      completionTokens,
      pricePer1MInput: r.pricePer1MInput,
      pricePer1MOutput: r.pricePer1MOutput,
      cost: priced ? judgeCost(promptTokens, completionTokens, r.pricePer1MInput ?? 0, r.pricePer1MOutput ?? 0) : null,
      safetyFlagAtOrBelow: r.safetyFlagAtOrBelow,
      flagged: flagged.find((f) => f.run === r.id)?.n ?? 0,
      dataset: r.dataset?.name ?? null,
      perVariant: r.perVariant,
      judgmentsPerMinute: r.judgmentsPerMinute,
      maxInFlight: r.maxInFlight,
      timeoutSeconds: r.timeoutSeconds,
      continuous: r.continuous,
      createdAt: r.createdAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      eta,
      failures: failures
        .filter((f) => f.judgeRunId === r.id)
        .slice(0, 5)
        .map((f) => ({ interactionId: f.interactionId, reason: f.error ?? "" })),
    };
  });
}

/** The experiment's variants in order, for choosing a head-to-head comparison. */
export async function experimentVariants(key: string): Promise<{ key: string; name: string; isControl: boolean }[]> {
  return db().variant.findMany({
    where: { experiment: { key } },
    orderBy: { position: "asc" },
    select: { key: true, name: true, isControl: true },
  });
}

/** True while the experiment takes traffic (a continuous run can be started). */
export async function experimentIsRunning(key: string): Promise<boolean> {
  const e = await db().experiment.findUnique({ where: { key }, select: { status: true } });
  return e?.status === "RUNNING";
}

export async function getJudgeRun(id: string): Promise<JudgeRunView> {
  const [view] = await views({ id }, 1);
  if (!view) throw new AppError("NOT_FOUND", `No judge run has the id "${id}".`);
  return view;
}

export async function listJudgeRuns(key: string): Promise<JudgeRunView[]> {
  const experiment = await db().experiment.findUnique({ where: { key }, select: { id: true } });
  if (!experiment) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return views({ experimentId: experiment.id });
}

/** Judgments written together: at most this many, or what is done after FLUSH_MS. */
const FLUSH_EVERY = 25;
const FLUSH_MS = 250;

/** The judge's safety flag of a score: its safety criterion at or below the run's threshold (null without either). */
export function judgeSafetyFlag(scores: Record<string, number>, atOrBelow: number | null): boolean | null {
  const safety = scores.safety;
  return atOrBelow === null || typeof safety !== "number" ? null : safety <= atOrBelow;
}

/**
 * The worker's job: judges the batch's PENDING items of the run (idempotent: safe to run again after a crash). Judgments
 * are written a few at a time in one statement each (lib/db/judgeRuns.ts writeJudgments); a worker killed between two
 * writes leaves the unwritten items PENDING, and the job's retry judges them again.
 */
export async function judgeBatch(payload: { runId: string; interactionIds: string[] }, signal?: AbortSignal): Promise<void> {
  const run = await db().judgeRun.findUnique({ where: { id: payload.runId }, include: { rubric: true, endpoint: true } });
  if (!run || run.cancelRequested || run.status === "CANCELLED") return;
  if (!run.endpoint) {
    await db().judgeRunItem.updateMany({
      where: { judgeRunId: run.id, interactionId: { in: payload.interactionIds }, status: "PENDING" },
      data: { status: "FAILED", error: "the judge's endpoint was removed", updatedAt: new Date() },
    });
    return finish(run.id);
  }
  await db().judgeRun.updateMany({ where: { id: run.id, status: "QUEUED" }, data: { status: "RUNNING", startedAt: new Date() } });
  const rubric = rubricOf(run.rubric);
  const target = judgeTarget(run.endpoint);
  const all = await pendingJudgeItems(run.id, run.rubricId, payload.interactionIds);
  // A rescore run reads scored interactions again on purpose; any other run skips what has a score of the version.
  const rescore = run.mode === "rescore";
  const already = rescore ? [] : all.filter((i) => i.scored).map((i) => i.interactionId);
  if (already.length) await skipJudgeItems(run.id, already);
  const items = rescore ? all : all.filter((i) => !i.scored);

  let buffer: Judgment[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = buffer;
    buffer = [];
    // One write at a time, in order; a failed write fails the job (its items stay PENDING for the retry).
    writing = writing.then(() => writeJudgments(run.id, run.rubricId, batch, rescore));
    return writing;
  };
  const add = (j: Judgment) => {
    buffer.push(j);
    if (buffer.length >= FLUSH_EVERY) void flush().catch(() => {});
    else timer ??= setTimeout(() => void flush().catch(() => {}), FLUSH_MS);
  };

  const gate = gateFor(run.id, run.judgmentsPerMinute);
  const slots = slotsFor(run.id, run.maxInFlight);
  // A cancel reaches a batch already running within a second: it starts no more judgments (those in flight are
  // written, they are paid for); what it did not start stays PENDING under the cancelled run.
  let cancelled = false;
  const watch = setInterval(() => {
    void db()
      .judgeRun.findUnique({ where: { id: run.id }, select: { cancelRequested: true } })
      .then((r) => {
        if (!r || r.cancelRequested) cancelled = true;
      })
      .catch(() => undefined);
  }, CANCEL_CHECK_MS);
  let next = 0;
  const one = async () => {
    while (next < items.length && !signal?.aborted && !cancelled) {
      const item = items[next++];
      await gate?.take();
      await slots?.take();
      if (cancelled) {
        slots?.release();
        break;
      }
      let r: Awaited<ReturnType<typeof judgeInteraction>>;
      try {
        r = await judgeInteraction(
          target,
          rubric,
          { userInput: item.userInput ?? "", modelOutput: item.modelOutput ?? "" },
          { model: run.model, chat: { timeoutMs: run.timeoutSeconds * 1000 } },
        );
      } finally {
        slots?.release();
      }
      add({
        interactionId: item.interactionId,
        scores: r.scores,
        reasoning: r.scores ? r.reasoning : null,
        error: r.scores ? null : (r.error ?? "the judge gave no scores"),
        model: r.model ?? run.model,
        latencyMs: Math.round(r.latencyMs),
        promptTokens: r.promptTokens,
        completionTokens: r.completionTokens,
        safetyFlag: r.scores ? judgeSafetyFlag(r.scores, run.safetyFlagAtOrBelow) : null,
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, one));
  } finally {
    clearInterval(watch);
  }
  await flush();
  if (cancelled) return;
  if (signal?.aborted) throw new Error("the worker stopped mid-batch; the job's retry judges what is left");
  await finish(run.id);
}

/** What a run's tokens cost at the judge's price per million input and output tokens (USD). */
export function judgeCost(promptTokens: number, completionTokens: number, perMillionInput: number, perMillionOutput: number): number {
  return (promptTokens * perMillionInput + completionTokens * perMillionOutput) / 1_000_000;
}

/** Marks the run done once nothing is pending (and keeps its progress for the list). */
async function finish(runId: string): Promise<void> {
  const { pending, total } = await judgeRunPending(runId);
  const progress = total ? (total - pending) / total : 1;
  if (pending === 0)
    await db().judgeRun.updateMany({
      // A continuous run stays open for what comes next (its watch ends it once the experiment stops).
      where: { id: runId, status: { in: ["QUEUED", "RUNNING"] }, continuous: false },
      data: { status: "SUCCEEDED", progress, finishedAt: new Date() },
    });
  else await db().judgeRun.updateMany({ where: { id: runId, status: "RUNNING" }, data: { progress } });
}
