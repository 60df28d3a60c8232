import { headers } from "next/headers";
import { NotFound } from "@/components/ui/NotFound";

/** Any other address that is not a page, for a signed-in user: inside the app, with its navigation. */
export default async function SignedInNotFound() {
  const path = (await headers()).get("x-assay-path")?.split("?")[0] ?? null;
  return (
    <NotFound title="This page does not exist">
      <p>
        Nothing lives at{" "}
        {path ? <bdi className="break-all font-mono">{path.length > 120 ? `${path.slice(0, 120)}…` : path}</bdi> : "this address"}. Check
        the address, or use the menu to find what you were looking for.
      </p>
    </NotFound>
  );
}
