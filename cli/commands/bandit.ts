// `assay bandit --arms 0.10,0.12,0.11 --horizon 20000`: how Thompson-sampling allocation would do on arms whose true
// rates you set, against the fixed equal split on the same horizon (lib/rollouts/banditSim.ts, through the allocation
// code a rollout uses, lib/rollouts/thompson.ts). Regret is what the allocation gave up against always serving the
// best arm: per unit, the best arm's rate minus the served arm's, summed.
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { banditRuns, summarizeBandit, type BanditSimOptions, type BanditSimResult } from "../../lib/rollouts/banditSim";
import { DEFAULT_FLOOR, DEFAULT_MIN_PER_ARM } from "../../lib/rollouts/thompson";
import { parseNumberFlag, UsageError } from "../usage";

interface BanditFlags {
  arms: string;
  horizon: number;
  batch: number;
  floor: number;
  seed: number;
  runs: number;
  kind: string;
  sd: number;
  minPerArm: number;
  draws: number;
  json?: boolean;
  quiet?: boolean;
}

/** "0.10,0.12,0.11" -> [0.1, 0.12, 0.11], each checked for the goal's kind. */
export function parseArms(raw: string, kind: "proportion" | "mean"): number[] {
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.length < 2 || parts.length > 20) throw new UsageError(`--arms takes 2 to 20 comma-separated values, got ${parts.length}.`);
  return parts.map((p, i) => {
    const v = Number(p);
    if (p === "" || !Number.isFinite(v)) throw new UsageError(`--arms: value ${i + 1} ("${p}") is not a number.`);
    if (kind === "proportion" && (v < 0 || v > 1))
      throw new UsageError(`--arms: value ${i + 1} (${p}) is not a rate from 0 to 1 (use --kind mean for means).`);
    return v;
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(2));

/** The result as text: the headline, each arm's final weight, and the paths of the weights and the regret. */
export function formatBandit(r: BanditSimResult): string {
  const lines = [
    `Thompson sampling over ${r.runs} runs of ${r.horizon.toLocaleString("en-US")} units in batches of ${r.batch} (floor ${pct(r.floor)}):`,
    `  regret ${num(r.regret)} against ${num(r.fixedRegret)} for the equal split${r.regretRatio !== null ? ` (ratio ${r.regretRatio.toFixed(2)})` : ""}; below the split in ${r.runsBelowFixed} of ${r.runs} runs`,
    `  the best arm (${r.bestArm + 1}: ${r.arms[r.bestArm]}) got ${pct(r.bestArmShare)} of all units; its weight passed 80% in ${r.runsBestOver80} of ${r.runs} runs`,
    "",
    "arm\ttrue value\tfinal weight",
    ...r.arms.map((a, i) => `${i + 1}${i === r.bestArm ? " (best)" : ""}\t${a}\t${pct(r.weights[i])}`),
    "",
    "units\t" + r.arms.map((_, i) => `arm ${i + 1}`).join("\t") + "\tregret\tequal split's",
  ];
  const every = Math.max(1, Math.ceil(r.path.length / 12));
  r.path.forEach((p, i) => {
    if (i % every === 0 || i === r.path.length - 1)
      lines.push([p.units, ...p.weights.map(pct), num(p.regret), num(p.fixedRegret)].join("\t"));
  });
  return `${lines.join("\n")}\n`;
}

export function registerBandit(program: Command): void {
  program
    .command("bandit")
    .description("simulate Thompson-sampling allocation on arms with known rates, against the fixed equal split")
    .requiredOption("--arms <values>", "each arm's true rate (0-1), comma-separated: 0.10,0.12,0.11 (means with --kind mean)")
    .option(
      "--horizon <units>",
      "units (users) over the whole run",
      parseNumberFlag("--horizon", { min: 10, max: 10_000_000, integer: true }),
      20_000,
    )
    .option(
      "--batch <units>",
      "units between two weight updates",
      parseNumberFlag("--batch", { min: 1, max: 1_000_000, integer: true }),
      500,
    )
    .option("--floor <share>", "each arm's least share of traffic", parseNumberFlag("--floor", { min: 0, max: 0.5 }), DEFAULT_FLOOR)
    .option(
      "--seed <n>",
      "seed: the same seed gives the same numbers",
      parseNumberFlag("--seed", { min: 0, max: 2 ** 31 - 1, integer: true }),
      1,
    )
    .option("--runs <n>", "independent runs to average", parseNumberFlag("--runs", { min: 1, max: 10_000, integer: true }), 200)
    .option("--kind <kind>", "proportion (a rate per unit) or mean (a number per unit, normal with --sd)", "proportion")
    .option("--sd <x>", "the outcomes' standard deviation, for --kind mean", parseNumberFlag("--sd", { min: 1e-9, max: 1e9 }), 1)
    .option(
      "--min-per-arm <units>",
      "units each arm needs before the weights move off the equal split",
      parseNumberFlag("--min-per-arm", { min: 0, max: 1_000_000, integer: true }),
      DEFAULT_MIN_PER_ARM,
    )
    .option(
      "--draws <n>",
      "posterior draws per weight update",
      parseNumberFlag("--draws", { min: 100, max: 1_000_000, integer: true }),
      1000,
    )
    .option("--json", "print the result as JSON")
    .option("--quiet", "no progress bar")
    .action(async (flags: BanditFlags) => {
      if (flags.kind !== "proportion" && flags.kind !== "mean")
        throw new UsageError(`--kind must be proportion or mean, got "${flags.kind}".`);
      const kind = flags.kind;
      const arms = parseArms(flags.arms, kind);
      if (flags.floor * arms.length > 1)
        throw new UsageError(
          `--floor ${flags.floor} for ${arms.length} arms is more than all the traffic: at most ${(1 / arms.length).toFixed(3)}.`,
        );
      const updates = Math.ceil(flags.horizon / flags.batch) * flags.runs;
      if (updates * flags.draws * arms.length > 2e10)
        throw new UsageError("--runs x --horizon / --batch x --draws is too large to simulate here: take fewer runs or a larger --batch.");
      const o: BanditSimOptions = {
        arms,
        horizon: flags.horizon,
        batch: flags.batch,
        floor: flags.floor,
        seed: flags.seed,
        runs: flags.runs,
        kind,
        sd: flags.sd,
        minPerArm: flags.minPerArm,
        draws: flags.draws,
      };
      const bar =
        flags.quiet || !process.stderr.isTTY
          ? null
          : new cliProgress.SingleBar(
              { format: "{bar} run {value}/{total} | {eta_formatted} left", stream: process.stderr },
              cliProgress.Presets.shades_classic,
            );
      bar?.start(o.runs, 0);
      const runs = [];
      for (const run of banditRuns(o)) {
        runs.push(run);
        bar?.update(runs.length);
        // Let the bar draw between runs.
        await new Promise((r) => setImmediate(r));
      }
      bar?.stop();
      const result = summarizeBandit(o, runs);
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatBandit(result));
    });
}
