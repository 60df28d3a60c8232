// Journey: a PM lets a running experiment's split adapt toward its goal (Thompson sampling) in the browser; once the
// data comes in, the page shows each variant's chance of being best and the weight history, and the results page says
// the fixed-split p-values do not hold and shows the chance of being best instead; a bad floor is refused beside its field.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { resolvedExperimentBody } from "../support/experiments";
import { resolvedStream } from "../support/interactionStream";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { checkAtEveryWidth } from "../support/pageSweep";

let browser: Browser;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `thompson-ui-${Date.now().toString(36)}`;

const ingest = resolvedStream(key, () => creds.ENGINEER.key);

beforeAll(async () => {
  browser = await launchBrowser();
  creds = await demoCredentials();
  const body = resolvedExperimentBody(key);
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

it("a PM lets the split adapt, then reads the chance of being best and the weight history", async () => {
  const { context, page } = await signedInPage(browser, "pm@assay.local", { width: 1280, height: 900 });
  try {
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const panel = page.getByTestId("allocation-panel");
    expect(await textOf(panel)).toContain("Fixed split");
    await panel.getByLabel("Adapt toward the goal (Thompson sampling)").check();
    await panel.getByLabel("Least share each variant keeps (%)").fill("60");
    await panel.getByRole("button", { name: "Save the allocation" }).click();
    // Refused beside its field (60% is over the 50% a share may keep), nothing saved.
    await expect.poll(() => textOf(panel)).toContain("floor must be at most 0.5");
    expect((await api(`/api/v1/experiments/${key}/allocation`, { key: creds.PM.key })).json.allocation.mode).toBe("FIXED");
    await panel.getByLabel("Least share each variant keeps (%)").fill("2");
    await panel.getByLabel("Units per variant before the split adapts").fill("100");
    await panel.getByRole("button", { name: "Save the allocation" }).click();
    await expect.poll(() => textOf(panel)).toContain("Adapts toward the goal");
    expect((await api(`/api/v1/experiments/${key}/allocation`, { key: creds.PM.key })).json.allocation).toMatchObject({
      mode: "THOMPSON",
      floor: 0.02,
      minPerArm: 100,
    });

    // Data in two waves, so the history has two points: equal, then B ahead (60/300 against 30/300).
    await ingest(60, { A: 6, B: 12 });
    await expect
      .poll(async () => (await api(`/api/v1/experiments/${key}/allocation`, { key: creds.PM.key })).json.allocation.history.length, {
        timeout: 60_000,
        interval: 1000,
      })
      .toBeGreaterThan(0);
    await ingest(240, { A: 24, B: 48 });
    await expect
      .poll(async () => (await api(`/api/v1/experiments/${key}/allocation`, { key: creds.PM.key })).json.allocation.history.at(-1).pBest, {
        timeout: 60_000,
        interval: 1000,
      })
      .not.toBeNull();
    const last = (await api(`/api/v1/experiments/${key}/allocation`, { key: creds.PM.key })).json.allocation.history.at(-1);
    expect(last.pBest.B).toBeGreaterThan(0.99);
    await page.reload();
    expect(await textOf(page.getByTestId("allocation-pbest"))).toMatch(
      /Chance of being the best on resolved: B \(Persona\) (over 99\.9%|\d+\.\d%), A \(Generic\) (under 0\.1%|\d+\.\d%)\./,
    );
    expect(await page.getByTestId("bandit-weights").count()).toBe(1);
    // The split form shows the adapted weights (B's share is 2% + 96% x P(best)).
    await expect.poll(() => page.getByLabel("Persona (B), %").inputValue()).toBe(String(last.weights.B));
    await page.mouse.move(0, 0);
    await checkAtEveryWidth(page, "a running experiment with an adaptive split");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "allocation-1280");

    await page.goto(`${baseUrl()}/experiments/${key}/results`);
    const note = page.getByTestId("adaptive-note");
    expect(await textOf(note)).toContain("the usual fixed-split p-values do not hold here");
    expect(await textOf(note.getByTestId("allocation-pbest"))).toContain("B (Persona)");
    expect(await textOf(page.getByTestId("analysis-reading"))).toContain("Sequential tests: safe to check at any time.");
    await page.mouse.move(0, 0);
    await checkAtEveryWidth(page, "the results of an adaptive experiment");
    await page.setViewportSize({ width: 390, height: 900 });
    await screenshot(page, "allocation-results-390");
  } finally {
    await context.close();
  }
}, 240_000);
