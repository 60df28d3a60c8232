import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import type { AxeResults } from "axe-core";
import { internalWordsIn } from "./uiWords";

/** The rules of WCAG 2.1 levels A and AA, as axe-core tags them. */
export const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core on the page as it is now and returns its WCAG 2.1 AA violations as readable lines (empty when none).
 * axe-core is put into the page once (it stays until the next navigation) and run there directly: the Playwright wrapper
 * runs it frame by frame and finishes in a page of its own, which costs about a second more per check and our pages have
 * no frames. Only violations are reported in full: collecting every passing node as well doubles the time on a long page.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<AxeResults> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
  }, WCAG_21_AA);
  return violations.flatMap((v) => [
    `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.helpUrl}`,
    ...v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(" ")}: ${(n.failureSummary ?? "").replace(/\s+/g, " ").trim()}`),
    ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
  ]);
}

/** Fails with the list of violations when the page does not meet WCAG 2.1 AA (as far as axe-core can tell). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const lines = await accessibilityViolations(page);
  if (lines.length) throw new Error(`${where} (${page.url()}) fails WCAG 2.1 AA:\n${lines.join("\n")}`);
}

/** The words on screen (text and the labels, placeholders and titles a user meets), leaving out method notes. */
export async function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    body.querySelectorAll("script, style, template, [data-method-note]").forEach((el) => el.remove());
    const attrs = [...body.querySelectorAll("[placeholder], [aria-label], [title], [alt]")].flatMap((el) =>
      ["placeholder", "aria-label", "title", "alt"].map((a) => el.getAttribute(a) ?? ""),
    );
    return `${body.textContent ?? ""}\n${attrs.join("\n")}\n${document.title}`;
  });
}

/** Fails with the internal words found on screen (tests/support/uiWords.ts), outside method notes. */
export async function expectNoInternalWords(page: Page, where: string): Promise<void> {
  const found = internalWordsIn(await screenText(page));
  if (found.length) throw new Error(`${where} (${page.url()}) shows internal words:\n${found.join("\n")}`);
}
