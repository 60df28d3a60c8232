// bench:ingest — interactions through POST /api/v1/interactions in batches of 1,000 (JSON, 4 batches in flight), against
// the fastest raw path for the same rows into the same PostgreSQL in the same run: COPY FROM STDIN. Two runs of each,
// alternating, so neither gets the emptier table. Prints rows/s and the ratio. Usage: npm run bench:ingest [-- --rows 100000]
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { BENCH_KEY, benchStack, machine, postJson, runningExperiment } from "./support/stack";

const ROWS = Number(process.argv[process.argv.indexOf("--rows") + 1]) || 100_000;
const BATCH = 1000;
const IN_FLIGHT = 4;

function guideRow(i: number, experiment: string) {
  return {
    request_id: `req-${i}`,
    user_id: `user-${i % 5000}`,
    experiment_key: experiment,
    variant_id: i % 2 ? "A" : "B",
    model_name: "Llama-4-Maverick-17B-128E-Instruct-FP8",
    system_prompt_version: i % 2 ? "v1" : "v2.1-structured-steps",
    latency_ms: 800 + (i % 700),
    ttft_ms: 120 + (i % 90),
    prompt_tokens: 100 + (i % 50),
    completion_tokens: 200 + (i % 120),
    user_input: "How do I reset my password?",
    model_output: "Go to settings and click 'Security', then 'Reset password'. You will get an email with a link.",
    safety_flag: i % 97 === 0,
    user_feedback_score: i % 3 === 0 ? 1 : 0,
    timestamp: new Date(Date.now() - (3 * ROWS - i) * 10).toISOString(),
  };
}

/** One run of the API path, rows/s. Bodies are built beforehand, so the figure is the server's, not the client's JSON.stringify. */
async function viaApi(url: string, round: number): Promise<number> {
  const bodies: string[] = [];
  for (let b = 0; b < ROWS / BATCH; b++) {
    bodies.push(JSON.stringify(Array.from({ length: BATCH }, (_, i) => guideRow(round * ROWS + b * BATCH + i, "bench-api"))));
  }
  const t0 = performance.now();
  let next = 0;
  let accepted = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await fetch(`${url}/api/v1/interactions`, {
          method: "POST",
          headers: { authorization: `Bearer ${BENCH_KEY}`, "content-type": "application/json" },
          body,
        });
        const json = (await res.json()) as { accepted: number };
        if (!res.ok) throw new Error(JSON.stringify(json).slice(0, 300));
        accepted += json.accepted;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (accepted !== ROWS) throw new Error(`accepted ${accepted} of ${ROWS}`);
  return ROWS / seconds;
}

const esc = (v: unknown) =>
  v === null || v === undefined ? "\\N" : String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");

/** One run of COPY FROM STDIN of the same rows (the columns the API fills), sent in chunks of 1,000 lines; rows/s. */
async function viaCopy(client: pg.Client, experimentId: string, variantIds: Record<string, string>, round: number): Promise<number> {
  const chunks: string[] = [];
  let chunk = "";
  for (let i = round * ROWS; i < (round + 1) * ROWS; i++) {
    const r = guideRow(i, "bench-copy");
    const cost = ((r.prompt_tokens * 0.2 + r.completion_tokens * 0.6) / 1e6).toFixed(8);
    chunk +=
      [
        randomUUID(),
        r.request_id,
        experimentId,
        variantIds[r.variant_id],
        r.user_id,
        r.model_name,
        r.system_prompt_version,
        r.latency_ms,
        r.ttft_ms,
        r.prompt_tokens,
        r.completion_tokens,
        cost,
        r.user_input,
        r.model_output,
        r.safety_flag,
        r.user_feedback_score,
        r.timestamp,
        "API",
      ]
        .map(esc)
        .join("\t") + "\n";
    if (i % BATCH === BATCH - 1) {
      chunks.push(chunk);
      chunk = "";
    }
  }
  if (chunk) chunks.push(chunk);
  const t0 = performance.now();
  await pipeline(
    Readable.from(chunks),
    client.query(
      copyFrom(
        `COPY "Interaction" ("id", "requestId", "experimentId", "variantId", "userId", "modelName", "systemPromptVersion", "latencyMs", "ttftMs", "promptTokens", "completionTokens", "cost", "userInput", "modelOutput", "safetyFlag", "userFeedbackScore", "timestamp", "source") FROM STDIN`,
      ),
    ),
  );
  return ROWS / ((performance.now() - t0) / 1000);
}

async function main() {
  const { stack, url, stop } = await benchStack("ingest");
  try {
    await runningExperiment(url, "bench-api");
    await runningExperiment(url, "bench-copy");
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    const ids = await client.query<{ id: string; variant: string; vid: string }>(
      `SELECT e.id, v.key AS variant, v.id AS vid FROM "Experiment" e JOIN "Variant" v ON v."experimentId" = e.id WHERE e.key = 'bench-copy'`,
    );
    const variantIds = Object.fromEntries(ids.rows.map((r) => [r.variant, r.vid]));
    // Warm-up (JIT, pools, caches): 5 batches of another range, not counted.
    for (let w = 0; w < 5; w++) {
      await postJson(
        `${url}/api/v1/interactions`,
        Array.from({ length: BATCH }, (_, i) => guideRow(ROWS * 10 + w * BATCH + i, "bench-api")),
      );
    }
    const apiRates: number[] = [];
    const copyRates: number[] = [];
    for (let round = 0; round < 2; round++) {
      apiRates.push(await viaApi(url, round));
      copyRates.push(await viaCopy(client, ids.rows[0].id, variantIds, round));
    }
    const stored = await client.query<{ key: string; n: number }>(
      `SELECT e.key, count(*)::int AS n FROM "Interaction" i JOIN "Experiment" e ON e.id = i."experimentId" GROUP BY 1 ORDER BY 1`,
    );
    await client.end();
    const fmt = (r: number) => `${Math.round(r).toLocaleString("en-US")} rows/s`;
    const best = (xs: number[]) => Math.max(...xs);
    console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
    console.log(
      `${ROWS} guide-schema rows per run, batches of ${BATCH}, ${IN_FLIGHT} in flight; stored: ${stored.rows.map((r) => `${r.key} ${r.n}`).join(", ")}`,
    );
    console.log(`API  POST /api/v1/interactions: ${apiRates.map(fmt).join(", ")}`);
    console.log(`raw  COPY FROM STDIN:            ${copyRates.map(fmt).join(", ")}`);
    console.log(
      `best API ${fmt(best(apiRates))}, best COPY ${fmt(best(copyRates))}: ratio API / COPY ${(best(apiRates) / best(copyRates)).toFixed(2)}`,
    );
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
