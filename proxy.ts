import { NextResponse, type NextRequest } from "next/server";

/**
 * Passes the requested path to server components (x-assay-path), so the signed-in layout can send an anonymous
 * visitor to the login page and back to where they were going. Not an access check: that happens server-side
 * in every page and route (lib/auth/guard.ts).
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-assay-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api/|_next/|icon.svg|favicon.ico).*)"] };
