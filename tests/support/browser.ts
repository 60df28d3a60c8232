import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { baseUrl } from "./http";
import { policyViolations } from "./policyViolations";

/** Debian's Chromium (Playwright cannot download its own browser here). */
export function chromiumPath(): string {
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (fs.existsSync(candidate)) return candidate;
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Chromium is missing: run `apt-get install -y chromium` (npm test does this itself when it runs as root).");
  }
}

/** Records what the pages of a context report under their policy: the DOM's securitypolicyviolation events and Chromium's console lines. */
async function watchPolicy(context: BrowserContext): Promise<void> {
  await context.exposeBinding("__assayPolicyViolation", (_source, line: string) => policyViolations.push(line));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __assayPolicyViolation: (line: string) => void }).__assayPolicyViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${location.pathname}${e.sample ? `: ${e.sample}` : ""}`,
      ),
    );
  });
  context.on("console", (msg) => {
    if (/Content.Security.Policy/i.test(msg.text())) policyViolations.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
  });
}

/** A headless Chromium as root on a closed network; every context it opens reports policy violations (above). */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchPolicy(context);
    return context;
  };
  return browser;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Signs in through the login form, as a person would, and waits for the overview. */
export async function loginAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl()}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 20_000 });
}

/** Saves a screenshot (full page unless told; a dialog reads better in the viewport) under tests/.artifacts/screenshots for a person to look at. */
export async function screenshot(page: Page, name: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<string> {
  const dir = path.resolve("tests/.artifacts/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** A new browser context signed in as a demo user (desktop size unless told), and its page. */
export async function signedInPage(
  browser: Browser,
  email: string,
  viewport: { width: number; height: number } = { width: 1400, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await loginAs(page, email, DEMO_PASSWORD);
  return { context, page };
}

/** A locator's text, "" when it has none. */
export const textOf = (locator: Locator) => locator.textContent().then((t) => t ?? "");
