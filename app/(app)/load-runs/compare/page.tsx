import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { compareLoadRuns } from "@/lib/loadRuns/service";
import { COMPARED_METRICS, type CompareWarning } from "@/lib/harness/compare";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { TableScroll } from "@/components/ui/TableScroll";
import { COMPARED_WORDS, signedIn, valueIn, verdictOf } from "@/components/loadRuns/figures";
import { ComparePercentilesChart } from "@/components/charts/LoadRunCharts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Compare load tests" };

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean);

/** What each warning means for the comparison and what to do about it, in the reader's words. */
function warningWords(w: CompareWarning, matched: { matched: number; share: number }): { title: string; body: string } {
  switch (w.code) {
    case "DIFFERENT_TRACE":
      return {
        title: "The two sides did not send the same requests",
        body: `Only ${matched.matched.toLocaleString("en-US")} requests (${Math.round(matched.share * 100)}%) match by prompt. A difference may come from the workload rather than the build. Replay one saved trace against both builds to compare like with like.`,
      };
    case "OUTPUT_LENGTH_SHIFT": {
      const v = w.values;
      return {
        title: "The answers got longer or shorter",
        body: `${v ? `Answers averaged ${v.baseline.toFixed(1)} tokens on the baseline and ${v.optimized.toFixed(1)} on the optimized side. ` : ""}Whole-answer time and tokens per second move with answer length, so read the whole answer per token rows as well, or cap the answer length for both.`,
      };
    }
    case "SCHEDULE_BOUND_THROUGHPUT":
      return {
        title: "Throughput was set by the schedule, not by the server",
        body: "Both runs sent requests at a fixed rate. While a server keeps up, it completes requests at that rate, so equal throughput says nothing about capacity. Compare the times (and goodput) instead, or run with concurrent users to measure capacity.",
      };
    case "ERROR_RATE_CHANGE":
      return {
        title: "The share of failed requests changed",
        body: "The times are over successful requests only, so a build that fails its slowest requests looks faster than it is. Look at why requests failed on the run pages before trusting the times.",
      };
    case "CLIENT_BOUND":
      return {
        title: "The load client could not keep up in at least one run",
        body: "Its times include the client's own delay, not only the server's. Run it again with more shards or on a less busy machine before comparing.",
      };
    case "NO_REPLICATES":
      return {
        title: "Only one run a side",
        body: "The tests see how requests vary within a run, not how whole runs vary (a warm or busy server, neighbours on the machine). Run each build at least twice and tick every run of a build on its side to judge against that.",
      };
    default:
      return { title: "Note", body: w.message };
  }
}

