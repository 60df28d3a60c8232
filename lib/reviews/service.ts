// Deploy decisions (issue 9, point 5): the decision matrix of an experiment under its rules, the PM's review request that
// freezes it, and the reviewer's approval or rejection. Routes and pages call these; these call lib/db.
//
// A review is requested on a STOPPED experiment only: its data collection has ended, so the frozen results are the test's
// results (late logs may still arrive; the snapshot ignores them). Approval moves it to DECIDED with the proposed variant as
// the ship configuration; rejection leaves it STOPPED, where the PM can request again.
import { announce } from "@/lib/webhooks/service";
import { actorLabel, type Identity } from "@/lib/auth/identity";
import { can } from "@/lib/auth/permissions";
import {
  countPendingDecisions,
  findDecision,
  insertReviewRequest,
  listDecisions,
  settleDecision,
  type DecisionRow,
} from "@/lib/db/decisions";
import { findExperimentByKey, updateExperimentDecisionRules, type ExperimentWithDesign } from "@/lib/db/experiments";
import { decisionMatrix } from "@/lib/decision/matrix";
import type { DecisionMatrix } from "@/lib/decision/matrix.types";
import { AppError } from "@/lib/errors";
import { experimentResults } from "@/lib/results/service";
import type { ExperimentResults } from "@/lib/results/types";
import {
  decisionRulesOf,
  type DecisionRules,
  type listReviewsQuerySchema,
  type RequestReviewInput,
  type ReviewVerdictInput,
} from "@/lib/validation/decisions";
import { experimentKeySchema } from "@/lib/validation/experiments";
import { fieldIssuesError } from "@/lib/validation/issues";
import type { z } from "zod";

export interface ReviewSummary {
  id: string;
  experiment: { key: string; name: string; status: string; owner: string | null };
  /** What was proposed, in words: "Deploy B (Structured persona)". */
  recommendation: string;
  proposedVariant: string | null;
  status: "PENDING" | "APPROVED" | "REJECTED";
  requestedBy: string | null;
  reviewedBy: string | null;
  note: string | null;
  comment: string | null;
  createdAt: string;
  reviewedAt: string | null;
  /** Whether the caller may approve or reject it, and if not, why (in words). */
  canDecide: boolean;
  cannotDecideReason: string | null;
}

export interface ReviewDetail extends ReviewSummary {
  /** Frozen when the review was requested: never recomputed. */
  matrix: DecisionMatrix | null;
  results: ExperimentResults | null;
  rules: DecisionRules | null;
}

function notFound(key: string): AppError {
  return new AppError("NOT_FOUND", `No experiment with key "${key}"; check the key (GET /api/v1/experiments lists them).`);
}

async function loadExperiment(key: string): Promise<ExperimentWithDesign> {
  if (!experimentKeySchema.safeParse(key).success) throw notFound(key);
  const row = await findExperimentByKey(key);
  if (!row) throw notFound(key);
  return row;
}

/** Why this caller may not decide this review, or null when they may. The server checks this on every approval and rejection. */
function decideProblem(identity: Identity, d: Pick<DecisionRow, "status" | "requestedById" | "experiment">): string | null {
  if (!can(identity.role, "decisions:review")) return `Your role (${identity.role}) may not approve or reject deploy decisions.`;
  if (!identity.userId)
    return "A verdict is kept with a person's name: sign in, or use your own API key (not the bootstrap key), to approve or reject.";
  if (d.experiment.ownerId === identity.userId)
    return "You own this experiment, so you cannot approve or reject its deploy decision: another reviewer must.";
  if (d.requestedById === identity.userId) return "You requested this review, so you cannot approve or reject it: another reviewer must.";
  if (d.status !== "PENDING") return `This review has already been ${d.status === "APPROVED" ? "approved" : "rejected"}.`;
  return null;
}

function summaryOf(d: DecisionRow, identity: Identity): ReviewSummary {
  const problem = decideProblem(identity, d);
  return {
    id: d.id,
    experiment: { key: d.experiment.key, name: d.experiment.name, status: d.experiment.status, owner: d.experiment.owner?.name ?? null },
    recommendation: d.recommendation,
    proposedVariant: d.proposedVariant,
    status: d.status,
    requestedBy: d.requestedBy?.name ?? null,
    reviewedBy: d.reviewedBy?.name ?? null,
    note: d.note,
    comment: d.comment,
    createdAt: d.createdAt.toISOString(),
    reviewedAt: d.reviewedAt?.toISOString() ?? null,
    canDecide: problem === null,
    cannotDecideReason: problem,
  };
}

/** A stored matrix as a matrix; null for decisions recorded before matrices were frozen whole (another shape). */
function storedMatrix(json: unknown): DecisionMatrix | null {
  const m = json as DecisionMatrix | null;
  return m && Array.isArray(m.rows) && Array.isArray(m.columns) ? m : null;
}

function detailOf(d: DecisionRow, identity: Identity): ReviewDetail {
  return {
    ...summaryOf(d, identity),
    matrix: storedMatrix(d.matrix),
    results: (d.results as unknown as ExperimentResults | null) ?? null,
    rules: d.rules ? decisionRulesOf(d.rules) : null,
  };
}

