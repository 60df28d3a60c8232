// The API reference: /api/v1/openapi.json serves the generated document, and /docs/api renders it for a signed-in user.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { openApiDocument } from "@/lib/openapi/document";
import { api, baseUrl } from "../support/http";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { expectAccessible, expectNoInternalWords } from "../support/axe";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the API reference", () => {
  it("is served as OpenAPI 3.1 without a key", async () => {
    const res = await api("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    expect(res.json).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("renders every endpoint with its fields and who may call it, at desktop width and at 390 px", async () => {
    const { context, page } = await signedInPage(browser, "engineer@assay.local");
    await page.goto(`${baseUrl()}/docs/api`);
    const ingest = page.locator("article", { has: page.getByText("/api/v1/interactions", { exact: true }) });
    const text = await textOf(ingest);
    expect(text).toContain("Who may call it: ADMIN, PM, ENGINEER — with an API key only.");
    expect(text).toContain("request_id (required)");
    expect(text).toContain("latency_ms");
    expect(text).toContain("A batch lands whole or not at all");
    expect(await page.locator("article").count()).toBe(
      openApiDocument() && Object.values(openApiDocument().paths).reduce((n, p) => n + Object.keys(p).length, 0),
    );
    await expectAccessible(page, "the API reference");
    await expectNoInternalWords(page, "the API reference");
    await screenshot(page, "api-reference");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await expectAccessible(page, "the API reference at 390 px");
    await screenshot(page, "api-reference-390", { fullPage: false });
    await context.close();
  });
});
