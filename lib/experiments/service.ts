// The experiment service: design, edit, start, stop, clone and archive experiments. Routes and pages call these;
// these call lib/db. Every state change writes its audit event in the same transaction.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { actorLabel, type Identity } from "@/lib/auth/identity";
import { can } from "@/lib/auth/permissions";
import { listAuditEventsForExperiment } from "@/lib/db/audit";
import {
  experimentKeyExists,
  findExperimentByKey,
  insertExperimentWithDesign,
  listExperiments,
  updateExperimentDesign,
  updateExperimentState,
  type ExperimentAuditInput,
  type ExperimentWithDesign,
  type MetricRecord,
  type VariantRecord,
} from "@/lib/db/experiments";
import { existingEndpointIds } from "@/lib/db/endpoints";
import { variantMetricAggregate } from "@/lib/db/interactions";
import { AppError } from "@/lib/errors";
import {
  experimentKeySchema,
  experimentPlanSchema,
  variantConfigSchema,
  type CreateExperimentInput,
  type listExperimentsQuerySchema,
  type MetricInput,
  type UpdateExperimentInput,
  type VariantConfig,
  type VariantInput,
} from "@/lib/validation/experiments";
import { fieldIssuesError } from "@/lib/validation/issues";
import { canonicalJson } from "./canonical";
import { editableAfterStart, fixedAfterStartMessage, planIsFixed } from "./editRules";
import { hypothesisSentence, type Hypothesis } from "./hypothesis";
import { designPlanIssues, experimentPlanView, needsBaselineHistory, type PlanSettings } from "./plan";
import { CONFIG_FIELDS, configDifferences, configValue, undeclaredDifferences } from "./singleVariable";
import { designProblems, lifecycleStartProblem, MIN_REASON_LENGTH, startProblems } from "./startRules";
import type { ExperimentDetail, ExperimentListItem, ExperimentMetric, ExperimentVariant, VariableUnderTest } from "./types";

export type { ExperimentDetail, ExperimentListItem } from "./types";

/** The longest string an audit event keeps of a before/after value (long prompts are cut). */
const AUDIT_TEXT_LIMIT = 200;

function actor(identity: Identity): Pick<ExperimentAuditInput, "actorId" | "actorLabel"> {
  return { actorId: identity.userId, actorLabel: actorLabel(identity) };
}

/** Cuts long strings (prompts) anywhere inside a value, for audit details. */
function truncated(value: unknown): unknown {
  if (typeof value === "string")
    return value.length > AUDIT_TEXT_LIMIT ? `${value.slice(0, AUDIT_TEXT_LIMIT)}… (${value.length} characters)` : value;
  if (Array.isArray(value)) return value.map(truncated);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncated(v)]));
  return value ?? null;
}

function notFound(key: string): AppError {
  return new AppError("NOT_FOUND", `No experiment with key "${key}"; check the key (GET /api/v1/experiments lists them).`);
}

async function loadRow(key: string): Promise<ExperimentWithDesign> {
  // A string that cannot be a key (a page's URL can hold anything, even U+0000) names no experiment: no query needed.
  if (!experimentKeySchema.safeParse(key).success) throw notFound(key);
  const row = await findExperimentByKey(key);
  if (!row) throw notFound(key);
  return row;
}

function parseConfig(json: unknown): VariantConfig {
  const parsed = variantConfigSchema.safeParse(json);
  return parsed.success ? parsed.data : ((json ?? {}) as VariantConfig);
}

function parsePlanSettings(json: unknown): PlanSettings | null {
  if (json === null || json === undefined) return null;
  const parsed = experimentPlanSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

function toMetric(row: ExperimentWithDesign["metrics"][number]): ExperimentMetric {
  const metric: ExperimentMetric = {
    id: row.id,
    position: row.position,
    name: row.name,
    role: row.role,
    kind: row.kind,
    source: row.source,
    field: row.field,
    direction: row.direction,
    mde: row.mde,
    mdeAbsolute: row.mdeAbsolute,
  };
  if (row.quantile !== null) metric.quantile = row.quantile;
  if (row.nonInferiorityMargin !== null) metric.nonInferiorityMargin = row.nonInferiorityMargin;
  if (row.baseline !== null) metric.baseline = row.baseline;
  if (row.baselineSd !== null) metric.baselineSd = row.baselineSd;
  if (row.scaleMin !== null && row.scaleMax !== null) metric.scale = { min: row.scaleMin, max: row.scaleMax };
  return metric;
}

function toVariant(row: ExperimentWithDesign["variants"][number]): ExperimentVariant {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    isControl: row.isControl,
    weight: row.weight,
    config: parseConfig(row.config),
    configVersion: row.configVersion,
    position: row.position,
  };
}

