// Journey: a started experiment reads as text. The PM sees no wall of disabled inputs and no save bar, only a small form for
// what may still change (name, description, and the plan while it runs); once stopped or decided the plan is fixed too.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";

const RUN = Date.now().toString(36);
const KEY = `started-${RUN}`;
let browser: Browser;
let cookie: string;
beforeAll(async () => {
  browser = await launchBrowser();
  cookie = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
  const body = {
    ...minimalExperimentBody(KEY),
    metrics: [{ name: "Helpfulness", role: "GOAL", kind: "PROPORTION", direction: "INCREASE", mde: 0.05, baseline: 0.76 }],
    plan: { dailyTraffic: 2000 },
  };
  expect((await api("/api/v1/experiments", { cookie, body })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${KEY}/start`, { method: "POST", cookie })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Inputs of the design outside the small after-start form (and the traffic controls, the ramp, the allocation and the
 * notifications, which are not the design): there must be none, enabled or disabled.
 */
async function inputsOutsideEditor(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll("main input, main textarea, main select")].filter(
        (el) =>
          !el.closest("[data-testid=after-start-editor]") &&
          !el.closest("[data-testid=traffic-panel]") &&
          !el.closest("[data-testid=ramp-panel]") &&
          !el.closest("[data-testid=allocation-panel]") &&
          !el.closest("[data-testid=webhook-panel]"),
      ).length,
  );
}

describe.sequential("a started design", () => {
  it("while RUNNING the PM reads the design as text and corrects name, description and plan in a small form", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}`);
    expect(await textOf(page.getByTestId("read-only-note"))).toBe(
      "This experiment is running: its hypothesis, variants and scorecard are fixed as it started. You can still rename it, edit its description and correct the plan under “What can still change”.",
    );
    expect(await inputsOutsideEditor(page)).toBe(0);
    expect(await page.locator("main input:disabled, main textarea:disabled, main select:disabled").count()).toBe(0);
    expect(await page.getByTestId("save-bar").count()).toBe(0);
    expect(await textOf(page.getByTestId("variants-locked"))).toContain("Variants are locked while the experiment runs");
    expect(await page.getByRole("button", { name: "Stop experiment" }).isVisible()).toBe(true);
    expect(await textOf(page.getByTestId("plan-headline"))).toContain("1,872 per variant · 3,744 total · 2 days");

    const editor = page.getByTestId("after-start-editor");
    expect(await editor.getByRole("button", { name: "Save changes" }).isDisabled()).toBe(true);
    await editor.getByLabel("Experiment name").fill("Support persona, running");
    await editor.getByLabel("Daily traffic").fill("1000");
    // 3,744 / 1,000 a day = 3.744 -> 4 days.
    await expect.poll(() => textOf(editor.getByTestId("plan-headline"))).toContain("1,872 per variant · 3,744 total · 4 days");
    await screenshot(page, "started-running-editing");
    await editor.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => textOf(page.locator("#plan").getByTestId("plan-headline"))).toContain("4 days");
    expect(await textOf(page.locator("h1"))).toBe("Support persona, running");
    const saved = (await api(`/api/v1/experiments/${KEY}`, { cookie })).json.experiment;
    expect(saved).toMatchObject({ name: "Support persona, running", status: "RUNNING", planSettings: { dailyTraffic: 1000 } });
    await screenshot(page, "started-running");

    const narrow = await signedInPage(browser, "pm@assay.local", { width: 390, height: 844 });
    await narrow.page.goto(`${baseUrl()}/experiments/${KEY}`);
    await narrow.page.getByTestId("after-start-editor").waitFor();
    await screenshot(narrow.page, "started-running-390");
    await narrow.context.close();
    await context.close();
  });

  it("an engineer reads a running design as text, with no inputs at all", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}`);
    expect(await textOf(page.getByTestId("read-only-note"))).toBe(
      "Read-only: this experiment is running, so its variants are locked. Your role (ENGINEER) changes variant settings in drafts.",
    );
    expect(await inputsOutsideEditor(page)).toBe(0);
    expect(await page.getByTestId("after-start-editor").count()).toBe(0);
    expect(await page.getByTestId("save-bar").count()).toBe(0);
    await context.close();
  });

  it("once stopped, and then decided, the plan is fixed in the page and in the API; name and description still change", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}`);
    await page.getByRole("button", { name: "Stop experiment" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Stop now" }).click();
    await expect.poll(() => textOf(page.getByTestId("experiment-status"))).toContain("STOPPED");
    const editor = page.getByTestId("after-start-editor");
    expect(await textOf(editor.getByTestId("plan-fixed"))).toContain("The plan is fixed: data collection has ended");
    expect(await editor.getByLabel("Daily traffic").count()).toBe(0);

    // DECIDED comes from the review flow (a later issue); set it the way that flow will, in the database.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    await client.query(`UPDATE "Experiment" SET status = 'DECIDED' WHERE key = $1`, [KEY]);
    await client.end();
    await page.reload();
    expect(await textOf(page.getByTestId("read-only-note"))).toBe(
      "This experiment is decided: its design and plan are fixed. You can still rename it and edit its description under “What can still change”.",
    );
    expect(await inputsOutsideEditor(page)).toBe(0);
    expect(await page.locator("main input:disabled, main textarea:disabled, main select:disabled").count()).toBe(0);
    expect(await editor.getByLabel("Daily traffic").count()).toBe(0);
    const refused = await page.request.patch(`${baseUrl()}/api/v1/experiments/${KEY}`, {
      data: { plan: { dailyTraffic: 500 } },
      headers: { origin: baseUrl() },
    });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.details.fields).toEqual(["plan"]);

    await editor.getByLabel("Description").fill("Decided: ship the persona.");
    await editor.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(async () => (await api(`/api/v1/experiments/${KEY}`, { cookie })).json.experiment.description)
      .toBe("Decided: ship the persona.");
    await expect.poll(() => editor.getByRole("button", { name: "Save changes" }).isDisabled()).toBe(true);
    await screenshot(page, "started-decided");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "started-decided-390");
    await context.close();
  });

  it("a decided design gives no to-do advice: no run-a-full-week advice, no “Type a baseline” rows, and the API's refusal names what can still change", async () => {
    const DECIDED = "rag-top-k-5-vs-10"; // the demo's decided design: 4 days of sample, guardrails without baselines
    const { context, page } = await signedInPage(browser, "pm@assay.local", { width: 390, height: 844 });
    await page.goto(`${baseUrl()}/experiments/${DECIDED}`);
    const summary = page.getByTestId("plan-summary");
    await summary.waitFor();
    expect(await summary.getByTestId("plan-advice").count()).toBe(0);
    const text = await textOf(summary);
    expect(text).not.toContain("run at least a full week");
    expect(text).not.toContain("Type a baseline");
    const harmful = summary.getByTestId("plan-requirements").locator("tr", { hasText: "Harmful response rate" });
    expect(await textOf(harmful)).toContain("No baseline was typed and the control had no logged interactions to compute one from.");
    await harmful.scrollIntoViewIfNeeded();
    await screenshot(page, "decided-plan-390", { fullPage: false });

    const md = await api(`/api/v1/experiments/${DECIDED}/design.md`, { cookie });
    expect(md.status).toBe(200);
    expect(md.text).not.toContain("run at least a full week");
    expect(md.text).not.toContain("Type a baseline");

    const refused = await page.request.patch(`${baseUrl()}/api/v1/experiments/${DECIDED}`, {
      data: { metrics: [] },
      headers: { origin: baseUrl() },
    });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.message).toBe(
      "Once data collection has ended only its name and description can change; metrics is fixed.",
    );
    await context.close();
  });
});
