// Journey: a PM writes their own ramp plan in the browser (1% -> 5% -> 25% -> 50% -> 100% with no waiting hours and
// small samples), sees the plan's refusals beside the fields they concern, sets it and starts the ramp; interactions
// arrive through the API, and the PM, watching the page, sees the worker's automatic check advance the healthy step,
// then roll back a treatment twice as slow with its reason, both moves in the audit timeline. The API-level version of
// this journey is tests/integration/ramp-auto.test.ts.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { guardrailExperimentBody } from "../support/experiments";
import { latencyStream } from "../support/interactionStream";
import { launchBrowser, signedInPage, textOf } from "../support/browser";
import { checkAtEveryWidth } from "../support/pageSweep";

let browser: Browser;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `ramp-own-${Date.now().toString(36)}`;
const SHOTS = path.resolve("tests/.artifacts/screenshots");

const ingest = latencyStream(key, () => creds.ENGINEER.key);

/** The step's group of fields in the plan editor, and one of its fields by label. */
const step = (panel: Locator, n: number) => panel.getByRole("group", { name: `Step ${n}`, exact: true });
const field = (panel: Locator, n: number, label: string) => step(panel, n).getByLabel(label, { exact: true });
const TREATMENT = "New users to the treatment, %";
const COVERAGE = "Users in the experiment, % (optional)";
const HOURS = "Wait at least, hours";
const SAMPLE = "And at least, interactions per variant";

/** The message the field's aria-describedby points at (what a screen reader reads with it). */
async function describedError(input: Locator): Promise<string> {
  expect(await input.getAttribute("aria-invalid")).toBe("true");
  const ids = (await input.getAttribute("aria-describedby"))?.split(" ") ?? [];
  const errorId = ids.find((id) => id.endsWith("-error"));
  expect(errorId, "the field names its error in aria-describedby").toBeTruthy();
  return textOf(input.page().locator(`[id="${errorId}"]`));
}

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // Scrolled to the top and in the page's coordinates: the sticky header and section bar stay above the panel, not over it.
    const box = await page.getByTestId("ramp-panel").evaluate((el) => {
      window.scrollTo(0, 0);
      const r = el.getBoundingClientRect();
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
    });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true, clip: box });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Watches the open page, without reloading it, until `read` gives what `match` wants: the panel redraws itself when the worker's check moves the ramp. */
async function watch(page: Page, read: () => Promise<string>, match: RegExp) {
  await expect.poll(read, { timeout: 90_000, interval: 1_000 }).toMatch(match);
}

