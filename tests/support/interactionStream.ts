import { expect } from "vitest";
import { api } from "./http";

export interface StreamValues {
  latency_ms: number;
  metrics: Record<string, number>;
}

/**
 * Sends interactions for experiment `key` through the ingestion API, as an application would: each one its own request
 * id and user; `values(variant, i, id)` gives its latency and metrics (i counts within the variant's batch, id across
 * the stream). Returns the sender: `send(n)` posts n per variant (A then B), in requests of at most 5,000.
 */
export function interactionStream(key: string, apiKey: () => string, values: (variant: "A" | "B", i: number, id: number) => StreamValues) {
  let sent = 0;
  return async (n: number) => {
    const records = (["A", "B"] as const).flatMap((variant) =>
      Array.from({ length: n }, (_, i) => {
        const id = sent++;
        return {
          request_id: `${key}-${id}`,
          user_id: `${key}-u${id}`,
          experiment_key: key,
          variant_id: variant,
          ...values(variant, i, id),
        };
      }),
    );
    for (let i = 0; i < records.length; i += 5000) {
      const res = await api("/api/v1/interactions", { key: apiKey(), body: records.slice(i, i + 5000) });
      expect(res.status, res.text).toBe(200);
    }
  };
}

/** `ingest(n, slower)`: n per variant with a spread of latencies (800-1196 ms), B's times `slower`; helpfulness 3-5. */
export function latencyStream(key: string, apiKey: () => string) {
  let slowerNow = 1;
  const send = interactionStream(key, apiKey, (variant, _i, id) => ({
    latency_ms: Math.round((800 + (id % 100) * 4) * (variant === "B" ? slowerNow : 1)),
    metrics: { helpfulness: 3 + (id % 3) },
  }));
  return async (n: number, slower = 1) => {
    slowerNow = slower;
    await send(n);
  };
}

/** `ingest(n, successes)`: n per variant, the first `successes[v]` of each variant's batch resolved (1), the rest 0. */
export function resolvedStream(key: string, apiKey: () => string) {
  let successesNow = { A: 0, B: 0 };
  const send = interactionStream(key, apiKey, (variant, i) => ({
    latency_ms: 900,
    metrics: { resolved: i < successesNow[variant] ? 1 : 0 },
  }));
  return async (n: number, successes: { A: number; B: number }) => {
    successesNow = successes;
    await send(n);
  };
}
