import { headers } from "next/headers";
import { NotFound } from "@/components/ui/NotFound";

/** The experiment key from the requested path (/experiments/<key>[/document]), as typed; null when it cannot be read. */
function requestedKey(path: string | null): string | null {
  const raw = /^\/experiments\/([^/?#]+)/.exec(path ?? "")?.[1];
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** /experiments/<unknown key>: names the key that matched nothing and offers a search for it. */
export default async function ExperimentNotFound() {
  const key = requestedKey((await headers()).get("x-assay-path"));
  const shown = key && key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return (
    <NotFound
      title={
        shown ? (
          <>
            No experiment with the key “<bdi className="font-mono">{shown}</bdi>”
          </>
        ) : (
          "No such experiment"
        )
      }
      links={[
        ...(key ? [{ href: `/experiments?q=${encodeURIComponent(key.slice(0, 100))}`, label: "Search the experiments for it" }] : []),
        { href: "/experiments", label: "All experiments" },
      ]}
    >
      <p>It may have been mistyped, or the link may be to another Assay installation. Archived experiments keep their page.</p>
    </NotFound>
  );
}
