import { useId } from "react";

/** A white panel; with a title it is a region named by that title. */
export function Card({ title, children, className = "" }: { title?: React.ReactNode; children: React.ReactNode; className?: string }) {
  const titleId = useId();
  return (
    <section
      className={`rounded-lg border border-slate-200 bg-white p-5 shadow-sm ${className}`}
      aria-labelledby={title ? titleId : undefined}
    >
      {title ? (
        <h2 id={titleId} className="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-600">
          {title}
        </h2>
      ) : null}
      {children}
    </section>
  );
}
