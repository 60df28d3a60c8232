// Journey: a PM goes from the sample-size planner to the bandit simulator, is told what to fix in a bad rate, runs a
// simulation with progress, and reads what it found with the two charts; the numbers are the simulator's own.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { simulateBandit } from "@/lib/rollouts/banditSim";
import { baseUrl } from "../support/http";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { checkAtEveryWidth } from "../support/pageSweep";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it("a PM simulates an adaptive split on three arms and reads the weight paths and regret", async () => {
  const { context, page } = await signedInPage(browser, "pm@assay.local", { width: 1280, height: 900 });
  try {
    await page.goto(`${baseUrl()}/planner`);
    await page.getByRole("link", { name: "bandit simulator" }).click();
    await page.waitForURL((u) => u.pathname === "/planner/bandit");
    await page.getByLabel("Each arm's true conversion rate, comma-separated").fill("0.10, 1.2");
    await page.getByRole("button", { name: "Simulate" }).click();
    await expect.poll(() => textOf(page.getByTestId("field-error"))).toBe("Arm 2's rate must be from 0 to 1");
    await page.getByLabel("Each arm's true conversion rate, comma-separated").fill("0.10, 0.12, 0.11");
    await page.getByLabel("Runs to average (at most 500)").fill("30");
    await page.getByRole("button", { name: "Simulate" }).click();
    await expect.poll(() => page.getByTestId("bandit-findings").count(), { timeout: 60_000 }).toBe(1);
    const expected = simulateBandit({
      arms: [0.1, 0.12, 0.11],
      horizon: 20_000,
      batch: 500,
      floor: 0.01,
      seed: 1,
      runs: 30,
      kind: "proportion",
      sd: 1,
      minPerArm: 100,
      draws: 1000,
    });
    const findings = await textOf(page.getByTestId("bandit-findings"));
    expect(findings).toContain(`gave up ${expected.regret.toFixed(1)} conversions`);
    expect(findings).toContain(`the equal split gave up ${expected.fixedRegret.toFixed(1)}`);
    expect(findings).toContain(`passed 80% in ${expected.runsBestOver80} of 30 runs`);
    expect(await page.getByTestId("bandit-weights").count()).toBe(1);
    expect(await page.getByTestId("bandit-regret").count()).toBe(1);
    await checkAtEveryWidth(page, "the bandit simulator");
    await screenshot(page, "bandit-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "bandit-1280");
  } finally {
    await context.close();
  }
}, 180_000);
