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
import { decryptEndpointApiKey } from "@/lib/endpoints/apiKeyEncryption";
import { AppError } from "@/lib/errors";
import { fieldIssuesError } from "@/lib/validation/issues";
import { countJudgeCandidates, insertJudgeRunItems, insertJudgeScore, judgeRunItemCounts, judgeRunPending } from "@/lib/db/judgeRuns";
import type { JudgeRunRequest } from "@/lib/validation/judgeRuns";
import { judgeInteraction } from "./judge";
import { resolveRubricVersion } from "./rubrics";
import type { RubricCriterion, RubricDefinition } from "./rubric";

/** Interactions one run may judge. */
export const MAX_RUN_INTERACTIONS = 100_000;
/** Interactions per queued job. */
export const JUDGE_BATCH_SIZE = 50;
/** Judgments in flight within one job. */
const IN_FLIGHT = 8;

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
  const endpoint = await db().endpoint.findUnique({ where: { name: input.endpoint } });
  if (!endpoint)
    throw fieldIssuesError([
      { field: "endpoint", message: `no model endpoint is called "${input.endpoint}"; add it in Settings > Endpoints` },
    ]);
  const model = input.model ?? endpoint.defaultModel;
  if (!model)
    throw fieldIssuesError([{ field: "model", message: `name the judge model: endpoint "${endpoint.name}" has no default model` }]);
  const rubric = await resolveRubricVersion(input.rubric, input.rubricVersion);
  const selection = { experimentId: experiment.id, rubricId: rubric.id, mode: input.mode, sampleRate: input.sampleRate ?? null };
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
        status: n === 0 ? "SUCCEEDED" : "QUEUED",
        finishedAt: n === 0 ? new Date() : null,
        progress: n === 0 ? 1 : 0,
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
        details: { mode: input.mode, sampleRate: input.sampleRate ?? null, endpoint: endpoint.name, model, interactions: n },
      },
      tx,
    );
    return created;
  });
  if (n > 0) {
    // Queued after the commit, so a worker always finds the items; imported here, as the queue imports the jobs.
    const { enqueue } = await import("@/lib/jobs/registry");
    const ids = await db().judgeRunItem.findMany({
      where: { judgeRunId: run.id },
      select: { interactionId: true },
      orderBy: { interactionId: "asc" },
    });
    for (let i = 0; i < ids.length; i += JUDGE_BATCH_SIZE) {
      await enqueue("judgeBatch", { runId: run.id, interactionIds: ids.slice(i, i + JUDGE_BATCH_SIZE).map((r) => r.interactionId) });
    }
  }
  return getJudgeRun(run.id);
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
    },
  });
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const counts = await judgeRunItemCounts(ids);
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
      promptTokens: mine.reduce((s, x) => s + Number(x.pt ?? 0), 0),
      completionTokens: mine.reduce((s, x) => s + Number(x.ct ?? 0), 0),
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

/** The worker's job: judges the batch's PENDING items of the run (idempotent: safe to run again after a crash). */
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
  const target = {
    baseUrl: run.endpoint.baseUrl,
    apiKey: run.endpoint.apiKeyEncrypted ? decryptEndpointApiKey(run.endpoint.apiKeyEncrypted, run.endpoint.name) : null,
    label: `The judge's endpoint "${run.endpoint.name}"`,
  };
  const items = await db().judgeRunItem.findMany({
    where: { judgeRunId: run.id, interactionId: { in: payload.interactionIds }, status: "PENDING" },
    select: { interactionId: true, interaction: { select: { userInput: true, modelOutput: true } } },
  });
  let next = 0;
  const one = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++];
      const already = await db().judgeScore.findUnique({
        where: { interactionId_rubricId: { interactionId: item.interactionId, rubricId: run.rubricId } },
        select: { id: true },
      });
      const key = { judgeRunId_interactionId: { judgeRunId: run.id, interactionId: item.interactionId } };
      if (already) {
        await db().judgeRunItem.update({ where: key, data: { status: "SKIPPED", updatedAt: new Date() } });
        continue;
      }
      const r = await judgeInteraction(
        target,
        rubric,
        { userInput: item.interaction.userInput ?? "", modelOutput: item.interaction.modelOutput ?? "" },
        { model: run.model, chat: { timeoutMs: 60_000 } },
      );
      const tokens = { promptTokens: r.promptTokens, completionTokens: r.completionTokens, updatedAt: new Date() };
      if (!r.scores) {
        await db().judgeRunItem.update({ where: key, data: { status: "FAILED", error: r.error, ...tokens } });
        continue;
      }
      await db().$transaction(async (tx) => {
        const inserted = await insertJudgeScore(tx, {
          interactionId: item.interactionId,
          rubricId: run.rubricId,
          judgeRunId: run.id,
          scores: r.scores!,
          reasoning: r.reasoning,
          model: r.model ?? run.model,
          latencyMs: Math.round(r.latencyMs),
        });
        await tx.judgeRunItem.update({ where: key, data: { status: inserted ? "SCORED" : "SKIPPED", ...tokens } });
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, one));
  if (signal?.aborted) throw new Error("the worker stopped mid-batch; the job's retry judges what is left");
  await finish(run.id);
}

/** Marks the run done once nothing is pending (and keeps its progress for the list). */
async function finish(runId: string): Promise<void> {
  const { pending, total } = await judgeRunPending(runId);
  const progress = total ? (total - pending) / total : 1;
  if (pending === 0)
    await db().judgeRun.updateMany({
      where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "SUCCEEDED", progress, finishedAt: new Date() },
    });
  else await db().judgeRun.updateMany({ where: { id: runId, status: "RUNNING" }, data: { progress } });
}
