// The interaction explorer: an experiment's logged interactions filtered (variant, time range, safety flag, feedback, judge
// score, text, failed or not), a page at a time by keyset cursor, one in full, and the filtered set exported as JSONL or CSV.
import { AppError } from "@/lib/errors";
import {
  countRecentMatches,
  findExplorerExperiment,
  findInteractionByRequestId,
  listInteractionPage,
  type InteractionFilterSql,
  type InteractionPageRow,
  type InteractionPosition,
} from "@/lib/db/interactions";
import { fieldIssuesError } from "@/lib/validation/issues";
import {
  EXPLORER_PAGE_SIZE,
  EXPORT_CHUNK_SIZE,
  type ExportInteractionsQuery,
  type InteractionFilter,
  type ListInteractionsQuery,
} from "@/lib/validation/interactions";
import { decodeCursor, encodeCursor } from "./cursor";
import { csvRows, jsonlLines, type ExportRecord } from "./exportFormat";

/** How many of the newest interactions the explorer's count looks at: past it, the count is of the newest this many. */
export const COUNT_SCAN_LIMIT = 100_000;

/** The count beside a page: how many of the newest COUNT_SCAN_LIMIT interactions match, out of how many (`more` when there are more). */
export interface MatchCount {
  matching: number;
  examined: number;
  more: boolean;
}

export interface ExplorerExperiment {
  id: string;
  key: string;
  name: string;
  status: string;
  variants: { id: string; key: string; name: string; isControl: boolean }[];
  /** Judge criteria the scorecard reads (a score filter may name others too). */
  criteria: string[];
}

/** Fields every view of an interaction shares. */
interface InteractionFields {
  id: string;
  requestId: string;
  variant: string;
  userId: string;
  modelName: string | null;
  systemPromptVersion: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  safetyFlag: boolean | null;
  userFeedbackScore: number | null;
  goalCompleted: boolean | null;
  metrics: Record<string, unknown> | null;
  timestamp: string;
  source: string;
  error: string | null;
}

/** An interaction in a page: its texts cut to their first characters (the *Truncated flags say when). */
export interface InteractionSummary extends InteractionFields {
  userInputPreview: string | null;
  modelOutputPreview: string | null;
  userInputTruncated: boolean;
  modelOutputTruncated: boolean;
}

/** One interaction whole, with every judge score it has, newest rubric version first. */
export interface InteractionDetail extends InteractionFields {
  variantName: string;
  userInput: string | null;
  modelOutput: string | null;
  createdAt: string;
  judgeScores: { rubric: string; rubricVersion: number; scores: Record<string, unknown>; reasoning: string | null; scoredAt: string }[];
}

export interface InteractionPage {
  interactions: InteractionSummary[];
  /** The next (older) page, or null on the last one. */
  nextCursor: string | null;
  /** The previous (newer) page, or null on the first one. */
  prevCursor: string | null;
}

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** The experiment by key with its variants and scorecard criteria; NOT_FOUND when no experiment has the key. */
export async function getExplorerExperiment(key: string): Promise<ExplorerExperiment> {
  const e = await findExplorerExperiment(key);
  if (!e) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return { ...e, criteria: [...new Set(e.metrics.map((m) => m.field || m.name))] };
}

/** The query's filters with variant keys turned into this experiment's variant ids; an unknown key is a VALIDATION error naming `variant`. */
function filterFor(experiment: ExplorerExperiment, f: InteractionFilter): InteractionFilterSql {
  let variantIds: string[] | undefined;
  if (f.variant) {
    const unknown = f.variant.filter((key) => !experiment.variants.some((v) => v.key === key));
    if (unknown.length) {
      const known = experiment.variants.map((v) => v.key).join(", ");
      throw fieldIssuesError([
        { field: "variant", message: `"${unknown[0]}" is not a variant of ${experiment.key}; its variants are ${known || "none yet"}` },
      ]);
    }
    variantIds = experiment.variants.filter((v) => f.variant!.includes(v.key)).map((v) => v.id);
  }
  return {
    variantIds,
    from: f.from,
    to: f.to,
    safety: f.safety === "any" ? undefined : f.safety,
    feedbackMin: f.feedbackMin,
    feedbackMax: f.feedbackMax,
    score: f.score ? { criterion: f.score, min: f.scoreMin, max: f.scoreMax } : undefined,
    search: f.q,
    failed: f.status === undefined ? undefined : f.status === "failed",
  };
}

