// `assay analyze`: numbers against scipy / statsmodels on small fixture files and on the guide's Welch example, through
// analyzeFile (the command's own reading and analysis) and end to end through the real entry point (node cli/bin.mjs)
// for the output, the exit codes and the messages of malformed files.
// Reference values: scipy 1.10.1, statsmodels 0.13.5, numpy 1.24 (Debian 12's python3), on the fixtures of
// tests/fixtures/analyze (their .py files made them). For the values x of a variant t against the control c:
//   scipy.stats.ttest_ind(t, c, equal_var=False); df and ci as in tests/unit/compare.test.ts;
//   scipy.stats.mannwhitneyu(c, t, alternative='two-sided', use_continuity=True, method='asymptotic');
//   statsmodels proportions_ztest([xt, xc], [nt, nc]); multipletests(p, method='holm' | 'fdr_bh');
//   np.percentile(x, 50 | 95 | 99); scipy.stats.chisquare(users[, f_exp]).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analysisJson, analyzeFile, type AnalyzeFlags } from "@/cli/commands/analyze";
import { expectClose } from "../support/close";

const root = path.resolve(__dirname, "../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/analyze", name);
const guide = fixture("guide-welch.jsonl");
const analyze = async (file: string, flags: Partial<AnalyzeFlags> & { metric: string }) => analysisJson(await analyzeFile(file, flags));

function assay(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "cli/bin.mjs"), "analyze", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** Several runs at once (the CLI's start-up dominates a small file). */
function assayAll(runs: string[][]) {
  return Promise.all(
    runs.map(
      (args) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [path.join(root, "cli/bin.mjs"), "analyze", ...args], { cwd: root });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (d) => (stdout += d));
          child.stderr.on("data", (d) => (stderr += d));
          child.on("close", (code) => resolve({ code, stdout, stderr }));
        }),
    ),
  );
}

