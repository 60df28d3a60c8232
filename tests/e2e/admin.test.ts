// The admin's and every user's settings: changes that are hard to take back ask first (role, disabling, revoking a
// key), a new key's secret can be copied and is gone once the key is revoked; and addresses that match nothing say so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";
import { launchBrowser, loginAs, screenshot } from "../support/browser";
import { expectAccessible } from "../support/axe";

const RUN = Date.now().toString(36);
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, options: { permissions?: string[]; width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, permissions: options.permissions });
  const page = await context.newPage();
  await loginAs(page, email, DEMO_PASSWORD);
  return page;
}

/** The user's role and disabled flag as the API has them now. */
async function userAsStored(adminCookie: string, email: string) {
  const res = await api("/api/v1/users", { cookie: adminCookie });
  return (res.json.users as { email: string; role: string; disabled: boolean }[]).find((u) => u.email === email)!;
}

describe("an admin confirms role changes and disabling", () => {
  it("Cancel keeps the role; confirming changes it; disabling asks and says what follows; enabling does not", async () => {
    const email = `confirm-${RUN}@example.com`;
    const adminCookie = (await signIn("admin@assay.local", DEMO_PASSWORD))!;
    const created = await api("/api/v1/users", {
      cookie: adminCookie,
      headers: { origin: baseUrl() },
      body: { email, name: "Casey Confirm", role: "ENGINEER", password: "confirm-password-1" },
    });
    expect(created.status).toBe(201);

    const page = await signedIn("admin@assay.local");
    await page.goto(`${baseUrl()}/admin/users`);
    const role = page.getByLabel(`Role of ${email}`);
    await role.selectOption("ADMIN");
    const dialog = page.getByRole("dialog", { name: "Make Casey Confirm an ADMIN?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      `${email} is ENGINEER today: they can route traffic and run load tests. As ADMIN they keep all of that and can also manage users, roles and keys.`,
    );
    // Cancel is focused first: Enter does not promote anyone by accident.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).innerText)).toBe("Cancel");
    await expectAccessible(page, "the role confirmation");
    await screenshot(page, "admin-confirm-role");
    await page.keyboard.press("Enter");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await role.inputValue()).toBe("ENGINEER");
    expect((await userAsStored(adminCookie, email)).role).toBe("ENGINEER");

    await role.selectOption("REVIEWER");
    await page.getByRole("dialog").getByRole("button", { name: "Change role to REVIEWER" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Role updated: ${email} is now REVIEWER.`);
    expect((await userAsStored(adminCookie, email)).role).toBe("REVIEWER");
    await expect.poll(() => role.inputValue()).toBe("REVIEWER");

    await page.getByRole("button", { name: `Disable ${email}` }).click();
    const disable = page.getByRole("dialog", { name: "Disable Casey Confirm?" });
    expect(await disable.textContent()).toContain("signed out at once and cannot sign in; their API keys stop working");
    await disable.getByRole("button", { name: "Cancel" }).click();
    expect((await userAsStored(adminCookie, email)).disabled).toBe(false);
    await page.getByRole("button", { name: `Disable ${email}` }).click();
    await disable.getByRole("button", { name: "Disable user" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Disabled ${email}.`);
    expect((await userAsStored(adminCookie, email)).disabled).toBe(true);
    expect(await signIn(email, "confirm-password-1")).toBeNull();

    await page.getByRole("button", { name: `Enable ${email}` }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Enabled ${email}.`);
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect((await userAsStored(adminCookie, email)).disabled).toBe(false);
    await page.context().close();
  });

  it("a refused new user marks the field at fault and reads its message with it", async () => {
    const page = await signedIn("admin@assay.local");
    await page.goto(`${baseUrl()}/admin/users`);
    await page.getByLabel("Name").fill("Short Password");
    await page.getByLabel("Email").fill(`short-${RUN}@example.com`);
    await page.getByLabel("Initial password (12+ characters)").fill("short");
    await page.getByRole("button", { name: "Add user" }).click();
    const password = page.locator("#new-password");
    await expect.poll(() => password.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await password.getAttribute("aria-describedby"))!;
    expect(await page.locator(`#${describedBy}`).textContent()).toBe("password must be at least 12 characters");
    expect(await page.locator("#new-email").getAttribute("aria-invalid")).toBeNull();
    await expectAccessible(page, "the users page with a refused form");
    await page.context().close();
  });
});

describe("API keys", () => {
  it("a new key's secret has a copy button; revoking asks first, and the secret is gone once the key is revoked", async () => {
    const page = await signedIn("engineer@assay.local", { permissions: ["clipboard-read", "clipboard-write"], width: 390 });
    await page.goto(`${baseUrl()}/settings/api-keys`);
    const name = `copy key ${RUN}`;
    await page.getByLabel("Name (what will use it)").fill(name);
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.getByTestId("new-api-key").textContent())!.trim();
    expect(secret).toMatch(/^assay_[A-Za-z0-9_-]{40,}$/);
    await page.getByTestId("new-api-key-panel").getByRole("button", { name: "Copy key", exact: true }).click();
    await expect.poll(() => page.getByTestId("new-api-key-panel").getByRole("status").textContent()).toBe("Copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, "api-key-created-390");
    const me = await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);

    const row = page.getByRole("row", { name: new RegExp(name) });
    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke “${name}”?` });
    expect(await dialog.textContent()).toContain("This cannot be undone");
    await expectAccessible(page, "the revoke confirmation");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect(await page.getByTestId("new-api-key").count()).toBe(1);

    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect.poll(() => row.textContent()).toContain("revoked");
    expect(await page.getByTestId("new-api-key").count()).toBe(0);
    expect((await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    await page.context().close();
  });
});

describe("not found", () => {
  it.each([
    ["/experiments/no-such-key-" + RUN, "No experiment with the key “no-such-key-" + RUN + "”"],
    ["/experiments/no-such-key-" + RUN + "/document", "No experiment with the key “no-such-key-" + RUN + "”"],
    ["/no/such/page", "This page does not exist"],
  ])("%s answers 404 and says what is missing, inside the app", async (path, heading) => {
    const page = await signedIn("pm@assay.local");
    const res = await page.goto(`${baseUrl()}${path}`);
    expect(res!.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
    // Still inside the app: the navigation is there to go on from.
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Experiments" }).count()).toBe(1);
    if (path.startsWith("/experiments/")) {
      const search = page.getByRole("link", { name: "Search the experiments for it" });
      expect(await search.getAttribute("href")).toBe(`/experiments?q=no-such-key-${RUN}`);
    } else {
      expect(await page.getByTestId("not-found").textContent()).toContain("Nothing lives at /no/such/page");
    }
    await screenshot(page, `not-found-${path.replace(/\W+/g, "-").slice(1, 40)}`);
    await page.context().close();
  });

  it("an anonymous visitor to an unknown address signs in first", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/no/such/page`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });
});
