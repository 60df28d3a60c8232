"use client";

import Link from "next/link";
import { useEffect } from "react";
import { buttonClass } from "@/components/ui/button";
import { UNAVAILABLE_DIGEST } from "@/lib/errors";

/** How often the "database unavailable" page tries again by itself. */
const RETRY_EVERY_MS = 10_000;

function digestOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && typeof (error as { digest?: unknown }).digest === "string"
    ? (error as { digest: string }).digest
    : undefined;
}

/**
 * What every error boundary shows: a "database unavailable" page (trying again by itself) when the server could not reach the
 * database, else a plain "something went wrong" with the reference the server logged.
 */
export function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = digestOf(error);
  const unavailable = digest === UNAVAILABLE_DIGEST;
  useEffect(() => {
    if (!unavailable) return;
    const timer = setInterval(retry, RETRY_EVERY_MS);
    return () => clearInterval(timer);
  }, [unavailable, retry]);

  return (
    <div
      className="mx-auto my-12 max-w-lg rounded-lg border border-amber-300 bg-amber-50 p-6"
      role="alert"
      data-testid={unavailable ? "database-unavailable" : "page-error"}
    >
      {unavailable ? (
        <>
          <h1 className="text-lg font-semibold text-amber-900">The database is unavailable</h1>
          <p className="mt-2 text-sm text-amber-900">
            Assay cannot reach its database right now, so this page cannot be shown. This usually passes within seconds (the database is
            restarting, or the connection dropped); the page tries again every {RETRY_EVERY_MS / 1000} seconds.
          </p>
          <p className="mt-2 text-sm text-amber-900">
            If it lasts, ask whoever runs Assay to check that its database server is running (<code>/api/v1/health</code> reports it).
          </p>
        </>
      ) : (
        <>
          <h1 className="text-lg font-semibold text-amber-900">Something went wrong on our side</h1>
          <p className="mt-2 text-sm text-amber-900">
            This page could not be shown. Try again; if it keeps failing, quote this reference when you report it:{" "}
            <code>{digest ?? "none"}</code>.
          </p>
        </>
      )}
      <div className="mt-4 flex flex-wrap items-center gap-4">
        <button type="button" className={buttonClass.primary} onClick={retry}>
          {unavailable ? "Try again now" : "Try again"}
        </button>
        <Link href="/" className="text-sm font-medium text-amber-900 underline">
          Back to the overview
        </Link>
      </div>
    </div>
  );
}
