// next-auth's sign-out address (/api/auth/signout) opens Assay's own sign-out page, which meets WCAG 2.1 AA at both widths and
// signs out for real; its error address opens the login page with a sentence, not next-auth's "Server error".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { expectAccessible, expectNoInternalWords } from "../support/axe";
import { launchBrowser, screenshot, signedInPage } from "../support/browser";
import { baseUrl } from "../support/http";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("Assay's own sign-out and sign-in problem pages", () => {
  it("/api/auth/signout asks on Assay's page, then signs out", { timeout: 90_000 }, async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/api/auth/signout`);
    expect(new URL(page.url()).pathname).toBe("/signout");
    await expect.poll(() => page.getByRole("heading", { name: "Sign out", level: 1 }).isVisible()).toBe(true);
    expect(await page.getByText("You are signed in as pm@assay.local.").count()).toBe(1);
    expect(await page.getByText("Are you sure you want to sign out?").count()).toBe(0);
    await expectAccessible(page, "/signout");
    await expectNoInternalWords(page, "/signout");
    await screenshot(page, "sign-out-page");
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, "/signout at 390 px");
    await screenshot(page, "sign-out-page-390");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/login", { timeout: 20_000 });
    await page.goto(`${baseUrl()}/experiments`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("/api/auth/error opens the login page with what happened, in words", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl()}/api/auth/error?error=Configuration`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/login");
    await expect
      .poll(() => page.getByRole("alert").first().textContent())
      .toBe(
        "Signing in is not working on this server right now: its sign-in settings are incomplete. Ask whoever runs Assay to check the server's log, then try again.",
      );
    await expectAccessible(page, "/login?error=Configuration");
    await screenshot(page, "sign-in-problem");
    await context.close();
  });
});
