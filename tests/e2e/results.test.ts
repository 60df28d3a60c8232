// Journey: a PM reads the four-candidate demo's results (sentences, intervals, the split check, the sample against the
// plan); on a running experiment of their own they switch the correction to Benjamini-Hochberg and sequential tests, and
// the page and the audit timeline say so. The numbers on the
// page are the results API's, which the integration tier checks against scipy.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible } from "../support/axe";

const KEY = "support-four-candidates";
let browser: Browser;
let creds: Awaited<ReturnType<typeof demoCredentials>>;

beforeAll(async () => {
  browser = await launchBrowser();
  creds = await demoCredentials();
});
afterAll(async () => {
  await browser?.close();
});

describe.sequential("the results page", () => {
  it("reads the four candidates in words, with the split check and the sample so far", async () => {
    const api1 = await api(`/api/v1/experiments/${KEY}/results`, { key: creds.REVIEWER.key });
    expect(api1.status, api1.text).toBe(200);
    const helpfulness = api1.json.metrics.find((m: { metric: string }) => m.metric === "Helpfulness");
    const b = helpfulness.comparisons.find((c: { variant: string }) => c.variant === "B");
    expect(b.significant).toBe(true);

    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}/results`);
    const card = page.locator('[data-testid="metric-result"][data-metric="Helpfulness"]');
    const sentences = await textOf(card.getByTestId("metric-sentences"));
    // The sentence carries the API's own lift, rounded to two significant digits.
    const lift = `+${Number((b.relLift * 100).toPrecision(2))}%`;
    expect(sentences).toContain(`B improves Helpfulness: ${lift}`);
    expect(sentences).toContain("significant after correction");
    const safety = await textOf(page.locator('[data-testid="metric-result"][data-metric="Safety score"]').getByTestId("metric-sentences"));
    expect(safety).toMatch(/D worsens Safety score: −[\d.]+%.*not shown to stay within its 1% margin/);
    expect(await textOf(page.getByTestId("srm-status"))).toContain("Split check passed");
    expect(await page.getByTestId("interval-chart").count()).toBe(4);
    expect(await textOf(page.getByTestId("analysis-reading"))).toContain("Holm's correction");
    await screenshot(page, "results-four-candidates");
    await expectAccessible(page, "the results page");

    await context.close();
  });

  it("at 390 px the cards stack and nothing is cut off", async () => {
    const { context, page } = await signedInPage(browser, "reviewer@assay.local", { width: 390, height: 844 });
    await page.goto(`${baseUrl()}/experiments/${KEY}/results`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // A reviewer reads the settings but has no form to change them.
    expect(await page.getByRole("button", { name: "Save analysis settings" }).count()).toBe(0);
    await screenshot(page, "results-four-candidates-390");
    await context.close();
  });

  it("the PM switches a running experiment's correction to Benjamini-Hochberg; the page and the audit timeline say so", async () => {
    const key = `results-settings-${Date.now().toString(36)}`;
    expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(key) })).status).toBe(201);
    expect((await api(`/api/v1/experiments/${key}/start`, { key: inject("apiKey"), body: {} })).status).toBe(200);
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}/results`);
    expect(await textOf(page.getByTestId("analysis-reading"))).toContain("Holm's correction");
    await page.getByLabel("Correction for many comparisons").selectOption("bh");
    await page.getByLabel(/Safe to check any time/).check();
    await page.getByRole("button", { name: "Save analysis settings" }).click();
    await expect.poll(() => textOf(page.getByTestId("analysis-reading"))).toContain("Benjamini-Hochberg");
    expect(await textOf(page.getByTestId("analysis-reading"))).toContain("Sequential tests: safe to check at any time.");
    const after = await api(`/api/v1/experiments/${key}/results`, { key: creds.REVIEWER.key });
    expect(after.json).toMatchObject({ correction: "bh", sequential: true });
    await page.goto(`${baseUrl()}/experiments/${key}`);
    expect(await textOf(page.locator("main"))).toContain(
      "set the results to Benjamini-Hochberg (false discovery rate) across metrics, sequential (safe to check any time) tests",
    );
    await context.close();
  });

  it("analysis settings refuse bad bodies and other roles", async () => {
    const bad = await api(`/api/v1/experiments/${KEY}/analysis`, {
      key: creds.PM.key,
      method: "PATCH",
      body: { correction: "bonferroni" },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("correction must be holm, bh or none");
    const empty = await api(`/api/v1/experiments/${KEY}/analysis`, { key: creds.PM.key, method: "PATCH", body: {} });
    expect(empty.status).toBe(400);
    const extra = await api(`/api/v1/experiments/${KEY}/analysis`, { key: creds.PM.key, method: "PATCH", body: { sequential: "yes" } });
    expect(extra.status).toBe(400);
    expect(extra.text).toContain("sequential must be true or false");
    const reviewer = await api(`/api/v1/experiments/${KEY}/analysis`, {
      key: creds.REVIEWER.key,
      method: "PATCH",
      body: { sequential: true },
    });
    expect(reviewer.status).toBe(403);
    expect((await api(`/api/v1/experiments/${KEY}/analysis`, { key: creds.REVIEWER.key })).json.analysis).toMatchObject({
      correction: "holm",
      sequential: false,
    });
  });
});
