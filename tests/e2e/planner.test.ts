// A PM who has never seen Assay sizes a test on /planner. Expected numbers come from lib/stats/power
// (planSampleSize / mdeForDays, checked against statsmodels in tests/unit/power.test.ts); the guide's
// example (seeds/001 plan_ab_test) is 1,872 per variant, 3,744 total, 2 days.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { mdeForDays, planSampleSize } from "@/lib/stats/power";
import { signedPercent } from "@/components/planner/format";
import { launchBrowser, loginAs, screenshot } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();

describe("sample-size planner", () => {
  it("a PM opens the planner from the sidebar, reads the guide's plan, changes the MDE and sees a named error", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("console", (msg) => {
      // The app has no favicon yet; that 404 is not the planner's.
      if (msg.type() === "error" && !msg.location().url.endsWith("/favicon.ico"))
        problems.push(`console: ${msg.text()} ${msg.location().url}`);
    });

    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sample-size planner" }).click();
    await page.waitForURL((url) => url.pathname === "/planner");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sample-size planner");

    // The guide's example, pre-filled.
    await expect.poll(() => text(page, "plan-per-variant")).toBe("1,872 per variant");
    expect(await text(page, "plan-total")).toBe("3,744 total");
    expect(await text(page, "plan-days")).toBe("2 days");
    expect(await page.getByRole("textbox", { name: /^Baseline rate/ }).inputValue()).toBe("0.76");
    expect(await text(page, "plan-method")).toContain(
      "statsmodels gives 1,871.54, so Assay shows 1,872; the printout in “A/B testing for Llama apps” says 1,873",
    );

    // The inverse for the default 7 days, and the MDE table with the current row marked.
    const inverse = mdeForDays({ metric: "proportion", baseline: 0.76, dailyTraffic: 2000, days: 7 });
    expect(await text(page, "inverse-mde")).toBe(`${signedPercent(inverse.mde)} (relative)`);
    // mdeForDays(...).mde = 0.026223…: four significant digits, +2.622%, where two decimals once cut a small MDE to 0.
    expect(signedPercent(inverse.mde)).toBe("+2.622%");
    const currentRow = page.getByTestId("mde-table").locator("tr[data-current]");
    expect(await currentRow.textContent()).toContain("1,872");

    // The chart renders (Recharts in the production build): a line through the five MDEs and the highlighted dot.
    const chart = page.getByTestId("sample-size-chart");
    await chart.locator(".recharts-line-curve").first().waitFor();
    // Four blue dots and the current MDE's highlighted one (a ReferenceDot in place of the fifth).
    expect(await chart.locator("circle.recharts-line-dot").count()).toBe(4);
    expect(await chart.locator(".recharts-reference-dot").count()).toBe(1);
    expect(await chart.textContent()).toContain("n per variant (log scale)");
    await screenshot(page, "planner");

    // A 10% MDE: the per-variant n recomputes as the PM types.
    const tenPercent = planSampleSize({ metric: "proportion", baseline: 0.76, mde: 0.1, dailyTraffic: 2000 });
    await page.getByRole("textbox", { name: "Minimum detectable effect (MDE)" }).fill("10");
    await expect.poll(() => text(page, "plan-per-variant")).toBe(`${tenPercent.perVariant.toLocaleString("en-US")} per variant`);
    expect(await text(page, "plan-total")).toBe(`${tenPercent.total.toLocaleString("en-US")} total`);
    expect(await currentRow.textContent()).toContain("+10%");
    await screenshot(page, "planner-mde-10");

    // A baseline of 1.5 is not a rate: the error names the baseline, and the plan waits for a fix.
    const baseline = page.getByRole("textbox", { name: /^Baseline rate/ });
    await baseline.fill("1.5");
    await expect
      .poll(() => page.getByTestId("field-error").allTextContents())
      .toEqual(["Baseline must be between 0 and 1 (exclusive) for a proportion metric, got 1.5"]);
    expect(await baseline.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("plan-per-variant").count()).toBe(0);
    await screenshot(page, "planner-error");

    // Fixing it brings the plan back.
    await baseline.fill("0.76");
    await expect.poll(() => text(page, "plan-per-variant")).toBe(`${tenPercent.perVariant.toLocaleString("en-US")} per variant`);

    expect(problems).toEqual([]);
    await context.close();
  });

  it("plans a decrease of a mean metric with three variants and Bonferroni", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await loginAs(page, "reviewer@assay.local", DEMO_PASSWORD);
    await page.goto(new URL("/planner", page.url()).toString());
    await page.getByRole("radio", { name: /^Mean/ }).check();
    await page.getByRole("textbox", { name: "Baseline mean (control)" }).fill("1500");
    await page.getByRole("textbox", { name: "Standard deviation" }).fill("600");
    await page.getByRole("textbox", { name: "Minimum detectable effect (MDE)" }).fill("-10");
    await page.getByRole("combobox", { name: "Number of variants (control included)" }).selectOption("3");
    await page.getByRole("checkbox", { name: /Bonferroni/ }).check();
    const expected = planSampleSize({
      metric: "mean",
      baseline: 1500,
      sd: 600,
      mde: -0.1,
      variants: 3,
      correction: "bonferroni",
      dailyTraffic: 2000,
    });
    await expect.poll(() => text(page, "plan-per-variant")).toBe(`${expected.perVariant.toLocaleString("en-US")} per variant`);
    expect(await text(page, "plan-total")).toBe(`${expected.total.toLocaleString("en-US")} total`);
    expect(await text(page, "plan-days")).toBe(`${expected.days} ${expected.days === 1 ? "day" : "days"}`);
    expect(await text(page, "inverse-mde")).toMatch(/^−/);
    await screenshot(page, "planner-mean-decrease");
    await context.close();
  });
});
