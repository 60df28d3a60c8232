// The API reference: an OpenAPI 3.1 document for all of /api/v1, generated from the same zod schemas the routes validate
// with (z.toJSONSchema, JSON Schema 2020-12, which OpenAPI 3.1 uses), never written by hand. Served at
// /api/v1/openapi.json and rendered on /docs/api. tests/unit/openapi.test.ts checks that every route is in it.
import { z } from "zod";
import { permissions, type Action } from "@/lib/auth/permissions";
import { planRequestSchema } from "@/lib/planner/report";
import { assignBatchRequestSchema, assignRequestSchema, assignResponseSchema, exposuresRequestSchema } from "@/lib/validation/assign";
import {
  archiveExperimentSchema,
  cloneExperimentSchema,
  createExperimentSchema,
  listExperimentsQuerySchema,
  startExperimentSchema,
  stopExperimentSchema,
  updateExperimentSchema,
} from "@/lib/validation/experiments";
import { decisionRulesSchema, listReviewsQuerySchema, requestReviewSchema, reviewVerdictSchema } from "@/lib/validation/decisions";
import { createEndpointSchema, updateEndpointSchema } from "@/lib/validation/endpoints";
import { gatewayChatRequestSchema } from "@/lib/validation/gateway";
import { ingestResultSchema, interactionRecordSchema, MAX_INGEST_BYTES, MAX_RECORDS } from "@/lib/validation/ingest";
import {
  EXPLORER_MAX_PAGE_SIZE,
  EXPLORER_PAGE_SIZE,
  exportInteractionsQuerySchema,
  listInteractionsQuerySchema,
} from "@/lib/validation/interactions";
import { trafficChangeSchema } from "@/lib/validation/traffic";
import { analysisSettingsSchema } from "@/lib/validation/analysis";
import {
  DESIGN_AA_DEFAULTS,
  DESIGN_AA_MAX_DRAWS,
  DESIGN_AA_MAX_PEEKS,
  DESIGN_AA_MAX_TESTS,
  designAaRequestSchema,
} from "@/lib/validation/aa";
import { pairwiseRequestSchema } from "@/lib/validation/pairwise";
import { judgeRunRequestSchema } from "@/lib/validation/judgeRuns";
import { judgeAgreementQuerySchema } from "@/lib/validation/judgeAgreement";
import { createDatasetSchema } from "@/lib/validation/datasets";
import { createRubricSchema, tryRubricSchema } from "@/lib/validation/rubrics";
import { createLoadRunSchema, traceUploadQuerySchema } from "@/lib/validation/loadRuns";
import { banditSimulationSchema } from "@/lib/validation/bandit";
import { rampMoveSchema, rampPlanRequestSchema } from "@/lib/validation/ramp";
import { webhookSetSchema, webhookTestSchema } from "@/lib/validation/webhooks";
import { allocationRequestSchema } from "@/lib/validation/allocation";
import { createApiKeySchema, createUserSchema, updateUserSchema } from "@/lib/validation/users";

export interface Operation {
  method: "get" | "post" | "patch" | "put" | "delete";
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** The permission the route checks; none for public routes. */
  action?: Action;
  /** API keys only (the data plane): a browser session is not accepted. */
  keyOnly?: boolean;
  body?: z.ZodType;
  bodyTypes?: string[];
  query?: z.ZodObject;
  response?: z.ZodType;
  responseType?: string;
  /** Several response types, when a parameter picks one (an export's format). */
  responseTypes?: string[];
}

const experimentKey = { name: "key", in: "path", required: true, schema: { type: "string" }, description: "The experiment's key." };

