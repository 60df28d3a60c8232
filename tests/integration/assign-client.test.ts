// 100,000 users through the assign API, the local client and the OpenFeature provider: the same variant for every user
// from all three, a split that matches the weights (chi-square), and after a weight change the users already assigned keep
// their variant everywhere while new users follow the new weights.
import { OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AssayClient } from "@/lib/client";
import { AssayProvider } from "@/lib/client/openFeature";
import { chiSquareGoodnessOfFit } from "@/lib/stats/chiSquare";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { demoCredentials } from "../support/roles";

const KEY = `client-${Date.now().toString(36)}`;
const N = 100_000;
const users = Array.from({ length: N }, (_, i) => `user-${i}`);
let creds: Awaited<ReturnType<typeof demoCredentials>>;
let client: AssayClient;
let provider: AssayProvider;

async function viaApi(ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const res = await api("/api/v1/assign/batch", {
      key: creds.ENGINEER.key,
      body: { experiment: KEY, users: ids.slice(i, i + 1000).map((userId) => ({ userId })) },
    });
    expect(res.status, res.text).toBe(200);
    for (const a of res.json.assignments) out.push(a.variant);
  }
  return out;
}

async function viaProvider(ids: string[]): Promise<string[]> {
  const of = OpenFeature.getClient("assign-client-test");
  const out: string[] = [];
  for (const id of ids) out.push(await of.getStringValue(KEY, "fallback", { targetingKey: id }));
  return out;
}

const split = (variants: string[]) => [variants.filter((v) => v === "A").length, variants.filter((v) => v === "B").length];

beforeAll(async () => {
  creds = await demoCredentials();
  const body = minimalExperimentBody(KEY);
  body.variants[0].weight = 70;
  body.variants[1].weight = 30;
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${KEY}/start`, { key: inject("apiKey"), body: {} })).status).toBe(200);
  client = new AssayClient({ baseUrl: baseUrl(), apiKey: creds.ENGINEER.key, refreshMs: 0, sendExposures: false });
  await client.load(KEY);
  provider = new AssayProvider({ baseUrl: baseUrl(), apiKey: creds.ENGINEER.key, refreshMs: 0, sendExposures: false }, [KEY]);
  await OpenFeature.setProviderAndWait(provider);
});
afterAll(async () => {
  await client?.close();
  await OpenFeature.close();
});

describe("the API, the local client and the OpenFeature provider", () => {
  it("give every one of 100,000 users the same variant, split 70/30 (chi-square p > 0.001), the same on a second call", async () => {
    const fromApi = await viaApi(users);
    const fromClient = users.map((u) => client.assign(KEY, u).variant);
    const fromProvider = await viaProvider(users);
    expect(fromClient).toEqual(fromApi);
    expect(fromProvider).toEqual(fromApi);
    const [a, b] = split(fromApi);
    expect(a + b).toBe(N);
    expect(chiSquareGoodnessOfFit([a, b], [70, 30]).pValue).toBeGreaterThan(0.001);
    expect(await viaApi(users.slice(0, 5000))).toEqual(fromApi.slice(0, 5000));
    const details = await OpenFeature.getClient().getStringDetails(KEY, "fallback", { targetingKey: users[0] });
    expect(details).toMatchObject({ value: fromApi[0], variant: fromApi[0], flagMetadata: { inExperiment: true, assayReason: "sticky" } });
    const settings = await OpenFeature.getClient().getObjectValue(KEY, {}, { targetingKey: users[0] });
    expect((settings as { systemPrompt: string }).systemPrompt).toContain(fromApi[0] === "A" ? "helpful customer support agent" : "Acme");
  }, 240_000);

  it("after the split changes to 20/80, assigned users keep their variant everywhere; new users follow 20/80 and agree", async () => {
    const before = await viaApi(users.slice(0, 20_000));
    const changed = await api(`/api/v1/experiments/${KEY}/traffic`, {
      method: "PATCH",
      key: creds.PM.key,
      body: { weights: { A: 20, B: 80 } },
    });
    expect(changed.status, changed.text).toBe(200);
    await client.refresh();
    await provider.client.refresh();
    expect(await viaApi(users.slice(0, 20_000))).toEqual(before);
    expect(users.slice(0, 20_000).map((u) => client.assign(KEY, u).variant)).toEqual(before);
    expect(await viaProvider(users.slice(0, 20_000))).toEqual(before);

    const fresh = Array.from({ length: 20_000 }, (_, i) => `fresh-${i}`);
    const freshApi = await viaApi(fresh);
    expect(fresh.map((u) => client.assign(KEY, u).variant)).toEqual(freshApi);
    expect(await viaProvider(fresh)).toEqual(freshApi);
    expect(chiSquareGoodnessOfFit(split(freshApi), [20, 80]).pValue).toBeGreaterThan(0.001);
  }, 240_000);

  it("the client's exposures reach the server, and keep its first assignments there", async () => {
    const reporting = new AssayClient({ baseUrl: baseUrl(), apiKey: creds.ENGINEER.key, refreshMs: 0 });
    await reporting.load(KEY);
    const local = Array.from({ length: 1500 }, (_, i) => reporting.assign(KEY, `local-only-${i}`));
    await reporting.close();
    const answers = await api("/api/v1/assign/batch", {
      key: creds.ENGINEER.key,
      body: { experiment: KEY, users: local.slice(0, 1000).map((_, i) => ({ userId: `local-only-${i}` })) },
    });
    answers.json.assignments.forEach((a: { variant: string; reason: string }, i: number) => {
      expect(a.variant).toBe(local[i].variant);
      expect(a.reason).toBe("sticky");
    });
  });

  it("an unloaded experiment is the provider's default with FLAG_NOT_FOUND; a missing user id TARGETING_KEY_MISSING", async () => {
    const of = OpenFeature.getClient();
    expect(await of.getStringDetails("not-loaded", "fallback", { targetingKey: "u" })).toMatchObject({
      value: "fallback",
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(await of.getStringDetails(KEY, "fallback", {})).toMatchObject({ value: "fallback", errorCode: "TARGETING_KEY_MISSING" });
    expect(await of.getBooleanDetails(KEY, false, { targetingKey: "u" })).toMatchObject({ value: false, errorCode: "TYPE_MISMATCH" });
  });
});
