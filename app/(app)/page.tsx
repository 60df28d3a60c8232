import Link from "next/link";
import { sessionIdentity } from "@/lib/auth/guard";
import { navigationFor } from "@/lib/navigation/items";
import { PageHeader } from "@/components/ui/PageHeader";
import { Card } from "@/components/ui/Card";

export const dynamic = "force-dynamic";
export const metadata = { title: "Overview" };

const roleIntro: Record<string, string> = {
  ADMIN: "You manage who can use Assay, their roles and API keys, and keep an eye on the system.",
  PM: "You design experiments: hypothesis, the one variable under test, variants, scorecard and sample size; then start, ramp and stop them.",
  ENGINEER: "You point variants at OpenAI-compatible endpoints, send interactions, upload traces and run load tests.",
  REVIEWER: "You read significance results and the decision matrix, and approve or reject deploy decisions.",
};

export default async function OverviewPage() {
  const identity = (await sessionIdentity())!;
  const items = navigationFor(identity.role).filter((i) => i.href !== "/");
  return (
    <>
      <PageHeader title={`Welcome, ${identity.name.split(" ")[0]}`} description={roleIntro[identity.role]} />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {items.map((item) => (
          <Link key={item.href} href={item.href} className="block">
            <Card className="h-full transition hover:border-brand-500">
              <p className="font-medium text-slate-900">{item.label}</p>
              <p className="mt-1 text-sm text-slate-600">{item.section === "Settings" ? "Settings" : "Open"} →</p>
            </Card>
          </Link>
        ))}
      </div>
    </>
  );
}
