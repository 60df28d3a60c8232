// The guide's decision matrix as a demo experiment: four support assistants compared head to head, A the control, B a
// new prompt, C a larger model, D a fine-tune, with 12,000 generated interactions whose judge scores, latencies, harmful
// flags and costs follow the guide's table (quality 4.1 / 4.5 / 4.7 / 4.6 of 5; P95 950 / 1100 / 1800 / 1050 ms; safety
// 4.8 / 4.9 / 4.9 / 4.7 of 5; $0.80 / $0.95 / $2.50 / $1.20 per 1k requests). They go in through the ingestion service
// like any upload; the experiment is then stopped, so the results, the matrix and a review can be read from it.
import type { Identity } from "@/lib/auth/identity";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/dataPlane/pool";
import { ingestExperimentOf } from "@/lib/dataPlane/ingest";
import { loadTrafficExperiment } from "@/lib/traffic/experiments";
import { storeBatch, validateBatch, type RawRecord } from "@/lib/ingest/service";
import type { MetricInput } from "@/lib/validation/experiments";
import { defaultRubricRow } from "@/lib/db/judgeRuns";
import { insertFinishedJudgeRun } from "@/lib/db/demoJudge";
import { DEMO_ENDPOINT_NAME } from "./traffic";

export const MATRIX_DEMO_KEY = "support-four-candidates";
const USERS = 12_000;
const DAYS = 7;

type Categorical = [score: number, p: number][];
interface Candidate {
  key: string;
  helpfulness: Categorical;
  safety: Categorical;
  harmfulRate: number;
  latencyP95: number;
  costPer1k: number;
}

/** The guide's table, as distributions whose means are its numbers. */
const CANDIDATES: Candidate[] = [
  {
    key: "A",
    helpfulness: [
      [5, 0.35],
      [4, 0.45],
      [3, 0.15],
      [2, 0.05],
    ],
    safety: [
      [5, 0.85],
      [4, 0.1],
      [3, 0.05],
    ],
    harmfulRate: 0.01,
    latencyP95: 950,
    costPer1k: 0.8,
  },
  {
    key: "B",
    helpfulness: [
      [5, 0.6],
      [4, 0.3],
      [3, 0.1],
    ],
    safety: [
      [5, 0.92],
      [4, 0.06],
      [3, 0.02],
    ],
    harmfulRate: 0.005,
    latencyP95: 1100,
    costPer1k: 0.95,
  },
  {
    key: "C",
    helpfulness: [
      [5, 0.75],
      [4, 0.2],
      [3, 0.05],
    ],
    safety: [
      [5, 0.92],
      [4, 0.06],
      [3, 0.02],
    ],
    harmfulRate: 0.005,
    latencyP95: 1800,
    costPer1k: 2.5,
  },
  {
    key: "D",
    helpfulness: [
      [5, 0.68],
      [4, 0.26],
      [3, 0.04],
      [2, 0.02],
    ],
    safety: [
      [5, 0.78],
      [4, 0.14],
      [3, 0.06],
      [2, 0.02],
    ],
    harmfulRate: 0.03,
    latencyP95: 1050,
    costPer1k: 1.2,
  },
];

const SIGMA = 0.35; // log-normal latency spread: P95 = median x e^(1.645 sigma)

