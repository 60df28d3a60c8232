import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { DEMO_PASSWORD, demoUsers } from "@/lib/demo/users";
import { navigationFor } from "@/lib/navigation/items";
import { baseUrl } from "../support/http";
import { launchBrowser, loginAs, screenshot } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("each demo role signs in and sees its own navigation", () => {
  it.each(demoUsers.map((u) => [u.role, u] as const))("%s", async (_role, user) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, user.email, DEMO_PASSWORD);
    await expect.poll(() => page.getByTestId("current-role").textContent()).toBe(user.role);
    const texts = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    // A link may carry a count of what waits for this user ("Reviews, 4 waiting for you"); the label comes first.
    const links = texts.map((t) => t.replace(/, \d+ waiting for you$/, ""));
    expect(links).toEqual(navigationFor(user.role).map((i) => i.label));
    for (const t of texts) expect(t).toMatch(/^[A-Za-z -]+(, \d+ waiting for you)?$/);
    // The navigations really differ: only the admin sees Users; only admin and reviewer see Reviews.
    expect(links.includes("Users")).toBe(user.role === "ADMIN");
    expect(links.includes("Reviews")).toBe(user.role === "ADMIN" || user.role === "REVIEWER");
    await screenshot(page, `overview-${user.role.toLowerCase()}`);
    await context.close();
  });
});

describe("access control in the browser", () => {
  it("an anonymous visitor is sent to the login page", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const path of ["/", "/experiments", "/admin/users", "/settings/api-keys"]) {
      await page.goto(`${baseUrl()}${path}`);
      expect(new URL(page.url()).pathname).toBe("/login");
    }
    await expect.poll(() => page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    await screenshot(page, "login");
    await context.close();
  });

  it("after signing in, a visitor sent to the login page lands where they were going", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/planner?from=link`);
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/planner?from=link");
    await page.getByLabel("Email").fill("reviewer@assay.local");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/planner");
    expect(new URL(page.url()).search).toBe("?from=link");
    await context.close();
  });

  it.each(["//evil.example/steal", "/\\evil.example/steal", "https://evil.example/", "javascript:alert(1)"])(
    "a crafted callbackUrl %j cannot send the user to another site",
    async (callbackUrl) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${baseUrl()}/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await page.getByLabel("Email").fill("reviewer@assay.local");
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      expect(new URL(page.url()).origin).toBe(baseUrl());
      await context.close();
    },
  );

  it("a PM cannot open the admin page or its API", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    await page.goto(`${baseUrl()}/admin/users`);
    await expect.poll(() => page.getByTestId("forbidden").textContent()).toContain("You don't have access to this page");
    expect(await page.getByTestId("users-table").count()).toBe(0);
    const api = await page.request.get(`${baseUrl()}/api/v1/users`);
    expect(api.status()).toBe(403);
    const create = await page.request.post(`${baseUrl()}/api/v1/users`, {
      data: { email: "sneaky@example.com", name: "Sneaky", role: "ADMIN", password: "a-long-password-1" },
    });
    expect(create.status()).toBe(403);
    await context.close();
  });

  it("a wrong password shows the same message as an unknown email", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const attempt = async (email: string) => {
      await page.goto(`${baseUrl()}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("definitely-wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByTestId("login-error").waitFor();
      return page.getByTestId("login-error").textContent();
    };
    const wrong = await attempt("reviewer@assay.local");
    const unknown = await attempt("ghost@assay.local");
    expect(wrong).toBe("Email or password is incorrect.");
    expect(unknown).toBe(wrong);
    await context.close();
  });
});

describe("admin and settings journeys", () => {
  it("a lost connection is reported, not left spinning", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, "engineer@assay.local", DEMO_PASSWORD);
    await page.goto(`${baseUrl()}/settings/api-keys`);
    await page.route("**/api/v1/api-keys", (route) => route.abort("internetdisconnected"));
    await page.getByLabel("Name (what will use it)").fill("offline key");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "Could not reach Assay" }).count()).toBe(1);
    await context.close();
  });

  it("an admin creates a user and sets the role; an engineer creates and revokes an API key", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, "admin@assay.local", DEMO_PASSWORD);
    await page.goto(`${baseUrl()}/admin/users`);
    const email = `journey-${Date.now()}@example.com`;
    await page.getByLabel("Name").fill("Journey Person");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Role", { exact: true }).selectOption("ENGINEER");
    await page.getByLabel("Initial password (12+ characters)").fill("journey-password-1");
    await page.getByRole("button", { name: "Add user" }).click();
    await expect.poll(() => page.getByTestId("users-table").textContent()).toContain(email);
    await page.getByLabel(`Role of ${email}`).selectOption("REVIEWER");
    await page.getByRole("dialog").getByRole("button", { name: "Change role to REVIEWER" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Role updated");
    await screenshot(page, "admin-users");
    await context.close();

    const engineer = await browser.newContext();
    const epage = await engineer.newPage();
    await loginAs(epage, "engineer@assay.local", DEMO_PASSWORD);
    await epage.goto(`${baseUrl()}/settings/api-keys`);
    await epage.getByLabel("Name (what will use it)").fill("journey key");
    await epage.getByRole("button", { name: "Create key" }).click();
    const key = (await epage.getByTestId("new-api-key").textContent())!.trim();
    expect(key).toMatch(/^assay_[A-Za-z0-9_-]{40,}$/);
    const me = await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect((await me.json()).role).toBe("ENGINEER");
    await screenshot(epage, "api-keys");
    const row = epage.getByRole("row", { name: /journey key/ });
    await row.getByRole("button", { name: "Revoke" }).click();
    await epage.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await expect.poll(() => row.textContent()).toContain("revoked");
    const after = await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(after.status).toBe(401);
    await engineer.close();
  });
});