function hypothesisOf(row: { hypothesisChange: string; hypothesisExpectation: string; hypothesisReason: string }): Hypothesis {
  return { change: row.hypothesisChange, expectation: row.hypothesisExpectation, reason: row.hypothesisReason };
}

/** The editable design of a stored experiment, in the shape of the update schema (for change detection). */
function designOf(row: ExperimentWithDesign) {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    hypothesis: hypothesisOf(row),
    variableUnderTest: row.variableUnderTest as VariableUnderTest,
    gatewayEnabled: row.gatewayEnabled,
    variants: row.variants.map((v): VariantInput => ({
      key: v.key,
      name: v.name,
      isControl: v.isControl,
      weight: v.weight,
      config: parseConfig(v.config),
    })),
    metrics: row.metrics.map((m): MetricInput => {
      const { id: _id, position: _position, ...metric } = toMetric(m);
      return metric;
    }),
    plan: parsePlanSettings(row.plan),
  };
}

function metricRecords(metrics: MetricInput[]): MetricRecord[] {
  return metrics.map((m, position) => ({
    name: m.name,
    role: m.role,
    kind: m.kind,
    source: m.source,
    field: m.field,
    quantile: m.quantile ?? null,
    direction: m.direction,
    mde: m.mde,
    mdeAbsolute: m.mdeAbsolute,
    nonInferiorityMargin: m.nonInferiorityMargin ?? null,
    baseline: m.baseline ?? null,
    baselineSd: m.baselineSd ?? null,
    scaleMin: m.scale?.min ?? null,
    scaleMax: m.scale?.max ?? null,
    position,
  }));
}

/** Variant rows for a new variant list: a variant keeps its config version while its config is unchanged, and gets version + 1 when it changes. */
function variantRecords(variants: VariantInput[], previous: ExperimentVariant[] = []): VariantRecord[] {
  return variants.map((v, position) => {
    const before = previous.find((p) => p.key === v.key);
    const configVersion = !before
      ? 1
      : canonicalJson(before.config) === canonicalJson(v.config)
        ? before.configVersion
        : before.configVersion + 1;
    return {
      key: v.key,
      name: v.name,
      isControl: v.isControl,
      weight: v.weight,
      config: v.config as object,
      configVersion,
      endpointId: v.config.endpointId ?? null,
      position,
    };
  });
}

/** Refuses variants pointed at a managed endpoint that does not exist (400 naming each variant's endpointId). */
async function assertEndpointsExist(variants: VariantInput[]): Promise<void> {
  const ids = [...new Set(variants.flatMap((v) => (v.config.endpointId ? [v.config.endpointId] : [])))];
  const existing = await existingEndpointIds(ids);
  const issues = variants.flatMap((v, i) =>
    v.config.endpointId && !existing.has(v.config.endpointId)
      ? [
          {
            field: `variants.${i}.config.endpointId`,
            message: `no endpoint has the id "${v.config.endpointId}"; pick one in Settings > Endpoints (GET /api/v1/endpoints lists them)`,
          },
        ]
      : [],
  );
  if (issues.length) throw fieldIssuesError(issues);
}

