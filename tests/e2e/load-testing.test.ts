// Journey: an engineer uploads varcas's trace file to the trace library (and sees a bad file refused with its line and
// field), replays its first 100 prompts against the built-in simulator and watches the run, uploads varcas's results file
// of the same workload, and compares the two; a PM may read but not start; a REVIEWER is refused the pages and the API.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { launchBrowser, screenshot, signedInPage, textOf } from "../support/browser";
import { checkAtEveryWidth } from "../support/pageSweep";

const FIXTURES = path.resolve("../shared/fixtures/varcas");
const tracePrompts = JSON.parse(fs.readFileSync(path.join(FIXTURES, "prompts.json"), "utf8")).prompts as { prompt: string }[];
const baselineFile = JSON.parse(fs.readFileSync(path.join(FIXTURES, "baseline.json"), "utf8")) as {
  metrics: { total_requests: number; ttft_p50_ms: number };
  records: { prompt_text: string }[];
};
const REPLAYED = 100;
const suffix = Date.now().toString(36);
const traceName = `chat medium ${suffix}`;

/** Requests of the replay matching a baseline record by prompt text and occurrence, counted from the files themselves. */
function expectedMatches(): number {
  const left = new Map<string, number>();
  for (const r of baselineFile.records) left.set(r.prompt_text, (left.get(r.prompt_text) ?? 0) + 1);
  let n = 0;
  for (const p of tracePrompts.slice(0, REPLAYED)) {
    const k = left.get(p.prompt) ?? 0;
    if (k > 0) {
      n++;
      left.set(p.prompt, k - 1);
    }
  }
  return n;
}

let browser: Browser;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
let runId = "";
beforeAll(async () => {
  browser = await launchBrowser();
  creds = await demoCredentials();
});
afterAll(async () => {
  await browser?.close();
});