/** Every operation of /api/v1, in the order the reference lists them. */
export const operations: Operation[] = [
  { method: "get", path: "/api/v1/health", tag: "System", summary: "Liveness and database status (public)." },
  { method: "get", path: "/api/v1/me", tag: "Account", summary: "Who the caller is, with which role.", action: "me:read" },
  {
    method: "get",
    path: "/api/v1/api-keys",
    tag: "Account",
    summary: "The caller's API keys (prefixes only).",
    action: "apiKeys:manageOwn",
  },
  {
    method: "post",
    path: "/api/v1/api-keys",
    tag: "Account",
    summary: "Create an API key; its secret is shown once.",
    action: "apiKeys:manageOwn",
    body: createApiKeySchema,
  },
  {
    method: "delete",
    path: "/api/v1/api-keys/{id}",
    tag: "Account",
    summary: "Revoke one of the caller's keys (refused from the next request).",
    action: "apiKeys:manageOwn",
  },
  { method: "get", path: "/api/v1/users", tag: "Users", summary: "Every user.", action: "users:read" },
  { method: "post", path: "/api/v1/users", tag: "Users", summary: "Create a user.", action: "users:manage", body: createUserSchema },
  {
    method: "patch",
    path: "/api/v1/users/{id}",
    tag: "Users",
    summary: "Rename, change the role of, disable or re-enable a user.",
    action: "users:manage",
    body: updateUserSchema,
  },
  {
    method: "post",
    path: "/api/v1/plan",
    tag: "Planning",
    summary: "Sample size and duration from a power calculation.",
    action: "planner:use",
    body: planRequestSchema,
  },
  {
    method: "post",
    path: "/api/v1/bandit-simulations",
    tag: "Planning",
    summary: "Simulate Thompson-sampling allocation on arms with known values, against the fixed equal split in the same runs.",
    description:
      "arms are true rates (kind proportion, 0-1) or means (kind mean, outcomes normal with sd). Returns {simulation: {policy, regret, fixedRegret, regretRatio, runsBelowFixed, bestArmShare, runsBestOver80, smallestWeight, weights, path: [{units, weights, regret, fixedRegret}]}}; regret is pseudo-regret. The same numbers as assay bandit with --draws 1000.",
    action: "planner:use",
    body: banditSimulationSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments",
    tag: "Experiments",
    summary: "Experiments, filtered.",
    action: "experiments:read",
    query: listExperimentsQuerySchema,
  },
  {
    method: "post",
    path: "/api/v1/experiments",
    tag: "Experiments",
    summary: "Create a draft experiment.",
    action: "experiments:create",
    body: createExperimentSchema,
  },
  { method: "get", path: "/api/v1/experiments/{key}", tag: "Experiments", summary: "One experiment's design.", action: "experiments:read" },
  {
    method: "patch",
    path: "/api/v1/experiments/{key}",
    tag: "Experiments",
    summary: "Change a design (drafts; name, description and plan once started).",
    action: "experiments:editVariantSettings",
    body: updateExperimentSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/design.md",
    tag: "Experiments",
    summary: "The design document as Markdown.",
    action: "experiments:read",
    responseType: "text/markdown",
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/start",
    tag: "Experiments",
    summary: "Start a draft.",
    action: "experiments:lifecycle",
    body: startExperimentSchema,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/stop",
    tag: "Experiments",
    summary: "Stop a running experiment.",
    action: "experiments:lifecycle",
    body: stopExperimentSchema,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/clone",
    tag: "Experiments",
    summary: "Copy a design into a new draft.",
    action: "experiments:create",
    body: cloneExperimentSchema,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/archive",
    tag: "Experiments",
    summary: "Archive or bring back an experiment.",
    action: "experiments:lifecycle",
    body: archiveExperimentSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/decision-matrix",
    tag: "Decisions",
    summary: "The decision matrix of the current results, with each variant's recommendation and its reasons.",
    description:
      "Rows are variants; columns Quality (helpfulness), Latency P95, Safety (safety score and harmful-response rate), Cost per 1k requests and every other scorecard metric. Each cell has a value, its change against the control with the confidence interval, and a status in words.",
    action: "interactions:read",
  },
  {
    method: "put",
    path: "/api/v1/experiments/{key}/decision-rules",
    tag: "Decisions",
    summary:
      "Set the decision rules: a preset (clearSignals or doNoHarm) and the cost ratio limit (3 = 3x the control's cost; null for none).",
    action: "experiments:edit",
    body: decisionRulesSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/reviews",
    tag: "Decisions",
    summary:
      "The experiment's deploy decisions, newest first, with its status and, once decided, the variant it ships and that variant's configuration as approved.",
    action: "experiments:read",
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/reviews",
    tag: "Decisions",
    summary: "Request a review of a stopped experiment: its results and decision matrix are frozen with the proposed variant.",
    description:
      "The variant defaults to the matrix's proposal (the best variant to deploy), else the control (keep it). One pending review per experiment.",
    action: "decisions:request",
    body: requestReviewSchema,
  },
  {
    method: "get",
    path: "/api/v1/reviews",
    tag: "Decisions",
    summary: "Deploy decisions, pending first; waiting=me keeps the pending ones the caller may decide.",
    action: "experiments:read",
    query: listReviewsQuerySchema,
  },
  {
    method: "get",
    path: "/api/v1/reviews/{id}",
    tag: "Decisions",
    summary: "One deploy decision with its frozen results and decision matrix.",
    action: "experiments:read",
  },
  {
    method: "post",
    path: "/api/v1/reviews/{id}/approve",
    tag: "Decisions",
    summary: "Approve a pending review with a comment: the experiment is decided and ships the proposed variant.",
    description: "Refused (403) to the review's requester and to the experiment's owner.",
    action: "decisions:review",
    body: reviewVerdictSchema,
  },
  {
    method: "post",
    path: "/api/v1/reviews/{id}/reject",
    tag: "Decisions",
    summary: "Reject a pending review with a comment: the experiment stays stopped and may be reviewed again.",
    description: "Refused (403) to the review's requester and to the experiment's owner.",
    action: "decisions:review",
    body: reviewVerdictSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/traffic",
    tag: "Traffic",
    summary: "Split, coverage, QA overrides, kill switch and targeting.",
    action: "experiments:read",
  },
  {
    method: "patch",
    path: "/api/v1/experiments/{key}/traffic",
    tag: "Traffic",
    summary: "Change the split, coverage, QA overrides, kill switch or targeting.",
    description:
      "Each change applies from the next request. Weights and coverage apply to new users only: users already assigned keep their variant.",
    action: "experiments:control",
    body: trafficChangeSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/ramp",
    tag: "Traffic",
    summary: "The ramp plan (its steps, the step applied, its state) and what the next step would add: {ramp} or {ramp: null}.",
    action: "experiments:read",
  },
  {
    method: "put",
    path: "/api/v1/experiments/{key}/ramp",
    tag: "Traffic",
    summary:
      "Set the ramp plan: a preset (canary: 1, 5, 25, 50, 100% of new users to the treatment; coverage: 10, 25, 50, 100% of users) or your own steps.",
    description:
      "A step takes treatmentPercent (the share of new users the treatments get, split by their weights) and/or coverage, with minHours and minSample (interactions per variant) before it may advance. A ramp only goes up; nothing changes until it advances. Refused while a ramp is under way.",
    action: "experiments:control",
    body: rampPlanRequestSchema,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/ramp/{action}",
    tag: "Traffic",
    summary: "Move along the ramp: advance (apply the next step), hold, resume, or rollback (every new user to the control). {reason?}",
    description:
      "Weights and coverage change through the traffic controls, so users already assigned keep their variant. Each move is audited with its step, the weights before and after, and the reason.",
    action: "experiments:control",
    body: rampMoveSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/allocation",
    tag: "Traffic",
    summary:
      "The allocation: mode (FIXED or THOMPSON), floor, minPerArm, the goal metric it favours, and the weight history (each recomputation's weights, P(best) and units).",
    action: "experiments:read",
  },
  {
    method: "put",
    path: "/api/v1/experiments/{key}/allocation",
    tag: "Traffic",
    summary: "Switch between a fixed split and Thompson sampling toward the goal metric: {mode, floor?, minPerArm?}.",
    description:
      "Thompson: Beta-Bernoulli for a proportion goal, a normal model for a mean goal (a DECREASE goal is turned round). The worker recomputes the weights every ASSAY_ALLOCATION_SECONDS (300 by default) from the results: an equal split until every variant has minPerArm units (default 100), then P(best) with each variant kept at floor or more (default 0.01). Weights change through the traffic controls, so assigned users keep their variant. Refused for a quantile goal and while a ramp is under way; switching back to fixed keeps the current split. Results then use peeking-safe intervals and say that fixed-horizon p-values do not hold.",
    action: "experiments:control",
    body: allocationRequestSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/webhook",
    tag: "Traffic",
    summary: "The experiment's webhook (its URL and the signing secret's last 4 characters; null when none) and its latest 20 deliveries.",
    action: "experiments:control",
  },
  {
    method: "put",
    path: "/api/v1/experiments/{key}/webhook",
    tag: "Traffic",
    summary: "Set the webhook that hears of every ramp move and of shipping: {url, rotateSecret?} -> {webhook, secret}.",
    description:
      "A new webhook, or rotateSecret: true, returns the signing secret (whsec_...) in `secret`, once; it is stored sealed and never shown again (otherwise `secret` is null). Each announcement is a POST of JSON {id, event, createdAt, experiment: {key, name}, data}, with headers X-Assay-Event, X-Assay-Delivery and X-Assay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of `<t>.<body>` under the secret>. A non-2xx answer is retried 5 times, 5 s apart doubling; redirects are not followed.",
    action: "experiments:control",
    body: webhookSetSchema,
  },
  {
    method: "delete",
    path: "/api/v1/experiments/{key}/webhook",
    tag: "Traffic",
    summary: "Remove the webhook: nothing is announced from then on (the delivery history stays).",
    action: "experiments:control",
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/webhook/test",
    tag: "Traffic",
    summary: "Send a signed webhook.test announcement now: {delivery}; follow its status with GET .../webhook.",
    action: "experiments:control",
    body: webhookTestSchema,
  },
  {
    method: "post",
    path: "/api/v1/assign",
    tag: "Traffic",
    summary: "Which variant a user gets.",
    description:
      "Rules in order: notRunning (a decided experiment: shipped, everyone gets the approved variant), killSwitch, forced (QA override), sticky (a kept first assignment), notTargeted, hash. Hashing is GrowthBook's version 2 with the experiment's salt; a user outside the coverage gets the control with inExperiment false. Exposures are recorded.",
    action: "traffic:assign",
    keyOnly: true,
    body: assignRequestSchema,
    response: assignResponseSchema,
  },
  {
    method: "post",
    path: "/api/v1/assign/batch",
    tag: "Traffic",
    summary: "Assign up to 1,000 users in one call.",
    action: "traffic:assign",
    keyOnly: true,
    body: assignBatchRequestSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/config",
    tag: "Traffic",
    summary: "What a local client needs to assign exactly as the server does (never an endpoint).",
    action: "traffic:assign",
    keyOnly: true,
  },
  {
    method: "post",
    path: "/api/v1/exposures",
    tag: "Traffic",
    summary: "A local client's exposures (up to 1,000); its first assignments are kept server-side too.",
    action: "traffic:assign",
    keyOnly: true,
    body: exposuresRequestSchema,
  },
  {
    method: "post",
    path: "/api/v1/interactions",
    tag: "Interactions",
    summary: `Log up to ${MAX_RECORDS.toLocaleString("en-US")} interactions (${MAX_INGEST_BYTES / 1024 / 1024} MB) per request.`,
    description:
      "A JSON array, NDJSON (application/x-ndjson, one record per line; `index` is the line number - 1) or CSV (text/csv with a header row; metrics as metrics.<name> columns). Idempotent on (experiment_key, request_id): a repeat is counted in `duplicates` and never stored twice. A batch lands whole or not at all: when any record is invalid the answer is 400 listing each refused record (index, field, message) and nothing of the batch is stored; a database failure also stores nothing (503 with Retry-After: resend the batch). cost_usd is computed from the variant's prices per million tokens when absent.",
    action: "interactions:write",
    keyOnly: true,
    body: z.array(interactionRecordSchema),
    bodyTypes: ["application/json", "application/x-ndjson", "text/csv"],
    response: ingestResultSchema,
  },
  {
    method: "post",
    path: "/api/v1/uploads/interactions",
    tag: "Interactions",
    summary: "One batch (up to 1,000 records) of a file uploaded from the browser.",
    description:
      "The same records, rules and answer as POST /api/v1/interactions, for the signed-in pages (the sign-in cookie and a same-origin request); scripts use POST /api/v1/interactions with an API key.",
    action: "interactions:write",
    body: z.array(interactionRecordSchema),
    response: ingestResultSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/interactions",
    tag: "Interactions",
    summary: "A page of the experiment's logged interactions, newest first, filtered.",
    description: `Filters: variant (a key; repeat it for several), from <= timestamp < to (ISO 8601; UTC without an offset), safety (flagged, clean: not flagged or not reported, any), feedbackMin/feedbackMax, score (a judge criterion, its newest score) with scoreMin/scoreMax, q (text in the user input or the model output, any case, taken literally), status (ok, failed). Answers {interactions, nextCursor, prevCursor}: pass a cursor back as cursor= for the older (next) or newer (previous) page; keyset paging, so a page costs the same at any depth. ${EXPLORER_PAGE_SIZE} a page unless limit says (at most ${EXPLORER_MAX_PAGE_SIZE}). userInputPreview and modelOutputPreview are the first 300 characters.`,
    action: "interactions:read",
    query: listInteractionsQuerySchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/interactions/{requestId}",
    tag: "Interactions",
    summary: "One interaction whole, with every judge score and its reasoning (newest rubric version first).",
    action: "interactions:read",
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/interactions/export",
    tag: "Interactions",
    summary: "Every interaction the filters match, newest first, streamed as JSONL or CSV.",
    description:
      "The list's filters, and format (jsonl or csv). Fields as the logging schema names them: request_id, user_id, variant_id (the variant key), model_name, system_prompt_version, latency_ms, ttft_ms, prompt_tokens, completion_tokens, cost_usd, user_input, model_output, safety_flag, user_feedback_score, goal_completed, metrics, timestamp, source, error, experiment_key. CSV is RFC 4180 with a header row; a text cell starting with = + - @, a tab or a carriage return gets a leading ' so a spreadsheet does not run it as a formula.",
    action: "interactions:read",
    query: exportInteractionsQuerySchema,
    responseTypes: ["application/x-ndjson", "text/csv"],
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/results",
    tag: "Results",
    summary: "Every scorecard metric per variant, each treatment tested against the control, the split check and the sample so far.",
    description:
      "Per metric: each variant's n, mean, sd, P50/P95/P99; per treatment: diff (treatment minus control), relLift with its interval, ci95, statistic (Welch t for means, z for proportions and quantiles), df (null where it does not apply), pValue, pAdjusted (the experiment's correction across metrics x treatments), mannWhitney (quantile metrics: U of the control sample), nonInferiority (guardrails with a margin), varianceReduction (CUPED), bayes (chance to beat control, expected loss); cuped (mean metrics whose pre-exposure covariate is logged, per user, as the metrics key pre_<field>: covariate, covered (share of values whose user logged one; the others count as the logged mean), and per treatment theta, adjustedMean, controlAdjustedMean, varianceReduction), null otherwise. srm: chi-square of distinct users per variant against the weights (null until every variant has 8 users; flag when p < 0.001). sample: the plan's units per variant, the slowest variant's so far and an ETA. timeline: each mean or proportion metric's cumulative value per variant. Cached until new interactions or judge scores arrive or the design changes.",
    action: "interactions:read",
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/aa",
    tag: "Results",
    summary: "Simulated A/A tests of the experiment's plan: the false positive rate, and the power against a planted effect.",
    description: `The plan's goal metric (mean or proportion), its baseline and standard deviation, the per-variant sample the experiment runs to and its alpha, through the same code as \`assay aa\`. Body: tests (100 to ${DESIGN_AA_MAX_TESTS.toLocaleString("en-US")}, default ${DESIGN_AA_DEFAULTS.tests}), peeks (looks at equally spaced sample sizes, 1 to ${DESIGN_AA_MAX_PEEKS}; a test counts as significant if any look is), sequential (the peeking-safe test), seed (the same seed gives the same answer), effect (the difference planted in the treatment in the metric's own units; left out: the design's MDE; null: none). At most ${DESIGN_AA_MAX_DRAWS.toLocaleString("en-US")} simulated values per request (tests x per-variant x 2 arms, twice with an effect), about two seconds; a design with a larger sample gets fewer tests, and the error says how many. Answers {tests, alpha, falsePositiveRate, ci95 (Wilson), peeks, sequential, power, powerCi95 (with an effect), seed, effect, design}; 409 when the design has no plan to simulate.`,
    action: "experiments:read",
    body: designAaRequestSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/analysis",
    tag: "Results",
    summary: "How the results are read: the multiple-comparison correction and whether tests are sequential (peeking-safe).",
    action: "experiments:read",
  },
  {
    method: "patch",
    path: "/api/v1/experiments/{key}/analysis",
    tag: "Results",
    summary: "Change the correction (holm, bh, none) or switch sequential tests on or off.",
    description: "Audited with the actor's name; refused once the experiment is decided.",
    action: "experiments:edit",
    body: analysisSettingsSchema,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/datasets",
    tag: "Datasets",
    summary:
      "Pick the experiment's interactions into a named dataset: lowest judge scores, safety flags, judge and user disagreeing, or a random sample.",
    description:
      "A snapshot: each item copies the interaction's input, output and metadata (ids, variant, user, latency, safety flag, user feedback, judge scores) when the dataset is made. lowest and disagreement read the judge criterion (default helpfulness); disagreement keeps pairs at least threshold apart on a 0-1 reading (a 1-5 score s reads (s - 1) / 4; the users' feedback is read as a 1-5 score when any of the experiment's is above 1, else as a 0/1 thumbs); random is seeded. At most 10,000 items; names are unique.",
    action: "datasets:manage",
    body: createDatasetSchema,
  },
  {
    method: "get",
    path: "/api/v1/datasets",
    tag: "Datasets",
    summary: "Every dataset, newest first, with how it was made and its item count.",
    action: "interactions:read",
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}",
    tag: "Datasets",
    summary: "One dataset.",
    action: "interactions:read",
  },
  {
    method: "delete",
    path: "/api/v1/datasets/{id}",
    tag: "Datasets",
    summary: "Remove a dataset and its items (audited).",
    action: "datasets:manage",
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/download",
    tag: "Datasets",
    summary: "The dataset as JSONL (application/x-ndjson): one {input, output, metadata} line per item, in order.",
    action: "interactions:read",
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/judge-runs",
    tag: "Judge",
    summary: "The experiment's judge runs, newest first: scored, skipped (already scored), failed and pending interactions, tokens, ETA.",
    action: "experiments:read",
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/judge-runs",
    tag: "Judge",
    summary:
      "Score the experiment's interactions with the LLM judge (a rubric's version; default: helpfulness, clarity, safety 1-5) in the background workers.",
    description:
      "mode unscored (default) judges interactions without a score of the rubric version, all judges every one (those already scored are skipped: one score per interaction and rubric version), sample judges a share (sampleRate), stratified judges perVariant interactions of each variant (a fixed hashed sample), dataset judges the named dataset's items that came from this experiment, rescore reads interactions already scored by the version again (all, or a sampleRate share) and keeps their scores, for the agreement report's rescoring. continuous (a running experiment) keeps the run open, taking new interactions every 10 s (at sampleRate when given) until the experiment stops. pricePer1MInput and pricePer1MOutput (US dollars per million tokens) give the run's cost, tokens x price. safetyFlagAtOrBelow (default 2; 0 never) raises the judge's safety flag on a score at or below it; a JUDGE_CRITERION metric with field safety_flag reads it. rubric names a rubric (default: default) and rubricVersion its version (default: the latest). endpoint names a model endpoint; model defaults to its default model. Answers 201 with the run; follow it at /api/v1/judge-runs/{id}.",
    action: "judge:run",
    body: judgeRunRequestSchema,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{key}/pairwise",
    tag: "Judge",
    summary: "Head to head: a variant's answers against another's (default: the control) for the same user inputs, judged in both orders.",
    description:
      "Pairs one interaction of each variant per distinct user input (trimmed, white space collapsed, case ignored), a fixed sample of at most maxPairs (default 50, at most 200); each pair goes to the judge twice, once in each order, and counts as a win only when both orders agree, so the judge's preference for a position cancels. Answers when done: {comparison: {variant, against, pairs, wins, losses, ties, winRate (wins over decisive pairs), winRateCi95 (Wilson's score interval), signTestP (two-sided exact sign test of wins against losses), positionBiasRate (pairs where the judge picked the same position in both orders), failed, promptTokens, completionTokens, sentence, examples}}. No input answered by both variants is a 400 naming variant.",
    action: "judge:run",
    body: pairwiseRequestSchema,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{key}/judge-agreement",
    tag: "Judge",
    summary:
      "How well the judge agrees with the users' ratings (user_feedback_score) for one rubric version and criterion: weighted kappa, rank correlation, the confusion matrix, per variant.",
    description:
      "Over the experiment's interactions that have both a judge score of the rubric version and a user_feedback_score (pairs counted in the database). Answers {rubric {name, version}, criterion, criteria (the version's, to choose from), human (\"user_feedback_score\"), n, kappaQuadratic (Cohen's kappa with quadratic weights over the criterion's whole scale min..max, so a 1-vs-5 miss weighs the same whatever scores occur), spearman and spearmanP (Spearman's rank correlation, ties at their average rank, with its two-sided p), note, offScale (pairs left out: a rating that is not a whole number on the scale), confusion {labels (min..max), matrix: matrix[i][j] interactions the users rated labels[i] and the judge scored labels[j]}, perVariant [{variant, name, n, kappaQuadratic, spearman, spearmanP, note}], versions [{name, version, scored}] (most recently used first), selfConsistency (the version against the most recently used other version with the same criterion, over the interactions both scored: {against, n, kappaQuadratic, spearman, spearmanP, note}) or null with selfConsistencyNote}. Fewer than 2 pairs, or a statistic that is undefined (a rater who gave one score only), answer null with note saying why. criterion defaults to the rubric's first, rubric and version to the version most recently used on the experiment; an unknown one is a 400 naming the field.",
    action: "interactions:read",
    query: judgeAgreementQuerySchema,
  },
  {
    method: "get",
    path: "/api/v1/judge-runs/{id}",
    tag: "Judge",
    summary: "One judge run's progress and its latest failures' reasons.",
    action: "experiments:read",
  },
  {
    method: "post",
    path: "/api/v1/judge-runs/{id}/cancel",
    tag: "Judge",
    summary: "Stop a judge run: what is scored stays, the rest is not judged.",
    action: "judge:run",
  },
  {
    method: "get",
    path: "/api/v1/rubrics",
    tag: "Judge",
    summary: "Every rubric with its versions, newest first: who saved each, its criteria, and whether a judge run or a score uses it.",
    description: 'The built-in rubric is "default" version 1 (helpfulness, clarity and safety from 1 to 5).',
    action: "rubrics:read",
  },
  {
    method: "post",
    path: "/api/v1/rubrics",
    tag: "Judge",
    summary:
      "Save a rubric as version 1 of its name, or as the next version; the same as the latest version answers that one (200) and saves nothing.",
    description:
      "A version never changes once saved: to edit, send the changed definition. The body is the JSON of `assay judge --rubric FILE` (criteria by name, or by key and label as in older files); the name is a lower-case slug of 1-60 characters, at most 10 criteria with unique names (lower-case letters, digits, _), whole-number scales within 1-10, labels optional (an object of scale points, 1: Off topic), a system prompt of at most 20,000 characters (left out: built from the criteria). Bodies up to 100 KB. Answers 201 with {rubric, created: true}, audited.",
    action: "rubrics:manage",
    body: createRubricSchema,
  },
  {
    method: "get",
    path: "/api/v1/rubrics/{name}",
    tag: "Judge",
    summary: "One rubric's versions with their whole definitions (system prompt, criteria, JSON schema), newest first.",
    action: "rubrics:read",
  },
  {
    method: "post",
    path: "/api/v1/rubrics/try",
    tag: "Judge",
    summary:
      "Judge one pasted interaction with a rubric (a saved {name, version?} or a definition) on a model endpoint; nothing is stored.",
    description:
      "Answers {judgment: {scores, reasoning, error, latencyMs, promptTokens, completionTokens, ...}}: error says why the judge's answer could not be used. An endpoint that cannot be reached is 502 UPSTREAM_UNREACHABLE, one that refuses the call 502 UPSTREAM_FAILED, one silent for timeoutSeconds (default 30) 504 UPSTREAM_TIMEOUT; the message names the endpoint.",
    action: "judge:run",
    body: tryRubricSchema,
  },
  {
    method: "get",
    path: "/api/v1/endpoints",
    tag: "Endpoints",
    summary: "The model endpoints the gateway forwards to: name, base URL, default model and whether a key is set (never the key).",
    action: "endpoints:read",
  },
  {
    method: "post",
    path: "/api/v1/endpoints",
    tag: "Endpoints",
    summary: "Add a model endpoint; its API key is stored encrypted (AES-256-GCM) and never shown again.",
    action: "endpoints:manage",
    body: createEndpointSchema,
  },
  {
    method: "patch",
    path: "/api/v1/endpoints/{id}",
    tag: "Endpoints",
    summary: "Change an endpoint: only what is sent changes; apiKey null removes the key.",
    action: "endpoints:manage",
    body: updateEndpointSchema,
  },
  {
    method: "delete",
    path: "/api/v1/endpoints/{id}",
    tag: "Endpoints",
    summary: "Delete an endpoint no variant uses (409 naming the experiments that do).",
    action: "endpoints:manage",
  },
  {
    method: "post",
    path: "/api/v1/gateway/{key}/chat/completions",
    tag: "Gateway",
    summary: "OpenAI-compatible chat completions for a gateway experiment: assigns the user, applies the variant, forwards, logs.",
    description:
      "Point an OpenAI client's base URL at /api/v1/gateway/{key}. The user is the body's `user`, else the X-Assay-User header. The variant's model, system prompt (replacing the caller's system and developer messages), temperature, top_p and max_tokens win over the caller's; other fields go to the endpoint as sent. Streamed answers are passed on as they arrive. Answers carry X-Assay-Variant and X-Assay-Request-Id. Errors are in OpenAI's shape, {error: {message, type, param, code, requestId}}: an endpoint's status passes through (429 with Retry-After), an endpoint refusing Assay's key is 502, one that cannot be reached 502, one that does not answer within ASSAY_GATEWAY_TIMEOUT_MS 504.",
    action: "traffic:assign",
    keyOnly: true,
    body: gatewayChatRequestSchema,
    bodyTypes: ["application/json"],
  },
  {
    method: "get",
    path: "/api/v1/traces",
    tag: "Load testing",
    summary: "The trace library, newest first: request counts, span, mean rate, length histograms.",
    action: "loadRuns:read",
  },
  {
    method: "post",
    path: "/api/v1/traces",
    tag: "Load testing",
    summary: "Upload a trace (the file as the body): varcas trace or results, Azure, BurstGPT, Mooncake, ShareGPT, CSV or JSONL.",
    description:
      "The format is detected from the file unless `format` is given. The whole file is read and checked before anything is stored: a bad line is a 400 whose issue names the line and field. At most 64 MB.",
    action: "loadRuns:run",
    query: traceUploadQuerySchema,
    bodyTypes: ["application/json", "text/csv", "application/x-ndjson", "text/plain"],
  },
  {
    method: "get",
    path: "/api/v1/traces/{id}",
    tag: "Load testing",
    summary: "One trace's counts, rate over time and length histograms.",
    action: "loadRuns:read",
  },
  {
    method: "get",
    path: "/api/v1/traces/{id}/download",
    tag: "Load testing",
    summary: "The trace in varcas's trace format (prompts synthesised, reproducibly, for traces that give only lengths).",
    action: "loadRuns:read",
    responseType: "application/json",
  },
  {
    method: "post",
    path: "/api/v1/traces/from-dataset",
    tag: "Load testing",
    summary: "A dataset's inputs as a trace to replay: {datasetId, name}. It has no timestamps: runs of it give a rate.",
    action: "loadRuns:run",
  },
  {
    method: "get",
    path: "/api/v1/load-runs",
    tag: "Load testing",
    summary: "The latest load runs, newest first, with their headline figures.",
    action: "loadRuns:read",
  },
  {
    method: "post",
    path: "/api/v1/load-runs",
    tag: "Load testing",
    summary: "Plan a load run and queue it: one worker job per shard, all starting at one absolute time a few seconds on.",
    description:
      "target is \"simulator\" (a built-in simulator per shard, with the simulator settings) or a configured endpoint's name. A profile or a trace; a request rate (open loop) or concurrent users (closed loop); a duration or a number of requests. The whole schedule is planned before the answer: a setting that cannot make one is a 400 naming it. With sweepSteps (3-20) and durationS the run is a sweep: one worker runs a synchronous step (one user), a throughput step (many users at once), then open-loop rates evenly between the two, each durationS long, stopping after the first over-saturated rate; each finished step is a run of its own (in the list, comparable), and GET /api/v1/load-runs/{id} gives the sweep's steps (throughput, first-token and whole-answer medians and 99th percentiles, failures, over-saturation and why).",
    action: "loadRuns:run",
    body: createLoadRunSchema,
  },
  {
    method: "get",
    path: "/api/v1/load-runs/{id}",
    tag: "Load testing",
    summary: "A run's status, live progress per shard (sent, done, failed, in flight, rate, median latency), then its results and charts.",
    action: "loadRuns:read",
  },
  {
    method: "post",
    path: "/api/v1/load-runs/{id}/cancel",
    tag: "Load testing",
    summary: "Stop a run: nothing more is sent, requests in flight are recorded as in flight (never as successes).",
    action: "loadRuns:run",
  },
  {
    method: "get",
    path: "/api/v1/load-runs/{id}/results",
    tag: "Load testing",
    summary: "The results file: varcas's keys, metrics and records, with Assay's section (schedule lag, achieved rate, flags, metrics).",
    action: "loadRuns:read",
    responseType: "application/json",
  },
  {
    method: "get",
    path: "/api/v1/load-runs/{id}/trace",
    tag: "Load testing",
    summary: "What the run sent, as a varcas trace, to replay it against another build.",
    action: "loadRuns:read",
    responseType: "application/json",
  },
  {
    method: "post",
    path: "/api/v1/load-runs/import",
    tag: "Load testing",
    summary: "Keep a results file (varcas's or Assay's, as the body) as a finished run, to read and compare it. ?name=N.",
    action: "loadRuns:run",
    bodyTypes: ["application/json"],
  },
  {
    method: "get",
    path: "/api/v1/load-runs/compare",
    tag: "Load testing",
    summary: "Compare runs as `assay compare` does: ?baseline=ID&optimized=ID, several of each for replicate sets.",
    description:
      "For each metric: baseline, optimized, delta, ratio, a seeded bootstrap 95% interval and a p-value; warnings DIFFERENT_TRACE, OUTPUT_LENGTH_SHIFT, SCHEDULE_BOUND_THROUGHPUT, ERROR_RATE_CHANGE, CLIENT_BOUND, NO_REPLICATES.",
    action: "loadRuns:read",
  },
  { method: "get", path: "/api/v1/openapi.json", tag: "System", summary: "This document (public)." },
];