describe("assay analyze: the guide's Welch example", () => {
  it("--json reproduces scipy's ttest_ind(equal_var=False) and the guide's printed means, lift and p", () => {
    const r = assay(guide, "--metric", "helpfulness", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).slice(0, 6)).toEqual(["metric", "kind", "control", "variants", "comparisons", "srm"]);
    expect(Object.keys(out.variants[0]).slice(0, 7)).toEqual(["variant", "n", "mean", "sd", "p50", "p95", "p99"]);
    expect(Object.keys(out.comparisons[0]).slice(0, 9)).toEqual([
      "variant",
      "diff",
      "relLift",
      "ci95",
      "statistic",
      "df",
      "pValue",
      "pAdjusted",
      "mannWhitney",
    ]);
    expect(out).toMatchObject({ metric: "helpfulness", kind: "mean", control: "A" });
    const [a, b] = out.variants;
    // The guide prints means 4.017 and 4.084, "Relative Improvement: 1.66%", "P-value: 0.0033".
    expect(a.mean.toFixed(3)).toBe("4.017");
    expect(b.mean.toFixed(3)).toBe("4.084");
    const c = out.comparisons[0];
    expect((c.relLift * 100).toFixed(2)).toBe("1.66");
    expect(c.pValue.toFixed(4)).toBe("0.0033");
    // ttest_ind(b, a, equal_var=False) -> statistic 2.9433870849649564, pvalue 0.0032613775591099885;
    // a.mean() 4.016903060956155, b.mean() 4.083617227675136, a.std(ddof=1) 0.7880224655925262
    expectClose(c.statistic, 2.9433870849649564);
    expectClose(c.pValue, 0.0032613775591099885);
    expectClose(a.mean, 4.016903060956155);
    expectClose(b.mean, 4.083617227675136);
    expectClose(c.diff, 4.083617227675136 - 4.016903060956155);
    expectClose(a.sd, 0.7880224655925262);
    // np.percentile(a, 50 | 95 | 99)
    expectClose(a.p50, 4.027026237190393);
    expectClose(a.p95, 5.339143867575934);
    expectClose(a.p99, 5.813129844228896);
    // mannwhitneyu(a, b, ...) -> statistic 2979746.0, pvalue 0.004425953477101315
    expect(c.mannWhitney.u).toBe(2979746);
    expectClose(c.mannWhitney.pValue, 0.004425953477101315);
    expect(c.df).toBeGreaterThan(4990);
    expect(c.pAdjusted).toBe(c.pValue);
    // chisquare([2500, 2500]) -> statistic 0.0, pvalue 1.0
    expect(out.srm).toMatchObject({ chi2: 0, pValue: 1, flag: false });
  });

  it("the guide's code as printed (np.random.seed(42)), as CSV: scipy's answer, not the guide's printed output", async () => {
    // ttest_ind(b, a, equal_var=False) -> statistic 1.5500908991300317, pvalue 0.12118305949676243; means 4.027011236044777, 4.061951852095338
    const out = await analyze(fixture("guide-welch-seed42.csv"), { metric: "helpfulness" });
    expectClose(out.variants[0].mean!, 4.027011236044777);
    expectClose(out.variants[1].mean!, 4.061951852095338);
    expectClose(out.comparisons[0].statistic, 1.5500908991300317);
    expectClose(out.comparisons[0].pValue, 0.12118305949676243);
  });

  it("--kind quantile: the difference of medians and of P95s by the quantile test", async () => {
    // z = norm.ppf(0.975); per arm value, var = np.quantile(x, q), (n-1)/n*((np.quantile(x, q+h) - np.quantile(x, q-h))/(2*z))**2
    // with h = z*np.sqrt(q*(1-q)/n); d/se, 2*norm.sf(abs(d/se)), d -/+ z*se
    const median = await analyze(guide, { metric: "helpfulness", kind: "quantile", quantile: 0.5 });
    const m = median.comparisons[0];
    expectClose(m.diff, 0.06738431149089408);
    expectClose(m.statistic, 2.3412641289554985);
    expectClose(m.pValue, 0.01921856538954044);
    expectClose(m.ci95[0], 0.01097426274338207);
    expectClose(m.ci95[1], 0.12379436023840609);
    expect(m.df).toBeNull();
    expect(median.quantile).toBe(0.5);
    const p95 = (await analyze(guide, { metric: "helpfulness", kind: "quantile" })).comparisons[0];
    expectClose(p95.diff, 0.07175854109408153);
    expectClose(p95.pValue, 0.12747665558691507);
    expectClose(p95.ci95[0], -0.020519879847710726);
  });

  it("prints a readable table and reading without naming libraries", () => {
    const r = assay(guide, "--metric", "helpfulness");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^variant\s+n\s+mean\s+sd\s+p50\s+p95\s+p99\s+users$/m);
    expect(r.stdout).toMatch(/^A\s+2,500\s+4\.0169\s/m);
    expect(r.stdout).toContain("B vs A: mean +0.06671 (+1.661%)");
    expect(r.stdout).toContain("p 0.0033: significant at alpha 0.05");
    expect(r.stdout).toContain("against a 50/50 split: p 1, as expected.");
    expect(r.stdout).not.toMatch(/scipy|numpy|statsmodels|gbstats|growthbook/i);
  });
});

