// The demo's traffic: the built-in simulator serves the demo's running experiment through Assay's own gateway, and on the
// first start thousands of chat completions are sent through that gateway (real HTTP all the way), so the explorer and the
// results have interactions to show. The simulator runs as long as `npm start` does; its endpoint is pointed at it on
// every start.
import { randomBytes } from "node:crypto";
import { apiKeyPrefix, hashApiKey } from "@/lib/auth/apiKeys";
import { db } from "@/lib/db/client";
import { startSimulator, type RunningSimulator } from "@/lib/simulator";

export const DEMO_GATEWAY_EXPERIMENT = "support-persona-structured";
export const DEMO_ENDPOINT_NAME = "Built-in simulator";
const DEMO_ENGINEER = "engineer@assay.local";

const QUESTIONS = [
  "How do I reset my password?",
  "My order has not arrived yet, what can I do?",
  "Can I change the email address on my account?",
  "Why was I charged twice this month?",
  "How do I cancel my subscription?",
  "The app crashes when I open settings. Any idea?",
  "Where can I download my invoices?",
  "How do I add a second user to my plan?",
  "Is there a way to export my data?",
  "I forgot my username, how do I log in?",
  "Can I get a refund for an unused month?",
  "How do I turn on two-factor authentication?",
];

export interface DemoTraffic {
  simulator: RunningSimulator;
  stop(): Promise<void>;
}

/** Starts the simulator and points the demo endpoint, and the demo's running experiment, at it. */
export async function startDemoSimulator(): Promise<DemoTraffic> {
  const experiment = await db().experiment.findUnique({ where: { key: DEMO_GATEWAY_EXPERIMENT }, include: { variants: true } });
  const models = [
    ...new Set((experiment?.variants ?? []).map((v) => (v.config as { model?: string }).model).filter((m): m is string => Boolean(m))),
  ];
  const simulator = await startSimulator({
    port: 0,
    host: "127.0.0.1",
    ttftMs: 12,
    itlMs: 1,
    jitter: 0.3,
    maxConcurrency: 64,
    seed: 2026,
    models: models.length ? models : undefined,
  });
  const baseUrl = `${simulator.url}/v1`;
  const found = await db().endpoint.findUnique({ where: { name: DEMO_ENDPOINT_NAME } });
  // The simulator takes no key.
  const endpoint = found
    ? await db().endpoint.update({
        where: { id: found.id },
        data: { baseUrl, ...(found.defaultModel ? {} : { defaultModel: models[0] ?? null }) },
      })
    : await db().endpoint.create({ data: { name: DEMO_ENDPOINT_NAME, baseUrl, apiKeyEncrypted: null, defaultModel: models[0] ?? null } });
  if (experiment) {
    await db().$transaction(async (tx) => {
      await tx.experiment.update({ where: { id: experiment.id }, data: { gatewayEnabled: true } });
      for (const v of experiment.variants) {
        const config = { ...(v.config as Record<string, unknown>) };
        if (config.endpointId === endpoint.id && v.endpointId === endpoint.id) continue;
        delete config.endpoint;
        config.endpointId = endpoint.id;
        await tx.variant.update({ where: { id: v.id }, data: { config: config as object, endpointId: endpoint.id } });
      }
    });
  }
  return { simulator, stop: () => simulator.close() };
}

/** Sends `requests` chat completions through the gateway as `users` demo users, `concurrency` at a time; returns how many succeeded. */
export async function sendDemoTraffic(
  webUrl: string,
  opts: { requests?: number; users?: number; concurrency?: number } = {},
): Promise<number> {
  const requests = opts.requests ?? 2400;
  const users = opts.users ?? 400;
  const engineer = await db().user.findUnique({ where: { email: DEMO_ENGINEER } });
  if (!engineer) return 0;
  // A key of the demo engineer's, for this run only: revoked when the traffic is sent.
  const key = `assay_${randomBytes(32).toString("base64url")}`;
  const record = await db().apiKey.create({
    data: {
      name: "demo traffic (revoked after the first start)",
      prefix: apiKeyPrefix(key),
      keyHash: hashApiKey(key),
      role: engineer.role,
      scopes: ["*"],
      userId: engineer.id,
    },
  });
  let ok = 0;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: opts.concurrency ?? 24 }, async () => {
        while (next < requests) {
          const i = next++;
          const res = await fetch(`${webUrl}/api/v1/gateway/${DEMO_GATEWAY_EXPERIMENT}/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({
              messages: [{ role: "user", content: QUESTIONS[i % QUESTIONS.length] }],
              user: `demo-user-${i % users}`,
              max_tokens: 48,
              stream: i % 2 === 0,
            }),
          }).catch(() => null);
          if (res?.ok) ok++;
          await res?.arrayBuffer().catch(() => undefined);
        }
      }),
    );
  } finally {
    await db().apiKey.update({ where: { id: record.id }, data: { revokedAt: new Date() } });
  }
  return ok;
}
