// Load runs, their shards and records, and traces, as stored.
import { Prisma } from "@/lib/generated/prisma/client";
import type { HarnessRecord } from "@/lib/harness/types";
import { db } from "./client";

const listSelect = {
  id: true,
  name: true,
  status: true,
  progress: true,
  targetUrl: true,
  model: true,
  profile: true,
  source: true,
  shards: true,
  createdAt: true,
  finishedAt: true,
  summary: true,
  sweep: true,
  sweepOfId: true,
  sweepIndex: true,
  trace: { select: { id: true, name: true } },
} as const;

/**
 * The latest load runs, newest first, `take` of them not counting sweep steps; each sweep's steps follow it in step
 * order (so many-step sweeps do not push other runs off the list).
 */
export async function listLoadRuns(take = 100) {
  const top = await db().loadRun.findMany({ where: { sweepOfId: null }, orderBy: { createdAt: "desc" }, take, select: listSelect });
  const sweeps = top.filter((r) => r.sweep !== null).map((r) => r.id);
  if (sweeps.length === 0) return top;
  const steps = await db().loadRun.findMany({
    where: { sweepOfId: { in: sweeps } },
    orderBy: [{ sweepIndex: "asc" }],
    select: listSelect,
  });
  return top.flatMap((r) => [r, ...steps.filter((s) => s.sweepOfId === r.id)]);
}

export function findLoadRun(id: string) {
  return db().loadRun.findUnique({
    where: { id },
    include: {
      shardRuns: { orderBy: { shard: "asc" } },
      trace: { select: { id: true, name: true, format: true, requestCount: true } },
      endpoint: true,
      sweepOf: { select: { id: true, name: true } },
    },
  });
}

export function createLoadRunRow(data: Prisma.LoadRunUncheckedCreateInput, shards: number) {
  return db().loadRun.create({
    data: { ...data, shardRuns: { create: Array.from({ length: shards }, (_, shard) => ({ shard })) } },
    select: { id: true },
  });
}

export function updateLoadRun(id: string, data: Prisma.LoadRunUncheckedUpdateInput) {
  return db().loadRun.update({ where: { id }, data });
}

export function updateLoadShard(loadRunId: string, shard: number, data: Prisma.LoadRunShardUncheckedUpdateInput) {
  return db().loadRunShard.update({ where: { loadRunId_shard: { loadRunId, shard } }, data });
}

export async function loadRunCancelRequested(id: string): Promise<boolean> {
  const row = await db().loadRun.findUnique({ where: { id }, select: { cancelRequested: true } });
  return row?.cancelRequested ?? true;
}

const toRow = (loadRunId: string, r: HarnessRecord) => ({
  loadRunId,
  requestId: r.request_id,
  workloadName: r.workload_name,
  intendedSendTime: r.assay?.intended_send_time ?? null,
  timestampSent: r.timestamp_sent,
  timestampFirstToken: r.timestamp_first_token,
  timestampLastToken: r.timestamp_last_token,
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
  promptText: r.prompt_text,
  outputText: r.output_text,
  error: r.error,
  assay: r.assay ? (r.assay as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
});

/** Stores a run's records in batches of 2,000 (a repeated request id is kept once). */
export async function insertLoadRecords(loadRunId: string, records: readonly HarnessRecord[], client: Prisma.TransactionClient = db()) {
  for (let i = 0; i < records.length; i += 2000) {
    await client.loadRecord.createMany({ data: records.slice(i, i + 2000).map((r) => toRow(loadRunId, r)), skipDuplicates: true });
  }
}

/** A run's records in send order, as a results file holds them. */
export async function loadRecordsOf(loadRunId: string): Promise<HarnessRecord[]> {
  const out: HarnessRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    const rows = await db().loadRecord.findMany({
      where: { loadRunId },
      orderBy: { id: "asc" },
      take: 5000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const r of rows)
      out.push({
        request_id: r.requestId,
        workload_name: r.workloadName ?? "",
        timestamp_sent: r.timestampSent,
        timestamp_first_token: r.timestampFirstToken,
        timestamp_last_token: r.timestampLastToken,
        input_tokens: r.inputTokens ?? 0,
        output_tokens: r.outputTokens ?? 0,
        prompt_text: r.promptText ?? "",
        output_text: r.outputText ?? "",
        error: r.error,
        ...(r.assay ? { assay: r.assay as unknown as HarnessRecord["assay"] } : {}),
      });
    if (rows.length < 5000) break;
    cursor = rows[rows.length - 1].id;
  }
  return out.sort((a, b) => a.timestamp_sent - b.timestamp_sent);
}

/**
 * Runs `fn` holding the run's advisory lock, so that of shards ending at once exactly one merges their results.
 * `fn` gets the run's shards as they are under the lock.
 */
export function withLoadRunLock<T>(
  loadRunId: string,
  fn: (shards: { shard: number; status: string }[], tx: Prisma.TransactionClient) => Promise<T>,
) {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`loadRun:${loadRunId}`}))`;
      const shards = await tx.loadRunShard.findMany({ where: { loadRunId }, select: { shard: true, status: true } });
      return fn(shards, tx);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

export function createTraceRow(data: Prisma.TraceUncheckedCreateInput) {
  return db().trace.create({ data, select: { id: true } });
}

export function listTraceRows(take = 200) {
  return db().trace.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, name: true, format: true, requestCount: true, hasTimestamps: true, stats: true, createdAt: true, datasetId: true },
  });
}

export function findTrace(id: string) {
  return db().trace.findUnique({ where: { id } });
}

export function findTraceByName(name: string) {
  return db().trace.findUnique({ where: { name }, select: { id: true } });
}

export function findEndpointByName(name: string) {
  return db().endpoint.findUnique({ where: { name } });
}

/** A finished sweep step as a run of its own (one shard, its records), under its sweep. */
export function createSweepStepRun(
  data: Prisma.LoadRunUncheckedCreateInput & { sweepOfId: string; sweepIndex: number },
  shard: Omit<Prisma.LoadRunShardUncheckedCreateInput, "loadRunId" | "shard">,
  records: readonly HarnessRecord[],
) {
  return db().$transaction(
    async (tx) => {
      const { id } = await tx.loadRun.create({ data: { ...data, shardRuns: { create: [{ ...shard, shard: 0 }] } }, select: { id: true } });
      await insertLoadRecords(id, records, tx);
      return id;
    },
    { timeout: 120_000 },
  );
}
