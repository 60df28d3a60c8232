// Journey: a reviewer opens the Judge page of an experiment whose interactions have both judge scores and user ratings
// (planted as in tests/integration/judge-agreement.test.ts, whose numbers come from sklearn and scipy), reads how
// strongly the judge and the users agree, finds the counts in the user x judge grid, switches the rubric version and the
// criterion, and the page stays accessible, in the user's words, and within a phone's width.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { insertInteractions, sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible, expectNoInternalWords } from "../support/axe";

let browser: Browser;
const stamp = Date.now().toString(36);
const key = `agreement-page-${stamp}`;
const rubric = `agree-page-${stamp}`;
const judge = [5, 4, 4, 3, 5, 2, 1, 4, 3, 5, 4, 2, 3, 3, 5, 1, 2, 4, 5, 3, 4, 2, 5, 1, 3, 4, 5, 2];
const human = [5, 5, 4, 3, 4, 2, 2, 3, 3, 5, 4, 1, 3, 2, 5, 1, 3, 4, 4, 3, 5, 1, 4, 2, 2, 4, 3, 3];
const judgeV2 = [5, 4, 3, 3, 5, 2, 2, 4, 3, 4, 4, 2, 3, 4, 5, 1];

beforeAll(async () => {
  browser = await launchBrowser();
  const creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  await insertInteractions(
    key,
    human.map((h, i) => ({
      id: `${key}-${i}`,
      requestId: `${key}-${i}`,
      variant: i % 2 ? "B" : "A",
      userId: `u${i}`,
      timestamp: "2026-01-05T10:00:00Z",
      userInput: `question ${i}`,
      modelOutput: `answer ${i}`,
      userFeedbackScore: h,
    })),
  );
  const criteria = [
    { key: "helpfulness", label: "Helpfulness", description: "Does it help?", min: 1, max: 5 },
    { key: "clarity", label: "Clarity", description: "Is it clear?", min: 1, max: 5 },
  ];
  for (const version of [1, 2])
    await sql(`INSERT INTO "Rubric" (id, name, version, prompt, "jsonSchema", criteria) VALUES ($1, $2, $3, 'p', '{}', $4::jsonb)`, [
      `${rubric}-v${version}`,
      rubric,
      version,
      JSON.stringify(criteria),
    ]);
  const scores = [...judge.map((h, i) => ({ i, v: 1, h })), ...judgeV2.map((h, i) => ({ i, v: 2, h }))];
  await sql(
    `INSERT INTO "JudgeScore" (id, "interactionId", "rubricId", scores, reasoning, "createdAt")
     SELECT 'js-' || s.i || '-' || s.v || '-' || $1, $1 || '-' || s.i, $2 || '-v' || s.v, jsonb_build_object('helpfulness', s.h, 'clarity', 3),
       'r', now() - make_interval(days => CASE WHEN s.v = 2 THEN 1 ELSE 0 END)
     FROM jsonb_to_recordset($3::jsonb) AS s(i int, v int, h int)`,
    [key, rubric, JSON.stringify(scores)],
  );
});
afterAll(async () => {
  await browser?.close();
});

async function sectionShot(page: import("playwright-core").Page, name: string) {
  const dir = path.resolve("tests/.artifacts/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.getByRole("region", { name: "Agreement with user ratings" }).screenshot({ path: path.join(dir, `${name}.png`) });
}

describe.sequential("agreement with user ratings on the Judge page", () => {
  it("a reviewer reads the numbers in words, the grid's counts and each variant's, and switches version and criterion", async () => {
    const { context, page } = await signedInPage(browser, "reviewer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}/judge`);
    const section = page.getByRole("region", { name: "Agreement with user ratings" });
    const summary = section.getByTestId("agreement-summary");
    // kappa 0.8037..., rho 0.8212..., p 8.6e-8 (tests/integration/judge-agreement.test.ts names the sklearn/scipy expressions).
    expect(await textOf(summary)).toBe(
      "Judge and users agree almost perfectly: weighted kappa 0.80, rank correlation 0.82 (p < 0.001), over 28 interactions.",
    );
    const grid = section.getByRole("table", { name: "Interactions by user rating (rows) and judge score (columns)" });
    const cells = await grid
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => Number(td.textContent))));
    // sklearn.metrics.confusion_matrix(human, judge, labels=[1, 2, 3, 4, 5])
    expect(cells).toEqual([
      [1, 2, 0, 0, 0],
      [2, 1, 2, 0, 0],
      [0, 2, 4, 1, 1],
      [0, 0, 0, 4, 3],
      [0, 0, 0, 2, 3],
    ]);
    expect(await grid.getByRole("columnheader").allTextContents()).toEqual([
      "User rating by judge score",
      "Judge 1",
      "Judge 2",
      "Judge 3",
      "Judge 4",
      "Judge 5",
    ]);
    expect(await grid.getByRole("rowheader").allTextContents()).toEqual(["User 1", "User 2", "User 3", "User 4", "User 5"]);
    const variants = await section.getByTestId("agreement-variants").locator("li").allTextContents();
    // Variant A: kappa 0.6908, rho 0.6887; B: kappa 0.8414, rho 0.8520 (the integration test's per-variant expressions).
    expect(variants).toEqual([
      "A · Generic: agree strongly: weighted kappa 0.69, rank correlation 0.69, over 14 interactions",
      "B · Persona: agree almost perfectly: weighted kappa 0.84, rank correlation 0.85, over 14 interactions",
    ]);
    expect(await textOf(section.getByTestId("agreement-self"))).toBe(
      `Version 1 and version 2 of ${rubric} agree almost perfectly: weighted kappa 0.92, rank correlation 0.92, over 16 interactions both scored.`,
    );
    await expectAccessible(page, "the Judge page's agreement section");
    await expectNoInternalWords(page, "the Judge page's agreement section");
    await sectionShot(page, "judge-agreement");

    // Version 2: cohen_kappa_score(human[:16], judgeV2, labels=[1..5], weights="quadratic") = 0.8039,
    // spearmanr(human[:16], judgeV2) = (0.7989, p 0.000205).
    await section.getByLabel("Rubric version").selectOption(`2:${rubric}`);
    await expect
      .poll(() => textOf(summary))
      .toBe("Judge and users agree almost perfectly: weighted kappa 0.80, rank correlation 0.80 (p < 0.001), over 16 interactions.");
    // Clarity: the judge gave 3 every time, so there is no rank correlation, and kappa is 0.
    await section.getByLabel("Judge criterion").selectOption("clarity");
    await expect
      .poll(() => textOf(summary))
      .toBe("Judge and users agree no better than chance: weighted kappa 0.00, over 16 interactions.");
    expect(await textOf(section)).toContain("Rank correlation is undefined: the judge gave every interaction the same score.");
    await expectAccessible(page, "the agreement section after switching");

    await page.setViewportSize({ width: 390, height: 844 });
    await section.getByLabel("Judge criterion").selectOption("helpfulness");
    await expect.poll(() => textOf(summary)).toContain("over 16 interactions");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await sectionShot(page, "judge-agreement-390");
    await screenshot(page, "judge-agreement-page-390");
    await context.close();
  });
});
