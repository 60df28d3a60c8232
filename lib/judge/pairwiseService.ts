// Head to head on an experiment: a variant's answers against another's (default: the control) for the same user inputs,
// judged in both orders by the chosen endpoint (lib/judge/pairwiseRun.ts). Answers when the judging is done; nothing is
// stored but an audit event (the judge's endpoint is called on the user's behalf).
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { appendAuditEvent } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { pairwiseCandidates } from "@/lib/db/pairwise";
import { judgeEndpoint } from "./endpoint";
import { AppError } from "@/lib/errors";
import { fieldIssuesError } from "@/lib/validation/issues";
import type { PairwiseRequest } from "@/lib/validation/pairwise";
import { judgePairs, pairwiseSentence, type PairwiseReport } from "./pairwiseRun";

export interface PairwiseView extends PairwiseReport {
  variant: string;
  against: string;
  endpoint: string;
  model: string;
  sentence: string;
  /** A few judged pairs, with the judge's reasoning in each order. */
  examples: { input: string; outcome: string | null; reasoning: [string, string] | null; error: string | null }[];
}

export async function comparePairwise(identity: Identity, key: string, input: PairwiseRequest): Promise<PairwiseView> {
  const experiment = await db().experiment.findUnique({ where: { key }, include: { variants: { orderBy: { position: "asc" } } } });
  if (!experiment) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  const keys = experiment.variants.map((v) => v.key).join(", ");
  const x = experiment.variants.find((v) => v.key === input.variant);
  if (!x) throw fieldIssuesError([{ field: "variant", message: `the experiment has no variant "${input.variant}" (it has ${keys})` }]);
  const y = input.against ? experiment.variants.find((v) => v.key === input.against) : experiment.variants.find((v) => v.isControl);
  if (!y) throw fieldIssuesError([{ field: "against", message: `the experiment has no variant "${input.against}" (it has ${keys})` }]);
  if (x.id === y.id)
    throw fieldIssuesError([
      { field: input.against ? "against" : "variant", message: `compare ${x.key} with another variant, not itself` },
    ]);
  const { endpoint, model, target } = await judgeEndpoint(input.endpoint, input.model);
  const pairs = await pairwiseCandidates(experiment.id, x.id, y.id, input.maxPairs);
  if (pairs.length === 0)
    throw fieldIssuesError([
      {
        field: "variant",
        message: `no user input was answered by both ${x.key} and ${y.key}: pairs need the same input on both sides (a replay of the same prompts gives them)`,
      },
    ]);
  const { report, verdicts } = await judgePairs(target, pairs, { model, criterion: input.criterion, concurrency: 16, timeoutMs: 60_000 });
  await appendAuditEvent({
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    entityType: "Experiment",
    entityId: experiment.id,
    experimentId: experiment.id,
    action: "judge.pairwise",
    details: {
      variant: x.key,
      against: y.key,
      endpoint: endpoint.name,
      model,
      pairs: report.pairs,
      wins: report.wins,
      losses: report.losses,
    },
  });
  return {
    ...report,
    variant: x.key,
    against: y.key,
    endpoint: endpoint.name,
    model,
    sentence: pairwiseSentence(x.key, y.key, report),
    examples: verdicts.slice(0, 5).map((v) => ({
      input: v.input,
      outcome: v.outcome === "x" ? x.key : v.outcome === "y" ? y.key : v.outcome,
      reasoning: v.reasoning,
      error: v.error,
    })),
  };
}
