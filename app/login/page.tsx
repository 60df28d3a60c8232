import { redirect } from "next/navigation";
import { sessionIdentity } from "@/lib/auth/guard";
import { signInProblem } from "@/lib/auth/options";
import { demoSeeded } from "@/lib/demo/status";
import { demoUsers } from "@/lib/demo/users";
import { LoginForm } from "@/components/auth/LoginForm";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const problem = signInProblem(error);
  if (await sessionIdentity()) redirect("/");
  const showDemo = await demoSeeded();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <h1 className="text-center text-3xl font-bold tracking-tight text-brand-700">Assay</h1>
        <p className="mt-1 text-center text-sm text-slate-600">A/B experiments for LLM applications</p>
        <div className="mt-8 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="mb-4 text-lg font-semibold">Sign in</h2>
          {problem ? (
            <p role="alert" data-testid="sign-in-problem" className="mb-4 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
              {problem}
            </p>
          ) : null}
          <LoginForm
            callbackUrl={callbackUrl ?? "/"}
            demoUsers={showDemo ? demoUsers.map((u) => ({ email: u.email, role: u.role })) : null}
          />
        </div>
      </div>
    </main>
  );
}
