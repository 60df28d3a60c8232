import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { BanditSimulator } from "@/components/planner/BanditSimulator";

export const dynamic = "force-dynamic";
export const metadata = { title: "Bandit simulator" };

export default async function BanditPage() {
  const { identity, allowed } = await pageIdentity("planner:use", "/planner/bandit");
  if (!allowed) return <Forbidden role={identity.role} />;
  return (
    <>
      <PageHeader
        title="Bandit simulator"
        description={
          <>
            An adaptive split sends more users to the variant that is doing better as the evidence comes in, instead of keeping the split
            fixed until the end. Give each variant&apos;s true conversion rate and see how fast the split moves to the best one and how many
            conversions it saves against an equal split. The same numbers come from <code className="font-mono text-xs">assay bandit</code>{" "}
            and <code className="font-mono text-xs">POST /api/v1/bandit-simulations</code>. For a fixed test&apos;s sample size, use the{" "}
            <Link href="/planner" className="text-brand-700 underline underline-offset-2">
              sample-size planner
            </Link>
            .
          </>
        }
      />
      <BanditSimulator />
    </>
  );
}