describe("assay analyze: small files", () => {
  const small = fixture("small.jsonl");

  it("means of three variants: Welch, Mann-Whitney with ties, Holm across the two treatments, percentiles, users", async () => {
    const out = await analyze(small, { metric: "latency_ms" });
    expect(out.kind).toBe("mean");
    expect(out.variants.map((v) => [v.variant, v.n, v.users])).toEqual([
      ["A", 12, 9],
      ["B", 12, 9],
      ["C", 12, 9],
    ]);
    // A: mean 870.8333333333334, sd 107.5730900224108, np.percentile 850.0, 1022.5, 1044.5
    expectClose(out.variants[0].mean!, 870.8333333333334);
    expectClose(out.variants[0].sd!, 107.5730900224108);
    expect([out.variants[0].p50, out.variants[0].p95, out.variants[0].p99]).toEqual([850, 1022.5, 1044.5]);
    const [b, c] = out.comparisons;
    // B: diff -87.5, t -1.7395979056559152, p 0.09669132508686834, df 20.8236417818084, ci (-192.15642295894537, 17.156422958945384), U 103.5, p 0.07017636025035728
    expectClose(b.diff, -87.5);
    expectClose(b.statistic, -1.7395979056559152);
    expectClose(b.pValue, 0.09669132508686834);
    expectClose(b.df!, 20.8236417818084);
    expectClose(b.ci95[0], -192.15642295894537);
    expectClose(b.ci95[1], 17.156422958945384);
    expect(b.mannWhitney!.u).toBe(103.5);
    expectClose(b.mannWhitney!.pValue, 0.07017636025035728);
    // C: t 3.4275411537925518, p 0.0024183868653589436, U 23.0, p 0.0047122825603198035
    expectClose(c.statistic, 3.4275411537925518);
    expectClose(c.pValue, 0.0024183868653589436);
    expect(c.mannWhitney!.u).toBe(23);
    expectClose(c.mannWhitney!.pValue, 0.0047122825603198035);
    // multipletests([0.09669132508686834, 0.0024183868653589436], method='holm') -> [0.09669132508686834, 0.004836773730717887]
    expectClose(b.pAdjusted, 0.09669132508686834);
    expectClose(c.pAdjusted, 0.004836773730717887);
    expect([b.significant, c.significant]).toEqual([false, true]);
    // chisquare([9, 9, 9]) -> 0.0, 1.0
    expect(out.srm).toMatchObject({ chi2: 0, pValue: 1, flag: false, df: 2 });
  });

  it("the same file as CSV gives the same answer", async () => {
    const jsonl = await analyze(small, { metric: "latency_ms" });
    const csv = await analyze(fixture("small.csv"), { metric: "latency_ms" });
    expect(csv).toEqual(jsonl);
    const resolved = await analyze(fixture("small.csv"), { metric: "resolved" });
    expect(resolved).toEqual(await analyze(small, { metric: "resolved" }));
  });

  it("--control B and --correction bh", async () => {
    const out = await analyze(small, { metric: "latency_ms", control: "B", correction: "bh" });
    expect(out.control).toBe("B");
    expect(out.variants.map((v) => v.variant)).toEqual(["B", "A", "C"]);
    const [a, c] = out.comparisons;
    // A against B: t 1.7395979056559152, U 40.5; C against B: t 4.751412024900228, p 0.00011896635796361856, U 14.5, p 0.0008934348721691294
    expectClose(a.statistic, 1.7395979056559152);
    expect(a.mannWhitney!.u).toBe(40.5);
    expectClose(c.statistic, 4.751412024900228);
    expectClose(c.pValue, 0.00011896635796361856);
    expectClose(c.mannWhitney!.pValue, 0.0008934348721691294);
    // multipletests([0.09669132508686834, 0.00011896635796361856], method='fdr_bh') -> [0.09669132508686834, 0.00023793271592723712]
    expectClose(a.pAdjusted, 0.09669132508686834);
    expectClose(c.pAdjusted, 0.00023793271592723712);
  });

  it("a sparse field: interactions without a value are left out of its statistics and counted", async () => {
    const out = await analyze(small, { metric: "user_feedback_score", correction: "holm" });
    expect(out.rows).toBe(36);
    expect(out.withoutValue).toBe(12);
    expect(out.variants.map((v) => [v.n, v.users])).toEqual([
      [8, 9],
      [8, 9],
      [8, 9],
    ]);
    // B: t 1.9517013947406958, p 0.07269853236344238; C: t -1.561347320371766;
    // multipletests([0.07269853236344238, 0.14351330123287548], method='holm') -> [0.14539706472688477, 0.14539706472688477]
    expectClose(out.comparisons[0].statistic, 1.9517013947406958);
    expectClose(out.comparisons[1].statistic, -1.561347320371766);
    expectClose(out.comparisons[0].pAdjusted, 0.14539706472688477);
    expectClose(out.comparisons[1].pAdjusted, 0.14539706472688477);
  });

  it("proportions: a true/false field or 0/1 values are read as a proportion; z as statsmodels", async () => {
    const flag = await analyze(small, { metric: "safety_flag" });
    expect(flag.kind).toBe("proportion");
    // proportions_ztest([3, 1], [12, 12]) -> (1.0954451150103324, 0.27332167829229814);
    // confint_proportions_2indep(3, 12, 1, 12, method='wald', compare='diff') -> (-0.12398178936246179, 0.45731512269579516)
    expectClose(flag.comparisons[0].statistic, 1.0954451150103324);
    expectClose(flag.comparisons[0].pValue, 0.27332167829229814);
    expectClose(flag.comparisons[0].ci95[0], -0.12398178936246179);
    expectClose(flag.comparisons[0].ci95[1], 0.45731512269579516);
    expect(flag.comparisons[0].df).toBeNull();
    // multipletests([0.27332167829229814, 0.27332167829229814], method='holm') -> [0.5466433565845963, 0.5466433565845963]
    expectClose(flag.comparisons[1].pAdjusted, 0.5466433565845963);
    const resolved = await analyze(small, { metric: "resolved" });
    expect(resolved.kind).toBe("proportion");
    // proportions_ztest([8, 6], [12, 12]) -> (0.8280786712108249, 0.40762594770278093); C: z 0.0, p 1.0
    expectClose(resolved.comparisons[0].statistic, 0.8280786712108249);
    expectClose(resolved.comparisons[0].pValue, 0.40762594770278093);
    expect(resolved.comparisons[1]).toMatchObject({ statistic: 0, pValue: 1 });
    // Forced to a mean, the same 0/1 values get Welch's test.
    expect((await analyze(small, { metric: "resolved", kind: "mean" })).comparisons[0].df).not.toBeNull();
  });

  it("--weights: the users are checked against the given split", async () => {
    // chisquare([9, 9, 9], f_exp=[13.5, 6.75, 6.75]) -> statistic 3.0, pvalue 0.22313016014842982
    for (const weights of ["0.5,0.25,0.25", "50/25/25", "C=1,A=2,B=1"]) {
      const out = await analyze(small, { metric: "latency_ms", weights });
      expectClose(out.srm!.chi2, 3);
      expectClose(out.srm!.pValue, 0.22313016014842982);
      expect(out.srm!.weights).toEqual([0.5, 0.25, 0.25]);
    }
  });
});

