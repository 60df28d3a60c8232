// bench:results — an experiment's results at 1,000,000 interactions x 3 variants x 5 metrics (one of them P95 latency):
// a throwaway embedded PostgreSQL, migrated, the experiment made by the experiment service, the rows made by SQL. Figures
// (median of several runs, ms): a bare count(*) of the rows (the reference), the naive way (one aggregate query per
// metric and variant), the results computed afresh, a repeat view (cached: nothing new arrived) and a view after one new
// interaction (the cache is stale, so it recomputes), with the Node process's peak memory growth.
// Usage: npm run bench:results [-- --rows 1000000] [-- --runs 5]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { env, setEnv } from "@/lib/env";
import { disconnectDb } from "@/lib/db/client";
import { closePool } from "@/lib/dataPlane/pool";
import { startEmbeddedPostgres } from "@/lib/runtime/embeddedPostgres";
import { applyMigrations } from "@/lib/runtime/migrate";
import { createExperiment, startExperiment } from "@/lib/experiments/service";
import { createExperimentSchema } from "@/lib/validation/experiments";
import { computeResults, experimentResults } from "@/lib/results/service";
import { freePort, machine, timed } from "./support/stack";

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = flag("rows", 1_000_000);
const RUNS = flag("runs", 5);
const KEY = "bench-results";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-results-"));
fs.chmodSync(dir, 0o755);
const database = await startEmbeddedPostgres({
  dir: path.join(dir, "pg"),
  passwordFile: path.join(dir, "pg-password"),
  port: await freePort(),
  sharedDir: env().ASSAY_SHARED_DIR,
});
try {
  await applyMigrations(database.url);
  setEnv({ DATABASE_URL: database.url });
  const pm = { via: "session" as const, userId: null, email: "bench@assay.local", name: "Bench", role: "PM" as const };
  await createExperiment(
    pm,
    createExperimentSchema.parse({
      key: KEY,
      name: "Results benchmark",
      hypothesis: { change: "we use prompt B", expectation: "helpfulness rises by 5%", reason: "it is clearer" },
      variableUnderTest: "SYSTEM_PROMPT",
      variants: [
        { key: "A", name: "A", isControl: true, weight: 34, config: { model: "llama", systemPrompt: "a" } },
        { key: "B", name: "B", weight: 33, config: { model: "llama", systemPrompt: "b" } },
        { key: "C", name: "C", weight: 33, config: { model: "llama", systemPrompt: "c" } },
      ],
      metrics: [
        {
          name: "Helpfulness",
          role: "GOAL",
          kind: "MEAN",
          source: "CUSTOM_VALUE",
          field: "helpfulness",
          direction: "INCREASE",
          mde: 0.05,
          baseline: 4,
          baselineSd: 0.8,
        },
        {
          name: "Goal completion",
          role: "GOAL",
          kind: "PROPORTION",
          source: "LOG_FIELD",
          field: "goal_completed",
          direction: "INCREASE",
          mde: 0.05,
          baseline: 0.6,
        },
        {
          name: "Harmful rate",
          role: "GUARDRAIL",
          kind: "PROPORTION",
          source: "LOG_FIELD",
          field: "safety_flag",
          direction: "DECREASE",
          mde: 0.005,
          mdeAbsolute: true,
          nonInferiorityMargin: 0.005,
          baseline: 0.01,
        },
        {
          name: "Latency P95",
          role: "GUARDRAIL",
          kind: "QUANTILE",
          source: "LOG_FIELD",
          field: "latency_ms",
          quantile: 0.95,
          direction: "DECREASE",
          mde: 0.1,
          nonInferiorityMargin: 0.1,
        },
        {
          name: "Cost",
          role: "GUARDRAIL",
          kind: "MEAN",
          source: "LOG_FIELD",
          field: "cost",
          direction: "DECREASE",
          mde: 0.05,
          nonInferiorityMargin: 0.2,
          baseline: 0.001,
          baselineSd: 0.0002,
        },
      ],
      plan: { dailyTraffic: 100000 },
    }),
  );
  await startExperiment(pm, KEY, {});
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows: ids } = await client.query(
    `SELECT e.id, array_agg(v.id ORDER BY v.position) AS variants FROM "Experiment" e JOIN "Variant" v ON v."experimentId" = e.id WHERE e.key = $1 GROUP BY e.id`,
    [KEY],
  );
  const [experimentId, variants] = [ids[0].id as string, ids[0].variants as string[]];
  const t0 = performance.now();
  await client.query(`SELECT setseed(0.42)`);
  await client.query(
    `INSERT INTO "Interaction" (id, "requestId", "experimentId", "variantId", "userId", "latencyMs", cost, "safetyFlag", "goalCompleted", "customMetrics", "timestamp", source)
     SELECT 'c' || md5(g::text), 'req-' || g, $1, ($2::text[])[1 + g % 3], 'user-' || (g / 2),
       exp(6.3 + 0.35 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())), 0.001 * (0.8 + 0.4 * random()), random() < 0.01,
       random() < 0.6, jsonb_build_object('helpfulness', 1 + floor(random() * 5)), now() - (g % 604800) * interval '1 second', 'API'
     FROM generate_series(1, $3::int) AS g`,
    [experimentId, variants, ROWS],
  );
  const insertMs = performance.now() - t0;
  await client.query(`VACUUM ANALYZE "Interaction"`);
  console.log(`${ROWS.toLocaleString("en-US")} interactions inserted in ${(insertMs / 1000).toFixed(1)} s`);

  const count = await timed(() => client.query(`SELECT count(*) FROM "Interaction" WHERE "experimentId" = $1`, [experimentId]), RUNS);
  const naiveColumns = [
    `("customMetrics"->>'helpfulness')::float8`,
    `"goalCompleted"::int::float8`,
    `"safetyFlag"::int::float8`,
    `"latencyMs"`,
    `cost::float8`,
  ];
  const naive = await timed(async () => {
    for (const c of naiveColumns)
      for (const v of variants)
        await client.query(
          `SELECT count(${c}), avg(${c}), stddev_samp(${c}), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ${c})
           FROM "Interaction" WHERE "experimentId" = $1 AND "variantId" = $2`,
          [experimentId, v],
        );
  }, 1);

  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const cold = await timed(() => computeResults(KEY), RUNS);
  clearInterval(sampler);
  await experimentResults(KEY);
  const repeat = await timed(() => experimentResults(KEY), RUNS * 4);
  let n = 0;
  const afterIngest = await timed(async () => {
    await client.query(
      `INSERT INTO "Interaction" (id, "requestId", "experimentId", "variantId", "userId", "latencyMs", source) VALUES ($1, $1, $2, $3, 'late-user', 500, 'API')`,
      [`late-${n++}`, experimentId, variants[0]],
    );
    return experimentResults(KEY);
  }, RUNS);
  const r = await experimentResults(KEY);
  await client.end();

  console.log(`\nmachine: ${machine()}; ${new Date().toISOString()}`);
  console.log(`| what | ms |\n|---|---|`);
  console.log(`| count(*) of the experiment's rows (reference) | ${count.toFixed(0)} |`);
  console.log(`| naive: one aggregate query per metric and variant (15 queries) | ${naive.toFixed(0)} |`);
  console.log(`| results computed afresh (every metric, comparisons, SRM, timeline) | ${cold.toFixed(0)} |`);
  console.log(`| repeat view, nothing new (cached) | ${repeat.toFixed(2)} |`);
  console.log(`| view after one new interaction (recomputed) | ${afterIngest.toFixed(0)} |`);
  console.log(
    `\nfresh / count(*): ${(cold / count).toFixed(1)}x; naive / fresh: ${(naive / cold).toFixed(1)}x; Node memory growth while computing: ${((peak - rss0) / 1048576).toFixed(1)} MiB (rss ${(peak / 1048576).toFixed(0)} MiB).`,
  );
  console.log(`metrics: ${r.metrics.map((m) => `${m.metric} n=${m.variants.map((v) => v.n).join("/")}`).join("; ")}`);
} finally {
  await closePool().catch(() => {});
  await disconnectDb().catch(() => {});
  await database.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