it("an engineer uploads a trace, replays it against the simulator, uploads a results file and compares the two", async () => {
  const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 1280, height: 900 });
  try {
    await page.goto(`${baseUrl()}/load-runs`);
    await page.getByRole("link", { name: "Trace library" }).click();
    await page.waitForURL((u) => u.pathname === "/load-runs/traces");

    // A bad file is refused whole, naming the line and the field.
    await page.getByLabel("Trace file").setInputFiles({
      name: "bad.jsonl",
      mimeType: "application/jsonl",
      buffer: Buffer.from(
        [
          '{"timestamp": 0, "prompt": "hello", "max_tokens": 10}',
          '{"timestamp": 0.5, "prompt": "again", "max_tokens": 10}',
          '{"timestamp": 1, "prompt": "third", "max_tokens": "lots"}',
        ].join("\n"),
      ),
    });
    await page.getByLabel("Trace name", { exact: true }).fill(`bad ${suffix}`);
    await page.getByRole("button", { name: "Upload trace" }).click();
    const problem = page.getByTestId("file-problem");
    await expect.poll(() => textOf(problem)).toContain("line 3: max_tokens");
    expect(await textOf(problem)).toContain('"lots" is not a number');
    expect(
      await page
        .getByTestId("trace")
        .filter({ hasText: `bad ${suffix}` })
        .count(),
    ).toBe(0);

    await page.getByLabel("Trace file").setInputFiles(path.join(FIXTURES, "prompts.json"));
    await page.getByLabel("Trace name", { exact: true }).fill(traceName);
    await page.getByRole("button", { name: "Upload trace" }).click();
    await expect
      .poll(() => textOf(page.getByTestId("trace-saved")), { timeout: 30_000 })
      .toBe(`Saved “${traceName}” with ${tracePrompts.length.toLocaleString("en-US")} requests.`);
    const card = page.getByTestId("trace").filter({ has: page.getByRole("heading", { name: traceName, exact: true }) });
    await expect.poll(() => textOf(card.getByTestId("trace-requests"))).toBe("1,163");
    expect(await card.getByTestId("trace-rate").count()).toBe(1);
    await checkAtEveryWidth(page, "the trace library");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "load-traces-1280");

    // Replay its first 100 prompts against the simulator, fast.
    await card.getByRole("link", { name: "Replay this trace" }).click();
    await page.waitForURL((u) => u.pathname === "/load-runs/new");
    await page.getByLabel("Name", { exact: true }).fill(`replay ${suffix}`);
    await page.getByLabel("Simulated time between tokens (ms)").fill("1");
    await page.getByLabel("Request rate (requests per second)").fill("200");
    await page.getByLabel("A number of requests").check();
    await page.getByRole("textbox", { name: "Number of requests" }).fill("0");
    await page.getByRole("button", { name: "Start load run" }).click();
    // A bad setting comes back beside its field.
    await expect.poll(() => textOf(page.getByTestId("field-error"))).toBe("Must be at least 1");
    await page.getByRole("textbox", { name: "Number of requests" }).fill(String(REPLAYED));
    await page.getByLabel("Time to first token at most (ms)").fill("1000");
    await checkAtEveryWidth(page, "the New load run form");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "load-new-1280");
    await page.getByRole("button", { name: "Start load run" }).click();
    await page.waitForURL((u) => /^\/load-runs\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith("/new"), { timeout: 20_000 });
    runId = page.url().split("/").pop()!;

    // Progress while it runs, then its results.
    await expect.poll(() => textOf(page.getByTestId("run-progress-words"))).toContain(`of ${REPLAYED} requests answered`);
    await screenshot(page, "load-run-progress-1280");
    await expect.poll(() => textOf(page.getByTestId("figure-requests")), { timeout: 90_000 }).toBe(String(REPLAYED));
    expect(await page.getByTestId("no-failures").count()).toBe(1);
    expect(await textOf(page.getByTestId("figure-goodput"))).toMatch(/requests\/s · \d+%/);
    expect(await page.getByTestId("latency-cdf").count()).toBe(1);
    await checkAtEveryWidth(page, "a finished run");
    await screenshot(page, "load-run-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "load-run-1280");

    // The results file of the same workload, uploaded as a run.
    await page.getByRole("link", { name: "All load tests" }).click();
    await page.waitForURL((u) => u.pathname === "/load-runs");
    await page.getByRole("button", { name: "Upload results file" }).click();
    await page.getByLabel("Results file").setInputFiles(path.join(FIXTURES, "baseline.json"));
    await page.getByLabel("Run name").fill(`baseline ${suffix}`);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.waitForURL((u) => /^\/load-runs\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(runId), { timeout: 30_000 });
    expect(await textOf(page.getByTestId("figure-requests"))).toBe("1,163");
    expect(await textOf(page.getByTestId("figure-ttft-p50"))).toBe(`${baselineFile.metrics.ttft_p50_ms.toFixed(1)} ms`);
    expect(await textOf(page.getByTestId("figure-throughput"))).toBe("19.41 requests/s");

    // Compare: the uploaded file as the baseline, the replay as the optimized build.
    await page.getByLabel("Compare with… (this run is the baseline)").selectOption({ label: `replay ${suffix} (trace ${traceName})` });
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL((u) => u.pathname === "/load-runs/compare");
    const matched = expectedMatches();
    expect(matched).toBe(REPLAYED);
    expect(await textOf(page.getByTestId("matched-prompts"))).toBe(
      `${matched} of 1,163 (${Math.round((matched / baselineFile.records.length) * 100)}%)`,
    );
    const ttftRow = page.getByTestId("compare-ttft_p50_ms");
    expect(await textOf(ttftRow)).toContain(`${baselineFile.metrics.ttft_p50_ms.toFixed(1)} ms`);
    expect(await textOf(page.getByTestId("compare-warnings"))).toContain("Only one run a side");
    expect(await textOf(page.getByTestId("compare-warnings"))).toContain(`Only ${matched} requests (9%) match by prompt`);
    expect(await page.getByTestId("compare-chart").count()).toBe(3);
    await checkAtEveryWidth(page, "the comparison");
    await screenshot(page, "load-compare-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "load-compare-1280");
    await page.goto(`${baseUrl()}/load-runs`);
    expect(await textOf(page.getByTestId("load-run").filter({ hasText: `replay ${suffix}` }))).toContain("Finished");
    await checkAtEveryWidth(page, "the load tests list");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "load-runs-1280");
  } finally {
    await context.close();
  }
}, 300_000);

