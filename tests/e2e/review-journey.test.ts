// Journey: the deploy decision. A PM opens a stopped experiment's Decision page, reads the matrix and requests a review
// of "Deploy B"; a reviewer finds it under "Waiting for you", reads the frozen matrix and approves B with a comment; the
// PM then sees the decision (B ships) and the audit trail. Screenshots at 1280 px and 390 px, WCAG 2.1 AA on each page.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { metricTemplates, templateMetric } from "@/lib/experiments/metricTemplates";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { expectAccessible, expectNoInternalWords } from "../support/axe";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";

const RUN = Date.now().toString(36);
const KEY = `decide-${RUN}`;
let browser: Browser;

const template = (name: string) => templateMetric(metricTemplates.find((t) => t.name === name)!);

/** Interactions where B is more helpful (4.5 against 3.8 on 1-5), as fast, as safe, and 20% dearer: the rules say deploy B. */
function interactions() {
  const A = [3, 4, 4, 5, 3, 4, 2, 5, 4, 4];
  const B = [4, 5, 5, 4, 5, 3, 5, 4, 5, 5];
  return (["A", "B"] as const).flatMap((variant) =>
    Array.from({ length: 130 }, (_, i) => ({
      request_id: `${KEY}-${variant}-${i}`,
      user_id: `${KEY}-user-${variant}-${i}`,
      experiment_key: KEY,
      variant_id: variant,
      latency_ms: 800 + ((i * 37) % 400),
      safety_flag: i % 50 === 0,
      cost_usd: (variant === "A" ? 0.0008 : 0.00096) * (0.9 + ((i * 7) % 10) / 50),
      metrics: { helpfulness: (variant === "A" ? A : B)[i % 10] },
    })),
  );
}

