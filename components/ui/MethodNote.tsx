/**
 * A collapsible "Method" note: where formulas and numbers come from (libraries, papers, the reference guide). The only
 * place the UI names its sources; the text around it says what the numbers mean for the user.
 */
export function MethodNote({
  title = "Method",
  children,
  className = "",
}: {
  title?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <details
      className={`group rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200 ${className}`}
      data-method-note
    >
      <summary className="cursor-pointer font-medium text-slate-800 marker:text-slate-600">{title}</summary>
      <div className="mt-2 space-y-2 leading-relaxed">{children}</div>
    </details>
  );
}
