import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Page not found" };

/** Every address no page claims: a 404 inside the signed-in layout (anonymous visitors go to the login page first). */
export default async function MissingPage({ params }: { params: Promise<{ missing: string[] }> }) {
  await pageIdentity("me:read", `/${(await params).missing.join("/")}`);
  notFound();
}
