"use client";

import { useState } from "react";
import { sendJson } from "@/components/ui/apiRequest";
import { MethodNote } from "@/components/ui/MethodNote";
import { SelectField } from "@/components/ui/SelectField";
import { TableScroll } from "@/components/ui/TableScroll";
import { significant } from "@/lib/format/number";
import type { AgreementNumbers, JudgeAgreementReport } from "@/lib/judge/agreement";

/** Weighted kappa in words, by the bands of Landis and Koch (1977), with "chance" around 0. */
export function agreementWords(kappa: number): string {
  if (kappa <= -0.05) return "disagree more than chance would";
  if (kappa < 0.05) return "agree no better than chance";
  if (kappa < 0.2) return "barely agree";
  if (kappa < 0.4) return "agree weakly";
  if (kappa < 0.6) return "agree moderately";
  if (kappa < 0.8) return "agree strongly";
  return "agree almost perfectly";
}

const two = (x: number) => x.toFixed(2);
const count = (n: number) => `${n.toLocaleString("en-US")} interaction${n === 1 ? "" : "s"}`;
const pWords = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${significant(p, 2)}`);
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "weighted kappa 0.71, rank correlation 0.68 (p < 0.001), over 1,204 interactions", leaving out what is undefined. */
function numbersInWords(a: AgreementNumbers, withP = true): string {
  const parts = [a.kappaQuadratic === null ? null : `weighted kappa ${two(a.kappaQuadratic)}`];
  if (a.spearman !== null)
    parts.push(`rank correlation ${two(a.spearman)}${withP && a.spearmanP !== null ? ` (${pWords(a.spearmanP)})` : ""}`);
  return `${parts.filter(Boolean).join(", ")}, over ${count(a.n)}`;
}

/** "Version 1 and version 2 of default", or both names when the rubrics differ. */
function versionPair(a: { name: string; version: number }, b: { name: string; version: number }): string {
  return a.name === b.name
    ? `Version ${a.version} and version ${b.version} of ${a.name}`
    : `${a.name} version ${a.version} and ${b.name} version ${b.version}`;
}

/** A cell's shading by its share of the largest count: light cells take dark text, dark cells white (both AA). */
function shade(n: number, max: number): string {
  if (n === 0 || max === 0) return "bg-white text-slate-500";
  const share = n / max;
  if (share <= 0.2) return "bg-brand-50 text-slate-900";
  if (share <= 0.4) return "bg-brand-100 text-slate-900";
  if (share <= 0.6) return "bg-blue-300 text-slate-900";
  if (share <= 0.8) return "bg-brand-600 text-white";
  return "bg-brand-700 text-white";
}

const LEGEND = ["bg-white", "bg-brand-50", "bg-brand-100", "bg-blue-300", "bg-brand-600", "bg-brand-700"];

/** The judge against the users' ratings for one rubric version and criterion: the numbers in words, the confusion grid, per variant. */
export function Agreement({ experimentKey, initial }: { experimentKey: string; initial: JudgeAgreementReport }) {
  const [report, setReport] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const versionValue = (r: { name: string; version: number }) => `${r.version}:${r.name}`;
  const versions = report.versions.some((v) => v.name === report.rubric.name && v.version === report.rubric.version)
    ? report.versions
    : [{ ...report.rubric, scored: 0 }, ...report.versions];
  const criterion = report.criteria.find((c) => c.key === report.criterion) ?? report.criteria[0];
  const max = Math.max(0, ...report.confusion.matrix.flat());
  const self = report.selfConsistency;

  async function load(query: { rubric: string; version: number; criterion?: string }) {
    setBusy(true);
    setMessage(null);
    const params = new URLSearchParams({ rubric: query.rubric, version: String(query.version) });
    if (query.criterion) params.set("criterion", query.criterion);
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(experimentKey)}/judge-agreement?${params}`, "GET");
    setBusy(false);
    if (!res.ok) return setMessage(res.message);
    setReport(res.data as JudgeAgreementReport);
  }

  return (
    <div className="space-y-5" aria-busy={busy}>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          id="agreement-version"
          label="Rubric version"
          value={versionValue(report.rubric)}
          options={versions.map((v) => ({
            value: versionValue(v),
            label: `${v.name} v${v.version} · ${v.scored.toLocaleString("en-US")} scored`,
          }))}
          onChange={(value) => {
            const v = versions.find((x) => versionValue(x) === value);
            if (v) void load({ rubric: v.name, version: v.version });
          }}
        />
        <SelectField
          id="agreement-criterion"
          label="Judge criterion"
          value={report.criterion}
          options={report.criteria.map((c) => ({ value: c.key, label: `${c.label} (${c.min}-${c.max})` }))}
          onChange={(value) => void load({ rubric: report.rubric.name, version: report.rubric.version, criterion: value })}
        />
      </div>
      {message ? (
        <p role="alert" className="text-sm text-rose-700">
          {message}
        </p>
      ) : null}

      <div aria-live="polite" className="space-y-1">
        <p className="text-base text-slate-900" data-testid="agreement-summary">
          {report.kappaQuadratic !== null ? (
            <>
              <strong>Judge and users {agreementWords(report.kappaQuadratic)}</strong>: {numbersInWords(report)}.
            </>
          ) : report.n < 2 ? (
            <>Not enough to compare yet: {report.note}.</>
          ) : (
            <>{sentence(report.note ?? "")}.</>
          )}
        </p>
        {report.kappaQuadratic !== null && report.note ? <p className="text-sm text-slate-700">{sentence(report.note)}.</p> : null}
        {report.n === 0 ? null : (
          <p className="text-sm text-slate-700">
            {criterion?.label ?? report.criterion} scored by {report.rubric.name} version {report.rubric.version}, against the users&apos;
            ratings of the same answers. Weighted kappa: 1 is full agreement, 0 no better than chance; a miss by several points counts more
            than a miss by one.
          </p>
        )}
      </div>

      {report.n === 0 ? (
        <p className="text-sm text-slate-700" data-testid="agreement-empty">
          The comparison appears once interactions have both a score from this rubric version and a user rating (the logs&apos;
          user_feedback_score).
        </p>
      ) : (
        <>
          <div className="space-y-2">
            <TableScroll label="User rating by judge score, scrollable">
              <table className="border-separate border-spacing-1 text-sm" data-testid="agreement-grid">
                <caption className="mb-1 text-left text-sm font-medium text-slate-800">
                  Interactions by user rating (rows) and judge score (columns)
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="px-2 text-left text-xs font-medium text-slate-700">
                      User rating
                      <span className="sr-only"> by judge score</span>
                    </th>
                    {report.confusion.labels.map((l) => (
                      <th key={l} scope="col" className="min-w-11 px-1 text-center text-xs font-medium text-slate-700">
                        Judge {l}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.confusion.matrix.map((row, i) => (
                    <tr key={report.confusion.labels[i]}>
                      <th scope="row" className="whitespace-nowrap px-2 text-left text-xs font-medium text-slate-700">
                        User {report.confusion.labels[i]}
                      </th>
                      {row.map((n, j) => (
                        <td
                          key={j}
                          className={`h-11 min-w-11 rounded text-center tabular-nums ${shade(n, max)} ${
                            i === j ? "font-bold ring-2 ring-inset ring-slate-900" : "ring-1 ring-inset ring-slate-200"
                          }`}
                        >
                          {n.toLocaleString("en-US")}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700">
              <span className="flex items-center gap-1" aria-hidden="true">
                Fewer
                {LEGEND.map((c) => (
                  <span key={c} className={`inline-block h-3 w-4 rounded-sm ring-1 ring-inset ring-slate-300 ${c}`} />
                ))}
                More interactions
              </span>
              <span>Outlined cells: the judge and the user gave the same score.</span>
            </div>
          </div>

          <section aria-labelledby="agreement-variants-heading" className="space-y-1">
            <h3 id="agreement-variants-heading" className="text-sm font-semibold text-slate-900">
              Per variant
            </h3>
            <ul className="space-y-1 text-sm text-slate-800" data-testid="agreement-variants">
              {report.perVariant.map((v) => (
                <li key={v.variant}>
                  <strong>
                    {v.variant} · {v.name}
                  </strong>
                  :{" "}
                  {v.kappaQuadratic !== null
                    ? `${agreementWords(v.kappaQuadratic)}: ${numbersInWords(v, false)}`
                    : v.n < 2
                      ? `not enough to compare (${v.note})`
                      : (v.note ?? "")}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}

      <section aria-labelledby="agreement-self-heading" className="space-y-1">
        <h3 id="agreement-self-heading" className="text-sm font-semibold text-slate-900">
          The judge against itself
        </h3>
        <p className="text-sm text-slate-700">
          The same interactions scored by two rubric versions: how much the judge&apos;s scores move.
        </p>
        <p className="text-sm text-slate-800" data-testid="agreement-self">
          {self
            ? self.kappaQuadratic !== null
              ? `${versionPair(report.rubric, self.against)} ${agreementWords(self.kappaQuadratic)}: ${numbersInWords(self, false)} both scored.`
              : `${sentence(self.note ?? "")}.`
            : `${sentence(report.selfConsistencyNote ?? "")}.`}
        </p>
        <p className="text-sm text-slate-800" data-testid="agreement-rescore">
          {report.rescoring
            ? report.rescoring.exact !== null
              ? `Read twice with the same version, the judge gave the same score ${Math.round(report.rescoring.exact * 100)}% of the time${
                  report.rescoring.kappaQuadratic !== null
                    ? ` (${numbersInWords(report.rescoring, false)} read again)`
                    : ` over ${report.rescoring.n} interactions`
                }.`
              : `${sentence(report.rescoring.note ?? "")}.`
            : "To see how steady the judge is on one version, start a run that judges already-scored interactions again."}
        </p>
      </section>

      <MethodNote>
        <p>
          Weighted kappa is Cohen&apos;s kappa with quadratic weights over the criterion&apos;s whole scale ({criterion?.min}-
          {criterion?.max}): 1 - Σ w·O / Σ w·E with w = (i - j)², O the counts above and E what chance would give from each side&apos;s own
          spread of scores.
        </p>
        <p>
          Rank correlation is Spearman&apos;s rho (ties take their average rank) with its two-sided p from the t distribution on n - 2
          degrees of freedom. The words follow Landis and Koch (1977): within 0.05 of 0 no better than chance, below 0.2 barely, 0.2-0.4
          weakly, 0.4-0.6 moderately, 0.6-0.8 strongly, 0.8 and above almost perfectly. Interactions count when they have both a score of
          this rubric version and a user rating that is a whole number on the scale.
        </p>
      </MethodNote>
    </div>
  );
}
