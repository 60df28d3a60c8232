// The demo as `npm start` leaves it (the test stack starts with the demo): its running experiment served through the
// gateway by the built-in simulator, with thousands of interactions produced that way, visible to the explorer's API.
import { describe, expect, it } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { sql } from "../support/interactionRows";

describe("the demo's traffic", () => {
  it("thousands of interactions came through the gateway, from both variants, with latency, tokens, cost and (streamed) TTFT", async () => {
    const rows = await sql<{ variant: string; n: number; latency: number; ttft: number; tokens: number; cost: number; users: number }>(
      `SELECT v.key AS variant, count(*)::int AS n, count(i."latencyMs")::int AS latency, count(i."ttftMs")::int AS ttft,
              count(i."completionTokens")::int AS tokens, count(i.cost)::int AS cost, count(DISTINCT i."userId")::int AS users
         FROM "Interaction" i JOIN "Variant" v ON v.id = i."variantId" JOIN "Experiment" e ON e.id = i."experimentId"
        WHERE e.key = 'support-persona-structured' AND i.source = 'GATEWAY' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.map((r) => r.variant)).toEqual(["A", "B"]);
    const total = rows.reduce((s, r) => s + r.n, 0);
    expect(total).toBeGreaterThanOrEqual(2000);
    for (const r of rows) {
      expect(r.n).toBeGreaterThan(total * 0.35);
      expect(r.latency).toBe(r.n);
      // Half the demo's requests stream; only a streamed answer has a first token to time.
      expect(r.ttft).toBeGreaterThan(r.n * 0.3);
      expect(r.ttft).toBeLessThan(r.n * 0.7);
      expect(r.tokens).toBe(r.n);
      expect(r.cost).toBe(r.n);
    }
    // One user, one variant: the gateway assigned them stickily.
    const split = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT i."userId" FROM "Interaction" i JOIN "Experiment" e ON e.id = i."experimentId"
        WHERE e.key = 'support-persona-structured' AND i.source = 'GATEWAY' GROUP BY 1 HAVING count(DISTINCT i."variantId") > 1) x`,
    );
    expect(split[0].n).toBe(0);
  });

  it("the explorer lists them, the demo endpoint has no key, the key that sent them is revoked, and the gateway still answers", async () => {
    const creds = await demoCredentials();
    const list = await api("/api/v1/experiments/support-persona-structured/interactions?limit=5", { key: creds.ENGINEER.key });
    expect(list.status, list.text).toBe(200);
    expect(list.json.interactions).toHaveLength(5);
    const endpoints = await api("/api/v1/endpoints", { key: creds.ENGINEER.key });
    expect(endpoints.json.endpoints.find((e: { name: string }) => e.name === "Built-in simulator")).toMatchObject({ apiKeySet: false });
    const keys = await sql<{ revoked: boolean }>(`SELECT "revokedAt" IS NOT NULL AS revoked FROM "ApiKey" WHERE name LIKE 'demo traffic%'`);
    expect(keys).toEqual([{ revoked: true }]);
    const res = await api("/api/v1/gateway/support-persona-structured/chat/completions", {
      key: creds.ENGINEER.key,
      body: { messages: [{ role: "user", content: "How do I reset my password?" }], user: "demo-check" },
    });
    expect(res.status, res.text).toBe(200);
    expect(["A", "B"]).toContain(res.headers.get("x-assay-variant"));
    expect(res.json.choices[0].message.content.length).toBeGreaterThan(0);
  });
});
