import { labelClass } from "@/components/ui/button";

/** A labelled input slot with an optional help text and the API's error for this field. */
export function FormField({
  id,
  label,
  help,
  error,
  children,
  className = "",
}: {
  id: string;
  label: React.ReactNode;
  help?: React.ReactNode;
  error?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {error ? (
        <p className="mt-1 text-xs font-medium text-rose-700" data-testid={`error-${id}`}>
          {error}
        </p>
      ) : help ? (
        <p className="mt-1 text-xs text-slate-500">{help}</p>
      ) : null}
    </div>
  );
}

/** The input look, with a red ring when the field has an error and a grey fill when read-only. */
export function fieldClass(error?: string, extra = "", width = "w-full"): string {
  return `block ${width} rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 ${error ? "ring-rose-400" : "ring-slate-300"} ${extra}`;
}
