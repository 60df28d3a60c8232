"use client";

import { buttonClass } from "@/components/ui/button";
import { Time } from "@/components/ui/Time";
import type { RubricVersionView } from "@/lib/judge/rubrics";

function usage(v: RubricVersionView): string {
  if (!v.used) return "not used yet";
  const runs = v.judgeRuns ? `${v.judgeRuns.toLocaleString("en-US")} judge run${v.judgeRuns === 1 ? "" : "s"}` : null;
  return `used by ${[runs, v.scored ? "scores" : null].filter(Boolean).join(" and ")}`;
}

/** Every rubric with its versions, newest first; each version's definition on demand, and "new version from this one". */
export function RubricList({
  versions,
  canManage,
  onCopy,
}: {
  versions: RubricVersionView[];
  canManage: boolean;
  onCopy: (v: RubricVersionView) => void;
}) {
  const names = [...new Set(versions.map((v) => v.name))];
  return (
    <ul className="divide-y divide-slate-200">
      {names.map((name) => {
        const mine = versions.filter((v) => v.name === name);
        return (
          <li key={name} className="py-4 first:pt-0 last:pb-0" data-testid="rubric">
            <h3 className="break-words text-base font-semibold text-slate-900">
              {name}
              <span className="ml-2 text-sm font-normal text-slate-700">
                {mine.length} version{mine.length === 1 ? "" : "s"}
              </span>
            </h3>
            <ul className="mt-2 space-y-2">
              {mine.map((v, i) => (
                <li key={v.version} className="rounded-md border border-slate-200 p-3" data-testid="rubric-version">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <p className="min-w-0 text-sm text-slate-800">
                      <strong className="font-semibold">Version {v.version}</strong>
                      {i === 0 ? <span className="ml-1 text-slate-700">(latest)</span> : null}
                      <span className="text-slate-700">
                        {" "}
                        · {v.criteria.map((c) => `${c.label} ${c.min}-${c.max}`).join(", ")} ·{" "}
                        {v.createdBy ? `saved by ${v.createdBy}` : "built in"} · <Time value={v.createdAt} relative /> · {usage(v)}
                      </span>
                    </p>
                    {canManage ? (
                      <button
                        type="button"
                        className={buttonClass.secondary}
                        onClick={() => onCopy(v)}
                        aria-label={`New version from ${v.name} version ${v.version}`}
                      >
                        New version from this
                      </button>
                    ) : null}
                  </div>
                  <details className="mt-2 text-sm">
                    <summary className="cursor-pointer text-brand-700">What it asks the judge</summary>
                    <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-800">
                      {v.criteria.map((c) => (
                        <li key={c.name}>
                          <strong>{c.label}</strong> ({c.min}-{c.max}): {c.description}
                          {c.labels
                            ? ` (${Object.entries(c.labels)
                                .map(([p, w]) => `${p} = ${w}`)
                                .join("; ")})`
                            : ""}
                        </li>
                      ))}
                    </ul>
                    <p className="mt-2 font-medium text-slate-800">System prompt</p>
                    <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-800">
                      {v.systemPrompt}
                    </pre>
                  </details>
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
