import Link from "next/link";
import type { SweepView } from "@/lib/loadRuns/sweepView";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { TableScroll } from "@/components/ui/TableScroll";
import { SweepCurveChart } from "@/components/charts/LoadRunCharts";
import { count, ms, perSecond } from "./figures";
import { stepWords } from "./stepWords";

const MODE_WORDS = { synchronous: "One user at a time", throughput: "Many users at once", rate: "Fixed rate" } as const;

/** A sweep's steps: the throughput-latency curve, what it says about capacity, and each step's figures with its run. */
export function SweepResults({ sweep }: { sweep: SweepView }) {
  const steps = sweep.steps;
  if (steps.length === 0) return null;
  const held = steps.filter((s) => s.mode === "rate" && !s.saturated);
  const fastestHeld = held.length ? held.reduce((a, b) => (b.sentRps > a.sentRps ? b : a)) : null;
  const rateSteps = steps.filter((s) => s.mode === "rate");
  const ceiling = steps.find((s) => s.mode === "throughput");
  const floor = steps.find((s) => s.mode === "synchronous");
  const over = steps.find((s) => s.saturated);
  return (
    <>
      <Card title="What the sweep found">
        <ul className="space-y-1 text-sm text-slate-800" data-testid="sweep-findings">
          {floor ? (
            <li>
              Alone, a request took <strong>{ms(floor.e2eP50Ms)}</strong> for its whole answer (median), and{" "}
              <strong>{ms(floor.ttftP50Ms)}</strong> to its first token.
            </li>
          ) : null}
          {ceiling ? (
            <li>
              With many users at once, each sending again as soon as it had its answer, the server answered{" "}
              <strong>{perSecond(ceiling.throughputRps)}</strong>, at a median of {ms(ceiling.e2eP50Ms)} per answer.
            </li>
          ) : null}
          {fastestHeld ? (
            <li>
              The fastest steady rate it kept up with was <strong>{perSecond(fastestHeld.sentRps)}</strong> sent (99th percentile whole
              answer {ms(fastestHeld.e2eP99Ms)}).
              {rateSteps.length && !over ? " It kept up at every rate tried: its capacity may be higher still." : ""}
            </li>
          ) : null}
          {over ? (
            <li>
              At {perSecond(over.sentRps)} sent it fell behind: {over.reason}.
              {sweep.skippedRates.length ? ` Faster rates (${sweep.skippedRates.map((r) => perSecond(r)).join(", ")}) were not run.` : ""}
            </li>
          ) : null}
          {sweep.stopped ? <li>The sweep ended before its last step; the steps that finished are below.</li> : null}
        </ul>
      </Card>
      <Card title="Requests per second against latency">
        <p className="mb-2 text-sm text-slate-700">
          Each point is one step: how many answers per second the server gave (along the bottom) and how long they took (up). Where the line
          turns up steeply, more load only makes requests wait.
        </p>
        <SweepCurveChart
          label="Latency against answers per second, one point per sweep step"
          points={steps.map((s) => ({
            rps: s.throughputRps,
            ttftP50: s.ttftP50Ms,
            ttftP99: s.ttftP99Ms,
            e2eP50: s.e2eP50Ms,
            e2eP99: s.e2eP99Ms,
            step: s.name,
          }))}
        />
      </Card>
      <Card title="Steps">
        <TableScroll label="Sweep steps">
          <table className="w-full text-left text-sm" data-testid="sweep-steps">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-3">Step</th>
                <th className="pr-3">Load</th>
                <th className="pr-3 text-right">Answers per second</th>
                <th className="pr-3 text-right">First token, median / 99th</th>
                <th className="pr-3 text-right">Whole answer, median / 99th</th>
                <th className="pr-3 text-right">Failed</th>
                <th>Kept up</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {steps.map((s, i) => (
                <tr key={s.runId} data-testid="sweep-step">
                  <td className="py-2 pr-3">
                    <Link href={`/load-runs/${encodeURIComponent(s.runId)}`} className="text-brand-700 underline underline-offset-2">
                      {i + 1}. {stepWords(s.name)}
                    </Link>
                  </td>
                  <td className="pr-3">
                    {s.mode === "rate" ? `${perSecond(s.targetRate)} asked, ${perSecond(s.sentRps)} sent` : MODE_WORDS[s.mode]}
                  </td>
                  <td className="whitespace-nowrap pr-3 text-right tabular-nums">{perSecond(s.throughputRps)}</td>
                  <td className="whitespace-nowrap pr-3 text-right tabular-nums">
                    {ms(s.ttftP50Ms)} / {ms(s.ttftP99Ms)}
                  </td>
                  <td className="whitespace-nowrap pr-3 text-right tabular-nums">
                    {ms(s.e2eP50Ms)} / {ms(s.e2eP99Ms)}
                  </td>
                  <td className="pr-3 text-right tabular-nums">{count(s.failed)}</td>
                  <td>
                    {s.mode !== "rate" ? "—" : s.saturated ? <Badge tone="amber">fell behind</Badge> : <Badge tone="green">yes</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <p className="mt-3 text-sm text-slate-700">
          Each step is a load run of its own: open it for its charts and results file, or tick two steps in the list of load tests to
          compare them.
        </p>
      </Card>
    </>
  );
}
