"use client";

import { ErrorPage } from "@/components/errors/ErrorPage";

/** Any page failed before its layout could render (the signed-in layout reads the session's user from the database). */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="px-4">
      <ErrorPage error={error} retry={retry} />
    </main>
  );
}
