// Journey: a reviewer opens the running guide experiment's A/A check from its results, runs 1,000 simulated tests with
// 10 looks and the peeking-safe test, and reads the false positive rates against the 5% line and the power against the
// plan; the page's numbers are the API's for the same settings (tests/integration/aa-api.test.ts checks those).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible, expectNoInternalWords } from "../support/axe";
import { percent } from "@/lib/format/number";

const KEY = "support-persona-structured";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.sequential("the A/A check page", () => {
  it("runs the design's A/A tests with progress and reads them in words, a chart and a table", async () => {
    const { context, page } = await signedInPage(browser, "reviewer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}/results`);
    await page.getByRole("link", { name: "A/A check" }).click();
    await page.waitForURL(`**/experiments/${KEY}/aa`);
    const design = await textOf(page.getByTestId("aa-design"));
    expect(design).toContain("Helpfulness (normalised)");
    expect(design).toMatch(/per variant, the planned sample; significant at 5%/);

    await page.getByLabel("Simulated tests").selectOption("1000");
    await page.getByLabel("Looks at the results per test").selectOption("10");
    await page.getByLabel("Seed").fill("5");
    await page.getByRole("button", { name: "Run the simulation" }).click();
    await page.getByTestId("aa-progress").waitFor();
    await page.getByTestId("aa-results").waitFor({ timeout: 60_000 });

    const rows = page.getByTestId("aa-table").locator("tbody tr");
    expect(await rows.count()).toBe(3);
    const reading = await textOf(page.getByTestId("aa-reading"));
    expect(reading).toMatch(/^Without peeking, [\d.]+% of 1,000 A\/A tests were falsely significant \(95% CI/);
    expect(reading).toContain("Checking 10 times and stopping at the first significant result raises it to");
    expect(reading).toContain("the peeking-safe mode keeps it at");
    expect(reading).toMatch(/the plan expects 80%/);
    expect(await page.getByTestId("aa-false-positive-chart").count()).toBe(1);
    expect(await page.getByTestId("aa-power-chart").count()).toBe(1);

    // The page shows the API's numbers for the same settings.
    const creds = await demoCredentials();
    const effect = Number(await page.getByLabel(/Planted difference/).inputValue()) / 100;
    const peeking = await api(`/api/v1/experiments/${KEY}/aa`, {
      key: creds.REVIEWER.key,
      body: { tests: 1000, peeks: 10, sequential: false, seed: 5, effect },
    });
    expect(peeking.status, peeking.text).toBe(200);
    expect(await textOf(rows.nth(1))).toContain(percent(peeking.json.falsePositiveRate, 2));

    await screenshot(page, "aa-check");
    await expectAccessible(page, "the A/A check with results");
    await expectNoInternalWords(page, "the A/A check with results");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page, "the A/A check with results at 390 px");
    await screenshot(page, "aa-check-390");
    await context.close();
  });

  it("a seed that is not a whole number is refused beside its field", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}/aa`);
    await page.getByLabel("Seed").fill("-3");
    await page.getByRole("button", { name: "Run the simulation" }).click();
    expect(await textOf(page.locator("form"))).toContain("Enter a whole number, 0 or more.");
    await context.close();
  });
});
