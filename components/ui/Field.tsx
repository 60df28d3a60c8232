import { inputClass, labelClass } from "@/components/ui/button";

/** One labelled input with its hint and, when the value was refused, the message for it beside it (described by both). */
export function Field({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  placeholder,
  numeric = true,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
  placeholder?: string;
  numeric?: boolean;
}) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        className={`${inputClass} mt-1`}
        inputMode={numeric ? "decimal" : undefined}
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-rose-700" data-testid="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
