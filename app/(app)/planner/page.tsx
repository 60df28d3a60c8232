import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { PlanPanel } from "@/components/planner/PlanPanel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sample-size planner" };

export default async function PlannerPage() {
  const { identity, allowed } = await pageIdentity("planner:use", "/planner");
  if (!allowed) return <Forbidden role={identity.role} />;
  return (
    <>
      <PageHeader
        title="Sample-size planner"
        description={
          <>
            How many users or interactions an A/B test needs to detect the change you care about, and how many days that takes at your
            traffic. It opens with a worked example: helpfulness 3.8 of 5 read as 0.76 of the top score, a 5% relative improvement, 2,000
            interactions a day. Change any input and the plan updates as you type. The same numbers come from{" "}
            <code className="font-mono text-xs">POST /api/v1/plan</code> and <code className="font-mono text-xs">assay plan</code>. To see
            what an adaptive split would do instead, try the{" "}
            <Link href="/planner/bandit" className="text-brand-700 underline underline-offset-2">
              bandit simulator
            </Link>
            .
          </>
        }
      />
      <PlanPanel />
    </>
  );
}
