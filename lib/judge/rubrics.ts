// Rubrics: named, versioned judge prompts with their criteria. A version never changes once saved; saving a changed
// definition makes the next version of its name, saving the latest one again makes nothing. The built-in default rubric
// is "default" version 1. Judge runs name the version they judge with, and each score keeps it.
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import {
  defaultRubricRow,
  findRubricRow,
  insertRubricVersion,
  listRubricRows,
  rubricRowsNamed,
  rubricVersionNumbers,
  type RubricRow,
} from "@/lib/db/rubrics";
import { AppError } from "@/lib/errors";
import { fieldIssuesError } from "@/lib/validation/issues";
import { DEFAULT_RUBRIC_NAME } from "@/lib/validation/rubrics";
import { criteriaOf, type RubricDefinition } from "./rubric";

/** A criterion as the API shows it: the same shape POST /api/v1/rubrics takes, so a version can be sent back edited. */
export interface RubricCriterionView {
  name: string;
  label: string;
  description: string;
  min: number;
  max: number;
  labels?: Record<string, string>;
}

export interface RubricVersionView {
  name: string;
  version: number;
  systemPrompt: string;
  criteria: RubricCriterionView[];
  /** The JSON schema the judge's answer must follow (sent as response_format). */
  jsonSchema: Record<string, unknown>;
  createdAt: string;
  /** Who saved it; null for the built-in default. */
  createdBy: string | null;
  /** Judge runs that used this version. */
  judgeRuns: number;
  /** Whether any interaction has a score of this version. */
  scored: boolean;
  /** Used by a judge run or a score. */
  used: boolean;
}

export interface RubricSummary {
  name: string;
  latestVersion: number;
  /** Newest first. */
  versions: (Omit<RubricVersionView, "systemPrompt" | "criteria" | "jsonSchema"> & { criteria: string[] })[];
}

function view(row: RubricRow): RubricVersionView {
  return {
    name: row.name,
    version: row.version,
    systemPrompt: row.prompt,
    criteria: criteriaOf(row.criteria).map(({ key, ...rest }) => ({ name: key, ...rest })),
    jsonSchema: (row.jsonSchema ?? {}) as Record<string, unknown>,
    createdAt: new Date(row.createdAt).toISOString(),
    createdBy: row.createdBy,
    judgeRuns: row.judgeRuns,
    scored: row.scored,
    used: row.judgeRuns > 0 || row.scored,
  };
}

/** Every version of every rubric as full views, by name, newest version first (the default rubric is made on first use). */
export async function listRubricVersions(): Promise<RubricVersionView[]> {
  await defaultRubricRow();
  return (await listRubricRows()).map(view);
}

/** Every rubric name with its versions, newest first, and what uses each. */
export async function listRubrics(): Promise<RubricSummary[]> {
  const byName = new Map<string, RubricSummary>();
  for (const v of await listRubricVersions()) {
    const summary = byName.get(v.name) ?? { name: v.name, latestVersion: v.version, versions: [] };
    const { systemPrompt: _p, jsonSchema: _s, criteria, ...rest } = v;
    summary.versions.push({ ...rest, criteria: criteria.map((c) => c.name) });
    byName.set(v.name, summary);
  }
  return [...byName.values()];
}

/** One rubric's versions with their whole definitions, newest first. */
export async function getRubric(name: string): Promise<{ name: string; versions: RubricVersionView[] }> {
  if (name === DEFAULT_RUBRIC_NAME) await defaultRubricRow();
  const versions = (await rubricRowsNamed(name)).map(view);
  if (versions.length === 0) throw new AppError("NOT_FOUND", `No rubric is called "${name}". GET /api/v1/rubrics lists them.`);
  return { name, versions };
}

/** Saves a definition as version 1 or the next version of its name; the same as the latest version: that one, nothing saved. */
export async function createRubric(
  identity: Identity,
  definition: RubricDefinition,
): Promise<{ rubric: RubricVersionView; created: boolean }> {
  // "default" v1 is the built-in rubric: a definition named "default" is its next version, never a second v1.
  if (definition.name === DEFAULT_RUBRIC_NAME) await defaultRubricRow();
  const saved = await insertRubricVersion(definition, identity.userId, {
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    action: "rubric.create",
  });
  const rubric = (await rubricRowsNamed(definition.name)).find((r) => r.version === saved.version)!;
  return { rubric: view(rubric), created: saved.created };
}

/** The stored version a judge run or a try names (default: "default", latest version); 400 naming the field when unknown. */
export async function resolveRubricVersion(
  name: string | undefined,
  version: number | undefined,
  fields: { name: string; version: string } = { name: "rubric", version: "rubricVersion" },
) {
  const wanted = name ?? DEFAULT_RUBRIC_NAME;
  if (wanted === DEFAULT_RUBRIC_NAME) await defaultRubricRow();
  const row = await findRubricRow(wanted, version);
  if (row) return row;
  const versions = await rubricVersionNumbers(wanted);
  if (versions.length === 0)
    throw fieldIssuesError([
      { field: fields.name, message: `no rubric is called "${wanted}"; save it on the Rubrics page or with POST /api/v1/rubrics` },
    ]);
  throw fieldIssuesError([
    {
      field: fields.version,
      message: `rubric "${wanted}" has no version ${version}; its versions are ${[...versions].reverse().join(", ")}`,
    },
  ]);
}

/** A stored rubric row as the judge takes it. */
export function rubricDefinitionOf(row: { name: string; prompt: string; criteria: unknown }): RubricDefinition {
  return { name: row.name, systemPrompt: row.prompt, criteria: criteriaOf(row.criteria) };
}