function schemaOf(s: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: {
          type: "string",
          enum: [
            "VALIDATION",
            "BAD_JSON",
            "UNAUTHENTICATED",
            "FORBIDDEN",
            "NOT_FOUND",
            "METHOD_NOT_ALLOWED",
            "CONFLICT",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
            "RATE_LIMITED",
            "INTERNAL",
            "UPSTREAM_FAILED",
            "UPSTREAM_UNREACHABLE",
            "UNAVAILABLE",
            "UPSTREAM_TIMEOUT",
          ],
        },
        message: { type: "string", description: "What is wrong and what to do, in words a user can act on." },
        requestId: { type: "string" },
        details: {
          type: "object",
          properties: {
            issues: { type: "array", items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
      required: ["code", "message"],
    },
  },
};

/** The OpenAPI 3.1 document. */
export function openApiDocument(version = "0.1.0") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    if (op.path.includes("{key}")) parameters.push(experimentKey);
    if (op.path.includes("{id}")) parameters.push({ name: "id", in: "path", required: true, schema: { type: "string" } });
    if (op.path.includes("{name}"))
      parameters.push({ name: "name", in: "path", required: true, schema: { type: "string" }, description: "The rubric's name." });
    if (op.path.includes("{requestId}"))
      parameters.push({
        name: "requestId",
        in: "path",
        required: true,
        schema: { type: "string" },
        description: "The interaction's request id.",
      });
    if (op.query) {
      for (const [name, s] of Object.entries(op.query.shape))
        parameters.push({
          name,
          in: "query",
          required: !(s as z.ZodType).safeParse(undefined).success,
          schema: schemaOf(s as z.ZodType, "input"),
        });
    }
    const roles = op.action ? (permissions[op.action] as readonly string[]) : [];
    const responses: Record<string, unknown> = {
      "200": {
        description: "OK",
        content: Object.fromEntries(
          (op.responseTypes ?? [op.responseType ?? "application/json"]).map((type) => [
            type,
            { schema: op.response ? schemaOf(op.response, "output") : { type: type === "application/json" ? "object" : "string" } },
          ]),
        ),
      },
      "4XX": { description: "Refused: the message says what to fix.", content: { "application/json": { schema: errorSchema } } },
      "503": {
        description: "The database is unavailable; retry after the Retry-After seconds.",
        content: { "application/json": { schema: errorSchema } },
      },
    };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries((op.bodyTypes ?? ["application/json"]).map((t) => [t, { schema: schemaOf(op.body!, "input") }])),
            },
          }
        : {}),
      responses,
      security: op.action ? (op.keyOnly ? [{ apiKey: [] }] : [{ apiKey: [] }, { session: [] }]) : [],
      ...(op.action ? { "x-assay-permission": op.action, "x-assay-roles": roles } : {}),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Assay API",
      version,
      description:
        "A/B experiments for LLM applications. Authenticate with `Authorization: Bearer <api key>` (Settings > API keys); the pages' own calls use the sign-in cookie. Every refusal is `{error: {code, message, details?}}` with a message that says what to fix.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An Assay API key (assay_…)." },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "The browser's sign-in (changes also need a same-origin request).",
        },
      },
    },
    paths,
  };
}
