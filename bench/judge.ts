// bench:judge — judgments per second at concurrency 64 against the simulator with zero delay, through `assay judge`'s
// path (the file read and checked, each interaction's request built, the answer read against the rubric, one output
// line written per judgment), against the simulator's own ceiling in the same run: the same judge requests sent bare at
// the same concurrency, their answers not read. Each figure is the median of 3 runs of N judgments.
// Not yet the worker path (queue and database writes) the issue names: judge runs in the workers are still to come.
// Usage: npm run bench:judge [-- --n 4000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { median } from "simple-statistics";
import { runJudge, type JudgeLine } from "@/cli/commands/judge";
import { DEFAULT_RUBRIC, judgeRequest } from "@/lib/judge/rubric";
import { chatCompletion } from "@/lib/openai/chat";
import { startSimulator } from "@/lib/simulator/server";
import { machine } from "./support/stack";

const at = process.argv.indexOf("--n");
const N = at > 0 ? Number(process.argv[at + 1]) : 4000;
const CONCURRENCY = 64;
const RUNS = 3;

const sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0, jitter: 0, maxConcurrency: 1024, seed: 1 });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-judge-"));
try {
  const outputs = [
    "Open Settings, then Security, then Reset password.",
    "I cannot help with that.",
    "Thanks! 1. Settings 2. Security 3. Reset.",
  ];
  const file = path.join(dir, "interactions.jsonl");
  fs.writeFileSync(
    file,
    Array.from({ length: N }, (_, i) =>
      JSON.stringify({
        request_id: `r${i}`,
        variant_id: i % 2 ? "B" : "A",
        user_input: `How do I reset my password? (${i})`,
        model_output: outputs[i % 3],
      }),
    ).join("\n") + "\n",
  );
  const target = { baseUrl: `${sim.url}/v1`, apiKey: null, label: "simulator" };

  const ceiling: number[] = [];
  const judged: number[] = [];
  let failures = 0;
  for (let run = 0; run < RUNS; run++) {
    // The simulator's ceiling: the same requests, CONCURRENCY at a time, nothing done with the answers.
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          await chatCompletion(
            target,
            judgeRequest(
              DEFAULT_RUBRIC,
              { userInput: `How do I reset my password? (${i})`, modelOutput: outputs[i % 3] },
              { model: "assay-sim-1" },
            ),
          );
        }
      }),
    );
    ceiling.push(N / ((performance.now() - t0) / 1000));

    const lines: JudgeLine[] = [];
    const t1 = performance.now();
    const summary = await runJudge(file, { url: sim.url, model: "assay-sim-1", concurrency: CONCURRENCY }, (l) => lines.push(l));
    judged.push(N / ((performance.now() - t1) / 1000));
    failures += summary.failed;
    if (lines.length !== N || new Set(lines.map((l) => l.request_id)).size !== N)
      throw new Error(`${lines.length} lines for ${N} interactions`);
  }
  const [c, j] = [median(ceiling), median(judged)];
  console.log(`machine: ${machine()}; load average ${os.loadavg()[0].toFixed(1)}; ${new Date().toISOString()}`);
  console.log(`${N} judgments per run, concurrency ${CONCURRENCY}, simulator with zero delay, median of ${RUNS} runs:\n`);
  console.log("| path | judgments/s |\n|---|---|");
  console.log(`| simulator ceiling: the judge requests sent bare | ${c.toFixed(0)} |`);
  console.log(`| assay judge's path: file, request, answer read against the rubric, line out | ${j.toFixed(0)} |`);
  console.log(`\nratio ${(j / c).toFixed(2)}; ${failures} failed judgments; every interaction got exactly one line.`);
} finally {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