describe("assay analyze: the split of users and bad files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-analyze-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  let requests = 0;
  const line = (variant: string, user: string, latency: unknown, extra = "") =>
    `{"request_id":"r${++requests}","user_id":"${user}","experiment_key":"e","variant_id":"${variant}","latency_ms":${JSON.stringify(latency)}${extra}}`;

  it("a broken split is flagged (p < 0.001), from 8 users per variant", async () => {
    // 40 users in A, 10 in B: chisquare([40, 10]) -> statistic 18.0, pvalue 2.2090496998585475e-05
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => line("A", `a${i}`, 100 + i)),
      ...Array.from({ length: 10 }, (_, i) => line("B", `b${i}`, 100 + i)),
    ];
    const out = await analyze(write("srm.jsonl", rows.join("\n")), { metric: "latency_ms" });
    expectClose(out.srm!.chi2, 18);
    expectClose(out.srm!.pValue, 2.2090496998585475e-5);
    expect(out.srm!.flag).toBe(true);
    const few = await analyze(write("few.jsonl", rows.slice(0, 45).join("\n")), { metric: "latency_ms" });
    expect(few.srm).toBeNull();
  });

  it("each malformed file exits 2 with a message naming the line (or row) and the field", async () => {
    const good = [line("A", "u1", 100), line("A", "u2", 120), line("B", "u3", 130), line("B", "u4", 150)];
    const cases: [string[], RegExp][] = [
      [
        [write("missing-column.csv", "request_id,user_id,experiment_key,variant_id,ttft_ms\nr1,u1,e,A,10\n"), "--metric", "latency_ms"],
        /row 1 \(the header\) has no latency_ms column/,
      ],
      [
        [write("no-variant-column.csv", "request_id,user_id,latency_ms\nr1,u1,10\n"), "--metric", "latency_ms"],
        /row 1 \(the header\) has no variant_id column/,
      ],
      [
        [write("not-a-number.jsonl", [...good.slice(0, 2), line("B", "u3", "fast"), good[3]].join("\n")), "--metric", "latency_ms"],
        /line 3, latency_ms: must be a number, got "fast"/,
      ],
      [
        [
          write("not-a-number.csv", "request_id,user_id,experiment_key,variant_id,latency_ms\nr1,u1,e,A,10\nr2,u2,e,B,slow\n"),
          "--metric",
          "latency_ms",
        ],
        /row 3, latency_ms: must be a number, got "slow"/,
      ],
      [
        [write("nested-not-a-number.jsonl", [good[0], line("B", "u3", 1, ',"metrics":{"score":"high"}')].join("\n")), "--metric", "score"],
        /line 2, metrics\.score: must be a number, got "high"/,
      ],
      [
        [write("no-variant.jsonl", [good[0], '{"request_id":"x","user_id":"u9","latency_ms":5}'].join("\n")), "--metric", "latency_ms"],
        /line 2, variant_id: missing/,
      ],
      [[write("not-json.jsonl", [good[0], "{nope"].join("\n")), "--metric", "latency_ms"], /line 2 is not valid JSON/],
      [[write("one-variant.jsonl", good.slice(0, 2).join("\n")), "--metric", "latency_ms"], /only variant A has values for latency_ms/],
      [[write("no-values.jsonl", good.join("\n")), "--metric", "ttft_ms"], /no interaction has a value for ttft_ms/],
      [
        [write("good.jsonl", good.join("\n")), "--metric", "latency_ms", "--control", "Z"],
        /--control: no variant is called "Z"; the variants are A, B/,
      ],
      [[write("good2.jsonl", good.join("\n")), "--metric", "latency_ms", "--weights", "1,1,1"], /--weights: 3 weights for 2 variants/],
      [
        [write("not-binary.jsonl", good.join("\n")), "--metric", "latency_ms", "--kind", "proportion"],
        /line 1, latency_ms: must be 0 or 1/,
      ],
      [[path.join(dir, "absent.jsonl"), "--metric", "latency_ms"], /absent\.jsonl: no such file/],
    ];
    // Each message from the command's own reading (in process, quick) ...
    for (const [[file, , metric, ...rest], message] of cases) {
      const flags: Record<string, string> = {};
      for (let i = 0; i < rest.length; i += 2) flags[rest[i].slice(2)] = rest[i + 1];
      await expect(analyzeFile(file, { metric, ...flags } as AnalyzeFlags), file).rejects.toThrow(message);
    }
    // ... and the exit code and output of the real command, for one case of each kind (a bad header, a bad value, bad flags).
    const picked = [0, 2, 7, 9];
    const results = await assayAll(picked.map((i) => cases[i][0]));
    results.forEach((r, k) => {
      const [args, message] = cases[picked[k]];
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.startsWith("error: ")).toBe(true);
      expect(r.stdout).toBe("");
    });
  }, 60_000);
});
