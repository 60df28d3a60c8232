import { Time } from "@/components/ui/Time";
import { configFieldLabel } from "@/components/experiments/configFields";

/** What a decided experiment ships: the approved variant and its configuration as approved. */
export function ShipConfiguration({
  ship,
  approved,
}: {
  ship: { variant: string; name: string; configVersion: number | null; config: Record<string, unknown> | null };
  approved: { reviewedBy: string | null; reviewedAt: string | null; comment: string | null } | null;
}) {
  const entries = Object.entries(ship.config ?? {}).filter(([, v]) => v !== undefined && v !== null && typeof v !== "object");
  return (
    <section
      className="rounded-lg border border-emerald-300 bg-emerald-50 p-5"
      aria-labelledby="ship-title"
      data-testid="ship-configuration"
    >
      <h2 id="ship-title" className="text-base font-semibold text-emerald-950">
        <span aria-hidden>✓ </span>Decided: ship <span className="font-mono">{ship.variant}</span> ({ship.name})
      </h2>
      <p className="mt-1 text-sm text-emerald-950" data-testid="ship-serving">
        Every user now gets {ship.name}: the assignment API, the gateway and app clients serve its configuration, and no one is counted in
        the experiment any more.
      </p>
      {approved ? (
        <p className="mt-1 text-sm text-emerald-950">
          Approved by {approved.reviewedBy ?? "a former user"}
          {approved.reviewedAt ? (
            <>
              {" "}
              on <Time value={approved.reviewedAt} />
            </>
          ) : null}
          {approved.comment ? <> — “{approved.comment}”</> : null}
        </p>
      ) : null}
      {entries.length ? (
        <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
          {ship.configVersion !== null ? (
            <div className="flex gap-2">
              <dt className="text-emerald-900">Configuration version</dt>
              <dd className="font-medium text-slate-900">{ship.configVersion}</dd>
            </div>
          ) : null}
          {entries.map(([k, v]) => (
            <div key={k} className="flex min-w-0 gap-2">
              <dt className="shrink-0 text-emerald-900">{configFieldLabel(k)}</dt>
              <dd className="min-w-0 truncate font-medium text-slate-900" title={String(v)}>
                {String(v)}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}
