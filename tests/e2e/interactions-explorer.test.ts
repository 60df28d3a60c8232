// The interaction explorer as an engineer uses it: from the experiment's page to its interactions, filtered by variant,
// paged older and newer, one interaction opened in full and closed, and the filtered set downloaded as CSV; checked for
// WCAG 2.1 AA and fit at desktop width and at 390 px, with screenshots.
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { checkAtEveryWidth } from "../support/pageSweep";
import { minimalExperimentBody } from "../support/experiments";
import { insertInteractions, insertJudgeScore, insertRubric, type InteractionRow } from "../support/interactionRows";

const run = Date.now().toString(36);
const KEY = `explorer-${run}`;
const BASE = Date.UTC(2026, 10, 30, 9, 0, 0);
const LONG_ANSWER = `Here is how to reset your password.\n\n${"1. Open Settings, then Security, then Reset password. ".repeat(12)}\nDid that solve it?`;

/** The interaction with a long answer and judge scores: variant A's newest. */
const FEATURED = 127;

/** 130 interactions a minute apart, two in three on variant A. */
const rows: InteractionRow[] = Array.from({ length: 130 }, (_, n) => ({
  id: `${run}e${String(n).padStart(3, "0")}`,
  requestId: `req-${String(n).padStart(3, "0")}`,
  variant: n % 3 === 2 ? "B" : "A",
  userId: `customer-${n % 17}`,
  timestamp: new Date(BASE + n * 60_000).toISOString(),
  modelName: "Llama-4-Scout-17B-16E-Instruct-FP8",
  systemPromptVersion: n % 3 === 2 ? "support-v2-persona" : "support-v1",
  latencyMs: 640 + n * 3,
  ttftMs: 80 + n,
  promptTokens: 40 + n,
  completionTokens: 120 + n,
  cost: 0.00021,
  userInput: `My order #${1000 + n} has not arrived yet, what can I do?`,
  modelOutput: n === FEATURED ? LONG_ANSWER : `I am sorry about order #${1000 + n}. Let me check its delivery status for you.`,
  safetyFlag: n % 40 === 0,
  userFeedbackScore: (n % 5) + 1,
  goalCompleted: n % 2 === 0,
  customMetrics: { resolved: n % 2 },
  error: n % 25 === 24 ? "upstream returned 503: model overloaded" : null,
}));
/** Variant A's request ids as the explorer orders them: newest first. */
const variantA = rows
  .filter((r) => r.variant === "A")
  .reverse()
  .map((r) => r.requestId);

