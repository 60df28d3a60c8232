import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { banditRuns, summarizeBandit } from "@/lib/rollouts/banditSim";
import { APP_BANDIT_DRAWS, banditSimulationSchema } from "@/lib/validation/bandit";

export const dynamic = "force-dynamic";

/** POST /api/v1/bandit-simulations (any signed-in role): Thompson allocation on arms with known values, against the equal split. */
export const POST = withAuth("planner:use", async ({ req }) => {
  const input = await readBody(req, banditSimulationSchema);
  const o = { ...input, draws: APP_BANDIT_DRAWS };
  const runs = [];
  for (const run of banditRuns(o)) {
    runs.push(run);
    // One run at a time, the event loop free between them: other requests are not held up for the whole simulation.
    await new Promise((r) => setImmediate(r));
  }
  return { simulation: summarizeBandit(o, runs) };
});
