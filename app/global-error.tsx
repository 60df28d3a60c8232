"use client";

import "./globals.css";
import { ErrorPage } from "@/components/errors/ErrorPage";

/** The root layout itself failed: the same page, in a document of its own. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <title>Error · Assay</title>
        <main className="px-4">
          <ErrorPage error={error} retry={retry} />
        </main>
      </body>
    </html>
  );
}
