import NextAuth from "next-auth";
import { authOptions, callbackUrlProblem, CALLBACK_URL_COOKIES } from "@/lib/auth/options";
import { crossSiteProblem } from "@/lib/http/sameOrigin";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's endpoints, behind two checks of our own: a sign-in or sign-out posted by another site is refused (next-auth's
 * CSRF token stays as the second lock), and a callbackUrl next-auth would answer with a 500 is answered here: a page request
 * goes to the login page, anything else gets a 400 naming the field.
 */
async function handler(req: Request, ctx: Ctx) {
  const crossSite = crossSiteProblem(req.method, req.headers, env().NEXTAUTH_URL);
  if (crossSite) {
    return Response.json(
      { error: { code: "FORBIDDEN", message: `Refused: ${crossSite}. Sign in and out on Assay's own login page.` } },
      { status: 403 },
    );
  }
  const url = new URL(req.url);
  const cookies = req.headers.get("cookie") ?? "";
  const badCookie = CALLBACK_URL_COOKIES.find((name) => {
    const match = new RegExp(`(?:^|;\\s*)${name.replace(/[.]/g, "\\.")}=([^;]*)`).exec(cookies);
    return match && callbackUrlProblem(safeDecode(match[1])) !== null;
  });
  const queryProblem = callbackUrlProblem(url.searchParams.get("callbackUrl"));
  if (queryProblem || badCookie) {
    const clear = badCookie ? { "set-cookie": `${badCookie}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` } : undefined;
    if (req.method === "GET" && (req.headers.get("accept") ?? "").includes("text/html")) {
      return new Response(null, { status: 303, headers: { location: "/login", ...clear } });
    }
    const message = `callbackUrl ${queryProblem ?? "(kept in a cookie from an earlier visit) is not a path on this site or an http(s) address; it was cleared"}`;
    return Response.json(
      { error: { code: "VALIDATION", message: `Invalid input: ${message}`, details: { issues: [{ field: "callbackUrl", message }] } } },
      { status: 400, headers: clear },
    );
  }
  return NextAuth(authOptions())(req, { params: await ctx.params });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export { handler as GET, handler as POST };
