// Every page a role can reach, checked the same way at desktop width and at 390 px: WCAG 2.1 AA (axe-core), no internal
// words on screen, and no page wider than the window. Used by tests/e2e/accessibility-*.test.ts (one file per role, so
// the roles run in parallel).
import fs from "node:fs";
import nodePath from "node:path";
import { expect } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD, demoUsers } from "@/lib/demo/users";
import type { Role } from "@/lib/generated/prisma/enums";
import { navItems, navigationFor } from "@/lib/navigation/items";
import { can } from "@/lib/auth/permissions";
import { expectAccessible, expectNoInternalWords } from "./axe";
import { loginAs, screenshot } from "./browser";
import { baseUrl } from "./http";

export const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "390px", width: 390, height: 844 },
] as const;

/** The demo's designs in each state, read-only or in the studio depending on the role. */
export const DEMO_EXPERIMENT_PAGES = [
  "/experiments/model-scout-vs-maverick", // draft
  "/experiments/support-persona-structured", // running
  "/experiments/temperature-0-7-vs-0-2", // stopped
  "/experiments/rag-top-k-5-vs-10", // decided
  "/experiments/support-persona-structured/document",
  "/experiments/support-persona-structured/interactions",
  "/experiments/support-persona-structured/judge", // the judge: start a run (or read the runs)
  "/experiments/support-persona-structured/results", // running, with the gateway's traffic
  "/experiments/support-persona-structured/aa", // the A/A check of its plan, before a run
  "/experiments/support-four-candidates/results", // stopped, the four candidates
  "/experiments/support-four-candidates/decision", // the guide's decision matrix, ready for a review
  "/experiments/rag-top-k-5-vs-10/decision", // decided: what it ships
];

/** The load-testing pages beyond the list (in the navigation): the trace library, the New form, an empty comparison. */
export const LOAD_TEST_PAGES = ["/load-runs/traces", "/load-runs/new", "/load-runs/compare"];

const SWEEP_RUN_NAME = "Accessibility sweep: varcas chat_medium";

/**
 * A finished run to sweep the run page and a comparison with: varcas's results file, uploaded once by the engineer (each
 * role's file may upload its own copy when they start together; a second copy is harmless).
 */
async function sweepLoadRun(browser: Browser): Promise<string> {
  const engineer = demoUsers.find((u) => u.role === "ENGINEER")!;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await loginAs(page, engineer.email, DEMO_PASSWORD);
    const listed = await page.request.get(`${baseUrl()}/api/v1/load-runs`);
    const existing = ((await listed.json()).runs as { id: string; name: string }[]).find((r) => r.name === SWEEP_RUN_NAME);
    if (existing) return existing.id;
    const res = await page.request.post(`${baseUrl()}/api/v1/load-runs/import?name=${encodeURIComponent(SWEEP_RUN_NAME)}`, {
      data: fs.readFileSync(nodePath.resolve("../shared/fixtures/varcas/baseline.json")),
      headers: { "content-type": "application/octet-stream", origin: baseUrl() },
    });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).run.id;
  } finally {
    await context.close();
  }
}

/** The pages a role is checked on: its navigation, the designs, the New form (or its refusal), a page it may not open, the 404s. */
export function pagesFor(role: Role): string[] {
  const forbidden = navItems.find((i) => !can(role, i.action));
  return [
    ...navigationFor(role).map((i) => i.href),
    ...DEMO_EXPERIMENT_PAGES,
    "/experiments/new",
    ...(can(role, "planner:use") ? ["/planner/bandit"] : []),
    ...LOAD_TEST_PAGES,
    ...(forbidden ? [forbidden.href] : []),
    "/experiments/no-such-experiment",
    "/no/such/page",
  ];
}

/**
 * What sticks out of its box in main: every input, select, textarea and button, and every table caption, must lie
 * within each of its block ancestors up to main (its field, its card, a table's scroll box), so nothing is drawn past
 * its card's edge or hidden sideways in a scroll box. Inline wrappers and visually hidden controls do not count.
 */
export function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>("main :is(input, select, textarea, button, caption)")) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      for (let box = el.parentElement; box && box.tagName !== "MAIN"; box = box.parentElement) {
        const display = getComputedStyle(box).display;
        if (display === "contents" || display === "inline") continue;
        const b = box.getBoundingClientRect();
        if (r.left < b.left - 0.5 || r.right > b.right + 0.5) {
          const name = el.getAttribute("aria-label") || el.textContent?.trim().slice(0, 40) || el.tagName;
          out.push(
            `${el.tagName.toLowerCase()} "${name}" spans x ${Math.round(r.left)}–${Math.round(r.right)}, its ${box.tagName.toLowerCase()} ${Math.round(b.left)}–${Math.round(b.right)}`,
          );
          break;
        }
      }
    }
    return out;
  });
}

/** Checks the page as it stands at each width (the same page, resized). */
export async function checkAtEveryWidth(page: Page, where: string): Promise<void> {
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await expectAccessible(page, `${where} at ${w.name}`);
    await expectNoInternalWords(page, `${where} at ${w.name}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${where} at ${w.name} is wider than the window`).toBeLessThanOrEqual(0);
    expect(await cutOff(page), `${where} at ${w.name}: controls or captions outside their card or scroll box`).toEqual([]);
  }
}

/** Signs in as the role and checks every page of pagesFor(role), with a 390 px screenshot of the overview. */
export async function sweepRole(browser: Browser, role: Role): Promise<void> {
  const user = demoUsers.find((u) => u.role === role)!;
  const context = await browser.newContext({ viewport: { width: WIDTHS[0].width, height: WIDTHS[0].height } });
  const page = await context.newPage();
  try {
    await loginAs(page, user.email, DEMO_PASSWORD);
    const pages = pagesFor(role);
    if (can(role, "loadRuns:read")) {
      const run = await sweepLoadRun(browser);
      pages.push(`/load-runs/${run}`, `/load-runs/compare?baseline=${run}&optimized=${run}`);
    }
    for (const path of pages) {
      await page.setViewportSize({ width: WIDTHS[0].width, height: WIDTHS[0].height });
      await page.goto(`${baseUrl()}${path}`);
      await page.locator("main h1").first().waitFor();
      await checkAtEveryWidth(page, `${role} on ${path}`);
      if (path === "/") await screenshot(page, `overview-390-${role.toLowerCase()}`);
    }
  } finally {
    await context.close();
  }
}
