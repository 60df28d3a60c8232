// Journey: a PM saves a random sample of a running experiment's interactions as a dataset from its results page, finds
// it on the Datasets page, and downloads it as JSONL with one {input, output, metadata} line per interaction.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible } from "../support/axe";

let browser: Browser;
const key = `dataset-page-${Date.now().toString(36)}`;

beforeAll(async () => {
  browser = await launchBrowser();
  const creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  const body = Array.from({ length: 12 }, (_, i) => ({
    request_id: `${key}-${i}`,
    user_id: `u${i}`,
    experiment_key: key,
    variant_id: i % 2 ? "B" : "A",
    user_input: `question ${i}`,
    model_output: `answer ${i}`,
  }));
  expect((await api("/api/v1/interactions", { key: creds.ENGINEER.key, body })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

it("a PM saves a sample as a dataset from the results page and downloads it", async () => {
  const { context, page } = await signedInPage(browser, "pm@assay.local");
  await page.goto(`${baseUrl()}/experiments/${key}/results`);
  await page.getByLabel("Dataset name").fill(`Sample of ${key}`);
  await page.getByLabel("Pick").selectOption("random");
  await page.getByLabel("At most").fill("5");
  await page.getByRole("button", { name: "Save as dataset" }).click();
  await expect.poll(() => textOf(page.getByTestId("dataset-saved"))).toContain(`Saved “Sample of ${key}” with 5 interactions.`);
  await page.getByRole("link", { name: "All datasets" }).click();
  await page.waitForURL((u) => u.pathname === "/datasets");
  const row = page.getByTestId("dataset").filter({ hasText: `Sample of ${key}` });
  expect(await textOf(row)).toContain("5 interactions · a random sample from");
  await expectAccessible(page, "the Datasets page");
  await screenshot(page, "datasets-page");
  const href = await row.getByRole("link", { name: "Download (JSONL)" }).getAttribute("href");
  const res = await page.request.get(`${baseUrl()}${href}`);
  expect(res.status()).toBe(200);
  const lines = (await res.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(5);
  for (const l of lines) {
    expect(l.input).toMatch(/^question \d+$/);
    expect(l.output).toBe(l.input.replace("question", "answer"));
    expect(l.metadata.request_id).toMatch(new RegExp(`^${key}-\\d+$`));
  }
  await context.close();
});