/** What a proposal says: "Deploy B (Structured persona)", or "Keep A (Generic), the control". */
export function proposalWords(variant: { key: string; name: string; isControl: boolean }): string {
  return variant.isControl ? `Keep ${variant.key} (${variant.name}), the control` : `Deploy ${variant.key} (${variant.name})`;
}

/** The experiment's decision matrix now: its current results under its decision rules. */
export async function liveDecisionMatrix(key: string): Promise<{ matrix: DecisionMatrix; rules: DecisionRules }> {
  const row = await loadExperiment(key);
  const rules = decisionRulesOf(row.decisionRules);
  return { matrix: decisionMatrix(await experimentResults(key), rules), rules };
}

/** Changes an experiment's decision rules (PM/ADMIN); fixed once it is decided. */
export async function updateDecisionRules(identity: Identity, key: string, rules: DecisionRules): Promise<{ rules: DecisionRules }> {
  const row = await loadExperiment(key);
  if (row.status === "DECIDED")
    throw new AppError("CONFLICT", `"${key}" is decided: its decision rules are kept as they were applied. Clone it to test again.`);
  const before = decisionRulesOf(row.decisionRules);
  await updateExperimentDecisionRules(row.id, rules, {
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    action: "decision.rules",
    details: { before, after: rules },
  });
  return { rules };
}

/**
 * Requests a review of a STOPPED experiment: freezes its results and decision matrix into a PENDING decision proposing
 * `variant` (by default the matrix's proposal, else the control). One pending review per experiment.
 */
export async function requestReview(identity: Identity, key: string, input: RequestReviewInput): Promise<ReviewDetail> {
  const row = await loadExperiment(key);
  if (row.status === "DECIDED") throw new AppError("CONFLICT", `"${key}" is already decided; clone it to test again.`);
  if (row.status !== "STOPPED")
    throw new AppError(
      "CONFLICT",
      `Only a stopped experiment can be reviewed; "${key}" is ${row.status}. ${row.status === "RUNNING" ? "Stop it first: a review freezes the results of a test whose data collection has ended." : "Start it, collect data and stop it first."}`,
    );
  const rules = decisionRulesOf(row.decisionRules);
  const results = await experimentResults(key);
  const matrix = decisionMatrix(results, rules);
  const variantKey = input.variant ?? matrix.proposal ?? matrix.control;
  const variant = row.variants.find((v) => v.key === variantKey);
  if (!variant)
    throw fieldIssuesError([
      { field: "variant", message: `"${variantKey}" is not a variant of ${key}; use one of ${row.variants.map((v) => v.key).join(", ")}` },
    ]);
  const recommendation = proposalWords(variant);
  const created = await insertReviewRequest(
    row.id,
    { status: row.status, updatedAt: row.updatedAt },
    {
      recommendation,
      proposedVariant: variant.key,
      matrix: matrix as unknown as object,
      results: results as unknown as object,
      rules,
      note: input.note?.trim() || null,
      requestedById: identity.userId,
    },
    {
      actorId: identity.userId,
      actorLabel: actorLabel(identity),
      action: "review.requested",
      details: {
        recommendation,
        variant: variant.key,
        matrixRecommendation: matrix.rows.find((r) => r.variant === variant.key)?.recommendation ?? null,
      },
    },
  );
  return getReview(identity, created.id);
}

async function loadDecision(id: string): Promise<DecisionRow> {
  const d = id.length <= 64 ? await findDecision(id) : null;
  if (!d) throw new AppError("NOT_FOUND", `No review has the id "${id}"; GET /api/v1/reviews lists them.`);
  return d;
}

/** One review with its frozen snapshot. */
export async function getReview(identity: Identity, id: string): Promise<ReviewDetail> {
  return detailOf(await loadDecision(id), identity);
}

/** Reviews, pending first; `waiting=me`: only the pending ones the caller may decide (not requested by them, not on their experiments). */
export async function listReviews(identity: Identity, query: z.infer<typeof listReviewsQuerySchema>): Promise<ReviewSummary[]> {
  if (query.waiting === "me" && (!identity.userId || !can(identity.role, "decisions:review"))) return [];
  const rows = await listDecisions({ waitingFor: query.waiting === "me" ? identity.userId! : undefined, status: query.status });
  return rows.map((d) => summaryOf(d, identity));
}

/** What a decided experiment ships: the approved variant and its configuration as approved; null before a decision. */
function shipOf(row: ExperimentWithDesign) {
  if (!row.shipVariantKey) return null;
  const ship = row.shipConfig as { name?: string; configVersion?: number; config?: Record<string, unknown> } | null;
  return {
    variant: row.shipVariantKey,
    name: ship?.name ?? row.shipVariantKey,
    configVersion: ship?.configVersion ?? null,
    config: ship?.config ?? null,
  };
}

/** The reviews of one experiment, newest first, and what it ships once decided. */
export async function experimentReviews(identity: Identity, key: string) {
  const row = await loadExperiment(key);
  const rows = await listDecisions({ experimentId: row.id });
  return {
    status: row.status,
    ship: shipOf(row),
    reviews: rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map((d) => summaryOf(d, identity)),
  };
}