let browser: Browser;
beforeAll(async () => {
  const created = await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(KEY) });
  expect(created.status, created.text).toBe(201);
  await insertInteractions(KEY, rows);
  const rubric = await insertRubric(`explorer-${run}`, 1);
  await insertJudgeScore(
    rows[FEATURED].id,
    rubric,
    { helpfulness: 4, clarity: 5, safety: 5 },
    "Clear steps; it asks whether the fix worked.",
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("interaction explorer", () => {
  it("an engineer filters by variant, pages, opens one interaction in full and downloads the CSV", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 1280, height: 900 });
    try {
      await page.goto(`${baseUrl()}/experiments/${KEY}`);
      await page.getByRole("link", { name: "Interactions", exact: true }).click();
      await page.waitForURL(`**/experiments/${KEY}/interactions`);
      const table = page.getByTestId("interactions-table");
      await table.waitFor();
      expect(await textOf(page.getByTestId("interactions-count"))).toBe("50 shown, newest first, of 130 in all.");

      // Filter by variant A: the address holds the filter, and every row is A's.
      await page.getByRole("checkbox", { name: /^A · Generic/ }).check();
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.waitForURL(/variant=A/);
      const requestIds = () => table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-request-id")));
      await expect.poll(requestIds).toEqual(variantA.slice(0, 50));
      expect(await textOf(page.getByTestId("interactions-count"))).toBe(
        `50 shown, newest first, of ${variantA.length} matching these filters.`,
      );
      expect(await page.getByRole("checkbox", { name: /^A · Generic/ }).isChecked()).toBe(true);
      await checkAtEveryWidth(page, "the explorer filtered by variant");
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, "interactions-explorer-desktop");

      // Older, then Newer again.
      expect(await page.getByRole("link", { name: "← Newer" }).count()).toBe(0);
      await page.getByRole("link", { name: "Older →" }).click();
      await expect.poll(requestIds).toEqual(variantA.slice(50, 100));
      expect(page.url()).toContain("variant=A");
      expect(await page.getByRole("link", { name: "Older →" }).count()).toBe(0);
      await page.getByRole("link", { name: "← Newer" }).click();
      await expect.poll(requestIds).toEqual(variantA.slice(0, 50));

      // One interaction in full: its whole answer, its measurements and the judge's reasoning; Escape closes it.
      await page.getByRole("link", { name: "Open interaction req-127" }).click();
      const drawer = page.getByRole("dialog", { name: "Interaction req-127" });
      await drawer.waitFor();
      const drawerText = await textOf(drawer);
      expect(drawerText).toContain("Did that solve it?");
      expect(drawerText).toContain("Clear steps; it asks whether the fix worked.");
      expect(drawerText).toContain("Llama-4-Scout-17B-16E-Instruct-FP8");
      expect(drawerText).toContain("1,021 ms");
      expect(drawerText).toContain("$0.00021");
      expect(drawerText).toMatch(/helpfulness\s*4/);
      expect(page.url()).toContain("open=req-127");
      await checkAtEveryWidth(page, "the explorer's interaction drawer");
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, "interactions-drawer-desktop", { fullPage: false });
      await page.keyboard.press("Escape");
      await drawer.waitFor({ state: "detached" });
      await page.waitForURL((url) => !url.search.includes("open="));
      expect(page.url()).toContain("variant=A");

      // The CSV of the filtered set: every one of A's interactions, newest first.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
      expect(download.suggestedFilename()).toBe(`${KEY}-interactions.csv`);
      const csv: Record<string, string>[] = parse(fs.readFileSync(await download.path()), { columns: true });
      expect(csv.map((r) => r.request_id)).toEqual(variantA);
      expect(new Set(csv.map((r) => r.variant_id))).toEqual(new Set(["A"]));
      expect(csv.find((r) => r.request_id === "req-127")!.model_output).toBe(LONG_ANSWER);
    } finally {
      await context.close();
    }
  });

  it("at 390 px the rows stack into cards and the drawer fills the screen", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 390, height: 844 });
    try {
      await page.goto(`${baseUrl()}/experiments/${KEY}/interactions?variant=B&limit=5`);
      await page.getByTestId("interactions-table").waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      await screenshot(page, "interactions-explorer-390");
      await page.getByRole("link", { name: "Open interaction req-128" }).click();
      const drawer = page.getByRole("dialog", { name: "Interaction req-128" });
      await drawer.waitFor();
      const box = (await drawer.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(390);
      await screenshot(page, "interactions-drawer-390", { fullPage: false });
      await drawer.getByRole("button", { name: "Close" }).click();
      await drawer.waitFor({ state: "detached" });
    } finally {
      await context.close();
    }
  });

  it("with nothing logged yet, the page says how to send interactions", async () => {
    const empty = `${KEY}-empty`;
    const created = await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(empty) });
    expect(created.status, created.text).toBe(201);
    const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 390, height: 844 });
    try {
      await page.goto(`${baseUrl()}/experiments/${empty}/interactions`);
      await page.getByRole("heading", { name: "No interactions logged yet" }).waitFor();
      const text = await textOf(page.locator("main"));
      expect(text).toContain("POST /api/v1/interactions");
      expect(text).toContain(`"experiment_key": "${empty}"`);
      expect(await page.getByRole("link", { name: "Download CSV" }).count()).toBe(0);
      await checkAtEveryWidth(page, "the explorer with nothing logged");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "interactions-empty-390");
    } finally {
      await context.close();
    }
  });

  it("filters the page cannot use are named, and nothing is listed", async () => {
    const { context, page } = await signedInPage(browser, "reviewer@assay.local");
    try {
      await page.goto(`${baseUrl()}/experiments/${KEY}/interactions?feedbackMin=5&feedbackMax=1&variant=Z`);
      const alert = page.getByTestId("filter-errors");
      await alert.waitFor();
      expect(await textOf(alert)).toContain("feedbackMax must not be below feedbackMin");
      expect(await page.getByTestId("interactions-table").count()).toBe(0);
      expect(await page.getByTestId("error-filter-feedbackMax").count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
