"use client";

import { ErrorPage } from "@/components/errors/ErrorPage";

/** A signed-in page failed (the sidebar stays): the database out of reach, or a bug. */
export default function SignedInError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPage error={error} retry={retry} />;
}
