// Keyboard and screen-reader use of the studio's dialogs and forms: a dialog takes focus, keeps it and gives it back;
// a refused field says so on the input itself (aria-invalid, and its message as the input's description); activity
// feeds say how long ago, beside the one date format.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { formatDateTime } from "@/lib/format/dateTime";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, loginAs, screenshot } from "../support/browser";
import { expectAccessible } from "../support/axe";

const KEY = `focus-${Date.now().toString(36)}`;
let browser: Browser;
let createdAt: string;
beforeAll(async () => {
  browser = await launchBrowser();
  const res = await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(KEY) });
  expect(res.status).toBe(201);
  createdAt = res.json.experiment?.createdAt ?? res.json.createdAt;
});
afterAll(async () => {
  await browser?.close();
});

async function pm(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
  return page;
}

const activeInDialog = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest("dialog[open]")));
const activeText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? "");

/** The input's accessible description: the text of the elements its aria-describedby names. */
const description = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? `(missing #${id})`)
      .join(" "),
  );

describe("dialogs", () => {
  it.each([
    ["Start experiment", "Start “Support persona”?"],
    ["Clone…", "Clone this design"],
  ])("%s opens a dialog that takes focus, keeps it on Tab and Shift+Tab, and gives it back on Escape", async (opener, title) => {
    const page = await pm();
    await page.goto(`${baseUrl()}/experiments/${KEY}`);
    const button = page.getByRole("button", { name: opener, exact: true });
    await button.click();
    const dialog = page.getByRole("dialog", { name: title });
    await dialog.waitFor();
    expect(await activeInDialog(page)).toBe(true);
    await expectAccessible(page, `the "${title}" dialog`);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      expect(await activeInDialog(page)).toBe(true);
    }
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Shift+Tab");
      expect(await activeInDialog(page)).toBe(true);
    }
    await screenshot(page, `dialog-${opener.replace(/\W+/g, "").toLowerCase()}`);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await activeText(page)).toBe(opener);

    // Cancel gives focus back too.
    await button.click();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await activeText(page)).toBe(opener);
    await page.context().close();
  });
});

describe("form errors are tied to their inputs", () => {
  it("the New form marks the refused key invalid and reads its message with it", async () => {
    const page = await pm();
    await page.goto(`${baseUrl()}/experiments/new`);
    const key = "#experiment-key";
    expect(await page.locator(key).getAttribute("aria-invalid")).toBeNull();
    expect(await description(page, key)).toContain("Lowercase letters, digits and dashes"); // the help, before any error
    await page.getByLabel("Experiment name").fill("Focus journey");
    await page.getByLabel("Experiment key").fill("Not A Key!");
    await page.getByRole("button", { name: "Create draft" }).click();
    await page.getByTestId("error-experiment-key").waitFor();
    expect(await page.locator(key).getAttribute("aria-invalid")).toBe("true");
    const message = (await page.getByTestId("error-experiment-key").textContent())!.trim();
    expect(message).toMatch(/lowercase/i);
    expect(await description(page, key)).toBe(message);
    await expectAccessible(page, "the New form with its errors");
    await page.context().close();
  });
});

describe("activity feeds say how long ago", () => {
  it("the overview and the audit timeline read “just now”, with the exact time in the one format", async () => {
    expect(createdAt).toBeTruthy();
    const page = await pm();
    await page.goto(`${baseUrl()}/experiments/${KEY}`);
    const entry = page.getByTestId("audit-timeline").locator("li").last();
    // The "created" event is written with the experiment, within a second of it.
    const at = (await entry.locator("time").getAttribute("datetime"))!;
    expect(Math.abs(Date.parse(at) - Date.parse(createdAt))).toBeLessThan(2000);
    // Seconds to a minute or two after it was created, depending on how busy the machine is.
    expect(await entry.locator("time").textContent()).toMatch(new RegExp(`^(just now|\\d+ minutes? ago) · ${formatDateTime(at)}$`));

    await page.goto(`${baseUrl()}/`);
    const feed = page.getByRole("region", { name: "Latest activity" }).locator("li", { hasText: "Support persona" }).first();
    const time = feed.locator("time");
    expect(await time.textContent()).toMatch(/^(just now|\d+ minutes? ago)$/);
    expect(await time.getAttribute("title")).toBe(formatDateTime((await time.getAttribute("datetime"))!)); // e.g. "1 Dec 2026, 20:40 UTC"
    await page.context().close();
  });
});
