// An engineer adds a model endpoint on Settings > Endpoints: the key goes into a password field, is stored, and from then
// on the page says only that a key is set (it is in no page's HTML); editing keeps the key unless a new one is typed.
// A PM reads the list without the form, a REVIEWER is refused. At desktop width and at 390 px.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { launchBrowser, loginAs, screenshot } from "../support/browser";
import { expectAccessible } from "../support/axe";
import { cutOff } from "../support/pageSweep";

const RUN = Date.now().toString(36);
const SECRET = `sk-browser-${RUN}-NEVER-RENDERED`;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 } });
  const page = await context.newPage();
  await loginAs(page, email, DEMO_PASSWORD);
  return page;
}

async function storedKeyOf(name: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    return (await client.query(`SELECT "apiKeyEncrypted" FROM "Endpoint" WHERE name = $1`, [name])).rows[0]?.apiKeyEncrypted ?? null;
  } finally {
    await client.end();
  }
}

describe("Settings > Endpoints", () => {
  it("an ENGINEER adds an endpoint with a key; afterwards the page shows the key only as set, and editing keeps it", async () => {
    const page = await signedIn("engineer@assay.local");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Endpoints" }).click();
    await page.waitForURL(/\/settings\/endpoints$/);
    const name = `vllm-${RUN}`;
    const form = page.getByRole("region", { name: "Add an endpoint" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Base URL").fill("ftp://vllm.internal/v1");
    const keyField = form.getByLabel("API key (optional)");
    expect(await keyField.getAttribute("type")).toBe("password");
    await keyField.fill(SECRET);
    await form.getByLabel("Default model (optional)").fill("llama-4-scout");
    await form.getByRole("button", { name: "Add endpoint" }).click();

    // Refused: the base URL is marked and its message read with it; nothing else is.
    const baseUrlField = form.getByLabel("Base URL");
    await expect.poll(() => baseUrlField.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await baseUrlField.getAttribute("aria-describedby"))!;
    expect(await page.locator(`#${describedBy}`).textContent()).toBe("baseUrl must be an http(s) URL, e.g. http://vllm:8000/v1");
    expect(await form.getByLabel("Name").getAttribute("aria-invalid")).toBeNull();
    await expectAccessible(page, "the endpoints page with a refused form");

    await baseUrlField.fill("http://vllm.internal:8000/v1");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe(`Added endpoint “${name}”.`);
    expect(await keyField.inputValue()).toBe("");
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain("http://vllm.internal:8000/v1");
    expect(await row.getByText("set", { exact: true }).count()).toBe(1);
    expect(await page.content()).not.toContain(SECRET);
    const stored = await storedKeyOf(name);
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(SECRET);
    await expectAccessible(page, "the endpoints page");
    await screenshot(page, "endpoints-desktop");

    // Editing: the key field starts empty and says a key is set; saving another field keeps the stored key.
    await row.getByRole("button", { name: `Edit ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Edit “${name}”` });
    await dialog.waitFor();
    const editKey = dialog.getByLabel("API key (optional)");
    expect(await editKey.inputValue()).toBe("");
    expect(await editKey.getAttribute("type")).toBe("password");
    expect(await dialog.textContent()).toContain("A key is set. Leave this empty to keep it, or type a new one to replace it.");
    await dialog.getByLabel("Default model (optional)").fill("llama-4-maverick");
    await expectAccessible(page, "the edit endpoint dialog");
    await screenshot(page, "endpoints-edit-dialog", { fullPage: false });
    await dialog.getByRole("button", { name: "Save endpoint" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe(`Saved endpoint “${name}”.`);
    await expect.poll(() => row.textContent()).toContain("llama-4-maverick");
    expect(await storedKeyOf(name)).toBe(stored);
    expect(await page.content()).not.toContain(SECRET);
    await page.context().close();
  });

  it("at 390 px the list stacks into cards with nothing cut off, and the key is still shown only as set", async () => {
    const page = await signedIn("engineer@assay.local", 390);
    await page.goto(`${baseUrl()}/settings/endpoints`);
    const row = page.getByRole("row", { name: new RegExp(`vllm-${RUN}`) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await cutOff(page)).toEqual([]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(await page.content()).not.toContain(SECRET);
    await screenshot(page, "endpoints-390");
    await page.context().close();
  });

  it("on a draft's design, the ENGINEER points a variant at the endpoint; its base URL field gives way, and the choice is saved", async () => {
    const key = `endpoint-pick-${RUN}`;
    const made = await api("/api/v1/experiments", { key: inject("apiKey"), body: { ...minimalExperimentBody(key), gatewayEnabled: true } });
    expect(made.status, made.text).toBe(201);
    const listed = await api("/api/v1/endpoints", { key: inject("apiKey") });
    const endpoint = (listed.json.endpoints as { id: string; name: string }[]).find((e) => e.name === `vllm-${RUN}`)!;
    const page = await signedIn("engineer@assay.local");
    await page.goto(`${baseUrl()}/experiments/${key}`);
    const a = page.getByTestId("variant-0");
    const choice = a.getByLabel("Endpoint", { exact: true });
    expect(await choice.locator("option").allTextContents()).toContain(`vllm-${RUN}`);
    expect(await a.getByLabel("Base URL (OpenAI-compatible, no API key)").count()).toBe(1);
    await choice.selectOption({ label: `vllm-${RUN}` });
    expect(await a.getByLabel("Base URL (OpenAI-compatible, no API key)").count()).toBe(0);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByTestId("save-bar").textContent()).toContain("All changes saved");
    const saved = await api(`/api/v1/experiments/${key}`, { key: inject("apiKey") });
    expect(saved.json.experiment.variants[0].config.endpointId).toBe(endpoint.id);
    expect(saved.json.experiment.variants[1].config.endpointId).toBeUndefined();
    // B has no endpoint yet: starting says so (the gateway serves this experiment).
    expect(saved.json.experiment.startProblems).toContain("The gateway serves this experiment: set an endpoint for variant B.");
    await expect.poll(() => choice.inputValue()).toBe(endpoint.id);
    await a.scrollIntoViewIfNeeded();
    await screenshot(page, "endpoints-variant-choice", { fullPage: false });
    await page.context().close();
  });

  it("a PM reads the list without the form or the buttons; a REVIEWER is refused and has no link to it", async () => {
    const pm = await signedIn("pm@assay.local");
    await pm.goto(`${baseUrl()}/settings/endpoints`);
    await expect.poll(() => pm.getByRole("row", { name: new RegExp(`vllm-${RUN}`) }).count()).toBe(1);
    expect(await pm.getByRole("region", { name: "Add an endpoint" }).count()).toBe(0);
    expect(await pm.getByRole("button", { name: /^(Edit|Delete) / }).count()).toBe(0);
    await pm.context().close();

    const reviewer = await signedIn("reviewer@assay.local");
    await reviewer.goto(`${baseUrl()}/settings/endpoints`);
    expect(await reviewer.getByTestId("forbidden").textContent()).toContain("Your role (REVIEWER) does not include it.");
    expect(await reviewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Endpoints" }).count()).toBe(0);
    await reviewer.context().close();
  });
});
