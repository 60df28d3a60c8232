// Assignment as the data plane serves it: the pure decision (lib/assignment) over the cached experiment, with the
// server-side sticky store and exposure recording.
import { assign, type Attributes, type AssignmentResult } from "@/lib/assignment";
import { AppError } from "@/lib/errors";
import { publicVariantConfig, type TrafficExperiment } from "@/lib/traffic/experiments";
import type { ExposureRecorder, ExposureSource } from "./exposures";
import type { StickyStore } from "./sticky";

export interface AssignedUser {
  userId: string;
  variant: string;
  inExperiment: boolean;
  reason: AssignmentResult["reason"];
  config: Record<string, unknown>;
}

// Each cached experiment's public variant settings, made once.
const publicConfigCache = new WeakMap<TrafficExperiment, Map<string, Record<string, unknown>>>();
function publicConfigs(e: TrafficExperiment): Map<string, Record<string, unknown>> {
  let m = publicConfigCache.get(e);
  if (!m) {
    m = new Map(e.variants.map((v) => [v.key, publicVariantConfig(v.config)]));
    publicConfigCache.set(e, m);
  }
  return m;
}

/** Assigns users of one experiment: one read of kept assignments and at most one write, whatever the number of users. */
export async function assignUsers(
  experiment: TrafficExperiment,
  users: readonly { userId: string; attributes?: Attributes }[],
  deps: { sticky: StickyStore; exposures: ExposureRecorder; source: ExposureSource },
): Promise<AssignedUser[]> {
  const { settings } = experiment;
  // Rules before the sticky one need no database: evaluate without a kept variant first.
  const first = users.map((u) => assign(settings, { userId: u.userId, attributes: u.attributes }));
  const needsLookup = users.filter((_, i) => first[i].reason === "notTargeted" || (first[i].reason === "hash" && !first[i].inExperiment));
  const kept = needsLookup.length
    ? await deps.sticky.find(
        experiment.id,
        needsLookup.map((u) => u.userId),
      )
    : new Map<string, string>();
  const toKeep = users.flatMap((u, i) => (first[i].remember ? [{ userId: u.userId, variant: first[i].variant }] : []));
  // While the split has never changed, a kept variant can only be the one the hash gives now (coverage grows ranges from
  // their start, and users outside them take the lookup above): the first assignment is then kept without waiting for the
  // write. Once the weights have changed, the answer waits for the kept row, which may name another variant.
  const keptNow = experiment.splitChanged
    ? await deps.sticky.keep(experiment.id, toKeep)
    : deps.sticky.keepInBackground(experiment.id, toKeep);
  const results = users.map((u, i): AssignmentResult => {
    const r = first[i];
    const prior = kept.get(u.userId);
    if (prior !== undefined) return assign(settings, { userId: u.userId, attributes: u.attributes, sticky: prior });
    if (r.remember) {
      const k = keptNow.get(u.userId);
      if (k && !k.inserted) return assign(settings, { userId: u.userId, attributes: u.attributes, sticky: k.variant });
    }
    return r;
  });
  const configs = publicConfigs(experiment);
  const now = new Date();
  deps.exposures.record(
    results.map((r, i) => ({
      experimentId: experiment.id,
      userId: users[i].userId,
      variant: r.variant,
      inExperiment: r.inExperiment,
      reason: r.reason,
      source: deps.source,
      at: now,
    })),
  );
  return results.map((r, i) => ({
    userId: users[i].userId,
    variant: r.variant,
    inExperiment: r.inExperiment,
    reason: r.reason,
    config: configs.get(r.variant) ?? {},
  }));
}

export function experimentNotFound(key: string): AppError {
  return new AppError("NOT_FOUND", `No experiment has the key "${key}". Check the key on the experiment's page.`);
}
