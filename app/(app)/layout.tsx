import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionIdentity } from "@/lib/auth/guard";
import { navigationFor } from "@/lib/navigation/items";
import { waitingCountFor } from "@/lib/reviews/service";
import { Sidebar } from "@/components/nav/Sidebar";

export const dynamic = "force-dynamic";

/** Every signed-in page: the server checks the session here; anonymous visitors go to the login page. */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const identity = await sessionIdentity();
  if (!identity) {
    const path = (await headers()).get("x-assay-path") ?? "/";
    redirect(path === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(path)}`);
  }
  const waiting = await waitingCountFor(identity);
  return (
    <div className="min-h-screen lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-[60] focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-brand-700 focus:shadow-lg focus:ring-2 focus:ring-brand-500"
      >
        Skip to main content
      </a>
      <Sidebar
        items={navigationFor(identity.role)}
        user={{ name: identity.name, email: identity.email, role: identity.role }}
        counts={waiting ? { "/reviews": waiting } : undefined}
      />
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8">
        {children}
      </main>
    </div>
  );
}
