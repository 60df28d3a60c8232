// bench:judge — judgments per second at concurrency 64 against the simulator with zero delay, through `assay judge`'s
// path (the file read and checked, each interaction's request built, the answer read against the rubric, one output
// line written per judgment), against the simulator's own ceiling in the same run: the same judge requests sent bare at
// the same concurrency, their answers not read. Each figure is the median of 3 runs of N judgments.
// Then the worker path the issue names: a stack of its own with one worker process (8 jobs of 50 at a time, 8 judgments
// in flight each: 64), N interactions ingested, a judge run started through the API and timed from the request to the
// run's SUCCEEDED (queue, database reads and writes, one score row per judgment), its scores counted in the database for
// duplicates; the simulator's ceiling measured again just before each run.
// Usage: npm run bench:judge [-- --n 4000] [-- --skip-cli]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { median } from "simple-statistics";
import { runJudge, type JudgeLine } from "@/cli/commands/judge";
import { DEFAULT_RUBRIC, judgeRequest } from "@/lib/judge/rubric";
import { chatCompletion } from "@/lib/openai/chat";
import { startSimulator } from "@/lib/simulator/server";
import pg from "pg";
import { BENCH_KEY, benchStack, machine, postJson, runningExperiment } from "./support/stack";

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

  /** The simulator's ceiling: the same requests, CONCURRENCY at a time, nothing done with the answers; per second. */
  const bare = async () => {
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
    return N / ((performance.now() - t0) / 1000);
  };

  const ceiling: number[] = [];
  const judged: number[] = [];
  let failures = 0;
  for (let run = 0; run < (process.argv.includes("--skip-cli") ? 0 : RUNS); run++) {
    ceiling.push(await bare());

    const lines: JudgeLine[] = [];
    const t1 = performance.now();
    const summary = await runJudge(file, { url: sim.url, model: "assay-sim-1", concurrency: CONCURRENCY }, (l) => lines.push(l));
    judged.push(N / ((performance.now() - t1) / 1000));
    failures += summary.failed;
    if (lines.length !== N || new Set(lines.map((l) => l.request_id)).size !== N)
      throw new Error(`${lines.length} lines for ${N} interactions`);
  }
  const workerCeiling: number[] = [];
  const worker: number[] = [];
  let duplicates = 0;
  const { stack, url, stop } = await benchStack("judge", { workers: 1 });
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    await postJson(`${url}/api/v1/endpoints`, { name: "bench-simulator", baseUrl: `${sim.url}/v1`, defaultModel: "assay-sim-1" });
    for (let run = 0; run < RUNS; run++) {
      const key = `judge-bench-${run}`;
      await runningExperiment(url, key);
      const records = Array.from({ length: N }, (_, i) => ({
        request_id: `${key}-${i}`,
        user_id: `${key}-u${i}`,
        experiment_key: key,
        variant_id: i % 2 ? "B" : "A",
        user_input: `How do I reset my password? (${i})`,
        model_output: outputs[i % 3],
      }));
      const sent = (await postJson(`${url}/api/v1/interactions`, records)) as { accepted: number };
      if (sent.accepted !== N) throw new Error(`${sent.accepted} of ${N} interactions accepted`);
      workerCeiling.push(await bare());
      const t0 = performance.now();
      const started = (await postJson(`${url}/api/v1/experiments/${key}/judge-runs`, { endpoint: "bench-simulator", mode: "all" })) as {
        run: { id: string };
      };
      type View = { status: string; scored: number; failed: number; skipped: number };
      let view: View;
      for (;;) {
        const res = await fetch(`${url}/api/v1/judge-runs/${started.run.id}`, { headers: { authorization: `Bearer ${BENCH_KEY}` } });
        view = ((await res.json()) as { run: View }).run;
        if (view.status !== "QUEUED" && view.status !== "RUNNING") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      worker.push(N / ((performance.now() - t0) / 1000));
      if (view.status !== "SUCCEEDED" || view.scored !== N) throw new Error(`the run ended ${view.status} with ${JSON.stringify(view)}`);
      failures += view.failed;
      const { rows } = await client.query<{ n: number; distinct: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT "interactionId")::int AS distinct FROM "JudgeScore" WHERE "judgeRunId" = $1`,
        [started.run.id],
      );
      if (rows[0].n !== N) throw new Error(`${rows[0].n} scores for ${N} interactions`);
      duplicates += rows[0].n - rows[0].distinct;
    }
  } finally {
    await client.end();
    await stop();
  }

  console.log(`machine: ${machine()}; load average ${os.loadavg()[0].toFixed(1)}; ${new Date().toISOString()}`);
  console.log(`${N} judgments per run, concurrency ${CONCURRENCY}, simulator with zero delay, median of ${RUNS} runs:\n`);
  console.log("| path | judgments/s | ratio to the simulator's ceiling |\n|---|---|---|");
  if (ceiling.length) {
    const [c, j] = [median(ceiling), median(judged)];
    console.log(`| simulator ceiling: the judge requests sent bare | ${c.toFixed(0)} | 1 |`);
    console.log(
      `| assay judge's path: file, request, answer read against the rubric, line out | ${j.toFixed(0)} | ${(j / c).toFixed(2)} |`,
    );
  }
  const [wc, w] = [median(workerCeiling), median(worker)];
  console.log(`| simulator ceiling, measured before each worker run | ${wc.toFixed(0)} | 1 |`);
  console.log(`| worker path: API start, queue, one worker, score rows written | ${w.toFixed(0)} | ${(w / wc).toFixed(2)} |`);
  console.log(`\n${failures} failed judgments; ${duplicates} duplicate scores; every interaction got exactly one line and one score.`);
} finally {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
