import { Badge } from "@/components/ui/Badge";
import { hypothesisEffect, hypothesisEffectMessage } from "@/lib/experiments/hypothesis";
import { variableLabels } from "@/lib/validation/experiments";
import { statusTone } from "./statusTone";
import type { DesignView } from "./designView";

/** Status, owner, variable under test, who serves the traffic, and the hypothesis sentence (with the effect it is sized for), as text. */
export function OverviewFacts({
  view,
  withDescription = true,
  withEffect = false,
}: {
  view: DesignView;
  withDescription?: boolean;
  /** Say the effect the test is sized for under the hypothesis (where no editor shows it). */
  withEffect?: boolean;
}) {
  const effect = withEffect ? hypothesisEffect(view.hypothesis.expectation, view.metrics, view.planSettings) : null;
  return (
    <div className="space-y-3">
      <dl className="grid gap-3 text-sm sm:grid-cols-5">
        <div>
          <dt className="text-slate-500">Status</dt>
          <dd className="mt-0.5" data-testid="experiment-status">
            <Badge tone={statusTone[view.status]}>{view.status}</Badge>
            {view.archivedAt ? (
              <span className="ml-1">
                <Badge>archived</Badge>
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Owner</dt>
          <dd className="mt-0.5 font-medium">{view.owner?.name ?? "—"}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Variable under test</dt>
          <dd className="mt-0.5 font-medium">{variableLabels[view.variableUnderTest]}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Key</dt>
          <dd className="mt-0.5 font-mono">{view.key}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Traffic served by</dt>
          <dd className="mt-0.5 font-medium" data-testid="experiment-gateway">
            {view.gatewayEnabled ? "Assay's gateway" : "your application"}
          </dd>
        </div>
      </dl>
      <p className="text-sm text-slate-800">
        <span className="font-medium">Hypothesis:</span>{" "}
        {view.hypothesisSentence || <span className="text-slate-500">not written yet</span>}
      </p>
      {effect ? (
        <p
          className={`text-sm ${effect.status === "differs" ? "rounded-md bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200" : "text-slate-700"}`}
          data-testid="hypothesis-effect"
          data-status={effect.status}
        >
          {hypothesisEffectMessage(effect)}
        </p>
      ) : null}
      {withDescription && view.description ? <p className="whitespace-pre-wrap text-sm text-slate-600">{view.description}</p> : null}
    </div>
  );
}