/** Experiments visible in the list: search over name, key and hypothesis, filter by status and owner ("me" = the caller), newest change first; archived ones only with archived=true. */
export async function listExperimentsFor(
  identity: Identity,
  query: z.infer<typeof listExperimentsQuerySchema>,
): Promise<ExperimentListItem[]> {
  let ownerId = query.owner?.trim() || undefined;
  if (ownerId === "me") {
    if (!identity.userId) return []; // the bootstrap key owns nothing
    ownerId = identity.userId;
  }
  const rows = await listExperiments({
    status: query.status,
    ownerId,
    search: query.q?.trim() || undefined,
    includeArchived: query.archived === "true",
  });
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    status: r.status,
    variableUnderTest: r.variableUnderTest,
    owner: r.owner,
    variantCount: r._count.variants,
    updatedAt: r.updatedAt,
    archivedAt: r.archivedAt,
    hypothesisSentence: hypothesisSentence(hypothesisOf(r)),
  }));
}

/** One experiment with its design, single-variable check, computed plan, start problems and audit trail; NOT_FOUND naming the key. */
export async function getExperimentDetail(key: string): Promise<ExperimentDetail> {
  const row = await loadRow(key);
  const variants = row.variants.map(toVariant);
  const metrics = row.metrics.map(toMetric);
  const settings = parsePlanSettings(row.plan);
  const variable = row.variableUnderTest as VariableUnderTest;

  const control = variants.find((v) => v.isControl);
  const needHistory = control ? metrics.filter(needsBaselineHistory) : [];
  const [histories, audit] = await Promise.all([
    Promise.all(needHistory.map(async (m) => [m.name, await variantMetricAggregate(row.id, control!.id, m)] as const)),
    listAuditEventsForExperiment(row.id),
  ]);
  const plan = experimentPlanView({ metrics, settings, variants, coverage: row.coverage, histories: Object.fromEntries(histories) });
  const undeclared = undeclaredDifferences(variable, variants);
  const hypothesis = hypothesisOf(row);

  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    hypothesisChange: row.hypothesisChange,
    hypothesisExpectation: row.hypothesisExpectation,
    hypothesisReason: row.hypothesisReason,
    variableUnderTest: variable,
    status: row.status,
    ownerId: row.ownerId,
    coverage: row.coverage,
    allocation: row.allocation,
    gatewayEnabled: row.gatewayEnabled,
    rampPlan: row.rampPlan,
    planSettings: settings,
    singleVariableReason: row.singleVariableReason,
    correction: row.correction,
    sequential: row.sequential,
    forcedUsers: Object.keys(row.forcedVariants && typeof row.forcedVariants === "object" ? row.forcedVariants : {}),
    archivedAt: row.archivedAt,
    startedAt: row.startedAt,
    stoppedAt: row.stoppedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    hypothesis,
    hypothesisSentence: hypothesisSentence(hypothesis),
    variants,
    metrics,
    owner: row.owner,
    audit: audit.map((e) => ({
      id: e.id,
      action: e.action,
      actorLabel: e.actorLabel,
      actorName: e.actor?.name ?? null,
      createdAt: e.createdAt,
      details: e.details,
    })),
    differences: configDifferences(variable, variants),
    undeclared,
    plan,
    startProblems: startProblems({
      status: row.status,
      hypothesis,
      variableUnderTest: variable,
      archived: row.archivedAt !== null,
      gatewayEnabled: row.gatewayEnabled,
      variants,
      metrics,
    }),
    needsSingleVariableReason: undeclared.length > 0,
  };
}

/** Refuses a design whose typed numbers the planner cannot size (400 naming each field), before anything is written. */
function assertPlannable(design: Parameters<typeof designPlanIssues>[0]): void {
  const issues = designPlanIssues(design);
  if (issues.length) throw fieldIssuesError(issues);
}

async function assertKeyFree(key: string): Promise<void> {
  if (await experimentKeyExists(key)) throw new AppError("CONFLICT", `An experiment with key "${key}" already exists; choose another key.`);
}