/** mulberry32: a small seeded generator, so every demo database holds the same interactions. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(dist: Categorical, u: number): number {
  let acc = 0;
  for (const [score, p] of dist) {
    acc += p;
    if (u < acc) return score;
  }
  return dist[dist.length - 1][0];
}

/** The design, as an API body. */
export function matrixDemoDesign(prompts: { a: string; b: string }, models: { scout: string; maverick: string }) {
  const scorecard: MetricInput[] = [
    {
      name: "Helpfulness",
      role: "GOAL",
      kind: "MEAN",
      source: "JUDGE_CRITERION",
      field: "helpfulness",
      direction: "INCREASE",
      mde: 0.05,
      mdeAbsolute: false,
      baseline: 4.1,
      baselineSd: 0.8,
      scale: { min: 1, max: 5 },
    },
    {
      name: "Safety score",
      role: "GUARDRAIL",
      kind: "MEAN",
      source: "JUDGE_CRITERION",
      field: "safety",
      direction: "INCREASE",
      mde: 0.02,
      mdeAbsolute: false,
      nonInferiorityMargin: 0.01,
      baseline: 4.8,
      baselineSd: 0.5,
      scale: { min: 1, max: 5 },
    },
    {
      name: "Harmful response rate",
      role: "GUARDRAIL",
      kind: "PROPORTION",
      source: "LOG_FIELD",
      field: "safety_flag",
      direction: "DECREASE",
      mde: 0.005,
      mdeAbsolute: true,
      nonInferiorityMargin: 0.01,
      baseline: 0.01,
    },
    {
      name: "Latency P95",
      role: "GUARDRAIL",
      kind: "QUANTILE",
      source: "LOG_FIELD",
      field: "latency_ms",
      quantile: 0.95,
      direction: "DECREASE",
      mde: 0.1,
      mdeAbsolute: false,
      nonInferiorityMargin: 0.25,
    },
  ];
  const price = { pricePer1MInput: 0.18, pricePer1MOutput: 0.59 };
  return {
    key: MATRIX_DEMO_KEY,
    name: "Support assistant: four candidates",
    description:
      "The offline evaluation's four best candidates, online: a new prompt, a larger model and a fine-tune against today's assistant.",
    hypothesis: {
      change: "we ship one of three candidates (a structured prompt, a larger model, a fine-tune) instead of today's assistant",
      expectation: "helpfulness rises by at least 5% without a safety regression",
      reason: "each scored higher offline, and users rate answers that follow clear steps as more helpful",
    },
    variableUnderTest: "OTHER",
    variants: [
      {
        key: "A",
        name: "Today's assistant",
        isControl: true,
        weight: 25,
        config: { model: models.scout, systemPrompt: prompts.a, systemPromptVersion: "v1-generic", ...price },
      },
      {
        key: "B",
        name: "New prompt",
        weight: 25,
        config: { model: models.scout, systemPrompt: prompts.b, systemPromptVersion: "v2.1-structured-steps", ...price },
      },
      {
        key: "C",
        name: "Larger model",
        weight: 25,
        config: {
          model: models.maverick,
          systemPrompt: prompts.a,
          systemPromptVersion: "v1-generic",
          pricePer1MInput: 0.27,
          pricePer1MOutput: 0.85,
        },
      },
      {
        key: "D",
        name: "Fine-tuned",
        weight: 25,
        config: { model: `${models.scout}-support-ft`, systemPrompt: prompts.a, systemPromptVersion: "v1-generic", ...price },
      },
    ],
    metrics: scorecard,
    plan: { dailyTraffic: USERS / DAYS, unit: "users" },
  };
}

const QUESTIONS = [
  "How do I reset my password?",
  "Why was I charged twice this month?",
  "How do I cancel my subscription?",
  "Where can I download my invoices?",
  "Can I change the email address on my account?",
  "My order has not arrived yet, what can I do?",
];
const ANSWERS: Record<string, string> = {
  A: "You can do that from your account page. Let me know if you need anything else.",
  B: "I understand. Here is how:\n1. Open Settings.\n2. Choose Account.\n3. Follow the steps shown.\nIs there anything else I can help with?",
  C: "Sure. Open Settings, choose Account, and follow the steps there; if it does not work, reply here and I will look into it with you.",
  D: "Go to Settings > Account and follow the steps. Anything else?",
};

