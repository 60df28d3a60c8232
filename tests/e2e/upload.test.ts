// Journey: an engineer uploads a CSV of 4,500 interactions from the browser: it goes in batches with progress, lands
// once (uploading it again stores nothing twice), and a file with a bad row says which row and field, storing nothing of
// that batch.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible } from "../support/axe";

const KEY = `upload-ui-${Date.now().toString(36)}`;
let browser: Browser;

async function stored(): Promise<number> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  const r = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Interaction" i JOIN "Experiment" e ON e.id = i."experimentId" WHERE e.key = $1 AND i.source = 'UPLOAD'`,
    [KEY],
  );
  await client.end();
  return r.rows[0].n;
}

function csv(rows: number, bad?: number): Buffer {
  const lines = [
    "request_id,user_id,variant_id,latency_ms,prompt_tokens,completion_tokens,safety_flag,user_input,model_output,metrics.resolved",
  ];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `r-${i},u-${i % 300},${i % 2 ? "A" : "B"},${i === bad ? -3 : 900 + (i % 400)},120,250,false,"How do I reset, my password?","Go to ""Settings""",${i % 2}`,
    );
  }
  return Buffer.from(lines.join("\n"));
}

beforeAll(async () => {
  browser = await launchBrowser();
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(KEY) })).status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
});

describe.sequential("uploading interactions from the browser", () => {
  it("a 4,500-row CSV lands in batches with progress, once; a bad row is named with its field", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}`);
    await page.getByRole("link", { name: "Upload interactions" }).click();
    await page.waitForURL(`**/experiments/${KEY}/upload`);
    await expectAccessible(page, "the upload page");
    await page.getByLabel("File of interactions").setInputFiles({ name: "logs.csv", mimeType: "text/csv", buffer: csv(4500) });
    await expect.poll(() => textOf(page.getByTestId("upload-status")), { timeout: 30_000 }).toBe("Done. 4,500 stored, 0 already there");
    expect(await page.locator("progress").getAttribute("value")).toBe("100");
    expect(await stored()).toBe(4500);
    await screenshot(page, "upload-done");

    await page.getByLabel("File of interactions").setInputFiles({ name: "logs-again.csv", mimeType: "text/csv", buffer: csv(4500) });
    await expect.poll(() => textOf(page.getByTestId("upload-status")), { timeout: 30_000 }).toBe("Done. 0 stored, 4,500 already there");
    expect(await stored()).toBe(4500);

    // Row 2,501 of the data (line 2,502 of the file, after the header) has a negative latency: batches 1 and 2 land
    // (as duplicates here), batch 3 is refused whole and the upload stops.
    await page.getByLabel("File of interactions").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: csv(4500, 2500) });
    const alert = page.getByTestId("upload-progress").getByRole("alert");
    await expect.poll(() => textOf(alert), { timeout: 30_000 }).toContain("row 2,502, latency_ms: latency_ms must not be negative");
    expect(await textOf(alert)).toContain("none of its rows were stored");
    expect(await textOf(page.getByTestId("upload-status"))).toBe("0 stored, 2,000 already there");
    await expectAccessible(page, "the upload page with a refused batch");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, "upload-refused-390", { fullPage: false });
    await context.close();
  });

  it("a REVIEWER is refused the page and the route", async () => {
    const { context, page } = await signedInPage(browser, "reviewer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${KEY}/upload`);
    expect(await page.getByTestId("interaction-upload").count()).toBe(0);
    expect(await textOf(page.locator("main"))).toContain("REVIEWER");
    await context.close();
  });
});