/** Saves a new DRAFT experiment owned by the caller, with a random hashing salt, its variants, metrics and an "experiment.created" audit event. */
export async function createExperiment(identity: Identity, input: CreateExperimentInput): Promise<ExperimentDetail> {
  assertPlannable({ metrics: input.metrics, settings: input.plan ?? null, variants: input.variants });
  await assertEndpointsExist(input.variants);
  await assertKeyFree(input.key);
  await insertExperimentWithDesign(
    {
      key: input.key,
      name: input.name,
      description: input.description,
      hypothesisChange: input.hypothesis.change,
      hypothesisExpectation: input.hypothesis.expectation,
      hypothesisReason: input.hypothesis.reason,
      variableUnderTest: input.variableUnderTest,
      gatewayEnabled: input.gatewayEnabled,
      hashingSalt: randomBytes(16).toString("hex"),
      ownerId: identity.userId,
      plan: input.plan ?? null,
    },
    variantRecords(input.variants),
    metricRecords(input.metrics),
    [
      {
        ...actor(identity),
        action: "experiment.created",
        details: {
          key: input.key,
          name: input.name,
          variableUnderTest: input.variableUnderTest,
          variants: input.variants.map((v) => v.key),
        },
      },
    ],
  );
  return getExperimentDetail(input.key);
}

type EditableField = keyof ReturnType<typeof designOf>;
const EDITABLE_FIELDS: EditableField[] = [
  "key",
  "name",
  "description",
  "hypothesis",
  "variableUnderTest",
  "gatewayEnabled",
  "variants",
  "metrics",
  "plan",
];

/** Fields of the variant list an ENGINEER touched beyond configurations ("variants.B.weight"), empty when only configs changed. */
function nonConfigVariantChanges(before: VariantInput[], after: VariantInput[]): string[] {
  if (canonicalJson(before.map((v) => v.key)) !== canonicalJson(after.map((v) => v.key)))
    return ["variants (adding, removing or reordering variants)"];
  const out: string[] = [];
  after.forEach((v, i) => {
    for (const f of ["name", "weight", "isControl"] as const) if (v[f] !== before[i][f]) out.push(`variants.${v.key}.${f}`);
  });
  return out;
}

/** Per-variant configuration changes for the audit trail: field, before, after (prompts cut to 200 characters). */
function configChanges(before: ExperimentVariant[], after: VariantRecord[]): Record<string, unknown>[] {
  return after.flatMap((v): Record<string, unknown>[] => {
    const prev = before.find((p) => p.key === v.key);
    if (!prev) return [{ key: v.key, added: true, config: truncated(v.config) }];
    if (prev.configVersion === v.configVersion) return [];
    const changes = CONFIG_FIELDS.filter(
      (f) => canonicalJson(configValue(prev.config, f)) !== canonicalJson(configValue(v.config as VariantConfig, f)),
    ).map((field) => ({
      field,
      before: truncated(configValue(prev.config, field)),
      after: truncated(configValue(v.config as VariantConfig, field)),
    }));
    return [{ key: v.key, configVersion: v.configVersion, changes }];
  });
}

/**
 * Changes a design. PM/ADMIN ("experiments:edit") may change anything in DRAFT, only name, description and plan while RUNNING
 * (the key is fixed and variants are locked), and only name and description once STOPPED or DECIDED. ENGINEER ("experiments:editVariantSettings" only) may change only variant configs, in DRAFT.
 * A variant whose config changed gets configVersion + 1. One transaction with an "experiment.updated" audit event.
 */
