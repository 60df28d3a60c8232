import Link from "next/link";

/** Shown when a signed-in user opens a page their role may not see (the server refused; nothing was loaded). */
export function Forbidden({ role }: { role: string }) {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-rose-200 bg-rose-50 p-6" role="alert" data-testid="forbidden">
      <h1 className="text-lg font-semibold text-rose-800">You don&apos;t have access to this page</h1>
      <p className="mt-2 text-sm text-rose-700">Your role ({role}) does not include it. Ask an administrator if you need access.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-rose-800 underline">
        Back to the overview
      </Link>
    </div>
  );
}
