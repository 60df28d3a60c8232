// Datasets, the guide's continuous loop: interactions picked from an experiment's results (the lowest judge scores,
// the safety flags, judge and user disagreeing, a random sample) into a named snapshot, downloadable as JSONL
// {input, output, metadata} to feed the load harness and the judge later. Names are unique across Assay.
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { appendAuditEvent } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { datasetItemsPage, insertDatasetItems } from "@/lib/db/datasets";
import { AppError } from "@/lib/errors";
import { fieldIssuesError } from "@/lib/validation/issues";
import type { CreateDatasetInput } from "@/lib/validation/datasets";

export interface DatasetView {
  id: string;
  name: string;
  description: string;
  experiment: string | null;
  mode: string;
  params: Record<string, unknown>;
  itemCount: number;
  createdAt: string;
}

const MODE_WORDS: Record<string, string> = {
  lowest: "lowest judge scores",
  safety: "safety flags",
  disagreement: "judge and user disagreeing",
  random: "a random sample",
};
export const datasetModeWords = (mode: string) => MODE_WORDS[mode] ?? mode;

function view(d: {
  id: string;
  name: string;
  description: string;
  mode: string;
  params: unknown;
  itemCount: number;
  createdAt: Date;
  experiment: { key: string } | null;
}): DatasetView {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    experiment: d.experiment?.key ?? null,
    mode: d.mode,
    params: (d.params ?? {}) as Record<string, unknown>,
    itemCount: d.itemCount,
    createdAt: d.createdAt.toISOString(),
  };
}

export async function createDataset(identity: Identity, key: string, input: CreateDatasetInput): Promise<DatasetView> {
  const experiment = await db().experiment.findUnique({
    where: { key },
    select: { id: true, variants: { select: { id: true, key: true } } },
  });
  if (!experiment) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  const variant = input.variant ? experiment.variants.find((v) => v.key === input.variant) : null;
  if (input.variant && !variant)
    throw fieldIssuesError([
      {
        field: "variant",
        message: `no variant is called "${input.variant}"; the variants are ${experiment.variants.map((v) => v.key).join(", ")}`,
      },
    ]);
  if (await db().dataset.findUnique({ where: { name: input.name }, select: { id: true } }))
    throw fieldIssuesError([{ field: "name", message: `a dataset is already called "${input.name}"; choose another name` }]);
  const params = {
    limit: input.limit,
    ...(input.mode === "lowest" || input.mode === "disagreement" ? { criterion: input.criterion } : {}),
    ...(input.mode === "disagreement" ? { threshold: input.threshold } : {}),
    ...(input.mode === "random" ? { seed: input.seed } : {}),
    ...(input.variant ? { variant: input.variant } : {}),
  };
  const made = await db().$transaction(async (tx) => {
    const d = await tx.dataset.create({
      data: {
        name: input.name,
        description: input.description,
        experimentId: experiment.id,
        mode: input.mode,
        params,
        createdById: identity.userId,
      },
    });
    const n = await insertDatasetItems(tx, d.id, {
      experimentId: experiment.id,
      variantId: variant?.id ?? null,
      mode: input.mode,
      limit: input.limit,
      criterion: input.criterion,
      threshold: input.threshold,
      seed: input.seed,
    });
    if (n === 0)
      throw fieldIssuesError([
        {
          field: "mode",
          message: `no interaction of "${key}" matches ${datasetModeWords(input.mode)} (it needs logged inputs and outputs${input.mode === "random" ? "" : ", and judge scores"})`,
        },
      ]);
    const updated = await tx.dataset.update({
      where: { id: d.id },
      data: { itemCount: n },
      include: { experiment: { select: { key: true } } },
    });
    await appendAuditEvent(
      {
        actorId: identity.userId,
        actorLabel: actorLabel(identity),
        entityType: "Dataset",
        entityId: d.id,
        experimentId: experiment.id,
        action: "dataset.create",
        details: { name: input.name, mode: input.mode, params, items: n },
      },
      tx,
    );
    return updated;
  });
  return view(made);
}

export async function listDatasets(): Promise<DatasetView[]> {
  const rows = await db().dataset.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { experiment: { select: { key: true } } },
  });
  return rows.map(view);
}

export async function getDataset(id: string): Promise<DatasetView> {
  const d = await db().dataset.findUnique({ where: { id }, include: { experiment: { select: { key: true } } } });
  if (!d) throw new AppError("NOT_FOUND", `No dataset has the id "${id}".`);
  return view(d);
}

export async function deleteDataset(identity: Identity, id: string): Promise<void> {
  const d = await db().dataset.findUnique({ where: { id }, select: { id: true, name: true, experimentId: true } });
  if (!d) throw new AppError("NOT_FOUND", `No dataset has the id "${id}".`);
  await db().$transaction(async (tx) => {
    await tx.dataset.delete({ where: { id } });
    await appendAuditEvent(
      {
        actorId: identity.userId,
        actorLabel: actorLabel(identity),
        entityType: "Dataset",
        entityId: id,
        experimentId: d.experimentId,
        action: "dataset.delete",
        details: { name: d.name },
      },
      tx,
    );
  });
}

/** The dataset as JSONL, one {input, output, metadata} line per item in order, read a page at a time. */
export function datasetJsonl(id: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  return new ReadableStream({
    async pull(controller) {
      const page = await datasetItemsPage(id, after, 500);
      if (page.length === 0) return controller.close();
      after = page[page.length - 1].position;
      controller.enqueue(
        encoder.encode(page.map((i) => `${JSON.stringify({ input: i.input, output: i.output, metadata: i.metadata })}\n`).join("")),
      );
    },
  });
}
