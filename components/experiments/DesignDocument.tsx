import { variableLabels } from "@/lib/validation/experiments";
import { variableExamples } from "./variableExamples";
import { PlanSummary } from "./PlanSummary";
import { planIsFixed } from "@/lib/experiments/editRules";
import { ScorecardTable } from "./ScorecardTable";
import { SingleVariableCheck } from "./SingleVariableCheck";
import { VariantsTable } from "./VariantsTable";
import type { DesignView } from "./designView";
import { formatDateTime } from "@/lib/format/dateTime";

const day = (iso: string | null) => (iso ? formatDateTime(iso) : null);

function Part({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <section className="break-inside-avoid-page border-t border-slate-200 pt-5">
      <h2 className="mb-3 text-lg font-semibold text-slate-900">
        {n}. {title}
      </h2>
      {children}
    </section>
  );
}

/** The design as one printable document: the blueprint the guide asks for before implementation. */
export function DesignDocument({ view }: { view: DesignView }) {
  return (
    <article
      className="mx-auto max-w-4xl space-y-6 rounded-lg bg-white p-10 shadow-sm ring-1 ring-slate-200 print:max-w-none print:p-0 print:shadow-none print:ring-0"
      data-testid="design-document"
    >
      <header>
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Experiment design document</p>
        <h1 className="mt-1 text-3xl font-semibold tracking-tight text-slate-900">{view.name}</h1>
        <p className="mt-2 text-sm text-slate-600">
          Key <span className="font-mono">{view.key}</span> · {view.status}
          {view.archivedAt ? " (archived)" : ""} · owner {view.owner?.name ?? "—"} · created {day(view.createdAt)}
          {view.startedAt ? ` · started ${day(view.startedAt)}` : ""}
          {view.stoppedAt ? ` · stopped ${day(view.stoppedAt)}` : ""}
        </p>
      </header>
      <Part n={1} title="Hypothesis">
        <p className="text-base text-slate-900">{view.hypothesisSentence || "No hypothesis written yet."}</p>
        {view.description ? <p className="mt-2 whitespace-pre-wrap text-sm text-slate-600">{view.description}</p> : null}
      </Part>
      <Part n={2} title="Variable under test">
        <p className="text-sm">
          <span className="font-medium">{variableLabels[view.variableUnderTest]}.</span>{" "}
          <span className="text-slate-600">{variableExamples[view.variableUnderTest]}</span>
        </p>
      </Part>
      <Part n={3} title="Variants and their configurations">
        <VariantsTable variants={view.variants} />
      </Part>
      <Part n={4} title="Single-variable check">
        <SingleVariableCheck
          variants={view.variants}
          variable={view.variableUnderTest}
          differences={view.differences}
          started={view.status !== "DRAFT"}
          clamp={false}
        />
        {view.singleVariableReason ? (
          <p className="mt-3 text-sm">
            <span className="font-medium">Reason given at start:</span> {view.singleVariableReason}
          </p>
        ) : null}
      </Part>
      <Part n={5} title="Scorecard">
        <ScorecardTable metrics={view.metrics} />
      </Part>
      <Part n={6} title="Sample size and duration">
        <PlanSummary plan={view.plan} started={view.status !== "DRAFT"} locked={planIsFixed(view.status)} />
      </Part>
    </article>
  );
}
