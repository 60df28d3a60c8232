// What the design page hands its client components: the service's ExperimentDetail without Dates, the salt or
// database ids, and with audit actors shown by name where the page knows it.
import type { ExperimentDetail } from "@/lib/experiments/types";
import type { MetricInput } from "@/lib/validation/experiments";
import type { AuditItem } from "./AuditTimeline";

export interface DesignView {
  key: string;
  name: string;
  description: string;
  status: ExperimentDetail["status"];
  variableUnderTest: ExperimentDetail["variableUnderTest"];
  gatewayEnabled: boolean;
  coverage: number;
  hypothesis: ExperimentDetail["hypothesis"];
  hypothesisSentence: string;
  owner: { name: string } | null;
  variants: {
    key: string;
    name: string;
    isControl: boolean;
    weight: number;
    config: ExperimentDetail["variants"][number]["config"];
    configVersion: number;
  }[];
  metrics: MetricInput[];
  planSettings: ExperimentDetail["planSettings"];
  plan: ExperimentDetail["plan"];
  differences: ExperimentDetail["differences"];
  undeclared: string[];
  startProblems: string[];
  needsSingleVariableReason: boolean;
  singleVariableReason: string | null;
  archivedAt: string | null;
  startedAt: string | null;
  stoppedAt: string | null;
  createdAt: string;
  updatedAt: string;
  audit: AuditItem[];
}

/** The detail as plain data for the browser. */
export function designViewOf(d: ExperimentDetail): DesignView {
  const iso = (x: Date | null) => (x ? x.toISOString() : null);
  return {
    key: d.key,
    name: d.name,
    description: d.description,
    status: d.status,
    variableUnderTest: d.variableUnderTest,
    gatewayEnabled: d.gatewayEnabled,
    coverage: d.coverage,
    hypothesis: d.hypothesis,
    hypothesisSentence: d.hypothesisSentence,
    owner: d.owner ? { name: d.owner.name } : null,
    variants: d.variants.map((v) => ({
      key: v.key,
      name: v.name,
      isControl: v.isControl,
      weight: v.weight,
      config: v.config,
      configVersion: v.configVersion,
    })),
    metrics: d.metrics.map(({ id: _id, position: _position, ...m }) => m),
    planSettings: d.planSettings,
    plan: d.plan,
    differences: d.differences,
    undeclared: d.undeclared,
    startProblems: d.startProblems,
    needsSingleVariableReason: d.needsSingleVariableReason,
    singleVariableReason: d.singleVariableReason,
    archivedAt: iso(d.archivedAt),
    startedAt: iso(d.startedAt),
    stoppedAt: iso(d.stoppedAt),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    audit: d.audit.map((e) => ({
      id: e.id,
      action: e.action,
      actor: e.actorName ?? e.actorLabel,
      createdAt: e.createdAt.toISOString(),
      details: e.details,
    })),
  };
}
