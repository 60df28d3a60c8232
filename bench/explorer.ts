// bench:explorer — the interaction explorer's paging at millions of rows: a throwaway embedded PostgreSQL, migrated, with
// 2,000,000 interactions of one experiment (four rows share each second, so ties on the timestamp are paged by id), then
// the first page, a page in the middle of the set reached by cursor (keyset, as the explorer serves it) and the same page
// by OFFSET (the reference no page is served by), without a filter and with two. Figures: the median of several runs, ms.
// Usage: npm run bench:explorer [-- --rows 2000000] [-- --runs 9]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { env, setEnv } from "@/lib/env";
import { disconnectDb } from "@/lib/db/client";
import {
  countRecentMatches,
  listInteractionPage,
  listInteractionPageByOffsetForBenchmark,
  type InteractionFilterSql,
} from "@/lib/db/interactions";
import { freePort, timed } from "./support/stack";
import { startEmbeddedPostgres } from "@/lib/runtime/embeddedPostgres";
import { applyMigrations } from "@/lib/runtime/migrate";
import { COUNT_SCAN_LIMIT } from "@/lib/interactions/explorer";
import { EXPLORER_PAGE_SIZE } from "@/lib/validation/interactions";

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = flag("rows", 2_000_000);
const RUNS = flag("runs", 9);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-explorer-"));
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
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`INSERT INTO "Experiment" (id, key, name, "variableUnderTest", status, "hashingSalt", "updatedAt")
    VALUES ('bench-exp', 'bench-explorer', 'Bench', 'SYSTEM_PROMPT', 'RUNNING', 'salt', now())`);
  await client.query(`INSERT INTO "Variant" (id, "experimentId", key, name, "isControl", weight, config, "updatedAt", position)
    VALUES ('bench-a', 'bench-exp', 'A', 'Generic', true, 50, '{}', now(), 0), ('bench-b', 'bench-exp', 'B', 'Persona', false, 50, '{}', now(), 1)`);
  let t0 = performance.now();
  // Ids as the database's default cuid-like text, unique; timestamps one second apart per four rows, newest last.
  await client.query(
    `INSERT INTO "Interaction" (id, "requestId", "experimentId", "variantId", "userId", "modelName", "systemPromptVersion",
       "latencyMs", "ttftMs", "promptTokens", "completionTokens", cost, "userInput", "modelOutput", "safetyFlag",
       "userFeedbackScore", "goalCompleted", "customMetrics", "timestamp", source, error)
     SELECT 'c' || md5(g::text), 'req-' || g, 'bench-exp', CASE WHEN g % 2 = 0 THEN 'bench-a' ELSE 'bench-b' END, 'user-' || (g % 50000),
       'llama-4-scout', 'support-v1', 400 + (g % 900), 40 + (g % 60), 20 + (g % 200), 50 + (g % 400), 0.00001 * (g % 97),
       'How do I reset my password? (ticket ' || g || ')', 'Open Settings, then Security, then Reset password. Ticket ' || g || '.',
       g % 50 = 0, (g % 5) + 1, g % 3 = 0, jsonb_build_object('resolved', g % 2), timestamp '2026-10-01' + (g / 4) * interval '1 second',
       'DEMO', CASE WHEN g % 100 = 0 THEN 'upstream timed out' END
     FROM generate_series(1, $1::int) AS g`,
    [ROWS],
  );
  const insertMs = performance.now() - t0;
  t0 = performance.now();
  await client.query(`VACUUM ANALYZE "Interaction"`);
  const vacuumMs = performance.now() - t0;
  await client.end();
  console.log(
    `${ROWS.toLocaleString("en-US")} interactions inserted in ${(insertMs / 1000).toFixed(1)} s, vacuum + analyze ${(vacuumMs / 1000).toFixed(1)} s`,
  );

  const filters: { name: string; filter: InteractionFilterSql }[] = [
    { name: "no filter", filter: {} },
    { name: "variant B, not flagged", filter: { variantIds: ["bench-b"], safety: "clean" } },
    { name: 'text "ticket 1234"', filter: { search: "ticket 1234" } },
  ];
  const rows: string[][] = [];
  for (const { name, filter } of filters) {
    const { matching } = await countRecentMatches("bench-exp", filter, ROWS);
    // The page in the middle of the matching rows, reached by the cursor of the row just before it.
    const middle = Math.floor(matching / 2);
    const [before] = await listInteractionPageByOffsetForBenchmark("bench-exp", filter, middle - 1, 1);
    const cursor = { timestamp: before.timestamp, id: before.id };
    const keysetPage = await listInteractionPage("bench-exp", filter, { after: cursor, limit: EXPLORER_PAGE_SIZE });
    const offsetPage = await listInteractionPageByOffsetForBenchmark("bench-exp", filter, middle, EXPLORER_PAGE_SIZE);
    if (keysetPage.map((r) => r.id).join() !== offsetPage.map((r) => r.id).join())
      throw new Error(`${name}: the keyset page and the OFFSET page differ`);
    // The explorer reads one row more than it shows (is there a next page?).
    const first = await timed(() => listInteractionPage("bench-exp", filter, { limit: EXPLORER_PAGE_SIZE + 1 }), RUNS);
    const deep = await timed(() => listInteractionPage("bench-exp", filter, { after: cursor, limit: EXPLORER_PAGE_SIZE + 1 }), RUNS);
    const offset = await timed(() => listInteractionPageByOffsetForBenchmark("bench-exp", filter, middle, EXPLORER_PAGE_SIZE + 1), RUNS);
    const count = await timed(() => countRecentMatches("bench-exp", filter, COUNT_SCAN_LIMIT), RUNS);
    rows.push([
      name,
      matching.toLocaleString("en-US"),
      middle.toLocaleString("en-US"),
      first.toFixed(2),
      deep.toFixed(2),
      offset.toFixed(1),
      (offset / deep).toFixed(0),
      count.toFixed(2),
    ]);
  }
  const header = [
    "filter",
    "matching",
    "deep page starts at",
    "first page",
    "deep page by cursor",
    "deep page by OFFSET",
    "OFFSET / cursor",
    `count over the newest ${COUNT_SCAN_LIMIT.toLocaleString("en-US")}`,
  ];
  console.log(`\n| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log(
    `\nms, median of ${RUNS} runs after one warm-up; pages of ${EXPLORER_PAGE_SIZE} (+1 row to know whether another page follows).`,
  );
} finally {
  await disconnectDb();
  await database.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
