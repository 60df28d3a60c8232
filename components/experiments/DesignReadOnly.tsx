import { AuditTimeline } from "./AuditTimeline";
import { OverviewFacts } from "./OverviewFacts";
import { PlanSummary } from "./PlanSummary";
import { planIsFixed } from "@/lib/experiments/editRules";
import { ScorecardTable } from "./ScorecardTable";
import { DESIGN_SECTIONS, DesignSection, SectionNav } from "./SectionNav";
import { SingleVariableCheck } from "./SingleVariableCheck";
import { VariantsTable } from "./VariantsTable";
import type { DesignView } from "./designView";

/** What the note above a read-only design says: who may change what, given the status and the role. */
function readOnlyNote(view: DesignView, role: string, canEdit: boolean, canEditSettings: boolean): string {
  const status = view.status.toLowerCase();
  if (canEdit && view.status === "RUNNING")
    return "This experiment is running: its hypothesis, variants and scorecard are fixed as it started. You can still rename it, edit its description and correct the plan under “What can still change”.";
  if (canEdit)
    return `This experiment is ${status}: its design and plan are fixed. You can still rename it and edit its description under “What can still change”.`;
  if (canEditSettings && view.status !== "DRAFT")
    return `Read-only: this experiment is ${status}, so its variants are locked. Your role (${role}) changes variant settings in drafts.`;
  return `Read-only: your role (${role}) can read this design. A PM or admin changes it.`;
}

/**
 * The whole design as text: for roles that may only read it, and for every role once the experiment has started. What may still
 * change after the start (name, description, the plan while running) comes as a small form, and the lifecycle actions below.
 */
export function DesignReadOnly({
  view,
  role,
  can = { edit: false, editSettings: false },
  editor,
  lifecycle,
  traffic,
}: {
  view: DesignView;
  role: string;
  can?: { edit: boolean; editSettings: boolean };
  /** The form for what may still change (AfterStartEditor). */
  editor?: React.ReactNode;
  /** The lifecycle actions (LifecyclePanel), for roles that may start, stop, clone or archive. */
  lifecycle?: React.ReactNode;
  /** The traffic controls (TrafficPanel) of a running experiment. */
  traffic?: React.ReactNode;
}) {
  const sections = [
    DESIGN_SECTIONS[0],
    ...(editor ? [{ id: "still-editable", label: "What can still change" }] : []),
    ...DESIGN_SECTIONS.slice(1, 2),
    ...(traffic ? [{ id: "traffic", label: "Traffic" }] : []),
    ...DESIGN_SECTIONS.slice(2).filter((s) => s.id !== "lifecycle" || lifecycle),
  ];
  return (
    <div>
      <SectionNav sections={sections} />
      <div className="space-y-6">
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200" data-testid="read-only-note">
          {readOnlyNote(view, role, can.edit, can.editSettings)}
        </p>
        <DesignSection id="overview" title="Overview">
          <OverviewFacts view={view} withEffect />
          {view.singleVariableReason ? (
            <p className="mt-3 text-sm text-slate-700">
              <span className="font-medium">Why the variants differ in more than one variable:</span> {view.singleVariableReason}
            </p>
          ) : null}
        </DesignSection>
        {editor ? (
          <DesignSection
            id="still-editable"
            title="What can still change"
            help="Once an experiment has started its hypothesis, variants and scorecard stay as they started, so the results mean what was planned."
          >
            {editor}
          </DesignSection>
        ) : null}
        <DesignSection
          id="variants"
          title="Variants"
          help="Traffic split and configuration versions; the configurations are compared side by side below."
        >
          {view.status !== "DRAFT" ? (
            <p
              className="mb-3 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200"
              data-testid="variants-locked"
            >
              {view.status === "RUNNING"
                ? "Variants are locked while the experiment runs; the split changes under Traffic, for new users only."
                : `Variants are fixed: this experiment is ${view.status.toLowerCase()}.`}
            </p>
          ) : null}
          <VariantsTable variants={view.variants} />
        </DesignSection>
        {traffic ? (
          <DesignSection
            id="traffic"
            title="Traffic"
            help="Who gets which variant: the kill switch, the split, QA overrides and targeting. Each change applies from the next request."
          >
            {traffic}
          </DesignSection>
        ) : null}
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
          <PlanSummary plan={view.plan} started={view.status !== "DRAFT"} locked={planIsFixed(view.status)} />
        </DesignSection>
        {lifecycle ? (
          <DesignSection id="lifecycle" title="Lifecycle" help="DRAFT → RUNNING → STOPPED → DECIDED.">
            {lifecycle}
          </DesignSection>
        ) : null}
        <DesignSection id="audit" title="Audit timeline" help="Newest first.">
          <AuditTimeline items={view.audit} experimentKey={view.key} />
        </DesignSection>
      </div>
    </div>
  );
}
