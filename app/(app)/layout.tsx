import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionIdentity } from "@/lib/auth/guard";
import { navigationFor } from "@/lib/navigation/items";
import { Sidebar } from "@/components/nav/Sidebar";

export const dynamic = "force-dynamic";

/** Every signed-in page: the server checks the session here; anonymous visitors go to the login page. */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const identity = await sessionIdentity();
  if (!identity) {
    const path = (await headers()).get("x-assay-path") ?? "/";
    redirect(path === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(path)}`);
  }
  return (
    <div className="flex min-h-screen">
      <Sidebar items={navigationFor(identity.role)} user={{ name: identity.name, email: identity.email, role: identity.role }} />
      <main className="flex-1 overflow-x-auto px-8 py-8">{children}</main>
    </div>
  );
}
