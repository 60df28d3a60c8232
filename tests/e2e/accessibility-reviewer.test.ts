import { afterAll, beforeAll, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { pagesFor, sweepRole } from "../support/pageSweep";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it(`as REVIEWER, every page (${pagesFor("REVIEWER").length}) meets WCAG 2.1 AA and shows no internal words, at desktop width and at 390 px`, async () => {
  await sweepRole(browser, "REVIEWER");
}, 420_000);
