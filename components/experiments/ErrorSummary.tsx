import type { FieldErrors } from "@/components/ui/apiRequest";

const fieldNames: Record<string, string> = {
  key: "Experiment key",
  name: "Experiment name",
  description: "Description",
  "hypothesis.change": "If we change …",
  "hypothesis.expectation": "we expect …",
  "hypothesis.reason": "because …",
  variableUnderTest: "Variable under test",
  variants: "Variants",
  metrics: "Scorecard",
  "plan.dailyTraffic": "Daily traffic",
  "plan.alpha": "Significance (alpha)",
  "plan.power": "Power",
  "plan.metricName": "Metric to size",
};

/** A person's name for an API field path ("variants.1.config.temperature" -> "Variant B · temperature"). */
export function fieldName(path: string, variantKeys: string[], metricNames: string[]): string {
  if (fieldNames[path]) return fieldNames[path];
  const v = path.match(/^variants\.(\d+)\.(.+)$/);
  if (v) return `Variant ${variantKeys[Number(v[1])] || Number(v[1]) + 1} · ${v[2].replace(/^config\./, "")}`;
  const m = path.match(/^metrics\.(\d+)\.(.+)$/);
  if (m) return `${metricNames[Number(m[1])] || `Metric ${Number(m[1]) + 1}`} · ${m[2]}`;
  return path;
}

/** The message of a refused save and every field at fault, at the top of the form. */
export function ErrorSummary({
  message,
  errors,
  variantKeys,
  metricNames,
}: {
  message: string | null;
  errors: FieldErrors;
  variantKeys: string[];
  metricNames: string[];
}) {
  const entries = Object.entries(errors);
  if (!message && entries.length === 0) return null;
  return (
    <div role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800" data-testid="error-summary">
      <p className="font-semibold">
        {entries.length
          ? `Not saved: fix ${entries.length === 1 ? "this field" : `these ${entries.length} fields`} and try again.`
          : message}
      </p>
      {entries.length ? (
        <ul className="mt-2 list-disc space-y-0.5 pl-5">
          {entries.map(([field, msg]) => (
            <li key={field}>
              <span className="font-medium">{fieldName(field, variantKeys, metricNames)}:</span> {msg}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
