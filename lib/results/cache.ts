// Results cached in this process per experiment, keyed by the experiment's design and data version
// (lib/db/resultsVersion.ts): a repeat view with no new data costs one indexed read; new interactions, judge scores or
// a design change make the next view recompute. Concurrent views of stale results share one computation.
import type { ResultsCacheKey } from "@/lib/db/resultsVersion";
import type { ExperimentResults } from "./types";

interface Entry {
  stamp: string;
  results: Promise<ExperimentResults>;
}

/** Experiments kept; the least recently viewed one leaves first. */
const LIMIT = 200;
const entries = new Map<string, Entry>();

/** The cached results for this key, or `compute()`'s (then kept) when the key's stamp changed. */
export function cachedResults(key: ResultsCacheKey, compute: () => Promise<ExperimentResults>): Promise<ExperimentResults> {
  const hit = entries.get(key.experimentId);
  if (hit && hit.stamp === key.stamp) {
    entries.delete(key.experimentId);
    entries.set(key.experimentId, hit);
    return hit.results;
  }
  const results = compute();
  const entry = { stamp: key.stamp, results };
  entries.delete(key.experimentId);
  entries.set(key.experimentId, entry);
  // A failed computation is not kept: the next view tries again.
  results.catch(() => {
    if (entries.get(key.experimentId) === entry) entries.delete(key.experimentId);
  });
  while (entries.size > LIMIT) entries.delete(entries.keys().next().value!);
  return results;
}

/** Forgets every cached result (tests and benchmarks measuring a cold view). */
export function clearResultsCache(): void {
  entries.clear();
}