function fieldsOf(row: InteractionPageRow, variantKey: string): InteractionFields {
  return {
    id: row.id,
    requestId: row.requestId,
    variant: variantKey,
    userId: row.userId,
    modelName: row.modelName,
    systemPromptVersion: row.systemPromptVersion,
    latencyMs: row.latencyMs,
    ttftMs: row.ttftMs,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    costUsd: row.costUsd,
    safetyFlag: row.safetyFlag,
    userFeedbackScore: row.userFeedbackScore,
    goalCompleted: row.goalCompleted,
    metrics: asObject(row.customMetrics),
    timestamp: row.timestamp.toISOString(),
    source: row.source,
    error: row.error,
  };
}

const variantKeyOf = (experiment: ExplorerExperiment) => {
  const keys = new Map(experiment.variants.map((v) => [v.id, v.key]));
  return (variantId: string) => keys.get(variantId) ?? "";
};

const positionOf = (row: { timestamp: Date; id: string }): InteractionPosition => ({ timestamp: row.timestamp, id: row.id });

/** One page of an experiment's interactions as the query asks (newest first; `cursor` from a previous page's nextCursor or prevCursor). */
export async function listInteractionsOf(experiment: ExplorerExperiment, query: ListInteractionsQuery): Promise<InteractionPage> {
  const filter = filterFor(experiment, query);
  const limit = query.limit ?? EXPLORER_PAGE_SIZE;
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const at = cursor ? positionOf(cursor) : undefined;
  // One row more than the page shows says whether another page lies beyond it.
  const rows = await listInteractionPage(
    experiment.id,
    filter,
    cursor?.direction === "newer" ? { before: at, limit: limit + 1 } : { after: at, limit: limit + 1 },
  );
  let shown: InteractionPageRow[];
  let moreNewer: boolean;
  let moreOlder: boolean;
  if (cursor?.direction === "newer") {
    shown = rows.slice(Math.max(0, rows.length - limit));
    moreNewer = rows.length > limit;
    moreOlder = true;
  } else {
    shown = rows.slice(0, limit);
    moreNewer = cursor !== null;
    moreOlder = rows.length > limit;
  }
  const variantKey = variantKeyOf(experiment);
  const first = shown[0];
  const last = shown.at(-1);
  // A page left empty by rows deleted meanwhile still offers the way back to where it came from.
  const newerFrom = first ? positionOf(first) : at;
  const olderFrom = last ? positionOf(last) : at;
  return {
    interactions: shown.map((row) => ({
      ...fieldsOf(row, variantKey(row.variantId)),
      userInputPreview: row.userInput,
      modelOutputPreview: row.modelOutput,
      userInputTruncated: row.userInputTruncated,
      modelOutputTruncated: row.modelOutputTruncated,
    })),
    nextCursor: moreOlder && olderFrom ? encodeCursor({ ...olderFrom, direction: "older" }) : null,
    prevCursor: moreNewer && newerFrom ? encodeCursor({ ...newerFrom, direction: "newer" }) : null,
  };
}

/** One page of the experiment's interactions (GET /api/v1/experiments/{key}/interactions). */
export async function listInteractions(key: string, query: ListInteractionsQuery): Promise<InteractionPage> {
  return listInteractionsOf(await getExplorerExperiment(key), query);
}

/** How many interactions match the filters, among the newest COUNT_SCAN_LIMIT (all of them when there are no more). */
export async function countMatchingInteractions(experiment: ExplorerExperiment, query: InteractionFilter): Promise<MatchCount> {
  const { matching, total } = await countRecentMatches(experiment.id, filterFor(experiment, query), COUNT_SCAN_LIMIT);
  return { matching, examined: Math.min(total, COUNT_SCAN_LIMIT), more: total > COUNT_SCAN_LIMIT };
}

