/** Anchors to the sections of the design page. */
export function SectionNav({ sections }: { sections: { id: string; label: string }[] }) {
  return (
    <nav aria-label="Sections" className="mb-6 flex flex-wrap gap-x-4 gap-y-1 border-b border-slate-200 pb-3 text-sm print:hidden">
      {sections.map((s) => (
        <a key={s.id} href={`#${s.id}`} className="text-slate-600 hover:text-brand-700 hover:underline">
          {s.label}
        </a>
      ))}
    </nav>
  );
}

/** A titled section with an anchor, spaced so the anchor lands below the top edge. */
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
    <section id={id} className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby={`${id}-title`}>
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
