// A page cannot choose its status: when a server component throws, Next.js renders the error boundary (here the "database
// unavailable" page, components/errors/ErrorPage.tsx) and answers 500, whatever the error was. The front door
// (lib/runtime/webServer.ts) runs each request with a note that the Prisma client (lib/db/client.ts) marks when the
// database cannot be reached, and turns that request's 500 into the API's answer for an outage: 503 with Retry-After.
import { AsyncLocalStorage } from "node:async_hooks";
import type http from "node:http";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/errors";

interface RequestNote {
  databaseUnavailable: boolean;
}

// On globalThis: the front door and the app's server bundle load this module separately, and must share one store.
const STORE = Symbol.for("assay.requestNote");

function store(): AsyncLocalStorage<RequestNote> {
  const g = globalThis as Record<symbol, AsyncLocalStorage<RequestNote> | undefined>;
  return (g[STORE] ??= new AsyncLocalStorage<RequestNote>());
}

/** Marks the current request (if the front door is tracking it) as one that found the database unavailable. */
export function noteDatabaseUnavailable(): void {
  const note = store().getStore();
  if (note) note.databaseUnavailable = true;
}

/** Runs `handle` for one request; if the request found the database unavailable and answers 500, it answers 503 with Retry-After instead. */
export function answerOutagesWith503(res: http.ServerResponse, handle: () => unknown): void {
  const note: RequestNote = { databaseUnavailable: false };
  const writeHead = res.writeHead;
  // Node sends implicit headers through writeHead too (res.end without it), so this sees every status the response gets.
  res.writeHead = function (this: http.ServerResponse, status: number, ...rest: unknown[]) {
    if (status === 500 && note.databaseUnavailable) {
      status = 503;
      this.statusCode = 503;
      this.setHeader("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      if (typeof rest[0] === "string") rest[0] = "Service Unavailable";
    }
    return (writeHead as (...args: unknown[]) => http.ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
  store().run(note, handle);
}
