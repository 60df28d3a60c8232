// One assignment decision, from an experiment's settings and a user: pure, the same on the server, in the local client
// and in the OpenFeature provider. The order of the rules is part of the contract (README, "Assignment"):
//   notRunning (or shipped, once decided) -> killSwitch -> forced -> sticky -> notTargeted -> hash (inside the coverage)
//   or not in the experiment.
import { bucketNumberFromSeed, seedState } from "./hash";
import { bucketRanges, chooseRange, type BucketRange } from "./buckets";
import { compileTargeting, type Attributes, type CompiledCondition, type TargetingCondition } from "./targeting";

export type AssignmentReason = "hash" | "forced" | "sticky" | "killSwitch" | "notRunning" | "notTargeted" | "shipped";

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
  /**
   * A decided experiment's approved variant (its review's "Deploy B"): every user gets it, reason "shipped", outside the
   * analysis. Absent or null otherwise (a stopped or undecided experiment sends everyone to the control).
   */
  shipped?: string | null;
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
  targeting: CompiledCondition | null;
  seed: number;
  forced: boolean;
  /** Every possible answer, made once: an assignment allocates nothing. */
  notRunning: AssignmentResult;
  notTargeted: AssignmentResult;
  outside: AssignmentResult;
  hash: AssignmentResult[];
  killSwitch: Map<string, AssignmentResult>;
  forcedTo: Map<string, AssignmentResult>;
  sticky: Map<string, AssignmentResult>;
}

const result = (variant: string, inExperiment: boolean, reason: AssignmentReason, remember: boolean): AssignmentResult =>
  Object.freeze({ variant, inExperiment, reason, remember });

// Ranges, control, compiled targeting and the answers, computed once per settings object.
const derivedCache = new WeakMap<AssignmentSettings, Derived>();

function derived(settings: AssignmentSettings): Derived {
  let d = derivedCache.get(settings);
  if (!d) {
    const control = (settings.variants.find((v) => v.isControl) ?? settings.variants[0])?.key ?? "";
    const keys = settings.variants.map((v) => v.key);
    const each = (f: (key: string) => AssignmentResult) => new Map(keys.map((k) => [k, f(k)]));
    d = {
      ranges: bucketRanges(
        settings.variants.map((v) => v.weight),
        settings.coverage,
      ),
      control,
      keys: new Set(keys),
      targeting: settings.targeting.length ? compileTargeting(settings.targeting) : null,
      seed: seedState(settings.hashingSalt),
      forced: Object.keys(settings.forcedVariants).length > 0,
      notRunning:
        settings.shipped && keys.includes(settings.shipped)
          ? result(settings.shipped, false, "shipped", false)
          : result(control, false, "notRunning", false),
      notTargeted: result(control, false, "notTargeted", false),
      outside: result(control, false, "hash", false),
      hash: keys.map((k) => result(k, true, "hash", true)),
      killSwitch: each((k) => result(k, false, "killSwitch", false)),
      forcedTo: each((k) => result(k, false, "forced", false)),
      sticky: each((k) => result(k, true, "sticky", false)),
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
  if (!settings.running) return d.notRunning;
  if (settings.killSwitch.on) return d.killSwitch.get(settings.killSwitch.variant ?? "") ?? d.killSwitch.get(d.control)!;
  if (d.forced && Object.hasOwn(settings.forcedVariants, input.userId)) {
    const forced = d.forcedTo.get(settings.forcedVariants[input.userId]);
    if (forced) return forced;
  }
  if (input.sticky) {
    const kept = d.sticky.get(input.sticky);
    if (kept) return kept;
  }
  if (d.targeting && !d.targeting(input.attributes ?? {})) return d.notTargeted;
  const index = chooseRange(bucketNumberFromSeed(d.seed, input.userId), d.ranges);
  return index < 0 ? d.outside : d.hash[index];
}
