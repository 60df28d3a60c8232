// `assay judge` end to end through its real entry point (node cli/bin.mjs) against Assay's simulator over HTTP (it
// judges by reading each response) and against a small server of the test's own: the output lines, reruns that judge
// only what is missing, the deterministic sample, custom rubrics, the API key kept out of every output, and bad input.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inSample, type JudgeLine } from "@/cli/commands/judge";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";

const root = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-judge-"));
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 1, itlMs: 0, jitter: 0, seed: 11 });
});
afterAll(async () => {
  await sim?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const GOOD =
  "Thanks for asking! To reset your password:\n1. Open Settings.\n2. Choose Security.\n3. Click Reset password.\nIs there anything else I can help with?";
const HARMFUL = "Build a bomb and poison the weapon, then kill the process.";
const interactions = Array.from({ length: 30 }, (_, i) => ({
  request_id: `req-${i}`,
  user_id: `u${i}`,
  variant_id: i % 2 ? "B" : "A",
  user_input: "How do I reset my password?",
  model_output: i % 2 ? HARMFUL : GOOD,
}));
function write(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}
const input = write("interactions.jsonl", interactions);
const readLines = (file: string): JudgeLine[] =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

function assay(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "cli/bin.mjs"), "judge", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("assay judge", () => {
  it("scores every interaction, one line each, and sums up per variant; a rerun judges nothing more", async () => {
    const out = path.join(dir, "scores.jsonl");
    const r = await assay([input, "--url", sim.url, "--model", "assay-sim-1", "--concurrency", "4", "--output", out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readLines(out);
    expect(lines.map((l) => l.request_id).sort()).toEqual(interactions.map((i) => i.request_id).sort());
    for (const l of lines) {
      expect(Object.keys(l)).toEqual([
        "request_id",
        "variant_id",
        "scores",
        "reasoning",
        "judge_model",
        "rubric_version",
        "latency_ms",
        "prompt_tokens",
        "completion_tokens",
        "error",
      ]);
      expect(l.error).toBeNull();
      expect(l).toMatchObject({ judge_model: "assay-sim-1", rubric_version: "default-1" });
      for (const v of Object.values(l.scores!)) expect(v >= 1 && v <= 5 && Number.isInteger(v)).toBe(true);
      expect(l.prompt_tokens).toBeGreaterThan(50);
    }
    const safety = (v: string) => {
      const s = lines.filter((l) => l.variant_id === v).map((l) => l.scores!.safety);
      return s.reduce((a, b) => a + b, 0) / s.length;
    };
    expect(safety("B")).toBeLessThan(safety("A"));
    expect(r.stdout).toContain("30 judged, 0 failed.");
    expect(r.stdout).toMatch(/\nA\t15\t0\t/);
    expect(r.stdout).toMatch(/\nB\t15\t0\t/);

    const again = await assay([input, "--url", sim.url, "--model", "assay-sim-1", "--output", out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 judged, 0 failed, 30 kept from the earlier run.");
    expect(readLines(out)).toHaveLength(30);
  });

  it("writes a failed judgment with its reason, never a score, and judges it again on a rerun; the API key stays secret", async () => {
    const seen: string[] = [];
    const refusing = http.createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      req.resume();
      req.on("end", () => {
        res.writeHead(403, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "this key may not use the judge model" } }));
      });
    });
    await new Promise<void>((r) => refusing.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    const out = path.join(dir, "retry.jsonl");
    const secret = "sk-judge-very-secret-1234567890";
    const first = await assay([input, "--url", url, "--model", "m", "--output", out], { ASSAY_JUDGE_API_KEY: secret });
    await new Promise((r) => refusing.close(r));
    expect(first.code, first.stderr).toBe(0);
    expect(seen[0]).toBe(`Bearer ${secret}`);
    const failed = readLines(out);
    expect(failed).toHaveLength(30);
    for (const l of failed)
      expect(l).toMatchObject({ scores: null, error: "The judge's server answered 403: this key may not use the judge model" });
    expect(first.stdout).toContain("0 judged, 30 failed.");
    for (const text of [first.stdout, first.stderr, fs.readFileSync(out, "utf8")]) expect(text).not.toContain(secret);

    const second = await assay([input, "--url", sim.url, "--model", "assay-sim-1", "--output", out]);
    expect(second.code, second.stderr).toBe(0);
    const lines = readLines(out);
    expect(lines).toHaveLength(30);
    expect(lines.every((l) => l.scores && !l.error)).toBe(true);
  });

  it("samples the same interactions on every run, and scores a custom rubric on its own scale", async () => {
    const rubric = path.join(dir, "tone.json");
    fs.writeFileSync(
      rubric,
      JSON.stringify({
        name: "Tone",
        criteria: [{ key: "warmth", label: "Warmth", description: "Is the reply friendly?", min: 0, max: 3 }],
      }),
    );
    const r = await assay([input, "--url", sim.url, "--model", "assay-sim-1", "--sample", "0.5", "--rubric", rubric]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JudgeLine);
    const expected = interactions.filter((i) => inSample(i.request_id, 0.5)).map((i) => i.request_id);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(25);
    expect(lines.map((l) => l.request_id).sort()).toEqual(expected.sort());
    for (const l of lines) {
      expect(Object.keys(l.scores!)).toEqual(["warmth"]);
      expect(l.scores!.warmth >= 0 && l.scores!.warmth <= 3).toBe(true);
      expect(l.rubric_version).toMatch(/^sha256:[0-9a-f]{12}$/);
    }
    expect(r.stderr).toContain(`${expected.length} judged, 0 failed, ${30 - expected.length} left out of the sample.`);
  });

  it.each([
    [["--url", "ftp://judge", "--model", "m"], "--url must be an http(s) address"],
    [["--url", "http://127.0.0.1:9", "--model", "m", "--concurrency", "0"], "--concurrency must be at least 1"],
    [["--url", "http://127.0.0.1:9", "--model", "m", "--sample", "2"], "--sample must be at most 1"],
    [["--url", "http://127.0.0.1:9"], "required option '--model <name>' not specified"],
  ])("exits 2 for %j: %s", async (args, message) => {
    const r = await assay([input, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("names the line and field of a bad interaction, and the field of a bad rubric, before judging anything", async () => {
    const bad = write("bad.jsonl", [interactions[0], { request_id: "x", variant_id: "A", user_input: "hi" }]);
    const before = sim.stats().requests;
    const out = path.join(dir, "never.jsonl");
    const r = await assay([bad, "--url", sim.url, "--model", "assay-sim-1", "--output", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${bad}: line 2: model_output must be the text the judge reads; it is missing or empty.\n`);
    // Line 1 was good, but nothing was judged and nothing written.
    expect(sim.stats().requests).toBe(before);
    expect(fs.existsSync(out)).toBe(false);
    const twice = write("twice.jsonl", [interactions[0], interactions[0]]);
    expect((await assay([twice, "--url", sim.url, "--model", "m"])).stderr).toContain('line 2: request_id "req-0" comes twice');
    const rubric = path.join(dir, "bad-rubric.json");
    fs.writeFileSync(rubric, JSON.stringify({ name: "x", criteria: [{ key: "a", label: "A", description: "d", min: 3, max: 1 }] }));
    const rr = await assay([input, "--url", sim.url, "--model", "m", "--rubric", rubric]);
    expect(rr.code).toBe(2);
    expect(rr.stderr).toBe(`error: --rubric ${rubric}: criteria.0.max: a scale's max must be above its min (1 to 5).\n`);
    expect((await assay([path.join(dir, "none.jsonl"), "--url", sim.url, "--model", "m"])).stderr).toContain("none.jsonl: no such file.");
  });
});
