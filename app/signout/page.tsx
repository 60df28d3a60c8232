import Link from "next/link";
import { redirect } from "next/navigation";
import { sessionIdentity } from "@/lib/auth/guard";
import { SignOutButton } from "@/components/auth/SignOutButton";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign out" };

/** Assay's own sign-out page (next-auth's /api/auth/signout sends browsers here): confirm, then sign out. */
export default async function SignOutPage() {
  const identity = await sessionIdentity();
  if (!identity) redirect("/login");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <p className="text-center text-3xl font-bold tracking-tight text-brand-700">Assay</p>
        <div className="mt-8 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-2 text-lg font-semibold">Sign out</h1>
          <p className="mb-4 text-sm text-slate-700">
            You are signed in as <span className="font-medium">{identity.email}</span>. Signing out ends this session on every device that
            shares it.
          </p>
          <SignOutButton />
          <p className="mt-4 text-center text-sm">
            <Link href="/" className="font-medium text-brand-700 underline hover:text-brand-800">
              Stay signed in
            </Link>
          </p>
        </div>
      </div>
    </main>
  );
}