/** One interaction of the experiment whole, by its request id; NOT_FOUND when the experiment has none with that id. */
export async function getInteraction(key: string, requestId: string): Promise<InteractionDetail> {
  const experiment = await getExplorerExperiment(key);
  const row = await findInteractionByRequestId(experiment.id, requestId);
  if (!row) throw new AppError("NOT_FOUND", `Experiment "${key}" has no interaction with request id "${requestId}".`);
  return {
    ...fieldsOf(
      { ...row, costUsd: row.cost === null ? null : Number(row.cost), userInputTruncated: false, modelOutputTruncated: false },
      row.variant.key,
    ),
    variantName: row.variant.name,
    userInput: row.userInput,
    modelOutput: row.modelOutput,
    createdAt: row.createdAt.toISOString(),
    judgeScores: row.judgeScores.map((s) => ({
      rubric: s.rubric.name,
      rubricVersion: s.rubric.version,
      scores: asObject(s.scores) ?? {},
      reasoning: s.reasoning,
      scoredAt: s.createdAt.toISOString(),
    })),
  };
}

function exportRecordOf(row: InteractionPageRow, variantKey: string, experimentKey: string): ExportRecord {
  return {
    request_id: row.requestId,
    user_id: row.userId,
    variant_id: variantKey,
    model_name: row.modelName,
    system_prompt_version: row.systemPromptVersion,
    latency_ms: row.latencyMs,
    ttft_ms: row.ttftMs,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    cost_usd: row.costUsd,
    user_input: row.userInput,
    model_output: row.modelOutput,
    safety_flag: row.safetyFlag,
    user_feedback_score: row.userFeedbackScore,
    goal_completed: row.goalCompleted,
    metrics: asObject(row.customMetrics),
    timestamp: row.timestamp.toISOString(),
    source: row.source,
    error: row.error,
    experiment_key: experimentKey,
  };
}

const EXPORT_TYPES = { jsonl: "application/x-ndjson; charset=utf-8", csv: "text/csv; charset=utf-8" } as const;

/**
 * The filtered interactions as a file, newest first, streamed: the query is checked, the experiment found and the first
 * chunk read before the first byte, then the rows are read by keyset in chunks of EXPORT_CHUNK_SIZE as the client takes them.
 */
export async function exportInteractions(
  key: string,
  query: ExportInteractionsQuery,
): Promise<{ filename: string; contentType: string; body: ReadableStream<Uint8Array> }> {
  const experiment = await getExplorerExperiment(key);
  const filter = filterFor(experiment, query);
  const variantKey = variantKeyOf(experiment);
  const encoder = new TextEncoder();
  const readChunk = (after?: InteractionPosition) =>
    listInteractionPage(experiment.id, filter, { after, limit: EXPORT_CHUNK_SIZE, fullText: true });
  // The first chunk is read before answering: a database that cannot be reached is a 503 with its message, not a cut download.
  let ready: InteractionPageRow[] | null = await readChunk();
  let after: InteractionPosition | undefined;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const rows = ready ?? (await readChunk(after));
        ready = null;
        const records = rows.map((row) => exportRecordOf(row, variantKey(row.variantId), experiment.key));
        const text = query.format === "csv" ? csvRows(records, !started) : jsonlLines(records);
        started = true;
        if (text) controller.enqueue(encoder.encode(text));
        if (rows.length < EXPORT_CHUNK_SIZE) controller.close();
        else after = positionOf(rows[rows.length - 1]);
      } catch (err) {
        // The answer's status and headers are already sent: the download ends cut short, and the log says why.
        console.error(`interaction export of ${experiment.key} failed after it started`, err);
        controller.error(err);
      }
    },
  });
  return { filename: `${experiment.key}-interactions.${query.format}`, contentType: EXPORT_TYPES[query.format], body };
}
