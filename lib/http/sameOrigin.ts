// Cross-site request forgery: a browser attaches the session cookie to a request any other site makes (a plain HTML form,
// a no-cors fetch), so a change authenticated by cookie must come from Assay's own pages. Browsers say where a request
// came from in Sec-Fetch-Site and Origin, and a page cannot forge either.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** True for methods that change nothing (reads), which need no origin check. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The host (name:port) the request was sent to: the Host header, or a trusted proxy's X-Forwarded-Host (the front door drops any other). */
function requestHost(headers: Headers): string | null {
  return headers.get("x-forwarded-host")?.split(",")[0].trim() || headers.get("host");
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Why a state-changing request looks as if another site sent it, or null when it came from Assay's own pages (or from a
 * client that is not a browser, which sends neither header). Same origin is the host the request was sent to, or the
 * configured public URL. Sec-Fetch-Site "same-site" (another port or subdomain of this host) is foreign too.
 */
export function crossSiteProblem(method: string, headers: Headers, publicUrl?: string): string | null {
  if (isSafeMethod(method)) return null;
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none")
    return `the browser says it came from another site (Sec-Fetch-Site: ${site})`;
  const origin = headers.get("origin");
  if (origin === null) return null;
  const host = origin === "null" ? null : hostOf(origin);
  const own = [requestHost(headers), publicUrl ? hostOf(publicUrl) : null].filter(Boolean);
  if (host && own.includes(host)) return null;
  return `it came from ${origin === "null" ? "a page with a hidden origin" : origin}, not from Assay's own pages`;
}