export async function updateExperiment(identity: Identity, key: string, input: UpdateExperimentInput): Promise<ExperimentDetail> {
  const row = await loadRow(key);
  const current = designOf(row);
  const changed = EDITABLE_FIELDS.filter((f) => input[f] !== undefined && canonicalJson(input[f]) !== canonicalJson(current[f]));
  if (changed.length === 0) return getExperimentDetail(key);

  if (!can(identity.role, "experiments:edit")) {
    const fields = [
      ...changed.filter((f) => f !== "variants"),
      ...(input.variants ? nonConfigVariantChanges(current.variants, input.variants) : []),
    ];
    if (fields.length) {
      throw new AppError(
        "FORBIDDEN",
        `Your role (${identity.role}) may change only the variants' configuration; you tried to change ${fields.join(", ")}.`,
        { fields },
      );
    }
  }
  if (row.status !== "DRAFT") {
    if (changed.includes("key"))
      throw new AppError("CONFLICT", `The key is fixed once the experiment has started ("${row.key}" is ${row.status}).`, {
        fields: ["key"],
      });
    if (changed.includes("variants"))
      throw new AppError("CONFLICT", "Variants are locked once the experiment has started; weights change only through the rollout.", {
        fields: ["variants"],
      });
    if (changed.includes("plan") && planIsFixed(row.status))
      throw new AppError(
        "CONFLICT",
        `The plan is fixed once data collection has ended ("${row.key}" is ${row.status}): the analysis tests what was planned. Clone the experiment to plan a new test.`,
        { fields: ["plan"] },
      );
    const fixed = changed.filter((f) => !editableAfterStart(row.status).includes(f));
    if (fixed.length) throw new AppError("CONFLICT", fixedAfterStartMessage(row.status, fixed), { fields: fixed });
  }
  if (changed.includes("key")) await assertKeyFree(input.key!);
  if (changed.includes("variants")) await assertEndpointsExist(input.variants!);
  if (changed.includes("metrics") || changed.includes("plan") || changed.includes("variants")) {
    assertPlannable({
      metrics: input.metrics ?? current.metrics,
      settings: input.plan !== undefined ? input.plan : current.plan,
      variants: input.variants ?? current.variants,
      coverage: row.coverage,
    });
  }

  const previousVariants = row.variants.map(toVariant);
  const variants = changed.includes("variants") ? variantRecords(input.variants!, previousVariants) : undefined;
  const fields: Parameters<typeof updateExperimentDesign>[2]["fields"] = {};
  if (changed.includes("key")) fields.key = input.key;
  if (changed.includes("name")) fields.name = input.name;
  if (changed.includes("description")) fields.description = input.description;
  if (changed.includes("variableUnderTest")) fields.variableUnderTest = input.variableUnderTest;
  if (changed.includes("gatewayEnabled")) fields.gatewayEnabled = input.gatewayEnabled;
  if (changed.includes("hypothesis")) {
    fields.hypothesisChange = input.hypothesis!.change;
    fields.hypothesisExpectation = input.hypothesis!.expectation;
    fields.hypothesisReason = input.hypothesis!.reason;
  }
  if (changed.includes("plan")) fields.plan = input.plan ?? null;

  const scalarChanges = Object.fromEntries(
    changed
      .filter((f) => f !== "variants" && f !== "metrics")
      .map((f) => [f, { before: truncated(current[f]), after: truncated(input[f] ?? null) }]),
  );
  const details = {
    changed,
    fields: scalarChanges,
    ...(variants
      ? {
          variants: configChanges(previousVariants, variants),
          removedVariants: previousVariants.filter((p) => !variants.some((v) => v.key === p.key)).map((p) => p.key),
        }
      : {}),
    ...(changed.includes("metrics")
      ? { metrics: { before: current.metrics.map((m) => m.name), after: input.metrics!.map((m) => m.name) } }
      : {}),
  };
  await updateExperimentDesign(
    row.id,
    { status: row.status, updatedAt: row.updatedAt },
    { fields, variants, metrics: changed.includes("metrics") ? metricRecords(input.metrics!) : undefined },
    { ...actor(identity), action: "experiment.updated", details: details as object },
  );
  return getExperimentDetail(fields.key ?? key);
}

/**
 * Starts a DRAFT: it must pass designProblems (a full hypothesis, ≥ 2 variants, one control, weights 100, no identical variants,
 * a GOAL metric, models, endpoints with the gateway),
 * Starts a DRAFT that is not archived: it must pass designProblems (≥ 2 variants, one control, weights 100, a GOAL metric, models, endpoints with the gateway),
 * and when the variants differ beyond the declared variable, a written singleVariableReason (≥ 10 characters) is required and kept.
 */
