// Journeys through the experiment design studio: a PM designs the guide's support-persona experiment, sizes it,
// sees the single-variable warning and starts it; a reviewer reads it; an engineer edits variant settings only.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, loginAs, screenshot } from "../support/browser";

// The guide's support-agent prompts (seeds/001, "Isolate a single variable").
const PROMPT_A = "You are a helpful customer support agent.";
const PROMPT_B = `You are a customer support expert for Acme Inc.
Your tone should be professional, empathetic, and concise. Do not use emojis.
Always follow these three steps:
1. Acknowledge the user's issue and validate their frustration.
2. Provide a clear, step-by-step solution.
3. Ask if the solution worked or if they need more help.
`;
const MODEL = "Llama-4-Scout-17B-16E-Instruct-FP8";
const RUN = Date.now().toString(36);
const KEY = `support-persona-${RUN}`;
const REASON = "B's lower temperature is part of the persona: concise, consistent answers.";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await loginAs(page, email, DEMO_PASSWORD);
  return { context, page };
}

/** A screenshot of one part of the page, next to the full-page ones. */
async function screenshotOf(locator: Locator, name: string): Promise<void> {
  const dir = path.resolve("tests/.artifacts/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await locator.screenshot({ path: path.join(dir, `${name}.png`) });
}

const text = (locator: Locator) => locator.textContent().then((t) => t ?? "");

describe.sequential("experiment design studio", () => {
  it("a PM creates the guide's experiment from the templates, sizes it to 1,872 per variant, and starts it with a reason", async () => {
    const { context, page } = await signedIn("pm@assay.local");
    await page.goto(`${baseUrl()}/experiments`);
    await page.getByRole("link", { name: "New experiment" }).first().click();
    await page.waitForURL("**/experiments/new");

    await page.getByLabel("Experiment name").fill("Support persona (guide)");
    expect(await page.getByLabel("Experiment key").inputValue()).toBe("support-persona-guide");
    await page.getByLabel("Experiment key").fill(KEY);
    await page.getByLabel("If we change …").fill("the support system prompt to an Acme persona with tone rules and three steps");
    await page.getByLabel("we expect …").fill("the helpfulness score to rise by at least 5%");
    await page.getByLabel("because …").fill("structured, empathetic answers solve the user's problem in fewer turns");
    await expect.poll(() => text(page.getByTestId("hypothesis-preview"))).toContain("If we change the support system prompt");
    await page.getByRole("radio", { name: /^System prompt/ }).check();

    const a = page.getByTestId("variant-0");
    const b = page.getByTestId("variant-1");
    await a.getByLabel("Model").fill(MODEL);
    await a.getByLabel(/^System prompt/).fill(PROMPT_A);
    await a.getByLabel("Prompt version label").fill("support-v1");
    await b.getByLabel("Model").fill(MODEL);
    await b.getByLabel(/^System prompt/).fill(PROMPT_B);
    await b.getByLabel("Prompt version label").fill("support-v2-persona");
    expect(await text(page.getByTestId("weight-sum"))).toContain("100%");

    // Keep the guide's Helpfulness template, normalised to a proportion as the guide does (3.8 / 5 = 76%).
    const helpfulness = page.getByTestId("metric-0");
    expect(await helpfulness.getByLabel("Include Helpfulness").isChecked()).toBe(true);
    await helpfulness.getByLabel("Kind of Helpfulness").selectOption("PROPORTION");
    await helpfulness.getByLabel("Baseline of Helpfulness").fill("0.76");
    expect(await helpfulness.getByLabel("MDE of Helpfulness").inputValue()).toBe("5");
    await screenshot(page, "experiment-new");

    // A refused save puts each message next to its field and lists them all at the top.
    await page.getByLabel("Experiment key").fill("Support Persona!");
    await b.getByLabel("Traffic (%)").fill("60");
    expect(await text(page.getByTestId("weight-sum"))).toContain("must add up to 100%");
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect.poll(() => text(page.getByTestId("error-summary"))).toContain("Experiment key:");
    expect(await text(page.getByTestId("error-summary"))).toContain("Variants: variant weights must sum to 100");
    expect(await text(page.getByTestId("error-experiment-key"))).toContain("lowercase");
    await page.getByLabel("Experiment key").fill(KEY);
    await b.getByLabel("Traffic (%)").fill("50");

    await page.getByRole("button", { name: "Create draft" }).click();
    await page.waitForURL(`**/experiments/${KEY}`);

    // Size the test: 2,000 interactions a day.
    await page.getByLabel("Daily traffic").fill("2000");
    await expect.poll(() => text(page.getByTestId("plan-headline"))).toContain("1,872 per variant");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => text(page.getByTestId("save-bar"))).toContain("All changes saved");
    const headline = await text(page.getByTestId("plan-headline"));
    expect(headline).toContain("1,872 per variant");
    expect(headline).toContain("3,744 total");
    expect(headline).toContain("2 days");
    expect(await text(page.getByTestId("single-variable-check"))).toContain("One variable");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.resolve("tests/.artifacts/screenshots/experiment-design-top.png") });
    await screenshot(page, "experiment-design");

    // B gets a lower temperature; A keeps the server default: a second difference.
    await b.getByLabel("Temperature").fill("0.2");
    const warning =
      "Variants differ in temperature, which is not part of the variable under test (System prompt). Test one variable at a time, or give a reason when you start.";
    await expect.poll(() => text(page.getByTestId("single-variable-warning"))).toContain(warning);
    expect(await page.getByTestId("diff-temperature").getAttribute("data-differs")).toBe("undeclared");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => text(page.getByTestId("save-bar"))).toContain("All changes saved");
    expect(await text(page.getByTestId("single-variable-warning"))).toContain(warning);
    expect(await text(page.getByTestId("variant-1-version"))).toContain("version 2");
    await screenshotOf(page.locator("#single-variable"), "experiment-single-variable");

    await page.getByRole("button", { name: "Start experiment" }).click();
    const dialog = page.getByRole("dialog");
    const reason = dialog.getByLabel("Why do the variants differ in more than one variable?");
    expect(await dialog.getByRole("button", { name: "Start now" }).isDisabled()).toBe(true);
    await reason.fill(REASON);
    await page.screenshot({ path: path.resolve("tests/.artifacts/screenshots/experiment-start-dialog.png") });
    await dialog.getByRole("button", { name: "Start now" }).click();
    await expect.poll(() => text(page.getByTestId("experiment-status"))).toContain("RUNNING");
    expect(await text(page.getByTestId("variants-locked"))).toContain("Variants are locked while the experiment runs");
    // Started, the design reads as text: no variant inputs, disabled or not.
    expect(await page.locator("#variants input, #variants textarea, #variants select").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Stop experiment" }).isVisible()).toBe(true);
    await context.close();
  });

  it("a reviewer reads the design with no inputs and no Start or Save, and the API refuses the reviewer's PATCH", async () => {
    const { context, page } = await signedIn("reviewer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}`);
    await expect.poll(() => text(page.getByTestId("read-only-note"))).toContain("Read-only: your role (REVIEWER) can read this design");
    expect(await page.locator("main input, main textarea, main select").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Start|Save changes|Stop/ }).count()).toBe(0);
    expect(await text(page.getByTestId("plan-headline"))).toContain("1,872 per variant");
    expect(await text(page.getByTestId("single-variable-warning"))).toContain("temperature");
    const patch = await page.request.patch(`${baseUrl()}/api/v1/experiments/${KEY}`, { data: { name: "Reviewer was here" } });
    expect(patch.status()).toBe(403);
    await screenshot(page, "experiment-reviewer");
    await context.close();
  });

  it("the audit timeline says Priya PM created the experiment and started it, with the reason", async () => {
    const { context, page } = await signedIn("reviewer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}#audit`);
    const timeline = page.getByTestId("audit-timeline");
    const entries = await timeline.locator("li").allTextContents();
    expect(entries[0]).toContain(`Priya PM started the experiment — reason: ${REASON}`);
    expect(entries.at(-1)).toContain("Priya PM created the experiment");
    expect(entries.some((e) => e.includes("temperature"))).toBe(true);
    await context.close();
  });

  it("a PM stops a running experiment with a reason, clones it as a new draft, and archives the stopped one", async () => {
    const pmCookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `lifecycle-${RUN}`;
    expect((await api("/api/v1/experiments", { cookie: pmCookie!, body: minimalExperimentBody(key) })).status).toBe(201);
    expect((await api(`/api/v1/experiments/${key}/start`, { method: "POST", cookie: pmCookie! })).status).toBe(200);
    const { context, page } = await signedIn("pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);

    await page.getByRole("button", { name: "Stop experiment" }).click();
    await page.getByRole("dialog").getByLabel("Reason (optional)").fill("Reached the planned sample size.");
    await page.getByRole("dialog").getByRole("button", { name: "Stop now" }).click();
    await expect.poll(() => text(page.getByTestId("experiment-status"))).toContain("STOPPED");
    await expect
      .poll(() => text(page.locator("#audit")))
      .toContain("Priya PM stopped the experiment — reason: Reached the planned sample size.");

    await page.getByRole("button", { name: "Clone…" }).click();
    await page.getByRole("dialog").getByLabel("New key").fill(`${key}-again`);
    await page.getByRole("dialog").getByRole("button", { name: "Clone", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/experiments/${key}-again`);
    await expect.poll(() => text(page.getByTestId("experiment-status"))).toContain("DRAFT");

    await page.goto(`${baseUrl()}/experiments/${key}`);
    // A click before the page's scripts have loaded would be lost on a busy machine.
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: "Archive" }).click();
    await expect.poll(() => text(page.getByTestId("experiment-status")), { timeout: 10_000 }).toContain("archived");
    await page.goto(`${baseUrl()}/experiments?q=${key}`);
    // Only the clone is listed; the archived original comes back with "Include archived".
    await expect.poll(() => page.getByRole("link", { name: "Support persona (copy)", exact: true }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Support persona", exact: true }).count()).toBe(0);
    await page.getByLabel("Include archived").check();
    await expect.poll(() => page.getByRole("link", { name: "Support persona", exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByRole("link", { name: "Support persona (copy)", exact: true }).count()).toBe(1);
    await context.close();
  });

  it("a PM tries a 10% MDE in the planner beside the design and uses those numbers", async () => {
    const pmCookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `explore-${RUN}`;
    const body = {
      ...minimalExperimentBody(key),
      metrics: [{ name: "helpfulness", role: "GOAL", kind: "PROPORTION", direction: "INCREASE", mde: 0.05, baseline: 0.76 }],
      plan: { dailyTraffic: 2000 },
    };
    expect((await api("/api/v1/experiments", { cookie: pmCookie!, body })).status).toBe(201);
    const { context, page } = await signedIn("pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    await expect.poll(() => text(page.getByTestId("plan-headline"))).toContain("1,872 per variant");
    await page.getByRole("button", { name: "Try other numbers in the planner…" }).click();
    const explorer = page.getByTestId("plan-explorer");
    await explorer.getByLabel("Minimum detectable effect (MDE)").fill("10");
    await explorer.getByRole("button", { name: "Use these numbers" }).click();
    // statsmodels: zt_ind_solve_power(effect_size=0.18929383150022586, alpha=0.05, power=0.8) = 438.09 -> 439 per variant, 878, 1 day.
    await expect.poll(() => text(page.getByTestId("plan-headline"))).toContain("439 per variant");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => text(page.getByTestId("save-bar"))).toContain("All changes saved");
    const saved = (await api(`/api/v1/experiments/${key}`, { cookie: pmCookie! })).json.experiment;
    expect(saved.metrics[0]).toMatchObject({ name: "helpfulness", mde: 0.1, baseline: 0.76 });
    expect(saved.plan).toMatchObject({ perVariant: 439, total: 878, days: 1 });
    await context.close();
  });

  it("a PM turns on the gateway and is told each variant needs an endpoint before starting", async () => {
    const pmCookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `gateway-${RUN}`;
    const created = await api("/api/v1/experiments", { cookie: pmCookie!, body: minimalExperimentBody(key) });
    expect(created.status, created.text).toBe(201);
    const { context, page } = await signedIn("pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    await page.getByLabel("Serve through Assay's gateway").check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => text(page.getByTestId("save-bar"))).toContain("All changes saved");
    expect((await api(`/api/v1/experiments/${key}`, { cookie: pmCookie! })).json.experiment.gatewayEnabled).toBe(true);
    await page.getByRole("button", { name: "Start experiment" }).click();
    await expect.poll(() => text(page.getByRole("dialog"))).toContain("set an endpoint for variant");
    await context.close();
  });

  it("an engineer edits a draft variant's model and temperature but not its weight, and cannot open the new-experiment form", async () => {
    const pmCookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `engineer-draft-${RUN}`;
    const created = await api("/api/v1/experiments", {
      cookie: pmCookie!,
      body: {
        key,
        name: "Engineer settings",
        variableUnderTest: "MODEL",
        variants: [
          { key: "A", name: "Scout", isControl: true, weight: 50, config: { model: MODEL } },
          { key: "B", name: "Maverick", weight: 50, config: { model: "Llama-4-Maverick-17B-128E-Instruct-FP8" } },
        ],
        metrics: [],
      },
    });
    expect(created.status, created.text).toBe(201);

    const { context, page } = await signedIn("engineer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const b = page.getByTestId("variant-1");
    await b.getByLabel("Model").waitFor();
    expect(await b.getByLabel("Traffic (%)").isDisabled()).toBe(true);
    expect(await b.getByLabel("Name").isDisabled()).toBe(true);
    expect(await b.getByLabel("Model").isEditable()).toBe(true);
    expect(await page.getByRole("button", { name: "Start experiment" }).count()).toBe(0);
    expect(await text(page.getByTestId("role-scope"))).toContain("Your role (ENGINEER) can change the variants' technical settings");
    await b.getByLabel("Model").fill("Llama-4-Maverick-17B-128E-Instruct-FP8-v2");
    await b.getByLabel("Temperature").fill("0.7");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => text(page.getByTestId("save-bar"))).toContain("All changes saved");
    expect(await b.getByLabel("Model").inputValue()).toBe("Llama-4-Maverick-17B-128E-Instruct-FP8-v2");
    expect(await b.getByLabel("Temperature").inputValue()).toBe("0.7");
    expect(await text(page.getByTestId("variant-1-version"))).toContain("version 2");
    // The API agrees with the disabled input: an engineer's weight change is refused.
    const weight = await page.request.patch(`${baseUrl()}/api/v1/experiments/${key}`, {
      data: {
        variants: [
          { key: "A", name: "Scout", isControl: true, weight: 60, config: { model: MODEL } },
          { key: "B", name: "Maverick", weight: 40, config: { model: "Llama-4-Maverick-17B-128E-Instruct-FP8-v2", temperature: 0.7 } },
        ],
      },
    });
    expect(weight.status()).toBe(403);
    await screenshot(page, "experiment-engineer");

    await page.goto(`${baseUrl()}/experiments/new`);
    await expect.poll(() => text(page.getByTestId("forbidden"))).toContain("You don't have access to this page");
    await context.close();
  });

  it("the list finds the experiment and the design document prints the whole design", async () => {
    const { context, page } = await signedIn("pm@assay.local");
    await page.goto(`${baseUrl()}/experiments`);
    const row = page.getByRole("row", { name: /Support persona \(guide\)/ }).filter({ hasText: KEY });
    expect(await text(row)).toContain("RUNNING");
    expect(await text(row)).toContain("If we change the support system prompt");
    await page.getByLabel("Search").fill(KEY);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=/);
    expect(await page.getByTestId("experiments-table").locator("tbody tr").count()).toBe(1);
    await page.getByLabel("Status").selectOption("DRAFT");
    await page.waitForURL(/status=DRAFT/);
    await expect.poll(() => page.getByText("No experiments match these filters").isVisible()).toBe(true);
    await page.goto(`${baseUrl()}/experiments?owner=me`);
    await screenshot(page, "experiments-list");

    await page.goto(`${baseUrl()}/experiments/${KEY}/document`);
    const doc = page.getByTestId("design-document");
    const body = await text(doc);
    for (const part of [
      "Support persona (guide)",
      "If we change the support system prompt",
      "System prompt",
      "Acme Inc.",
      "Helpfulness",
      "1,872 per variant",
      "2 days",
      REASON,
    ])
      expect(body).toContain(part);
    const md = page.getByRole("link", { name: "Download Markdown" });
    expect(await md.getAttribute("href")).toBe(`/api/v1/experiments/${KEY}/design.md`);
    const mdRes = await page.request.get(`${baseUrl()}/api/v1/experiments/${KEY}/design.md`);
    expect(mdRes.status()).toBe(200);
    expect(await mdRes.text()).toContain("Support persona (guide)");
    expect(await page.getByRole("button", { name: "Print" }).isVisible()).toBe(true);
    await screenshot(page, "experiment-document");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("aside").isVisible()).toBe(false);
    await context.close();
  });
});
