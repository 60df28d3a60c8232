// Journey: unsaved edits are never lost without asking. Every way out of the design page and the New form (sidebar,
// breadcrumb, other links, Back, reload) asks first; the New form keeps its draft in this browser and offers it back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Dialog as BrowserDialog, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, loginAs, screenshot, signedInPage, textOf } from "../support/browser";

const RUN = Date.now().toString(36);
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const path = (page: Page) => new URL(page.url()).pathname;
const sidebarLink = (page: Page, name: string) => page.locator("aside").getByRole("link", { name, exact: true });

/** Asks the browser to reload, answers its leave prompt with `accept`, and says whether the prompt came. */
async function reloadAnswering(page: Page, accept: boolean): Promise<boolean> {
  const prompt = new Promise<BrowserDialog>((resolve) => page.once("dialog", resolve));
  await page.evaluate(() => setTimeout(() => window.location.reload(), 0));
  const dialog = await Promise.race([prompt, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
  if (!dialog) return false;
  expect(dialog.type()).toBe("beforeunload");
  if (accept) await dialog.accept();
  else await dialog.dismiss();
  return true;
}

describe.sequential("unsaved changes", () => {
  it("the design page asks before the sidebar, the breadcrumb, a link or Back discards an edit, and the browser asks on reload", async () => {
    const cookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `unsaved-${RUN}`;
    expect((await api("/api/v1/experiments", { cookie: cookie!, body: minimalExperimentBody(key) })).status).toBe(201);
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments?q=${key}`);
    await page.getByRole("link", { name: "Support persona", exact: true }).click();
    await page.waitForURL(`**/experiments/${key}`);
    const design = `/experiments/${key}`;

    const name = page.getByLabel("Experiment name");
    await name.fill("Support persona, renamed");
    await expect.poll(() => textOf(page.getByTestId("save-bar"))).toContain("Unsaved changes: name");

    const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
    for (const exit of [
      () => sidebarLink(page, "Experiments").click(),
      () => page.locator("main").getByRole("link", { name: "Experiments", exact: true }).click(),
      () => page.getByRole("link", { name: "Design document" }).click(),
      () => page.goBack(),
    ]) {
      await exit();
      await dialog.waitFor();
      expect(await textOf(dialog.getByTestId("leave-guard-message"))).toBe(
        "You have unsaved changes to this design (name). If you leave now, they are lost.",
      );
      await dialog.getByRole("button", { name: "Stay on this page" }).click();
      await dialog.waitFor({ state: "detached" });
      expect(path(page)).toBe(design);
      expect(await name.inputValue()).toBe("Support persona, renamed");
    }
    // A section anchor is the same page: no question.
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Plan" }).click();
    expect(await dialog.count()).toBe(0);
    await page.getByLabel("Experiment name").scrollIntoViewIfNeeded();
    await screenshot(page, "unsaved-design-dialog-before");

    // Reload and close: the browser's own prompt; staying keeps the edit.
    expect(await reloadAnswering(page, false)).toBe(true);
    expect(await name.inputValue()).toBe("Support persona, renamed");

    // Back first undoes the section anchor, without asking; Back again asks, and this time leave: the list, and the edit is gone.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === design && url.hash === "");
    expect(await dialog.count()).toBe(0);
    await page.goBack();
    await dialog.waitFor();
    await screenshot(page, "unsaved-design-dialog", { fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "unsaved-design-dialog-390", { fullPage: false });
    await page.setViewportSize({ width: 1400, height: 900 });
    await dialog.getByRole("button", { name: "Leave and lose the changes" }).click();
    await page.waitForURL((url) => url.pathname === "/experiments");
    expect((await api(`/api/v1/experiments/${key}`, { cookie: cookie! })).json.experiment.name).toBe("Support persona");

    // Saved changes leave freely, and Back is not pressed twice for the guard's extra history entry.
    await page.goto(`${baseUrl()}${design}`);
    await name.fill("Support persona, saved");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => textOf(page.getByTestId("save-bar"))).toContain("All changes saved");
    await sidebarLink(page, "Sample-size planner").click();
    await page.waitForURL("**/planner");
    expect(await dialog.count()).toBe(0);
    await page.goBack();
    await page.waitForURL((url) => url.pathname === design);
    expect(await name.inputValue()).toBe("Support persona, saved");
    expect(await reloadAnswering(page, true)).toBe(false);
    await context.close();
  });

  it("a running experiment's small form asks too", async () => {
    const cookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `unsaved-running-${RUN}`;
    expect((await api("/api/v1/experiments", { cookie: cookie!, body: minimalExperimentBody(key) })).status).toBe(201);
    expect((await api(`/api/v1/experiments/${key}/start`, { method: "POST", cookie: cookie! })).status).toBe(200);
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    await page.getByTestId("after-start-editor").getByLabel("Description").fill("Why we run it");
    await sidebarLink(page, "Overview").click();
    const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
    expect(await textOf(dialog.getByTestId("leave-guard-message"))).toBe(
      "You have unsaved changes to this experiment (description). If you leave now, they are lost.",
    );
    await dialog.getByRole("button", { name: "Stay on this page" }).click();
    expect(path(page)).toBe(`/experiments/${key}`);
    await context.close();
  });

  it("the New form keeps its draft in this browser, asks before leaving, and offers the draft back", async () => {
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/new`);
    await page.getByLabel("Experiment name").fill(`Kept draft ${RUN}`);
    await page.getByLabel("If we change …").fill("the system prompt to an Acme persona");
    await page.getByRole("radio", { name: /^Model/ }).check();
    await page.getByTestId("variant-1").getByLabel("Model").fill("Llama-4-Maverick-17B-128E-Instruct-FP8");
    await expect.poll(() => textOf(page.getByTestId("draft-kept"))).toContain("Draft kept in this browser as you type");

    // Cancel is a way out too.
    await page.getByRole("link", { name: "Cancel" }).click();
    const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
    expect(await textOf(dialog.getByTestId("leave-guard-message"))).toBe(
      "You have unsaved changes to this new experiment. It is not created yet; the draft stays in this browser, and New experiment offers to restore it when you come back.",
    );
    await screenshot(page, "unsaved-new-dialog", { fullPage: false });
    await dialog.getByRole("button", { name: "Leave, keep the draft" }).click();
    await page.waitForURL((url) => url.pathname === "/experiments");

    // Back on the form (a new visit, so a reload of the tab too), the draft is offered, not pushed into the fields.
    await page.goto(`${baseUrl()}/experiments/new`);
    const offer = page.getByTestId("draft-restore");
    await expect.poll(() => textOf(offer)).toContain(`“Kept draft ${RUN}”, not created yet.`);
    expect(await page.getByLabel("Experiment name").inputValue()).toBe("");
    await screenshot(page, "unsaved-new-restore");
    await offer.getByRole("button", { name: "Restore the draft" }).click();
    expect(await page.getByLabel("Experiment name").inputValue()).toBe(`Kept draft ${RUN}`);
    expect(await page.getByLabel("Experiment key").inputValue()).toBe(`kept-draft-${RUN}`);
    expect(await page.getByLabel("If we change …").inputValue()).toBe("the system prompt to an Acme persona");
    expect(await page.getByRole("radio", { name: /^Model/ }).isChecked()).toBe(true);
    expect(await page.getByTestId("variant-1").getByLabel("Model").inputValue()).toBe("Llama-4-Maverick-17B-128E-Instruct-FP8");
    expect(await offer.count()).toBe(0);

    // Reload asks (the browser's prompt); created, the draft is gone from this browser.
    expect(await reloadAnswering(page, false)).toBe(true);
    await page.getByTestId("variant-0").getByLabel("Model").fill("Llama-4-Scout-17B-16E-Instruct-FP8");
    await page.getByRole("button", { name: "Create draft" }).click();
    await page.waitForURL(`**/experiments/kept-draft-${RUN}`);
    expect(await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith("assay:new-experiment:")))).toEqual([]);
    await page.goto(`${baseUrl()}/experiments/new`);
    await page.getByLabel("Experiment name").waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId("draft-restore").count()).toBe(0);
    await context.close();
  });

  it("Sign out asks first with unsaved edits, in the studio and on the New form; only leaving signs out", async () => {
    const cookie = await signIn("pm@assay.local", DEMO_PASSWORD);
    const key = `unsaved-signout-${RUN}`;
    expect((await api("/api/v1/experiments", { cookie: cookie!, body: minimalExperimentBody(key) })).status).toBe(201);
    const { context, page } = await signedInPage(browser, "pm@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const name = page.getByLabel("Experiment name");
    await name.fill("Renamed, not saved");
    await expect.poll(() => textOf(page.getByTestId("save-bar"))).toContain("Unsaved changes: name");

    const signOut = page.locator("aside").getByRole("button", { name: "Sign out" });
    const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
    // Before: the click signed out at once and the edit was gone.
    await signOut.click();
    await dialog.waitFor();
    expect(await textOf(dialog.getByTestId("leave-guard-message"))).toBe(
      "You have unsaved changes to this design (name). If you leave now, they are lost.",
    );
    await screenshot(page, "unsaved-sign-out-dialog", { fullPage: false });
    await dialog.getByRole("button", { name: "Stay on this page" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(path(page)).toBe(`/experiments/${key}`);
    expect(await name.inputValue()).toBe("Renamed, not saved");
    // Still signed in: the session answers.
    expect((await context.request.get(`${baseUrl()}/api/v1/me`)).status()).toBe(200);

    await signOut.click();
    await dialog.getByRole("button", { name: "Leave and lose the changes" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    expect((await context.request.get(`${baseUrl()}/api/v1/me`)).status()).toBe(401);

    // The New form: the same question, with its kept draft.
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    await page.goto(`${baseUrl()}/experiments/new`);
    await page.getByLabel("Experiment name").fill(`Signed-out draft ${RUN}`);
    await expect.poll(() => textOf(page.getByTestId("draft-kept"))).toContain("Draft kept");
    await signOut.click();
    await dialog.waitFor();
    expect(path(page)).toBe("/experiments/new");
    await dialog.getByRole("button", { name: "Leave, keep the draft" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    expect((await context.request.get(`${baseUrl()}/api/v1/me`)).status()).toBe(401);
    await context.close();
  });

  it("a discarded draft is not offered again, and another user on the same browser never sees it", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    await page.goto(`${baseUrl()}/experiments/new`);
    await page.getByLabel("Experiment name").fill("Priya's private draft");
    await expect.poll(() => textOf(page.getByTestId("draft-kept"))).toContain("Draft kept");

    // The admin signs in on the same browser (same storage): no offer of Priya's draft.
    await context.clearCookies();
    await loginAs(page, "admin@assay.local", DEMO_PASSWORD);
    await page.goto(`${baseUrl()}/experiments/new`);
    await page.getByLabel("Experiment name").waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId("draft-restore").count()).toBe(0);

    await context.clearCookies();
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    await page.goto(`${baseUrl()}/experiments/new`);
    const offer = page.getByTestId("draft-restore");
    await expect.poll(() => textOf(offer)).toContain("Priya's private draft");
    await offer.getByRole("button", { name: "Discard it" }).click();
    await page.reload();
    await page.getByLabel("Experiment name").waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId("draft-restore").count()).toBe(0);
    await context.close();
  });
});
