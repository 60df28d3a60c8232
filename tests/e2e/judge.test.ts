// Journey: a PM opens the Judge page of a running experiment of their own, whose decision matrix has no Quality yet
// (its goal is the judge's helpfulness), starts a judge run on the built-in simulator, watches its progress bar fill,
// finds every interaction scored, and sees the Quality column of the decision matrix filled in with the judge's means;
// a reviewer reads the runs but has no button to start one (and the server refuses them: tests/integration/judge-runs.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible } from "../support/axe";
import { sql } from "../support/interactionRows";
import { formatValue } from "@/lib/decision/wording";

let browser: Browser;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `judge-page-${Date.now().toString(36)}`;

beforeAll(async () => {
  browser = await launchBrowser();
  creds = await demoCredentials();
  const design = {
    ...minimalExperimentBody(key),
    metrics: [
      {
        name: "Helpfulness",
        role: "GOAL",
        kind: "MEAN",
        source: "JUDGE_CRITERION",
        field: "helpfulness",
        direction: "INCREASE",
        mde: 0.05,
      },
    ],
  };
  const made = await api("/api/v1/experiments", { key: creds.PM.key, body: design });
  expect(made.status, made.text).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  const body = Array.from({ length: 30 }, (_, i) => ({
    request_id: `${key}-${i}`,
    user_id: `u${i}`,
    experiment_key: key,
    variant_id: i % 2 ? "B" : "A",
    user_input: "How do I reset my password?",
    model_output: i % 2 ? "Go to Settings." : "Thanks! 1. Open Settings. 2. Choose Security. 3. Click Reset password.",
  }));
  expect((await api("/api/v1/interactions", { key: creds.ENGINEER.key, body })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

describe.sequential("the Judge page", () => {
  it("a PM starts a run on the simulator and watches it finish", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.setViewportSize({ width: 1280, height: 900 });
    // Before: the decision matrix has no Quality reading for either variant.
    await page.goto(`${baseUrl()}/experiments/${key}/decision`);
    const qualityCell = (variant: string) => page.locator(`[data-testid="decision-matrix"] table tr[data-variant="${variant}"] td`).first();
    expect(await textOf(page.locator('[data-testid="decision-matrix"] table thead th').nth(1))).toBe("Quality");
    for (const v of ["A", "B"]) expect(await textOf(qualityCell(v).locator("p.font-semibold"))).toBe("—");
    expect(await textOf(qualityCell("B"))).not.toContain("CI");
    await screenshot(page, "judge-matrix-before");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    await page.getByRole("link", { name: "Judge", exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/experiments/${key}/judge`);
    await expect.poll(() => textOf(page.getByText("No judge run yet."))).toBe("No judge run yet.");
    await page.getByLabel("Judge model endpoint").selectOption("Built-in simulator");
    // A pace out of range is refused beside its field, and nothing starts.
    await page.getByLabel("Judgments at once (at most 64)").fill("99");
    await page.getByRole("button", { name: "Start judging" }).click();
    await expect.poll(() => textOf(page.getByTestId("field-error"))).toBe("At most 64");
    expect(await page.getByLabel("Judgments at once (at most 64)").getAttribute("aria-invalid")).toBe("true");
    expect(await textOf(page.getByText("No judge run yet."))).toBe("No judge run yet.");
    await page.getByLabel("Judgments at once (at most 64)").fill("16");
    await page.getByRole("button", { name: "Start judging" }).click();
    const run = page.getByTestId("judge-run").first();
    await expect.poll(() => textOf(run), { timeout: 60_000 }).toContain("Finished");
    expect(await textOf(run.getByTestId("judge-run-counts"))).toMatch(/^30 of 30 done: 30 scored, 0 already scored, 0 failed/);
    expect(await run.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("30");
    // The finished run redraws the agreement section: its rubric version now counts the 30 scores (no user ratings here).
    const agreement = page.getByRole("region", { name: "Agreement with user ratings" });
    await expect.poll(() => textOf(agreement.getByLabel("Rubric version").locator("option:checked"))).toBe("default v1 · 30 scored");
    expect(await textOf(agreement.getByTestId("agreement-summary"))).toBe(
      "Not enough to compare yet: fewer than 2 interactions have both a judge score and a user rating.",
    );
    await expectAccessible(page, "the Judge page after a run");
    await screenshot(page, "judge-page");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, "judge-page-390");
    const runs = await api(`/api/v1/experiments/${key}/judge-runs`, { key: creds.REVIEWER.key });
    expect(runs.json.runs[0]).toMatchObject({ status: "SUCCEEDED", scored: 30 });

    // After: the Quality column holds each variant's mean helpfulness from the judge's 30 scores (computed here in SQL).
    const means = await sql<{ variant: string; mean: number }>(
      `SELECT v.key AS variant, avg((s.scores ->> 'helpfulness')::float8) AS mean FROM "JudgeScore" s
       JOIN "Interaction" i ON i.id = s."interactionId" JOIN "Variant" v ON v.id = i."variantId" JOIN "Experiment" e ON e.id = i."experimentId"
       WHERE e.key = $1 GROUP BY 1`,
      [key],
    );
    expect(means).toHaveLength(2);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl()}/experiments/${key}/decision`);
    for (const { variant, mean } of means) {
      const first = qualityCell(variant).locator("p.font-semibold");
      await expect.poll(() => textOf(first)).toBe(formatValue(mean, "number"));
    }
    await screenshot(page, "judge-quality-in-matrix");

    // Head to head: B against the control on the inputs both answered (here one: every user asked the same).
    await page.goto(`${baseUrl()}/experiments/${key}/judge`);
    const h2h = page.getByRole("region", { name: "Head to head" });
    await h2h.getByLabel("Variant", { exact: true }).selectOption("B");
    await h2h.getByRole("button", { name: "Compare head to head" }).click();
    await expect
      .poll(() => textOf(page.getByTestId("pairwise-sentence")), { timeout: 60_000 })
      .toMatch(/^(B wins [01] of 1 decisive pairs against A|No pair of B and A was decided)/);
    await expectAccessible(page, "the Judge page with a head-to-head result");
    await context.close();
  });

  it("a reviewer reads the runs with no button to start one", async () => {
    const { context, page } = await signedInPage(browser, "reviewer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}/judge`);
    await expect.poll(() => textOf(page.getByTestId("judge-run").first())).toContain("Finished");
    expect(await page.getByRole("button", { name: "Start judging" }).count()).toBe(0);
    await context.close();
  });
});
