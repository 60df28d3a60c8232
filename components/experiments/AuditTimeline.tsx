import { configFieldLabel, listInWords } from "./configFields";
import { Time } from "@/components/ui/Time";
import { DECISION_PRESETS, type DecisionPreset } from "@/lib/decision/presets";

export interface AuditItem {
  id: string;
  action: string;
  /** Who did it, as a person's name where known. */
  actor: string;
  createdAt: string;
  details: unknown;
}

type Details = Record<string, unknown> | null;

const fieldWords: Record<string, string> = {
  key: "the key",
  name: "the name",
  description: "the description",
  hypothesis: "the hypothesis",
  variableUnderTest: "the variable under test",
  gatewayEnabled: "the gateway setting",
  variants: "the variants",
  metrics: "the scorecard",
  plan: "the plan",
};

/** What an audit event says, as the rest of a sentence after the actor's name. */
export function auditSentence(action: string, details: Details, experimentKey: string): string {
  const d = details ?? {};
  switch (action) {
    case "experiment.created":
      return "created the experiment";
    case "experiment.started": {
      const reason = typeof d.singleVariableReason === "string" && d.singleVariableReason ? ` — reason: ${d.singleVariableReason}` : "";
      return `started the experiment${reason}`;
    }
    case "experiment.stopped":
      return `stopped the experiment${typeof d.reason === "string" && d.reason ? ` — reason: ${d.reason}` : ""}`;
    case "experiment.decided":
      return `${d.status === "REJECTED" ? "rejected" : "approved"} the deploy decision${typeof d.winner === "string" ? ` (variant ${d.winner})` : ""}`;
    case "decision.rules": {
      const after = (d.after ?? {}) as { preset?: string; costRatioLimit?: number | null };
      const preset = DECISION_PRESETS[after.preset as DecisionPreset]?.label ?? String(after.preset);
      return `set the decision rules to “${preset}”, ${after.costRatioLimit == null ? "no cost limit" : `cost limit ${after.costRatioLimit}x the control's`}`;
    }
    case "review.requested":
      return `requested a review: “${String(d.recommendation)}”`;
    case "review.approved":
      return `approved “${String(d.recommendation)}”: the experiment is decided and ships variant ${String(d.variant)}${typeof d.comment === "string" ? ` — comment: ${d.comment}` : ""}`;
    case "review.rejected":
      return `rejected “${String(d.recommendation)}”: the experiment stays stopped and can be reviewed again${typeof d.comment === "string" ? ` — comment: ${d.comment}` : ""}`;
    case "experiment.archived":
      return "archived the experiment";
    case "experiment.unarchived":
      return "brought the experiment back from the archive";
    case "experiment.cloned":
      return d.to === experimentKey ? `created this experiment as a copy of ${String(d.from)}` : `cloned the experiment as ${String(d.to)}`;
    case "experiment.updated": {
      const changed = Array.isArray(d.changed) ? (d.changed as string[]) : [];
      const parts = changed.filter((f) => f !== "variants").map((f) => fieldWords[f] ?? f);
      const variants = Array.isArray(d.variants)
        ? (d.variants as { key: string; added?: boolean; configVersion?: number; changes?: { field: string }[] }[])
        : [];
      const configs = variants
        .filter((v) => v.added || v.changes?.length)
        .map((v) =>
          v.added
            ? `added variant ${v.key}`
            : `variant ${v.key}'s ${listInWords((v.changes ?? []).map((c) => configFieldLabel(c.field)))} (configuration version ${v.configVersion})`,
        );
      if (changed.includes("variants") && configs.length === 0) parts.push("the variants");
      const all = [...parts, ...configs];
      return all.length ? `changed ${listInWords(all)}` : "saved the design";
    }
    case "traffic.weights": {
      const after = (d.after ?? {}) as Record<string, number>;
      return `changed the split to ${Object.entries(after)
        .map(([k, w]) => `${k} ${w}%`)
        .join(" / ")} (new users only)`;
    }
    case "analysis.settings": {
      const after = (d.after ?? {}) as { correction?: string; sequential?: boolean };
      const words: Record<string, string> = { holm: "Holm", bh: "Benjamini-Hochberg (false discovery rate)", none: "no correction" };
      return `set the results to ${words[after.correction ?? ""] ?? after.correction} across metrics, ${after.sequential ? "sequential (safe to check any time)" : "fixed-horizon"} tests`;
    }
    case "traffic.coverage":
      return `set the users in the experiment to ${Math.round(Number(d.after) * 10000) / 100}% (new users only)`;
    case "traffic.forced": {
      const set = Object.entries((d.set ?? {}) as Record<string, string>).map(([u, v]) => `${u} → ${v}`);
      const removed = Array.isArray(d.removed) ? (d.removed as string[]) : [];
      const parts = [
        ...(set.length ? [`forced ${listInWords(set)}`] : []),
        ...(removed.length ? [`removed the override of ${listInWords(removed)}`] : []),
      ];
      return parts.length ? `${parts.join("; ")} (QA overrides)` : "saved the QA overrides unchanged";
    }
    case "traffic.killSwitchOn":
      return `turned the kill switch on: everyone gets ${typeof d.variant === "string" ? `variant ${d.variant}` : "the control"}`;
    case "traffic.killSwitchOff":
      return "turned the kill switch off";
    case "traffic.targeting": {
      const n = Array.isArray(d.conditions) ? d.conditions.length : 0;
      return n ? `set targeting to ${n} condition${n === 1 ? "" : "s"}` : "removed targeting: every user can enter";
    }
    case "ramp.plan": {
      const n = Array.isArray(d.steps) ? d.steps.length : 0;
      return `set a ${typeof d.preset === "string" ? `${d.preset} ` : ""}ramp plan of ${n} step${n === 1 ? "" : "s"}`;
    }
    case "ramp.advance":
      return `advanced the ramp to step ${d.step} of ${d.of}${typeof d.reason === "string" ? `: ${d.reason}` : ""}`;
    case "ramp.hold":
      return `held the ramp at step ${d.step}${typeof d.reason === "string" ? `: ${d.reason}` : ""}`;
    case "ramp.resume":
      return `resumed the ramp at step ${d.step}`;
    case "ramp.rollback":
      return `rolled the ramp back: every new user to the control${typeof d.reason === "string" ? ` (${d.reason})` : ""}`;
    case "allocation.mode":
      return d.mode === "THOMPSON"
        ? `let the split adapt to the goal (Thompson sampling; each variant keeps at least ${Math.round(Number(d.floor) * 10_000) / 100}%, equal until ${d.minPerArm} units each)`
        : "set the split back to fixed";
    case "experiment.shipped":
      return `shipped ${typeof d.name === "string" ? `${d.variant} (${d.name})` : d.variant}: every user now gets it`;
    case "webhook.set":
      return d.created ? `set a webhook to ${d.host}` : `changed the webhook${d.newSecret ? "'s signing secret" : ""} (to ${d.host})`;
    case "webhook.removed":
      return `removed the webhook to ${d.host}`;
    default:
      return action.replace(/^experiment\./, "").replace(/[._]/g, " ");
  }
}

/** Who did what when, newest first. */
export function AuditTimeline({ items, experimentKey }: { items: AuditItem[]; experimentKey: string }) {
  const newestFirst = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!newestFirst.length) return <p className="text-sm text-slate-600">Nothing recorded yet.</p>;
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5" data-testid="audit-timeline">
      {newestFirst.map((e) => (
        <li key={e.id} className="relative">
          <span className="absolute -left-[1.6rem] top-1.5 h-2.5 w-2.5 rounded-full bg-brand-500 ring-4 ring-white" aria-hidden />
          <p className="text-sm text-slate-800">
            <span className="font-medium">{e.actor}</span> {auditSentence(e.action, e.details as Details, experimentKey)}
          </p>
          <p className="text-xs text-slate-600">
            <Time value={e.createdAt} relative />
          </p>
        </li>
      ))}
    </ol>
  );
}