function pValue(p: number | null): string {
  if (p === null) return "—";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

export default async function CompareLoadRunsPage({
  searchParams,
}: {
  searchParams: Promise<{ baseline?: string | string[]; optimized?: string | string[] }>;
}) {
  const { identity, allowed } = await pageIdentity("loadRuns:read", "/load-runs/compare");
  if (!allowed) return <Forbidden role={identity.role} />;
  const q = await searchParams;
  const baseline = list(q.baseline);
  const optimized = list(q.optimized);
  const back = (
    <Link href="/load-runs" className="text-sm text-brand-700 underline underline-offset-2">
      All load tests
    </Link>
  );
  const header = (
    <PageHeader
      title="Compare load tests"
      description="A baseline build against an optimized one: each figure side by side, how much it changed, and whether the change is more than run-to-run noise."
      actions={back}
    />
  );
  if (!baseline.length || !optimized.length)
    return (
      <>
        {header}
        <Card>
          <p className="text-sm text-slate-700" role="status">
            Choose at least one baseline run and one optimized run on the{" "}
            <Link href="/load-runs" className="text-brand-700 underline underline-offset-2">
              load tests
            </Link>{" "}
            page, then press Compare.
          </p>
        </Card>
      </>
    );
  const result = await compareLoadRuns({ baseline, optimized, seed: 1 }).catch((err) => {
    if (err instanceof AppError && (err.code === "VALIDATION" || err.code === "CONFLICT")) {
      const issues = (err.details as { issues?: { message: string }[] } | undefined)?.issues;
      return issues?.length ? issues.map((i) => i.message).join("; ") : err.message;
    }
    throw err;
  });
  if (typeof result === "string")
    return (
      <>
        {header}
        <Card>
          <p role="alert" className="text-sm text-rose-800">
            These runs cannot be compared: {result}.
          </p>
        </Card>
      </>
    );
  const mp = result.matchedPrompts;
  const names = (runs: { id: string; name: string }[]) =>
    runs.map((r, i) => (
      <span key={r.id}>
        {i ? ", " : ""}
        <Link href={`/load-runs/${encodeURIComponent(r.id)}`} className="text-brand-700 underline underline-offset-2">
          {r.name}
        </Link>
      </span>
    ));
  const pair = (k: (typeof COMPARED_METRICS)[number], name: string) => ({
    name,
    baseline: result.metrics[k].baseline,
    optimized: result.metrics[k].optimized,
  });
  return (
    <>
      {header}
      <div className="space-y-6">
        <Card title="What is compared">
          <dl className="grid gap-3 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-slate-600">Baseline</dt>
              <dd data-testid="compare-baseline">{names(result.baselineRuns)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Optimized</dt>
              <dd data-testid="compare-optimized">{names(result.optimizedRuns)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Requests matched by prompt</dt>
              <dd className="font-semibold tabular-nums" data-testid="matched-prompts">
                {mp.matched.toLocaleString("en-US")} of {Math.max(mp.baseline, mp.optimized).toLocaleString("en-US")} (
                {Math.round(mp.share * 100)}%)
              </dd>
            </div>
          </dl>
          <p className="mt-3 text-sm text-slate-700">
            {result.paired
              ? "Every request was sent on both sides, so each request is compared with itself on the other build."
              : result.runs.baseline > 1 || result.runs.optimized > 1
                ? "With several runs a side, each run counts as one measurement, judged against how much runs of the same build vary."
                : "Requests are compared as two independent groups."}
          </p>
        </Card>
        {result.warnings.length ? (
          <Card title="Read this before the numbers">
            <ul className="space-y-3" data-testid="compare-warnings">
              {result.warnings.map((w) => {
                const words = warningWords(w, mp);
                return (
                  <li key={w.code} className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                    <p className="font-semibold">{words.title}</p>
                    <p className="mt-1">{words.body}</p>
                  </li>
                );
              })}
            </ul>
          </Card>
        ) : null}
        <Card title="Figures">
          <TableScroll label="Baseline against optimized">
            <table className="w-full text-left text-sm" data-testid="compare-table">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-3">Figure</th>
                  <th className="pr-3">Verdict</th>
                  <th className="pr-3 text-right">Baseline</th>
                  <th className="pr-3 text-right">Optimized</th>
                  <th className="pr-3 text-right">Change</th>
                  <th className="pr-3 text-right">Ratio</th>
                  <th className="pr-3">95% interval</th>
                  <th className="text-right">p-value</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {COMPARED_METRICS.map((k) => {
                  const m = result.metrics[k];
                  const w = COMPARED_WORDS[k];
                  const verdict = verdictOf(m, w.lowerIsBetter);
                  return (
                    <tr key={k} data-testid={`compare-${k}`}>
                      <td className="min-w-36 py-2 pr-3">{w.label}</td>
                      <td className="whitespace-nowrap pr-3">
                        <Badge tone={verdict.tone}>{verdict.words}</Badge>
                      </td>
                      <td className="whitespace-nowrap pr-3 text-right tabular-nums">{valueIn(w.unit, m.baseline)}</td>
                      <td className="whitespace-nowrap pr-3 text-right tabular-nums">{valueIn(w.unit, m.optimized)}</td>
                      <td className="whitespace-nowrap pr-3 text-right tabular-nums">{signedIn(w.unit, m.delta)}</td>
                      <td className="whitespace-nowrap pr-3 text-right tabular-nums">
                        {m.ratio === null ? "—" : `×${m.ratio.toFixed(3)}`}
                      </td>
                      <td className="min-w-28 pr-3 tabular-nums">
                        {m.ci95 ? `${signedIn(w.unit, m.ci95[0])} to ${signedIn(w.unit, m.ci95[1])}` : "—"}
                      </td>
                      <td className="whitespace-nowrap text-right tabular-nums">{pValue(m.pValue)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <p className="mt-3 text-sm text-slate-700">
            First token is the wait until the first piece of the answer arrives; per output token is the time each further token takes;
            whole answer is from sending to the last token (99th pct. is the time 99 requests in 100 beat). The change is optimized minus
            baseline. &ldquo;No clear difference&rdquo; means the 95% interval of the change includes zero: the two builds may well be
            equally fast. &ldquo;Clearly better&rdquo; or &ldquo;clearly worse&rdquo; means the whole interval lies on one side of zero; the
            p-value is the chance of a change at least this large if the builds were the same.
          </p>
        </Card>
        <div className="grid gap-6 lg:grid-cols-3">
          {(
            [
              ["Time to first token", "ttft"],
              ["Time per output token", "tpot"],
              ["Whole answer", "latency"],
            ] as const
          ).map(([title, k]) => (
            <Card key={k} title={title}>
              <ComparePercentilesChart
                label={`${title}, baseline against optimized, median and 99th percentile (ms)`}
                points={[pair(`${k}_p50_ms`, "median"), pair(`${k}_p99_ms`, "99th percentile")]}
              />
            </Card>
          ))}
        </div>
      </div>
    </>
  );
}
