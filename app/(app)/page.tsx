import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { navigationFor } from "@/lib/navigation/items";
import { overviewFor } from "@/lib/overview/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { buttonClass } from "@/components/ui/button";
import { statusTone } from "@/components/experiments/statusTone";
import { auditSentence } from "@/components/experiments/AuditTimeline";
import { Time } from "@/components/ui/Time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Overview" };

const roleIntro: Record<string, string> = {
  ADMIN: "You manage who can use Assay, their roles and API keys, and keep an eye on the system.",
  PM: "You design experiments: hypothesis, the one variable under test, variants, scorecard and sample size; then start, ramp and stop them.",
  ENGINEER: "You point variants at OpenAI-compatible endpoints, send interactions, upload traces and run load tests.",
  REVIEWER: "You read significance results and the decision matrix, and approve or reject deploy decisions.",
};

const statusHelp: Record<string, string> = {
  DRAFT: "being designed",
  RUNNING: "taking traffic",
  STOPPED: "waiting for a decision",
  DECIDED: "deploy decision made",
};

export default async function OverviewPage() {
  const { identity } = await pageIdentity("me:read", "/");
  const overview = await overviewFor(identity);
  const shortcuts = navigationFor(identity.role).filter((i) => i.href !== "/" && i.href !== "/experiments");
  return (
    <>
      <PageHeader
        title={`Welcome, ${identity.name.split(" ")[0]}`}
        description={roleIntro[identity.role]}
        actions={
          can(identity.role, "experiments:create") ? (
            <Link href="/experiments/new" className={buttonClass.primary}>
              New experiment
            </Link>
          ) : null
        }
      />
      <section aria-label="Experiments by status" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {(["DRAFT", "RUNNING", "STOPPED", "DECIDED"] as const).map((status) => (
          <Link key={status} href={`/experiments?status=${status}`} className="block" data-testid={`count-${status}`}>
            <Card className="h-full transition hover:border-brand-500">
              <div className="flex items-center justify-between">
                <Badge tone={statusTone[status]}>{status}</Badge>
                <span className="text-3xl font-semibold tabular-nums text-slate-900">{overview.statusCounts[status]}</span>
              </div>
              <p className="mt-2 text-sm text-slate-600">{statusHelp[status]}</p>
            </Card>
          </Link>
        ))}
      </section>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title="Latest activity" className="lg:col-span-2">
          {overview.activity.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing yet. Changes to experiments appear here.</p>
          ) : (
            <ol className="divide-y divide-slate-100 text-sm">
              {overview.activity.map((e) => (
                <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                  <span>
                    <span className="font-medium">{e.actor}</span>{" "}
                    {auditSentence(e.action, e.details as Record<string, unknown> | null, e.experiment?.key ?? "")}
                    {e.experiment ? (
                      <>
                        {" "}
                        ·{" "}
                        <Link
                          className="text-brand-700 underline underline-offset-2"
                          href={`/experiments/${encodeURIComponent(e.experiment.key)}`}
                        >
                          {e.experiment.name}
                        </Link>
                      </>
                    ) : null}
                  </span>
                  <span className="text-xs text-slate-600">
                    <Time value={e.createdAt} relative compact />
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <div className="space-y-4">
          {overview.pendingReviews !== null ? (
            <Link href="/reviews" className="block" data-testid="pending-reviews">
              <Card className="transition hover:border-brand-500">
                <p className="text-sm text-slate-600">Deploy decisions waiting for you</p>
                <p className="mt-1 text-3xl font-semibold tabular-nums">{overview.pendingReviews}</p>
              </Card>
            </Link>
          ) : null}
          {shortcuts.map((item) => (
            <Link key={item.href} href={item.href} className="block">
              <Card className="transition hover:border-brand-500">
                <p className="font-medium text-slate-900">{item.label} →</p>
              </Card>
            </Link>
          ))}
        </div>
      </div>
    </>
  );
}
