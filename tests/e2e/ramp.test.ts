// Journey: a PM sets the canary ramp on a running experiment, reads what the first step adds, advances, holds and
// resumes, then rolls back with a reason through the confirmation; the page and the traffic split follow each move.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { checkAtEveryWidth } from "../support/pageSweep";

let browser: Browser;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `ramp-ui-${Date.now().toString(36)}`;
beforeAll(async () => {
  browser = await launchBrowser();
  creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

it("a PM sets the canary ramp, advances, holds, resumes and rolls back with a reason", async () => {
  const { context, page } = await signedInPage(browser, "pm@assay.local", { width: 1280, height: 900 });
  try {
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const panel = page.getByTestId("ramp-panel");
    await panel.getByLabel(/^Canary: 1% → 5%/).check();
    await panel.getByRole("button", { name: "Set the ramp plan" }).click();
    await expect.poll(() => textOf(panel.getByTestId("ramp-steps"))).toContain("Step 5: 100% of new users to the treatment");
    expect(await textOf(panel.getByTestId("ramp-next"))).toContain("Advancing to step 1 sends new users 99% to");
    await panel.getByLabel("Reason for the move (optional, kept in the audit trail)").fill("first canary");
    await panel.getByRole("button", { name: "Advance to step 1" }).click();
    await expect.poll(() => textOf(panel.getByTestId("ramp-steps").locator("li").first())).toMatch(/\(now\)$/);
    expect(await textOf(panel.getByTestId("ramp-steps"))).toContain(
      "Step 1: 1% of new users to the treatment; at least 24 h and 500 interactions per variant before the next step (now)",
    );
    expect(await textOf(panel.getByTestId("ramp-last-reason"))).toBe("Last move: first canary");
    const weights = (await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights;
    expect(weights).toEqual({ A: 99, B: 1 });
    // The split form shows the step's weights, and the audit timeline says what happened in words.
    await expect.poll(() => page.getByLabel("Persona (B), %").inputValue()).toBe("1");
    expect(await textOf(page.getByText("advanced the ramp to step 1 of 5: first canary"))).toContain("first canary");
    await panel.getByRole("button", { name: "Hold" }).click();
    await expect.poll(() => panel.getByRole("button", { name: "Resume" }).count()).toBe(1);
    expect(await panel.getByRole("button", { name: /Advance to/ }).count()).toBe(0);
    await panel.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => panel.getByRole("button", { name: "Advance to step 2" }).count()).toBe(1);
    await checkAtEveryWidth(page, "a running experiment with a ramp");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "ramp-1280");
    await panel.getByLabel("Reason for the move (optional, kept in the audit trail)").fill("P95 latency 30% worse");
    await panel.getByRole("button", { name: "Roll back" }).click();
    const dialog = page.getByRole("dialog", { name: "Roll back the ramp?" });
    await dialog.getByRole("button", { name: "Roll back" }).click();
    await expect.poll(() => textOf(panel.getByTestId("ramp-last-reason"))).toBe("Last move: P95 latency 30% worse");
    expect(await textOf(panel)).toContain("Rolled back");
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 100, B: 0 });
    await screenshot(page, "ramp-rolled-back-1280");
  } finally {
    await context.close();
  }
}, 180_000);

it("an engineer sees the ramp but is offered no move", async () => {
  const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 1280, height: 900 });
  try {
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const panel = page.getByTestId("ramp-panel");
    await expect.poll(() => textOf(panel.getByTestId("ramp-steps"))).toContain("Step 1:");
    expect(await panel.getByRole("button").count()).toBe(0);
  } finally {
    await context.close();
  }
});
