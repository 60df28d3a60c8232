// The accessibility check itself (tests/support/axe.ts): it must find what it is there to find, so that the sweeps'
// empty lists mean something. A page of the app with two planted faults, checked twice (axe-core is put in once).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { accessibilityViolations } from "../support/axe";
import { launchBrowser } from "../support/browser";
import { baseUrl } from "../support/http";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it("finds low-contrast text and an image without a text alternative, and nothing on the page as it is", async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl()}/login`);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.evaluate(() => {
    const p = document.createElement("p");
    p.textContent = "Pale words on white";
    p.style.color = "#cccccc";
    p.style.background = "#ffffff";
    const img = document.createElement("img");
    img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    document.querySelector("main")!.append(p, img);
  });
  const lines = await accessibilityViolations(page);
  expect(lines.some((l) => l.startsWith("color-contrast (serious)"))).toBe(true);
  expect(lines.some((l) => l.startsWith("image-alt (critical)"))).toBe(true);
  expect(lines.join("\n")).toContain("Element has insufficient color contrast");
  await page.close();
});
