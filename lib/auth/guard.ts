import { randomUUID } from "node:crypto";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { AppError, databaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/errors";
import { env } from "@/lib/env";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { crossSiteProblem } from "@/lib/http/sameOrigin";
import { textProblem } from "@/lib/validation/text";
import { identityFromAuthorizationHeader } from "./apiKeys";
import type { Identity } from "./identity";
import { authOptions } from "./options";
import { sessionUser } from "./sessions";
import { authorize, can, type Action } from "./permissions";

/**
 * The signed-in user of this request's session cookie, re-read from the database with its server-side session (sign-out,
 * role changes and disabling apply at once);
 * cached per request, so the layout and the page share one lookup.
 */
export const sessionIdentity = cache(async (): Promise<Identity | null> => {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id || !session.sid) return null;
  // The cookie's session must still be live on the server: signing out revoked it (lib/auth/sessions.ts).
  const user = await sessionUser(session.sid);
  if (!user || user.id !== session.user.id || user.disabled) return null;
  return { via: "session", userId: user.id, email: user.email, name: user.name, role: user.role };
});

/** Resolves the caller from `Authorization: Bearer <key>` if present, else from the session cookie. */
export async function resolveIdentity(req: Request): Promise<Identity> {
  const header = req.headers.get("authorization");
  if (header !== null) return identityFromAuthorizationHeader(header);
  const identity = await sessionIdentity();
  if (!identity) throw new AppError("UNAUTHENTICATED", "Sign in, or send `Authorization: Bearer <api key>`.");
  return identity;
}

export { authorize };

/** Maps any error to a JSON response (the database out of reach: 503 with Retry-After); unknown errors are logged with the request id and answered with a generic 500. */
export function errorResponse(err: unknown, requestId: string): Response {
  const known = err instanceof AppError ? err : isDatabaseUnavailable(err) ? databaseUnavailable(err) : null;
  if (known) {
    const body: Record<string, unknown> = { code: known.code, message: known.message, requestId };
    if (known.details !== undefined) body.details = known.details;
    const headers = known.code === "UNAVAILABLE" ? { "retry-after": String(UNAVAILABLE_RETRY_AFTER_SECONDS) } : undefined;
    return Response.json({ error: body }, { status: known.status, headers });
  }
  console.error(`[${requestId}] unhandled error`, err);
  return Response.json(
    { error: { code: "INTERNAL", message: "Something went wrong on our side. Quote this request id if you report it.", requestId } },
    { status: 500 },
  );
}

export interface RouteContext<P> {
  req: Request;
  identity: Identity;
  params: P;
  requestId: string;
}

type RouteArgs<P> = { params: Promise<P> };

/** Throws FORBIDDEN when a change authenticated by the session cookie was sent by another site (CSRF); API-key requests are not affected. */
export function assertSameOrigin(req: Request, identity: Identity): void {
  if (identity.via !== "session") return;
  const problem = crossSiteProblem(req.method, req.headers, env().NEXTAUTH_URL);
  if (problem) {
    throw new AppError(
      "FORBIDDEN",
      `Refused: this change was made with your sign-in cookie, but ${problem}. Make changes from Assay's own pages, or from a script with an API key (Authorization: Bearer <key>).`,
    );
  }
}

/** Throws VALIDATION naming the parameter when a path or query parameter holds text no field may hold (NUL, a lone surrogate). */
export function assertSafeParameters(req: Request, params: Record<string, unknown>): void {
  const issues: { field: string; message: string }[] = [];
  const check = (field: string, value: string) => {
    const problem = textProblem(value, "text");
    if (problem) issues.push({ field, message: `${field} ${problem}` });
  };
  for (const [name, value] of Object.entries(params)) for (const v of [value].flat()) if (typeof v === "string") check(name, v);
  for (const [name, value] of new URL(req.url).searchParams) {
    check(`${name} (query name)`, name);
    check(name, value);
  }
  if (issues.length) throw new AppError("VALIDATION", `Invalid input: ${issues[0].message}`, { issues });
}

/** Signed-in answers are for this caller only: never stored by a browser or a proxy. */
function noStore(res: Response): Response {
  if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
  return res;
}

/** The one wrapper for authenticated API routes: resolves the caller, refuses cross-site changes and unsafe parameters, checks the action, maps errors. */
export function withAuth<P = Record<string, never>>(action: Action, handler: (ctx: RouteContext<P>) => Promise<unknown>) {
  return async (req: Request, args: RouteArgs<P>): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const identity = await resolveIdentity(req);
      assertSameOrigin(req, identity);
      authorize(identity, action);
      const params = (await args?.params) ?? ({} as P);
      assertSafeParameters(req, params as Record<string, unknown>);
      const result = await handler({ req, identity, params, requestId });
      return noStore(result instanceof Response ? result : Response.json(result));
    } catch (err) {
      return noStore(errorResponse(err, requestId));
    }
  };
}

/** The wrapper for the few public routes (health, unknown paths): same error mapping, no identity. */
export function withPublic<P = Record<string, never>>(handler: (ctx: { req: Request; params: P; requestId: string }) => Promise<unknown>) {
  return async (req: Request, args: RouteArgs<P>): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const result = await handler({ req, params: (await args?.params) ?? ({} as P), requestId });
      return result instanceof Response ? result : Response.json(result);
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}

/** For server components: the signed-in identity allowed to do `action`, else a redirect to login (or null when forbidden). */
export async function pageIdentity(action: Action, callbackPath: string): Promise<{ identity: Identity; allowed: boolean }> {
  const identity = await sessionIdentity();
  if (!identity) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return { identity, allowed: can(identity.role, action) };
}