/** The reviewer's page: the reviews waiting for the caller first, then other pending ones, then those already decided. */
export async function reviewQueueFor(identity: Identity) {
  const all = (await listDecisions()).map((d) => summaryOf(d, identity));
  return {
    waiting: all.filter((r) => r.canDecide),
    otherPending: all.filter((r) => r.status === "PENDING" && !r.canDecide),
    decided: all.filter((r) => r.status !== "PENDING"),
  };
}

/** How many reviews wait for this caller (the overview's and the navigation's count); null when their role does not review. */
export async function waitingCountFor(identity: Identity): Promise<number | null> {
  if (!can(identity.role, "decisions:review")) return null;
  return identity.userId ? countPendingDecisions(identity.userId) : 0;
}

async function settle(identity: Identity, id: string, verdict: "APPROVED" | "REJECTED", input: ReviewVerdictInput): Promise<ReviewDetail> {
  const d = await loadDecision(id);
  const problem = decideProblem(identity, d);
  if (problem) throw new AppError(d.status !== "PENDING" && can(identity.role, "decisions:review") ? "CONFLICT" : "FORBIDDEN", problem);
  const comment = input.comment.trim();
  let ship: Parameters<typeof settleDecision>[2] = null;
  let shipped: { name: string; configVersion: number } | null = null;
  if (verdict === "APPROVED") {
    const experiment = await loadExperiment(d.experiment.key);
    const variant = experiment.variants.find((v) => v.key === d.proposedVariant);
    if (!variant)
      throw new AppError("CONFLICT", `The proposed variant "${d.proposedVariant}" is no longer in the experiment; reject this review.`);
    shipped = { name: variant.name, configVersion: variant.configVersion };
    ship = {
      experimentId: experiment.id,
      variantKey: variant.key,
      config: { key: variant.key, name: variant.name, configVersion: variant.configVersion, config: variant.config as object },
    };
  }
  await settleDecision(id, { status: verdict, reviewedById: identity.userId!, comment }, ship, [
    {
      actorId: identity.userId,
      actorLabel: actorLabel(identity),
      action: verdict === "APPROVED" ? "review.approved" : "review.rejected",
      entityType: "Decision",
      entityId: d.id,
      experimentId: d.experiment.id,
      details: { decisionId: d.id, recommendation: d.recommendation, variant: d.proposedVariant, comment },
    },
    ...(ship
      ? [
          {
            actorId: identity.userId,
            actorLabel: actorLabel(identity),
            action: "experiment.shipped",
            entityType: "Experiment",
            entityId: ship.experimentId,
            experimentId: ship.experimentId,
            details: { decisionId: d.id, variant: ship.variantKey, ...shipped },
          },
        ]
      : []),
  ]);
  if (ship)
    await announce(ship.experimentId, "experiment.shipped", {
      decisionId: d.id,
      variant: ship.variantKey,
      ...shipped,
      recommendation: d.recommendation,
      approvedBy: actorLabel(identity),
      comment,
    });
  return getReview(identity, id);
}

/** Approves a pending review (REVIEWER or ADMIN; never its requester or the experiment's owner): the experiment is DECIDED and ships the proposed variant. */
export function approveReview(identity: Identity, id: string, input: ReviewVerdictInput): Promise<ReviewDetail> {
  return settle(identity, id, "APPROVED", input);
}

/** Rejects a pending review (same people as approval): the experiment stays STOPPED and the PM may request again. */
export function rejectReview(identity: Identity, id: string, input: ReviewVerdictInput): Promise<ReviewDetail> {
  return settle(identity, id, "REJECTED", input);
}

/** Everything the experiment's Decision page shows: the live matrix (after the start), its rules, its reviews, the shipped variant. */
export async function experimentDecisionView(identity: Identity, key: string) {
  const row = await loadExperiment(key);
  const rules = decisionRulesOf(row.decisionRules);
  const [matrix, decisions] = await Promise.all([
    row.status === "DRAFT" ? Promise.resolve(null) : experimentResults(key).then((r) => decisionMatrix(r, rules)),
    listDecisions({ experimentId: row.id }),
  ]);
  const newestFirst = [...decisions].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const pending = newestFirst.find((d) => d.status === "PENDING");
  const approved = newestFirst.find((d) => d.status === "APPROVED");
  return {
    experiment: {
      key: row.key,
      name: row.name,
      status: row.status,
      owner: row.owner?.name ?? null,
      variants: row.variants.map((v) => ({ key: v.key, name: v.name, isControl: v.isControl })),
    },
    rules,
    matrix,
    reviews: newestFirst.map((d) => summaryOf(d, identity)),
    pending: pending ? detailOf(pending, identity) : null,
    approved: approved ? detailOf(approved, identity) : null,
    ship: shipOf(row),
    canRequest: can(identity.role, "decisions:request") && row.status === "STOPPED" && !pending,
    canEditRules: can(identity.role, "experiments:edit") && row.status !== "DECIDED",
  };
}
