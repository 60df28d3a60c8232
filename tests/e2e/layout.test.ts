// The app shell at every width: a menu instead of the sidebar on narrow screens, navigation, section links and the
// primary action kept in view on long pages, a skip link, and forms whose values are not clipped beside the sidebar.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { navigationFor } from "@/lib/navigation/items";
import { baseUrl } from "../support/http";
import { launchBrowser, loginAs, screenshot } from "../support/browser";
import { checkAtEveryWidth } from "../support/pageSweep";

const DRAFT = "/experiments/model-scout-vs-maverick"; // the demo's draft: the studio with the scorecard editor

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function pmAt(width: number, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
  return page;
}

/** True when the element's box lies inside the window. */
const inView = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return (
        r.width > 0 &&
        r.height > 0 &&
        r.top >= 0 &&
        r.left >= 0 &&
        r.bottom <= window.innerHeight + 0.5 &&
        r.right <= window.innerWidth + 0.5
      );
    });

const activeInDialog = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest("dialog[open]")));
const activeText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? "");

describe("narrow screens", () => {
  it("at 390 px the sidebar becomes a menu: the page gets the width, the drawer holds focus and gives it back", async () => {
    const page = await pmAt(390, 844);
    expect(await page.locator("aside").isVisible()).toBe(false);
    // The content gets the window (before: 150 px beside a fixed 240 px sidebar).
    const main = (await page.locator("main").boundingBox())!;
    expect(main.width).toBe(390);

    const menu = page.getByRole("button", { name: "Menu" });
    await menu.click();
    const drawer = page.getByRole("dialog", { name: "Menu" });
    await drawer.waitFor();
    const links = await drawer.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    expect(links).toEqual(navigationFor("PM").map((i) => i.label));
    expect(await activeText(page)).toBe("Close");
    await screenshot(page, "menu-390");
    // Tab and Shift+Tab go round the drawer's controls, never out to the page behind it.
    for (let i = 0; i < links.length + 4; i++) {
      await page.keyboard.press("Tab");
      expect(await activeInDialog(page)).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Shift+Tab");
      expect(await activeInDialog(page)).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await activeText(page)).toBe("Menu");

    await menu.click();
    await drawer.getByRole("link", { name: "Experiments" }).click();
    await page.waitForURL((url) => url.pathname === "/experiments");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Experiments");
    await page.context().close();
  });

  it("the sign-in page meets WCAG 2.1 AA at desktop width and at 390 px", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/login`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await checkAtEveryWidth(page, "the sign-in page");
    await screenshot(page, "login-390");
    await context.close();
  });
});

describe("long pages", () => {
  it.each([
    [1280, "aside nav a[aria-current]"],
    [390, "header button"],
  ])("at %i px the navigation, the section links and the save bar stay in view at the foot of the design", async (width, navSelector) => {
    const page = await pmAt(width, 844);
    await page.goto(`${baseUrl()}${DRAFT}`);
    await page.getByTestId("section-nav").waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(2000);
    expect(await inView(page, navSelector)).toBe(true);
    expect(await inView(page, "[data-testid=section-nav]")).toBe(true);
    expect(await inView(page, "[data-testid=save-bar]")).toBe(true);
    await screenshot(page, `design-foot-${width}`);

    // A section link lands its heading below the sticky bars, not under them, and marks itself as the current one.
    const plan = page.getByTestId("section-nav").getByRole("link", { name: "Plan" });
    await plan.click();
    await expect.poll(() => plan.getAttribute("aria-current")).toBe("location");
    const navBottom = (await page.getByTestId("section-nav").boundingBox())!;
    const heading = (await page.locator("#plan-title").boundingBox())!;
    expect(heading.y).toBeGreaterThanOrEqual(navBottom.y + navBottom.height);
    await page.context().close();
  });

  it("the New form keeps Create draft in view from the top of the page", async () => {
    const page = await pmAt(1024, 768);
    await page.goto(`${baseUrl()}/experiments/new`);
    await page.getByRole("button", { name: "Create draft" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(2000);
    expect(await inView(page, "form button[type=submit]")).toBe(true);
    await page.context().close();
  });
});

describe("beside the sidebar at 1024 px", () => {
  it("the scorecard editor shows every value whole (the guardrail's MDE reads 0.005, not 0)", async () => {
    const page = await pmAt(1024);
    await page.goto(`${baseUrl()}${DRAFT}`);
    const mde = page.getByLabel("MDE of Harmful response rate", { exact: true });
    await mde.scrollIntoViewIfNeeded();
    expect(await mde.inputValue()).toBe("0.005");
    // Every input and select of the scorecard is wide enough for what it holds (text width + its own padding).
    const clipped = await page.locator("#scorecard").evaluate((section) => {
      const ctx = document.createElement("canvas").getContext("2d")!;
      return [...section.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input:not([type=checkbox]), select")].flatMap((el) => {
        const style = getComputedStyle(el);
        ctx.font = style.font;
        const text = el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? "") : el.value;
        // A select also draws its arrow (about 1.25rem) beside the text.
        const needed =
          ctx.measureText(text).width +
          parseFloat(style.paddingLeft) +
          parseFloat(style.paddingRight) +
          (el instanceof HTMLSelectElement ? 16 : 0);
        return needed > el.clientWidth
          ? [`${el.getAttribute("aria-label")}: “${text}” needs ${Math.ceil(needed)} px, has ${el.clientWidth}`]
          : [];
      });
    });
    expect(clipped).toEqual([]);
    await mde.evaluate((el) => el.closest("[data-testid^=metric-]")!.scrollIntoView());
    await screenshot(page, "scorecard-1024");
    await page.context().close();
  });
});

describe("keyboard", () => {
  it("the first Tab reaches a visible skip link that moves focus to the page's content", async () => {
    const page = await pmAt(1280);
    await page.goto(`${baseUrl()}/planner`);
    await page.keyboard.press("Tab");
    expect(await activeText(page)).toBe("Skip to main content");
    const box = (await page.getByRole("link", { name: "Skip to main content" }).boundingBox())!;
    expect(box.width).toBeGreaterThan(50);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.context().close();
  });
});
