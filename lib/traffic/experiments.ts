// An experiment as traffic sees it: the assignment settings plus each variant's settings, read from the database.
import { db } from "@/lib/db/client";
import type { AssignmentSettings, TargetingCondition } from "@/lib/assignment";
import type { ExperimentStatus } from "@/lib/generated/prisma/enums";

/** A managed endpoint as the gateway needs it; its API key stays encrypted until the gateway sends it (to this endpoint only). */
export interface TrafficEndpoint {
  id: string;
  name: string;
  baseUrl: string;
  apiKeyEncrypted: string | null;
  defaultModel: string | null;
}

export interface TrafficVariant {
  id: string;
  key: string;
  name: string;
  isControl: boolean;
  weight: number;
  /** Everything the gateway needs, endpoint included: never sent to a caller. */
  config: Record<string, unknown>;
  endpointId: string | null;
  /** The managed endpoint that serves the variant (config.endpointId), if any. */
  endpoint: TrafficEndpoint | null;
}

export interface TrafficExperiment {
  id: string;
  key: string;
  name: string;
  status: ExperimentStatus;
  gatewayEnabled: boolean;
  /** True once the weights have changed since the experiment was created: kept variants may then differ from the hash. */
  splitChanged: boolean;
  settings: AssignmentSettings;
  variants: TrafficVariant[];
}

/** The variant settings an app may see: all of its configuration but where it is served from. */
export function publicVariantConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { endpoint: _endpoint, endpointId: _endpointId, ...rest } = config;
  return rest;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The experiment with this key as traffic needs it, or null (archived experiments included: they are not running). */
export async function loadTrafficExperiment(key: string): Promise<TrafficExperiment | null> {
  const e = await db().experiment.findUnique({
    where: { key },
    include: {
      variants: {
        orderBy: { position: "asc" },
        include: { endpoint: { select: { id: true, name: true, baseUrl: true, apiKeyEncrypted: true, defaultModel: true } } },
      },
    },
  });
  if (!e) return null;
  const variants: TrafficVariant[] = e.variants.map((v) => ({
    id: v.id,
    key: v.key,
    name: v.name,
    isControl: v.isControl,
    weight: v.weight,
    config: record(v.config),
    endpointId: v.endpointId,
    endpoint: v.endpoint,
  }));
  const forced = record(e.forcedVariants);
  const splitChanged = (await db().auditEvent.count({ where: { experimentId: e.id, action: "traffic.weights" } })) > 0;
  return {
    id: e.id,
    key: e.key,
    name: e.name,
    status: e.status,
    gatewayEnabled: e.gatewayEnabled,
    splitChanged,
    variants,
    settings: {
      key: e.key,
      running: e.status === "RUNNING" && e.archivedAt === null,
      hashingSalt: e.hashingSalt,
      coverage: e.coverage,
      variants: variants.map((v) => ({ key: v.key, weight: v.weight, isControl: v.isControl })),
      forcedVariants: Object.fromEntries(Object.entries(forced).filter((entry): entry is [string, string] => typeof entry[1] === "string")),
      killSwitch: { on: e.killSwitchOn, variant: e.killSwitchVariant },
      targeting: Array.isArray(e.targeting) ? (e.targeting as unknown as TargetingCondition[]) : [],
      shipped: e.status === "DECIDED" ? e.shipVariantKey : null,
    },
  };
}

/** What GET /api/v1/experiments/{key}/config serves: what a local client needs to assign exactly as the server does. */
export function clientConfig(e: TrafficExperiment) {
  return {
    experiment: e.key,
    status: e.status,
    settings: e.settings,
    variants: e.variants.map((v) => ({
      key: v.key,
      name: v.name,
      isControl: v.isControl,
      weight: v.weight,
      config: publicVariantConfig(v.config),
    })),
  };
}
export type ClientConfig = ReturnType<typeof clientConfig>;
