// Nothing cut off at 390 px or beside the sidebar at 1024 px: the scorecard editor's fields stay inside their metric
// cards, tables whose rows hold a button stack into one card per row instead of scrolling sideways, the plan's
// caption wraps, and a long field name wraps instead of pushing the scorecard's MDE column out of view.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl } from "../support/http";
import { launchBrowser, loginAs, screenshot } from "../support/browser";
import { cutOff } from "../support/pageSweep";
import { minimalExperimentBody } from "../support/experiments";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, width: number, height = 844): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await loginAs(page, email, DEMO_PASSWORD);
  return page;
}

/** The element's horizontal extent and that of the box it must stay in (the nearest ancestor matching `box`). */
const spans = (page: Page, selector: string, box: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el, box) => {
      const r = el.getBoundingClientRect();
      const b = el.closest(box)!.getBoundingClientRect();
      return { left: r.left, right: r.right, boxLeft: b.left, boxRight: b.right };
    }, box);

describe("at 390 px", () => {
  it.each([["/experiments/new"], ["/experiments/model-scout-vs-maverick"]])(
    "every field of the scorecard editor on %s ends inside its metric card",
    async (path) => {
      const page = await signedIn("pm@assay.local", 390);
      await page.goto(`${baseUrl()}${path}`);
      const unit = page.getByLabel("MDE unit of Harmful response rate");
      await unit.waitFor();
      // Before: the MDE unit select and the Baseline / SD / margin inputs ended at x≈376, the card at x≈353.
      const s = await spans(page, '[aria-label="MDE unit of Harmful response rate"]', "[data-testid^=metric-]");
      expect(s.right).toBeLessThanOrEqual(s.boxRight);
      expect(await cutOff(page)).toEqual([]);
      await unit.evaluate((el) => el.closest("[data-testid^=metric-]")!.scrollIntoView());
      await screenshot(page, `scorecard-editor-390${path.replaceAll("/", "-")}`, { fullPage: false });
      await page.context().close();
    },
  );

  it("the API keys table stacks into cards: the whole date and Revoke are in view without scrolling sideways", async () => {
    const page = await signedIn("engineer@assay.local", 390);
    await page.goto(`${baseUrl()}/settings/api-keys`);
    await page.getByLabel("Name (what will use it)").fill("Nightly export at 390 px");
    await page.getByRole("button", { name: "Create key" }).click();
    const revoke = page.getByRole("button", { name: "Revoke Nightly export at 390 px" });
    await revoke.waitFor();
    const box = (await revoke.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const created = page.getByTestId("api-keys-table").locator("tr", { has: revoke }).locator("td[data-label=Created]");
    expect(await created.textContent()).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/);
    const c = await spans(page, `td[data-label=Created] >> nth=0`, "[role=region]");
    expect(c.right).toBeLessThanOrEqual(c.boxRight);
    expect(await page.locator("[role=region][aria-label='API keys table']").evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    expect(await cutOff(page)).toEqual([]);
    await screenshot(page, "api-keys-390");
    await page.context().close();
  });

  it("the plan's note on what each metric needs wraps inside its card on a decided design", async () => {
    const page = await signedIn("pm@assay.local", 390);
    await page.goto(`${baseUrl()}/experiments/rag-top-k-5-vs-10`);
    const note = page.getByText(/^What each metric needs \(/);
    await note.waitFor();
    const s = await spans(page, "#plan-requirements-caption", "section");
    expect(s.right).toBeLessThanOrEqual(s.boxRight);
    expect(await note.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().height > 20)).toBe(true);
    // The rows stack too: a guardrail's "not sized" sentence wraps inside the box instead of running past its edge.
    const reason = await spans(page, "[data-testid=plan-requirements] td[data-label='Not sized']", "[role=region]");
    expect(reason.right).toBeLessThanOrEqual(reason.boxRight);
    expect(await page.locator("[role=region][aria-label='What each metric needs']").evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(
      0,
    );
    expect(await cutOff(page)).toEqual([]);
    await note.scrollIntoViewIfNeeded();
    await screenshot(page, "plan-note-390", { fullPage: false });
    await page.context().close();
  });
});

describe("beside the sidebar at 1024 px", () => {
  it("a long field name wraps in the scorecard table, which keeps its MDE column in view", async () => {
    const key = `long-field-${Date.now()}`;
    const body = minimalExperimentBody(key);
    body.metrics = [
      {
        name: "helpfulness",
        role: "GOAL",
        kind: "MEAN",
        direction: "INCREASE",
        mde: 0.05,
        source: "CUSTOM_VALUE",
        field: "support_agent_final_answer_helpfulness_score_from_the_customer_survey_widget",
      } as (typeof body.metrics)[number],
    ];
    const created = await api("/api/v1/experiments", { key: inject("apiKey"), body });
    expect(created.status).toBe(201);
    expect((await api(`/api/v1/experiments/${key}/start`, { key: inject("apiKey"), body: {} })).status).toBe(200);

    const page = await signedIn("pm@assay.local", 1024, 900);
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const table = page.getByTestId("scorecard-table");
    await table.waitFor();
    const mde = await spans(page, "[data-testid=scorecard-table] th:nth-child(6)", "[role=region]");
    expect(mde.right).toBeLessThanOrEqual(mde.boxRight);
    const baseline = await spans(page, "[data-testid=scorecard-table] th:nth-child(8)", "[role=region]");
    expect(baseline.right).toBeLessThanOrEqual(baseline.boxRight);
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, "scorecard-table-long-field-1024", { fullPage: false });
    await page.context().close();
  });
});
