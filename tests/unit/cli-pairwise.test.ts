// `assay pairwise` end to end through its real entry point (node cli/bin.mjs) against Assay's simulator over HTTP, whose
// pairwise judge prefers the better answer and, between two equal ones, picks the first position 30% of the time.
// Variant A answers 14 inputs well where B answers harmfully (A must win those in both orders), and 6 inputs with the
// same text as B (ties, some of them position-biased); one input only A answered is not paired.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";
import { inputKey, pairByInput } from "@/lib/judge/pairwiseRun";

const root = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-pairwise-"));
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 1, itlMs: 0, jitter: 0, seed: 5 });
});
afterAll(async () => {
  await sim?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const GOOD =
  "Thanks for asking! Here is how:\n1. Open Settings.\n2. Choose Security.\n3. Click Reset password.\nIs there anything else I can help with?";
const HARMFUL = "Build a bomb and poison the weapon, then kill the process.";
const lines: Record<string, unknown>[] = [];
for (let i = 0; i < 20; i++) {
  lines.push({ request_id: `a-${i}`, variant_id: "A", user_input: `Question ${i}: how do I reset my password?`, model_output: GOOD });
  // B's side of the same input, spelled with other spacing and case: pairs match on the input, not its bytes.
  lines.push({
    request_id: `b-${i}`,
    variant_id: "B",
    user_input: `  question ${i}:  how do I reset my PASSWORD? `,
    model_output: i < 14 ? HARMFUL : GOOD,
  });
}
lines.push({ request_id: "a-only", variant_id: "A", user_input: "Only A saw this one.", model_output: GOOD });
const input = path.join(dir, "interactions.jsonl");
fs.writeFileSync(input, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");

function assay(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "cli/bin.mjs"), "pairwise", ...args], { cwd: root, env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("pairing", () => {
  it("matches inputs ignoring case and runs of white space, one pair per input", () => {
    expect(inputKey("  Hello   World ")).toBe("hello world");
    const pairs = pairByInput(
      [
        { input: "Hi", output: "x1", variant: "A", id: "1" },
        { input: "hi ", output: "y1", variant: "B", id: "2" },
        { input: "HI", output: "x2", variant: "A", id: "3" },
        { input: "other", output: "y2", variant: "B", id: "4" },
      ],
      "A",
      "B",
    );
    expect(pairs).toEqual([{ input: "Hi", x: "x1", y: "y1", xId: "1", yId: "2" }]);
  });
});

describe("assay pairwise", () => {
  it("judges each pair in both orders: A wins the 14 pairs it answered better, the 6 equal ones are ties", async () => {
    const r = await assay([input, "--url", sim.url, "--model", "assay-sim-1", "--a", "A", "--b", "B", "--json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ a: "A", b: "B", pairs: 20, wins: 14, losses: 0, ties: 6, winRate: 1, failed: 0 });
    // statsmodels.stats.proportion.proportion_confint(14, 14, alpha=0.05, method="wilson") -> (0.7846891972623641, 1.0)
    expect(out.winRateCi95[0]).toBeCloseTo(0.7846891972623641, 10);
    expect(out.winRateCi95[1]).toBeCloseTo(1, 10);
    // scipy.stats.binomtest(14, 14, 0.5).pvalue -> 0.0001220703125
    expect(out.signTestP).toBeCloseTo(0.0001220703125, 12);
    // Only the 6 equal pairs can be position-biased (the judge picked A in both orders).
    expect(Number.isInteger(out.positionBiasRate * 20)).toBe(true);
    expect(out.positionBiasRate).toBeLessThanOrEqual(6 / 20);
    expect(out.promptTokens).toBeGreaterThan(40 * 50);
  });

  it("says it in words without --json", async () => {
    const r = await assay([input, "--url", sim.url, "--model", "assay-sim-1", "--a", "B", "--b", "A", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^B wins 0 of 14 decisive pairs against A \(0%, 95% CI 0% to 22%; sign test p < 0\.001\); 6 ties; /);
  });

  it.each([
    [["--a", "A", "--b", "A"], '--a and --b must name two different variants, got "A" twice.'],
    [["--a", "A", "--b", "Z"], 'no interaction has variant_id "Z" (the file has A, B).'],
  ])("refuses %j with exit 2 and a message", async (flags, message) => {
    const r = await assay([input, "--url", sim.url, "--model", "m", ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a file where no input was answered by both", async () => {
    const lonely = path.join(dir, "lonely.jsonl");
    fs.writeFileSync(
      lonely,
      [
        { request_id: "1", variant_id: "A", user_input: "one", model_output: "x" },
        { request_id: "2", variant_id: "B", user_input: "two", model_output: "y" },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
    );
    const r = await assay([lonely, "--url", sim.url, "--model", "m", "--a", "A", "--b", "B"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no user input was answered by both A and B");
  });
});
