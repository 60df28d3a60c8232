// One assignment decision, from an experiment's settings and a user: pure, the same on the server, in the local client
// and in the OpenFeature provider. The order of the rules is part of the contract (README, "Assignment"):
//   notRunning -> killSwitch -> forced -> sticky -> notTargeted -> hash (inside the coverage) or not in the experiment.
import { bucketNumber } from "./hash";
import { bucketRanges, chooseRange, type BucketRange } from "./buckets";
import { compileTargeting, type Attributes, type CompiledCondition, type TargetingCondition } from "./targeting";

export type AssignmentReason = "hash" | "forced" | "sticky" | "killSwitch" | "notRunning" | "notTargeted";

/** What evaluation needs of an experiment (what GET /api/v1/experiments/{key}/config serves, without variant settings). */
export interface AssignmentSettings {
  key: string;
  /** Only a running experiment assigns users to treatments; any other status sends everyone to the control. */
  running: boolean;
  hashingSalt: string;
  coverage: number;
  /** In the listed order; exactly one is the control. Weights in any positive scale (Assay uses percentages). */
  variants: readonly { key: string; weight: number; isControl: boolean }[];
  /** QA overrides: user id -> variant key. */
  forcedVariants: Readonly<Record<string, string>>;
  killSwitch: { on: boolean; variant: string | null };
  targeting: readonly TargetingCondition[];
}

export interface AssignmentResult {
  variant: string;
  /** True when the user counts in the experiment's analysis (hash or sticky); forced, killed and untargeted users do not. */
  inExperiment: boolean;
  reason: AssignmentReason;
  /** A first hash assignment the caller should keep, so that the user stays in that variant through weight changes. */
  remember: boolean;
}

interface Derived {
  ranges: BucketRange[];
  control: string;
  keys: Set<string>;
  targeting: CompiledCondition;
}

// Ranges, control and compiled targeting, computed once per settings object.
const derivedCache = new WeakMap<AssignmentSettings, Derived>();

function derived(settings: AssignmentSettings): Derived {
  let d = derivedCache.get(settings);
  if (!d) {
    const control = settings.variants.find((v) => v.isControl) ?? settings.variants[0];
    d = {
      ranges: bucketRanges(
        settings.variants.map((v) => v.weight),
        settings.coverage,
      ),
      control: control?.key ?? "",
      keys: new Set(settings.variants.map((v) => v.key)),
      targeting: compileTargeting(settings.targeting),
    };
    derivedCache.set(settings, d);
  }
  return d;
}

/** The variant key kept for this user earlier, if any (server-side sticky bucketing). */
export interface AssignInput {
  userId: string;
  attributes?: Attributes;
  sticky?: string | null;
}

/** Decides one user's variant. */
export function assign(settings: AssignmentSettings, input: AssignInput): AssignmentResult {
  const d = derived(settings);
  const control = (reason: AssignmentReason): AssignmentResult => ({ variant: d.control, inExperiment: false, reason, remember: false });
  if (!settings.running) return control("notRunning");
  if (settings.killSwitch.on) {
    const chosen = settings.killSwitch.variant && d.keys.has(settings.killSwitch.variant) ? settings.killSwitch.variant : d.control;
    return { variant: chosen, inExperiment: false, reason: "killSwitch", remember: false };
  }
  const forced = Object.hasOwn(settings.forcedVariants, input.userId) ? settings.forcedVariants[input.userId] : undefined;
  if (forced !== undefined && d.keys.has(forced)) return { variant: forced, inExperiment: false, reason: "forced", remember: false };
  if (input.sticky && d.keys.has(input.sticky)) return { variant: input.sticky, inExperiment: true, reason: "sticky", remember: false };
  if (!d.targeting(input.attributes ?? {})) return control("notTargeted");
  const index = chooseRange(bucketNumber(settings.hashingSalt, input.userId), d.ranges);
  if (index < 0) return { variant: d.control, inExperiment: false, reason: "hash", remember: false };
  return { variant: settings.variants[index].key, inExperiment: true, reason: "hash", remember: true };
}
