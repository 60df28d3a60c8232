// Journey: an engineer opens Rubrics from the navigation, writes a rubric with two criteria, saves it (version 1), makes
// version 2 from it (the form prefilled), tries it on the built-in simulator with a pasted interaction and reads the
// scores and the reasoning; then picks that version when starting a judge run. A reviewer reads rubrics with no form.
// Accessible at desktop width and at 390 px, with screenshots of both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { DEMO_ENDPOINT_NAME } from "@/lib/demo/traffic";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible, expectNoInternalWords } from "../support/axe";

let browser: Browser;
const stamp = Date.now().toString(36);
const name = `e2e-tone-${stamp}`;
const key = `rubric-page-${stamp}`;

beforeAll(async () => {
  browser = await launchBrowser();
  const creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

describe.sequential("the Rubrics page", () => {
  it("an engineer saves a rubric, makes its next version from it, and tries it", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local");
    await page.goto(`${baseUrl()}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rubrics" }).click();
    await page.waitForURL((u) => u.pathname === "/rubrics");
    expect(await textOf(page.getByTestId("rubric").filter({ hasText: "default" }).first())).toContain("Helpfulness 1-5");

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Criterion 1 name").fill("empathy");
    await page.locator("#criterion-0-description").fill("Does the reply acknowledge the user's feelings?");
    await page.locator("#criterion-0-max").fill("4");
    await page.getByRole("button", { name: "Add criterion" }).click();
    await page.getByLabel("Criterion 2 name").fill("Task Success");
    await page.locator("#criterion-1-description").fill("Does it solve the problem?");
    await page.getByRole("button", { name: "Save version" }).click();
    // The server names the field at fault, beside it.
    await expect.poll(() => textOf(page.getByTestId("error-criterion-1-name"))).toContain("lower-case letters");
    await page.getByLabel("Criterion 2 name").fill("task_success");
    await page.getByRole("button", { name: "Save version" }).click();
    await expect.poll(() => textOf(page.getByTestId("rubric-saved"))).toBe(`Saved ${name} version 1.`);
    const saved = page.getByTestId("rubric").filter({ hasText: name });
    await expect.poll(() => textOf(saved)).toContain("Empathy 1-4, Task success 1-5");

    // A new version from version 1: the form is prefilled; the same again saves nothing, a change makes version 2.
    await saved.getByRole("button", { name: `New version from ${name} version 1` }).click();
    expect(await page.getByLabel("Criterion 1 name").inputValue()).toBe("empathy");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(name);
    await page.getByRole("button", { name: "Save version" }).click();
    await expect.poll(() => textOf(page.getByTestId("rubric-saved"))).toContain(`Nothing new to save: this is ${name} version 1`);
    await page.getByRole("button", { name: "Remove criterion 2" }).click();
    await page.locator("#criterion-0-max").fill("5");
    await page.getByRole("button", { name: "Save version" }).click();
    await expect.poll(() => textOf(page.getByTestId("rubric-saved"))).toBe(`Saved ${name} version 2.`);
    await expect.poll(() => saved.getByTestId("rubric-version").count()).toBe(2);

    // Try the saved version 1 on the simulator.
    await page.getByLabel("Rubric", { exact: true }).selectOption(`${name}@1`);
    await page.getByLabel("Judge model endpoint").selectOption(DEMO_ENDPOINT_NAME);
    await page.getByLabel("User input").fill("I'm locked out and upset. How do I reset my password?");
    await page.getByLabel("Model output").fill("Sorry about that! 1. Open Settings. 2. Choose Security. 3. Click Reset password.");
    await page.getByRole("button", { name: "Try it" }).click();
    const result = page.getByTestId("try-result");
    await result.waitFor({ timeout: 30_000 });
    const scores = await result.getByTestId("try-score").allTextContents();
    expect(scores).toHaveLength(2);
    expect(scores[0]).toMatch(/^Empathy[1-4] on 1-4$/);
    expect(scores[1]).toMatch(/^Task success[1-5] on 1-5$/);
    expect((await textOf(result.getByTestId("try-reasoning"))).length).toBeGreaterThan(5);
    expect(await textOf(result)).toContain("tokens");
    await expectAccessible(page, "the Rubrics page with a judgment");
    await expectNoInternalWords(page, "the Rubrics page");
    await screenshot(page, "rubrics-page");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole("heading", { name: "Rubrics", level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page, "the Rubrics page at 390 px");
    await screenshot(page, "rubrics-page-390");
    await context.close();
  });

  it("the Judge page starts a run with a chosen rubric version", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}/judge`);
    await page.getByLabel("Rubric", { exact: true }).selectOption(`${name}@2`);
    expect(await textOf(page.getByTestId("judge-rubric-criteria"))).toBe("Scores Empathy 1-5");
    await page.getByRole("button", { name: "Start judging" }).click();
    await expect.poll(() => textOf(page.getByTestId("judge-run").first())).toContain(`${name}, version 2`);
    await context.close();
  });

  it("a reviewer reads the rubrics and their versions, with no form to save or try one", async () => {
    const { context, page } = await signedInPage(browser, "reviewer@assay.local");
    await page.goto(`${baseUrl()}/rubrics`);
    await expect.poll(() => page.getByTestId("rubric").filter({ hasText: name }).getByTestId("rubric-version").count()).toBe(2);
    expect(await page.getByRole("button", { name: "Save version" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Try it" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /New version from/ }).count()).toBe(0);
    await context.close();
  });
});
