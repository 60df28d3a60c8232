import type { DecisionMatrix, MatrixCell, MatrixReading, MatrixRow } from "@/lib/decision/matrix.types";
import { DECISION_PRESETS } from "@/lib/decision/presets";
import { formatChange, formatValue, STATUS_WORDS } from "@/lib/decision/wording";
import { significant } from "@/lib/format/number";
import { Badge } from "@/components/ui/Badge";
import { RecommendationBadge, STATUS_STYLE, StatusChip } from "./StatusMark";

function ReadingLines({ reading, alpha, labelled }: { reading: MatrixReading; alpha: number; labelled: boolean }) {
  const change = reading.status === "baseline" ? null : formatChange(reading, alpha);
  return (
    <div className="space-y-0.5">
      {labelled ? <p className="text-xs text-slate-600">{reading.label}</p> : null}
      <p className="font-semibold tabular-nums text-slate-900">{reading.value === null ? "—" : formatValue(reading.value, reading.unit)}</p>
      {reading.ratio !== null ? (
        <p className="text-xs tabular-nums text-slate-700">{significant(reading.ratio, 3)}x the control&apos;s</p>
      ) : null}
      {change ? <p className="text-xs tabular-nums text-slate-700">{change}</p> : null}
      {reading.status !== "baseline" ? <StatusChip status={reading.status} text={reading.statusText} /> : null}
    </div>
  );
}

function CellContent({ cell, column, alpha }: { cell: MatrixCell; column: string; alpha: number }) {
  if (!cell.readings.length) return <span className="text-slate-600">—</span>;
  return (
    <div className="space-y-2">
      {cell.readings.map((r) => (
        <ReadingLines key={r.label} reading={r} alpha={alpha} labelled={cell.readings.length > 1 || r.label !== column} />
      ))}
    </div>
  );
}

function Recommendation({ row }: { row: MatrixRow }) {
  if (!row.recommendation) return <p className="text-sm text-slate-700">Control: the baseline every variant is compared with.</p>;
  return (
    <div className="space-y-1.5">
      <RecommendationBadge recommendation={row.recommendation} />
      <ul className="list-disc space-y-1 pl-4 text-xs text-slate-800">
        {row.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </div>
  );
}

function VariantName({ row }: { row: MatrixRow }) {
  return (
    <div>
      <p className="font-semibold text-slate-900">
        <span className="font-mono">{row.variant}</span> · {row.name}
      </p>
      {row.isControl ? (
        <p className="mt-0.5">
          <Badge>Control</Badge>
        </p>
      ) : null}
    </div>
  );
}

/** What each colour and icon means, and the rules applied. */
function Legend({ matrix }: { matrix: DecisionMatrix }) {
  const shown = (["better", "worse", "neutral", "untested", "noData"] as const).filter((s) =>
    matrix.rows.some((r) => r.cells.some((c) => c.readings.some((x) => x.status === s))),
  );
  const preset = DECISION_PRESETS[matrix.rules.preset];
  return (
    <div className="space-y-2 text-xs text-slate-700" data-testid="matrix-legend">
      <ul className="flex flex-wrap gap-x-4 gap-y-1" aria-label="What the marks mean">
        {shown.map((s) => (
          <li key={s} className="inline-flex items-center gap-1">
            <span aria-hidden className={`rounded px-1 ring-1 ring-inset ${STATUS_STYLE[s].chip}`}>
              {STATUS_STYLE[s].icon}
            </span>
            {STATUS_WORDS[s]}
            {s === "worse" ? " (past the metric's margin; for safety, any regression)" : ""}
          </li>
        ))}
      </ul>
      <p>
        <span className="font-medium">Rules: {preset.label}.</span> {preset.description} Cost limit:{" "}
        {matrix.rules.costRatioLimit === null ? "none" : `${significant(matrix.rules.costRatioLimit)}x the control's cost per 1k requests`}.
        Any safety regression blocks a deploy; so does a traffic split that does not match the weights.
      </p>
    </div>
  );
}

/**
 * The decision matrix: a row per variant, the guide's columns and the other scorecard metrics, each cell with its value,
 * change and status in words, and each variant's recommendation with its reasons. A table from `lg` up; below it one card
 * per variant, so at 390 px nothing scrolls sideways.
 */
export function DecisionMatrixView({ matrix, caption }: { matrix: DecisionMatrix; caption: string }) {
  return (
    <div className="space-y-4" data-testid="decision-matrix">
      {matrix.srmFlag ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800 ring-1 ring-rose-200">
          Sample-ratio mismatch: the users per variant do not match the traffic weights, so no variant can be deployed on these numbers.
        </p>
      ) : null}
      <div className="hidden overflow-x-auto lg:block">
        <table className="w-full border-separate border-spacing-0 text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr className="text-xs uppercase tracking-wide text-slate-600">
              <th scope="col" className="border-b border-slate-200 py-2 pr-3">
                Variant
              </th>
              {matrix.columns.map((c) => (
                <th key={c.id} scope="col" className="border-b border-slate-200 px-3 py-2" title={c.description}>
                  {c.label}
                </th>
              ))}
              <th scope="col" className="w-80 border-b border-slate-200 px-3 py-2">
                Decision
              </th>
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => (
              <tr key={row.variant} data-variant={row.variant} className="align-top">
                <th scope="row" className="border-b border-slate-100 py-3 pr-3 text-left font-normal">
                  <VariantName row={row} />
                </th>
                {row.cells.map((cell, i) => (
                  <td key={cell.column} className={`border-b border-slate-100 px-3 py-3 ${STATUS_STYLE[cell.status].cell}`}>
                    <CellContent cell={cell} column={matrix.columns[i].label} alpha={matrix.alpha} />
                  </td>
                ))}
                <td className="border-b border-slate-100 px-3 py-3">
                  <Recommendation row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="space-y-3 lg:hidden" aria-label={caption}>
        {matrix.rows.map((row) => (
          <li key={row.variant} data-variant={row.variant} className="rounded-lg border border-slate-200 p-3">
            <VariantName row={row} />
            <div className="mt-2">
              <Recommendation row={row} />
            </div>
            <dl className="mt-3 divide-y divide-slate-100">
              {row.cells.map((cell) => {
                const column = matrix.columns.find((c) => c.id === cell.column)!;
                return (
                  <div key={cell.column} className={`grid grid-cols-[7rem_1fr] gap-2 px-1 py-2 ${STATUS_STYLE[cell.status].cell}`}>
                    <dt className="text-xs font-medium uppercase text-slate-600">{column.label}</dt>
                    <dd className="min-w-0 text-sm">
                      <CellContent cell={cell} column={column.label} alpha={matrix.alpha} />
                    </dd>
                  </div>
                );
              })}
            </dl>
          </li>
        ))}
      </ul>
      <Legend matrix={matrix} />
    </div>
  );
}
