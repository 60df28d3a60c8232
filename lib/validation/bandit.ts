// A bandit simulation (POST /api/v1/bandit-simulations and the Bandit simulator page): the arms' true values and the
// allocation's settings, bounded so that one request's simulation stays within a few seconds.
import { z } from "zod";
import { DEFAULT_FLOOR, DEFAULT_MIN_PER_ARM } from "@/lib/rollouts/thompson";

const whole = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a whole number from ${min} to ${max.toLocaleString("en-US")}` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max.toLocaleString("en-US")}`);

/** Posterior draws per weight update in the app's simulations. */
export const APP_BANDIT_DRAWS = 1000;
/** Weight updates x draws x arms one request may cost (about 2 s on 2 cores). */
export const MAX_BANDIT_WORK = 1.2e8;

export const banditSimulationSchema = z
  .strictObject({
    kind: z.enum(["proportion", "mean"], { error: "kind must be proportion or mean" }).default("proportion"),
    arms: z
      .array(z.number({ error: "each arm's value must be a number" }), { error: "arms must be a list of numbers, e.g. [0.10, 0.12]" })
      .min(2, "give at least 2 arms")
      .max(10, "at most 10 arms"),
    horizon: whole("horizon", 10, 1_000_000).default(20_000),
    batch: whole("batch", 1, 100_000).default(500),
    floor: z
      .number({ error: "floor must be a share from 0 to 0.5, e.g. 0.01" })
      .min(0, "floor may not be negative")
      .max(0.5, "floor must be at most 0.5")
      .default(DEFAULT_FLOOR),
    seed: whole("seed", 0, 2 ** 31 - 1).default(1),
    runs: whole("runs", 1, 500).default(100),
    sd: z.number({ error: "sd must be a number above 0" }).gt(0, "sd must be above 0").max(1e9).default(1),
    minPerArm: whole("minPerArm", 0, 1_000_000).default(DEFAULT_MIN_PER_ARM),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "proportion")
      v.arms.forEach((a, i) => {
        if (a < 0 || a > 1) ctx.addIssue({ code: "custom", path: ["arms", i], message: `arm ${i + 1}'s rate must be from 0 to 1` });
      });
    if (v.floor * v.arms.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["floor"],
        message: `a floor of ${v.floor} for ${v.arms.length} arms is more than all the traffic`,
      });
    const work = Math.ceil(v.horizon / v.batch) * v.runs * APP_BANDIT_DRAWS * v.arms.length;
    if (work > MAX_BANDIT_WORK)
      ctx.addIssue({
        code: "custom",
        path: ["runs"],
        message: "that is too much to simulate in one request: take fewer runs, a larger batch or a shorter horizon (or use assay bandit)",
      });
  });
export type BanditSimulationInput = z.infer<typeof banditSimulationSchema>;
