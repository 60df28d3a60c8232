import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listExperimentsFor } from "@/lib/experiments/service";
import { listExperimentsQuerySchema } from "@/lib/validation/experiments";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { buttonClass } from "@/components/ui/button";
import { ExperimentFilters } from "@/components/experiments/ExperimentFilters";
import { ExperimentTable } from "@/components/experiments/ExperimentTable";

export const dynamic = "force-dynamic";
export const metadata = { title: "Experiments" };

type Search = Record<string, string | string[] | undefined>;

export default async function ExperimentsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { identity, allowed } = await pageIdentity("experiments:read", "/experiments");
  if (!allowed) return <Forbidden role={identity.role} />;
  const raw = Object.fromEntries(
    Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === "string" && v !== "" ? [[k, v]] : [])),
  );
  const parsed = listExperimentsQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  const experiments = await listExperimentsFor(identity, query);
  const filtered = Boolean(query.q || query.status || query.owner || query.archived === "true");
  const newButton = can(identity.role, "experiments:create") ? (
    <Link href="/experiments/new" className={buttonClass.primary}>
      New experiment
    </Link>
  ) : null;
  return (
    <>
      <PageHeader
        title="Experiments"
        description="Every A/B experiment: its hypothesis, the variable under test, and where it stands. Newest change first."
        actions={newButton}
      />
      <ExperimentFilters q={query.q ?? ""} status={query.status ?? ""} owner={query.owner ?? ""} archived={query.archived === "true"} />
      {!parsed.success ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Some filters were not understood and were ignored.
        </p>
      ) : null}
      {experiments.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No experiments match these filters"
            action={
              <Link href="/experiments" className={buttonClass.secondary}>
                Clear the filters
              </Link>
            }
          >
            Try another search word, or include archived experiments.
          </EmptyState>
        ) : (
          <EmptyState title="No experiments yet" action={newButton}>
            An experiment starts with a design, not with code: a hypothesis (“If we change …, we expect … because …”), the one variable you
            change, two or more variants, and the goal and guardrail metrics that decide.
          </EmptyState>
        )
      ) : (
        <ExperimentTable experiments={experiments} />
      )}
    </>
  );
}
