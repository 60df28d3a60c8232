import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { experimentAaDesign } from "@/lib/aa/service";
import { effectText } from "@/lib/aa/reading";
import { percent, significant } from "@/lib/format/number";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { MethodNote } from "@/components/ui/MethodNote";
import { AaSimulator } from "@/components/aa/AaSimulator";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }) {
  return { title: `A/A check ${(await params).key}` };
}

export default async function ExperimentAaPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const { identity, allowed } = await pageIdentity("experiments:read", `/experiments/${key}/aa`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const design = await experimentAaDesign(key).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const count = (n: number) => n.toLocaleString("en-US");
  return (
    <>
      <PageHeader
        title="A/A check"
        description={
          <>
            <Link href={`/experiments/${encodeURIComponent(key)}`} className="text-brand-700 underline underline-offset-2">
              {key}
            </Link>{" "}
            · Simulate this design many times with no real difference between the variants, and see how often the test calls one significant
            anyway, with and without peeking.
          </>
        }
      />
      {"reason" in design ? (
        <Card>
          <p className="text-sm text-slate-800" data-testid="aa-unavailable">
            {design.reason}
          </p>
        </Card>
      ) : (
        <div className="space-y-6">
          <Card title="The design simulated">
            <p className="text-sm text-slate-800" data-testid="aa-design">
              {design.metric},{" "}
              {design.kind === "proportion"
                ? `a rate with a baseline of ${percent(design.baseline, 3)}`
                : `a mean with a baseline of ${significant(design.baseline, 4)} and a standard deviation of ${significant(design.sd ?? 1, 4)}`}
              ; {count(design.perVariant)} per variant, the planned sample; significant at {percent(design.alpha, 3)}. Minimum detectable
              effect {effectText(design.kind, design.mde)}, planned power {percent(design.plannedPower, 3)}
              {design.sizedPerVariant < design.perVariant
                ? ` (at ${count(design.sizedPerVariant)} per variant: another metric needs the larger sample)`
                : ""}
              .
            </p>
            {design.unequalSplit ? (
              <p className="mt-2 text-sm text-slate-600">
                The design splits traffic unequally; the simulation gives both variants the same sample.
              </p>
            ) : null}
            {design.maxTests < 100 ? (
              <p className="mt-2 text-sm text-slate-600">
                The planned sample is too large to simulate here in a few seconds; run{" "}
                <code>assay aa --per-variant {design.perVariant}</code> from the command line instead.
              </p>
            ) : null}
          </Card>
          {design.maxTests >= 100 ? (
            <Card>
              <AaSimulator experimentKey={key} design={design} />
            </Card>
          ) : null}
          <MethodNote>
            <p>
              Each simulated test draws the planned sample for both variants from the same distribution (normal with the design&apos;s mean
              and standard deviation, or 0/1 outcomes at the baseline rate) and compares them with the same tests the results use:
              Welch&apos;s t-test for means, a two-proportion z-test for rates, or their always-valid confidence sequences (Waudby-Smith et
              al.) tuned to the planned sample in the peeking-safe mode. With looks, the test is read at equally spaced sample sizes and
              counts as significant if any look is. Intervals are Wilson score intervals. The same seed gives the same answer; a planted
              difference is drawn with another stream, so the A/A answer does not change with it.
            </p>
          </MethodNote>
        </div>
      )}
    </>
  );
}
