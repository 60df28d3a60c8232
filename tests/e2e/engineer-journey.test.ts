// Journey: an engineer creates an API key and an endpoint on their pages, sends interactions with that key (through the
// gateway to the endpoint, and to the ingestion API), and finds them in the interaction explorer.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { startSimulator, type RunningSimulator } from "@/lib/simulator";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";

const RUN = Date.now().toString(36);
const KEY = `journey-${RUN}`;
let browser: Browser;
let sim: RunningSimulator;

beforeAll(async () => {
  browser = await launchBrowser();
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1, jitter: 0, models: ["llama-4-scout"] });
});
afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

describe("an engineer's first traffic", () => {
  it("creates a key and an endpoint, sends interactions through the gateway and the ingestion API, and finds them in the explorer", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 1280, height: 900 });
    try {
      // 1. An API key, from Settings > API keys.
      await page.goto(`${baseUrl()}/settings/api-keys`);
      await page.getByLabel("Name (what will use it)").fill(`support bot ${RUN}`);
      await page.getByRole("button", { name: "Create key" }).click();
      const key = (await textOf(page.getByTestId("new-api-key"))).trim();
      expect(key).toMatch(/^assay_/);

      // 2. An endpoint, from Settings > Endpoints: the simulator, standing in for a vLLM server.
      await page.goto(`${baseUrl()}/settings/endpoints`);
      const form = page.getByRole("region", { name: "Add an endpoint" });
      await form.getByLabel("Name").fill(`sim-${RUN}`);
      await form.getByLabel("Base URL").fill(`${sim.url}/v1`);
      await form.getByLabel("API key (optional)").fill(`sk-journey-${RUN}`);
      await form.getByRole("button", { name: "Add endpoint" }).click();
      await expect
        .poll(async () => (await api("/api/v1/endpoints", { key })).json?.endpoints?.some((e: { name: string }) => e.name === `sim-${RUN}`))
        .toBe(true);
      const endpoint = (await api("/api/v1/endpoints", { key })).json.endpoints.find((e: { name: string }) => e.name === `sim-${RUN}`);

      // The PM's experiment serves through the gateway to that endpoint.
      const body = minimalExperimentBody(KEY);
      Object.assign(body, { gatewayEnabled: true });
      for (const v of body.variants) Object.assign(v.config, { endpointId: endpoint.id });
      const made = await api("/api/v1/experiments", { key: inject("apiKey"), body });
      expect(made.status, made.text).toBe(201);
      expect((await api(`/api/v1/experiments/${KEY}/start`, { key: inject("apiKey"), body: {} })).status).toBe(200);

      // 3. Interactions: six chat completions through the gateway with the official client, and two logged directly.
      const openai = new OpenAI({ baseURL: `${baseUrl()}/api/v1/gateway/${KEY}`, apiKey: key });
      const viaGateway: string[] = [];
      for (let i = 0; i < 6; i++) {
        const { data, response } = await openai.chat.completions
          .create({
            model: "ignored",
            messages: [{ role: "user", content: `Journey question ${i}: where is my parcel?` }],
            user: `journey-user-${i}`,
          })
          .withResponse();
        expect(data.choices[0].message.content?.length).toBeGreaterThan(0);
        viaGateway.push(response.headers.get("x-assay-request-id")!);
      }
      const logged = await api("/api/v1/interactions", {
        key,
        body: [0, 1].map((i) => ({
          request_id: `journey-log-${i}`,
          user_id: `journey-user-${i}`,
          experiment_key: KEY,
          variant_id: "B",
          latency_ms: 800,
          user_input: `Logged journey question ${i}`,
        })),
      });
      expect(logged.json).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

      // 4. The explorer shows all eight; a search finds the logged ones.
      await page.goto(`${baseUrl()}/experiments/${KEY}`);
      await page.getByRole("link", { name: "Interactions", exact: true }).click();
      const table = page.getByTestId("interactions-table");
      const ids = () => table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-request-id")));
      await expect.poll(async () => (await ids()).length, { timeout: 15_000, interval: 500 }).toBe(8);
      expect(new Set(await ids())).toEqual(new Set([...viaGateway, "journey-log-0", "journey-log-1"]));
      await page.getByLabel("Search text").fill("Logged journey");
      await page.getByRole("button", { name: "Apply filters" }).click();
      // Both were stored by one statement at the same moment, so their order is the id's, not the request's.
      await expect.poll(async () => (await ids()).sort()).toEqual(["journey-log-0", "journey-log-1"]);
      await screenshot(page, "engineer-journey-explorer");
    } finally {
      await context.close();
    }
  });
});
