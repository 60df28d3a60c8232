import pg from "pg";
import { inject } from "vitest";

/** An interaction as a test writes it straight into the database (variant by key; timestamp as ISO 8601 in UTC). */
export interface InteractionRow {
  id: string;
  requestId: string;
  variant: string;
  userId: string;
  timestamp: string;
  modelName?: string | null;
  systemPromptVersion?: string | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  cost?: number | null;
  userInput?: string | null;
  modelOutput?: string | null;
  safetyFlag?: boolean | null;
  userFeedbackScore?: number | null;
  goalCompleted?: boolean | null;
  customMetrics?: Record<string, number> | null;
  source?: "API" | "GATEWAY" | "UPLOAD" | "DEMO";
  error?: string | null;
}

/** Runs one SQL statement against the test stack's database. */
export async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Inserts the rows into the experiment with this key, in one statement (its variants looked up by key). */
export async function insertInteractions(experimentKey: string, rows: InteractionRow[]): Promise<void> {
  const records = rows.map((r) => ({ source: "API", ...r, timestamp: new Date(r.timestamp).toISOString() }));
  await sql(
    `INSERT INTO "Interaction" (id, "requestId", "experimentId", "variantId", "userId", "modelName", "systemPromptVersion",
       "latencyMs", "ttftMs", "promptTokens", "completionTokens", cost, "userInput", "modelOutput", "safetyFlag",
       "userFeedbackScore", "goalCompleted", "customMetrics", "timestamp", source, error)
     SELECT r.id, r."requestId", e.id, v.id, r."userId", r."modelName", r."systemPromptVersion", r."latencyMs", r."ttftMs",
       r."promptTokens", r."completionTokens", r.cost, r."userInput", r."modelOutput", r."safetyFlag", r."userFeedbackScore",
       r."goalCompleted", r."customMetrics", (r."timestamp" AT TIME ZONE 'UTC'), r.source::"InteractionSource", r.error
     FROM jsonb_to_recordset($2::jsonb) AS r(id text, "requestId" text, variant text, "userId" text, "modelName" text,
       "systemPromptVersion" text, "latencyMs" float8, "ttftMs" float8, "promptTokens" int, "completionTokens" int,
       cost numeric, "userInput" text, "modelOutput" text, "safetyFlag" boolean, "userFeedbackScore" float8,
       "goalCompleted" boolean, "customMetrics" jsonb, "timestamp" timestamptz, source text, error text)
     JOIN "Experiment" e ON e.key = $1
     JOIN "Variant" v ON v."experimentId" = e.id AND v.key = r.variant`,
    [experimentKey, JSON.stringify(records)],
  );
}

/** A rubric version of its own (name, version) for judge scores; returns its id. */
export async function insertRubric(name: string, version: number): Promise<string> {
  const id = `${name}-v${version}`;
  await sql(
    `INSERT INTO "Rubric" (id, name, version, prompt, "jsonSchema", criteria) VALUES ($1, $2, $3, 'Score the answer.', '{}', '[]')`,
    [id, name, version],
  );
  return id;
}

/** A judge score of one interaction under a rubric version. */
export async function insertJudgeScore(interactionId: string, rubricId: string, scores: Record<string, unknown>, reasoning: string | null) {
  await sql(`INSERT INTO "JudgeScore" (id, "interactionId", "rubricId", scores, reasoning) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
    `${interactionId}-${rubricId}`,
    interactionId,
    rubricId,
    JSON.stringify(scores),
    reasoning,
  ]);
}
