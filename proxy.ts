import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { newNonce, pageContentSecurityPolicy } from "@/lib/http/contentSecurityPolicy";

/**
 * For every page: a Content-Security-Policy with a fresh script nonce (on the request too, where Next.js finds the nonce to
 * put on its scripts), and the requested path for server components (x-assay-path), so the signed-in layout can send an
 * anonymous visitor to the login page and back. Not an access check: that happens server-side in every page and route
 * (lib/auth/guard.ts).
 */
export function proxy(request: NextRequest) {
  const policy = pageContentSecurityPolicy(newNonce(), env().NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-assay-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = { matcher: ["/((?!api/|_next/|icon.svg|favicon.ico).*)"] };