export async function startExperiment(
  identity: Identity,
  key: string,
  input: { singleVariableReason?: string },
): Promise<ExperimentDetail> {
  const row = await loadRow(key);
  const state = lifecycleStartProblem({ status: row.status, archived: row.archivedAt !== null });
  if (state) throw new AppError("CONFLICT", `Cannot start "${key}": ${state}`);
  const variants = row.variants.map(toVariant);
  const variable = row.variableUnderTest as VariableUnderTest;
  const problems = designProblems({
    hypothesis: hypothesisOf(row),
    variableUnderTest: variable,
    gatewayEnabled: row.gatewayEnabled,
    variants,
    metrics: row.metrics,
  });
  if (problems.length) throw new AppError("VALIDATION", `Cannot start "${key}" yet: ${problems.join(" ")}`, { problems });

  const undeclared = undeclaredDifferences(variable, variants);
  const reason = input.singleVariableReason?.trim() || undefined;
  if (undeclared.length && (!reason || reason.length < MIN_REASON_LENGTH)) {
    const message = `The variants differ beyond the declared variable (${variable}) in ${undeclared.join(", ")}: make them equal, or write a singleVariableReason (at least ${MIN_REASON_LENGTH} characters) saying why the difference is intended.`;
    throw new AppError("VALIDATION", message, {
      field: "singleVariableReason",
      undeclared,
      issues: [{ field: "singleVariableReason", message }],
    });
  }
  await updateExperimentState(
    row.id,
    { status: "DRAFT", updatedAt: row.updatedAt },
    { status: "RUNNING", startedAt: new Date(), singleVariableReason: reason ?? null },
    { ...actor(identity), action: "experiment.started", details: { undeclared, singleVariableReason: reason ?? null } },
  );
  return getExperimentDetail(key);
}

/** Stops a RUNNING experiment (stoppedAt, "experiment.stopped" with the optional reason). */
export async function stopExperiment(identity: Identity, key: string, input: { reason?: string }): Promise<ExperimentDetail> {
  const row = await loadRow(key);
  if (row.status !== "RUNNING") throw new AppError("CONFLICT", `Only a running experiment can be stopped; "${key}" is ${row.status}.`);
  await updateExperimentState(
    row.id,
    { status: "RUNNING", updatedAt: row.updatedAt },
    { status: "STOPPED", stoppedAt: new Date() },
    { ...actor(identity), action: "experiment.stopped", details: { reason: input.reason || null } },
  );
  return getExperimentDetail(key);
}

/** Copies a design (variants, configs, metrics, plan, hypothesis) into a new DRAFT owned by the caller with a new salt; "experiment.cloned" on both. */
export async function cloneExperiment(identity: Identity, key: string, input: { key: string; name?: string }): Promise<ExperimentDetail> {
  const row = await loadRow(key);
  await assertKeyFree(input.key);
  const design = designOf(row);
  const details = { from: row.key, to: input.key };
  await insertExperimentWithDesign(
    {
      key: input.key,
      name: input.name ?? `${row.name} (copy)`,
      description: row.description,
      hypothesisChange: row.hypothesisChange,
      hypothesisExpectation: row.hypothesisExpectation,
      hypothesisReason: row.hypothesisReason,
      variableUnderTest: row.variableUnderTest,
      gatewayEnabled: row.gatewayEnabled,
      coverage: row.coverage,
      hashingSalt: randomBytes(16).toString("hex"),
      ownerId: identity.userId,
      plan: design.plan,
    },
    variantRecords(design.variants),
    metricRecords(design.metrics),
    [{ ...actor(identity), action: "experiment.cloned", details }],
    [{ ...actor(identity), action: "experiment.cloned", entityType: "Experiment", entityId: row.id, experimentId: row.id, details }],
  );
  return getExperimentDetail(input.key);
}

/** Archives (hides from the list) or unarchives an experiment; a running one must be stopped first. */
export async function archiveExperiment(identity: Identity, key: string, archived: boolean): Promise<ExperimentDetail> {
  const row = await loadRow(key);
  if (archived === (row.archivedAt !== null)) return getExperimentDetail(key);
  if (archived && row.status === "RUNNING") throw new AppError("CONFLICT", `"${key}" is running; stop it first, then archive it.`);
  await updateExperimentState(
    row.id,
    { status: row.status, updatedAt: row.updatedAt },
    { archivedAt: archived ? new Date() : null },
    { ...actor(identity), action: archived ? "experiment.archived" : "experiment.unarchived" },
  );
  return getExperimentDetail(key);
}
