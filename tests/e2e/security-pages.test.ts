// The pages under their Content-Security-Policy (every page works with a fresh nonce and no violation; every other browser
// test checks for violations too, tests/setup/policyViolations.ts), sign-out in the browser (back to the host the user came
// from, and the old cookie dead on the server), and a design with hostile text (shown as text, nothing runs).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD, demoUsers } from "@/lib/demo/users";
import { navigationFor } from "@/lib/navigation/items";
import { api, baseUrl } from "../support/http";
import { launchBrowser, loginAs, screenshot } from "../support/browser";
import { takePolicyViolations } from "../support/policyViolations";
import { minimalExperimentBody } from "../support/experiments";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** True once React has hydrated the page (the Next.js router is running). */
const hydrated = (page: Page) =>
  page.waitForFunction(() => "__next_f" in window && document.readyState === "complete", null, { timeout: 20_000 });

describe("Content-Security-Policy", () => {
  // The admin's navigation holds every page; the PM's views of a design are the editable ones.
  it("every page loads and runs under the policy, as the admin and as the PM, with no violation", { timeout: 180_000 }, async () => {
    const policies = new Set<string>();
    for (const user of demoUsers.filter((u) => u.role === "ADMIN" || u.role === "PM")) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("response", (r) => {
        if (r.request().resourceType() === "document") policies.add(r.headers()["content-security-policy"] ?? "(none)");
      });
      await loginAs(page, user.email, DEMO_PASSWORD);
      const paths = [
        ...navigationFor(user.role).map((i) => i.href),
        "/experiments/support-persona-structured",
        "/experiments/support-persona-structured/document",
      ];
      for (const path of paths) {
        await page.goto(`${baseUrl()}${path}`);
        await hydrated(page);
        expect(new URL(page.url()).pathname, `${user.role} ${path}`).toBe(path);
      }
      // Client-side navigation works too: the sidebar link is handled by the hydrated router.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Experiments" }).click();
      await page.waitForURL((u) => u.pathname === "/experiments");
      expect(takePolicyViolations(), user.role).toEqual([]);
      await context.close();
    }
    expect(policies.has("(none)")).toBe(false);
    for (const policy of policies) {
      expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
      expect(policy).not.toContain("unsafe-eval");
      // No wildcard source: no *, no *.host, no bare scheme like https: that would allow any site.
      const sources = policy.split(";").flatMap((d) => d.trim().split(/\s+/).slice(1));
      expect(sources.filter((s) => s.includes("*") || /^[a-z]+:$/.test(s)).filter((s) => s !== "data:")).toEqual([]);
    }
    // A fresh nonce for every response.
    const nonces = [...policies].map((p) => /'nonce-([^']+)'/.exec(p)![1]);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("the login page and a missing page work under it too", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${baseUrl()}/login`);
    expect(res!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await hydrated(page);
    await page.goto(`${baseUrl()}/no-such-page`);
    await hydrated(page);
    expect(takePolicyViolations()).toEqual([]);
    // The watcher is live: a string run as code (what an injected handler would do) is refused and reported.
    await page.evaluate(() => setTimeout("document.title = 'evaluated'" as unknown as () => void, 0));
    const seen: string[] = [];
    const reported = () => {
      seen.push(...takePolicyViolations());
      return seen.join("\n");
    };
    await expect.poll(reported).toMatch(/script-src.* blocked eval/);
    expect(await page.title()).not.toBe("evaluated");
    await context.close();
    // Every report (the event and Chromium's console line) is about that one eval.
    for (const line of [...seen, ...takePolicyViolations()]) expect(line).toMatch(/eval/);
  });
});

describe("signing out in the browser", () => {
  it.each(["127.0.0.1", "localhost"])("via %s lands on that host's login page, and the old cookie is dead", async (host) => {
    const origin = baseUrl().replace("127.0.0.1", host);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email").fill("pm@assay.local");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    expect(new URL(page.url()).origin).toBe(origin);
    const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token")!;
    expect(cookie).toBeTruthy();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname === "/login");
    expect(new URL(page.url()).origin).toBe(origin);
    await screenshot(page, `signed-out-${host.replace(/\W/g, "-")}`);

    // The cookie as it was before signing out, in a fresh browser: no longer a session.
    const replay = await browser.newContext();
    await replay.addCookies([cookie]);
    const again = await replay.newPage();
    await again.goto(`${origin}/experiments`);
    expect(new URL(again.url()).pathname).toBe("/login");
    await replay.close();
    await context.close();
  });
});

describe("a design with hostile text", () => {
  const key = `hostile-${Date.now().toString(36)}`;
  const NAME = `<img src=x onerror="window.__pwned=1"> # Heading [x](javascript:alert(1))`;
  beforeAll(async () => {
    const body: any = minimalExperimentBody(key);
    body.name = NAME;
    body.description = "<script>window.__pwned=2</script>\n# Not a heading";
    body.hypothesis = { change: "<b>the prompt</b>", expectation: "[more](javascript:alert(1))", reason: "</p><h1>injected</h1>" };
    body.variants[1].config.systemPrompt = "<script>window.__pwned=3</script>\n```\n# closing fence?";
    const res = await api("/api/v1/experiments", { key: inject("apiKey"), body });
    expect(res.status, res.text).toBe(201);
  });

  it.each([1280, 390])("shows it as text on the design and printable pages at %i px, and runs none of it", async (width) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    for (const path of [`/experiments/${key}`, `/experiments/${key}/document`]) {
      await page.goto(`${baseUrl()}${path}`);
      await hydrated(page);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator("main h1").first().textContent()).toContain(NAME);
      expect(await page.getByText("</p><h1>injected</h1>", { exact: false }).count()).toBeGreaterThan(0);
      expect(await page.locator("h1", { hasText: /^injected$/ }).count()).toBe(0);
      // Its long unbroken words wrap (or scroll inside their table) instead of widening the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), path).toBeLessThanOrEqual(0);
    }
    await screenshot(page, `hostile-document-${width}`);
    expect(takePolicyViolations()).toEqual([]);
    await context.close();
  });
});