/** One demo interaction's judge scores (the guide's helpfulness and safety draws, and a clarity), and the user's rating. */
export interface MatrixDemoJudgment {
  requestId: string;
  scores: { helpfulness: number; clarity: number; safety: number };
  reasoning: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

/**
 * The demo's interactions: one per user, users spread over the variants at random, over the last week; with the judge's
 * scores for each (helpfulness and safety as the guide's table; they reach the results through the finished judge run
 * the demo holds, not the log) and a rating from about one user in five (the judge's helpfulness, give or take one).
 */
export function matrixDemoData(now = Date.now()): { records: Record<string, unknown>[]; judgments: MatrixDemoJudgment[] } {
  const records = matrixDemoRecords(now);
  const extra = seeded(7);
  const judgments = records.map((r) => {
    const judged = r.metrics as { helpfulness: number; safety: number };
    delete r.metrics;
    const clarity = Math.min(5, Math.max(1, judged.helpfulness + (extra() < 0.3 ? -1 : 0) + (extra() < 0.1 ? 1 : 0)));
    const u = extra();
    if (extra() < 0.2) r.user_feedback_score = Math.min(5, Math.max(1, judged.helpfulness + (u < 0.2 ? -1 : u > 0.85 ? 1 : 0)));
    const i = Number(String(r.request_id).split("-")[1]);
    r.user_input = QUESTIONS[i % QUESTIONS.length];
    r.model_output = ANSWERS[r.variant_id as string];
    return {
      requestId: r.request_id as string,
      scores: { helpfulness: judged.helpfulness, clarity, safety: judged.safety },
      reasoning:
        judged.helpfulness >= 4
          ? "Answers the question with concrete steps; clear and safe."
          : "Addresses the question only in general terms; the user has to work out the steps.",
      promptTokens: 170 + Math.floor(extra() * 60),
      completionTokens: 40 + Math.floor(extra() * 30),
      latencyMs: 600 + Math.floor(extra() * 900),
    };
  });
  return { records, judgments };
}

/** The demo's interactions as generated (helpfulness and safety still in `metrics`): one per user, over the last week. */
export function matrixDemoRecords(now = Date.now()): Record<string, unknown>[] {
  const random = seeded(20261202);
  const normal = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const start = now - DAYS * 86_400_000;
  return Array.from({ length: USERS }, (_, i) => {
    const c = CANDIDATES[Math.floor(random() * CANDIDATES.length)];
    const median = c.latencyP95 / Math.exp(1.645 * SIGMA);
    const latency = Math.round(median * Math.exp(SIGMA * normal()) * 10) / 10;
    return {
      request_id: `matrix-${i}`,
      user_id: `customer-${i}`,
      experiment_key: MATRIX_DEMO_KEY,
      variant_id: c.key,
      latency_ms: latency,
      ttft_ms: Math.round(latency * 0.25 * 10) / 10,
      cost_usd: Math.round((c.costPer1k / 1000) * (0.8 + 0.4 * random()) * 1e8) / 1e8,
      safety_flag: random() < c.harmfulRate,
      metrics: { helpfulness: draw(c.helpfulness, random()), safety: draw(c.safety, random()) },
      timestamp: new Date(start + ((i + random()) / USERS) * DAYS * 86_400_000).toISOString(),
    };
  });
}

/**
 * Sends the records through the ingestion service in batches, dates the experiment's run to the data's week, and writes
 * the judge run that scored them (finished, on the built-in simulator's endpoint, the default rubric).
 */
export async function seedMatrixDemoData(pm: Identity, now = Date.now()): Promise<number> {
  const e = await loadTrafficExperiment(MATRIX_DEMO_KEY);
  if (!e) throw new Error(`the demo experiment ${MATRIX_DEMO_KEY} is missing`);
  const { records, judgments } = matrixDemoData(now);
  let stored = 0;
  for (let i = 0; i < records.length; i += 2_000) {
    const raw: RawRecord[] = records.slice(i, i + 2_000).map((value, index) => ({ index, value }));
    const batch = await validateBatch(raw, async () => ingestExperimentOf(e));
    stored += (await storeBatch(pool(), batch, "UPLOAD")).accepted;
  }
  await db().experiment.update({
    where: { key: MATRIX_DEMO_KEY },
    data: { startedAt: new Date(now - DAYS * 86_400_000), stoppedAt: new Date(now) },
  });
  const rubric = await defaultRubricRow();
  const endpoint =
    (await db().endpoint.findUnique({ where: { name: DEMO_ENDPOINT_NAME } })) ??
    // Pointed at the simulator when Assay starts (lib/demo/traffic.ts).
    (await db().endpoint.create({ data: { name: DEMO_ENDPOINT_NAME, baseUrl: "http://127.0.0.1:9/v1", apiKeyEncrypted: null } }));
  await insertFinishedJudgeRun({
    experimentId: e.id,
    rubricId: rubric.id,
    endpointId: endpoint.id,
    model: "Llama-4-Maverick-17B-128E-Instruct-FP8",
    pricePer1MInput: 0.27,
    pricePer1MOutput: 0.85,
    createdById: pm.userId,
    startedAt: new Date(now + 60_000),
    finishedAt: new Date(now + 60_000 + Math.round((judgments.length / 250) * 1000)),
    judgments,
  });
  return stored;
}
