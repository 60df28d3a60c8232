// Writes made in this process tell the data plane's caches (lib/dataPlane/caches.ts) at once, before the write's NOTIFY
// (prisma/migrations/*_traffic) arrives: a key revoked on the settings page is refused by the very next request.
// Next.js bundles its own copy of lib/, so the listeners live on globalThis, shared by every copy in the process.

export type ChangeKind = "auth" | "experiments";
type Listener = (kind: ChangeKind) => void;

const registry = globalThis as unknown as { assayChangeListeners?: Set<Listener> };

function listeners(): Set<Listener> {
  registry.assayChangeListeners ??= new Set();
  return registry.assayChangeListeners;
}

/** Subscribes to this process's writes; returns the unsubscribe. */
export function onLocalChange(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

/** Tells every listener that `kind` of data changed. */
export function announceLocalChange(kind: ChangeKind): void {
  for (const listener of listeners()) listener(kind);
}

const MODEL_KINDS: Record<string, ChangeKind> = {
  ApiKey: "auth",
  User: "auth",
  Experiment: "experiments",
  Variant: "experiments",
  Endpoint: "experiments",
};
const READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);

/** The change a Prisma operation makes, if it writes a model the data plane caches. */
export function changeKindOf(model: string | undefined, operation: string): ChangeKind | null {
  if (!model || READS.has(operation)) return null;
  return MODEL_KINDS[model] ?? null;
}
