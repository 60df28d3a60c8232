import type { CellStatus, Recommendation } from "@/lib/decision/matrix.types";

/** Each status's colour, icon and words: the colour is never the only signal. */
export const STATUS_STYLE: Record<CellStatus, { cell: string; chip: string; icon: string; words: string }> = {
  better: { cell: "bg-emerald-50", chip: "bg-emerald-100 text-emerald-900 ring-emerald-300", icon: "✓", words: "Better" },
  worse: { cell: "bg-rose-50", chip: "bg-rose-100 text-rose-900 ring-rose-300", icon: "✕", words: "Worse" },
  neutral: { cell: "bg-white", chip: "bg-slate-100 text-slate-800 ring-slate-300", icon: "=", words: "No significant change" },
  untested: { cell: "bg-white", chip: "bg-slate-100 text-slate-800 ring-slate-300", icon: "?", words: "Not tested" },
  noData: { cell: "bg-white", chip: "bg-slate-100 text-slate-800 ring-slate-300", icon: "…", words: "Not enough data" },
  baseline: { cell: "bg-slate-50", chip: "bg-white text-slate-700 ring-slate-300", icon: "●", words: "Control" },
};

/** A status as icon and words, in its colour; `title` carries the full sentence. */
export function StatusChip({ status, text }: { status: CellStatus; text: string }) {
  const s = STATUS_STYLE[status];
  return (
    <span
      className={`inline-flex max-w-full items-start gap-1 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${s.chip}`}
      data-status={status}
    >
      <span aria-hidden>{s.icon}</span>
      <span>{text}</span>
    </span>
  );
}

export const RECOMMENDATION_STYLE: Record<Recommendation, { badge: string; icon: string; words: string }> = {
  deploy: { badge: "bg-emerald-700 text-white", icon: "✓", words: "Deploy" },
  doNotDeploy: { badge: "bg-rose-700 text-white", icon: "✕", words: "Do not deploy" },
  keepRunning: { badge: "bg-brand-700 text-white", icon: "↻", words: "Keep running" },
  inconclusive: { badge: "bg-amber-100 text-amber-950 ring-1 ring-inset ring-amber-400", icon: "?", words: "Inconclusive" },
};

/** A recommendation as a badge: icon and words in its colour. */
export function RecommendationBadge({ recommendation }: { recommendation: Recommendation }) {
  const r = RECOMMENDATION_STYLE[recommendation];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold ${r.badge}`}
      data-recommendation={recommendation}
    >
      <span aria-hidden>{r.icon}</span>
      {r.words}
    </span>
  );
}