beforeAll(async () => {
  browser = await launchBrowser();
  creds = await demoCredentials();
  const made = await api("/api/v1/experiments", { key: creds.PM.key, body: guardrailExperimentBody(key) });
  expect(made.status, made.text).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

it("a PM sets their own 1-5-25-50-100 plan, and watches the automatic check advance it, then roll back a slow treatment", async () => {
  const { context, page } = await signedInPage(browser, "pm@assay.local", { width: 1280, height: 900 });
  try {
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const panel = page.getByTestId("ramp-panel");
    // The presets say what each step waits.
    expect(await textOf(panel.locator("label", { hasText: /^Canary: 1% → 5%/ }))).toContain(
      "Each step waits at least 24 h and 500 interactions per variant before the next.",
    );
    expect(await panel.getByTestId("ramp-steps-editor").count()).toBe(0);
    await panel.getByLabel(/^Your own steps/).check();

    // Prefilled from the canary: five steps, 1% to 100%, the canary's waits.
    expect(await panel.getByRole("group", { name: /^Step \d+$/ }).count()).toBe(5);
    for (const [n, p] of [1, 5, 25, 50, 100].entries()) expect(await field(panel, n + 1, TREATMENT).inputValue()).toBe(String(p));
    expect(await field(panel, 1, HOURS).inputValue()).toBe("24");
    expect(await field(panel, 1, SAMPLE).inputValue()).toBe("500");
    expect(await field(panel, 5, SAMPLE).inputValue()).toBe("0");
    expect(await field(panel, 1, COVERAGE).inputValue()).toBe("");

    // Remove a step and add one back: the new step starts as a copy of the last.
    await panel.getByRole("button", { name: "Remove step 5" }).click();
    expect(await panel.getByRole("group", { name: /^Step \d+$/ }).count()).toBe(4);
    await panel.getByRole("button", { name: "Add a step" }).click();
    expect(await panel.getByRole("group", { name: /^Step \d+$/ }).count()).toBe(5);
    expect(await field(panel, 5, TREATMENT).inputValue()).toBe("50");
    await field(panel, 5, TREATMENT).fill("100");

    // The PM's waits: no hours, small samples; step 2 large enough that the slow treatment is judged before it could advance.
    const samples = ["200", "3000", "3000", "3000", "0"];
    for (let n = 1; n <= 5; n++) {
      await field(panel, n, HOURS).fill("0");
      await field(panel, n, SAMPLE).fill(samples[n - 1]);
    }

    // Refused by the API's schema: a negative wait, a sample that is not whole; each beside its field, in the form's words.
    await field(panel, 2, HOURS).fill("-1");
    await field(panel, 4, SAMPLE).fill("2.5");
    await panel.getByRole("button", { name: "Set the ramp plan" }).click();
    await expect.poll(() => panel.getByTestId("field-error").count()).toBe(2);
    expect(await describedError(field(panel, 2, HOURS))).toBe("The wait must be at least 0");
    expect(await describedError(field(panel, 4, SAMPLE))).toBe("The interactions per variant must be a whole number");
    expect(await textOf(panel.getByRole("alert"))).toBe("The plan was not set: correct the steps marked below.");
    expect((await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key })).json.ramp).toBeNull();

    // Refused by the plan's rules: a step below the one before it.
    await field(panel, 2, HOURS).fill("0");
    await field(panel, 4, SAMPLE).fill("3000");
    await field(panel, 3, TREATMENT).fill("2");
    await panel.getByRole("button", { name: "Set the ramp plan" }).click();
    await expect
      .poll(() => textOf(panel.getByTestId("field-error")))
      .toBe("Step 3 (2%) is below step 2 (5%): a ramp only goes up; roll back instead");
    expect(await describedError(field(panel, 3, TREATMENT))).toBe(
      "Step 3 (2%) is below step 2 (5%): a ramp only goes up; roll back instead",
    );
    expect(await field(panel, 2, HOURS).getAttribute("aria-invalid")).toBeNull();

    // Checked in the browser: a coverage percentage out of range never reaches the API.
    await field(panel, 3, TREATMENT).fill("25");
    await field(panel, 1, COVERAGE).fill("150");
    await panel.getByRole("button", { name: "Set the ramp plan" }).click();
    await expect
      .poll(() => describedError(field(panel, 1, COVERAGE)))
      .toBe("Enter a percentage above 0 and at most 100, or leave it empty.");
    expect(await panel.getByTestId("field-error").count()).toBe(1);

    // The editor with a refusal on screen, at both widths: accessible, nothing cut off or wider than the window.
    await checkAtEveryWidth(page, "the ramp's own-steps editor with a refusal");
    await shoot(page, "ramp-own-steps-editor");

    await field(panel, 1, COVERAGE).fill("");
    await panel.getByRole("button", { name: "Set the ramp plan" }).click();
    await expect.poll(() => textOf(panel.getByTestId("ramp-steps"))).toContain("Step 5: 100% of new users to the treatment");
    const steps = await textOf(panel.getByTestId("ramp-steps"));
    expect(steps).toContain("Step 1: 1% of new users to the treatment; at least 200 interactions per variant before the next step");
    expect(steps).toContain("Step 2: 5% of new users to the treatment; at least 3,000 interactions per variant before the next step");
    expect(steps).not.toContain(" h ");
    expect((await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key })).json.ramp.steps).toEqual([
      { treatmentPercent: 1, minHours: 0, minSample: 200 },
      { treatmentPercent: 5, minHours: 0, minSample: 3000 },
      { treatmentPercent: 25, minHours: 0, minSample: 3000 },
      { treatmentPercent: 50, minHours: 0, minSample: 3000 },
      { treatmentPercent: 100, minHours: 0, minSample: 0 },
    ]);
    expect(await panel.getByTestId("field-error").count()).toBe(0);
    expect(await panel.getByRole("alert").count()).toBe(0);

    await panel.getByRole("button", { name: "Advance to step 1" }).click();
    await expect.poll(() => textOf(panel.getByTestId("ramp-steps").locator("li").first())).toMatch(/\(now\)$/);
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 99, B: 1 });

    // Healthy traffic with step 1's sample: the worker's check advances to step 2, and the page says why.
    await ingest(350);
    await watch(page, () => textOf(panel.getByTestId("ramp-steps").locator("li").nth(1)), /^Step 2: 5% .*\(now\)$/);
    expect(await textOf(panel.getByTestId("ramp-last-reason"))).toMatch(
      /^Last move: automatic check: the step ran \d+\.\d h with at least 200 interactions per variant, and no guardrail is worse than its limit \(P95 latency_ms of B: /,
    );
    expect(await textOf(panel.getByTestId("ramp-last-check"))).toMatch(/^Automatic check, .+: advanced: the step ran/);
    expect(await textOf(panel.getByTestId("ramp-next"))).toContain("Advancing to step 3 sends new users 75% to Generic, 25% to Persona.");
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 95, B: 5 });

    // Twice as slow: rolled back at once, with the guardrail's numbers.
    await ingest(1200, 2);
    await watch(page, () => textOf(panel.locator("h2 + *")), /^Rolled back$/);
    expect(await textOf(panel.getByTestId("ramp-last-reason"))).toMatch(
      /^Last move: automatic check: guardrail breached: P95 latency_ms of B: \+\d+\.\d% to \+\d+\.\d% against the control \(limit \+10\.0%\), worse than the limit$/,
    );
    expect(await textOf(panel.getByTestId("ramp-steps").locator("li").nth(1))).toMatch(/^Step 2: 5% .*\(rolled back from here\)$/);
    expect(await textOf(panel.getByTestId("ramp-next"))).toContain(
      "Starting again at step 2 sends new users 95% to Generic, 5% to Persona.",
    );
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 100, B: 0 });

    // The audit timeline, newest first: the check's rollback, its advance, the PM's start and plan (between them, the
    // split each move set).
    const entries = (await page.getByTestId("audit-timeline").locator("li").allTextContents()).filter((t) =>
      / the ramp |ramp plan/.test(t),
    );
    expect(entries[0]).toMatch(
      /^Automatic ramp check rolled the ramp back: every new user to the control \(automatic check: guardrail breached: P95 latency_ms of B: \+/,
    );
    expect(entries[1]).toMatch(/^Automatic ramp check advanced the ramp to step 2 of 5: automatic check: the step ran/);
    expect(entries[2]).toMatch(/advanced the ramp to step 1 of 5: moved by/);
    expect(entries[3]).toMatch(/set a ramp plan of 5 steps/);
    expect(entries).toHaveLength(4);

    // Rolled back, the plan can be replaced: your own steps start from the plan in place, to lengthen its waits.
    await panel.getByLabel(/^Your own steps/).check();
    expect(await field(panel, 1, SAMPLE).inputValue()).toBe("200");
    expect(await field(panel, 2, SAMPLE).inputValue()).toBe("3000");
    await checkAtEveryWidth(page, "a ramp rolled back by the automatic check, with the own-steps editor open");
    await shoot(page, "ramp-rolled-back");
  } finally {
    await context.close();
  }
}, 300_000);
