import { Badge } from "@/components/ui/Badge";
import { variableLabels } from "@/lib/validation/experiments";
import { statusTone } from "./statusTone";
import type { DesignView } from "./designView";

/** Status, owner, variable under test, who serves the traffic, and the hypothesis sentence, as text. */
export function OverviewFacts({ view, withDescription = true }: { view: DesignView; withDescription?: boolean }) {
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
      {withDescription && view.description ? <p className="whitespace-pre-wrap text-sm text-slate-600">{view.description}</p> : null}
    </div>
  );
}