it("an engineer runs a sweep from the form, watches it go step by step, and reads the curve and its steps", async () => {
  const { context, page } = await signedInPage(browser, "engineer@assay.local", { width: 1280, height: 900 });
  try {
    await page.goto(`${baseUrl()}/load-runs/new`);
    await page.getByLabel("Name", { exact: true }).fill(`sweep ${suffix}`);
    await page.getByLabel("Simulated time between tokens (ms)").fill("5");
    await page.getByLabel("A sweep to find the server's capacity").check();
    await page.getByLabel("Steps (3 to 20)").fill("2");
    await page.getByRole("button", { name: "Start sweep" }).click();
    await expect.poll(() => textOf(page.getByTestId("field-error"))).toBe("Must be at least 3");
    await page.getByLabel("Steps (3 to 20)").fill("4");
    await page.getByLabel("Each step lasts (seconds)").fill("2");
    await page.getByLabel("Most requests in flight (optional)").fill("8");
    expect(await page.getByLabel("Shards").count()).toBe(0);
    await checkAtEveryWidth(page, "the New load run form, sweep");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("button", { name: "Start sweep" }).click();
    await page.waitForURL((u) => /^\/load-runs\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith("/new"), { timeout: 20_000 });
    const sweepId = page.url().split("/").pop()!;
    await expect.poll(() => textOf(page.getByTestId("sweep-progress")), { timeout: 30_000 }).toMatch(/Step [12] of up to 4: /);
    await screenshot(page, "load-sweep-progress-1280");
    // The finished sweep: what it found, the curve, and four steps, each a run of its own.
    await expect.poll(() => page.getByTestId("sweep-step").count(), { timeout: 120_000 }).toBe(4);
    expect(await page.getByTestId("sweep-curve").count()).toBe(1);
    const findings = await textOf(page.getByTestId("sweep-findings"));
    expect(findings).toMatch(/Alone, a request took [\d.,]+ ms for its whole answer/);
    expect(findings).toMatch(/the server answered [\d.,]+ requests\/s/);
    const api4 = (await api(`/api/v1/load-runs/${sweepId}`, { key: creds.ENGINEER.key })).json.run;
    const first = api4.sweep.steps[0];
    expect(await textOf(page.getByTestId("sweep-step").first())).toContain("1. one user at a time");
    // The pointer off the chart: a tooltip left open under it would be measured as the page's width.
    await page.mouse.move(0, 0);
    await checkAtEveryWidth(page, "a finished sweep");
    await screenshot(page, "load-sweep-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "load-sweep-1280");
    await page.getByRole("link", { name: "1. one user at a time" }).click();
    await page.waitForURL((u) => u.pathname === `/load-runs/${first.runId}`);
    expect(await textOf(page.getByTestId("sweep-of"))).toBe(`Step 1 of the sweep sweep ${suffix}.`);
    const stepRun = (await api(`/api/v1/load-runs/${first.runId}`, { key: creds.ENGINEER.key })).json.run;
    expect(await textOf(page.getByTestId("figure-requests"))).toBe(stepRun.summary.metrics.total_requests.toLocaleString("en-US"));
    await page.goto(`${baseUrl()}/load-runs`);
    expect(
      await textOf(page.getByTestId("load-run").filter({ has: page.getByRole("link", { name: `sweep ${suffix}`, exact: true }) })),
    ).toContain("Sweep of 4 steps");
  } finally {
    await context.close();
  }
}, 300_000);

it("a PM reads load tests but is not offered a start, and is refused the form and the API's writes", async () => {
  const { context, page } = await signedInPage(browser, "pm@assay.local");
  try {
    await page.goto(`${baseUrl()}/load-runs`);
    await page.locator("main h1").first().waitFor();
    expect(await page.getByRole("link", { name: "New load run" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Upload results file" }).count()).toBe(0);
    await page.goto(`${baseUrl()}/load-runs/new`);
    expect(await page.getByTestId("forbidden").count()).toBe(1);
  } finally {
    await context.close();
  }
  const start = await api("/api/v1/load-runs", { key: creds.PM.key, body: { name: "x", target: "simulator", numPrompts: 1 } });
  expect(start.status).toBe(403);
});

it("a REVIEWER is refused every load-testing page and the API", async () => {
  const { context, page } = await signedInPage(browser, "reviewer@assay.local");
  const id = runId || "any";
  try {
    for (const p of [
      "/load-runs",
      "/load-runs/traces",
      "/load-runs/new",
      `/load-runs/${id}`,
      `/load-runs/compare?baseline=${id}&optimized=${id}`,
    ]) {
      await page.goto(`${baseUrl()}${p}`);
      await page.locator("main h1").first().waitFor();
      expect(await page.getByTestId("forbidden").count(), p).toBe(1);
      expect(await textOf(page.locator("main")), p).not.toContain("Trace library");
    }
  } finally {
    await context.close();
  }
  const key = creds.REVIEWER.key;
  for (const p of [
    "/api/v1/load-runs",
    "/api/v1/traces",
    `/api/v1/load-runs/${id}`,
    `/api/v1/load-runs/compare?baseline=${id}&optimized=${id}`,
  ])
    expect((await api(p, { key })).status, p).toBe(403);
  expect((await api(`/api/v1/traces?name=r${suffix}`, { key, rawBody: '{"prompts": []}' })).status).toBe(403);
  expect((await api(`/api/v1/load-runs/import?name=r${suffix}`, { key, rawBody: "{}" })).status).toBe(403);
});