async function pageChecks(page: Page, name: string) {
  await expectAccessible(page, name);
  await expectNoInternalWords(page, name);
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(wider, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
  await expectAccessible(page, `${name} at 390 px`);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

beforeAll(async () => {
  browser = await launchBrowser();
  const creds = await demoCredentials();
  const body = minimalExperimentBody(KEY);
  Object.assign(body, {
    name: `Support persona ${RUN}`,
    // MDEs sized so that 130 users per variant cover the planned sample: the matrix can call a winner.
    metrics: [
      { name: "Helpfulness", role: "GOAL", kind: "MEAN", source: "CUSTOM_VALUE", field: "helpfulness", direction: "INCREASE", mde: 0.15 },
      { ...template("Latency P95"), mde: 0.25 },
      { ...template("Harmful response rate"), mde: 0.15, nonInferiorityMargin: 0.05 },
      { ...template("Cost per interaction"), mde: 0.2, nonInferiorityMargin: 0.3 },
    ],
  });
  const made = await api("/api/v1/experiments", { key: creds.PM.key, body });
  expect(made.status, made.text).toBe(201);
  expect((await api(`/api/v1/experiments/${KEY}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: interactions() });
  expect(sent.status, sent.text).toBe(200);
  expect((await api(`/api/v1/experiments/${KEY}/stop`, { key: creds.PM.key, body: {} })).status).toBe(200);
  const live = await api(`/api/v1/experiments/${KEY}/decision-matrix`, { key: creds.PM.key });
  const b = live.json.matrix.rows.find((r: { variant: string }) => r.variant === "B");
  expect(b.recommendation, b.reasons.join("\n")).toBe("deploy");
  expect(inject("apiKey")).toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
});

describe("the deploy decision, from request to sign-off", () => {
  it("PM requests review; the reviewer approves B with a comment from 'waiting for me'; the PM sees the decision and the audit trail", async () => {
    // 1. The PM reads the matrix on the experiment's Decision page and requests a review of "Deploy B".
    const pm = await signedInPage(browser, "pm@assay.local", { width: 1280, height: 900 });
    try {
      await pm.page.goto(`${baseUrl()}/experiments/${KEY}`);
      await pm.page.getByRole("link", { name: "Decision", exact: true }).click();
      await pm.page.waitForURL(`**/experiments/${KEY}/decision`);
      const matrix = pm.page.getByTestId("decision-matrix");
      const rowB = matrix.locator("tr[data-variant='B']");
      await expect.poll(() => textOf(rowB)).toContain("Deploy");
      expect(await textOf(rowB)).toContain("Significantly better");
      await pageChecks(pm.page, "decision-pm-before-review");
      await expect.poll(() => pm.page.getByLabel("Proposed decision").inputValue()).toBe("B");
      await pm.page.getByLabel("Note for the reviewer (optional)").fill("Helpfulness is up; cost rose about 20%, well within the limit.");
      await pm.page.getByRole("button", { name: "Request review" }).click();
      await expect.poll(() => textOf(pm.page.getByTestId("pending-review"))).toContain("Deploy B (Persona)");
    } finally {
      await pm.context.close();
    }

    // 2. The reviewer opens "Waiting for you", reads the frozen matrix and approves B with a comment.
    const reviewer = await signedInPage(browser, "reviewer@assay.local", { width: 1280, height: 900 });
    try {
      await reviewer.page.goto(`${baseUrl()}/reviews`);
      const waiting = reviewer.page.getByTestId("waiting-for-me");
      const link = waiting.getByRole("link", { name: `Support persona ${RUN}: Deploy B (Persona)` });
      await expect.poll(() => link.count()).toBe(1);
      expect(await textOf(reviewer.page.getByTestId("nav-count-Reviews").first())).toMatch(/^, \d+ waiting for you$/);
      await pageChecks(reviewer.page, "reviews-waiting-for-me");
      await link.click();
      await reviewer.page.waitForURL("**/reviews/*");
      const frozen = reviewer.page.getByTestId("decision-matrix");
      const rowB = frozen.locator("tr[data-variant='B']");
      expect(await textOf(rowB)).toContain("Deploy");
      expect(await textOf(rowB)).toMatch(/Helpfulness rose from 3\.8 to 4\.5/);
      expect(await textOf(frozen.locator("tr[data-variant='A']"))).toContain("Control");
      await pageChecks(reviewer.page, "review-before-approval");
      // A comment is required: the empty form is refused by the browser before anything is sent.
      await reviewer.page.getByRole("button", { name: "Approve: Deploy B (Persona)" }).click();
      expect(await reviewer.page.getByLabel("Comment (required)").evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(
        true,
      );
      await reviewer.page
        .getByLabel("Comment (required)")
        .fill("Approved: helpfulness is clearly up, latency and safety hold, the cost stays within the limit.");
      await reviewer.page.getByRole("button", { name: "Approve: Deploy B (Persona)" }).click();
      await expect.poll(() => textOf(reviewer.page.getByTestId("verdict"))).toContain("Approved by Rae Reviewer");
      await screenshot(reviewer.page, "review-approved-1280");
    } finally {
      await reviewer.context.close();
    }

    // 3. The PM sees the decision (B ships, with its configuration) and the audit trail names each step.
    const after = await signedInPage(browser, "pm@assay.local", { width: 1280, height: 900 });
    try {
      await after.page.goto(`${baseUrl()}/experiments/${KEY}/decision`);
      const ship = after.page.getByTestId("ship-configuration");
      await expect.poll(() => textOf(ship)).toContain("Decided: ship B (Persona)");
      expect(await textOf(ship)).toContain("Approved by Rae Reviewer");
      expect(await textOf(ship)).toContain("You are a customer support expert for Acme Inc.");
      await pageChecks(after.page, "decision-pm-decided");
      await after.page.goto(`${baseUrl()}/experiments/${KEY}`);
      const trail = await textOf(after.page.getByTestId("audit-timeline"));
      expect(trail).toContain("Priya PM requested a review: “Deploy B (Persona)”");
      expect(trail).toContain("Rae Reviewer approved “Deploy B (Persona)”: the experiment is decided and ships variant B");
      expect(trail).toContain("comment: Approved: helpfulness is clearly up");
      await screenshot(after.page, "experiment-audit-after-decision-1280");
    } finally {
      await after.context.close();
    }
  });

  it("an engineer reads the guide's matrix on the demo's four candidates: B deploy, C and D do not deploy, each with its reason", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 1280, height: 900 });
    try {
      await page.goto(`${baseUrl()}/experiments/support-four-candidates/decision`);
      const matrix = page.getByTestId("decision-matrix");
      const row = (v: string) => textOf(matrix.locator(`tr[data-variant='${v}']`));
      await expect.poll(() => row("B")).toContain("Deploy");
      expect(await row("C")).toMatch(/Do not deploy.*Cost per 1k requests is 3\.\d+x the control's/);
      expect(await row("D")).toMatch(/Do not deploy.*any safety regression blocks a deploy/);
      // An engineer reads the matrix but neither requests a review nor changes the rules.
      expect(await page.getByRole("button", { name: "Request review" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Save rules" }).count()).toBe(0);
      await pageChecks(page, "decision-four-candidates");
    } finally {
      await context.close();
    }
  });
});
