// `assay agreement`: the figures of a judge's scores against people's ratings, read from files as a user has them, and
// the messages and exit codes of bad files and flags. Reference values (scikit-learn 1.2.1, scipy 1.10.1) for the 20
// pairs below: cohen_kappa_score(judge, human, labels=[1..5]) = 0.4871794871794872, with weights="quadratic"
// 0.8734177215189873; spearmanr(judge, human) = (0.8922789771195997, p 1.2472008490326162e-07).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agreementOf } from "@/cli/commands/agreement";
import { expectClose } from "../support/close";

const root = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-agreement-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const judge = [5, 4, 4, 3, 5, 2, 1, 4, 3, 5, 4, 2, 3, 3, 5, 1, 2, 4, 5, 3];
const human = [5, 5, 4, 3, 4, 2, 2, 3, 3, 5, 4, 1, 3, 2, 5, 1, 3, 4, 4, 3];

function write(name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
}

// The judge's output (as `assay judge --output` writes it), with a failed judgment and an interaction nobody rated.
const scores = write("scores.jsonl", [
  ...judge.map((s, i) => ({ request_id: `r${i}`, scores: { helpfulness: s, clarity: 4, safety: 5 }, reasoning: "ok", error: null })),
  { request_id: "r-failed", scores: null, error: "the JSON object is cut off (it is never closed)" },
  { request_id: "r-unrated", scores: { helpfulness: 2, clarity: 2, safety: 5 }, error: null },
]);
const interactions = write("interactions.jsonl", [
  ...human.map((h, i) => ({ request_id: `r${i}`, user_id: `u${i}`, variant_id: i % 2 ? "B" : "A", user_feedback_score: h })),
  { request_id: "r-unrated", user_id: "u-x", variant_id: "A" },
]);

function assay(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "cli/bin.mjs"), "agreement", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("assay agreement", () => {
  it("joins the judge's scores with the interactions' ratings and equals scikit-learn and scipy", async () => {
    const r = await agreementOf(scores, { judge: "helpfulness", human: "user_feedback_score", interactions, scale: "1-5" });
    expect(r.n).toBe(20);
    expectClose(r.kappa!, 0.4871794871794872, 1e-12);
    expectClose(r.kappaQuadratic!, 0.8734177215189873, 1e-12);
    expectClose(r.spearman!, 0.8922789771195997, 1e-12);
    expectClose(r.spearmanP!, 1.2472008490326162e-7, 1e-9);
    expect(r.confusion.labels).toEqual([1, 2, 3, 4, 5]);
    expect(r.confusion.matrix[2]).toEqual([0, 1, 4, 0, 0]);
    expect(r.skipped).toEqual({ failed: 1, noJudge: 0, noHuman: 1 });
  });

  it("reads both ratings from one file of interactions (the score in metrics) and prints JSON", () => {
    const joined = write(
      "joined.jsonl",
      judge.map((s, i) => ({ request_id: `r${i}`, user_feedback_score: human[i], metrics: { helpfulness: s } })),
    );
    const out = assay(joined, "--judge", "helpfulness", "--human", "user_feedback_score", "--json");
    expect(out.code, out.stderr).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(Object.keys(json)).toEqual(["n", "kappa", "kappaQuadratic", "spearman", "spearmanP", "confusion", "skipped"]);
    expectClose(json.kappaQuadratic, 0.8734177215189873, 1e-12);
    const text = assay(joined, "--judge", "helpfulness", "--human", "user_feedback_score");
    expect(text.stdout).toContain("(quadratic kappa): 0.873 (strong)");
    expect(text.stdout).toContain("Rank correlation (Spearman): 0.892, p < 0.0001");
  });

  it.each([
    [["--human", "user_feedback_score"], "required option '--judge <criterion>' not specified"],
    [["--judge", "helpfulness", "--human", "user_feedback_score", "--scale", "5-1"], "--scale must go up"],
    [["--judge", "helpfulness", "--human", "user_feedback_score", "--scale", "one to five"], "--scale must be a range of whole numbers"],
    [["--judge", "helpfulness", "--human", "user_feedback_score", "--scale", "1-3"], "line 1: helpfulness is 5, outside --scale 1-3"],
    [["--judge", "nothing", "--human", "user_feedback_score"], 'no line has both a judge score "nothing"'],
  ])("exits 2 for %j: %s", (args, message) => {
    const out = assay(scores, ...args, "--interactions", interactions);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it("names the line and field of a rating that is not a number, and refuses a file it cannot read", () => {
    const bad = write("bad.jsonl", [
      { request_id: "a", metrics: { helpfulness: 4 }, user_feedback_score: 3 },
      { request_id: "b", metrics: { helpfulness: "great" }, user_feedback_score: 3 },
    ]);
    const out = assay(bad, "--judge", "helpfulness", "--human", "user_feedback_score");
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`error: ${bad}: line 2: helpfulness must be a number, got "great".\n`);
    const notJson = write("broken.jsonl", ['{"request_id": "a", ']);
    expect(assay(notJson, "--judge", "helpfulness", "--human", "x").stderr).toContain("line 1 is not valid JSON");
    expect(assay(path.join(dir, "scores.txt"), "--judge", "helpfulness", "--human", "x").stderr).toContain(
      "name the file .csv, .ndjson, .jsonl or .json",
    );
  });
});
