// Journey: a PM forces a QA user into B and flips the kill switch on a running experiment's page; the assign API answers
// accordingly from the very next request, and the audit timeline names who did each.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible } from "../support/axe";

const KEY = `traffic-ui-${Date.now().toString(36)}`;
let browser: Browser;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const assign = (userId: string) =>
  api("/api/v1/assign", { key: creds.ENGINEER.key, body: { experiment: KEY, userId } }).then((r) => r.json);

beforeAll(async () => {
  browser = await launchBrowser();
  creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(KEY) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${KEY}/start`, { key: inject("apiKey"), body: {} })).status).toBe(200);
  await api("/api/v1/assign/batch", {
    key: creds.ENGINEER.key,
    body: { experiment: KEY, users: Array.from({ length: 12 }, (_, i) => ({ userId: `early-${i}` })) },
  });
});
afterAll(async () => {
  await browser?.close();
});

describe.sequential("traffic controls on the experiment page", () => {
  it("the PM forces a user into B, then turns the kill switch on and off; the API follows at once; the timeline names the PM", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}#traffic`);
    const panel = page.getByTestId("traffic-panel");
    expect(await textOf(panel.getByTestId("split-note"))).toBe(
      "Changes apply to new users only: the 12 users already assigned keep their variant.",
    );

    await panel.getByRole("button", { name: "Add an override" }).click();
    await panel.getByLabel("User id").fill("qa-ana");
    await panel.getByLabel("Variant", { exact: true }).selectOption("B");
    await panel.getByRole("button", { name: "Save overrides" }).click();
    await expect.poll(() => panel.getByRole("status").textContent()).toContain("The overrides apply from the next request.");
    expect(await assign("qa-ana")).toMatchObject({ variant: "B", reason: "forced", inExperiment: false });

    await panel.getByRole("button", { name: "Turn the kill switch on" }).click();
    const dialog = page.getByRole("dialog", { name: "Turn the kill switch on?" });
    expect(await textOf(dialog)).toContain("Every user gets Generic from the next request");
    await expectAccessible(page, "the kill switch confirmation");
    await dialog.getByRole("button", { name: "Turn it on" }).click();
    await expect.poll(() => textOf(page.getByTestId("kill-switch"))).toContain("On: every user gets Generic");
    for (const userId of ["qa-ana", "early-3", "brand-new-user"])
      expect(await assign(userId)).toMatchObject({ variant: "A", reason: "killSwitch" });
    await screenshot(page, "traffic-kill-switch-on");
    await expectAccessible(page, "the traffic panel with the kill switch on");

    await page.getByRole("button", { name: "Turn the kill switch off" }).click();
    await expect.poll(() => textOf(page.getByTestId("kill-switch"))).toContain("Off.");
    expect(await assign("qa-ana")).toMatchObject({ variant: "B", reason: "forced" });

    const timeline = page.getByTestId("audit-timeline");
    await expect.poll(() => textOf(timeline)).toContain("Priya PM turned the kill switch off");
    const text = await textOf(timeline);
    expect(text).toContain("Priya PM turned the kill switch on: everyone gets the control");
    expect(text).toContain("Priya PM forced qa-ana → B (QA overrides)");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl()}/experiments/${KEY}#traffic`);
    await screenshot(page, "traffic-390");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it("a split that does not sum to 100 is refused beside its fields; a REVIEWER reads the traffic as text", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}#traffic`);
    const panel = page.getByTestId("traffic-panel");
    await panel.getByLabel("Persona (B), %").fill("70");
    await panel.getByRole("button", { name: "Save split" }).click();
    await expect.poll(() => panel.getByRole("alert").first().textContent()).toContain("weights must sum to 100; they sum to 120");
    await panel.getByLabel("Generic (A), %").fill("30");
    await panel.getByRole("button", { name: "Save split" }).click();
    await expect.poll(() => panel.getByRole("status").textContent()).toContain("New users get the new split");
    expect((await api(`/api/v1/experiments/${KEY}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 30, B: 70 });
    await context.close();

    const reviewer = await signedInPage(browser, "reviewer@assay.local");
    await reviewer.page.goto(`${baseUrl()}/experiments/${KEY}`);
    const summary = reviewer.page.getByTestId("traffic-summary");
    expect(await textOf(summary)).toContain("Generic 30% · Persona 70%");
    expect(await textOf(summary)).toContain("qa-ana → Persona");
    expect(await reviewer.page.getByTestId("traffic-panel").count()).toBe(0);
    await reviewer.context.close();
  });
});
