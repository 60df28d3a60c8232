// Journey: the start gate. A draft with no hypothesis and two identical variants cannot start, and the dialog says why;
// once fixed, the dialog shows what goes live (sample, planned end, guardrails), and the hypothesis's effect follows the MDE.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { metricTemplates, templateMetric } from "@/lib/experiments/metricTemplates";
import { api, baseUrl, signIn } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";

const RUN = Date.now().toString(36);
const PROMPT = "You are a helpful customer support agent.";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.sequential("start gate", () => {
  it("a PM cannot start a draft with no hypothesis and identical variants; fixed, the dialog summarises the launch", async () => {
    const cookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `start-gate-${RUN}`;
    const body = {
      ...minimalExperimentBody(key),
      hypothesis: { change: "", expectation: "   ", reason: "" },
      variants: [
        { key: "A", name: "Generic", isControl: true, weight: 50, config: { model: "llama-4-scout", systemPrompt: PROMPT } },
        // The same prompt with a trailing newline and the keys in another order: the same configuration.
        { key: "B", name: "Persona", weight: 50, config: { systemPrompt: `${PROMPT}\n`, model: "llama-4-scout" } },
      ],
      metrics: [
        { name: "Helpfulness", role: "GOAL", kind: "PROPORTION", direction: "INCREASE", mde: 0.05, baseline: 0.76 },
        templateMetric(metricTemplates.find((t) => t.name === "Harmful response rate")!),
        templateMetric(metricTemplates.find((t) => t.name === "Latency P95")!),
      ],
      plan: { dailyTraffic: 2000 },
    };
    const created = await api("/api/v1/experiments", { cookie: cookie!, body });
    expect(created.status, created.text).toBe(201);

    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    await page.getByRole("button", { name: "Start experiment" }).click();
    const dialog = page.getByRole("dialog");
    const problems = await textOf(dialog.getByTestId("start-problems"));
    expect(problems).toContain(
      "Complete the hypothesis: write what you change (“If we change …”), what you expect to happen (“we expect …”) and why you expect it (“because …”).",
    );
    expect(problems).toContain(
      "Variants A and B have the same configuration, so the test could only measure noise: change the system prompt (the variable under test) so each variant differs.",
    );
    expect(await textOf(dialog)).not.toContain("The design is complete");
    expect(await dialog.getByRole("button", { name: "Start now" }).isDisabled()).toBe(true);
    await screenshot(page, "start-gate-blocked", { fullPage: false });
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Write the hypothesis; its 10% disagrees with the goal metric's 5% MDE, and one click sizes the test for 10%.
    await page.getByLabel("If we change …").fill("the support system prompt to an Acme persona with three steps");
    await page.getByLabel("we expect …").fill("helpfulness to rise by at least 10%");
    await page.getByLabel("because …").fill("structured answers solve the problem in fewer turns");
    const effect = page.getByTestId("hypothesis-effect");
    await expect.poll(() => effect.getAttribute("data-status")).toBe("differs");
    expect(await textOf(effect)).toContain(
      "The hypothesis expects 10%, but the test is sized to detect a 5% rise in Helpfulness (its MDE), a smaller effect than expected.",
    );
    await screenshot(page, "start-gate-effect-differs");
    await effect.getByRole("button", { name: "Set the MDE of Helpfulness to 10%" }).click();
    expect(await page.getByLabel("MDE of Helpfulness").inputValue()).toBe("10");
    await expect.poll(() => effect.getAttribute("data-status")).toBe("agrees");
    // statsmodels: zt_ind_solve_power(effect_size=0.18929383150022586, alpha=0.05, power=0.8) = 438.09 -> 439 per variant.
    await expect.poll(() => textOf(page.getByTestId("plan-headline"))).toContain("439 per variant");

    // Make B the persona, and save.
    await page
      .getByTestId("variant-1")
      .getByLabel(/^System prompt/)
      .fill("You are a customer support expert for Acme Inc.");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => textOf(page.getByTestId("save-bar"))).toContain("All changes saved");

    await page.getByRole("button", { name: "Start experiment" }).click();
    expect(await dialog.getByTestId("start-problems").count()).toBe(0);
    const summary = dialog.getByTestId("launch-summary");
    expect(await textOf(summary.getByTestId("launch-sample"))).toBe("439 per variant · 878 interactions in total, sized on Helpfulness.");
    // 878 / 2,000 a day = 0.44 -> 1 day; run a whole week: the planned end is 7 days from now (the minute may turn meanwhile).
    const endText = await textOf(summary.getByTestId("launch-end"));
    expect(endText).toMatch(
      /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC, if started now: 7 days, whole weeks so every weekday counts the same \(the sample is reached in 1 day\), at 2,000 interactions a day\.$/,
    );
    const end = Date.parse(endText.split(" UTC,")[0].replace(",", "") + " UTC");
    expect(Math.abs(end - (Date.now() + 7 * 24 * 60 * 60 * 1000))).toBeLessThan(3 * 60 * 1000);
    const guardrails = await summary.getByTestId("launch-guardrails").locator("li").allTextContents();
    expect(guardrails).toEqual([
      "Harmful response rate: must not rise by more than 0.5 percentage points",
      "Latency P95: must not rise by more than 10%",
    ]);
    expect(await textOf(summary.getByTestId("launch-effect"))).toBe(
      "The test is sized to detect a 10% rise in Helpfulness (its MDE), the effect the hypothesis expects.",
    );
    expect(await dialog.getByRole("button", { name: "Start now" }).isDisabled()).toBe(false);
    await screenshot(page, "start-gate-launch-summary", { fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "start-gate-launch-summary-390", { fullPage: false });
    await page.setViewportSize({ width: 1400, height: 900 });

    await dialog.getByRole("button", { name: "Start now" }).click();
    await expect.poll(() => textOf(page.getByTestId("experiment-status"))).toContain("RUNNING");
    await context.close();
  });
});
