// The shapes the experiment service returns (the UI and the REST API render these).
import type { Allocation, ExperimentStatus } from "@/lib/generated/prisma/enums";
import type { MetricInput, VariantConfig, VariableUnderTest } from "@/lib/validation/experiments";
import type { Hypothesis } from "./hypothesis";
import type { ExperimentPlanView, PlanSettings } from "./plan";
import type { ConfigDifference } from "./singleVariable";

export type { VariableUnderTest };

export interface ExperimentVariant {
  id: string;
  key: string;
  name: string;
  isControl: boolean;
  weight: number;
  config: VariantConfig;
  /** Starts at 1 and grows by one each time the configuration changes. */
  configVersion: number;
  position: number;
}

export type ExperimentMetric = MetricInput & { id: string; position: number };

export interface ExperimentAuditEntry {
  id: string;
  action: string;
  actorLabel: string;
  /** The acting user's name now, or null for the system and the bootstrap key. */
  actorName: string | null;
  createdAt: Date;
  details: unknown;
}

export interface ExperimentListItem {
  id: string;
  key: string;
  name: string;
  status: ExperimentStatus;
  variableUnderTest: VariableUnderTest;
  owner: { id: string; name: string } | null;
  variantCount: number;
  updatedAt: Date;
  archivedAt: Date | null;
  hypothesisSentence: string;
}

export interface ExperimentDetail {
  id: string;
  key: string;
  name: string;
  description: string;
  hypothesisChange: string;
  hypothesisExpectation: string;
  hypothesisReason: string;
  variableUnderTest: VariableUnderTest;
  status: ExperimentStatus;
  ownerId: string | null;
  coverage: number;
  allocation: Allocation;
  gatewayEnabled: boolean;
  rampPlan: unknown;
  /** The planner settings saved with the design (Experiment.plan); `plan` below is the computed plan. */
  planSettings: PlanSettings | null;
  singleVariableReason: string | null;
  /** The results' multiple-comparison correction (holm, bh or none) and whether they are peeking-safe. */
  correction: string;
  sequential: boolean;
  /** Users with a QA override: they see their forced variant and are left out of the results. */
  forcedUsers: string[];
  archivedAt: Date | null;
  startedAt: Date | null;
  stoppedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;

  hypothesis: Hypothesis;
  hypothesisSentence: string;
  variants: ExperimentVariant[];
  metrics: ExperimentMetric[];
  owner: { id: string; name: string; email: string } | null;
  /** Oldest first. */
  audit: ExperimentAuditEntry[];
  differences: ConfigDifference[];
  /** Configuration fields that differ beyond the declared variable under test. */
  undeclared: string[];
  plan: ExperimentPlanView | null;
  /** What blocks starting, as sentences; empty when the experiment can start (the single-variable reason is reported apart). */
  startProblems: string[];
  /** True when starting needs a written reason because the variants differ beyond the declared variable. */
  needsSingleVariableReason: boolean;
}
