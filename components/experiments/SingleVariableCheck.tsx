import { CONFIG_FIELDS, configValue, type ConfigDifference } from "@/lib/experiments/singleVariable";
import { variableLabels, type VariantConfig, type VariableUnderTest } from "@/lib/validation/experiments";
import { configFieldLabel, listInWords } from "./configFields";
import { TableScroll } from "@/components/ui/TableScroll";

type Variable = VariableUnderTest;

function show(value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  return String(value);
}

/** The warning sentence for fields that differ beyond the declared variable, or null when the design is clean. */
export function singleVariableWarning(undeclared: string[], variable: Variable, started = false): string | null {
  if (!undeclared.length) return null;
  const names = listInWords(undeclared.map(configFieldLabel));
  const advice = started
    ? "It was started with a written reason for this."
    : "Test one variable at a time, or give a reason when you start.";
  return `Variants differ in ${names}, which ${undeclared.length === 1 ? "is" : "are"} not part of the variable under test (${variableLabels[variable]}). ${advice}`;
}

/**
 * Side by side: every configuration field any variant sets, one column per variant. Rows that differ are
 * highlighted: blue when the variable under test covers them, amber when they break the one-variable rule.
 */
export function SingleVariableCheck({
  variants,
  variable,
  differences,
  started = false,
  clamp = true,
}: {
  variants: { key: string; name: string; isControl: boolean; config: VariantConfig }[];
  variable: Variable;
  differences: ConfigDifference[];
  /** The experiment has started (the reason, if one was needed, is on record). */
  started?: boolean;
  /** Long values scroll inside a fixed height (off for the printed document). */
  clamp?: boolean;
}) {
  const byField = new Map(differences.map((d) => [d.field, d]));
  const undeclared = differences.filter((d) => !d.declared).map((d) => d.field);
  const rows = CONFIG_FIELDS.filter((f) => byField.has(f) || variants.some((v) => configValue(v.config, f) !== undefined));
  const warning = singleVariableWarning(undeclared, variable, started);
  const declaredDiffs = differences.filter((d) => d.declared).map((d) => configFieldLabel(d.field));
  return (
    <div className="space-y-3" data-testid="single-variable-check">
      {warning ? (
        <p
          role="alert"
          className="rounded-md bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900 ring-1 ring-amber-300"
          data-testid="single-variable-warning"
        >
          ⚠ {warning}
        </p>
      ) : differences.length === 0 ? (
        <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">
          The variants are identical so far: change the {variableLabels[variable].toLowerCase()} in the treatment to have something to test.
        </p>
      ) : (
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          One variable: the variants differ only in {listInWords(declaredDiffs)}, which the variable under test ({variableLabels[variable]})
          covers.
        </p>
      )}
      {rows.length ? (
        <TableScroll label="Configuration settings by variant">
          <table className="w-full min-w-[30rem] table-fixed border-collapse text-left text-sm">
            <thead>
              <tr className="text-xs uppercase text-slate-500">
                <th className="w-36 py-2 pr-3 sm:w-44">Setting</th>
                {variants.map((v) => (
                  <th key={v.key} className="py-2 pr-3">
                    {v.key} · {v.name}
                    {v.isControl && v.name.trim().toLowerCase() !== "control" ? (
                      <span className="ml-1 font-normal normal-case text-slate-600">(control)</span>
                    ) : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((field) => {
                const diff = byField.get(field);
                const tone = !diff ? "" : diff.declared ? "bg-brand-50" : "bg-amber-100";
                return (
                  <tr
                    key={field}
                    className={`border-t border-slate-100 align-top ${tone}`}
                    data-testid={`diff-${field}`}
                    data-differs={diff ? (diff.declared ? "declared" : "undeclared") : "no"}
                  >
                    <th scope="row" className="py-2 pl-2 pr-3 font-medium text-slate-700">
                      {configFieldLabel(field)}
                      {diff ? (
                        <span className={`mt-0.5 block text-xs font-normal ${diff.declared ? "text-brand-700" : "text-amber-800"}`}>
                          {diff.declared ? "differs (variable under test)" : "differs: not the variable under test"}
                        </span>
                      ) : null}
                    </th>
                    {variants.map((v) => (
                      <td key={v.key} className="py-2 pr-3">
                        {/* A long prompt scrolls in its cell; focusable so a keyboard can scroll it too. */}
                        <span
                          className={`block ${clamp ? "max-h-40 overflow-y-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 print:max-h-none" : ""} whitespace-pre-wrap break-words font-mono text-xs text-slate-800`}
                          {...(clamp
                            ? { tabIndex: 0, role: "region", "aria-label": `${configFieldLabel(field)} of variant ${v.key}` }
                            : {})}
                        >
                          {show(configValue(v.config, field))}
                        </span>
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </div>
  );
}
