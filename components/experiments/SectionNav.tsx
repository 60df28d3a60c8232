// The design page's sections: the sticky anchor bar (a client component, for the current-section mark) and the
// sections themselves, which server-rendered views use too.
export { SectionNav } from "./SectionNavBar";

/** A titled section with an anchor, spaced so the anchor lands below the sticky bars. */
export function DesignSection({
  id,
  title,
  help,
  children,
}: {
  id: string;
  title: string;
  help?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section
      id={id}
      className="scroll-mt-32 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5 lg:scroll-mt-16"
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {help ? <p className="mt-1 max-w-3xl text-sm text-slate-600">{help}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export const DESIGN_SECTIONS = [
  { id: "overview", label: "Overview" },
  { id: "variants", label: "Variants" },
  { id: "single-variable", label: "Single-variable check" },
  { id: "scorecard", label: "Scorecard" },
  { id: "plan", label: "Plan" },
  { id: "lifecycle", label: "Lifecycle" },
  { id: "audit", label: "Audit timeline" },
];
