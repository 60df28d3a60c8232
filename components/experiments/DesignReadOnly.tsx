import { AuditTimeline } from "./AuditTimeline";
import { OverviewFacts } from "./OverviewFacts";
import { PlanSummary } from "./PlanSummary";
import { ScorecardTable } from "./ScorecardTable";
import { DESIGN_SECTIONS, DesignSection, SectionNav } from "./SectionNav";
import { SingleVariableCheck } from "./SingleVariableCheck";
import { VariantsTable } from "./VariantsTable";
import type { DesignView } from "./designView";

/** The whole design as text, for roles that may only read it: no inputs, no buttons. */
export function DesignReadOnly({ view, role }: { view: DesignView; role: string }) {
  return (
    <div>
      <SectionNav sections={DESIGN_SECTIONS.filter((s) => s.id !== "lifecycle")} />
      <div className="space-y-6">
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200" data-testid="read-only-note">
          Read-only: your role ({role}) can read this design. A PM or admin changes it.
        </p>
        <DesignSection id="overview" title="Overview">
          <OverviewFacts view={view} withEffect />
          {view.singleVariableReason ? (
            <p className="mt-3 text-sm text-slate-700">
              <span className="font-medium">Why the variants differ in more than one variable:</span> {view.singleVariableReason}
            </p>
          ) : null}
        </DesignSection>
        <DesignSection
          id="variants"
          title="Variants"
          help="Traffic split and configuration versions; the configurations are compared side by side below."
        >
          <VariantsTable variants={view.variants} />
        </DesignSection>
        <DesignSection
          id="single-variable"
          title="Single-variable check"
          help="Every configuration setting of every variant. Highlighted rows differ between variants."
        >
          <SingleVariableCheck
            variants={view.variants}
            variable={view.variableUnderTest}
            differences={view.differences}
            started={view.status !== "DRAFT"}
          />
        </DesignSection>
        <DesignSection id="scorecard" title="Scorecard">
          <ScorecardTable metrics={view.metrics} />
        </DesignSection>
        <DesignSection id="plan" title="Plan">
          <PlanSummary plan={view.plan} />
        </DesignSection>
        <DesignSection id="audit" title="Audit timeline" help="Newest first.">
          <AuditTimeline items={view.audit} experimentKey={view.key} />
        </DesignSection>
      </div>
    </div>
  );
}
